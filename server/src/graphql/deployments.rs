//! Deployments over GraphQL: deploy, cancel, roll back, redeploy; the history with its
//! logs; live status and log subscriptions.

use super::page::{self, Page};
use async_graphql::{connection::Connection, Context, InputObject, Object, SimpleObject, Subscription, ID};
use futures::{Stream, StreamExt};

use super::types::deployment::{Deployment, LogLineGql};
use super::{principal, state};
use crate::ids::{AppId, DeploymentId};
use crate::{
    deploy::{self, NewDeployment, Status, Trigger},
    error::AppError,
    services,
};

#[derive(InputObject)]
pub struct DeployInput {
    application_id: ID,
    /// An exact commit to deploy, by its full 40-character id; default the head of the
    /// application's branch.
    commit_sha: Option<String>,
}

#[derive(InputObject)]
pub struct DeploymentIdInput {
    deployment_id: ID,
}

#[derive(InputObject)]
pub struct RedeployInput {
    application_id: ID,
}

#[derive(SimpleObject)]
pub struct DeployPayload {
    deployment: Deployment,
}

#[derive(Default)]
pub struct DeploymentsQuery;

#[Object]
impl DeploymentsQuery {
    async fn deployment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Deployment>> {
        match deploy::get(&state(ctx)?.db, &DeploymentId::from(&id)).await {
            Ok(row) => Ok(Some(Deployment(row))),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// An application's deployments, newest first.
    async fn deployments(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Deployment>> {
        let state = state(ctx)?;
        services::applications::get(&state.db, &AppId::from(&application_id)).await?;
        let page = Page::new(first, after, page::LIST)?;
        let (rows, more) = deploy::list(
            &state.db,
            &AppId::from(&application_id),
            page.after().map(DeploymentId::from).as_ref(),
            page.limit,
        )
        .await?;
        Ok(page.connection(more, rows.into_iter().map(|row| (row.id.clone(), Deployment(row)))))
    }
}

#[derive(Default)]
pub struct DeploymentsMutation;

#[Object]
impl DeploymentsMutation {
    /// Queues a deployment of the branch head (or `commitSha`). A still-queued one of the
    /// same application is superseded.
    async fn deploy(&self, ctx: &Context<'_>, input: DeployInput) -> async_graphql::Result<DeployPayload> {
        let state = state(ctx)?;
        let row = state
            .deployer
            .enqueue(NewDeployment {
                app_id: &AppId::from(&input.application_id),
                trigger: Trigger::Manual,
                commit_sha: input.commit_sha.filter(|s| !s.is_empty()),
                rollback_of: None,
                user_id: Some(principal(ctx)?.user_id.clone()),
            })
            .await?;
        Ok(DeployPayload {
            deployment: Deployment(row),
        })
    }

    /// Builds and deploys the active deployment's commit again (the branch head when none).
    async fn redeploy(&self, ctx: &Context<'_>, input: RedeployInput) -> async_graphql::Result<DeployPayload> {
        let state = state(ctx)?;
        let app = services::applications::get(&state.db, &AppId::from(&input.application_id)).await?;
        let commit = match &app.active_deployment_id {
            Some(id) => deploy::get(&state.db, &DeploymentId::from(id)).await?.commit_sha,
            None => None,
        };
        let row = state
            .deployer
            .enqueue(NewDeployment {
                app_id: &AppId::from(&app.id),
                trigger: Trigger::Redeploy,
                commit_sha: commit,
                rollback_of: None,
                user_id: Some(principal(ctx)?.user_id.clone()),
            })
            .await?;
        Ok(DeployPayload {
            deployment: Deployment(row),
        })
    }

    /// Runs an earlier successful deployment's image again: health gate and cutover, no build.
    async fn rollback(&self, ctx: &Context<'_>, input: DeploymentIdInput) -> async_graphql::Result<DeployPayload> {
        let state = state(ctx)?;
        let row = state
            .deployer
            .rollback(
                &DeploymentId::from(&input.deployment_id),
                Some(principal(ctx)?.user_id.clone()),
            )
            .await?;
        Ok(DeployPayload {
            deployment: Deployment(row),
        })
    }

    /// Stops a deployment at its current step and removes what it made.
    async fn cancel_deployment(
        &self,
        ctx: &Context<'_>,
        input: DeploymentIdInput,
    ) -> async_graphql::Result<DeployPayload> {
        let row = state(ctx)?
            .deployer
            .cancel(&DeploymentId::from(&input.deployment_id))
            .await?;
        Ok(DeployPayload {
            deployment: Deployment(row),
        })
    }
}

#[derive(Default)]
pub struct DeploymentsSubscription;

#[Subscription]
impl DeploymentsSubscription {
    /// The deployment's stored lines, then new ones as they come; completes when it ends.
    /// With `afterSeq`, only lines whose `seq` is greater: a client that lost its connection
    /// resumes from the last line it has, with no gap and no duplicate.
    async fn deployment_logs(
        &self,
        ctx: &Context<'_>,
        deployment_id: ID,
        after_seq: Option<i64>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<LogLineGql>>> {
        let after = after_seq.unwrap_or(0);
        if after < 0 {
            return Err(AppError::bad_input("afterSeq", "cannot be negative").into());
        }
        let state = state(ctx)?.clone();
        let row = deploy::get(&state.db, &DeploymentId::from(&deployment_id)).await?;
        let db = state.db.clone();
        let id = row.id.clone();
        let finished = async move {
            match deploy::get(&db, &DeploymentId::from(&id)).await {
                Ok(row) => row.status.is_final() || row.status == Status::Running,
                Err(_) => true,
            }
        };
        let stream = state
            .deployer
            .logs()
            .follow(state.db.clone(), DeploymentId::from(row.id), after, finished);
        Ok(stream.map(|item| item.map(LogLineGql::from).map_err(async_graphql::Error::from)))
    }

    /// Every change to any deployment of the application, or of every application when
    /// `applicationId` is left out (lists and the dashboard follow them all at once).
    async fn deployment_updated(
        &self,
        ctx: &Context<'_>,
        application_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = Deployment>> {
        let state = state(ctx)?.clone();
        if let Some(id) = &application_id {
            services::applications::get(&state.db, &AppId::from(id)).await?;
        }
        let mut events = state.events.deployments();
        let app_id = application_id.map(|id| id.0);
        Ok(async_stream::stream! {
            loop {
                match events.recv().await {
                    Ok(event) if app_id.as_ref().is_none_or(|id| *id == event.app_id) => {
                        if let Ok(row) = deploy::get(&state.db, &event.deployment_id).await {
                            yield Deployment(row);
                        }
                    }
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        })
    }
}
