//! What happens when a git provider posts a push. A delivery is verified against the
//! webhook's secret on its raw bytes (`verify`), read (`event`), decided (deploy the pushed
//! commit, or skip it with a reason), recorded in `webhook_deliveries`, and — when it
//! deploys — handed to the deployment queue, which coalesces a burst into one running and
//! one queued deployment per application. Nothing here waits for a build.
//!
//! It must never deploy anything but the application's own repository at the commit the
//! verified payload names (the payload's URLs are not read), never act on a delivery whose
//! signature does not verify, and never act twice on one delivery id unless the first
//! attempt failed.
//!
//! Every delivery stored (or changed by `redeliver`) is also announced on the event hub
//! ([`crate::events::Events::deliveries`]), which the `webhookDeliveryReceived` subscription
//! follows; it carries ids only, so a subscriber reads the row as stored.

pub use ployer_input::webhook::{event, verify};

use std::sync::Arc;

use axum::http::HeaderMap;
use chrono::Utc;
use entities::{applications, deployments, webhook_deliveries, webhooks};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};

use tracing::instrument;
use uuid::Uuid;

use self::event::{clip, Event, Push};
use crate::ids::AppId;
use crate::{
    crypto::Crypto,
    deploy::{self, Deployer, NewDeployment, Trigger},
    error::{AppError, AppResult},
    events::Events,
    services::{
        applications::{self as apps, BuildStrategy},
        webhooks::{self as settings, Provider},
    },
    state::AppState,
};

pub use entities::webhook_deliveries::DeliveryStatus;

/// The same provider as `ployer-input` names it (that crate does not know the entities).
fn input_provider(provider: Provider) -> ployer_input::webhook::Provider {
    match provider {
        Provider::Github => ployer_input::webhook::Provider::Github,
        Provider::Gitlab => ployer_input::webhook::Provider::Gitlab,
        Provider::Gitea => ployer_input::webhook::Provider::Gitea,
    }
}

/// The headers each provider sends, in the order they are looked at.
struct Headers {
    event: &'static [&'static str],
    delivery: &'static [&'static str],
    signature: &'static [&'static str],
}

fn headers_of(provider: Provider) -> Headers {
    match provider {
        Provider::Github => Headers {
            event: &["x-github-event"],
            delivery: &["x-github-delivery"],
            signature: &["x-hub-signature-256"],
        },
        // `Idempotency-Key` stays the same when GitLab retries; older GitLabs send only
        // the event UUID.
        Provider::Gitlab => Headers {
            event: &["x-gitlab-event"],
            delivery: &["idempotency-key", "x-gitlab-event-uuid"],
            signature: &["x-gitlab-token"],
        },
        Provider::Gitea => Headers {
            event: &["x-forgejo-event", "x-gitea-event"],
            delivery: &["x-forgejo-delivery", "x-gitea-delivery"],
            signature: &["x-forgejo-signature", "x-gitea-signature"],
        },
    }
}

fn first<'a>(headers: &'a HeaderMap, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// How a delivery was answered; `http::webhooks` turns it into a status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A deployment of the pushed commit is queued.
    Deployed { delivery: String, deployment: String },
    /// Verified and recorded; nothing to deploy.
    Skipped { delivery: String, reason: String },
    /// This delivery id was handled before; nothing more was done.
    Duplicate { delivery: String },
    /// The signature did not verify (recorded without the body).
    Unauthorized { reason: String },
    /// Verified, but the payload cannot be used.
    Unusable { delivery: String, reason: String },
    /// The deployment could not be queued; a redelivery is processed again.
    Failed { delivery: String, reason: String },
}

/// Receives deliveries for one server. Cloning shares the lock that makes "seen this
/// delivery id before?" and the deploy it may start one step.
#[derive(Clone)]
pub struct Receiver {
    db: DatabaseConnection,
    crypto: Crypto,
    deployer: Deployer,
    events: Events,
    kept_per_app: u64,
    claims: Arc<tokio::sync::Mutex<()>>,
}

/// The columns of a delivery row that depend on what arrived.
#[derive(Default)]
struct Record {
    event: String,
    delivery_id: Option<String>,
    status: Option<DeliveryStatus>,
    reason: Option<String>,
    branch: Option<String>,
    commit_sha: Option<String>,
    commit_author: Option<String>,
    commit_message: Option<String>,
    deployment_id: Option<String>,
}

/// What a verified delivery asks for.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Deploy(Push),
    Skip { reason: String, push: Option<Push> },
    Unusable(String),
}

