import { graphql } from '../generated';

export const HealthStateFieldsFragment = graphql(`
	fragment HealthStateFields on ApplicationHealth {
		applicationId
		status
		consecutiveFailures
		restartCount
		lastCheckedAt
		lastRestartAt
		reason
	}
`);

export const HealthResultFieldsFragment = graphql(`
	fragment HealthResultFields on HealthCheckResult {
		id
		healthy
		statusCode
		responseTimeMs
		error
		deploymentId
		checkedAt
	}
`);

export const HealthQuery = graphql(`
	query Health($id: ID!) {
		application(id: $id) {
			id
			healthCheck {
				kind
				path
				port
				intervalSeconds
				timeoutSeconds
				healthyThreshold
				unhealthyThreshold
				startPeriodSeconds
				autoRestart
			}
			health {
				...HealthStateFields
			}
		}
	}
`);

export const HealthResultsQuery = graphql(`
	query HealthResults($id: ID!, $first: Int, $after: String) {
		application(id: $id) {
			id
			healthResults(first: $first, after: $after) {
				nodes {
					...HealthResultFields
				}
				pageInfo {
					hasNextPage
					endCursor
				}
			}
		}
	}
`);

export const ApplicationHealthSubscription = graphql(`
	subscription ApplicationHealth($applicationId: ID!) {
		applicationHealth(applicationId: $applicationId) {
			...HealthStateFields
		}
	}
`);
