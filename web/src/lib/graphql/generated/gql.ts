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
    "\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n\tquery ApiKeys {\n\t\tapiKeys {\n\t\t\t...ApiKeyFields\n\t\t}\n\t}\n": typeof types.ApiKeysDocument,
    "\n\tmutation CreateApiKey($input: CreateApiKeyInput!) {\n\t\tcreateApiKey(input: $input) {\n\t\t\tkey\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateApiKeyDocument,
    "\n\tmutation RevokeApiKey($id: ID!) {\n\t\trevokeApiKey(input: { id: $id }) {\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RevokeApiKeyDocument,
    "\n\tquery Applications($first: Int, $after: String, $status: ApplicationStatus) {\n\t\tapplications(first: $first, after: $after, status: $status) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tdescription\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t\tlatestDeployment {\n\t\t\t\t\t...DeploymentSummary\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ApplicationsDocument,
    "\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n": typeof types.ApplicationFieldsFragmentDoc,
    "\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n": typeof types.ApplicationDocument,
    "\n\tquery Servers {\n\t\tservers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t}\n": typeof types.ServersDocument,
    "\n\tmutation CreateApplication($input: CreateApplicationInput!) {\n\t\tcreateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateApplicationDocument,
    "\n\tmutation UpdateApplication($input: UpdateApplicationInput!) {\n\t\tupdateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateApplicationDocument,
    "\n\tmutation DeleteApplication($id: ID!) {\n\t\tdeleteApplication(input: { id: $id }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n": typeof types.DeleteApplicationDocument,
    "\n\tmutation RegenerateDeployKey($applicationId: ID!) {\n\t\tregenerateDeployKey(input: { applicationId: $applicationId }) {\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RegenerateDeployKeyDocument,
    "\n\tmutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {\n\t\tsetGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.SetGitCredentialsDocument,
    "\n\tmutation ClearGitCredentials($applicationId: ID!) {\n\t\tclearGitCredentials(input: { applicationId: $applicationId }) {\n\t\t\t__typename\n\t\t}\n\t}\n": typeof types.ClearGitCredentialsDocument,
    "\n\tmutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {\n\t\tconfigureHealthCheck(input: $input) {\n\t\t\t__typename\n\t\t}\n\t}\n": typeof types.ConfigureHealthCheckDocument,
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
    "\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.DomainsDocument,
    "\n\tmutation AddDomain($applicationId: ID!, $hostname: String!) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n": typeof types.AddDomainDocument,
    "\n\tmutation RemoveDomain($id: ID!) {\n\t\tremoveDomain(input: { id: $id }) {\n\t\t\tremovedDomainId\n\t\t}\n\t}\n": typeof types.RemoveDomainDocument,
    "\n\tmutation SetPrimaryDomain($id: ID!) {\n\t\tsetPrimaryDomain(input: { id: $id }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": typeof types.SetPrimaryDomainDocument,
    "\n\tmutation VerifyDomain($id: ID!) {\n\t\tverifyDomain(input: { id: $id }) {\n\t\t\tpointsHere\n\t\t\taddresses\n\t\t\tcnames\n\t\t\texplanation\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\tverifiedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.VerifyDomainDocument,
    "\n\tquery EnvVars($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tenvVars {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.EnvVarsDocument,
    "\n\tmutation SetEnvVar($input: SetEnvVarInput!) {\n\t\tsetEnvVar(input: $input) {\n\t\t\tenvVar {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.SetEnvVarDocument,
    "\n\tmutation DeleteEnvVar($applicationId: ID!, $key: String!) {\n\t\tdeleteEnvVar(input: { applicationId: $applicationId, key: $key }) {\n\t\t\tdeletedKey\n\t\t}\n\t}\n": typeof types.DeleteEnvVarDocument,
    "\n\tmutation ImportEnvVars($input: ImportEnvVarsInput!) {\n\t\timportEnvVars(input: $input) {\n\t\t\tkeys\n\t\t}\n\t}\n": typeof types.ImportEnvVarsDocument,
    "\n\tquery RevealSecret($applicationId: ID!, $key: String!) {\n\t\trevealSecret(applicationId: $applicationId, key: $key)\n\t}\n": typeof types.RevealSecretDocument,
    "\n\tquery Registration {\n\t\tregistration {\n\t\t\tfirstRun\n\t\t\topen\n\t\t}\n\t}\n": typeof types.RegistrationDocument,
    "\n\tquery Me {\n\t\tme {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t}\n\t}\n": typeof types.MeDocument,
    "\n\tmutation Login($email: String!, $password: String!) {\n\t\tlogin(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": typeof types.LoginDocument,
    "\n\tmutation Register($email: String!, $password: String!) {\n\t\tregister(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": typeof types.RegisterDocument,
    "\n\tmutation Logout {\n\t\tlogout {\n\t\t\tok\n\t\t}\n\t}\n": typeof types.LogoutDocument,
    "\n\tmutation LogoutEverywhere {\n\t\tlogoutEverywhere {\n\t\t\tok\n\t\t}\n\t}\n": typeof types.LogoutEverywhereDocument,
    "\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n": typeof types.InstallationSettingsDocument,
    "\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n": typeof types.UpdateInstallationSettingsDocument,
    "\n\tquery Users {\n\t\tusers {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t\tcreatedAt\n\t\t}\n\t}\n": typeof types.UsersDocument,
    "\n\tmutation CreateUser($input: CreateUserInput!) {\n\t\tcreateUser(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.CreateUserDocument,
    "\n\tmutation UpdateUserRole($input: UpdateUserRoleInput!) {\n\t\tupdateUserRole(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": typeof types.UpdateUserRoleDocument,
    "\n\tmutation DeleteUser($input: DeleteUserInput!) {\n\t\tdeleteUser(input: $input) {\n\t\t\tdeletedUserId\n\t\t}\n\t}\n": typeof types.DeleteUserDocument,
    "\n\tmutation ChangePassword($input: ChangePasswordInput!) {\n\t\tchangePassword(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": typeof types.ChangePasswordDocument,
};
const documents: Documents = {
    "\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n": types.ApiKeyFieldsFragmentDoc,
    "\n\tquery ApiKeys {\n\t\tapiKeys {\n\t\t\t...ApiKeyFields\n\t\t}\n\t}\n": types.ApiKeysDocument,
    "\n\tmutation CreateApiKey($input: CreateApiKeyInput!) {\n\t\tcreateApiKey(input: $input) {\n\t\t\tkey\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateApiKeyDocument,
    "\n\tmutation RevokeApiKey($id: ID!) {\n\t\trevokeApiKey(input: { id: $id }) {\n\t\t\tapiKey {\n\t\t\t\t...ApiKeyFields\n\t\t\t}\n\t\t}\n\t}\n": types.RevokeApiKeyDocument,
    "\n\tquery Applications($first: Int, $after: String, $status: ApplicationStatus) {\n\t\tapplications(first: $first, after: $after, status: $status) {\n\t\t\tnodes {\n\t\t\t\tid\n\t\t\t\tname\n\t\t\t\tdescription\n\t\t\t\tstatus\n\t\t\t\turl\n\t\t\t\tbuildStrategy\n\t\t\t\tlatestDeployment {\n\t\t\t\t\t...DeploymentSummary\n\t\t\t\t}\n\t\t\t}\n\t\t\tpageInfo {\n\t\t\t\thasNextPage\n\t\t\t\tendCursor\n\t\t\t}\n\t\t}\n\t}\n": types.ApplicationsDocument,
    "\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n": types.ApplicationFieldsFragmentDoc,
    "\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n": types.ApplicationDocument,
    "\n\tquery Servers {\n\t\tservers {\n\t\t\tid\n\t\t\tname\n\t\t\thost\n\t\t\tisLocal\n\t\t\tstatus\n\t\t}\n\t}\n": types.ServersDocument,
    "\n\tmutation CreateApplication($input: CreateApplicationInput!) {\n\t\tcreateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": types.CreateApplicationDocument,
    "\n\tmutation UpdateApplication($input: UpdateApplicationInput!) {\n\t\tupdateApplication(input: $input) {\n\t\t\tapplication {\n\t\t\t\t...ApplicationFields\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateApplicationDocument,
    "\n\tmutation DeleteApplication($id: ID!) {\n\t\tdeleteApplication(input: { id: $id }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n": types.DeleteApplicationDocument,
    "\n\tmutation RegenerateDeployKey($applicationId: ID!) {\n\t\tregenerateDeployKey(input: { applicationId: $applicationId }) {\n\t\t\tdeployKey {\n\t\t\t\tpublicKey\n\t\t\t\tfingerprint\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.RegenerateDeployKeyDocument,
    "\n\tmutation SetGitCredentials($applicationId: ID!, $username: String!, $token: String!) {\n\t\tsetGitCredentials(input: { applicationId: $applicationId, username: $username, token: $token }) {\n\t\t\tgitCredentials {\n\t\t\t\tusername\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.SetGitCredentialsDocument,
    "\n\tmutation ClearGitCredentials($applicationId: ID!) {\n\t\tclearGitCredentials(input: { applicationId: $applicationId }) {\n\t\t\t__typename\n\t\t}\n\t}\n": types.ClearGitCredentialsDocument,
    "\n\tmutation ConfigureHealthCheck($input: ConfigureHealthCheckInput!) {\n\t\tconfigureHealthCheck(input: $input) {\n\t\t\t__typename\n\t\t}\n\t}\n": types.ConfigureHealthCheckDocument,
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
    "\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.DomainsDocument,
    "\n\tmutation AddDomain($applicationId: ID!, $hostname: String!) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n": types.AddDomainDocument,
    "\n\tmutation RemoveDomain($id: ID!) {\n\t\tremoveDomain(input: { id: $id }) {\n\t\t\tremovedDomainId\n\t\t}\n\t}\n": types.RemoveDomainDocument,
    "\n\tmutation SetPrimaryDomain($id: ID!) {\n\t\tsetPrimaryDomain(input: { id: $id }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t}\n\t\t}\n\t}\n": types.SetPrimaryDomainDocument,
    "\n\tmutation VerifyDomain($id: ID!) {\n\t\tverifyDomain(input: { id: $id }) {\n\t\t\tpointsHere\n\t\t\taddresses\n\t\t\tcnames\n\t\t\texplanation\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\tverifiedAt\n\t\t\t}\n\t\t}\n\t}\n": types.VerifyDomainDocument,
    "\n\tquery EnvVars($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\tenvVars {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.EnvVarsDocument,
    "\n\tmutation SetEnvVar($input: SetEnvVarInput!) {\n\t\tsetEnvVar(input: $input) {\n\t\t\tenvVar {\n\t\t\t\tkey\n\t\t\t\tvalue\n\t\t\t\tisSecret\n\t\t\t\tisBuildTime\n\t\t\t\tupdatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.SetEnvVarDocument,
    "\n\tmutation DeleteEnvVar($applicationId: ID!, $key: String!) {\n\t\tdeleteEnvVar(input: { applicationId: $applicationId, key: $key }) {\n\t\t\tdeletedKey\n\t\t}\n\t}\n": types.DeleteEnvVarDocument,
    "\n\tmutation ImportEnvVars($input: ImportEnvVarsInput!) {\n\t\timportEnvVars(input: $input) {\n\t\t\tkeys\n\t\t}\n\t}\n": types.ImportEnvVarsDocument,
    "\n\tquery RevealSecret($applicationId: ID!, $key: String!) {\n\t\trevealSecret(applicationId: $applicationId, key: $key)\n\t}\n": types.RevealSecretDocument,
    "\n\tquery Registration {\n\t\tregistration {\n\t\t\tfirstRun\n\t\t\topen\n\t\t}\n\t}\n": types.RegistrationDocument,
    "\n\tquery Me {\n\t\tme {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t}\n\t}\n": types.MeDocument,
    "\n\tmutation Login($email: String!, $password: String!) {\n\t\tlogin(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": types.LoginDocument,
    "\n\tmutation Register($email: String!, $password: String!) {\n\t\tregister(input: { email: $email, password: $password, cookie: true }) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": types.RegisterDocument,
    "\n\tmutation Logout {\n\t\tlogout {\n\t\t\tok\n\t\t}\n\t}\n": types.LogoutDocument,
    "\n\tmutation LogoutEverywhere {\n\t\tlogoutEverywhere {\n\t\t\tok\n\t\t}\n\t}\n": types.LogoutEverywhereDocument,
    "\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n": types.InstallationSettingsDocument,
    "\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n": types.UpdateInstallationSettingsDocument,
    "\n\tquery Users {\n\t\tusers {\n\t\t\tid\n\t\t\temail\n\t\t\trole\n\t\t\tcreatedAt\n\t\t}\n\t}\n": types.UsersDocument,
    "\n\tmutation CreateUser($input: CreateUserInput!) {\n\t\tcreateUser(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.CreateUserDocument,
    "\n\tmutation UpdateUserRole($input: UpdateUserRoleInput!) {\n\t\tupdateUserRole(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n": types.UpdateUserRoleDocument,
    "\n\tmutation DeleteUser($input: DeleteUserInput!) {\n\t\tdeleteUser(input: $input) {\n\t\t\tdeletedUserId\n\t\t}\n\t}\n": types.DeleteUserDocument,
    "\n\tmutation ChangePassword($input: ChangePasswordInput!) {\n\t\tchangePassword(input: $input) {\n\t\t\tuser {\n\t\t\t\tid\n\t\t\t\temail\n\t\t\t\trole\n\t\t\t}\n\t\t}\n\t}\n": types.ChangePasswordDocument,
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
export function graphql(source: "\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n"): (typeof documents)["\n\tfragment ApiKeyFields on ApiKey {\n\t\tid\n\t\tname\n\t\tprefix\n\t\trole\n\t\tcreatedAt\n\t\tlastUsedAt\n\t\texpiresAt\n\t\trevokedAt\n\t}\n"];
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
export function graphql(source: "\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n"): (typeof documents)["\n\tfragment ApplicationFields on Application {\n\t\tid\n\t\tname\n\t\tdescription\n\t\tserver {\n\t\t\tid\n\t\t\tname\n\t\t}\n\t\tgitUrl\n\t\tbranch\n\t\timage\n\t\tbuildStrategy\n\t\tdockerfilePath\n\t\tbuildContext\n\t\tport\n\t\tautoDeploy\n\t\tmemoryLimitBytes\n\t\tcpuLimit\n\t\trestartPolicy\n\t\tstatus\n\t\tcreatedAt\n\t\tupdatedAt\n\t\turl\n\t\turls\n\t\tdeployKey {\n\t\t\tpublicKey\n\t\t\tfingerprint\n\t\t\tcreatedAt\n\t\t}\n\t\tgitCredentials {\n\t\t\tusername\n\t\t\tupdatedAt\n\t\t}\n\t\thealthCheck {\n\t\t\tkind\n\t\t\tpath\n\t\t\tport\n\t\t\tintervalSeconds\n\t\t\ttimeoutSeconds\n\t\t\thealthyThreshold\n\t\t\tunhealthyThreshold\n\t\t\tstartPeriodSeconds\n\t\t\tautoRestart\n\t\t}\n\t\tactiveDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t\tlatestDeployment {\n\t\t\t...DeploymentSummary\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Application($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\t...ApplicationFields\n\t\t}\n\t}\n"];
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
export function graphql(source: "\n\tmutation DeleteApplication($id: ID!) {\n\t\tdeleteApplication(input: { id: $id }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation DeleteApplication($id: ID!) {\n\t\tdeleteApplication(input: { id: $id }) {\n\t\t\tdeletedApplicationId\n\t\t}\n\t}\n"];
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
export function graphql(source: "\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery Domains($id: ID!) {\n\t\tapplication(id: $id) {\n\t\t\tid\n\t\t\turls\n\t\t\tdomains {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t\tisPrimary\n\t\t\t\tisAuto\n\t\t\t\tverifiedAt\n\t\t\t\tcreatedAt\n\t\t\t}\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation AddDomain($applicationId: ID!, $hostname: String!) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation AddDomain($applicationId: ID!, $hostname: String!) {\n\t\taddDomain(input: { applicationId: $applicationId, hostname: $hostname }) {\n\t\t\tdomain {\n\t\t\t\tid\n\t\t\t\thostname\n\t\t\t}\n\t\t}\n\t}\n"];
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
export function graphql(source: "\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n"): (typeof documents)["\n\tquery InstallationSettings {\n\t\tsettings {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n"): (typeof documents)["\n\tmutation UpdateInstallationSettings($input: UpdateSettingsInput!) {\n\t\tupdateSettings(input: $input) {\n\t\t\tregistrationOpen\n\t\t\tdefaultRole\n\t\t\tallowLocalGitPaths\n\t\t}\n\t}\n"];
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;