const MAX_DELIVERY_ID: usize = 128;
const MAX_EVENT: usize = 64;

impl Receiver {
    pub fn new(state: &AppState) -> Self {
        Self {
            db: state.db.clone(),
            crypto: state.crypto.clone(),
            deployer: state.deployer.clone(),
            events: state.events.clone(),
            kept_per_app: state.config.webhook_deliveries_kept.max(1),
            claims: Arc::default(),
        }
    }

    /// The enabled webhook `id` of `provider`; `None` for an unknown id, a disabled webhook
    /// and another provider's webhook alike, so a caller learns nothing from the difference.
    pub async fn webhook(&self, provider: Provider, id: &str) -> AppResult<Option<webhooks::Model>> {
        let found = webhooks::Entity::find_by_id(id.to_string()).one(&self.db).await?;
        Ok(found.filter(|w| w.enabled && w.provider == provider))
    }

    /// Records a delivery refused before it could be verified (say, a body over the bound).
    #[instrument(skip_all, fields(webhook_id = %webhook.id))]
    pub async fn refuse(&self, webhook: &webhooks::Model, headers: &HeaderMap, reason: &str) -> AppResult<()> {
        tracing::warn!(reason, "webhook delivery refused");
        self.record_unverified(webhook, headers, reason.to_string()).await
    }

    /// Verifies, decides, records and (maybe) queues a deployment; never waits for it.
    #[instrument(skip_all, fields(webhook_id = %webhook.id, provider = %webhook.provider.as_str()))]
    pub async fn receive(&self, webhook: &webhooks::Model, headers: &HeaderMap, body: &[u8]) -> AppResult<Answer> {
        let provider = webhook.provider;
        let names = headers_of(provider);
        let secret = settings::secret(&self.crypto, webhook)?;
        let signature = first(headers, names.signature);
        let verified = match provider {
            Provider::Github => verify::github(secret.as_bytes(), body, signature),
            Provider::Gitlab => verify::gitlab(secret.as_bytes(), signature),
            Provider::Gitea => verify::gitea(secret.as_bytes(), body, signature),
        };
        if let Err(refusal) = verified {
            let reason = refusal.reason();
            tracing::warn!(reason, "webhook delivery rejected");
            self.record_unverified(webhook, headers, reason.clone()).await?;
            return Ok(Answer::Unauthorized { reason });
        }

        let event_name = first(headers, names.event).map(|e| clip(e, MAX_EVENT));
        let delivery_id = first(headers, names.delivery).map(|d| clip(d, MAX_DELIVERY_ID));
        let app = apps::find(&self.db, &AppId::from(&webhook.application_id)).await?;
        let decision = match &event_name {
            None => Decision::Unusable(format!("no {} header", names.event[0])),
            Some(name) => {
                let content_type = headers
                    .get(axum::http::header::CONTENT_TYPE)
                    .and_then(|c| c.to_str().ok());
                match event::parse(input_provider(provider), name, content_type, body) {
                    Ok(event) => decide(&app, event),
                    Err(unusable) => Decision::Unusable(unusable.0),
                }
            }
        };

        let claim = self.claims.lock().await;
        let previous = match &delivery_id {
            Some(id) => self.find_delivery(&webhook.id, id).await?,
            None => None,
        };
        if let Some(previous) = &previous {
            if !self.may_process_again(previous).await? {
                tracing::info!(delivery_id = ?delivery_id, "webhook delivery seen before; ignored");
                return Ok(Answer::Duplicate {
                    delivery: previous.id.clone(),
                });
            }
        }
        let row = match previous {
            Some(previous) => Row::Existing(previous.id),
            None => Row::New(Uuid::new_v4().to_string()),
        };
        let delivery = row.id().to_string();
        let mut record = Record {
            event: event_name.unwrap_or_default(),
            delivery_id,
            ..Record::default()
        };
        let answer = match decision {
            Decision::Unusable(reason) => {
                record.status = Some(DeliveryStatus::Rejected);
                record.reason = Some(reason.clone());
                Answer::Unusable { delivery, reason }
            }
            Decision::Skip { reason, push } => {
                record.describe(push.as_ref());
                record.status = Some(DeliveryStatus::Skipped);
                record.reason = Some(reason.clone());
                Answer::Skipped { delivery, reason }
            }
            Decision::Deploy(push) => {
                record.describe(Some(&push));
                // The row is written once the deployment is queued: should Ployer stop in
                // between, the provider's redelivery finds no row and deploys the commit.
                match self.enqueue(&AppId::from(&app.id), &push.after).await {
                    Ok(deployment) => {
                        record.status = Some(DeliveryStatus::Deployed);
                        record.deployment_id = Some(deployment.id.clone());
                        Answer::Deployed {
                            delivery,
                            deployment: deployment.id,
                        }
                    }
                    Err(err) => {
                        let reason = format!("the deployment could not be queued: {}", err.message());
                        record.status = Some(DeliveryStatus::Failed);
                        record.reason = Some(reason.clone());
                        Answer::Failed { delivery, reason }
                    }
                }
            }
        };
        self.write(webhook, &app.id, row, record).await?;
        drop(claim);
        tracing::info!(answer = ?answer, "webhook delivery");
        Ok(answer)
    }

