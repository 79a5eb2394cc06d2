// The Docker engine as an admin sees it: containers, networks, volumes and images, the
// changes an admin may make to them, and a container's live log. Every operation here is
// for admins only; pages check `session.isAdmin` before sending any of them.
import { graphql } from '../generated';

export const DockerContainerFieldsFragment = graphql(`
	fragment DockerContainerFields on DockerContainer {
		id
		name
		image
		imageId
		command
		createdAt
		state
		status
		running
		ports {
			containerPort
			hostIp
			hostPort
			protocol
		}
		labels {
			key
			value
		}
		networks
		volumes
		managed
		isActive
		application {
			id
			name
		}
		deployment {
			id
			status
		}
	}
`);

export const ContainersQuery = graphql(`
	query DockerContainers($all: Boolean!, $managedOnly: Boolean!) {
		containers(all: $all, managedOnly: $managedOnly) {
			...DockerContainerFields
		}
	}
`);

export const ContainerQuery = graphql(`
	query DockerContainer($id: ID!) {
		container(id: $id) {
			...DockerContainerFields
		}
	}
`);

export const StartContainerMutation = graphql(`
	mutation StartContainer($id: ID!) {
		startContainer(input: { id: $id }) {
			container {
				...DockerContainerFields
			}
			notice
		}
	}
`);

export const StopContainerMutation = graphql(`
	mutation StopContainer($id: ID!, $timeoutSeconds: Int) {
		stopContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {
			container {
				...DockerContainerFields
			}
			notice
		}
	}
`);

export const RestartContainerMutation = graphql(`
	mutation RestartContainer($id: ID!, $timeoutSeconds: Int) {
		restartContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {
			container {
				...DockerContainerFields
			}
			notice
		}
	}
`);

export const RemoveContainerMutation = graphql(`
	mutation RemoveContainer($id: ID!, $force: Boolean!) {
		removeContainer(input: { id: $id, force: $force }) {
			removedContainerId
			notice
		}
	}
`);

export const ContainerLogsSubscription = graphql(`
	subscription ContainerLogs($containerId: ID!, $tail: Int) {
		containerLogs(containerId: $containerId, tail: $tail) {
			containerId
			stream
			line
			timestamp
		}
	}
`);

export const DockerNetworkFieldsFragment = graphql(`
	fragment DockerNetworkFields on DockerNetwork {
		id
		name
		driver
		scope
		internal
		createdAt
		containers
		managed
	}
`);

export const NetworksQuery = graphql(`
	query DockerNetworks {
		networks {
			...DockerNetworkFields
		}
	}
`);

export const CreateNetworkMutation = graphql(`
	mutation CreateNetwork($input: CreateNetworkInput!) {
		createNetwork(input: $input) {
			network {
				...DockerNetworkFields
			}
		}
	}
`);

export const RemoveNetworkMutation = graphql(`
	mutation RemoveNetwork($id: ID!) {
		removeNetwork(input: { id: $id }) {
			removedNetworkId
		}
	}
`);

export const DockerVolumeFieldsFragment = graphql(`
	fragment DockerVolumeFields on DockerVolume {
		name
		driver
		mountpoint
		createdAt
		containers
		managed
		orphaned
	}
`);

export const VolumesQuery = graphql(`
	query DockerVolumes {
		volumes {
			...DockerVolumeFields
			sizeBytes
		}
	}
`);

export const CreateVolumeMutation = graphql(`
	mutation CreateVolume($input: CreateVolumeInput!) {
		createVolume(input: $input) {
			volume {
				...DockerVolumeFields
			}
		}
	}
`);

export const RemoveVolumeMutation = graphql(`
	mutation RemoveVolume($name: String!) {
		removeVolume(input: { name: $name }) {
			removedVolumeName
		}
	}
`);

export const DockerImageFieldsFragment = graphql(`
	fragment DockerImageFields on DockerImage {
		id
		tags
		sizeBytes
		createdAt
		labels {
			key
			value
		}
		containers
		managed
		kept
	}
`);

export const ImagesQuery = graphql(`
	query DockerImages {
		images {
			...DockerImageFields
		}
	}
`);

export const RemoveImageMutation = graphql(`
	mutation RemoveImage($id: ID!, $force: Boolean!) {
		removeImage(input: { id: $id, force: $force }) {
			removedImageId
			untagged
			deleted
		}
	}
`);

export const PullImageMutation = graphql(`
	mutation PullImage($reference: String!) {
		pullImage(input: { reference: $reference }) {
			image {
				...DockerImageFields
			}
		}
	}
`);

export const DockerEventsSubscription = graphql(`
	subscription DockerEvents($types: [DockerObjectType!]) {
		dockerEvents(types: $types) {
			type
			action
			id
			name
			time
		}
	}
`);

export const PruneImagesMutation = graphql(`
	mutation PruneImages($input: PruneImagesInput!) {
		pruneImages(input: $input) {
			removedImages {
				...DockerImageFields
			}
			reclaimedBytes
			skippedImages {
				image {
					...DockerImageFields
				}
				reason
			}
			dryRun
		}
	}
`);

export const PruneNetworksMutation = graphql(`
	mutation PruneNetworks($input: PruneNetworksInput!) {
		pruneNetworks(input: $input) {
			removedNetworks {
				...DockerNetworkFields
			}
			skippedNetworks {
				network {
					...DockerNetworkFields
				}
				reason
			}
			dryRun
		}
	}
`);

export const PruneVolumesMutation = graphql(`
	mutation PruneVolumes($input: PruneVolumesInput!) {
		pruneVolumes(input: $input) {
			removedVolumes {
				...DockerVolumeFields
			}
			skippedVolumes {
				volume {
					...DockerVolumeFields
				}
				reason
			}
			dryRun
		}
	}
`);
