import { graphql } from '../generated';

export const EnvVarsQuery = graphql(`
	query EnvVars($id: ID!) {
		application(id: $id) {
			id
			envVars {
				key
				value
				isSecret
				isBuildTime
				updatedAt
			}
		}
	}
`);

export const SetEnvVarMutation = graphql(`
	mutation SetEnvVar($input: SetEnvVarInput!) {
		setEnvVar(input: $input) {
			envVar {
				key
				value
				isSecret
				isBuildTime
				updatedAt
			}
		}
	}
`);

export const DeleteEnvVarMutation = graphql(`
	mutation DeleteEnvVar($applicationId: ID!, $key: String!) {
		deleteEnvVar(input: { applicationId: $applicationId, key: $key }) {
			deletedKey
		}
	}
`);

export const ImportEnvVarsMutation = graphql(`
	mutation ImportEnvVars($input: ImportEnvVarsInput!) {
		importEnvVars(input: $input) {
			keys
		}
	}
`);

export const RevealSecretQuery = graphql(`
	query RevealSecret($applicationId: ID!, $key: String!) {
		revealSecret(applicationId: $applicationId, key: $key)
	}
`);