    async fn enqueue(&self, app_id: &AppId, sha: &str) -> AppResult<deployments::Model> {
        self.deployer
            .enqueue(NewDeployment {
                app_id,
                trigger: Trigger::Webhook,
                commit_sha: Some(sha.to_string()),
                rollback_of: None,
                user_id: None,
            })
            .await
    }

    async fn find_delivery(&self, webhook_id: &str, delivery_id: &str) -> AppResult<Option<webhook_deliveries::Model>> {
        Ok(webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::WebhookId.eq(webhook_id))
            .filter(webhook_deliveries::Column::DeliveryId.eq(delivery_id))
            .one(&self.db)
            .await?)
    }

    /// A delivery id seen before is processed again only when nothing came of it: it was
    /// rejected (say, while the secret was being rotated), could not be queued, or the
    /// deployment it started failed.
    async fn may_process_again(&self, previous: &webhook_deliveries::Model) -> AppResult<bool> {
        Ok(match previous.status {
            DeliveryStatus::Rejected | DeliveryStatus::Failed => true,
            DeliveryStatus::Skipped => false,
            DeliveryStatus::Deployed => match &previous.deployment_id {
                Some(id) => deployments::Entity::find_by_id(id.clone())
                    .one(&self.db)
                    .await?
                    .is_some_and(|d| d.status == deploy::Status::Failed),
                None => false,
            },
        })
    }

    /// A rejected delivery whose signature did not verify: what the headers say, no body.
    /// Its (unverified) delivery id is kept only when no delivery holds it yet.
    async fn record_unverified(&self, webhook: &webhooks::Model, headers: &HeaderMap, reason: String) -> AppResult<()> {
        let names = headers_of(webhook.provider);
        let claim = self.claims.lock().await;
        let mut delivery_id = first(headers, names.delivery).map(|d| clip(d, MAX_DELIVERY_ID));
        if let Some(id) = &delivery_id {
            if self.find_delivery(&webhook.id, id).await?.is_some() {
                delivery_id = None;
            }
        }
        let record = Record {
            event: first(headers, names.event)
                .map(|e| clip(e, MAX_EVENT))
                .unwrap_or_default(),
            delivery_id,
            status: Some(DeliveryStatus::Rejected),
            reason: Some(reason),
            ..Record::default()
        };
        let row = Row::New(Uuid::new_v4().to_string());
        self.write(webhook, &webhook.application_id, row, record).await?;
        drop(claim);
        Ok(())
    }

    /// Inserts the delivery, or overwrites an earlier one with its id (a redelivery
    /// processed again).
    async fn write(&self, webhook: &webhooks::Model, app_id: &str, row: Row, record: Record) -> AppResult<()> {
        let status = record.status.unwrap_or(DeliveryStatus::Rejected);
        let delivery = row.id().to_string();
        let model = webhook_deliveries::ActiveModel {
            id: Set(delivery.clone()),
            webhook_id: Set(Some(webhook.id.clone())),
            application_id: Set(app_id.to_string()),
            provider: Set(webhook.provider),
            event: Set(record.event),
            delivery_id: Set(record.delivery_id),
            status: Set(status),
            reason: Set(record.reason),
            branch: Set(record.branch),
            commit_sha: Set(record.commit_sha),
            commit_author: Set(record.commit_author),
            commit_message: Set(record.commit_message),
            deployment_id: Set(record.deployment_id),
            received_at: Set(Utc::now()),
        };
        match row {
            Row::New(_) => {
                webhook_deliveries::Entity::insert(model)
                    .exec_without_returning(&self.db)
                    .await?;
            }
            Row::Existing(id) => {
                webhook_deliveries::Entity::update_many()
                    .set(model)
                    .filter(webhook_deliveries::Column::Id.eq(id))
                    .exec(&self.db)
                    .await?;
            }
        }
        // Still under the claim: every write of this module is serialised, so none of them
        // can make another's read-then-write transaction fail.
        prune(&self.db, app_id, self.kept_per_app).await?;
        self.events.delivery_written(app_id, &delivery);
        Ok(())
    }
}

