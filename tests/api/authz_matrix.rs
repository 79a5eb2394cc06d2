//! The authorization matrix: one table names, for every root field of `Query`, `Mutation` and
//! `Subscription`, a minimal valid call on real objects and what an anonymous caller, a viewer,
//! a member and an admin get from it. The test reads the fields from the schema by
//! introspection, so a field added without a row (or a row left for a field that went) fails
//! it; it then runs every row as each of the four, checks the answer, and checks that a
//! refused mutation changed nothing in the database.
//!
//! To add a field: add a [`Row`] to [`MATRIX`]. Its variables are JSON in which strings
//! starting with `@` name fixture objects (see [`Run::resolve`]); `@fresh_…` ones are made
//! anew for every caller, so a row that deletes or consumes its object does not disturb the
//! next caller or the next row.

use std::time::Duration;

use entities::{deployments, webhook_deliveries, webhooks};
use ployer_tests::{error_code, random_suffix, spawn_app_with, TestApp, WsEvent, PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Statement};
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// What a caller may get from a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// No error, and the field is in `data`.
    Ok,
    /// The first error's `extensions.code`.
    Code(&'static str),
}

use Outcome::{Code, Ok};

/// The outcomes a caller may get; more than one only when success depends on something the
/// test does not control (say, what a DNS lookup or an SSH probe of a closed port answers).
type Allowed = &'static [Outcome];

const OK: Allowed = &[Ok];
const UNAUTHENTICATED: Allowed = &[Code("UNAUTHENTICATED")];
const FORBIDDEN: Allowed = &[Code("FORBIDDEN")];
const NOT_FOUND: Allowed = &[Code("NOT_FOUND")];
const BAD_USER_INPUT: Allowed = &[Code("BAD_USER_INPUT")];
const UNAVAILABLE: Allowed = &[Code("UNAVAILABLE")];

/// Expected outcomes for (anonymous, viewer, member, admin).
type Expect = [Allowed; 4];

const PUBLIC: Expect = [OK, OK, OK, OK];
const VIEWERS: Expect = [UNAUTHENTICATED, OK, OK, OK];
const MEMBERS: Expect = [UNAUTHENTICATED, FORBIDDEN, OK, OK];
const ADMINS: Expect = [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, OK];

/// The gate of `ADMINS`, with `admin` the outcome of a call the gate let through.
const fn admins_then(admin: Allowed) -> Expect {
    [UNAUTHENTICATED, FORBIDDEN, FORBIDDEN, admin]
}

/// The gate of `MEMBERS`, with `member` the outcome for members and admins.
const fn members_then(member: Allowed) -> Expect {
    [UNAUTHENTICATED, FORBIDDEN, member, member]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Query,
    Mutation,
    Subscription,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// The role's shared account.
    Shared,
    /// A new account of the role, for calls that end its sessions.
    Fresh,
}

/// Checks the data a successful call returned for its field.
type Answer = fn(&Value) -> Result<(), String>;

struct Row {
    kind: Kind,
    field: &'static str,
    document: &'static str,
    variables: &'static str,
    caller: Caller,
    expect: Expect,
    answer: Option<Answer>,
}

const fn row(kind: Kind, field: &'static str, document: &'static str, variables: &'static str, expect: Expect) -> Row {
    Row {
        kind,
        field,
        document,
        variables,
        caller: Caller::Shared,
        expect,
        answer: None,
    }
}

const fn query(field: &'static str, document: &'static str, variables: &'static str, expect: Expect) -> Row {
    row(Kind::Query, field, document, variables, expect)
}

const fn mutation(field: &'static str, document: &'static str, variables: &'static str, expect: Expect) -> Row {
    row(Kind::Mutation, field, document, variables, expect)
}

const fn subscription(field: &'static str, document: &'static str, variables: &'static str, expect: Expect) -> Row {
    row(Kind::Subscription, field, document, variables, expect)
}

/// Called by a fresh account of each role (it ends that account's sessions).
const fn as_fresh_account(row: Row) -> Row {
    Row {
        caller: Caller::Fresh,
        ..row
    }
}

/// Whoever succeeds gets an answer `answer` accepts.
const fn answered(row: Row, answer: Answer) -> Row {
    Row {
        answer: Some(answer),
        ..row
    }
}

fn secrets_hidden(application: &Value) -> Result<(), String> {
    let vars = application["envVars"].as_array().ok_or("no envVars")?;
    let secret = vars
        .iter()
        .find(|v| v["key"] == "FIXTURE_SECRET")
        .ok_or("no FIXTURE_SECRET")?;
    match (&secret["isSecret"], &secret["value"]) {
        (Value::Bool(true), Value::Null) => Result::Ok(()),
        _ => Err(format!("a secret's value is shown: {secret}")),
    }
}

fn the_secret(value: &Value) -> Result<(), String> {
    match value.as_str() {
        Some("s3cret") => Result::Ok(()),
        _ => Err(format!("not the secret's value: {value}")),
    }
}

fn lists_every_account(users: &Value) -> Result<(), String> {
    let emails: Vec<&str> = users
        .as_array()
        .ok_or("not a list")?
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    for email in ["admin@example.com", "member@example.com", "viewer@example.com"] {
        if !emails.contains(&email) {
            return Err(format!("{email} missing from {emails:?}"));
        }
    }
    Result::Ok(())
}

