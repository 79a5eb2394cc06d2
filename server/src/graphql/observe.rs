//! The one place that watches every GraphQL operation: it times each for the metrics (by
//! kind, root field and outcome) and records every root field of every mutation in the audit
//! log, refused ones included: who (the principal), from where (the socket's address), what
//! (the field), on which object (the ids the arguments or the answer name) and how it ended
//! (`ok` or the error's code).
//!
//! Argument values are never recorded: only the keys `id` and `…Id` are read from them, and a
//! failure's message has every other string the caller sent redacted. `login` is left to its
//! resolver, which alone knows the email that was tried.

use std::{
    borrow::Cow,
    sync::{Arc, Mutex},
    time::Instant,
};

use async_graphql::{
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest, NextResolve,
        NextValidation, ResolveInfo,
    },
    parser::types::{ExecutableDocument, OperationType},
    Name, Request, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};

use super::ClientAddr;
use crate::{
    audit::{self, Actor, Audit, Entry},
    auth::Principal,
    metrics::Metrics,
};

/// Fields whose resolver records its own audit entry.
const RECORDED_BY_RESOLVER: [&str; 1] = ["login"];

/// Where observations go; shared by every request's extension.
pub struct Sinks {
    pub audit: Option<Audit>,
    pub metrics: Option<Arc<Metrics>>,
}

pub struct Observe(pub Arc<Sinks>);

impl ExtensionFactory for Observe {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ObserveExtension {
            sinks: self.0.clone(),
            started: Instant::now(),
            operation_name: Mutex::new(None),
            operation: Mutex::new(None),
            variables: Mutex::new(None),
        })
    }
}

struct ObserveExtension {
    sinks: Arc<Sinks>,
    started: Instant,
    operation_name: Mutex<Option<String>>,
    /// The chosen operation's kind and root fields.
    operation: Mutex<Option<(OperationType, Vec<String>)>>,
    /// A mutation's variables, to read ids from its arguments.
    variables: Mutex<Option<Variables>>,
}

