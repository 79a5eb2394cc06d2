//! Changing what belongs to an application: environment variables, its deploy key,
//! domains, webhook settings and its health check.

use crate::ids::AppId;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};

use super::{
    principal, state,
    types::{
        application::{DeployKey, Domain, EnvVar, GitCredentials, HealthCheck, ProviderGql, Webhook},
        mount::Mount,
    },
};
use crate::{error::AppError, services};

#[derive(InputObject)]
pub struct SetEnvVarInput {
    application_id: ID,
    /// `[A-Za-z_][A-Za-z0-9_]*`.
    key: String,
    /// Stored verbatim, up to 64 KiB.
    value: String,
    /// Hidden from every read; only `revealSecret` returns it. Default false.
    is_secret: Option<bool>,
    /// Also passed to the build. Default false.
    is_build_time: Option<bool>,
}

#[derive(InputObject)]
pub struct DeleteEnvVarInput {
    application_id: ID,
    key: String,
}

#[derive(InputObject)]
pub struct ImportEnvVarsInput {
    application_id: ID,
    /// The text of a `.env` file. Either every line is imported or none.
    content: String,
    is_secret: Option<bool>,
    is_build_time: Option<bool>,
}

#[derive(InputObject)]
pub struct ApplicationIdInput {
    application_id: ID,
}

#[derive(InputObject)]
pub struct SetGitCredentialsInput {
    application_id: ID,
    /// The HTTP user name: your user name, or what the host asks for with a token (GitLab:
    /// `oauth2`; GitHub and Gitea accept any).
    username: String,
    /// An access token with read access to the repository (or a password). Stored encrypted,
    /// never returned, redacted from deployment logs.
    token: String,
}

#[derive(InputObject)]
pub struct AddDomainInput {
    application_id: ID,
    /// e.g. `app.example.com` or `*.apps.example.com`; Unicode names are stored as punycode.
    hostname: String,
    /// A COMPOSE application's service to route this host name to, other than the one that
    /// receives its domains (which is the default).
    service: Option<String>,
}

#[derive(InputObject)]
pub struct DomainIdInput {
    id: ID,
}

#[derive(InputObject)]
pub struct EnableWebhookInput {
    application_id: ID,
    provider: ProviderGql,
}

#[derive(InputObject)]
pub struct WebhookIdInput {
    id: ID,
}

#[derive(InputObject)]
pub struct ConfigureHealthCheckInput {
    application_id: ID,
    /// HTTP path probed with GET, e.g. `/healthz`.
    path: Option<String>,
    /// Probe by opening a TCP connection only.
    tcp_only: Option<bool>,
    /// Container port to probe; null means the application's port.
    port: MaybeUndefined<i32>,
    /// 2-3600, default 10.
    interval_seconds: Option<i32>,
    /// 1-60 and shorter than the interval, default 5.
    timeout_seconds: Option<i32>,
    /// 1-10, default 1.
    healthy_threshold: Option<i32>,
    /// 1-10, default 3.
    unhealthy_threshold: Option<i32>,
    /// 0-600, default 10.
    start_period_seconds: Option<i32>,
    /// Restart the container after `unhealthyThreshold` failures. Default true.
    auto_restart: Option<bool>,
}

#[derive(InputObject)]
pub struct AddMountInput {
    application_id: ID,
    /// Absolute path inside the container, e.g. `/data`; not `/`, /proc, /sys or /dev.
    container_path: String,
    /// A named volume, created on first use: 1-63 lower-case letters, digits, '_', '.', '-'.
    volume: Option<String>,
    /// A host directory (admins only), inside one allowed in the settings
    /// (`allowedBindPaths`). Give either `volume` or `hostPath`.
    host_path: Option<String>,
    /// Default false.
    read_only: Option<bool>,
}

#[derive(InputObject)]
pub struct UpdateMountInput {
    id: ID,
    container_path: Option<String>,
    read_only: Option<bool>,
}

#[derive(InputObject)]
pub struct MountIdInput {
    id: ID,
}

#[derive(SimpleObject)]
pub struct MountPayload {
    mount: Mount,
}

#[derive(SimpleObject)]
pub struct RemoveMountPayload {
    removed_mount_id: ID,
}

