//! Domains route traffic to applications. Each application has one automatic
//! `<name>.<base domain>` that cannot be removed, only outranked by a primary custom domain.
//! Host names are unique across all applications.

use crate::ids::AppId;
use std::net::IpAddr;

use chrono::Utc;
use entities::domains;
use hickory_resolver::{
    config::{LookupIpStrategy, NameServerConfig, Protocol, ResolverConfig, ResolverOpts},
    proto::rr::{RData, RecordType},
    TokioAsyncResolver,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    services::applications,
    validate::domain::Hostname,
};

pub const MAX_DOMAINS_PER_APP: usize = 50;

pub async fn list<C: ConnectionTrait>(db: &C, app_id: &AppId) -> AppResult<Vec<domains::Model>> {
    Ok(domains::Entity::find()
        .filter(domains::Column::ApplicationId.eq(app_id))
        .order_by_desc(domains::Column::IsPrimary)
        .order_by_asc(domains::Column::CreatedAt)
        .all(db)
        .await?)
}

pub async fn get(db: &DatabaseConnection, id: &str) -> AppResult<domains::Model> {
    domains::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("domain"))
}

/// Adds a custom domain (not primary until made so). `service` routes it to another service
/// of a Compose application than the one that receives its domains.
pub async fn add(
    db: &DatabaseConnection,
    app_id: &AppId,
    hostname: &str,
    service: Option<&str>,
    base_domain: &str,
) -> AppResult<domains::Model> {
    let hostname = Hostname::parse(hostname)?;
    let txn = crate::db::begin_write(db).await?;
    let app = applications::find(&txn, app_id).await?;
    let service = match service.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(_) if app.build_strategy != applications::BuildStrategy::Compose => {
            return Err(AppError::bad_input(
                "service",
                "only a COMPOSE application has services to route a domain to",
            ))
        }
        Some(name) => Some(
            crate::validate::mounts::VolumeName::parse("service", name)
                .map_err(|_| {
                    AppError::bad_input(
                        "service",
                        "a service name is 1-63 lower-case letters, digits, '_', '.' or '-'",
                    )
                })?
                .as_str()
                .to_string(),
        ),
    };
    if let Some(existing) = domains::Entity::find()
        .filter(domains::Column::Hostname.eq(hostname.as_str()))
        .one(&txn)
        .await?
    {
        let message = if existing.application_id == *app_id {
            format!("{} is already a domain of this application", hostname.as_str())
        } else {
            format!("{} is already used by another application", hostname.as_str())
        };
        return Err(AppError::ConflictOn("hostname", message));
    }
    // Checked after the clash above, so another app's automatic name reads as taken.
    let reserved = hostname
        .as_str()
        .strip_suffix(base_domain)
        .and_then(|rest| rest.strip_suffix('.'));
    if reserved.is_some_and(|label| !label.contains('.')) {
        return Err(AppError::bad_input(
            "hostname",
            format!("names directly under {base_domain} are reserved for applications' automatic domains"),
        ));
    }
    if list(&txn, app_id).await?.len() >= MAX_DOMAINS_PER_APP {
        return Err(AppError::bad_input(
            "hostname",
            format!("an application has at most {MAX_DOMAINS_PER_APP} domains"),
        ));
    }
    let domain = domains::ActiveModel {
        id: Set(Uuid::new_v4().to_string()),
        application_id: Set(app_id.to_string()),
        hostname: Set(hostname.as_str().into()),
        is_primary: Set(false),
        is_auto: Set(false),
        service: Set(service),
        verified_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::ConflictOn("hostname", "this host name is already used".into()),
        other => other,
    })?;
    txn.commit().await?;
    Ok(domain)
}

/// Removes a custom domain. When it was primary, the automatic domain becomes primary again.
pub async fn remove(db: &DatabaseConnection, id: &str) -> AppResult<domains::Model> {
    let txn = crate::db::begin_write(db).await?;
    let domain = domains::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("domain"))?;
    if domain.is_auto {
        return Err(AppError::bad_input(
            "id",
            "the automatic domain cannot be removed; make a custom domain primary instead",
        ));
    }
    domains::Entity::delete_by_id(domain.id.clone()).exec(&txn).await?;
    if domain.is_primary {
        make_primary(&txn, &domain.application_id, |d| d.is_auto).await?;
    }
    txn.commit().await?;
    Ok(domain)
}

/// Makes one domain the application's primary (the one its URL uses).
pub async fn set_primary(db: &DatabaseConnection, id: &str) -> AppResult<domains::Model> {
    let txn = crate::db::begin_write(db).await?;
    let domain = domains::Entity::find_by_id(id.to_string())
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("domain"))?;
    if domain.hostname.starts_with("*.") {
        return Err(AppError::bad_input("id", "a wildcard domain cannot be the primary one"));
    }
    make_primary(&txn, &domain.application_id, |d| d.id == domain.id).await?;
    txn.commit().await?;
    get(db, id).await
}