fn kind(operation: OperationType) -> &'static str {
    match operation {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

/// The error's `extensions.code`, else `otherwise`.
fn code_or(err: &ServerError, otherwise: &str) -> String {
    match err.extensions.as_ref().and_then(|ext| ext.get("code")) {
        Some(Value::String(code)) => code.clone(),
        _ => otherwise.into(),
    }
}

fn code_of(err: &ServerError) -> String {
    code_or(err, "ERROR")
}

impl ObserveExtension {
    fn operation(&self) -> Option<(OperationType, Vec<String>)> {
        self.operation.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The kind and the first root field, when it is a field of the schema (never a name the
    /// client made up, which would be a label of unbounded cardinality).
    fn label(&self, ctx: &ExtensionContext<'_>) -> (&'static str, Cow<'static, str>) {
        let operation = self.operation.lock().unwrap_or_else(|p| p.into_inner());
        match operation.as_ref() {
            Some((operation, fields)) => {
                let field = fields
                    .first()
                    .filter(|field| is_schema_field(ctx, *operation, field))
                    .map_or(Cow::Borrowed("invalid"), |field| Cow::Owned(field.clone()));
                (kind(*operation), field)
            }
            None => ("unknown", Cow::Borrowed("invalid")),
        }
    }

    fn observe(&self, ctx: &ExtensionContext<'_>, outcome: Cow<'static, str>) {
        if let Some(metrics) = &self.sinks.metrics {
            let (kind, operation) = self.label(ctx);
            metrics.graphql_request(kind, operation, outcome, self.started.elapsed());
        }
    }
}

fn is_schema_field(ctx: &ExtensionContext<'_>, operation: OperationType, field: &str) -> bool {
    let registry = &ctx.schema_env.registry;
    let root = match operation {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    };
    root.and_then(|root| registry.concrete_type_by_name(root))
        .and_then(|ty| ty.field_by_name(field))
        .is_some()
}

fn actor(ctx: &ExtensionContext<'_>) -> (Actor, Option<std::net::IpAddr>) {
    (
        Actor::of(ctx.data_opt::<Principal>()),
        ctx.data_opt::<ClientAddr>().map(|addr| addr.0),
    )
}

#[async_trait::async_trait]
impl Extension for ObserveExtension {
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
        let document = match next.run(ctx, query, variables).await {
            Ok(document) => document,
            Err(err) => {
                self.observe(ctx, code_or(&err, "GRAPHQL_PARSE_FAILED").into());
                return Err(err);
            }
        };
        let name = self.operation_name.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let operation = super::access::root_fields(&document, name.as_deref());
        if self.sinks.audit.is_some() && matches!(operation, Some((OperationType::Mutation, _))) {
            *self.variables.lock().unwrap_or_else(|p| p.into_inner()) = Some(variables.clone());
        }
        *self.operation.lock().unwrap_or_else(|p| p.into_inner()) = operation;
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let errors = match next.run(ctx).await {
            Ok(result) => return Ok(result),
            Err(errors) => errors,
        };
        let outcome = errors
            .first()
            .map_or_else(|| "ERROR".into(), |e| code_or(e, "GRAPHQL_VALIDATION_FAILED"));
        self.observe(ctx, outcome.clone().into());
        // A refused mutation (a caller without the role, a mutation over GET) is worth as
        // much to an auditor as one that ran; one that does not validate named no real field.
        if let (Some(audit), Some((OperationType::Mutation, fields))) = (&self.sinks.audit, self.operation()) {
            let (actor, source_ip) = actor(ctx);
            for field in fields.iter().filter(|f| {
                is_schema_field(ctx, OperationType::Mutation, f) && !RECORDED_BY_RESOLVER.contains(&f.as_str())
            }) {
                audit.record(Entry {
                    actor: actor.clone(),
                    source_ip,
                    action: field.clone(),
                    object: None,
                    outcome: outcome.clone(),
                    message: errors.first().map(|e| e.message.clone()),
                });
            }
        }
        Err(errors)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if self.sinks.metrics.is_some() {
            let outcome = response
                .errors
                .first()
                .map_or(Cow::Borrowed("ok"), |err| Cow::Owned(code_of(err)));
            self.observe(ctx, outcome);
        }
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let Some(audit) = &self.sinks.audit else {
            return next.run(ctx, info).await;
        };
        let is_root_mutation = info.path_node.parent.is_none()
            && ctx.schema_env.registry.mutation_type.as_deref() == Some(info.parent_type)
            && !RECORDED_BY_RESOLVER.contains(&info.name);
        if !is_root_mutation {
            return next.run(ctx, info).await;
        }
        let field = info.name.to_string();
        let arguments = self.arguments(&info);
        let result = next.run(ctx, info).await;
        let mut ids = Vec::new();
        let mut inputs = Vec::new();
        for (name, value) in &arguments {
            collect(name, value, &mut ids, &mut inputs);
        }
        let object = object_of(&field, &ids).or_else(|| match &result {
            Ok(Some(value)) => created_object(&field, value),
            _ => None,
        });
        let (outcome, message) = match &result {
            Ok(_) => ("ok".to_string(), None),
            Err(err) => (code_of(err), Some(audit::redact_inputs(&err.message, &inputs))),
        };
        let (actor, source_ip) = actor(ctx);
        audit.record(Entry {
            actor,
            source_ip,
            action: field,
            object,
            outcome,
            message,
        });
        result
    }
}

impl ObserveExtension {
    /// The field's arguments with variables substituted; an argument naming an unknown
    /// variable is left out (validation has refused that document already).
    fn arguments(&self, info: &ResolveInfo<'_>) -> Vec<(String, Value)> {
        let variables = self.variables.lock().unwrap_or_else(|p| p.into_inner());
        info.field
            .arguments
            .iter()
            .filter_map(|(name, value)| {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|var: Name| variables.as_ref().and_then(|v| v.get(&var).cloned()).ok_or(()))
                    .ok()?;
                Some((name.node.to_string(), value))
            })
            .collect()
    }
}

fn is_id_key(key: &str) -> bool {
    key == "id" || (key.ends_with("Id") && key.len() > 2)
}

/// Splits an argument into the ids it names (key, id) and every other string in it.
fn collect(key: &str, value: &Value, ids: &mut Vec<(String, String)>, inputs: &mut Vec<String>) {
    match value {
        Value::String(s) if is_id_key(key) => ids.push((key.to_string(), s.clone())),
        Value::String(s) => inputs.push(s.clone()),
        Value::Enum(name) => inputs.push(name.to_string()),
        Value::List(items) => items.iter().for_each(|item| collect(key, item, ids, inputs)),
        Value::Object(map) => map.iter().for_each(|(k, v)| collect(k, v, ids, inputs)),
        _ => {}
    }
}

/// The object a mutation acted on: its `id` argument (typed after the field: `deleteApplication`
/// acts on an `application`), else the first `…Id` argument (`applicationId`).
fn object_of(field: &str, ids: &[(String, String)]) -> Option<(String, String)> {
    if let Some((_, id)) = ids.iter().find(|(key, _)| key == "id") {
        return Some((object_type_of_field(field), id.clone()));
    }
    ids.first()
        .map(|(key, id)| (key.trim_end_matches("Id").to_string(), id.clone()))
}

/// `createApplication` → `application`, `revokeApiKey` → `apiKey`: the field without its
/// leading verb, or the field itself when it is one word.
fn object_type_of_field(field: &str) -> String {
    match field.find(|c: char| c.is_ascii_uppercase()) {
        Some(at) => {
            let rest = &field[at..];
            let mut chars = rest.chars();
            chars
                .next()
                .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
        None => field.to_string(),
    }
}

/// For a mutation that named no id (one that creates): the `id` the answer carries, when the
/// caller selected it, directly or one object down (`createApplication { application { id } }`).
fn created_object(field: &str, value: &Value) -> Option<(String, String)> {
    let Value::Object(payload) = value else { return None };
    if let Some(Value::String(id)) = payload.get("id") {
        return Some((object_type_of_field(field), id.clone()));
    }
    payload.iter().find_map(|(key, child)| match child {
        Value::Object(object) => match object.get("id") {
            Some(Value::String(id)) => Some((key.to_string(), id.clone())),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Value;

    #[test]
    fn object_types_come_from_the_field_or_the_id_key() {
        assert_eq!(object_type_of_field("deleteApplication"), "application");
        assert_eq!(object_type_of_field("revokeApiKey"), "apiKey");
        assert_eq!(object_type_of_field("redeliver"), "redeliver");
        assert_eq!(
            object_of("deleteApplication", &[("id".into(), "a1".into())]),
            Some(("application".into(), "a1".into()))
        );
        assert_eq!(
            object_of("setEnvVar", &[("applicationId".into(), "a1".into())]),
            Some(("application".into(), "a1".into()))
        );
        assert_eq!(object_of("logout", &[]), None);
    }

    #[test]
    fn ids_are_kept_and_every_other_string_is_an_input_to_redact() {
        let input = Value::from_json(serde_json::json!({
            "applicationId": "a1",
            "key": "DATABASE_URL",
            "value": "postgres://u:hunter22@db",
            "vars": [{ "key": "A", "value": "s3cret-value" }],
            "secret": true,
        }))
        .unwrap();
        let (mut ids, mut inputs) = (Vec::new(), Vec::new());
        collect("input", &input, &mut ids, &mut inputs);
        assert_eq!(ids, vec![("applicationId".to_string(), "a1".to_string())]);
        for value in ["DATABASE_URL", "postgres://u:hunter22@db", "A", "s3cret-value"] {
            assert!(inputs.contains(&value.to_string()), "{value} missing from {inputs:?}");
        }
    }

    #[test]
    fn a_created_object_is_found_in_the_answer() {
        let answer = Value::from_json(serde_json::json!({ "application": { "id": "a9", "name": "x" } })).unwrap();
        assert_eq!(
            created_object("createApplication", &answer),
            Some(("application".into(), "a9".into()))
        );
        let flat = Value::from_json(serde_json::json!({ "id": "k1" })).unwrap();
        assert_eq!(
            created_object("createApiKey", &flat),
            Some(("apiKey".into(), "k1".into()))
        );
    }
}