#[derive(SimpleObject)]
pub struct EnvVarPayload {
    env_var: EnvVar,
}

#[derive(SimpleObject)]
pub struct DeleteEnvVarPayload {
    deleted_key: String,
}

#[derive(SimpleObject)]
pub struct ImportEnvVarsPayload {
    /// The keys imported (created or replaced).
    keys: Vec<String>,
    env_vars: Vec<EnvVar>,
}

#[derive(SimpleObject)]
pub struct DeployKeyPayload {
    deploy_key: DeployKey,
}

#[derive(SimpleObject)]
pub struct GitCredentialsPayload {
    git_credentials: GitCredentials,
}

#[derive(SimpleObject)]
pub struct ClearGitCredentialsPayload {
    /// False when the application had none.
    removed: bool,
}

#[derive(SimpleObject)]
pub struct DomainPayload {
    domain: Domain,
}

#[derive(SimpleObject)]
pub struct RemoveDomainPayload {
    removed_domain_id: ID,
}

#[derive(SimpleObject)]
pub struct VerifyDomainPayload {
    domain: Domain,
    /// Every address the name resolves to is one of this server's.
    points_here: bool,
    addresses: Vec<String>,
    cnames: Vec<String>,
    /// What was found and, when it does not point here, what to change.
    explanation: String,
}

#[derive(SimpleObject)]
pub struct WebhookSecretPayload {
    /// The payload URL to enter at the provider.
    url: String,
    /// Shown this once; enter it as the webhook secret (GitLab: secret token).
    secret: String,
    webhook: Webhook,
}

#[derive(SimpleObject)]
pub struct WebhookPayload {
    webhook: Webhook,
}

#[derive(SimpleObject)]
pub struct HealthCheckPayload {
    health_check: HealthCheck,
}

#[derive(Default)]
pub struct AppConfigMutation;

#[Object]
impl AppConfigMutation {
    /// Creates or replaces one environment variable.
    async fn set_env_var(&self, ctx: &Context<'_>, input: SetEnvVarInput) -> async_graphql::Result<EnvVarPayload> {
        let state = state(ctx)?;
        let var = services::env_vars::NewVar {
            key: input.key,
            value: input.value,
            is_secret: input.is_secret.unwrap_or(false),
            is_build_time: input.is_build_time.unwrap_or(false),
        };
        let view = services::env_vars::set(&state.db, &state.crypto, &AppId::from(&input.application_id), var).await?;
        Ok(EnvVarPayload { env_var: EnvVar(view) })
    }

    async fn delete_env_var(
        &self,
        ctx: &Context<'_>,
        input: DeleteEnvVarInput,
    ) -> async_graphql::Result<DeleteEnvVarPayload> {
        services::env_vars::delete(&state(ctx)?.db, &AppId::from(&input.application_id), &input.key).await?;
        Ok(DeleteEnvVarPayload { deleted_key: input.key })
    }

    /// Imports a pasted `.env` text; a bad line is reported by its number and nothing is stored.
    async fn import_env_vars(
        &self,
        ctx: &Context<'_>,
        input: ImportEnvVarsInput,
    ) -> async_graphql::Result<ImportEnvVarsPayload> {
        let state = state(ctx)?;
        let keys = services::env_vars::import(
            &state.db,
            &state.crypto,
            &AppId::from(&input.application_id),
            &input.content,
            input.is_secret.unwrap_or(false),
            input.is_build_time.unwrap_or(false),
        )
        .await?;
        let env_vars = services::env_vars::list(&state.db, &state.crypto, &AppId::from(&input.application_id)).await?;
        Ok(ImportEnvVarsPayload {
            keys,
            env_vars: env_vars.into_iter().map(EnvVar).collect(),
        })
    }

    /// Replaces the deploy key; the old public key stops working once removed at the git host.
    async fn regenerate_deploy_key(
        &self,
        ctx: &Context<'_>,
        input: ApplicationIdInput,
    ) -> async_graphql::Result<DeployKeyPayload> {
        let state = state(ctx)?;
        let app = services::applications::get(&state.db, &AppId::from(&input.application_id)).await?;
        if !app.git_url.as_deref().is_some_and(services::applications::is_ssh_url) {
            return Err(AppError::bad_input("applicationId", "deploy keys are for SSH git URLs").into());
        }
        let key = services::deploy_keys::generate(&state.db, &state.crypto, &AppId::from(&app.id)).await?;
        Ok(DeployKeyPayload {
            deploy_key: DeployKey(key),
        })
    }

