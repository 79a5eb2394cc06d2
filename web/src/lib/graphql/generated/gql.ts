/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tscope\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n\tquery ApiKeys {\n\t\tapiKeys {\n\t\t\t...ApiKeyFields\n\t\t}\n\t}\n": typeof types.ApiKeysDocument,
    "\n\tmutation CreateApiKey($input: CreateApiKeyInput!) {\n\t\tcreateApiKey(input: $input) {\n\t\t\tkey\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateApiKeyDocument,
    "\n\tmutation RevokeApiKey($id: ID!) {\n\t\trevokeApiKey(input: { id: $id }) {\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RevokeApiKeyDocument,
    "\n\tquery Applications($first: Int, $after: String, $status: ApplicationStatus) {\n\t\tapplications(first: $first, after: $after, status: $status) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tdescription\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t\tlatestDeployment {\n\t\t\t\t\t...DeploymentSummary\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ApplicationsDocument,
    "\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t\tlastError\n\t\t\thostKeyFingerprint\n\t\t}\n\t\tcluster {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t}\n\t\treplicas\n\t\tplacementConstraints\n\t\tmaxReplicasPerNode\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tcutoverOrder\n\t\tstaticBuildImage\n\t\tstaticBuildCommand\n\t\tstaticOutputDir\n\t\tspaFallback\n\t\tcomposePath\n\t\tcomposeService\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n": typeof types.ApplicationFieldsFragmentDoc,
    "\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n": typeof types.ApplicationDocument,
    "\n\tquery ApplicationServices($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\timage\n\t\t\t\tcontainerId\n\t\t\t\tcontainerName\n\t\t\t\thostPort\n\t\t\t\tdeploymentId\n\t\t\t\tstate\n\t\t\t\thealth\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ApplicationServicesDocument,
    "\n\tquery ApplicationTasks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\ttasks {\n\t\t\t\tid\n\t\t\t\tnodeId\n\t\t\t\tnodeAddress\n\t\t\t\tport\n\t\t\t\tstate\n\t\t\t\tdesiredState\n\t\t\t\tmessage\n\t\t\t\tcontainerId\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ApplicationTasksDocument,
    "\n\tquery ComposePlan($content: String!, $composeService: String, $applicationId: ID) {\n\t\tcomposePlan(content: $content, composeService: $composeService, applicationId: $applicationId) {\n\t\t\trouted\n\t\t\tvolumes\n\t\t\twarnings\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\timage\n\t\t\t\tbuildContext\n\t\t\t\tport\n\t\t\t\tdependsOn\n\t\t\t\twaitsForHealthy\n\t\t\t\thasHealthcheck\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ComposePlanDocument,
    "\n\tquery Servers {\n\t\tservers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t}\n": typeof types.ServersDocument,
    "\n\tmutation CreateApplication($input: CreateApplicationInput!) {\n\t\tcreateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateApplicationDocument,
    "\n\tmutation UpdateApplication($input: UpdateApplicationInput!) {\n\t\tupdateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateApplicationDocument,
    "\n\tmutation DeleteApplication($id: ID!, $removeVolumes: Boolean!) {\n\t\tdeleteApplication(input: { id: $id, removeVolumes: $removeVolumes }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n": typeof types.DeleteApplicationDocument,
    "\n\tmutation RegenerateDeployKey($applicationId: ID!) {\n\t\tregenerateDeployKey(input: { applicationId: $applicationId }) {\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RegenerateDeployKeyDocument,
    "\n\tmutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {\n\t\tsetGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.SetGitCredentialsDocument,
    "\n\tmutation ClearGitCredentials($applicationId: ID!) {\n\t\tclearGitCredentials(input: { applicationId: $applicationId }) {\n\t\t\t__typename\n\t\t}\n\t}\n": typeof types.ClearGitCredentialsDocument,
    "\n\tmutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {\n\t\tconfigureHealthCheck(input: $input) {\n\t\t\t__typename\n\t\t}\n\t}\n": typeof types.ConfigureHealthCheckDocument,
    "\n\tquery AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {\n\t\tauditLog(first: $first, after: $after, filter: $filter) {\n\t\t\tedges {\n\t\t\t\tnode {\n\t\t\t\t\tid\n\t\t\t\t\tat\n\t\t\t\t\tactorId\n\t\t\t\t\tactorApiKeyId\n\t\t\t\t\tactorLabel\n\t\t\t\t\tsourceIp\n\t\t\t\t\taction\n\t\t\t\t\tobjectType\n\t\t\t\t\tobjectId\n\t\t\t\t\toutcome\n\t\t\t\t\tmessage\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": typeof types.AuditLogDocument,
    "\n\tfragment ClusterFields on Cluster {\n\t\tid\n\t\tname\n\t\tswarmId\n\t\tcreatedAt\n\t\tmanager {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tedge {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tmembers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t\tapplications {\n\t\t\tid\n\t\t\tname\n\t\t\tstatus\n\t\t\turl\n\t\t\treplicas\n\t\t}\n\t}\n": typeof types.ClusterFieldsFragmentDoc,
    "\n\tfragment ClusterCandidateFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tisLocal\n\t\tstatus\n\t\thostKeyFingerprint\n\t}\n": typeof types.ClusterCandidateFieldsFragmentDoc,
    "\n\tquery ClusterList {\n\t\tclusters {\n\t\t\t...ClusterFields\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n": typeof types.ClusterListDocument,
    "\n\tquery Cluster($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\t...ClusterFields\n\t\t}\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n": typeof types.ClusterDocument,
    "\n\tquery ClusterNodes($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\tid\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\taddress\n\t\t\t\tstate\n\t\t\t\tavailability\n\t\t\t\trole\n\t\t\t\tlabels {\n\t\t\t\t\tkey\n\t\t\t\t\tvalue\n\t\t\t\t}\n\t\t\t\tcpus\n\t\t\t\tmemoryBytes\n\t\t\t\tengineVersion\n\t\t\t\tserver {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ClusterNodesDocument,
    "\n\tquery ClusterChoices {\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ClusterChoicesDocument,
    "\n\tmutation CreateCluster($input: CreateClusterInput!) {\n\t\tcreateCluster(input: $input) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateClusterDocument,
    "\n\tmutation AddClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\taddClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n": typeof types.AddClusterNodeDocument,
    "\n\tmutation RemoveClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\tremoveClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RemoveClusterNodeDocument,
    "\n\tmutation UpdateClusterNode($input: UpdateClusterNodeInput!) {\n\t\tupdateClusterNode(input: $input) {\n\t\t\tcluster {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateClusterNodeDocument,
    "\n\tmutation DeleteCluster($id: ID!) {\n\t\tdeleteCluster(input: { id: $id }) {\n\t\t\tdeletedClusterId\n\t\t}\n\t}\n": typeof types.DeleteClusterDocument,
    "\n\tquery Dashboard {\n\t\tdashboard {\n\t\t\tapplications {\n\t\t\t\ttotal\n\t\t\t\tcreated\n\t\t\t\tdeploying\n\t\t\t\trunning\n\t\t\t\tfailed\n\t\t\t\tstopped\n\t\t\t}\n\t\t\tdeploymentsLastDay {\n\t\t\t\ttotal\n\t\t\t\tsucceeded\n\t\t\t\tfailed\n\t\t\t\tcancelled\n\t\t\t\tinProgress\n\t\t\t}\n\t\t\trecentDeployments(first: 10) {\n\t\t\t\t...DeploymentSummary\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t\tfailingHealthChecks {\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t\tstatus\n\t\t\t\tconsecutiveFailures\n\t\t\t\trestartCount\n\t\t\t\tlastCheckedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DashboardDocument,
    "\n\tsubscription ServerStats($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tloadAverage1\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n": typeof types.ServerStatsDocument,
    "\n\tfragment DeploymentSummary on Deployment {\n\t\tid\n\t\tstatus\n\t\ttrigger\n\t\tcommitSha\n\t\tcommitMessage\n\t\tcommitAuthor\n\t\timage\n\t\terror\n\t\trollbackOf\n\t\tcreatedAt\n\t\tstartedAt\n\t\tfinishedAt\n\t}\n": typeof types.DeploymentSummaryFragmentDoc,
    "\n\tquery Deployments($applicationId: ID!, $first: Int, $after: String) {\n\t\tdeployments(applicationId: $applicationId, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DeploymentsDocument,
    "\n\tquery Deployment($id: ID!) {\n\t\tdeployment(id: $id) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DeploymentDocument,
    "\n\tmutation Deploy($applicationId: ID!) {\n\t\tdeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DeployDocument,
    "\n\tmutation Redeploy($applicationId: ID!) {\n\t\tredeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RedeployDocument,
    "\n\tmutation Rollback($deploymentId: ID!) {\n\t\trollback(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RollbackDocument,
    "\n\tmutation CancelDeployment($deploymentId: ID!) {\n\t\tcancelDeployment(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CancelDeploymentDocument,
    "\n\tsubscription DeploymentLogs($deploymentId: ID!, $afterSeq: Int) {\n\t\tdeploymentLogs(deploymentId: $deploymentId, afterSeq: $afterSeq) {\n\t\t\tseq\n\t\t\tstream\n\t\t\tline\n\t\t\tat\n\t\t}\n\t}\n": typeof types.DeploymentLogsDocument,
    "\n\tsubscription DeploymentUpdated($applicationId: ID) {\n\t\tdeploymentUpdated(applicationId: $applicationId) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DeploymentUpdatedDocument,
    "\n\tfragment DockerContainerFields on DockerContainer {\n\t\tid\n\t\tname\n\t\timage\n\t\timageId\n\t\tcommand\n\t\tcreatedAt\n\t\tstate\n\t\tstatus\n\t\trunning\n\t\tports {\n\t\t\tcontainerPort\n\t\t\thostIp\n\t\t\thostPort\n\t\t\tprotocol\n\t\t}\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tnetworks\n\t\tvolumes\n\t\tmanaged\n\t\tisActive\n\t\tapplication {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n": typeof types.DockerContainerFieldsFragmentDoc,
    "\n\tquery DockerContainers($all: Boolean!, $managedOnly: Boolean!) {\n\t\tcontainers(all: $all, managedOnly: $managedOnly) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n": typeof types.DockerContainersDocument,
    "\n\tquery DockerContainer($id: ID!) {\n\t\tcontainer(id: $id) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n": typeof types.DockerContainerDocument,
    "\n\tmutation StartContainer($id: ID!) {\n\t\tstartContainer(input: { id: $id }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n": typeof types.StartContainerDocument,
    "\n\tmutation StopContainer($id: ID!, $timeoutSeconds: Int) {\n\t\tstopContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n": typeof types.StopContainerDocument,
    "\n\tmutation RestartContainer($id: ID!, $timeoutSeconds: Int) {\n\t\trestartContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n": typeof types.RestartContainerDocument,
    "\n\tmutation RemoveContainer($id: ID!, $force: Boolean!) {\n\t\tremoveContainer(input: { id: $id, force: $force }) {\n\t\t\tremovedContainerId\n\t\t\tnotice\n\t\t}\n\t}\n": typeof types.RemoveContainerDocument,
    "\n\tsubscription ContainerLogs($containerId: ID!, $tail: Int) {\n\t\tcontainerLogs(containerId: $containerId, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n": typeof types.ContainerLogsDocument,
    "\n\tfragment DockerNetworkFields on DockerNetwork {\n\t\tid\n\t\tname\n\t\tdriver\n\t\tscope\n\t\tinternal\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t}\n": typeof types.DockerNetworkFieldsFragmentDoc,
    "\n\tquery DockerNetworks {\n\t\tnetworks {\n\t\t\t...DockerNetworkFields\n\t\t}\n\t}\n": typeof types.DockerNetworksDocument,
    "\n\tmutation CreateNetwork($input: CreateNetworkInput!) {\n\t\tcreateNetwork(input: $input) {\n\t\t\tnetwork {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateNetworkDocument,
    "\n\tmutation RemoveNetwork($id: ID!) {\n\t\tremoveNetwork(input: { id: $id }) {\n\t\t\tremovedNetworkId\n\t\t}\n\t}\n": typeof types.RemoveNetworkDocument,
    "\n\tfragment DockerVolumeFields on DockerVolume {\n\t\tname\n\t\tdriver\n\t\tmountpoint\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t\torphaned\n\t}\n": typeof types.DockerVolumeFieldsFragmentDoc,
    "\n\tquery DockerVolumes {\n\t\tvolumes {\n\t\t\t...DockerVolumeFields\n\t\t\tsizeBytes\n\t\t}\n\t}\n": typeof types.DockerVolumesDocument,
    "\n\tmutation CreateVolume($input: CreateVolumeInput!) {\n\t\tcreateVolume(input: $input) {\n\t\t\tvolume {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateVolumeDocument,
    "\n\tmutation RemoveVolume($name: String!) {\n\t\tremoveVolume(input: { name: $name }) {\n\t\t\tremovedVolumeName\n\t\t}\n\t}\n": typeof types.RemoveVolumeDocument,
    "\n\tfragment DockerImageFields on DockerImage {\n\t\tid\n\t\ttags\n\t\tsizeBytes\n\t\tcreatedAt\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tcontainers\n\t\tmanaged\n\t\tkept\n\t}\n": typeof types.DockerImageFieldsFragmentDoc,
    "\n\tquery DockerImages {\n\t\timages {\n\t\t\t...DockerImageFields\n\t\t}\n\t}\n": typeof types.DockerImagesDocument,
    "\n\tmutation RemoveImage($id: ID!, $force: Boolean!) {\n\t\tremoveImage(input: { id: $id, force: $force }) {\n\t\t\tremovedImageId\n\t\t\tuntagged\n\t\t\tdeleted\n\t\t}\n\t}\n": typeof types.RemoveImageDocument,
    "\n\tmutation PullImage($reference: String!) {\n\t\tpullImage(input: { reference: $reference }) {\n\t\t\timage {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.PullImageDocument,
    "\n\tsubscription DockerEvents($types: [DockerObjectType!]) {\n\t\tdockerEvents(types: $types) {\n\t\t\ttype\n\t\t\taction\n\t\t\tid\n\t\t\tname\n\t\t\ttime\n\t\t}\n\t}\n": typeof types.DockerEventsDocument,
    "\n\tmutation PruneImages($input: PruneImagesInput!) {\n\t\tpruneImages(input: $input) {\n\t\t\tremovedImages {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t\treclaimedBytes\n\t\t\tskippedImages {\n\t\t\t\timage {\n\t\t\t\t\t...DockerImageFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n": typeof types.PruneImagesDocument,
    "\n\tmutation PruneNetworks($input: PruneNetworksInput!) {\n\t\tpruneNetworks(input: $input) {\n\t\t\tremovedNetworks {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t\tskippedNetworks {\n\t\t\t\tnetwork {\n\t\t\t\t\t...DockerNetworkFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n": typeof types.PruneNetworksDocument,
    "\n\tmutation PruneVolumes($input: PruneVolumesInput!) {\n\t\tpruneVolumes(input: $input) {\n\t\t\tremovedVolumes {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t\tskippedVolumes {\n\t\t\t\tvolume {\n\t\t\t\t\t...DockerVolumeFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n": typeof types.PruneVolumesDocument,
    "\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tbuildStrategy\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\thostPort\n\t\t\t}\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tservice\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DomainsDocument,
    "\n\tmutation AddDomain($applicationId: ID!, $hostname: String!, $service: String) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname, service: $service }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n": typeof types.AddDomainDocument,
    "\n\tmutation RemoveDomain($id: ID!) {\n\t\tremoveDomain(input: { id: $id }) {\n\t\t\tremovedDomainId\n\t\t}\n\t}\n": typeof types.RemoveDomainDocument,
    "\n\tmutation SetPrimaryDomain($id: ID!) {\n\t\tsetPrimaryDomain(input: { id: $id }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": typeof types.SetPrimaryDomainDocument,
    "\n\tmutation VerifyDomain($id: ID!) {\n\t\tverifyDomain(input: { id: $id }) {\n\t\t\tpointsHere\n\t\t\taddresses\n\t\t\tcnames\n\t\t\texplanation\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\tverifiedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.VerifyDomainDocument,
    "\n\tquery EnvVars($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tenvVars {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.EnvVarsDocument,
    "\n\tmutation SetEnvVar($input: SetEnvVarInput!) {\n\t\tsetEnvVar(input: $input) {\n\t\t\tenvVar {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.SetEnvVarDocument,
    "\n\tmutation DeleteEnvVar($applicationId: ID!, $key: String!) {\n\t\tdeleteEnvVar(input: { applicationId: $applicationId, key: $key }) {\n\t\t\tdeletedKey\n\t\t}\n\t}\n": typeof types.DeleteEnvVarDocument,
    "\n\tmutation ImportEnvVars($input: ImportEnvVarsInput!) {\n\t\timportEnvVars(input: $input) {\n\t\t\tkeys\n\t\t}\n\t}\n": typeof types.ImportEnvVarsDocument,
    "\n\tquery RevealSecret($applicationId: ID!, $key: String!) {\n\t\trevealSecret(applicationId: $applicationId, key: $key)\n\t}\n": typeof types.RevealSecretDocument,
    "\n\tquery GitAccess($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tgitUrl\n\t\t\tbuildStrategy\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tcreatedAt\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.GitAccessDocument,
    "\n\tfragment HealthStateFields on ApplicationHealth {\n\t\tapplicationId\n\t\tstatus\n\t\tconsecutiveFailures\n\t\trestartCount\n\t\tlastCheckedAt\n\t\tlastRestartAt\n\t\treason\n\t}\n": typeof types.HealthStateFieldsFragmentDoc,
    "\n\tfragment HealthResultFields on HealthCheckResult {\n\t\tid\n\t\thealthy\n\t\tstatusCode\n\t\tresponseTimeMs\n\t\terror\n\t\tdeploymentId\n\t\tcheckedAt\n\t}\n": typeof types.HealthResultFieldsFragmentDoc,
    "\n\tquery Health($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthCheck {\n\t\t\t\tkind\n\t\t\t\tpath\n\t\t\t\tport\n\t\t\t\tintervalSeconds\n\t\t\t\ttimeoutSeconds\n\t\t\t\thealthyThreshold\n\t\t\t\tunhealthyThreshold\n\t\t\t\tstartPeriodSeconds\n\t\t\t\tautoRestart\n\t\t\t}\n\t\t\thealth {\n\t\t\t\t...HealthStateFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.HealthDocument,
    "\n\tquery HealthResults($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthResults(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...HealthResultFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": typeof types.HealthResultsDocument,
    "\n\tsubscription ApplicationHealth($applicationId: ID!) {\n\t\tapplicationHealth(applicationId: $applicationId) {\n\t\t\t...HealthStateFields\n\t\t}\n\t}\n": typeof types.ApplicationHealthDocument,
    "\n\tfragment StatsSampleFields on StatsSample {\n\t\tcontainerId\n\t\tcpuPercent\n\t\tmemoryUsedBytes\n\t\tmemoryLimitBytes\n\t\tnetworkRxBytes\n\t\tnetworkTxBytes\n\t\tblockReadBytes\n\t\tblockWriteBytes\n\t\tsampledAt\n\t}\n": typeof types.StatsSampleFieldsFragmentDoc,
    "\n\tquery ApplicationStats($id: ID!, $from: DateTime, $to: DateTime) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmemoryLimitBytes\n\t\t\tstats(from: $from, to: $to) {\n\t\t\t\tresolution\n\t\t\t\tfrom\n\t\t\t\tto\n\t\t\t\tsamples {\n\t\t\t\t\t...StatsSampleFields\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ApplicationStatsDocument,
    "\n\tsubscription ApplicationStatsLive($applicationId: ID!) {\n\t\tapplicationStats(applicationId: $applicationId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n": typeof types.ApplicationStatsLiveDocument,
    "\n\tsubscription ContainerStatsLive($containerId: ID!) {\n\t\tcontainerStats(containerId: $containerId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n": typeof types.ContainerStatsLiveDocument,
    "\n\tsubscription ApplicationLogs($applicationId: ID!, $service: String, $tail: Int) {\n\t\tapplicationLogs(applicationId: $applicationId, service: $service, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n": typeof types.ApplicationLogsDocument,
    "\n\tfragment ServerFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tport\n\t\tusername\n\t\tisLocal\n\t\tstatus\n\t\tlastCheckedAt\n\t\tdockerSocket\n\t\tpublicKey\n\t\thostKeyFingerprint\n\t\tdockerVersion\n\t\tcpus\n\t\tmemoryBytes\n\t\tdiskTotalBytes\n\t\tdiskFreeBytes\n\t\tlastError\n\t\tcreatedAt\n\t}\n": typeof types.ServerFieldsFragmentDoc,
    "\n\tquery ServerList {\n\t\tservers {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuPercent\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ServerListDocument,
    "\n\tquery Server($id: ID!, $first: Int, $after: String) {\n\t\tserver(id: $id) {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuCount\n\t\t\t\tdockerReachable\n\t\t\t\tdockerVersion\n\t\t\t}\n\t\t}\n\t\tapplications(serverId: $id, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ServerDocument,
    "\n\tmutation CreateServer($input: CreateServerInput!) {\n\t\tcreateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateServerDocument,
    "\n\tmutation UpdateServer($input: UpdateServerInput!) {\n\t\tupdateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateServerDocument,
    "\n\tmutation DeleteServer($id: ID!) {\n\t\tdeleteServer(input: { id: $id }) {\n\t\t\tdeletedServerId\n\t\t}\n\t}\n": typeof types.DeleteServerDocument,
    "\n\tmutation ValidateServer($id: ID!) {\n\t\tvalidateServer(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ValidateServerDocument,
    "\n\tmutation AcceptServerHostKey($id: ID!) {\n\t\tacceptServerHostKey(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.AcceptServerHostKeyDocument,
    "\n\tsubscription ServerStatsLive($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tserverId\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tloadAverage1\n\t\t\tloadAverage5\n\t\t\tloadAverage15\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n": typeof types.ServerStatsLiveDocument,
    "\n\tsubscription ServerStatusChanged {\n\t\tserverStatusChanged {\n\t\t\t...ServerFields\n\t\t}\n\t}\n": typeof types.ServerStatusChangedDocument,
    "\n\tquery Registration {\n\t\tregistration {\n\t\t\tfirstRun\n\t\t\topen\n\t\t}\n\t}\n": typeof types.RegistrationDocument,
    "\n\tquery Me {\n\t\tme {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t}\n\t}\n": typeof types.MeDocument,
    "\n\tmutation Login($email: String!, $password: String!) {\n\t\tlogin(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": typeof types.LoginDocument,
    "\n\tmutation Register($email: String!, $password: String!) {\n\t\tregister(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RegisterDocument,
    "\n\tmutation Logout {\n\t\tlogout {\n\t\t\tok\n\t\t}\n\t}\n": typeof types.LogoutDocument,
    "\n\tmutation LogoutEverywhere {\n\t\tlogoutEverywhere {\n\t\t\tok\n\t\t}\n\t}\n": typeof types.LogoutEverywhereDocument,
    "\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n": typeof types.InstallationSettingsDocument,
    "\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n": typeof types.UpdateInstallationSettingsDocument,
    "\n\tfragment MountFields on Mount {\n\t\tid\n\t\tkind\n\t\tvolume\n\t\tvolumeName\n\t\thostPath\n\t\tcontainerPath\n\t\treadOnly\n\t\tsizeBytes\n\t\tcreatedAt\n\t}\n": typeof types.MountFieldsFragmentDoc,
    "\n\tquery Mounts($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmounts {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.MountsDocument,
    "\n\tmutation AddMount($input: AddMountInput!) {\n\t\taddMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.AddMountDocument,
    "\n\tmutation UpdateMount($input: UpdateMountInput!) {\n\t\tupdateMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateMountDocument,
    "\n\tmutation RemoveMount($id: ID!) {\n\t\tremoveMount(input: { id: $id }) {\n\t\t\tremovedMountId\n\t\t}\n\t}\n": typeof types.RemoveMountDocument,
    "\n\tquery Users {\n\t\tusers {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t\tcreatedAt\n\t\t}\n\t}\n": typeof types.UsersDocument,
    "\n\tmutation CreateUser($input: CreateUserInput!) {\n\t\tcreateUser(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateUserDocument,
    "\n\tmutation UpdateUserRole($input: UpdateUserRoleInput!) {\n\t\tupdateUserRole(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateUserRoleDocument,
    "\n\tmutation DeleteUser($input: DeleteUserInput!) {\n\t\tdeleteUser(input: $input) {\n\t\t\tdeletedUserId\n\t\t}\n\t}\n": typeof types.DeleteUserDocument,
    "\n\tmutation ChangePassword($input: ChangePasswordInput!) {\n\t\tchangePassword(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ChangePasswordDocument,
    "\n\tfragment WebhookFields on Webhook {\n\t\tid\n\t\tprovider\n\t\turl\n\t\tenabled\n\t\tcreatedAt\n\t\tupdatedAt\n\t}\n": typeof types.WebhookFieldsFragmentDoc,
    "\n\tfragment WebhookDeliveryFields on WebhookDelivery {\n\t\tid\n\t\tprovider\n\t\tevent\n\t\tdeliveryId\n\t\tstatus\n\t\treason\n\t\tbranch\n\t\tcommitSha\n\t\tcommitAuthor\n\t\tcommitMessage\n\t\treceivedAt\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n": typeof types.WebhookDeliveryFieldsFragmentDoc,
    "\n\tquery Webhooks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhooks {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.WebhooksDocument,
    "\n\tquery WebhookDeliveries($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhookDeliveries(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...WebhookDeliveryFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": typeof types.WebhookDeliveriesDocument,
    "\n\tmutation EnableWebhook($applicationId: ID!, $provider: WebhookProvider!) {\n\t\tenableWebhook(input: { applicationId: $applicationId, provider: $provider }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.EnableWebhookDocument,
    "\n\tmutation RotateWebhookSecret($id: ID!) {\n\t\trotateWebhookSecret(input: { id: $id }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RotateWebhookSecretDocument,
    "\n\tmutation DisableWebhook($id: ID!) {\n\t\tdisableWebhook(input: { id: $id }) {\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DisableWebhookDocument,
    "\n\tmutation Redeliver($deliveryId: ID!) {\n\t\tredeliver(input: { deliveryId: $deliveryId }) {\n\t\t\tdelivery {\n\t\t\t\t...WebhookDeliveryFields\n\t\t\t}\n\t\t\tdeployment {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RedeliverDocument,
    "\n\tsubscription WebhookDeliveryReceived($applicationId: ID!) {\n\t\twebhookDeliveryReceived(applicationId: $applicationId) {\n\t\t\t...WebhookDeliveryFields\n\t\t}\n\t}\n": typeof types.WebhookDeliveryReceivedDocument,
};
const documents: Documents = {
    "\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tscope\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n": types.ApiKeyFieldsFragmentDoc,
    "\n\tquery ApiKeys {\n\t\tapiKeys {\n\t\t\t...ApiKeyFields\n\t\t}\n\t}\n": types.ApiKeysDocument,
    "\n\tmutation CreateApiKey($input: CreateApiKeyInput!) {\n\t\tcreateApiKey(input: $input) {\n\t\t\tkey\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateApiKeyDocument,
    "\n\tmutation RevokeApiKey($id: ID!) {\n\t\trevokeApiKey(input: { id: $id }) {\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": types.RevokeApiKeyDocument,
    "\n\tquery Applications($first: Int, $after: String, $status: ApplicationStatus) {\n\t\tapplications(first: $first, after: $after, status: $status) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tdescription\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t\tlatestDeployment {\n\t\t\t\t\t...DeploymentSummary\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": types.ApplicationsDocument,
    "\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t\tlastError\n\t\t\thostKeyFingerprint\n\t\t}\n\t\tcluster {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t}\n\t\treplicas\n\t\tplacementConstraints\n\t\tmaxReplicasPerNode\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tcutoverOrder\n\t\tstaticBuildImage\n\t\tstaticBuildCommand\n\t\tstaticOutputDir\n\t\tspaFallback\n\t\tcomposePath\n\t\tcomposeService\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n": types.ApplicationFieldsFragmentDoc,
    "\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n": types.ApplicationDocument,
    "\n\tquery ApplicationServices($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\timage\n\t\t\t\tcontainerId\n\t\t\t\tcontainerName\n\t\t\t\thostPort\n\t\t\t\tdeploymentId\n\t\t\t\tstate\n\t\t\t\thealth\n\t\t\t}\n\t\t}\n\t}\n": types.ApplicationServicesDocument,
    "\n\tquery ApplicationTasks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\ttasks {\n\t\t\t\tid\n\t\t\t\tnodeId\n\t\t\t\tnodeAddress\n\t\t\t\tport\n\t\t\t\tstate\n\t\t\t\tdesiredState\n\t\t\t\tmessage\n\t\t\t\tcontainerId\n\t\t\t}\n\t\t}\n\t}\n": types.ApplicationTasksDocument,
    "\n\tquery ComposePlan($content: String!, $composeService: String, $applicationId: ID) {\n\t\tcomposePlan(content: $content, composeService: $composeService, applicationId: $applicationId) {\n\t\t\trouted\n\t\t\tvolumes\n\t\t\twarnings\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\timage\n\t\t\t\tbuildContext\n\t\t\t\tport\n\t\t\t\tdependsOn\n\t\t\t\twaitsForHealthy\n\t\t\t\thasHealthcheck\n\t\t\t}\n\t\t}\n\t}\n": types.ComposePlanDocument,
    "\n\tquery Servers {\n\t\tservers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t}\n": types.ServersDocument,
    "\n\tmutation CreateApplication($input: CreateApplicationInput!) {\n\t\tcreateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateApplicationDocument,
    "\n\tmutation UpdateApplication($input: UpdateApplicationInput!) {\n\t\tupdateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateApplicationDocument,
    "\n\tmutation DeleteApplication($id: ID!, $removeVolumes: Boolean!) {\n\t\tdeleteApplication(input: { id: $id, removeVolumes: $removeVolumes }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n": types.DeleteApplicationDocument,
    "\n\tmutation RegenerateDeployKey($applicationId: ID!) {\n\t\tregenerateDeployKey(input: { applicationId: $applicationId }) {\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.RegenerateDeployKeyDocument,
    "\n\tmutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {\n\t\tsetGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.SetGitCredentialsDocument,
    "\n\tmutation ClearGitCredentials($applicationId: ID!) {\n\t\tclearGitCredentials(input: { applicationId: $applicationId }) {\n\t\t\t__typename\n\t\t}\n\t}\n": types.ClearGitCredentialsDocument,
    "\n\tmutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {\n\t\tconfigureHealthCheck(input: $input) {\n\t\t\t__typename\n\t\t}\n\t}\n": types.ConfigureHealthCheckDocument,
    "\n\tquery AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {\n\t\tauditLog(first: $first, after: $after, filter: $filter) {\n\t\t\tedges {\n\t\t\t\tnode {\n\t\t\t\t\tid\n\t\t\t\t\tat\n\t\t\t\t\tactorId\n\t\t\t\t\tactorApiKeyId\n\t\t\t\t\tactorLabel\n\t\t\t\t\tsourceIp\n\t\t\t\t\taction\n\t\t\t\t\tobjectType\n\t\t\t\t\tobjectId\n\t\t\t\t\toutcome\n\t\t\t\t\tmessage\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": types.AuditLogDocument,
    "\n\tfragment ClusterFields on Cluster {\n\t\tid\n\t\tname\n\t\tswarmId\n\t\tcreatedAt\n\t\tmanager {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tedge {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tmembers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t\tapplications {\n\t\t\tid\n\t\t\tname\n\t\t\tstatus\n\t\t\turl\n\t\t\treplicas\n\t\t}\n\t}\n": types.ClusterFieldsFragmentDoc,
    "\n\tfragment ClusterCandidateFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tisLocal\n\t\tstatus\n\t\thostKeyFingerprint\n\t}\n": types.ClusterCandidateFieldsFragmentDoc,
    "\n\tquery ClusterList {\n\t\tclusters {\n\t\t\t...ClusterFields\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n": types.ClusterListDocument,
    "\n\tquery Cluster($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\t...ClusterFields\n\t\t}\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n": types.ClusterDocument,
    "\n\tquery ClusterNodes($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\tid\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\taddress\n\t\t\t\tstate\n\t\t\t\tavailability\n\t\t\t\trole\n\t\t\t\tlabels {\n\t\t\t\t\tkey\n\t\t\t\t\tvalue\n\t\t\t\t}\n\t\t\t\tcpus\n\t\t\t\tmemoryBytes\n\t\t\t\tengineVersion\n\t\t\t\tserver {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": types.ClusterNodesDocument,
    "\n\tquery ClusterChoices {\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": types.ClusterChoicesDocument,
    "\n\tmutation CreateCluster($input: CreateClusterInput!) {\n\t\tcreateCluster(input: $input) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateClusterDocument,
    "\n\tmutation AddClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\taddClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n": types.AddClusterNodeDocument,
    "\n\tmutation RemoveClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\tremoveClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n": types.RemoveClusterNodeDocument,
    "\n\tmutation UpdateClusterNode($input: UpdateClusterNodeInput!) {\n\t\tupdateClusterNode(input: $input) {\n\t\t\tcluster {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateClusterNodeDocument,
    "\n\tmutation DeleteCluster($id: ID!) {\n\t\tdeleteCluster(input: { id: $id }) {\n\t\t\tdeletedClusterId\n\t\t}\n\t}\n": types.DeleteClusterDocument,
    "\n\tquery Dashboard {\n\t\tdashboard {\n\t\t\tapplications {\n\t\t\t\ttotal\n\t\t\t\tcreated\n\t\t\t\tdeploying\n\t\t\t\trunning\n\t\t\t\tfailed\n\t\t\t\tstopped\n\t\t\t}\n\t\t\tdeploymentsLastDay {\n\t\t\t\ttotal\n\t\t\t\tsucceeded\n\t\t\t\tfailed\n\t\t\t\tcancelled\n\t\t\t\tinProgress\n\t\t\t}\n\t\t\trecentDeployments(first: 10) {\n\t\t\t\t...DeploymentSummary\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t\tfailingHealthChecks {\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t\tstatus\n\t\t\t\tconsecutiveFailures\n\t\t\t\trestartCount\n\t\t\t\tlastCheckedAt\n\t\t\t}\n\t\t}\n\t}\n": types.DashboardDocument,
    "\n\tsubscription ServerStats($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tloadAverage1\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n": types.ServerStatsDocument,
    "\n\tfragment DeploymentSummary on Deployment {\n\t\tid\n\t\tstatus\n\t\ttrigger\n\t\tcommitSha\n\t\tcommitMessage\n\t\tcommitAuthor\n\t\timage\n\t\terror\n\t\trollbackOf\n\t\tcreatedAt\n\t\tstartedAt\n\t\tfinishedAt\n\t}\n": types.DeploymentSummaryFragmentDoc,
    "\n\tquery Deployments($applicationId: ID!, $first: Int, $after: String) {\n\t\tdeployments(applicationId: $applicationId, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": types.DeploymentsDocument,
    "\n\tquery Deployment($id: ID!) {\n\t\tdeployment(id: $id) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n": types.DeploymentDocument,
    "\n\tmutation Deploy($applicationId: ID!) {\n\t\tdeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": types.DeployDocument,
    "\n\tmutation Redeploy($applicationId: ID!) {\n\t\tredeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": types.RedeployDocument,
    "\n\tmutation Rollback($deploymentId: ID!) {\n\t\trollback(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": types.RollbackDocument,
    "\n\tmutation CancelDeployment($deploymentId: ID!) {\n\t\tcancelDeployment(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n": types.CancelDeploymentDocument,
    "\n\tsubscription DeploymentLogs($deploymentId: ID!, $afterSeq: Int) {\n\t\tdeploymentLogs(deploymentId: $deploymentId, afterSeq: $afterSeq) {\n\t\t\tseq\n\t\t\tstream\n\t\t\tline\n\t\t\tat\n\t\t}\n\t}\n": types.DeploymentLogsDocument,
    "\n\tsubscription DeploymentUpdated($applicationId: ID) {\n\t\tdeploymentUpdated(applicationId: $applicationId) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t}\n\t\t}\n\t}\n": types.DeploymentUpdatedDocument,
    "\n\tfragment DockerContainerFields on DockerContainer {\n\t\tid\n\t\tname\n\t\timage\n\t\timageId\n\t\tcommand\n\t\tcreatedAt\n\t\tstate\n\t\tstatus\n\t\trunning\n\t\tports {\n\t\t\tcontainerPort\n\t\t\thostIp\n\t\t\thostPort\n\t\t\tprotocol\n\t\t}\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tnetworks\n\t\tvolumes\n\t\tmanaged\n\t\tisActive\n\t\tapplication {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n": types.DockerContainerFieldsFragmentDoc,
    "\n\tquery DockerContainers($all: Boolean!, $managedOnly: Boolean!) {\n\t\tcontainers(all: $all, managedOnly: $managedOnly) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n": types.DockerContainersDocument,
    "\n\tquery DockerContainer($id: ID!) {\n\t\tcontainer(id: $id) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n": types.DockerContainerDocument,
    "\n\tmutation StartContainer($id: ID!) {\n\t\tstartContainer(input: { id: $id }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n": types.StartContainerDocument,
    "\n\tmutation StopContainer($id: ID!, $timeoutSeconds: Int) {\n\t\tstopContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n": types.StopContainerDocument,
    "\n\tmutation RestartContainer($id: ID!, $timeoutSeconds: Int) {\n\t\trestartContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n": types.RestartContainerDocument,
    "\n\tmutation RemoveContainer($id: ID!, $force: Boolean!) {\n\t\tremoveContainer(input: { id: $id, force: $force }) {\n\t\t\tremovedContainerId\n\t\t\tnotice\n\t\t}\n\t}\n": types.RemoveContainerDocument,
    "\n\tsubscription ContainerLogs($containerId: ID!, $tail: Int) {\n\t\tcontainerLogs(containerId: $containerId, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n": types.ContainerLogsDocument,
    "\n\tfragment DockerNetworkFields on DockerNetwork {\n\t\tid\n\t\tname\n\t\tdriver\n\t\tscope\n\t\tinternal\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t}\n": types.DockerNetworkFieldsFragmentDoc,
    "\n\tquery DockerNetworks {\n\t\tnetworks {\n\t\t\t...DockerNetworkFields\n\t\t}\n\t}\n": types.DockerNetworksDocument,
    "\n\tmutation CreateNetwork($input: CreateNetworkInput!) {\n\t\tcreateNetwork(input: $input) {\n\t\t\tnetwork {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateNetworkDocument,
    "\n\tmutation RemoveNetwork($id: ID!) {\n\t\tremoveNetwork(input: { id: $id }) {\n\t\t\tremovedNetworkId\n\t\t}\n\t}\n": types.RemoveNetworkDocument,
    "\n\tfragment DockerVolumeFields on DockerVolume {\n\t\tname\n\t\tdriver\n\t\tmountpoint\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t\torphaned\n\t}\n": types.DockerVolumeFieldsFragmentDoc,
    "\n\tquery DockerVolumes {\n\t\tvolumes {\n\t\t\t...DockerVolumeFields\n\t\t\tsizeBytes\n\t\t}\n\t}\n": types.DockerVolumesDocument,
    "\n\tmutation CreateVolume($input: CreateVolumeInput!) {\n\t\tcreateVolume(input: $input) {\n\t\t\tvolume {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateVolumeDocument,
    "\n\tmutation RemoveVolume($name: String!) {\n\t\tremoveVolume(input: { name: $name }) {\n\t\t\tremovedVolumeName\n\t\t}\n\t}\n": types.RemoveVolumeDocument,
    "\n\tfragment DockerImageFields on DockerImage {\n\t\tid\n\t\ttags\n\t\tsizeBytes\n\t\tcreatedAt\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tcontainers\n\t\tmanaged\n\t\tkept\n\t}\n": types.DockerImageFieldsFragmentDoc,
    "\n\tquery DockerImages {\n\t\timages {\n\t\t\t...DockerImageFields\n\t\t}\n\t}\n": types.DockerImagesDocument,
    "\n\tmutation RemoveImage($id: ID!, $force: Boolean!) {\n\t\tremoveImage(input: { id: $id, force: $force }) {\n\t\t\tremovedImageId\n\t\t\tuntagged\n\t\t\tdeleted\n\t\t}\n\t}\n": types.RemoveImageDocument,
    "\n\tmutation PullImage($reference: String!) {\n\t\tpullImage(input: { reference: $reference }) {\n\t\t\timage {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t}\n\t}\n": types.PullImageDocument,
    "\n\tsubscription DockerEvents($types: [DockerObjectType!]) {\n\t\tdockerEvents(types: $types) {\n\t\t\ttype\n\t\t\taction\n\t\t\tid\n\t\t\tname\n\t\t\ttime\n\t\t}\n\t}\n": types.DockerEventsDocument,
    "\n\tmutation PruneImages($input: PruneImagesInput!) {\n\t\tpruneImages(input: $input) {\n\t\t\tremovedImages {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t\treclaimedBytes\n\t\t\tskippedImages {\n\t\t\t\timage {\n\t\t\t\t\t...DockerImageFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n": types.PruneImagesDocument,
    "\n\tmutation PruneNetworks($input: PruneNetworksInput!) {\n\t\tpruneNetworks(input: $input) {\n\t\t\tremovedNetworks {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t\tskippedNetworks {\n\t\t\t\tnetwork {\n\t\t\t\t\t...DockerNetworkFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n": types.PruneNetworksDocument,
    "\n\tmutation PruneVolumes($input: PruneVolumesInput!) {\n\t\tpruneVolumes(input: $input) {\n\t\t\tremovedVolumes {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t\tskippedVolumes {\n\t\t\t\tvolume {\n\t\t\t\t\t...DockerVolumeFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n": types.PruneVolumesDocument,
    "\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tbuildStrategy\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\thostPort\n\t\t\t}\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tservice\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.DomainsDocument,
    "\n\tmutation AddDomain($applicationId: ID!, $hostname: String!, $service: String) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname, service: $service }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n": types.AddDomainDocument,
    "\n\tmutation RemoveDomain($id: ID!) {\n\t\tremoveDomain(input: { id: $id }) {\n\t\t\tremovedDomainId\n\t\t}\n\t}\n": types.RemoveDomainDocument,
    "\n\tmutation SetPrimaryDomain($id: ID!) {\n\t\tsetPrimaryDomain(input: { id: $id }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": types.SetPrimaryDomainDocument,
    "\n\tmutation VerifyDomain($id: ID!) {\n\t\tverifyDomain(input: { id: $id }) {\n\t\t\tpointsHere\n\t\t\taddresses\n\t\t\tcnames\n\t\t\texplanation\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\tverifiedAt\n\t\t\t}\n\t\t}\n\t}\n": types.VerifyDomainDocument,
    "\n\tquery EnvVars($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tenvVars {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.EnvVarsDocument,
    "\n\tmutation SetEnvVar($input: SetEnvVarInput!) {\n\t\tsetEnvVar(input: $input) {\n\t\t\tenvVar {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.SetEnvVarDocument,
    "\n\tmutation DeleteEnvVar($applicationId: ID!, $key: String!) {\n\t\tdeleteEnvVar(input: { applicationId: $applicationId, key: $key }) {\n\t\t\tdeletedKey\n\t\t}\n\t}\n": types.DeleteEnvVarDocument,
    "\n\tmutation ImportEnvVars($input: ImportEnvVarsInput!) {\n\t\timportEnvVars(input: $input) {\n\t\t\tkeys\n\t\t}\n\t}\n": types.ImportEnvVarsDocument,
    "\n\tquery RevealSecret($applicationId: ID!, $key: String!) {\n\t\trevealSecret(applicationId: $applicationId, key: $key)\n\t}\n": types.RevealSecretDocument,
    "\n\tquery GitAccess($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tgitUrl\n\t\t\tbuildStrategy\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tcreatedAt\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.GitAccessDocument,
    "\n\tfragment HealthStateFields on ApplicationHealth {\n\t\tapplicationId\n\t\tstatus\n\t\tconsecutiveFailures\n\t\trestartCount\n\t\tlastCheckedAt\n\t\tlastRestartAt\n\t\treason\n\t}\n": types.HealthStateFieldsFragmentDoc,
    "\n\tfragment HealthResultFields on HealthCheckResult {\n\t\tid\n\t\thealthy\n\t\tstatusCode\n\t\tresponseTimeMs\n\t\terror\n\t\tdeploymentId\n\t\tcheckedAt\n\t}\n": types.HealthResultFieldsFragmentDoc,
    "\n\tquery Health($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthCheck {\n\t\t\t\tkind\n\t\t\t\tpath\n\t\t\t\tport\n\t\t\t\tintervalSeconds\n\t\t\t\ttimeoutSeconds\n\t\t\t\thealthyThreshold\n\t\t\t\tunhealthyThreshold\n\t\t\t\tstartPeriodSeconds\n\t\t\t\tautoRestart\n\t\t\t}\n\t\t\thealth {\n\t\t\t\t...HealthStateFields\n\t\t\t}\n\t\t}\n\t}\n": types.HealthDocument,
    "\n\tquery HealthResults($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthResults(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...HealthResultFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": types.HealthResultsDocument,
    "\n\tsubscription ApplicationHealth($applicationId: ID!) {\n\t\tapplicationHealth(applicationId: $applicationId) {\n\t\t\t...HealthStateFields\n\t\t}\n\t}\n": types.ApplicationHealthDocument,
    "\n\tfragment StatsSampleFields on StatsSample {\n\t\tcontainerId\n\t\tcpuPercent\n\t\tmemoryUsedBytes\n\t\tmemoryLimitBytes\n\t\tnetworkRxBytes\n\t\tnetworkTxBytes\n\t\tblockReadBytes\n\t\tblockWriteBytes\n\t\tsampledAt\n\t}\n": types.StatsSampleFieldsFragmentDoc,
    "\n\tquery ApplicationStats($id: ID!, $from: DateTime, $to: DateTime) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmemoryLimitBytes\n\t\t\tstats(from: $from, to: $to) {\n\t\t\t\tresolution\n\t\t\t\tfrom\n\t\t\t\tto\n\t\t\t\tsamples {\n\t\t\t\t\t...StatsSampleFields\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": types.ApplicationStatsDocument,
    "\n\tsubscription ApplicationStatsLive($applicationId: ID!) {\n\t\tapplicationStats(applicationId: $applicationId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n": types.ApplicationStatsLiveDocument,
    "\n\tsubscription ContainerStatsLive($containerId: ID!) {\n\t\tcontainerStats(containerId: $containerId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n": types.ContainerStatsLiveDocument,
    "\n\tsubscription ApplicationLogs($applicationId: ID!, $service: String, $tail: Int) {\n\t\tapplicationLogs(applicationId: $applicationId, service: $service, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n": types.ApplicationLogsDocument,
    "\n\tfragment ServerFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tport\n\t\tusername\n\t\tisLocal\n\t\tstatus\n\t\tlastCheckedAt\n\t\tdockerSocket\n\t\tpublicKey\n\t\thostKeyFingerprint\n\t\tdockerVersion\n\t\tcpus\n\t\tmemoryBytes\n\t\tdiskTotalBytes\n\t\tdiskFreeBytes\n\t\tlastError\n\t\tcreatedAt\n\t}\n": types.ServerFieldsFragmentDoc,
    "\n\tquery ServerList {\n\t\tservers {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuPercent\n\t\t\t}\n\t\t}\n\t}\n": types.ServerListDocument,
    "\n\tquery Server($id: ID!, $first: Int, $after: String) {\n\t\tserver(id: $id) {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuCount\n\t\t\t\tdockerReachable\n\t\t\t\tdockerVersion\n\t\t\t}\n\t\t}\n\t\tapplications(serverId: $id, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": types.ServerDocument,
    "\n\tmutation CreateServer($input: CreateServerInput!) {\n\t\tcreateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateServerDocument,
    "\n\tmutation UpdateServer($input: UpdateServerInput!) {\n\t\tupdateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateServerDocument,
    "\n\tmutation DeleteServer($id: ID!) {\n\t\tdeleteServer(input: { id: $id }) {\n\t\t\tdeletedServerId\n\t\t}\n\t}\n": types.DeleteServerDocument,
    "\n\tmutation ValidateServer($id: ID!) {\n\t\tvalidateServer(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": types.ValidateServerDocument,
    "\n\tmutation AcceptServerHostKey($id: ID!) {\n\t\tacceptServerHostKey(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n": types.AcceptServerHostKeyDocument,
    "\n\tsubscription ServerStatsLive($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tserverId\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tloadAverage1\n\t\t\tloadAverage5\n\t\t\tloadAverage15\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n": types.ServerStatsLiveDocument,
    "\n\tsubscription ServerStatusChanged {\n\t\tserverStatusChanged {\n\t\t\t...ServerFields\n\t\t}\n\t}\n": types.ServerStatusChangedDocument,
    "\n\tquery Registration {\n\t\tregistration {\n\t\t\tfirstRun\n\t\t\topen\n\t\t}\n\t}\n": types.RegistrationDocument,
    "\n\tquery Me {\n\t\tme {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t}\n\t}\n": types.MeDocument,
    "\n\tmutation Login($email: String!, $password: String!) {\n\t\tlogin(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": types.LoginDocument,
    "\n\tmutation Register($email: String!, $password: String!) {\n\t\tregister(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": types.RegisterDocument,
    "\n\tmutation Logout {\n\t\tlogout {\n\t\t\tok\n\t\t}\n\t}\n": types.LogoutDocument,
    "\n\tmutation LogoutEverywhere {\n\t\tlogoutEverywhere {\n\t\t\tok\n\t\t}\n\t}\n": types.LogoutEverywhereDocument,
    "\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n": types.InstallationSettingsDocument,
    "\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n": types.UpdateInstallationSettingsDocument,
    "\n\tfragment MountFields on Mount {\n\t\tid\n\t\tkind\n\t\tvolume\n\t\tvolumeName\n\t\thostPath\n\t\tcontainerPath\n\t\treadOnly\n\t\tsizeBytes\n\t\tcreatedAt\n\t}\n": types.MountFieldsFragmentDoc,
    "\n\tquery Mounts($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmounts {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n": types.MountsDocument,
    "\n\tmutation AddMount($input: AddMountInput!) {\n\t\taddMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n": types.AddMountDocument,
    "\n\tmutation UpdateMount($input: UpdateMountInput!) {\n\t\tupdateMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateMountDocument,
    "\n\tmutation RemoveMount($id: ID!) {\n\t\tremoveMount(input: { id: $id }) {\n\t\t\tremovedMountId\n\t\t}\n\t}\n": types.RemoveMountDocument,
    "\n\tquery Users {\n\t\tusers {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t\tcreatedAt\n\t\t}\n\t}\n": types.UsersDocument,
    "\n\tmutation CreateUser($input: CreateUserInput!) {\n\t\tcreateUser(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.CreateUserDocument,
    "\n\tmutation UpdateUserRole($input: UpdateUserRoleInput!) {\n\t\tupdateUserRole(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateUserRoleDocument,
    "\n\tmutation DeleteUser($input: DeleteUserInput!) {\n\t\tdeleteUser(input: $input) {\n\t\t\tdeletedUserId\n\t\t}\n\t}\n": types.DeleteUserDocument,
    "\n\tmutation ChangePassword($input: ChangePasswordInput!) {\n\t\tchangePassword(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": types.ChangePasswordDocument,
    "\n\tfragment WebhookFields on Webhook {\n\t\tid\n\t\tprovider\n\t\turl\n\t\tenabled\n\t\tcreatedAt\n\t\tupdatedAt\n\t}\n": types.WebhookFieldsFragmentDoc,
    "\n\tfragment WebhookDeliveryFields on WebhookDelivery {\n\t\tid\n\t\tprovider\n\t\tevent\n\t\tdeliveryId\n\t\tstatus\n\t\treason\n\t\tbranch\n\t\tcommitSha\n\t\tcommitAuthor\n\t\tcommitMessage\n\t\treceivedAt\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n": types.WebhookDeliveryFieldsFragmentDoc,
    "\n\tquery Webhooks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhooks {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": types.WebhooksDocument,
    "\n\tquery WebhookDeliveries($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhookDeliveries(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...WebhookDeliveryFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n": types.WebhookDeliveriesDocument,
    "\n\tmutation EnableWebhook($applicationId: ID!, $provider: WebhookProvider!) {\n\t\tenableWebhook(input: { applicationId: $applicationId, provider: $provider }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": types.EnableWebhookDocument,
    "\n\tmutation RotateWebhookSecret($id: ID!) {\n\t\trotateWebhookSecret(input: { id: $id }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": types.RotateWebhookSecretDocument,
    "\n\tmutation DisableWebhook($id: ID!) {\n\t\tdisableWebhook(input: { id: $id }) {\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n": types.DisableWebhookDocument,
    "\n\tmutation Redeliver($deliveryId: ID!) {\n\t\tredeliver(input: { deliveryId: $deliveryId }) {\n\t\t\tdelivery {\n\t\t\t\t...WebhookDeliveryFields\n\t\t\t}\n\t\t\tdeployment {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": types.RedeliverDocument,
    "\n\tsubscription WebhookDeliveryReceived($applicationId: ID!) {\n\t\twebhookDeliveryReceived(applicationId: $applicationId) {\n\t\t\t...WebhookDeliveryFields\n\t\t}\n\t}\n": types.WebhookDeliveryReceivedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tscope\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n"): (typeof documents)["\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tscope\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ApiKeys {\n\t\tapiKeys {\n\t\t\t...ApiKeyFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ApiKeys {\n\t\tapiKeys {\n\t\t\t...ApiKeyFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateApiKey($input: CreateApiKeyInput!) {\n\t\tcreateApiKey(input: $input) {\n\t\t\tkey\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateApiKey($input: CreateApiKeyInput!) {\n\t\tcreateApiKey(input: $input) {\n\t\t\tkey\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RevokeApiKey($id: ID!) {\n\t\trevokeApiKey(input: { id: $id }) {\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RevokeApiKey($id: ID!) {\n\t\trevokeApiKey(input: { id: $id }) {\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Applications($first: Int, $after: String, $status: ApplicationStatus) {\n\t\tapplications(first: $first, after: $after, status: $status) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tdescription\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t\tlatestDeployment {\n\t\t\t\t\t...DeploymentSummary\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Applications($first: Int, $after: String, $status: ApplicationStatus) {\n\t\tapplications(first: $first, after: $after, status: $status) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tdescription\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t\tlatestDeployment {\n\t\t\t\t\t...DeploymentSummary\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t\tlastError\n\t\t\thostKeyFingerprint\n\t\t}\n\t\tcluster {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t}\n\t\treplicas\n\t\tplacementConstraints\n\t\tmaxReplicasPerNode\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tcutoverOrder\n\t\tstaticBuildImage\n\t\tstaticBuildCommand\n\t\tstaticOutputDir\n\t\tspaFallback\n\t\tcomposePath\n\t\tcomposeService\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n"): (typeof documents)["\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t\tlastError\n\t\t\thostKeyFingerprint\n\t\t}\n\t\tcluster {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t}\n\t\treplicas\n\t\tplacementConstraints\n\t\tmaxReplicasPerNode\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tcutoverOrder\n\t\tstaticBuildImage\n\t\tstaticBuildCommand\n\t\tstaticOutputDir\n\t\tspaFallback\n\t\tcomposePath\n\t\tcomposeService\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ApplicationServices($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\timage\n\t\t\t\tcontainerId\n\t\t\t\tcontainerName\n\t\t\t\thostPort\n\t\t\t\tdeploymentId\n\t\t\t\tstate\n\t\t\t\thealth\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ApplicationServices($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\timage\n\t\t\t\tcontainerId\n\t\t\t\tcontainerName\n\t\t\t\thostPort\n\t\t\t\tdeploymentId\n\t\t\t\tstate\n\t\t\t\thealth\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ApplicationTasks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\ttasks {\n\t\t\t\tid\n\t\t\t\tnodeId\n\t\t\t\tnodeAddress\n\t\t\t\tport\n\t\t\t\tstate\n\t\t\t\tdesiredState\n\t\t\t\tmessage\n\t\t\t\tcontainerId\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ApplicationTasks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\ttasks {\n\t\t\t\tid\n\t\t\t\tnodeId\n\t\t\t\tnodeAddress\n\t\t\t\tport\n\t\t\t\tstate\n\t\t\t\tdesiredState\n\t\t\t\tmessage\n\t\t\t\tcontainerId\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ComposePlan($content: String!, $composeService: String, $applicationId: ID) {\n\t\tcomposePlan(content: $content, composeService: $composeService, applicationId: $applicationId) {\n\t\t\trouted\n\t\t\tvolumes\n\t\t\twarnings\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\timage\n\t\t\t\tbuildContext\n\t\t\t\tport\n\t\t\t\tdependsOn\n\t\t\t\twaitsForHealthy\n\t\t\t\thasHealthcheck\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ComposePlan($content: String!, $composeService: String, $applicationId: ID) {\n\t\tcomposePlan(content: $content, composeService: $composeService, applicationId: $applicationId) {\n\t\t\trouted\n\t\t\tvolumes\n\t\t\twarnings\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\timage\n\t\t\t\tbuildContext\n\t\t\t\tport\n\t\t\t\tdependsOn\n\t\t\t\twaitsForHealthy\n\t\t\t\thasHealthcheck\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Servers {\n\t\tservers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Servers {\n\t\tservers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateApplication($input: CreateApplicationInput!) {\n\t\tcreateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateApplication($input: CreateApplicationInput!) {\n\t\tcreateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateApplication($input: UpdateApplicationInput!) {\n\t\tupdateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateApplication($input: UpdateApplicationInput!) {\n\t\tupdateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation DeleteApplication($id: ID!, $removeVolumes: Boolean!) {\n\t\tdeleteApplication(input: { id: $id, removeVolumes: $removeVolumes }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DeleteApplication($id: ID!, $removeVolumes: Boolean!) {\n\t\tdeleteApplication(input: { id: $id, removeVolumes: $removeVolumes }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RegenerateDeployKey($applicationId: ID!) {\n\t\tregenerateDeployKey(input: { applicationId: $applicationId }) {\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RegenerateDeployKey($applicationId: ID!) {\n\t\tregenerateDeployKey(input: { applicationId: $applicationId }) {\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {\n\t\tsetGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {\n\t\tsetGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation ClearGitCredentials($applicationId: ID!) {\n\t\tclearGitCredentials(input: { applicationId: $applicationId }) {\n\t\t\t__typename\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation ClearGitCredentials($applicationId: ID!) {\n\t\tclearGitCredentials(input: { applicationId: $applicationId }) {\n\t\t\t__typename\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {\n\t\tconfigureHealthCheck(input: $input) {\n\t\t\t__typename\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {\n\t\tconfigureHealthCheck(input: $input) {\n\t\t\t__typename\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {\n\t\tauditLog(first: $first, after: $after, filter: $filter) {\n\t\t\tedges {\n\t\t\t\tnode {\n\t\t\t\t\tid\n\t\t\t\t\tat\n\t\t\t\t\tactorId\n\t\t\t\t\tactorApiKeyId\n\t\t\t\t\tactorLabel\n\t\t\t\t\tsourceIp\n\t\t\t\t\taction\n\t\t\t\t\tobjectType\n\t\t\t\t\tobjectId\n\t\t\t\t\toutcome\n\t\t\t\t\tmessage\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery AuditLog($first: Int, $after: String, $filter: AuditLogFilter) {\n\t\tauditLog(first: $first, after: $after, filter: $filter) {\n\t\t\tedges {\n\t\t\t\tnode {\n\t\t\t\t\tid\n\t\t\t\t\tat\n\t\t\t\t\tactorId\n\t\t\t\t\tactorApiKeyId\n\t\t\t\t\tactorLabel\n\t\t\t\t\tsourceIp\n\t\t\t\t\taction\n\t\t\t\t\tobjectType\n\t\t\t\t\tobjectId\n\t\t\t\t\toutcome\n\t\t\t\t\tmessage\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment ClusterFields on Cluster {\n\t\tid\n\t\tname\n\t\tswarmId\n\t\tcreatedAt\n\t\tmanager {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tedge {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tmembers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t\tapplications {\n\t\t\tid\n\t\t\tname\n\t\t\tstatus\n\t\t\turl\n\t\t\treplicas\n\t\t}\n\t}\n"): (typeof documents)["\n\tfragment ClusterFields on Cluster {\n\t\tid\n\t\tname\n\t\tswarmId\n\t\tcreatedAt\n\t\tmanager {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tedge {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t}\n\t\tmembers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t\tapplications {\n\t\t\tid\n\t\t\tname\n\t\t\tstatus\n\t\t\turl\n\t\t\treplicas\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment ClusterCandidateFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tisLocal\n\t\tstatus\n\t\thostKeyFingerprint\n\t}\n"): (typeof documents)["\n\tfragment ClusterCandidateFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tisLocal\n\t\tstatus\n\t\thostKeyFingerprint\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ClusterList {\n\t\tclusters {\n\t\t\t...ClusterFields\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ClusterList {\n\t\tclusters {\n\t\t\t...ClusterFields\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Cluster($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\t...ClusterFields\n\t\t}\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Cluster($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\t...ClusterFields\n\t\t}\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t\tservers {\n\t\t\t...ClusterCandidateFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ClusterNodes($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\tid\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\taddress\n\t\t\t\tstate\n\t\t\t\tavailability\n\t\t\t\trole\n\t\t\t\tlabels {\n\t\t\t\t\tkey\n\t\t\t\t\tvalue\n\t\t\t\t}\n\t\t\t\tcpus\n\t\t\t\tmemoryBytes\n\t\t\t\tengineVersion\n\t\t\t\tserver {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ClusterNodes($id: ID!) {\n\t\tcluster(id: $id) {\n\t\t\tid\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\taddress\n\t\t\t\tstate\n\t\t\t\tavailability\n\t\t\t\trole\n\t\t\t\tlabels {\n\t\t\t\t\tkey\n\t\t\t\t\tvalue\n\t\t\t\t}\n\t\t\t\tcpus\n\t\t\t\tmemoryBytes\n\t\t\t\tengineVersion\n\t\t\t\tserver {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ClusterChoices {\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ClusterChoices {\n\t\tclusters {\n\t\t\tid\n\t\t\tname\n\t\t\tedge {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\thost\n\t\t\t}\n\t\t\tmembers {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateCluster($input: CreateClusterInput!) {\n\t\tcreateCluster(input: $input) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateCluster($input: CreateClusterInput!) {\n\t\tcreateCluster(input: $input) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation AddClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\taddClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation AddClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\taddClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\tremoveClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveClusterNode($clusterId: ID!, $serverId: ID!) {\n\t\tremoveClusterNode(input: { clusterId: $clusterId, serverId: $serverId }) {\n\t\t\tcluster {\n\t\t\t\t...ClusterFields\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateClusterNode($input: UpdateClusterNodeInput!) {\n\t\tupdateClusterNode(input: $input) {\n\t\t\tcluster {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateClusterNode($input: UpdateClusterNodeInput!) {\n\t\tupdateClusterNode(input: $input) {\n\t\t\tcluster {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation DeleteCluster($id: ID!) {\n\t\tdeleteCluster(input: { id: $id }) {\n\t\t\tdeletedClusterId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DeleteCluster($id: ID!) {\n\t\tdeleteCluster(input: { id: $id }) {\n\t\t\tdeletedClusterId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Dashboard {\n\t\tdashboard {\n\t\t\tapplications {\n\t\t\t\ttotal\n\t\t\t\tcreated\n\t\t\t\tdeploying\n\t\t\t\trunning\n\t\t\t\tfailed\n\t\t\t\tstopped\n\t\t\t}\n\t\t\tdeploymentsLastDay {\n\t\t\t\ttotal\n\t\t\t\tsucceeded\n\t\t\t\tfailed\n\t\t\t\tcancelled\n\t\t\t\tinProgress\n\t\t\t}\n\t\t\trecentDeployments(first: 10) {\n\t\t\t\t...DeploymentSummary\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t\tfailingHealthChecks {\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t\tstatus\n\t\t\t\tconsecutiveFailures\n\t\t\t\trestartCount\n\t\t\t\tlastCheckedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Dashboard {\n\t\tdashboard {\n\t\t\tapplications {\n\t\t\t\ttotal\n\t\t\t\tcreated\n\t\t\t\tdeploying\n\t\t\t\trunning\n\t\t\t\tfailed\n\t\t\t\tstopped\n\t\t\t}\n\t\t\tdeploymentsLastDay {\n\t\t\t\ttotal\n\t\t\t\tsucceeded\n\t\t\t\tfailed\n\t\t\t\tcancelled\n\t\t\t\tinProgress\n\t\t\t}\n\t\t\trecentDeployments(first: 10) {\n\t\t\t\t...DeploymentSummary\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t}\n\t\t\tserver {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t\tfailingHealthChecks {\n\t\t\t\tapplication {\n\t\t\t\t\tid\n\t\t\t\t\tname\n\t\t\t\t}\n\t\t\t\tstatus\n\t\t\t\tconsecutiveFailures\n\t\t\t\trestartCount\n\t\t\t\tlastCheckedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ServerStats($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tloadAverage1\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ServerStats($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tloadAverage1\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment DeploymentSummary on Deployment {\n\t\tid\n\t\tstatus\n\t\ttrigger\n\t\tcommitSha\n\t\tcommitMessage\n\t\tcommitAuthor\n\t\timage\n\t\terror\n\t\trollbackOf\n\t\tcreatedAt\n\t\tstartedAt\n\t\tfinishedAt\n\t}\n"): (typeof documents)["\n\tfragment DeploymentSummary on Deployment {\n\t\tid\n\t\tstatus\n\t\ttrigger\n\t\tcommitSha\n\t\tcommitMessage\n\t\tcommitAuthor\n\t\timage\n\t\terror\n\t\trollbackOf\n\t\tcreatedAt\n\t\tstartedAt\n\t\tfinishedAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Deployments($applicationId: ID!, $first: Int, $after: String) {\n\t\tdeployments(applicationId: $applicationId, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Deployments($applicationId: ID!, $first: Int, $after: String) {\n\t\tdeployments(applicationId: $applicationId, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Deployment($id: ID!) {\n\t\tdeployment(id: $id) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Deployment($id: ID!) {\n\t\tdeployment(id: $id) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Deploy($applicationId: ID!) {\n\t\tdeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Deploy($applicationId: ID!) {\n\t\tdeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Redeploy($applicationId: ID!) {\n\t\tredeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Redeploy($applicationId: ID!) {\n\t\tredeploy(input: { applicationId: $applicationId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Rollback($deploymentId: ID!) {\n\t\trollback(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Rollback($deploymentId: ID!) {\n\t\trollback(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CancelDeployment($deploymentId: ID!) {\n\t\tcancelDeployment(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CancelDeployment($deploymentId: ID!) {\n\t\tcancelDeployment(input: { deploymentId: $deploymentId }) {\n\t\t\tdeployment {\n\t\t\t\t...DeploymentSummary\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription DeploymentLogs($deploymentId: ID!, $afterSeq: Int) {\n\t\tdeploymentLogs(deploymentId: $deploymentId, afterSeq: $afterSeq) {\n\t\t\tseq\n\t\t\tstream\n\t\t\tline\n\t\t\tat\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription DeploymentLogs($deploymentId: ID!, $afterSeq: Int) {\n\t\tdeploymentLogs(deploymentId: $deploymentId, afterSeq: $afterSeq) {\n\t\t\tseq\n\t\t\tstream\n\t\t\tline\n\t\t\tat\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription DeploymentUpdated($applicationId: ID) {\n\t\tdeploymentUpdated(applicationId: $applicationId) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription DeploymentUpdated($applicationId: ID) {\n\t\tdeploymentUpdated(applicationId: $applicationId) {\n\t\t\t...DeploymentSummary\n\t\t\tapplication {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment DockerContainerFields on DockerContainer {\n\t\tid\n\t\tname\n\t\timage\n\t\timageId\n\t\tcommand\n\t\tcreatedAt\n\t\tstate\n\t\tstatus\n\t\trunning\n\t\tports {\n\t\t\tcontainerPort\n\t\t\thostIp\n\t\t\thostPort\n\t\t\tprotocol\n\t\t}\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tnetworks\n\t\tvolumes\n\t\tmanaged\n\t\tisActive\n\t\tapplication {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n"): (typeof documents)["\n\tfragment DockerContainerFields on DockerContainer {\n\t\tid\n\t\tname\n\t\timage\n\t\timageId\n\t\tcommand\n\t\tcreatedAt\n\t\tstate\n\t\tstatus\n\t\trunning\n\t\tports {\n\t\t\tcontainerPort\n\t\t\thostIp\n\t\t\thostPort\n\t\t\tprotocol\n\t\t}\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tnetworks\n\t\tvolumes\n\t\tmanaged\n\t\tisActive\n\t\tapplication {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery DockerContainers($all: Boolean!, $managedOnly: Boolean!) {\n\t\tcontainers(all: $all, managedOnly: $managedOnly) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery DockerContainers($all: Boolean!, $managedOnly: Boolean!) {\n\t\tcontainers(all: $all, managedOnly: $managedOnly) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery DockerContainer($id: ID!) {\n\t\tcontainer(id: $id) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery DockerContainer($id: ID!) {\n\t\tcontainer(id: $id) {\n\t\t\t...DockerContainerFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation StartContainer($id: ID!) {\n\t\tstartContainer(input: { id: $id }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation StartContainer($id: ID!) {\n\t\tstartContainer(input: { id: $id }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation StopContainer($id: ID!, $timeoutSeconds: Int) {\n\t\tstopContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation StopContainer($id: ID!, $timeoutSeconds: Int) {\n\t\tstopContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RestartContainer($id: ID!, $timeoutSeconds: Int) {\n\t\trestartContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RestartContainer($id: ID!, $timeoutSeconds: Int) {\n\t\trestartContainer(input: { id: $id, timeoutSeconds: $timeoutSeconds }) {\n\t\t\tcontainer {\n\t\t\t\t...DockerContainerFields\n\t\t\t}\n\t\t\tnotice\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveContainer($id: ID!, $force: Boolean!) {\n\t\tremoveContainer(input: { id: $id, force: $force }) {\n\t\t\tremovedContainerId\n\t\t\tnotice\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveContainer($id: ID!, $force: Boolean!) {\n\t\tremoveContainer(input: { id: $id, force: $force }) {\n\t\t\tremovedContainerId\n\t\t\tnotice\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ContainerLogs($containerId: ID!, $tail: Int) {\n\t\tcontainerLogs(containerId: $containerId, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ContainerLogs($containerId: ID!, $tail: Int) {\n\t\tcontainerLogs(containerId: $containerId, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment DockerNetworkFields on DockerNetwork {\n\t\tid\n\t\tname\n\t\tdriver\n\t\tscope\n\t\tinternal\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t}\n"): (typeof documents)["\n\tfragment DockerNetworkFields on DockerNetwork {\n\t\tid\n\t\tname\n\t\tdriver\n\t\tscope\n\t\tinternal\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery DockerNetworks {\n\t\tnetworks {\n\t\t\t...DockerNetworkFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery DockerNetworks {\n\t\tnetworks {\n\t\t\t...DockerNetworkFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateNetwork($input: CreateNetworkInput!) {\n\t\tcreateNetwork(input: $input) {\n\t\t\tnetwork {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateNetwork($input: CreateNetworkInput!) {\n\t\tcreateNetwork(input: $input) {\n\t\t\tnetwork {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveNetwork($id: ID!) {\n\t\tremoveNetwork(input: { id: $id }) {\n\t\t\tremovedNetworkId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveNetwork($id: ID!) {\n\t\tremoveNetwork(input: { id: $id }) {\n\t\t\tremovedNetworkId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment DockerVolumeFields on DockerVolume {\n\t\tname\n\t\tdriver\n\t\tmountpoint\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t\torphaned\n\t}\n"): (typeof documents)["\n\tfragment DockerVolumeFields on DockerVolume {\n\t\tname\n\t\tdriver\n\t\tmountpoint\n\t\tcreatedAt\n\t\tcontainers\n\t\tmanaged\n\t\torphaned\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery DockerVolumes {\n\t\tvolumes {\n\t\t\t...DockerVolumeFields\n\t\t\tsizeBytes\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery DockerVolumes {\n\t\tvolumes {\n\t\t\t...DockerVolumeFields\n\t\t\tsizeBytes\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateVolume($input: CreateVolumeInput!) {\n\t\tcreateVolume(input: $input) {\n\t\t\tvolume {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateVolume($input: CreateVolumeInput!) {\n\t\tcreateVolume(input: $input) {\n\t\t\tvolume {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveVolume($name: String!) {\n\t\tremoveVolume(input: { name: $name }) {\n\t\t\tremovedVolumeName\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveVolume($name: String!) {\n\t\tremoveVolume(input: { name: $name }) {\n\t\t\tremovedVolumeName\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment DockerImageFields on DockerImage {\n\t\tid\n\t\ttags\n\t\tsizeBytes\n\t\tcreatedAt\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tcontainers\n\t\tmanaged\n\t\tkept\n\t}\n"): (typeof documents)["\n\tfragment DockerImageFields on DockerImage {\n\t\tid\n\t\ttags\n\t\tsizeBytes\n\t\tcreatedAt\n\t\tlabels {\n\t\t\tkey\n\t\t\tvalue\n\t\t}\n\t\tcontainers\n\t\tmanaged\n\t\tkept\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery DockerImages {\n\t\timages {\n\t\t\t...DockerImageFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery DockerImages {\n\t\timages {\n\t\t\t...DockerImageFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveImage($id: ID!, $force: Boolean!) {\n\t\tremoveImage(input: { id: $id, force: $force }) {\n\t\t\tremovedImageId\n\t\t\tuntagged\n\t\t\tdeleted\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveImage($id: ID!, $force: Boolean!) {\n\t\tremoveImage(input: { id: $id, force: $force }) {\n\t\t\tremovedImageId\n\t\t\tuntagged\n\t\t\tdeleted\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation PullImage($reference: String!) {\n\t\tpullImage(input: { reference: $reference }) {\n\t\t\timage {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation PullImage($reference: String!) {\n\t\tpullImage(input: { reference: $reference }) {\n\t\t\timage {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription DockerEvents($types: [DockerObjectType!]) {\n\t\tdockerEvents(types: $types) {\n\t\t\ttype\n\t\t\taction\n\t\t\tid\n\t\t\tname\n\t\t\ttime\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription DockerEvents($types: [DockerObjectType!]) {\n\t\tdockerEvents(types: $types) {\n\t\t\ttype\n\t\t\taction\n\t\t\tid\n\t\t\tname\n\t\t\ttime\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation PruneImages($input: PruneImagesInput!) {\n\t\tpruneImages(input: $input) {\n\t\t\tremovedImages {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t\treclaimedBytes\n\t\t\tskippedImages {\n\t\t\t\timage {\n\t\t\t\t\t...DockerImageFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation PruneImages($input: PruneImagesInput!) {\n\t\tpruneImages(input: $input) {\n\t\t\tremovedImages {\n\t\t\t\t...DockerImageFields\n\t\t\t}\n\t\t\treclaimedBytes\n\t\t\tskippedImages {\n\t\t\t\timage {\n\t\t\t\t\t...DockerImageFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation PruneNetworks($input: PruneNetworksInput!) {\n\t\tpruneNetworks(input: $input) {\n\t\t\tremovedNetworks {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t\tskippedNetworks {\n\t\t\t\tnetwork {\n\t\t\t\t\t...DockerNetworkFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation PruneNetworks($input: PruneNetworksInput!) {\n\t\tpruneNetworks(input: $input) {\n\t\t\tremovedNetworks {\n\t\t\t\t...DockerNetworkFields\n\t\t\t}\n\t\t\tskippedNetworks {\n\t\t\t\tnetwork {\n\t\t\t\t\t...DockerNetworkFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation PruneVolumes($input: PruneVolumesInput!) {\n\t\tpruneVolumes(input: $input) {\n\t\t\tremovedVolumes {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t\tskippedVolumes {\n\t\t\t\tvolume {\n\t\t\t\t\t...DockerVolumeFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation PruneVolumes($input: PruneVolumesInput!) {\n\t\tpruneVolumes(input: $input) {\n\t\t\tremovedVolumes {\n\t\t\t\t...DockerVolumeFields\n\t\t\t}\n\t\t\tskippedVolumes {\n\t\t\t\tvolume {\n\t\t\t\t\t...DockerVolumeFields\n\t\t\t\t}\n\t\t\t\treason\n\t\t\t}\n\t\t\tdryRun\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tbuildStrategy\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\thostPort\n\t\t\t}\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tservice\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tbuildStrategy\n\t\t\tservices {\n\t\t\t\tname\n\t\t\t\trouted\n\t\t\t\thostPort\n\t\t\t}\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tservice\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation AddDomain($applicationId: ID!, $hostname: String!, $service: String) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname, service: $service }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation AddDomain($applicationId: ID!, $hostname: String!, $service: String) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname, service: $service }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveDomain($id: ID!) {\n\t\tremoveDomain(input: { id: $id }) {\n\t\t\tremovedDomainId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveDomain($id: ID!) {\n\t\tremoveDomain(input: { id: $id }) {\n\t\t\tremovedDomainId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation SetPrimaryDomain($id: ID!) {\n\t\tsetPrimaryDomain(input: { id: $id }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation SetPrimaryDomain($id: ID!) {\n\t\tsetPrimaryDomain(input: { id: $id }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation VerifyDomain($id: ID!) {\n\t\tverifyDomain(input: { id: $id }) {\n\t\t\tpointsHere\n\t\t\taddresses\n\t\t\tcnames\n\t\t\texplanation\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\tverifiedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation VerifyDomain($id: ID!) {\n\t\tverifyDomain(input: { id: $id }) {\n\t\t\tpointsHere\n\t\t\taddresses\n\t\t\tcnames\n\t\t\texplanation\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\tverifiedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery EnvVars($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tenvVars {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery EnvVars($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tenvVars {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation SetEnvVar($input: SetEnvVarInput!) {\n\t\tsetEnvVar(input: $input) {\n\t\t\tenvVar {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation SetEnvVar($input: SetEnvVarInput!) {\n\t\tsetEnvVar(input: $input) {\n\t\t\tenvVar {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation DeleteEnvVar($applicationId: ID!, $key: String!) {\n\t\tdeleteEnvVar(input: { applicationId: $applicationId, key: $key }) {\n\t\t\tdeletedKey\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DeleteEnvVar($applicationId: ID!, $key: String!) {\n\t\tdeleteEnvVar(input: { applicationId: $applicationId, key: $key }) {\n\t\t\tdeletedKey\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation ImportEnvVars($input: ImportEnvVarsInput!) {\n\t\timportEnvVars(input: $input) {\n\t\t\tkeys\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation ImportEnvVars($input: ImportEnvVarsInput!) {\n\t\timportEnvVars(input: $input) {\n\t\t\tkeys\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery RevealSecret($applicationId: ID!, $key: String!) {\n\t\trevealSecret(applicationId: $applicationId, key: $key)\n\t}\n"): (typeof documents)["\n\tquery RevealSecret($applicationId: ID!, $key: String!) {\n\t\trevealSecret(applicationId: $applicationId, key: $key)\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery GitAccess($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tgitUrl\n\t\t\tbuildStrategy\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tcreatedAt\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery GitAccess($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tgitUrl\n\t\t\tbuildStrategy\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tcreatedAt\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment HealthStateFields on ApplicationHealth {\n\t\tapplicationId\n\t\tstatus\n\t\tconsecutiveFailures\n\t\trestartCount\n\t\tlastCheckedAt\n\t\tlastRestartAt\n\t\treason\n\t}\n"): (typeof documents)["\n\tfragment HealthStateFields on ApplicationHealth {\n\t\tapplicationId\n\t\tstatus\n\t\tconsecutiveFailures\n\t\trestartCount\n\t\tlastCheckedAt\n\t\tlastRestartAt\n\t\treason\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment HealthResultFields on HealthCheckResult {\n\t\tid\n\t\thealthy\n\t\tstatusCode\n\t\tresponseTimeMs\n\t\terror\n\t\tdeploymentId\n\t\tcheckedAt\n\t}\n"): (typeof documents)["\n\tfragment HealthResultFields on HealthCheckResult {\n\t\tid\n\t\thealthy\n\t\tstatusCode\n\t\tresponseTimeMs\n\t\terror\n\t\tdeploymentId\n\t\tcheckedAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Health($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthCheck {\n\t\t\t\tkind\n\t\t\t\tpath\n\t\t\t\tport\n\t\t\t\tintervalSeconds\n\t\t\t\ttimeoutSeconds\n\t\t\t\thealthyThreshold\n\t\t\t\tunhealthyThreshold\n\t\t\t\tstartPeriodSeconds\n\t\t\t\tautoRestart\n\t\t\t}\n\t\t\thealth {\n\t\t\t\t...HealthStateFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Health($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthCheck {\n\t\t\t\tkind\n\t\t\t\tpath\n\t\t\t\tport\n\t\t\t\tintervalSeconds\n\t\t\t\ttimeoutSeconds\n\t\t\t\thealthyThreshold\n\t\t\t\tunhealthyThreshold\n\t\t\t\tstartPeriodSeconds\n\t\t\t\tautoRestart\n\t\t\t}\n\t\t\thealth {\n\t\t\t\t...HealthStateFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery HealthResults($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthResults(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...HealthResultFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery HealthResults($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\thealthResults(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...HealthResultFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ApplicationHealth($applicationId: ID!) {\n\t\tapplicationHealth(applicationId: $applicationId) {\n\t\t\t...HealthStateFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ApplicationHealth($applicationId: ID!) {\n\t\tapplicationHealth(applicationId: $applicationId) {\n\t\t\t...HealthStateFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment StatsSampleFields on StatsSample {\n\t\tcontainerId\n\t\tcpuPercent\n\t\tmemoryUsedBytes\n\t\tmemoryLimitBytes\n\t\tnetworkRxBytes\n\t\tnetworkTxBytes\n\t\tblockReadBytes\n\t\tblockWriteBytes\n\t\tsampledAt\n\t}\n"): (typeof documents)["\n\tfragment StatsSampleFields on StatsSample {\n\t\tcontainerId\n\t\tcpuPercent\n\t\tmemoryUsedBytes\n\t\tmemoryLimitBytes\n\t\tnetworkRxBytes\n\t\tnetworkTxBytes\n\t\tblockReadBytes\n\t\tblockWriteBytes\n\t\tsampledAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ApplicationStats($id: ID!, $from: DateTime, $to: DateTime) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmemoryLimitBytes\n\t\t\tstats(from: $from, to: $to) {\n\t\t\t\tresolution\n\t\t\t\tfrom\n\t\t\t\tto\n\t\t\t\tsamples {\n\t\t\t\t\t...StatsSampleFields\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ApplicationStats($id: ID!, $from: DateTime, $to: DateTime) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmemoryLimitBytes\n\t\t\tstats(from: $from, to: $to) {\n\t\t\t\tresolution\n\t\t\t\tfrom\n\t\t\t\tto\n\t\t\t\tsamples {\n\t\t\t\t\t...StatsSampleFields\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ApplicationStatsLive($applicationId: ID!) {\n\t\tapplicationStats(applicationId: $applicationId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ApplicationStatsLive($applicationId: ID!) {\n\t\tapplicationStats(applicationId: $applicationId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ContainerStatsLive($containerId: ID!) {\n\t\tcontainerStats(containerId: $containerId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ContainerStatsLive($containerId: ID!) {\n\t\tcontainerStats(containerId: $containerId) {\n\t\t\t...StatsSampleFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ApplicationLogs($applicationId: ID!, $service: String, $tail: Int) {\n\t\tapplicationLogs(applicationId: $applicationId, service: $service, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ApplicationLogs($applicationId: ID!, $service: String, $tail: Int) {\n\t\tapplicationLogs(applicationId: $applicationId, service: $service, tail: $tail) {\n\t\t\tcontainerId\n\t\t\tstream\n\t\t\tline\n\t\t\ttimestamp\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment ServerFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tport\n\t\tusername\n\t\tisLocal\n\t\tstatus\n\t\tlastCheckedAt\n\t\tdockerSocket\n\t\tpublicKey\n\t\thostKeyFingerprint\n\t\tdockerVersion\n\t\tcpus\n\t\tmemoryBytes\n\t\tdiskTotalBytes\n\t\tdiskFreeBytes\n\t\tlastError\n\t\tcreatedAt\n\t}\n"): (typeof documents)["\n\tfragment ServerFields on Server {\n\t\tid\n\t\tname\n\t\thost\n\t\tport\n\t\tusername\n\t\tisLocal\n\t\tstatus\n\t\tlastCheckedAt\n\t\tdockerSocket\n\t\tpublicKey\n\t\thostKeyFingerprint\n\t\tdockerVersion\n\t\tcpus\n\t\tmemoryBytes\n\t\tdiskTotalBytes\n\t\tdiskFreeBytes\n\t\tlastError\n\t\tcreatedAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery ServerList {\n\t\tservers {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuPercent\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery ServerList {\n\t\tservers {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuPercent\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Server($id: ID!, $first: Int, $after: String) {\n\t\tserver(id: $id) {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuCount\n\t\t\t\tdockerReachable\n\t\t\t\tdockerVersion\n\t\t\t}\n\t\t}\n\t\tapplications(serverId: $id, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Server($id: ID!, $first: Int, $after: String) {\n\t\tserver(id: $id) {\n\t\t\t...ServerFields\n\t\t\tresources {\n\t\t\t\tcpuCount\n\t\t\t\tdockerReachable\n\t\t\t\tdockerVersion\n\t\t\t}\n\t\t}\n\t\tapplications(serverId: $id, first: $first, after: $after) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateServer($input: CreateServerInput!) {\n\t\tcreateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateServer($input: CreateServerInput!) {\n\t\tcreateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateServer($input: UpdateServerInput!) {\n\t\tupdateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateServer($input: UpdateServerInput!) {\n\t\tupdateServer(input: $input) {\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation DeleteServer($id: ID!) {\n\t\tdeleteServer(input: { id: $id }) {\n\t\t\tdeletedServerId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DeleteServer($id: ID!) {\n\t\tdeleteServer(input: { id: $id }) {\n\t\t\tdeletedServerId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation ValidateServer($id: ID!) {\n\t\tvalidateServer(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation ValidateServer($id: ID!) {\n\t\tvalidateServer(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation AcceptServerHostKey($id: ID!) {\n\t\tacceptServerHostKey(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation AcceptServerHostKey($id: ID!) {\n\t\tacceptServerHostKey(input: { id: $id }) {\n\t\t\treachable\n\t\t\tmessage\n\t\t\tfailure\n\t\t\tserver {\n\t\t\t\t...ServerFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ServerStatsLive($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tserverId\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tloadAverage1\n\t\t\tloadAverage5\n\t\t\tloadAverage15\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ServerStatsLive($serverId: ID!) {\n\t\tserverStats(serverId: $serverId, intervalSeconds: 2) {\n\t\t\tserverId\n\t\t\tcpuPercent\n\t\t\tcpuCount\n\t\t\tloadAverage1\n\t\t\tloadAverage5\n\t\t\tloadAverage15\n\t\t\tmemoryUsedBytes\n\t\t\tmemoryTotalBytes\n\t\t\tdiskUsedBytes\n\t\t\tdiskTotalBytes\n\t\t\tuptimeSeconds\n\t\t\tdockerReachable\n\t\t\tdockerVersion\n\t\t\tsampledAt\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription ServerStatusChanged {\n\t\tserverStatusChanged {\n\t\t\t...ServerFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription ServerStatusChanged {\n\t\tserverStatusChanged {\n\t\t\t...ServerFields\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Registration {\n\t\tregistration {\n\t\t\tfirstRun\n\t\t\topen\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Registration {\n\t\tregistration {\n\t\t\tfirstRun\n\t\t\topen\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Me {\n\t\tme {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Me {\n\t\tme {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Login($email: String!, $password: String!) {\n\t\tlogin(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Login($email: String!, $password: String!) {\n\t\tlogin(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Register($email: String!, $password: String!) {\n\t\tregister(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Register($email: String!, $password: String!) {\n\t\tregister(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Logout {\n\t\tlogout {\n\t\t\tok\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Logout {\n\t\tlogout {\n\t\t\tok\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation LogoutEverywhere {\n\t\tlogoutEverywhere {\n\t\t\tok\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation LogoutEverywhere {\n\t\tlogoutEverywhere {\n\t\t\tok\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t\tallowedBindPaths\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment MountFields on Mount {\n\t\tid\n\t\tkind\n\t\tvolume\n\t\tvolumeName\n\t\thostPath\n\t\tcontainerPath\n\t\treadOnly\n\t\tsizeBytes\n\t\tcreatedAt\n\t}\n"): (typeof documents)["\n\tfragment MountFields on Mount {\n\t\tid\n\t\tkind\n\t\tvolume\n\t\tvolumeName\n\t\thostPath\n\t\tcontainerPath\n\t\treadOnly\n\t\tsizeBytes\n\t\tcreatedAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Mounts($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmounts {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Mounts($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tmounts {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation AddMount($input: AddMountInput!) {\n\t\taddMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation AddMount($input: AddMountInput!) {\n\t\taddMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateMount($input: UpdateMountInput!) {\n\t\tupdateMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateMount($input: UpdateMountInput!) {\n\t\tupdateMount(input: $input) {\n\t\t\tmount {\n\t\t\t\t...MountFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RemoveMount($id: ID!) {\n\t\tremoveMount(input: { id: $id }) {\n\t\t\tremovedMountId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RemoveMount($id: ID!) {\n\t\tremoveMount(input: { id: $id }) {\n\t\t\tremovedMountId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Users {\n\t\tusers {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t\tcreatedAt\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Users {\n\t\tusers {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t\tcreatedAt\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation CreateUser($input: CreateUserInput!) {\n\t\tcreateUser(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation CreateUser($input: CreateUserInput!) {\n\t\tcreateUser(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateUserRole($input: UpdateUserRoleInput!) {\n\t\tupdateUserRole(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateUserRole($input: UpdateUserRoleInput!) {\n\t\tupdateUserRole(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation DeleteUser($input: DeleteUserInput!) {\n\t\tdeleteUser(input: $input) {\n\t\t\tdeletedUserId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DeleteUser($input: DeleteUserInput!) {\n\t\tdeleteUser(input: $input) {\n\t\t\tdeletedUserId\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation ChangePassword($input: ChangePasswordInput!) {\n\t\tchangePassword(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation ChangePassword($input: ChangePasswordInput!) {\n\t\tchangePassword(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment WebhookFields on Webhook {\n\t\tid\n\t\tprovider\n\t\turl\n\t\tenabled\n\t\tcreatedAt\n\t\tupdatedAt\n\t}\n"): (typeof documents)["\n\tfragment WebhookFields on Webhook {\n\t\tid\n\t\tprovider\n\t\turl\n\t\tenabled\n\t\tcreatedAt\n\t\tupdatedAt\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tfragment WebhookDeliveryFields on WebhookDelivery {\n\t\tid\n\t\tprovider\n\t\tevent\n\t\tdeliveryId\n\t\tstatus\n\t\treason\n\t\tbranch\n\t\tcommitSha\n\t\tcommitAuthor\n\t\tcommitMessage\n\t\treceivedAt\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n"): (typeof documents)["\n\tfragment WebhookDeliveryFields on WebhookDelivery {\n\t\tid\n\t\tprovider\n\t\tevent\n\t\tdeliveryId\n\t\tstatus\n\t\treason\n\t\tbranch\n\t\tcommitSha\n\t\tcommitAuthor\n\t\tcommitMessage\n\t\treceivedAt\n\t\tdeployment {\n\t\t\tid\n\t\t\tstatus\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Webhooks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhooks {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Webhooks($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhooks {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery WebhookDeliveries($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhookDeliveries(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...WebhookDeliveryFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery WebhookDeliveries($id: ID!, $first: Int, $after: String) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\twebhookDeliveries(first: $first, after: $after) {\n\t\t\t\tnodes {\n\t\t\t\t\t...WebhookDeliveryFields\n\t\t\t\t}\n\t\t\t\tpageInfo {\n\t\t\t\t\thasNextPage\n\t\t\t\t\tendCursor\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation EnableWebhook($applicationId: ID!, $provider: WebhookProvider!) {\n\t\tenableWebhook(input: { applicationId: $applicationId, provider: $provider }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation EnableWebhook($applicationId: ID!, $provider: WebhookProvider!) {\n\t\tenableWebhook(input: { applicationId: $applicationId, provider: $provider }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation RotateWebhookSecret($id: ID!) {\n\t\trotateWebhookSecret(input: { id: $id }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation RotateWebhookSecret($id: ID!) {\n\t\trotateWebhookSecret(input: { id: $id }) {\n\t\t\turl\n\t\t\tsecret\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation DisableWebhook($id: ID!) {\n\t\tdisableWebhook(input: { id: $id }) {\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DisableWebhook($id: ID!) {\n\t\tdisableWebhook(input: { id: $id }) {\n\t\t\twebhook {\n\t\t\t\t...WebhookFields\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation Redeliver($deliveryId: ID!) {\n\t\tredeliver(input: { deliveryId: $deliveryId }) {\n\t\t\tdelivery {\n\t\t\t\t...WebhookDeliveryFields\n\t\t\t}\n\t\t\tdeployment {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation Redeliver($deliveryId: ID!) {\n\t\tredeliver(input: { deliveryId: $deliveryId }) {\n\t\t\tdelivery {\n\t\t\t\t...WebhookDeliveryFields\n\t\t\t}\n\t\t\tdeployment {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tsubscription WebhookDeliveryReceived($applicationId: ID!) {\n\t\twebhookDeliveryReceived(applicationId: $applicationId) {\n\t\t\t...WebhookDeliveryFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tsubscription WebhookDeliveryReceived($applicationId: ID!) {\n\t\twebhookDeliveryReceived(applicationId: $applicationId) {\n\t\t\t...WebhookDeliveryFields\n\t\t}\n\t}\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;