/// The delivery row to write: a new one, or an earlier one of the same delivery id.
enum Row {
    New(String),
    Existing(String),
}

impl Row {
    fn id(&self) -> &str {
        match self {
            Row::New(id) | Row::Existing(id) => id,
        }
    }
}

impl Record {
    fn describe(&mut self, push: Option<&Push>) {
        let Some(push) = push else { return };
        self.branch = push.branch().map(str::to_string);
        self.commit_sha = (!push.deletes_the_ref()).then(|| push.after.clone());
        self.commit_author = push.author.clone();
        self.commit_message = push.message.clone();
    }
}

/// Whether a verified event deploys the application.
fn decide(app: &applications::Model, event: Event) -> Decision {
    let push = match event {
        Event::Ping => {
            return Decision::Skip {
                reason: "a ping: the webhook reaches Ployer".into(),
                push: None,
            }
        }
        Event::Other(name) => {
            return Decision::Skip {
                reason: format!("the {name:?} event does not deploy; only pushes do"),
                push: None,
            }
        }
        Event::Push(push) => push,
    };
    let skip = |reason: String, push: Push| Decision::Skip {
        reason,
        push: Some(push),
    };
    if let Some(tag) = push.tag() {
        return skip(format!("a push of the tag {tag:?}; tags do not deploy"), push);
    }
    let Some(branch) = push.branch() else {
        let reason = format!("a push to {:?}, which is not a branch", push.git_ref);
        return skip(reason, push);
    };
    let wanted = app.branch.as_deref().unwrap_or(apps::DEFAULT_BRANCH);
    if push.deletes_the_ref() {
        return skip(format!("the branch {branch:?} was deleted"), push);
    }
    if branch != wanted {
        return skip(
            format!("a push to the branch {branch:?}; the application deploys {wanted:?}"),
            push,
        );
    }
    if app.git_url.is_none() || app.build_strategy == BuildStrategy::Image {
        return skip("the application does not build from its git repository".into(), push);
    }
    if !app.auto_deploy {
        return skip("auto-deploy is off for the application".into(), push);
    }
    Decision::Deploy(push)
}

