import { graphql } from '../generated';

export const StatsSampleFieldsFragment = graphql(`
	fragment StatsSampleFields on StatsSample {
		containerId
		cpuPercent
		memoryUsedBytes
		memoryLimitBytes
		networkRxBytes
		networkTxBytes
		blockReadBytes
		blockWriteBytes
		sampledAt
	}
`);

export const ApplicationStatsQuery = graphql(`
	query ApplicationStats($id: ID!, $from: DateTime, $to: DateTime) {
		application(id: $id) {
			id
			memoryLimitBytes
			stats(from: $from, to: $to) {
				resolution
				from
				to
				samples {
					...StatsSampleFields
				}
			}
		}
	}
`);

export const ApplicationStatsSubscription = graphql(`
	subscription ApplicationStatsLive($applicationId: ID!) {
		applicationStats(applicationId: $applicationId) {
			...StatsSampleFields
		}
	}
`);

export const ContainerStatsSubscription = graphql(`
	subscription ContainerStatsLive($containerId: ID!) {
		containerStats(containerId: $containerId) {
			...StatsSampleFields
		}
	}
`);

export const ApplicationLogsSubscription = graphql(`
	subscription ApplicationLogs($applicationId: ID!, $service: String, $tail: Int) {
		applicationLogs(applicationId: $applicationId, service: $service, tail: $tail) {
			containerId
			stream
			line
			timestamp
		}
	}
`);