    /// Sets (or replaces) the user name and token an application clones its private http(s)
    /// repository with. Only for https URLs, or http on loopback; removed automatically when
    /// the git URL moves to another host.
    async fn set_git_credentials(
        &self,
        ctx: &Context<'_>,
        input: SetGitCredentialsInput,
    ) -> async_graphql::Result<GitCredentialsPayload> {
        let state = state(ctx)?;
        let credentials = crate::git::HttpCredentials {
            username: input.username,
            token: input.token,
        };
        let row = services::git_credentials::set(
            &state.db,
            &state.crypto,
            &AppId::from(&input.application_id),
            credentials,
        )
        .await?;
        Ok(GitCredentialsPayload {
            git_credentials: GitCredentials(row),
        })
    }

    /// Forgets the application's git credentials; later clones go without any.
    async fn clear_git_credentials(
        &self,
        ctx: &Context<'_>,
        input: ApplicationIdInput,
    ) -> async_graphql::Result<ClearGitCredentialsPayload> {
        let removed = services::git_credentials::clear(&state(ctx)?.db, &AppId::from(&input.application_id)).await?;
        Ok(ClearGitCredentialsPayload { removed })
    }

    async fn add_domain(&self, ctx: &Context<'_>, input: AddDomainInput) -> async_graphql::Result<DomainPayload> {
        let state = state(ctx)?;
        let domain = services::domains::add(
            &state.db,
            &AppId::from(&input.application_id),
            &input.hostname,
            input.service.as_deref(),
            &state.config.base_domain,
        )
        .await?;
        Ok(DomainPayload { domain: Domain(domain) })
    }

    /// Removes a custom domain (the automatic one stays).
    async fn remove_domain(
        &self,
        ctx: &Context<'_>,
        input: DomainIdInput,
    ) -> async_graphql::Result<RemoveDomainPayload> {
        services::domains::remove(&state(ctx)?.db, &input.id).await?;
        Ok(RemoveDomainPayload {
            removed_domain_id: input.id,
        })
    }

    /// Makes a domain the one the application's URL uses.
    async fn set_primary_domain(
        &self,
        ctx: &Context<'_>,
        input: DomainIdInput,
    ) -> async_graphql::Result<DomainPayload> {
        Ok(DomainPayload {
            domain: Domain(services::domains::set_primary(&state(ctx)?.db, &input.id).await?),
        })
    }

    /// Resolves the domain and says whether it points at the server its application runs on
    /// (this one's `public_addresses`, or a remote server's address).
    async fn verify_domain(
        &self,
        ctx: &Context<'_>,
        input: DomainIdInput,
    ) -> async_graphql::Result<VerifyDomainPayload> {
        let state = state(ctx)?;
        let expected = services::domains::expected_addresses(
            &state.db,
            &input.id,
            &state.config.public_addresses,
            &state.resolver,
        )
        .await?;
        let v = services::domains::verify(&state.db, &input.id, &expected, &state.resolver).await?;
        Ok(VerifyDomainPayload {
            domain: Domain(v.domain),
            points_here: v.points_here,
            addresses: v.addresses.iter().map(ToString::to_string).collect(),
            cnames: v.cnames,
            explanation: v.explanation,
        })
    }

    /// Turns on push deliveries from a provider; returns the payload URL and a secret, once.
    async fn enable_webhook(
        &self,
        ctx: &Context<'_>,
        input: EnableWebhookInput,
    ) -> async_graphql::Result<WebhookSecretPayload> {
        let state = state(ctx)?;
        let created = services::webhooks::enable(
            &state.db,
            &state.crypto,
            &AppId::from(&input.application_id),
            input.provider.into(),
        )
        .await?;
        Ok(WebhookSecretPayload {
            url: services::webhooks::payload_url(&state.config.public_url(), &created.webhook),
            secret: created.secret,
            webhook: Webhook(created.webhook),
        })
    }