async fn set_outcome(
    db: &DatabaseConnection,
    delivery: &str,
    status: DeliveryStatus,
    reason: Option<&str>,
    deployment: Option<&str>,
) -> AppResult<()> {
    webhook_deliveries::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(delivery.to_string()),
        status: Set(status),
        reason: Set(reason.map(str::to_string)),
        deployment_id: Set(deployment.map(str::to_string)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Deletes an application's deliveries beyond the newest `keep`.
pub async fn prune(db: &DatabaseConnection, app_id: &str, keep: u64) -> AppResult<u64> {
    // One statement: a delivery that arrives meanwhile is never among the stale ones.
    let stale = webhook_deliveries::Entity::find()
        .select_only()
        .column(webhook_deliveries::Column::Id)
        .filter(webhook_deliveries::Column::ApplicationId.eq(app_id))
        .order_by_desc(webhook_deliveries::Column::ReceivedAt)
        .order_by_desc(webhook_deliveries::Column::Id)
        .offset(keep)
        .limit(1000)
        .into_query();
    let deleted = webhook_deliveries::Entity::delete_many()
        .filter(webhook_deliveries::Column::Id.in_subquery(stale))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

pub async fn get(db: &DatabaseConnection, id: &str) -> AppResult<webhook_deliveries::Model> {
    webhook_deliveries::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("webhook delivery"))
}

/// A page of an application's deliveries, newest first, after the delivery `after`.
pub async fn list(
    db: &DatabaseConnection,
    app_id: &str,
    after: Option<&str>,
    limit: u64,
) -> AppResult<(Vec<webhook_deliveries::Model>, bool)> {
    let mut query = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::ApplicationId.eq(app_id))
        .order_by_desc(webhook_deliveries::Column::ReceivedAt)
        .order_by_desc(webhook_deliveries::Column::Id);
    if let Some(after) = after {
        let cursor = get(db, after)
            .await
            .ok()
            .filter(|c| c.application_id == app_id)
            .ok_or_else(|| AppError::bad_input("after", "is not a cursor this API returned"))?;
        query = query.filter(
            Condition::any()
                .add(webhook_deliveries::Column::ReceivedAt.lt(cursor.received_at))
                .add(
                    Condition::all()
                        .add(webhook_deliveries::Column::ReceivedAt.eq(cursor.received_at))
                        .add(webhook_deliveries::Column::Id.lt(cursor.id)),
                ),
        );
    }
    let mut rows = query.limit(limit + 1).all(db).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

/// Deploys a delivery's commit again, on a member's request, whatever became of it before.
#[instrument(skip_all, fields(delivery = %id))]
pub async fn redeliver(
    db: &DatabaseConnection,
    deployer: &Deployer,
    events: &Events,
    id: &str,
    user_id: Option<String>,
) -> AppResult<(webhook_deliveries::Model, deployments::Model)> {
    let delivery = get(db, id).await?;
    let (Some(sha), Some(_)) = (&delivery.commit_sha, &delivery.branch) else {
        return Err(AppError::bad_input(
            "deliveryId",
            "only a delivery of a push to a branch names a commit to deploy",
        ));
    };
    let deployment = deployer
        .enqueue(NewDeployment {
            app_id: &AppId::from(&delivery.application_id),
            trigger: Trigger::Webhook,
            commit_sha: Some(sha.clone()),
            rollback_of: None,
            user_id,
        })
        .await?;
    set_outcome(db, &delivery.id, DeliveryStatus::Deployed, None, Some(&deployment.id)).await?;
    events.delivery_written(&delivery.application_id, &delivery.id);
    Ok((get(db, id).await?, deployment))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    fn app(branch: &str, auto_deploy: bool) -> applications::Model {
        let now = Utc::now();
        applications::Model {
            id: "app".into(),
            name: "app".into(),
            description: None,
            server_id: "local".into(),
            git_url: Some("https://git.example.com/app.git".into()),
            branch: Some(branch.into()),
            image: None,
            build_strategy: BuildStrategy::Dockerfile,
            dockerfile_path: "Dockerfile".into(),
            build_context: ".".into(),
            port: 3000,
            auto_deploy,
            memory_limit_bytes: None,
            cpu_limit_millis: None,
            restart_policy: entities::applications::RestartPolicy::UnlessStopped,
            cutover_order: entities::applications::CutoverOrder::StartFirst,
            static_build_image: None,
            static_build_command: None,
            static_output_dir: ".".into(),
            spa_fallback: false,
            compose_path: "docker-compose.yml".into(),
            compose_service: None,
            cluster_id: None,
            replicas: 1,
            placement: None,
            max_replicas_per_node: None,
            status: entities::applications::AppStatus::Created,
            active_deployment_id: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn push(git_ref: &str, after: &str) -> Event {
        Event::Push(Push {
            git_ref: git_ref.into(),
            after: after.into(),
            author: None,
            message: None,
        })
    }

    fn reason(decision: Decision) -> String {
        match decision {
            Decision::Skip { reason, .. } => reason,
            other => panic!("expected a skip, got {other:?}"),
        }
    }

    #[test]
    fn only_a_push_to_the_apps_branch_with_auto_deploy_on_deploys() {
        assert!(matches!(
            decide(&app("main", true), push("refs/heads/main", HEAD)),
            Decision::Deploy(p) if p.after == HEAD
        ));
        assert!(reason(decide(&app("main", true), push("refs/heads/dev", HEAD))).contains("\"dev\""));
        assert!(reason(decide(&app("main", true), push("refs/tags/v1", HEAD))).contains("tag"));
        assert!(reason(decide(&app("main", true), push("refs/heads/main", &"0".repeat(40)))).contains("deleted"));
        assert!(reason(decide(&app("main", true), push("refs/notes/x", HEAD))).contains("not a branch"));
        assert!(reason(decide(&app("main", false), push("refs/heads/main", HEAD))).contains("auto-deploy"));
        assert!(reason(decide(&app("main", true), Event::Ping)).contains("ping"));
        assert!(reason(decide(&app("main", true), Event::Other("issues".into()))).contains("issues"));
        let mut image = app("main", true);
        image.build_strategy = BuildStrategy::Image;
        assert!(reason(decide(&image, push("refs/heads/main", HEAD))).contains("does not build"));
    }

    #[test]
    fn delivery_statuses_round_trip() {
        for status in [
            DeliveryStatus::Deployed,
            DeliveryStatus::Skipped,
            DeliveryStatus::Rejected,
            DeliveryStatus::Failed,
        ] {
            assert_eq!(status.as_str().parse::<DeliveryStatus>().unwrap(), status);
        }
        assert!("nope".parse::<DeliveryStatus>().is_err());
    }
}
