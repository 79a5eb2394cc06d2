import { graphql } from '../generated';

export const SettingsQuery = graphql(`
	query InstallationSettings {
		settings {
			registrationOpen
			defaultRole
			allowLocalGitPaths
			allowedBindPaths
		}
	}
`);

export const UpdateSettingsMutation = graphql(`
	mutation UpdateInstallationSettings($input: UpdateSettingsInput!) {
		updateSettings(input: $input) {
			registrationOpen
			defaultRole
			allowLocalGitPaths
			allowedBindPaths
		}
	}
`);
