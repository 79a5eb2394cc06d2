import { graphql } from '../generated';

export const ServerFieldsFragment = graphql(`
	fragment ServerFields on Server {
		id
		name
		host
		port
		username
		isLocal
		status
		lastCheckedAt
		dockerSocket
		publicKey
		hostKeyFingerprint
		dockerVersion
		cpus
		memoryBytes
		diskTotalBytes
		diskFreeBytes
		lastError
		createdAt
	}
`);

export const ServerListQuery = graphql(`
	query ServerList {
		servers {
			...ServerFields
			resources {
				cpuPercent
			}
		}
	}
`);

export const ServerQuery = graphql(`
	query Server($id: ID!, $first: Int, $after: String) {
		server(id: $id) {
			...ServerFields
			resources {
				cpuCount
				dockerReachable
				dockerVersion
			}
		}
		applications(serverId: $id, first: $first, after: $after) {
			nodes {
				id
				name
				status
				url
				buildStrategy
			}
			pageInfo {
				hasNextPage
				endCursor
			}
		}
	}
`);

export const CreateServerMutation = graphql(`
	mutation CreateServer($input: CreateServerInput!) {
		createServer(input: $input) {
			server {
				...ServerFields
			}
		}
	}
`);

export const UpdateServerMutation = graphql(`
	mutation UpdateServer($input: UpdateServerInput!) {
		updateServer(input: $input) {
			server {
				...ServerFields
			}
		}
	}
`);

export const DeleteServerMutation = graphql(`
	mutation DeleteServer($id: ID!) {
		deleteServer(input: { id: $id }) {
			deletedServerId
		}
	}
`);

export const ValidateServerMutation = graphql(`
	mutation ValidateServer($id: ID!) {
		validateServer(input: { id: $id }) {
			reachable
			message
			failure
			server {
				...ServerFields
			}
		}
	}
`);

/** Trusts the host key the server presents now (after a reinstall), then validates. */
export const AcceptServerHostKeyMutation = graphql(`
	mutation AcceptServerHostKey($id: ID!) {
		acceptServerHostKey(input: { id: $id }) {
			reachable
			message
			failure
			server {
				...ServerFields
			}
		}
	}
`);

export const ServerStatsLiveSubscription = graphql(`
	subscription ServerStatsLive($serverId: ID!) {
		serverStats(serverId: $serverId, intervalSeconds: 2) {
			serverId
			cpuPercent
			cpuCount
			loadAverage1
			loadAverage5
			loadAverage15
			memoryUsedBytes
			memoryTotalBytes
			diskUsedBytes
			diskTotalBytes
			uptimeSeconds
			dockerReachable
			dockerVersion
			sampledAt
		}
	}
`);

/** Every change of a server's status (a periodic check or a validation), with the server then. */
export const ServerStatusChangedSubscription = graphql(`
	subscription ServerStatusChanged {
		serverStatusChanged {
			...ServerFields
		}
	}
`);
