import { graphql } from '../generated';

export const UsersQuery = graphql(`
	query Users {
		users {
			id
			email
			role
			createdAt
		}
	}
`);

export const CreateUserMutation = graphql(`
	mutation CreateUser($input: CreateUserInput!) {
		createUser(input: $input) {
			user {
				id
				email
				role
				createdAt
			}
		}
	}
`);

export const UpdateUserRoleMutation = graphql(`
	mutation UpdateUserRole($input: UpdateUserRoleInput!) {
		updateUserRole(input: $input) {
			user {
				id
				email
				role
				createdAt
			}
		}
	}
`);

export const DeleteUserMutation = graphql(`
	mutation DeleteUser($input: DeleteUserInput!) {
		deleteUser(input: $input) {
			deletedUserId
		}
	}
`);

export const ChangePasswordMutation = graphql(`
	mutation ChangePassword($input: ChangePasswordInput!) {
		changePassword(input: $input) {
			user {
				id
				email
				role
			}
		}
	}
`);
