//! The steps of one deployment, one file each, in the order the pipeline runs them:
//!
//! 1. [`source`]: get the image: [`clone`] the repository and [`build`] it, pull the
//!    application's image, or take the image of the deployment rolled back to; for a
//!    Compose application, [`compose`] also brings up its other services;
//! 2. [`start`]: start a container from it, beside the version serving;
//! 3. [`health_gate`]: probe it until it is healthy, exits, or the time runs out;
//! 4. [`cutover`]: route traffic to it and record it active, then drain the replaced one.
//!
//! Every step takes one [`Run`]: the deployment and its application, the engine it runs on
//! and the address its containers are reached at, its log, its cancel signal, and what it
//! made so far (the pipeline removes that when the deployment does not go live). A new way to
//! get an image (Compose, static sites) is one more arm of [`source`]; a new place to run (a
//! remote engine) is another engine and address in `Run`: the steps do not change.

pub mod build;
pub mod clone;
pub mod cluster;
pub mod compose;
pub mod cutover;
pub mod health_gate;
pub mod site;
pub mod source;
pub mod start;

use std::net::IpAddr;

use entities::{applications, deployments};
use tokio_util::sync::CancellationToken;

use super::{
    logs::{LogStream, LogWriter},
    Deployer, Status,
};
use crate::services;

/// Why a pipeline stopped early.
pub enum Stop {
    Cancelled,
    Failed(String),
}

impl<E: std::fmt::Display> From<E> for Stop {
    fn from(err: E) -> Self {
        Stop::Failed(err.to_string())
    }
}

/// What this deployment created, to remove when it does not go live.
#[derive(Default)]
pub struct Made {
    pub image: Option<String>,
    pub container: Option<String>,
    /// A static site's files for this deployment.
    pub site: Option<std::path::PathBuf>,
    /// A clustered deployment's swarm service, with the manager's engine it is on.
    pub service: Option<(bollard::Docker, String)>,
}

/// One deployment at work: what every step reads, and what it made.
pub struct Run<'a> {
    pub deployer: &'a Deployer,
    pub app: &'a applications::Model,
    pub row: &'a deployments::Model,
    pub log: &'a LogWriter,
    pub cancel: &'a CancellationToken,
    /// Where the deployment runs: this machine or a remote server.
    pub place: crate::places::Place,
    /// The engine the deployment builds and runs on (the place's).
    pub engine: bollard::Docker,
    /// Where that engine's published ports are reached from Ployer and Caddy.
    pub host: IpAddr,
    pub made: Made,
    /// A Compose application's plan, once [`compose::prepare`] made it.
    pub compose: Option<compose::Prepared>,
}

impl Run<'_> {
    /// Moves the deployment to `status` before a step runs, with what `record` stores.
    pub async fn transition(
        &self,
        status: Status,
        record: impl FnOnce(&mut deployments::ActiveModel),
    ) -> Result<(), Stop> {
        match self.deployer.transition(&self.row.id, status, record).await {
            Ok(_) => Ok(()),
            // Its row was ended by someone else (cancelled while it was being picked up).
            Err(crate::error::AppError::Conflict(_)) => Err(Stop::Cancelled),
            Err(err) => Err(Stop::Failed(err.message())),
        }
    }

    /// Fails with `Stop::Cancelled` once a user cancelled.
    pub fn check_cancelled(&self) -> Result<(), Stop> {
        if self.cancel.is_cancelled() {
            Err(Stop::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Runs `work` unless the deployment is cancelled first.
    pub async fn cancellable<T>(&self, work: impl std::future::Future<Output = T>) -> Result<T, Stop> {
        tokio::select! {
            result = work => Ok(result),
            _ = self.cancel.cancelled() => Err(Stop::Cancelled),
        }
    }

    /// A channel whose lines go to the deployment log, and the task that forwards them.
    pub fn forward_lines(&self, stream: LogStream) -> (tokio::sync::mpsc::Sender<String>, tokio::task::JoinHandle<()>) {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(1024);
        let log = self.log.clone();
        let task = tokio::spawn(async move {
            while let Some(line) = rx.recv().await {
                log.line(stream, line).await;
            }
        });
        (tx, task)
    }

    /// Environment variables just decrypted; their secret values are redacted from the log
    /// and the failure reason from here on.
    pub fn decrypted_vars(
        &self,
        decrypted: crate::error::AppResult<Vec<(services::env_vars::NewVar, bool)>>,
    ) -> Result<Vec<(services::env_vars::NewVar, bool)>, Stop> {
        let vars = decrypted.map_err(|e| format!("cannot read environment variables: {}", e.message()))?;
        self.log.also_redact(
            vars.iter()
                .filter(|(_, secret)| *secret)
                .map(|(var, _)| var.value.clone()),
        );
        Ok(vars)
    }

    /// The last lines the container printed, into the deployment log (why it did not start).
    pub async fn log_container_tail(&self, container: &str) {
        let tail = crate::docker::logs_tail(&self.engine, container, 20)
            .await
            .unwrap_or_default();
        for line in &tail {
            self.log.line(LogStream::Stdout, line).await;
        }
    }
}
