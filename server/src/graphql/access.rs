//! Who may call what: the one place where roles are enforced. Every root field of every
//! operation is checked against [`required_access`] after the document is validated and
//! before anything executes. The table is deny-by-default: a new query needs a viewer, a new
//! mutation a member, unless it is listed here.
//!
//! The same check refuses mutations sent with `GET`, so a link or an `<img>` can never
//! change anything. The one route outside GraphQL that needs a role, the web terminal, is
//! decided here too ([`check_terminal`]).

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

use async_graphql::{
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextValidation},
    parser::types::{DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet},
    ErrorExtensionValues, Request, ServerError, ServerResult, ValidationResult, Variables,
};

use crate::auth::{Principal, Role};

/// Marks a request that arrived as HTTP `GET`.
pub struct ViaHttpGet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any signed-in caller with at least this role.
    Role(Role),
    /// Account management: a signed-in user's own session, never an API key.
    SessionOnly,
}

pub fn required_access(operation: OperationType, field: &str) -> Access {
    use OperationType::*;
    match (operation, field) {
        (_, "__typename") | (Query, "__schema" | "__type" | "health" | "registration") => Access::Public,
        // `register` decides itself: open for the first account, then per setting. `logout`
        // only drops the caller's own cookie, which anyone may ask for.
        (Mutation, "login" | "register" | "logout") => Access::Public,
        (Mutation, "changePassword" | "logoutEverywhere" | "createApiKey" | "revokeApiKey") => Access::SessionOnly,
        (Query, "users" | "settings" | "auditLog")
        | (Mutation, "createUser" | "updateUserRole" | "deleteUser" | "updateSettings")
        | (Mutation, "createServer" | "updateServer" | "deleteServer" | "validateServer" | "acceptServerHostKey")
        | (
            Mutation,
            "createCluster"
            | "addClusterNode"
            | "removeClusterNode"
            | "updateClusterNode"
            | "deleteCluster"
            | "setClusterRegistry"
            | "setClusterBuildServer",
        ) => Access::Role(Role::Admin),
        // The Docker engine is root on the host: its objects and raw logs are for admins.
        (Query, "containers" | "container" | "networks" | "volumes" | "images")
        | (Subscription, "containerLogs" | "dockerEvents")
        | (
            Mutation,
            "startContainer" | "stopContainer" | "restartContainer" | "removeContainer" | "createNetwork"
            | "removeNetwork" | "createVolume" | "removeVolume" | "removeImage" | "pullImage" | "pruneImages"
            | "pruneNetworks" | "pruneVolumes",
        ) => Access::Role(Role::Admin),
        // Secrets in clear are for those who may change them.
        (Query, "revealSecret") => Access::Role(Role::Member),
        // Interpolated with an application's variables, a plan may show their values.
        (Query, "composePlan") => Access::Role(Role::Member),
        // Monitoring is read-only. `containerStats` narrows further in its resolver: a
        // container Ployer does not manage needs an admin.
        (Subscription, "applicationHealth" | "applicationStats" | "containerStats") => Access::Role(Role::Viewer),
        (Query | Subscription, _) => Access::Role(Role::Viewer),
        (Mutation, _) => Access::Role(Role::Member),
    }
}

/// Checks `principal` against the access a root field needs. `Err` is (code, message).
pub fn check(
    principal: Option<&Principal>,
    operation: OperationType,
    field: &str,
) -> Result<(), (&'static str, String)> {
    let access = required_access(operation, field);
    if access == Access::Public {
        return Ok(());
    }
    let Some(principal) = principal else {
        return Err(("UNAUTHENTICATED", format!("`{field}` needs you to sign in")));
    };
    match access {
        Access::Public => Ok(()),
        Access::SessionOnly if !principal.is_session() => Err((
            "FORBIDDEN",
            format!("`{field}` needs a signed-in session; API keys cannot manage accounts"),
        )),
        Access::SessionOnly => Ok(()),
        Access::Role(needed) if principal.role < needed => Err((
            "FORBIDDEN",
            format!("`{field}` needs the {needed} role; you have {}", principal.role),
        )),
        Access::Role(_) => Ok(()),
    }
}

/// The web terminal (`/applications/{id}/terminal/ws`): a shell in an application's
/// container can change whatever the application can, so it needs the role that changes
/// applications. An API key acts with its effective role, like everywhere else.
pub const TERMINAL_ROLE: Role = Role::Member;

