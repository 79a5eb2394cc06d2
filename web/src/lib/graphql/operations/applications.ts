import { graphql } from '../generated';

export const ApplicationsQuery = graphql(`
	query Applications($first: Int, $after: String, $status: ApplicationStatus) {
		applications(first: $first, after: $after, status: $status) {
			nodes {
				id
				name
				description
				status
				url
				buildStrategy
				latestDeployment {
					...DeploymentSummary
				}
			}
			pageInfo {
				hasNextPage
				endCursor
			}
		}
	}
`);

export const ApplicationFieldsFragment = graphql(`
	fragment ApplicationFields on Application {
		id
		name
		description
		server {
			id
			name
			host
			isLocal
			status
			lastError
			hostKeyFingerprint
		}
		cluster {
			id
			name
			edge {
				id
				name
				host
			}
		}
		replicas
		placementConstraints
		maxReplicasPerNode
		gitUrl
		branch
		image
		buildStrategy
		dockerfilePath
		buildContext
		port
		autoDeploy
		memoryLimitBytes
		cpuLimit
		restartPolicy
		cutoverOrder
		staticBuildImage
		staticBuildCommand
		staticOutputDir
		spaFallback
		composePath
		composeService
		status
		createdAt
		updatedAt
		url
		urls
		deployKey {
			publicKey
			fingerprint
			createdAt
		}
		gitCredentials {
			username
			updatedAt
		}
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
		activeDeployment {
			...DeploymentSummary
		}
		latestDeployment {
			...DeploymentSummary
		}
	}
`);

export const ApplicationQuery = graphql(`
	query Application($id: ID!) {
		application(id: $id) {
			...ApplicationFields
		}
	}
`);

/** A COMPOSE application's running services, in start order (the routed one last). */
export const ApplicationServicesQuery = graphql(`
	query ApplicationServices($id: ID!) {
		application(id: $id) {
			id
			services {
				name
				routed
				image
				containerId
				containerName
				hostPort
				deploymentId
				state
				health
			}
		}
	}
`);

/**
 * A clustered application's tasks as the manager lists them now, apart from the application:
 * `UNAVAILABLE` when the manager cannot be reached, and the rest of the page stays.
 */
export const ApplicationTasksQuery = graphql(`
	query ApplicationTasks($id: ID!) {
		application(id: $id) {
			id
			tasks {
				id
				nodeId
				nodeAddress
				port
				state
				desiredState
				message
				containerId
			}
		}
	}
`);

/** A compose file as a deploy would run it, or the refusal naming the key. */
export const ComposePlanQuery = graphql(`
	query ComposePlan($content: String!, $composeService: String, $applicationId: ID) {
		composePlan(content: $content, composeService: $composeService, applicationId: $applicationId) {
			routed
			volumes
			warnings
			services {
				name
				image
				buildContext
				port
				dependsOn
				waitsForHealthy
				hasHealthcheck
			}
		}
	}
`);

export const ServersQuery = graphql(`
	query Servers {
		servers {
			id
			name
			host
			isLocal
			status
		}
	}
`);

export const CreateApplicationMutation = graphql(`
	mutation CreateApplication($input: CreateApplicationInput!) {
		createApplication(input: $input) {
			application {
				...ApplicationFields
			}
		}
	}
`);

export const UpdateApplicationMutation = graphql(`
	mutation UpdateApplication($input: UpdateApplicationInput!) {
		updateApplication(input: $input) {
			application {
				...ApplicationFields
			}
		}
	}
`);

export const DeleteApplicationMutation = graphql(`
	mutation DeleteApplication($id: ID!, $removeVolumes: Boolean!) {
		deleteApplication(input: { id: $id, removeVolumes: $removeVolumes }) {
			deletedApplicationId
		}
	}
`);

export const RegenerateDeployKeyMutation = graphql(`
	mutation RegenerateDeployKey($applicationId: ID!) {
		regenerateDeployKey(input: { applicationId: $applicationId }) {
			deployKey {
				publicKey
				fingerprint
				createdAt
			}
		}
	}
`);

export const SetGitCredentialsMutation = graphql(`
	mutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {
		setGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {
			gitCredentials {
				username
				updatedAt
			}
		}
	}
`);

export const ClearGitCredentialsMutation = graphql(`
	mutation ClearGitCredentials($applicationId: ID!) {
		clearGitCredentials(input: { applicationId: $applicationId }) {
			__typename
		}
	}
`);

export const ConfigureHealthCheckMutation = graphql(`
	mutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {
		configureHealthCheck(input: $input) {
			__typename
		}
	}
`);
