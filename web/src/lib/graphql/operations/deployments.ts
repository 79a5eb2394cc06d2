import { graphql } from '../generated';

export const DeploymentSummaryFragment = graphql(`
	fragment DeploymentSummary on Deployment {
		id
		status
		trigger
		commitSha
		commitMessage
		commitAuthor
		image
		error
		rollbackOf
		createdAt
		startedAt
		finishedAt
	}
`);

export const DeploymentsQuery = graphql(`
	query Deployments($applicationId: ID!, $first: Int, $after: String) {
		deployments(applicationId: $applicationId, first: $first, after: $after) {
			nodes {
				...DeploymentSummary
			}
			pageInfo {
				hasNextPage
				endCursor
			}
		}
	}
`);

export const DeploymentQuery = graphql(`
	query Deployment($id: ID!) {
		deployment(id: $id) {
			...DeploymentSummary
			application {
				id
				name
			}
		}
	}
`);

export const DeployMutation = graphql(`
	mutation Deploy($applicationId: ID!) {
		deploy(input: { applicationId: $applicationId }) {
			deployment {
				...DeploymentSummary
			}
		}
	}
`);

export const RedeployMutation = graphql(`
	mutation Redeploy($applicationId: ID!) {
		redeploy(input: { applicationId: $applicationId }) {
			deployment {
				...DeploymentSummary
			}
		}
	}
`);

export const RollbackMutation = graphql(`
	mutation Rollback($deploymentId: ID!) {
		rollback(input: { deploymentId: $deploymentId }) {
			deployment {
				...DeploymentSummary
			}
		}
	}
`);

export const CancelDeploymentMutation = graphql(`
	mutation CancelDeployment($deploymentId: ID!) {
		cancelDeployment(input: { deploymentId: $deploymentId }) {
			deployment {
				...DeploymentSummary
			}
		}
	}
`);

export const DeploymentLogsSubscription = graphql(`
	subscription DeploymentLogs($deploymentId: ID!, $afterSeq: Int) {
		deploymentLogs(deploymentId: $deploymentId, afterSeq: $afterSeq) {
			seq
			stream
			line
			at
		}
	}
`);

export const DeploymentUpdatedSubscription = graphql(`
	subscription DeploymentUpdated($applicationId: ID) {
		deploymentUpdated(applicationId: $applicationId) {
			...DeploymentSummary
			application {
				id
				name
				status
			}
		}
	}
`);
