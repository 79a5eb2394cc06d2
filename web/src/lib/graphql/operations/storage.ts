import { graphql } from '../generated';

export const MountFieldsFragment = graphql(`
	fragment MountFields on Mount {
		id
		kind
		volume
		volumeName
		hostPath
		containerPath
		readOnly
		sizeBytes
		createdAt
	}
`);

export const MountsQuery = graphql(`
	query Mounts($id: ID!) {
		application(id: $id) {
			id
			mounts {
				...MountFields
			}
		}
	}
`);

export const AddMountMutation = graphql(`
	mutation AddMount($input: AddMountInput!) {
		addMount(input: $input) {
			mount {
				...MountFields
			}
		}
	}
`);

export const UpdateMountMutation = graphql(`
	mutation UpdateMount($input: UpdateMountInput!) {
		updateMount(input: $input) {
			mount {
				...MountFields
			}
		}
	}
`);

export const RemoveMountMutation = graphql(`
	mutation RemoveMount($id: ID!) {
		removeMount(input: { id: $id }) {
			removedMountId
		}
	}
`);
