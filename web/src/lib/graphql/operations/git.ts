import { graphql } from '../generated';

// The Git tab reads what the repository needs fresh; its mutations (regenerateDeployKey,
// setGitCredentials, clearGitCredentials) are the ones in applications.ts.
export const GitAccessQuery = graphql(`
	query GitAccess($id: ID!) {
		application(id: $id) {
			id
			gitUrl
			buildStrategy
			deployKey {
				publicKey
				fingerprint
				createdAt
			}
			gitCredentials {
				username
				createdAt
				updatedAt
			}
		}
	}
`);
