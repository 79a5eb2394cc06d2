import { graphql } from '../generated';

export const WebhookFieldsFragment = graphql(`
	fragment WebhookFields on Webhook {
		id
		provider
		url
		enabled
		createdAt
		updatedAt
	}
`);

export const WebhookDeliveryFieldsFragment = graphql(`
	fragment WebhookDeliveryFields on WebhookDelivery {
		id
		provider
		event
		deliveryId
		status
		reason
		branch
		commitSha
		commitAuthor
		commitMessage
		receivedAt
		deployment {
			id
			status
		}
	}
`);

export const WebhooksQuery = graphql(`
	query Webhooks($id: ID!) {
		application(id: $id) {
			id
			webhooks {
				...WebhookFields
			}
		}
	}
`);

export const WebhookDeliveriesQuery = graphql(`
	query WebhookDeliveries($id: ID!, $first: Int, $after: String) {
		application(id: $id) {
			id
			webhookDeliveries(first: $first, after: $after) {
				nodes {
					...WebhookDeliveryFields
				}
				pageInfo {
					hasNextPage
					endCursor
				}
			}
		}
	}
`);

export const EnableWebhookMutation = graphql(`
	mutation EnableWebhook($applicationId: ID!, $provider: WebhookProvider!) {
		enableWebhook(input: { applicationId: $applicationId, provider: $provider }) {
			url
			secret
			webhook {
				...WebhookFields
			}
		}
	}
`);

export const RotateWebhookSecretMutation = graphql(`
	mutation RotateWebhookSecret($id: ID!) {
		rotateWebhookSecret(input: { id: $id }) {
			url
			secret
			webhook {
				...WebhookFields
			}
		}
	}
`);

export const DisableWebhookMutation = graphql(`
	mutation DisableWebhook($id: ID!) {
		disableWebhook(input: { id: $id }) {
			webhook {
				...WebhookFields
			}
		}
	}
`);

export const RedeliverMutation = graphql(`
	mutation Redeliver($deliveryId: ID!) {
		redeliver(input: { deliveryId: $deliveryId }) {
			delivery {
				...WebhookDeliveryFields
			}
			deployment {
				id
			}
		}
	}
`);

export const WebhookDeliveryReceivedSubscription = graphql(`
	subscription WebhookDeliveryReceived($applicationId: ID!) {
		webhookDeliveryReceived(applicationId: $applicationId) {
			...WebhookDeliveryFields
		}
	}
`);
