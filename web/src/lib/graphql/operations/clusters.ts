import { graphql } from '../generated';

/**
 * A cluster as lists and pages show it, read from Ployer's own records only: `nodes` (the
 * manager's live answer, which fails while it cannot be reached) is asked for apart.
 */
export const ClusterFieldsFragment = graphql(`
	fragment ClusterFields on Cluster {
		id
		name
		swarmId
		createdAt
		manager {
			id
			name
			host
		}
		edge {
			id
			name
			host
		}
		members {
			id
			name
			host
			isLocal
			status
		}
		applications {
			id
			name
			status
			url
			replicas
		}
	}
`);

/** The servers a cluster can be made of or grow by: whether validated, and where they are. */
export const ClusterCandidateFieldsFragment = graphql(`
	fragment ClusterCandidateFields on Server {
		id
		name
		host
		isLocal
		status
		hostKeyFingerprint
	}
`);

export const ClusterListQuery = graphql(`
	query ClusterList {
		clusters {
			...ClusterFields
		}
		servers {
			...ClusterCandidateFields
		}
	}
`);

export const ClusterQuery = graphql(`
	query Cluster($id: ID!) {
		cluster(id: $id) {
			...ClusterFields
		}
		clusters {
			id
			name
			members {
				id
			}
		}
		servers {
			...ClusterCandidateFields
		}
	}
`);

/** The nodes as the manager lists them now: `UNAVAILABLE` when it cannot be reached. */
export const ClusterNodesQuery = graphql(`
	query ClusterNodes($id: ID!) {
		cluster(id: $id) {
			id
			nodes {
				id
				hostname
				address
				state
				availability
				role
				labels {
					key
					value
				}
				cpus
				memoryBytes
				engineVersion
				server {
					id
					name
				}
			}
		}
	}
`);

/** The clusters an application can run on, for its form. */
export const ClusterChoicesQuery = graphql(`
	query ClusterChoices {
		clusters {
			id
			name
			edge {
				id
				name
				host
			}
			members {
				id
			}
		}
	}
`);

export const CreateClusterMutation = graphql(`
	mutation CreateCluster($input: CreateClusterInput!) {
		createCluster(input: $input) {
			cluster {
				...ClusterFields
			}
		}
	}
`);

export const AddClusterNodeMutation = graphql(`
	mutation AddClusterNode($clusterId: ID!, $serverId: ID!) {
		addClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {
			cluster {
				...ClusterFields
			}
			server {
				id
				name
			}
		}
	}
`);

export const RemoveClusterNodeMutation = graphql(`
	mutation RemoveClusterNode($clusterId: ID!, $serverId: ID!) {
		removeClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {
			cluster {
				...ClusterFields
			}
			server {
				id
				name
			}
		}
	}
`);

/** Drains, pauses or activates a node and/or replaces its labels. */
export const UpdateClusterNodeMutation = graphql(`
	mutation UpdateClusterNode($input: UpdateClusterNodeInput!) {
		updateClusterNode(input: $input) {
			cluster {
				id
			}
		}
	}
`);

export const DeleteClusterMutation = graphql(`
	mutation DeleteCluster($id: ID!) {
		deleteCluster(input: { id: $id }) {
			deletedClusterId
		}
	}
`);