/// Whether `principal` may open a terminal; `Err` is the reason, for the close frame.
pub fn check_terminal(principal: &Principal) -> Result<(), String> {
    if principal.role >= TERMINAL_ROLE {
        return Ok(());
    }
    let whose = if principal.is_session() {
        "you are"
    } else {
        "this API key acts as"
    };
    Err(format!(
        "the terminal is for members and admins; {whose} a {}",
        principal.role
    ))
}

pub struct AccessControl;

impl ExtensionFactory for AccessControl {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AccessExtension::default())
    }
}

#[derive(Default)]
struct AccessExtension {
    operation_name: Mutex<Option<String>>,
    /// The chosen operation's type and root field names, found while parsing.
    root: Mutex<Option<(OperationType, Vec<String>)>>,
}

fn error(code: &'static str, message: String) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code);
    err.extensions = Some(ext);
    err
}

#[async_trait::async_trait]
impl Extension for AccessExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        *self.operation_name.lock().unwrap_or_else(|p| p.into_inner()) = request.operation_name.clone();
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let name = self.operation_name.lock().unwrap_or_else(|p| p.into_inner()).clone();
        *self.root.lock().unwrap_or_else(|p| p.into_inner()) = root_fields(&document, name.as_deref());
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        // No operation found: execution reports the unknown operation name itself.
        let Some((operation, fields)) = self.root.lock().unwrap_or_else(|p| p.into_inner()).take() else {
            return Ok(result);
        };
        if operation == OperationType::Mutation && ctx.data_opt::<ViaHttpGet>().is_some() {
            return Err(vec![error(
                "METHOD_NOT_ALLOWED",
                "mutations must be sent with POST".into(),
            )]);
        }
        let principal = ctx.data_opt::<Principal>();
        let errors: Vec<ServerError> = fields
            .iter()
            .filter_map(|field| check(principal, operation, field).err())
            .map(|(code, message)| error(code, message))
            .collect();
        if errors.is_empty() {
            Ok(result)
        } else {
            Err(errors)
        }
    }
}

/// The type and root field names of the operation that will run, fragments followed.
pub(crate) fn root_fields(document: &ExecutableDocument, name: Option<&str>) -> Option<(OperationType, Vec<String>)> {
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
        (DocumentOperations::Multiple(_), None) => return None,
    };
    let mut fields = Vec::new();
    let mut seen = HashSet::new();
    collect(document, &operation.node.selection_set.node, &mut fields, &mut seen);
    Some((operation.node.ty, fields))
}