    /// A new secret for a webhook, returned once; the old one stops working.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        input: WebhookIdInput,
    ) -> async_graphql::Result<WebhookSecretPayload> {
        let state = state(ctx)?;
        let rotated = services::webhooks::rotate(&state.db, &state.crypto, &input.id).await?;
        Ok(WebhookSecretPayload {
            url: services::webhooks::payload_url(&state.config.public_url(), &rotated.webhook),
            secret: rotated.secret,
            webhook: Webhook(rotated.webhook),
        })
    }

    async fn disable_webhook(&self, ctx: &Context<'_>, input: WebhookIdInput) -> async_graphql::Result<WebhookPayload> {
        Ok(WebhookPayload {
            webhook: Webhook(services::webhooks::disable(&state(ctx)?.db, &input.id).await?),
        })
    }

    async fn configure_health_check(
        &self,
        ctx: &Context<'_>,
        input: ConfigureHealthCheckInput,
    ) -> async_graphql::Result<HealthCheckPayload> {
        let state = state(ctx)?;
        services::applications::get(&state.db, &AppId::from(&input.application_id)).await?;
        let changes = services::health_checks::HealthCheckInput {
            tcp_only: input.tcp_only,
            path: input.path,
            port: match input.port {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(p) => Some(Some(p)),
            },
            interval_seconds: input.interval_seconds,
            timeout_seconds: input.timeout_seconds,
            healthy_threshold: input.healthy_threshold,
            unhealthy_threshold: input.unhealthy_threshold,
            start_period_seconds: input.start_period_seconds,
            auto_restart: input.auto_restart,
        };
        let check = services::health_checks::configure(&state.db, &AppId::from(&input.application_id), changes).await?;
        Ok(HealthCheckPayload {
            health_check: HealthCheck(check),
        })
    }

    /// Mounts a named volume or (admins) a host directory into the application's containers,
    /// from its next deployment (or restart by the reconciler) on. Both versions mount it
    /// during a cutover; choose `cutoverOrder: STOP_FIRST` for data two processes cannot share.
    async fn add_mount(&self, ctx: &Context<'_>, input: AddMountInput) -> async_graphql::Result<MountPayload> {
        let state = state(ctx)?;
        let private = state.config.private_dirs();
        let caller = mount_caller(ctx, &private)?;
        let new = services::mounts::NewMount {
            container_path: input.container_path,
            volume: input.volume,
            host_path: input.host_path,
            read_only: input.read_only.unwrap_or(false),
        };
        let row = services::mounts::add(&state.db, &caller, &AppId::from(&input.application_id), new).await?;
        Ok(MountPayload {
            mount: Mount::one(ctx, &["mount"], row).await?,
        })
    }

    /// Moves a mount or changes whether it is read-only, from the next deployment on.
    async fn update_mount(&self, ctx: &Context<'_>, input: UpdateMountInput) -> async_graphql::Result<MountPayload> {
        let state = state(ctx)?;
        let private = state.config.private_dirs();
        let caller = mount_caller(ctx, &private)?;
        let row =
            services::mounts::update(&state.db, &caller, &input.id, input.container_path, input.read_only).await?;
        Ok(MountPayload {
            mount: Mount::one(ctx, &["mount"], row).await?,
        })
    }

    /// Stops mounting it from the next deployment on. A volume's data stays on the engine,
    /// listed among the volumes, until an admin removes the volume.
    async fn remove_mount(&self, ctx: &Context<'_>, input: MountIdInput) -> async_graphql::Result<RemoveMountPayload> {
        let state = state(ctx)?;
        let private = state.config.private_dirs();
        let caller = mount_caller(ctx, &private)?;
        services::mounts::remove(&state.db, &caller, &input.id).await?;
        Ok(RemoveMountPayload {
            removed_mount_id: input.id,
        })
    }
}

fn mount_caller<'a>(
    ctx: &Context<'_>,
    private: &'a [std::path::PathBuf],
) -> async_graphql::Result<services::mounts::Caller<'a>> {
    Ok(services::mounts::Caller {
        role: principal(ctx)?.role,
        private,
    })
}
