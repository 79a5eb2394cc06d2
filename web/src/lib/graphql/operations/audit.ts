import { graphql } from '../generated';

export const AuditLogQuery = graphql(`
	query AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {
		auditLog(first: $first, after: $after, filter: $filter) {
			edges {
				node {
					id
					at
					actorId
					actorApiKeyId
					actorLabel
					sourceIp
					action
					objectType
					objectId
					outcome
					message
				}
			}
			pageInfo {
				hasNextPage
				endCursor
			}
		}
	}
`);