const MATRIX: &[Row] = &[
    // Queries.
    query("health", "{ health }", "{}", PUBLIC),
    query("registration", "{ registration { open } }", "{}", PUBLIC),
    query("me", "{ me { id } }", "{}", VIEWERS),
    answered(
        query("users", "{ users { id email } }", "{}", ADMINS),
        lists_every_account,
    ),
    query("apiKeys", "{ apiKeys { id } }", "{}", VIEWERS),
    query("settings", "{ settings { registrationOpen } }", "{}", ADMINS),
    query(
        "auditLog",
        "{ auditLog(first: 5) { edges { node { action outcome } } } }",
        "{}",
        ADMINS,
    ),
    query("servers", "{ servers { id } }", "{}", VIEWERS),
    query(
        "server",
        "query($id: ID!) { server(id: $id) { id } }",
        r#"{"id": "@server"}"#,
        VIEWERS,
    ),
    answered(
        query(
            "application",
            "query($id: ID!) { application(id: $id) { id envVars { key value isSecret } } }",
            r#"{"id": "@app"}"#,
            VIEWERS,
        ),
        secrets_hidden,
    ),
    query(
        "composePlan",
        "query($c: String!) { composePlan(content: $c) { routed } }",
        r#"{"c": "services:\n  web:\n    image: base\n    expose: [\"80\"]\n"}"#,
        MEMBERS,
    ),
    query(
        "applications",
        "{ applications(first: 5) { edges { node { id } } } }",
        "{}",
        VIEWERS,
    ),
    answered(
        query(
            "revealSecret",
            "query($a: ID!, $k: String!) { revealSecret(applicationId: $a, key: $k) }",
            r#"{"a": "@app", "k": "FIXTURE_SECRET"}"#,
            MEMBERS,
        ),
        the_secret,
    ),
    query(
        "deployment",
        "query($id: ID!) { deployment(id: $id) { id } }",
        r#"{"id": "@deployment"}"#,
        VIEWERS,
    ),
    query(
        "deployments",
        "query($a: ID!) { deployments(applicationId: $a, first: 5) { edges { node { id } } } }",
        r#"{"a": "@app"}"#,
        VIEWERS,
    ),
    query("containers", "{ containers(managedOnly: true) { id } }", "{}", ADMINS),
    query(
        "container",
        "query($id: ID!) { container(id: $id) { id } }",
        r#"{"id": "@missing"}"#,
        ADMINS,
    ),
    query("networks", "{ networks { id } }", "{}", ADMINS),
    query("volumes", "{ volumes { name } }", "{}", ADMINS),
    query("images", "{ images { id } }", "{}", ADMINS),
    query("dashboard", "{ dashboard { __typename } }", "{}", VIEWERS),
    // Accounts and sessions.
    mutation(
        "register",
        "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
        r#"{"i": {"email": "@unique_email", "password": "correct horse battery"}}"#,
        // Registration is closed once the admin exists, whoever asks.
        [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    mutation(
        "login",
        "mutation($i: LoginInput!) { login(input: $i) { user { id } } }",
        r#"{"i": {"email": "@viewer_email", "password": "correct horse battery"}}"#,
        PUBLIC,
    ),
    as_fresh_account(mutation(
        "changePassword",
        "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { user { id } } }",
        r#"{"i": {"currentPassword": "correct horse battery", "newPassword": "another horse battery"}}"#,
        VIEWERS,
    )),
    mutation("logout", "mutation { logout { __typename } }", "{}", PUBLIC),
    as_fresh_account(mutation(
        "logoutEverywhere",
        "mutation { logoutEverywhere { __typename } }",
        "{}",
        VIEWERS,
    )),
    mutation(
        "createApiKey",
        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }",
        r#"{"i": {"name": "@unique"}}"#,
        VIEWERS,
    ),
    mutation(
        "revokeApiKey",
        "mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { apiKey { id } } }",
        r#"{"i": {"id": "@own_api_key"}}"#,
        VIEWERS,
    ),
    mutation(
        "createUser",
        "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
        r#"{"i": {"email": "@unique_email", "password": "correct horse battery", "role": "VIEWER"}}"#,
        ADMINS,
    ),
    mutation(
        "updateUserRole",
        "mutation($i: UpdateUserRoleInput!) { updateUserRole(input: $i) { user { id } } }",
        r#"{"i": {"userId": "@fresh_user", "role": "MEMBER"}}"#,
        ADMINS,
    ),
    mutation(
        "deleteUser",
        "mutation($i: DeleteUserInput!) { deleteUser(input: $i) { __typename } }",
        r#"{"i": {"userId": "@fresh_user"}}"#,
        ADMINS,
    ),
    mutation(
        "updateSettings",
        "mutation($i: UpdateSettingsInput!) { updateSettings(input: $i) { registrationOpen } }",
        r#"{"i": {"registrationOpen": false}}"#,
        ADMINS,
    ),
    // Servers.
    mutation(
        "createServer",
        "mutation($i: CreateServerInput!) { createServer(input: $i) { server { id } } }",
        r#"{"i": {"name": "@unique", "host": "127.0.0.1", "port": 1}}"#,
        ADMINS,
    ),
    mutation(
        "updateServer",
        "mutation($i: UpdateServerInput!) { updateServer(input: $i) { server { id } } }",
        r#"{"i": {"id": "@server", "name": "@unique"}}"#,
        ADMINS,
    ),
    mutation(
        "deleteServer",
        "mutation($i: ServerIdInput!) { deleteServer(input: $i) { __typename } }",
        r#"{"i": {"id": "@fresh_server"}}"#,
        ADMINS,
    ),
    mutation(
        "validateServer",
        "mutation($i: ServerIdInput!) { validateServer(input: $i) { __typename } }",
        r#"{"i": {"id": "@server"}}"#,
        ADMINS,
    ),
    mutation(
        "acceptServerHostKey",
        "mutation($i: ServerIdInput!) { acceptServerHostKey(input: $i) { __typename } }",
        r#"{"i": {"id": "@server"}}"#,
        ADMINS,
    ),
    // Clusters: admins only; with no cluster to act on, an admin's call gets as far as the
    // input check.
    query("clusters", "{ clusters { id } }", "{}", VIEWERS),
    query(
        "cluster",
        "query($id: ID!) { cluster(id: $id) { id } }",
        r#"{"id": "@missing"}"#,
        VIEWERS,
    ),
    mutation(
        "createCluster",
        "mutation($i: CreateClusterInput!) { createCluster(input: $i) { cluster { id } } }",
        r#"{"i": {"name": "@unique", "managerServerId": "@server"}}"#,
        admins_then(BAD_USER_INPUT),
    ),
    mutation(
        "addClusterNode",
        "mutation($i: ClusterNodeInput!) { addClusterNode(input: $i) { __typename } }",
        r#"{"i": {"clusterId": "@missing", "serverId": "@server"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "removeClusterNode",
        "mutation($i: ClusterNodeInput!) { removeClusterNode(input: $i) { __typename } }",
        r#"{"i": {"clusterId": "@missing", "serverId": "@server"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "updateClusterNode",
        "mutation($i: UpdateClusterNodeInput!) { updateClusterNode(input: $i) { __typename } }",
        r#"{"i": {"clusterId": "@missing", "nodeId": "n", "availability": "DRAIN"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "setClusterRegistry",
        "mutation($i: SetClusterRegistryInput!) { setClusterRegistry(input: $i) { __typename } }",
        r#"{"i": {"clusterId": "@missing", "url": null}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "setClusterBuildServer",
        "mutation($i: SetClusterBuildServerInput!) { setClusterBuildServer(input: $i) { __typename } }",
        r#"{"i": {"clusterId": "@missing", "serverId": null}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "deleteCluster",
        "mutation($i: ClusterIdInput!) { deleteCluster(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    // Applications and their configuration.
    mutation(
        "createApplication",
        "mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }",
        r#"{"i": {"name": "@unique", "gitUrl": "git://127.0.0.1:1/none.git", "buildStrategy": "DOCKERFILE"}}"#,
        MEMBERS,
    ),
    mutation(
        "updateApplication",
        "mutation($i: UpdateApplicationInput!) { updateApplication(input: $i) { application { id } } }",
        r#"{"i": {"id": "@app", "description": "@unique"}}"#,
        MEMBERS,
    ),
    mutation(
        "deleteApplication",
        "mutation($i: DeleteApplicationInput!) { deleteApplication(input: $i) { __typename } }",
        r#"{"i": {"id": "@fresh_app"}}"#,
        MEMBERS,
    ),
    mutation(
        "setEnvVar",
        "mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { envVar { key } } }",
        r#"{"i": {"applicationId": "@app", "key": "SET_BY_MATRIX", "value": "@unique"}}"#,
        MEMBERS,
    ),
    mutation(
        "deleteEnvVar",
        "mutation($i: DeleteEnvVarInput!) { deleteEnvVar(input: $i) { __typename } }",
        r#"{"i": {"applicationId": "@app", "key": "@fresh_env_key"}}"#,
        MEMBERS,
    ),
    mutation(
        "importEnvVars",
        "mutation($i: ImportEnvVarsInput!) { importEnvVars(input: $i) { __typename } }",
        r#"{"i": {"applicationId": "@app", "content": "IMPORTED_BY_MATRIX=1\n"}}"#,
        MEMBERS,
    ),
    mutation(
        "regenerateDeployKey",
        "mutation($i: ApplicationIdInput!) { regenerateDeployKey(input: $i) { __typename } }",
        r#"{"i": {"applicationId": "@ssh_app"}}"#,
        MEMBERS,
    ),
    mutation(
        "setGitCredentials",
        "mutation($i: SetGitCredentialsInput!) { setGitCredentials(input: $i) { __typename } }",
        r#"{"i": {"applicationId": "@https_app", "username": "matrix", "token": "@unique"}}"#,
        MEMBERS,
    ),
    mutation(
        "clearGitCredentials",
        "mutation($i: ApplicationIdInput!) { clearGitCredentials(input: $i) { __typename } }",
        r#"{"i": {"applicationId": "@https_app"}}"#,
        MEMBERS,
    ),
    mutation(
        "addDomain",
        "mutation($i: AddDomainInput!) { addDomain(input: $i) { domain { id } } }",
        r#"{"i": {"applicationId": "@app", "hostname": "@unique_host"}}"#,
        MEMBERS,
    ),
    mutation(
        "addMount",
        "mutation($i: AddMountInput!) { addMount(input: $i) { mount { id } } }",
        r#"{"i": {"applicationId": "@fresh_app", "containerPath": "/data", "volume": "data"}}"#,
        MEMBERS,
    ),
    mutation(
        "updateMount",
        "mutation($i: UpdateMountInput!) { updateMount(input: $i) { mount { id } } }",
        r#"{"i": {"id": "@fresh_mount", "readOnly": true}}"#,
        MEMBERS,
    ),
    mutation(
        "removeMount",
        "mutation($i: MountIdInput!) { removeMount(input: $i) { __typename } }",
        r#"{"i": {"id": "@fresh_mount"}}"#,
        MEMBERS,
    ),
    mutation(
        "removeDomain",
        "mutation($i: DomainIdInput!) { removeDomain(input: $i) { __typename } }",
        r#"{"i": {"id": "@fresh_domain"}}"#,
        MEMBERS,
    ),
    mutation(
        "setPrimaryDomain",
        "mutation($i: DomainIdInput!) { setPrimaryDomain(input: $i) { domain { id } } }",
        r#"{"i": {"id": "@domain"}}"#,
        MEMBERS,
    ),
    mutation(
        "verifyDomain",
        "mutation($i: DomainIdInput!) { verifyDomain(input: $i) { pointsHere } }",
        r#"{"i": {"id": "@domain"}}"#,
        MEMBERS,
    ),
    mutation(
        "enableWebhook",
        "mutation($i: EnableWebhookInput!) { enableWebhook(input: $i) { webhook { id } } }",
        r#"{"i": {"applicationId": "@fresh_app", "provider": "GITHUB"}}"#,
        MEMBERS,
    ),
    mutation(
        "rotateWebhookSecret",
        "mutation($i: WebhookIdInput!) { rotateWebhookSecret(input: $i) { webhook { id } } }",
        r#"{"i": {"id": "@webhook"}}"#,
        MEMBERS,
    ),
    mutation(
        "disableWebhook",
        "mutation($i: WebhookIdInput!) { disableWebhook(input: $i) { __typename } }",
        r#"{"i": {"id": "@fresh_webhook"}}"#,
        MEMBERS,
    ),
    mutation(
        "configureHealthCheck",
        "mutation($i: ConfigureHealthCheckInput!) { configureHealthCheck(input: $i) { __typename } }",
        r#"{"i": {"applicationId": "@app", "path": "/healthz"}}"#,
        MEMBERS,
    ),
    // Deployments.
    mutation(
        "deploy",
        "mutation($i: DeployInput!) { deploy(input: $i) { deployment { id } } }",
        r#"{"i": {"applicationId": "@app"}}"#,
        MEMBERS,
    ),
    mutation(
        "redeploy",
        "mutation($i: RedeployInput!) { redeploy(input: $i) { deployment { id } } }",
        r#"{"i": {"applicationId": "@app"}}"#,
        MEMBERS,
    ),
    mutation(
        "rollback",
        "mutation($i: DeploymentIdInput!) { rollback(input: $i) { deployment { id } } }",
        r#"{"i": {"deploymentId": "@deployment"}}"#,
        // The fixture deployment failed: it has no image to go back to.
        members_then(BAD_USER_INPUT),
    ),
    mutation(
        "cancelDeployment",
        "mutation($i: DeploymentIdInput!) { cancelDeployment(input: $i) { deployment { id } } }",
        r#"{"i": {"deploymentId": "@hanging_deployment"}}"#,
        MEMBERS,
    ),
    mutation(
        "redeliver",
        "mutation($i: RedeliverInput!) { redeliver(input: $i) { deployment { id } } }",
        r#"{"i": {"deliveryId": "@delivery"}}"#,
        MEMBERS,
    ),
    // The Docker engine: an admin's call on an object that does not exist reaches the engine
    // and is answered NOT_FOUND; one that makes something makes it under a unique name.
    mutation(
        "startContainer",
        "mutation($i: StartContainerInput!) { startContainer(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "stopContainer",
        "mutation($i: StopContainerInput!) { stopContainer(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "restartContainer",
        "mutation($i: RestartContainerInput!) { restartContainer(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "removeContainer",
        "mutation($i: RemoveContainerInput!) { removeContainer(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "createNetwork",
        "mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { __typename } }",
        r#"{"i": {"name": "@docker_name"}}"#,
        ADMINS,
    ),
    mutation(
        "removeNetwork",
        "mutation($i: RemoveNetworkInput!) { removeNetwork(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "createVolume",
        "mutation($i: CreateVolumeInput!) { createVolume(input: $i) { __typename } }",
        r#"{"i": {"name": "@docker_name"}}"#,
        ADMINS,
    ),
    mutation(
        "removeVolume",
        "mutation($i: RemoveVolumeInput!) { removeVolume(input: $i) { __typename } }",
        r#"{"i": {"name": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "removeImage",
        "mutation($i: RemoveImageInput!) { removeImage(input: $i) { __typename } }",
        r#"{"i": {"id": "@missing"}}"#,
        admins_then(NOT_FOUND),
    ),
    mutation(
        "pullImage",
        "mutation($i: PullImageInput!) { pullImage(input: $i) { __typename } }",
        // A registry on a closed loopback port: the engine cannot pull, nothing leaves the host.
        r#"{"i": {"reference": "127.0.0.1:1/ployer-matrix:none"}}"#,
        admins_then(UNAVAILABLE),
    ),
    mutation(
        "pruneImages",
        "mutation($i: PruneImagesInput!) { pruneImages(input: $i) { __typename } }",
        r#"{"i": {"dryRun": true, "label": "ployer.matrix=none"}}"#,
        ADMINS,
    ),
    mutation(
        "pruneNetworks",
        "mutation($i: PruneNetworksInput!) { pruneNetworks(input: $i) { __typename } }",
        r#"{"i": {"dryRun": true, "label": "ployer.matrix=none"}}"#,
        ADMINS,
    ),
    mutation(
        "pruneVolumes",
        "mutation($i: PruneVolumesInput!) { pruneVolumes(input: $i) { __typename } }",
        r#"{"i": {"dryRun": true, "label": "ployer.matrix=none"}}"#,
        ADMINS,
    ),
    // Subscriptions: allowed ones must start (no error within a short wait).
    subscription(
        "serverStats",
        "subscription($s: ID!) { serverStats(serverId: $s) { __typename } }",
        r#"{"s": "@local_server"}"#,
        VIEWERS,
    ),
    subscription(
        "serverStatusChanged",
        "subscription { serverStatusChanged { id status } }",
        "{}",
        VIEWERS,
    ),
    subscription(
        "deploymentLogs",
        "subscription($d: ID!) { deploymentLogs(deploymentId: $d) { seq } }",
        r#"{"d": "@deployment"}"#,
        VIEWERS,
    ),
    subscription(
        "deploymentUpdated",
        "subscription($a: ID) { deploymentUpdated(applicationId: $a) { id } }",
        r#"{"a": "@app"}"#,
        VIEWERS,
    ),
    subscription(
        "applicationLogs",
        "subscription($a: ID!) { applicationLogs(applicationId: $a) { line } }",
        r#"{"a": "@app"}"#,
        VIEWERS,
    ),
    subscription(
        "dockerEvents",
        "subscription { dockerEvents(types: [NETWORK]) { action } }",
        "{}",
        ADMINS,
    ),
    subscription(
        "containerLogs",
        "subscription($c: ID!) { containerLogs(containerId: $c) { line } }",
        r#"{"c": "@missing"}"#,
        admins_then(NOT_FOUND),
    ),
    subscription(
        "applicationHealth",
        "subscription($a: ID!) { applicationHealth(applicationId: $a) { status } }",
        r#"{"a": "@app"}"#,
        VIEWERS,
    ),
    subscription(
        "applicationStats",
        "subscription($a: ID!) { applicationStats(applicationId: $a) { __typename } }",
        r#"{"a": "@app"}"#,
        VIEWERS,
    ),
    subscription(
        "containerStats",
        "subscription($c: ID!) { containerStats(containerId: $c) { __typename } }",
        r#"{"c": "@missing"}"#,
        [UNAUTHENTICATED, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    ),
    subscription(
        "webhookDeliveryReceived",
        "subscription($a: ID!) { webhookDeliveryReceived(applicationId: $a) { id } }",
        r#"{"a": "@app"}"#,
        VIEWERS,
    ),
];

const ROLES: [&str; 4] = ["anonymous", "viewer", "member", "admin"];

/// Tables whose rows change without any request (samples, probe results, the migration log),
/// and the audit log, which records every call, refused ones too (tests/api/audit.rs checks
/// what it records).
const UNWATCHED_TABLES: &[&str] = &[
    "audit_log",
    "container_stats",
    "health_check_results",
    "seaql_migrations",
];

/// The fixture objects every row acts on, made by the admin.
struct Fixtures {
    app: String,
    https_app: String,
    ssh_app: String,
    hanging_app: String,
    deployment: String,
    delivery: String,
    domain: String,
    webhook: String,
    server: String,
    local_server: String,
}

struct Run {
    app: TestApp,
    admin: String,
    /// Tokens of the shared viewer, member and admin accounts.
    tokens: [Option<String>; 4],
    fixtures: Fixtures,
    /// Docker networks and volumes made by rows, removed when the run ends.
    made_in_docker: Vec<(&'static str, String)>,
}

impl Drop for Run {
    fn drop(&mut self) {
        for (kind, name) in &self.made_in_docker {
            let _ = std::process::Command::new("docker")
                .args([kind, "rm", name.as_str()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

fn unique() -> String {
    format!("matrix-{}", random_suffix(10))
}

fn data_id(response: &Value, path: &[&str]) -> String {
    let mut value = &response["data"];
    for key in path {
        value = &value[*key];
    }
    value
        .as_str()
        .unwrap_or_else(|| panic!("no {path:?} in {response}"))
        .to_string()
}

impl Run {
    async fn admin_call(&self, document: &str, variables: Value) -> Value {
        let response = self.app.graphql_as(&self.admin, document, variables).await;
        assert!(response["errors"].is_null(), "{document}: {response}");
        response
    }

    async fn new_app(&self, git_url: &str) -> String {
        let response = self
            .admin_call(
                "mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }",
                json!({ "i": { "name": unique(), "gitUrl": git_url, "buildStrategy": "DOCKERFILE" } }),
            )
            .await;
        data_id(&response, &["createApplication", "application", "id"])
    }

    async fn new_user(&self, role: &str) -> (String, String) {
        let email = format!("{}@example.com", unique());
        let response = self
            .admin_call(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
                json!({ "i": { "email": email, "password": PASSWORD, "role": role } }),
            )
            .await;
        (data_id(&response, &["createUser", "user", "id"]), email)
    }

    async fn new_webhook(&self, app_id: &str) -> String {
        let response = self
            .admin_call(
                "mutation($i: EnableWebhookInput!) { enableWebhook(input: $i) { webhook { id } } }",
                json!({ "i": { "applicationId": app_id, "provider": "GITHUB" } }),
            )
            .await;
        data_id(&response, &["enableWebhook", "webhook", "id"])
    }

    async fn new_domain(&self) -> String {
        let response = self
            .admin_call(
                "mutation($i: AddDomainInput!) { addDomain(input: $i) { domain { id } } }",
                json!({ "i": { "applicationId": self.fixtures.app, "hostname": format!("{}.example.com", unique()) } }),
            )
            .await;
        data_id(&response, &["addDomain", "domain", "id"])
    }

    async fn new_mount(&self) -> String {
        let response = self
            .admin_call(
                "mutation($i: AddMountInput!) { addMount(input: $i) { mount { id } } }",
                json!({ "i": { "applicationId": self.fixtures.app, "containerPath": format!("/{}", unique()), "volume": unique() } }),
            )
            .await;
        data_id(&response, &["addMount", "mount", "id"])
    }

    async fn new_server(&self) -> String {
        let response = self
            .admin_call(
                "mutation($i: CreateServerInput!) { createServer(input: $i) { server { id } } }",
                json!({ "i": { "name": unique(), "host": "127.0.0.1", "port": 1 } }),
            )
            .await;
        data_id(&response, &["createServer", "server", "id"])
    }

    /// A deployment of the hanging application whose clone waits on a server that never
    /// answers: in flight until cancelled, and changing nothing meanwhile.
    async fn hanging_deployment(&self) -> String {
        let now = chrono::Utc::now();
        let existing = deployments::Entity::find()
            .filter(deployments::Column::ApplicationId.eq(self.fixtures.hanging_app.clone()))
            .all(&self.app.state.db)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.status.in_flight());
        if let Some(existing) = existing {
            return existing.id;
        }
        let id = uuid::Uuid::new_v4().to_string();
        insert_deployment(
            &self.app,
            &id,
            &self.fixtures.hanging_app,
            deployments::DeploymentStatus::Queued,
            now,
        )
        .await;
        for _ in 0..100 {
            let row = deployments::Entity::find_by_id(id.clone())
                .one(&self.app.state.db)
                .await
                .unwrap()
                .unwrap();
            if row.status == deployments::DeploymentStatus::Cloning {
                // The clone's first log lines are written; from here it waits.
                tokio::time::sleep(Duration::from_millis(500)).await;
                return id;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the hanging deployment never started cloning");
    }

    /// The value a `@name` placeholder stands for, made anew for `@fresh_…` ones. `token` is
    /// the caller's, when signed in.
    async fn resolve(&mut self, name: &str, token: Option<&str>) -> String {
        let f = &self.fixtures;
        match name {
            "@app" => f.app.clone(),
            "@https_app" => f.https_app.clone(),
            "@ssh_app" => f.ssh_app.clone(),
            "@deployment" => f.deployment.clone(),
            "@delivery" => f.delivery.clone(),
            "@domain" => f.domain.clone(),
            "@webhook" => f.webhook.clone(),
            "@server" => f.server.clone(),
            "@local_server" => f.local_server.clone(),
            "@viewer_email" => "viewer@example.com".into(),
            "@unique" => unique(),
            "@unique_email" => format!("{}@example.com", unique()),
            "@unique_host" => format!("{}.example.com", unique()),
            "@missing" => format!("ployer-matrix-missing-{}", random_suffix(8)),
            "@docker_name" => {
                let name = format!("ployer-matrix-{}", random_suffix(8));
                self.made_in_docker.push(("network", name.clone()));
                self.made_in_docker.push(("volume", name.clone()));
                name
            }
            "@fresh_app" => self.new_app("git://127.0.0.1:1/none.git").await,
            "@fresh_user" => self.new_user("VIEWER").await.0,
            "@fresh_server" => self.new_server().await,
            "@fresh_domain" => self.new_domain().await,
            "@fresh_mount" => self.new_mount().await,
            "@fresh_webhook" => {
                let app = self.new_app("git://127.0.0.1:1/none.git").await;
                self.new_webhook(&app).await
            }
            "@fresh_env_key" => {
                let key = format!("FRESH_{}", random_suffix(8).to_uppercase());
                self.app.set_env_var(&self.admin, &f.app, &key, "1", false).await;
                key
            }
            "@own_api_key" => {
                let owner = token.unwrap_or(&self.admin);
                let response = self
                    .app
                    .graphql_as(
                        owner,
                        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { apiKey { id } } }",
                        json!({ "i": { "name": unique() } }),
                    )
                    .await;
                data_id(&response, &["createApiKey", "apiKey", "id"])
            }
            "@hanging_deployment" => self.hanging_deployment().await,
            other => panic!("no fixture named {other}"),
        }
    }

    /// `template` with every `@name` string replaced by what it stands for.
    async fn variables(&mut self, template: &str, token: Option<&str>) -> Value {
        let mut value: Value = serde_json::from_str(template).expect("a row's variables are JSON");
        let mut names = Vec::new();
        placeholders(&value, &mut names);
        let mut resolved = Vec::new();
        for name in names {
            let to = self.resolve(&name, token).await;
            resolved.push((name, to));
        }
        replace_placeholders(&mut value, &mut resolved);
        value
    }

    /// Waits until no deployment but the hanging application's is queued or in flight, so
    /// that the pipeline writes nothing while a refused call is being checked.
    async fn settle(&self) {
        for _ in 0..300 {
            let busy = deployments::Entity::find()
                .filter(deployments::Column::ApplicationId.ne(self.fixtures.hanging_app.clone()))
                .all(&self.app.state.db)
                .await
                .unwrap()
                .into_iter()
                .filter(|d| d.status == deployments::DeploymentStatus::Queued || d.status.in_flight())
                .count();
            if busy == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("deployments of the matrix did not finish");
    }

    /// The caller's token for `row` as role `index` (0 is anonymous).
    async fn caller(&self, row: &Row, index: usize) -> Option<String> {
        match (index, row.caller) {
            (0, _) => None,
            (_, Caller::Shared) => self.tokens[index].clone(),
            (_, Caller::Fresh) => {
                let role = ["", "VIEWER", "MEMBER", "ADMIN"][index];
                let (_, email) = self.new_user(role).await;
                let login = self.app.login(&email, PASSWORD).await;
                Some(data_id(&login, &["login", "token"]))
            }
        }
    }
}

fn placeholders(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.values().for_each(|v| placeholders(v, names)),
        Value::Array(items) => items.iter().for_each(|v| placeholders(v, names)),
        Value::String(s) if s.starts_with('@') => names.push(s.clone()),
        _ => {}
    }
}

fn replace_placeholders(value: &mut Value, resolved: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| replace_placeholders(v, resolved)),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_placeholders(v, resolved)),
        Value::String(s) if s.starts_with('@') => {
            let at = resolved.iter().position(|(name, _)| name == s).expect("resolved");
            *s = resolved.remove(at).1;
        }
        _ => {}
    }
}

async fn insert_deployment(
    app: &TestApp,
    id: &str,
    app_id: &str,
    status: deployments::DeploymentStatus,
    now: chrono::DateTime<chrono::Utc>,
) {
    deployments::ActiveModel {
        id: Set(id.into()),
        application_id: Set(app_id.into()),
        status: Set(status),
        trigger: Set(deployments::Trigger::Manual),
        commit_sha: Set(None),
        commit_message: Set(None),
        commit_author: Set(None),
        image_tag: Set(None),
        container_id: Set(None),
        container_name: Set(None),
        host_port: Set(None),
        failure_reason: Set(None),
        rollback_of_id: Set(None),
        compose_file: Set(None),
        compose_images: Set(None),
        triggered_by_user_id: Set(None),
        server_id: Set(None),
        cluster_id: Set(None),
        service_id: Set(None),
        upstreams: Set(None),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        updated_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}

/// Every row of every table but [`UNWATCHED_TABLES`], as text, in a stable order.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let db = &app.state.db;
    let sqlite = sea_orm::DbBackend::Sqlite;
    let tables = db
        .query_all(Statement::from_string(
            sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ))
        .await
        .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let table: String = table.try_get_by_index(0).unwrap();
        if UNWATCHED_TABLES.contains(&table.as_str()) {
            continue;
        }
        let columns = db
            .query_all(Statement::from_string(
                sqlite,
                format!("SELECT name FROM pragma_table_info('{table}')"),
            ))
            .await
            .unwrap();
        let quoted: Vec<String> = columns
            .iter()
            .map(|c| format!("quote(\"{}\")", c.try_get_by_index::<String>(0).unwrap()))
            .collect();
        let select = format!("SELECT {} FROM \"{table}\" ORDER BY 1", quoted.join(" || ',' || "));
        for row in db.query_all(Statement::from_string(sqlite, select)).await.unwrap() {
            rows.push(format!("{table}: {}", row.try_get_by_index::<String>(0).unwrap()));
        }
    }
    rows.sort();
    rows
}

/// What a call answered: `Ok` or the first error's code (`None` for an error without one).
fn outcome_of(response: &Value, field: &str) -> Result<Outcome, String> {
    if response["errors"].is_null() {
        if response["data"].get(field).is_none() {
            return Err(format!("no `{field}` in the data: {response}"));
        }
        return Result::Ok(Ok);
    }
    if !response["data"].is_null() && !response["data"][field].is_null() {
        return Err(format!("an error, yet data for `{field}`: {response}"));
    }
    match error_code(response) {
        Some(code) => Result::Ok(Code(leak(code))),
        None => Err(format!("an error without a code: {response}")),
    }
}

fn leak(code: &str) -> &'static str {
    Box::leak(code.to_string().into_boxed_str())
}

/// Runs a subscription: over server-sent events when anonymous (a websocket is not even
/// acknowledged without a credential), else over the websocket, cut short after a second
/// without an error.
async fn subscribe(app: &TestApp, token: Option<&str>, document: &str, variables: Value, field: &str) -> Value {
    let Some(token) = token else {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("accept", "text/event-stream")
            .json(&json!({ "query": document, "variables": variables }))
            .send()
            .await
            .unwrap();
        return response
            .json()
            .await
            .unwrap_or_else(|e| json!({ "errors": [{ "message": e.to_string() }] }));
    };
    let mut ws = app.ws().await;
    ws.init(token).await;
    ws.subscribe("1", document, variables).await;
    let until = tokio::time::Instant::now() + Duration::from_millis(1200);
    loop {
        match tokio::time::timeout_at(until, ws.next_within(Duration::from_secs(5))).await {
            Err(_) => return json!({ "data": { field: "started" } }),
            Result::Ok(WsEvent::Message(message)) => match message["type"].as_str() {
                Some("next") => return message["payload"].clone(),
                Some("complete") => return json!({ "data": { field: "completed" } }),
                Some("error") => return json!({ "errors": message["payload"] }),
                _ => continue,
            },
            Result::Ok(WsEvent::Closed(code)) => {
                return json!({ "errors": [{ "message": format!("closed {code:?}") }] });
            }
        }
    }
}

/// Root fields by introspection: (kind, name).
async fn introspected(app: &TestApp, token: &str) -> Vec<(Kind, String)> {
    let response = app
        .graphql_as(
            token,
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }",
            json!({}),
        )
        .await;
    let schema = &response["data"]["__schema"];
    assert!(schema.is_object(), "{response}");
    let mut fields = Vec::new();
    for (kind, key) in [
        (Kind::Query, "queryType"),
        (Kind::Mutation, "mutationType"),
        (Kind::Subscription, "subscriptionType"),
    ] {
        for field in schema[key]["fields"].as_array().unwrap() {
            fields.push((kind, field["name"].as_str().unwrap().to_string()));
        }
    }
    fields
}

/// A TCP server that accepts connections and never answers: a git clone from it waits.
async fn silent_server() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Result::Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

async fn fixtures(app: &TestApp, admin: &str, hanging_url: &str) -> Fixtures {
    let run = |document: &'static str, variables: Value| async move {
        let response = app.graphql_as(admin, document, variables).await;
        assert!(response["errors"].is_null(), "{document}: {response}");
        response
    };
    let create_app = "mutation($i: CreateApplicationInput!) { createApplication(input: $i) { application { id } } }";
    let new_app = |url: String| async move {
        let response = run(
            create_app,
            json!({ "i": { "name": unique(), "gitUrl": url, "buildStrategy": "DOCKERFILE" } }),
        )
        .await;
        data_id(&response, &["createApplication", "application", "id"])
    };
    let app_id = new_app("git://127.0.0.1:1/none.git".into()).await;
    let https_app = new_app("https://127.0.0.1:1/none.git".into()).await;
    let ssh_app = new_app("ssh://git@127.0.0.1:1/none.git".into()).await;
    let hanging_app = new_app(hanging_url.into()).await;
    app.set_env_var(admin, &app_id, "FIXTURE_SECRET", "s3cret", true).await;
    let domain = run(
        "mutation($i: AddDomainInput!) { addDomain(input: $i) { domain { id } } }",
        json!({ "i": { "applicationId": app_id, "hostname": format!("{}.example.com", unique()) } }),
    )
    .await;
    let webhook = run(
        "mutation($i: EnableWebhookInput!) { enableWebhook(input: $i) { webhook { id } } }",
        json!({ "i": { "applicationId": app_id, "provider": "GITHUB" } }),
    )
    .await;
    let webhook = data_id(&webhook, &["enableWebhook", "webhook", "id"]);
    let server = run(
        "mutation($i: CreateServerInput!) { createServer(input: $i) { server { id } } }",
        json!({ "i": { "name": unique(), "host": "127.0.0.1", "port": 1 } }),
    )
    .await;
    let servers = run("{ servers { id isLocal } }", json!({})).await;
    let local_server = servers["data"]["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["isLocal"] == true)
        .and_then(|s| s["id"].as_str())
        .expect("the local server")
        .to_string();
    let now = chrono::Utc::now();
    let deployment = uuid::Uuid::new_v4().to_string();
    insert_deployment(app, &deployment, &app_id, deployments::DeploymentStatus::Failed, now).await;
    let delivery = uuid::Uuid::new_v4().to_string();
    webhook_deliveries::ActiveModel {
        id: Set(delivery.clone()),
        webhook_id: Set(Some(webhook.clone())),
        application_id: Set(app_id.clone()),
        provider: Set(webhooks::Provider::Github),
        event: Set("push".into()),
        delivery_id: Set(Some(unique())),
        status: Set(webhook_deliveries::DeliveryStatus::Skipped),
        reason: Set(Some("auto-deploy is off".into())),
        branch: Set(Some("main".into())),
        commit_sha: Set(Some("0123456789abcdef0123456789abcdef01234567".into())),
        commit_author: Set(None),
        commit_message: Set(None),
        deployment_id: Set(None),
        received_at: Set(now),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    Fixtures {
        app: app_id,
        https_app,
        ssh_app,
        hanging_app,
        deployment,
        delivery,
        domain: data_id(&domain, &["addDomain", "domain", "id"]),
        webhook,
        server: data_id(&server, &["createServer", "server", "id"]),
        local_server,
    }
}

#[test]
fn every_row_names_each_field_once() {
    let mut seen = std::collections::HashSet::new();
    for row in MATRIX {
        assert!(seen.insert((row.kind as u8, row.field)), "two rows for {}", row.field);
        assert!(
            row.document.contains(row.field),
            "the document of {} does not call it",
            row.field
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_root_field_answers_each_role_as_the_authorization_matrix_says() {
    // DNS questions go to a closed loopback port: nothing leaves the host.
    let app = spawn_app_with(|c| {
        c.dns_server = Some("127.0.0.1:1".parse().unwrap());
        // The rows sign in more often than a person would.
        c.login_attempts_per_minute = 1000;
    })
    .await;
    let admin = app.admin_token().await;

    // Every field has a row, and every row a field.
    let fields = introspected(&app, &admin).await;
    let missing: Vec<String> = fields
        .iter()
        .filter(|(kind, name)| !MATRIX.iter().any(|r| r.kind == *kind && r.field == name))
        .map(|(kind, name)| format!("{kind:?}.{name}"))
        .collect();
    let stale: Vec<String> = MATRIX
        .iter()
        .filter(|r| !fields.iter().any(|(kind, name)| r.kind == *kind && r.field == name))
        .map(|r| format!("{:?}.{}", r.kind, r.field))
        .collect();
    eprintln!(
        "authorization matrix: {} root fields, {} rows, {} fields without a row",
        fields.len(),
        MATRIX.len(),
        missing.len()
    );
    assert!(
        missing.is_empty() && stale.is_empty(),
        "fields without an authorization row: {missing:?}; rows for fields that do not exist: {stale:?}"
    );

    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;
    let member = app.user_token(&admin, "member@example.com", "MEMBER").await;
    let (silent_port, silent) = silent_server().await;
    let hanging_url = format!("git://127.0.0.1:{silent_port}/hangs.git");
    let fixtures = fixtures(&app, &admin, &hanging_url).await;
    let mut run = Run {
        tokens: [None, Some(viewer), Some(member), Some(admin.clone())],
        admin,
        fixtures,
        app,
        made_in_docker: Vec::new(),
    };

    // The snapshot sees a change when there is one.
    let before = snapshot(&run.app).await;
    run.app
        .set_env_var(&run.admin, &run.fixtures.app, "SNAPSHOT_CHECK", "1", false)
        .await;
    assert_ne!(snapshot(&run.app).await, before, "the snapshot misses a new variable");

    let mut failures = Vec::new();
    for row in MATRIX {
        for (index, role) in ROLES.iter().enumerate() {
            let token = run.caller(row, index).await;
            let variables = run.variables(row.variables, token.as_deref()).await;
            run.settle().await;
            let before = match row.kind {
                Kind::Mutation => Some(snapshot(&run.app).await),
                _ => None,
            };
            let response = match row.kind {
                Kind::Subscription => subscribe(&run.app, token.as_deref(), row.document, variables, row.field).await,
                _ => run.app.graphql_raw(token.as_deref(), row.document, variables).await.1,
            };
            let allowed = row.expect[index];
            let got = outcome_of(&response, row.field);
            match &got {
                Result::Ok(Ok) if allowed.contains(&Ok) => {
                    if let Some(Err(problem)) = row.answer.map(|check| check(&response["data"][row.field])) {
                        failures.push(format!("{:?}.{} as {role}: {problem}", row.kind, row.field));
                    }
                }
                Result::Ok(outcome) if allowed.contains(outcome) => {}
                Result::Ok(outcome) => failures.push(format!(
                    "{:?}.{} as {role}: expected {allowed:?}, got {outcome:?}: {response}",
                    row.kind, row.field
                )),
                Err(problem) => failures.push(format!("{:?}.{} as {role}: {problem}", row.kind, row.field)),
            }
            let refused = !matches!(got, Result::Ok(Ok));
            if let (Some(before), true) = (before, refused) {
                let after = snapshot(&run.app).await;
                if after != before {
                    let added: Vec<&String> = after.iter().filter(|r| !before.contains(r)).collect();
                    let gone: Vec<&String> = before.iter().filter(|r| !after.contains(r)).collect();
                    failures.push(format!(
                        "{:?}.{} as {role} was refused ({got:?}) but changed the database: added {added:?}, removed {gone:?}",
                        row.kind, row.field
                    ));
                }
            }
        }
    }
    silent.abort();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
