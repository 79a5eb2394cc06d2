import { graphql } from '../generated';

export const DomainsQuery = graphql(`
	query Domains($id: ID!) {
		application(id: $id) {
			id
			urls
			buildStrategy
			services {
				name
				routed
				hostPort
			}
			domains {
				id
				hostname
				isPrimary
				isAuto
				service
				verifiedAt
				createdAt
			}
		}
	}
`);

export const AddDomainMutation = graphql(`
	mutation AddDomain($applicationId: ID!, $hostname: String!, $service: String) {
		addDomain(input: { applicationId: $applicationId, hostname: $hostname, service: $service }) {
			domain {
				id
				hostname
			}
		}
	}
`);

export const RemoveDomainMutation = graphql(`
	mutation RemoveDomain($id: ID!) {
		removeDomain(input: { id: $id }) {
			removedDomainId
		}
	}
`);

export const SetPrimaryDomainMutation = graphql(`
	mutation SetPrimaryDomain($id: ID!) {
		setPrimaryDomain(input: { id: $id }) {
			domain {
				id
			}
		}
	}
`);

export const VerifyDomainMutation = graphql(`
	mutation VerifyDomain($id: ID!) {
		verifyDomain(input: { id: $id }) {
			pointsHere
			addresses
			cnames
			explanation
			domain {
				id
				verifiedAt
			}
		}
	}
`);