fn collect(document: &ExecutableDocument, set: &SelectionSet, out: &mut Vec<String>, seen: &mut HashSet<String>) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let name = field.node.name.node.to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            Selection::InlineFragment(fragment) => collect(document, &fragment.node.selection_set.node, out, seen),
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.to_string();
                // Cycles are a validation error; here they must only not loop forever.
                if seen.insert(name.clone()) {
                    if let Some(fragment) = document.fragments.get(spread.node.fragment_name.node.as_str()) {
                        collect(document, &fragment.node.selection_set.node, out, seen);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Credential;

    fn principal(role: Role, credential: Credential) -> Principal {
        Principal {
            user_id: "u".into(),
            email: "u@example.com".into(),
            role,
            credential,
        }
    }

    #[test]
    fn table_is_deny_by_default() {
        assert_eq!(
            required_access(OperationType::Mutation, "somethingNew"),
            Access::Role(Role::Member)
        );
        assert_eq!(
            required_access(OperationType::Query, "somethingNew"),
            Access::Role(Role::Viewer)
        );
        assert_eq!(
            required_access(OperationType::Subscription, "serverStats"),
            Access::Role(Role::Viewer)
        );
        assert_eq!(required_access(OperationType::Mutation, "login"), Access::Public);
        assert_eq!(required_access(OperationType::Mutation, "logout"), Access::Public);
    }

    #[test]
    fn roles_and_credentials_are_enforced() {
        let viewer = principal(Role::Viewer, Credential::Session);
        let member_key = principal(Role::Member, Credential::ApiKey { id: "k".into() });
        let admin = principal(Role::Admin, Credential::Session);
        assert_eq!(
            check(None, OperationType::Query, "me").unwrap_err().0,
            "UNAUTHENTICATED"
        );
        assert!(check(None, OperationType::Query, "health").is_ok());
        assert_eq!(
            check(Some(&viewer), OperationType::Mutation, "deploy").unwrap_err().0,
            "FORBIDDEN"
        );
        assert!(check(Some(&viewer), OperationType::Mutation, "changePassword").is_ok());
        assert_eq!(
            check(Some(&member_key), OperationType::Mutation, "createApiKey")
                .unwrap_err()
                .0,
            "FORBIDDEN"
        );
        assert!(check(Some(&member_key), OperationType::Mutation, "deploy").is_ok());
        assert_eq!(
            check(Some(&member_key), OperationType::Query, "users").unwrap_err().0,
            "FORBIDDEN"
        );
        assert!(check(Some(&admin), OperationType::Mutation, "deleteUser").is_ok());
    }

    #[test]
    fn docker_resources_and_raw_container_logs_are_for_admins() {
        let member = principal(Role::Member, Credential::Session);
        let admin = principal(Role::Admin, Credential::Session);
        let fields = [
            (OperationType::Query, "containers"),
            (OperationType::Query, "container"),
            (OperationType::Query, "networks"),
            (OperationType::Query, "volumes"),
            (OperationType::Query, "images"),
            (OperationType::Subscription, "containerLogs"),
            (OperationType::Subscription, "dockerEvents"),
            (OperationType::Mutation, "startContainer"),
            (OperationType::Mutation, "stopContainer"),
            (OperationType::Mutation, "restartContainer"),
            (OperationType::Mutation, "removeContainer"),
            (OperationType::Mutation, "createNetwork"),
            (OperationType::Mutation, "removeNetwork"),
            (OperationType::Mutation, "createVolume"),
            (OperationType::Mutation, "removeVolume"),
            (OperationType::Mutation, "removeImage"),
            (OperationType::Mutation, "pullImage"),
            (OperationType::Mutation, "pruneImages"),
            (OperationType::Mutation, "pruneNetworks"),
            (OperationType::Mutation, "pruneVolumes"),
        ];
        for (operation, field) in fields {
            assert_eq!(
                check(Some(&member), operation, field).unwrap_err().0,
                "FORBIDDEN",
                "{field}"
            );
            assert!(check(Some(&admin), operation, field).is_ok(), "{field}");
        }
        let viewer = principal(Role::Viewer, Credential::Session);
        assert!(check(Some(&viewer), OperationType::Subscription, "applicationLogs").is_ok());
        assert!(check(Some(&viewer), OperationType::Query, "dashboard").is_ok());
    }

    #[test]
    fn the_terminal_is_for_members_and_admins_whatever_the_credential() {
        for (role, allowed) in [(Role::Viewer, false), (Role::Member, true), (Role::Admin, true)] {
            for credential in [Credential::Session, Credential::ApiKey { id: "k".into() }] {
                let result = check_terminal(&principal(role, credential.clone()));
                assert_eq!(result.is_ok(), allowed, "{role} {credential:?}");
            }
        }
        let refused = check_terminal(&principal(Role::Viewer, Credential::Session)).unwrap_err();
        assert_eq!(refused, "the terminal is for members and admins; you are a viewer");
        let key = check_terminal(&principal(Role::Viewer, Credential::ApiKey { id: "k".into() })).unwrap_err();
        assert!(key.ends_with("this API key acts as a viewer"), "{key}");
        assert!(refused.len() <= 123, "fits a close frame");
    }

    #[test]
    fn root_fields_follow_fragments_and_survive_cycles() {
        let doc = async_graphql::parser::parse_query(
            "query A { ...F } mutation B { x: login } fragment F on Query { me ... on Query { users } ...G } fragment G on Query { ...F servers }",
        )
        .unwrap();
        let (ty, fields) = root_fields(&doc, Some("A")).unwrap();
        assert_eq!(ty, OperationType::Query);
        assert_eq!(fields, vec!["me", "users", "servers"]);
        let (ty, fields) = root_fields(&doc, Some("B")).unwrap();
        assert_eq!((ty, fields), (OperationType::Mutation, vec!["login".to_string()]));
        assert!(root_fields(&doc, None).is_none());
    }
}