async fn make_primary<C: ConnectionTrait>(
    db: &C,
    app_id: &str,
    pick: impl Fn(&domains::Model) -> bool,
) -> AppResult<()> {
    for domain in list(db, &AppId::from(app_id)).await? {
        let primary = pick(&domain);
        if domain.is_primary != primary {
            let mut active: domains::ActiveModel = domain.into();
            active.is_primary = Set(primary);
            active.update(db).await?;
        }
    }
    Ok(())
}

pub struct Verification {
    pub domain: domains::Model,
    pub points_here: bool,
    pub addresses: Vec<IpAddr>,
    pub cnames: Vec<String>,
    pub explanation: String,
}

/// The addresses the domain must resolve to: this machine's `public` ones, or, for an
/// application on a remote server (whose own Caddy serves it) or a cluster (its edge's), that
/// server's address (its host resolved when it is a name).
pub async fn expected_addresses(
    db: &DatabaseConnection,
    id: &str,
    public: &[IpAddr],
    resolver: &TokioAsyncResolver,
) -> AppResult<Vec<IpAddr>> {
    let domain = get(db, id).await?;
    let app = applications::find(db, &AppId::from(&domain.application_id)).await?;
    let serving = applications::serving_server_id(db, &app).await?;
    let server = entities::servers::Entity::find_by_id(serving).one(db).await?;
    let Some(server) = server.filter(|s| !s.is_local) else {
        return Ok(public.to_vec());
    };
    if let Ok(ip) = server.host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    Ok(match resolver.lookup_ip(format!("{}.", server.host)).await {
        Ok(lookup) => lookup.iter().collect(),
        Err(_) => Vec::new(),
    })
}

/// Looks up the domain's A/AAAA/CNAME records and says whether they reach this server.
pub async fn verify(
    db: &DatabaseConnection,
    id: &str,
    expected: &[IpAddr],
    resolver: &TokioAsyncResolver,
) -> AppResult<Verification> {
    let domain = get(db, id).await?;
    let name = domain.hostname.trim_start_matches("*.").to_string();
    // A wildcard is checked through an arbitrary name under it.
    let lookup_name = if domain.hostname.starts_with("*.") {
        format!("ployer-check.{name}")
    } else {
        name.clone()
    };
    let fqdn = format!("{lookup_name}.");

    let cnames: Vec<String> = match resolver.lookup(fqdn.as_str(), RecordType::CNAME).await {
        Ok(lookup) => lookup
            .iter()
            .filter_map(|r| match r {
                RData::CNAME(c) => Some(c.0.to_utf8().trim_end_matches('.').to_string()),
                _ => None,
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let (addresses, lookup_error) = match resolver.lookup_ip(fqdn.as_str()).await {
        Ok(lookup) => (lookup.iter().collect::<Vec<IpAddr>>(), None),
        Err(err) => (Vec::new(), Some(err.to_string())),
    };
    let points_here = !addresses.is_empty() && addresses.iter().all(|a| expected.contains(a));
    let shown = |ips: &[IpAddr]| ips.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let explanation = if expected.is_empty() {
        "this server's public address is not configured (`public_addresses`), so nothing can be compared".to_string()
    } else if let Some(err) = lookup_error {
        format!(
            "{lookup_name} does not resolve ({err}); add an A record for {} at your DNS provider",
            shown(expected)
        )
    } else if points_here {
        format!("{lookup_name} resolves to {}, this server", shown(&addresses))
    } else {
        let via = if cnames.is_empty() {
            String::new()
        } else {
            format!(" (via CNAME {})", cnames.join(", "))
        };
        format!(
            "{lookup_name} resolves to {}{via}, but this server is {}; point its A/AAAA records here",
            shown(&addresses),
            shown(expected)
        )
    };
    let domain = if points_here {
        let mut active: domains::ActiveModel = domain.into();
        active.verified_at = Set(Some(Utc::now()));
        active.update(db).await?
    } else {
        domain
    };
    Ok(Verification {
        domain,
        points_here,
        addresses,
        cnames,
        explanation,
    })
}

/// The system resolver, or the configured name server when one is set.
pub fn resolver(server: Option<std::net::SocketAddr>) -> anyhow::Result<TokioAsyncResolver> {
    let mut opts = ResolverOpts::default();
    opts.timeout = std::time::Duration::from_secs(3);
    opts.attempts = 1;
    opts.cache_size = 64;
    // Every A and AAAA record counts: one stray record elsewhere means not pointing here.
    opts.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    match server {
        Some(addr) => {
            let mut config = ResolverConfig::new();
            config.add_name_server(NameServerConfig::new(addr, Protocol::Udp));
            Ok(TokioAsyncResolver::tokio(config, opts))
        }
        None => {
            let (config, mut system_opts) = hickory_resolver::system_conf::read_system_conf()
                .unwrap_or_else(|_| (ResolverConfig::default(), ResolverOpts::default()));
            system_opts.timeout = opts.timeout;
            system_opts.attempts = opts.attempts;
            system_opts.cache_size = opts.cache_size;
            system_opts.ip_strategy = opts.ip_strategy;
            Ok(TokioAsyncResolver::tokio(config, system_opts))
        }
    }
}
