import { graphql } from '../generated';

export const RegistrationQuery = graphql(`
	query Registration {
		registration {
			firstRun
			open
		}
	}
`);

export const MeQuery = graphql(`
	query Me {
		me {
			id
			email
			role
		}
	}
`);

export const LoginMutation = graphql(`
	mutation Login($email: String!, $password: String!) {
		login(input: { email: $email, password: $password, cookie: true }) {
			user {
				id
				email
				role
			}
		}
	}
`);

export const RegisterMutation = graphql(`
	mutation Register($email: String!, $password: String!) {
		register(input: { email: $email, password: $password, cookie: true }) {
			user {
				id
				email
				role
			}
		}
	}
`);

export const LogoutMutation = graphql(`
	mutation Logout {
		logout {
			ok
		}
	}
`);

export const LogoutEverywhereMutation = graphql(`
	mutation LogoutEverywhere {
		logoutEverywhere {
			ok
		}
	}
`);
