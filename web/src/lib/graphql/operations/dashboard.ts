import { graphql } from '../generated';

export const DashboardQuery = graphql(`
	query Dashboard {
		dashboard {
			applications {
				total
				created
				deploying
				running
				failed
				stopped
			}
			deploymentsLastDay {
				total
				succeeded
				failed
				cancelled
				inProgress
			}
			recentDeployments(first: 10) {
				...DeploymentSummary
				application {
					id
					name
				}
			}
			server {
				id
				name
			}
			failingHealthChecks {
				application {
					id
					name
				}
				status
				consecutiveFailures
				restartCount
				lastCheckedAt
			}
		}
	}
`);

export const ServerStatsSubscription = graphql(`
	subscription ServerStats($serverId: ID!) {
		serverStats(serverId: $serverId, intervalSeconds: 2) {
			cpuPercent
			cpuCount
			memoryUsedBytes
			memoryTotalBytes
			diskUsedBytes
			diskTotalBytes
			loadAverage1
			uptimeSeconds
			dockerReachable
			dockerVersion
			sampledAt
		}
	}
`);
