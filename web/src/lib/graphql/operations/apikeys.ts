import { graphql } from '../generated';

export const ApiKeyFieldsFragment = graphql(`
	fragment ApiKeyFields on ApiKey {
		id
		name
		prefix
		role
		scope
		createdAt
		lastUsedAt
		expiresAt
		revokedAt
	}
`);

export const ApiKeysQuery = graphql(`
	query ApiKeys {
		apiKeys {
			...ApiKeyFields
		}
	}
`);

export const CreateApiKeyMutation = graphql(`
	mutation CreateApiKey($input: CreateApiKeyInput!) {
		createApiKey(input: $input) {
			key
			apiKey {
				...ApiKeyFields
			}
		}
	}
`);

export const RevokeApiKeyMutation = graphql(`
	mutation RevokeApiKey($id: ID!) {
		revokeApiKey(input: { id: $id }) {
			apiKey {
				...ApiKeyFields
			}
		}
	}
`);
