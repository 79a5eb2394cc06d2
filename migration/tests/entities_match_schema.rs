//! The entities in `entities/` must read and write the schema the migration builds. A column
//! renamed on one side only fails here rather than at the first request that touches it.

use chrono::{DateTime, SubsecRound, Utc};
use entities::{applications, deployment_logs, deployments, prelude::*, servers, users};
use migration::sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Database, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, ModelTrait, QueryFilter, QueryOrder, Set,
};
use migration::{Migrator, MigratorTrait};

async fn migrated_db() -> DatabaseConnection {
    let db = Database::connect("sqlite::memory:").await.expect("connect");
    Migrator::up(&db, None).await.expect("migrate up");
    db
}

/// Millisecond precision keeps the round-trip comparison about the schema, not the clock.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

fn user(id: &str, email: &str) -> users::Model {
    users::Model {
        id: id.into(),
        email: email.into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: users::Role::Admin,
        token_version: 0,
        created_at: now(),
        updated_at: now(),
    }
}

/// A server, an application on it, and one deployment of it triggered by `user_id`.
async fn seed_deployment(db: &DatabaseConnection, user_id: &str) -> deployments::Model {
    let server = servers::Model {
        id: "00000000-0000-4000-8000-000000000010".into(),
        name: "local".into(),
        host: "localhost".into(),
        port: 22,
        username: "ployer".into(),
        is_local: true,
        status: servers::ServerStatus::Reachable,
        last_checked_at: None,
        docker_socket: "/var/run/docker.sock".into(),
        private_key_ciphertext: None,
        private_key_nonce: None,
        public_key: None,
        host_key_fingerprint: None,
        docker_version: None,
        cpus: None,
        memory_bytes: None,
        disk_total_bytes: None,
        disk_free_bytes: None,
        last_error: None,
        cluster_id: None,
        swarm_node_id: None,
        created_at: now(),
        updated_at: now(),
    }
    .into_active_model()
    .insert(db)
    .await
    .expect("insert server");

    let app = applications::Model {
        id: "00000000-0000-4000-8000-000000000020".into(),
        name: "hello".into(),
        description: Some("says hello".into()),
        server_id: server.id,
        git_url: Some("https://example.com/hello.git".into()),
        branch: Some("main".into()),
        image: None,
        build_strategy: applications::BuildStrategy::Dockerfile,
        dockerfile_path: "Dockerfile".into(),
        build_context: ".".into(),
        port: 8080,
        auto_deploy: true,
        memory_limit_bytes: Some(512 * 1024 * 1024),
        cpu_limit_millis: Some(500),
        restart_policy: applications::RestartPolicy::UnlessStopped,
        cutover_order: applications::CutoverOrder::StartFirst,
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
        status: applications::AppStatus::Deploying,
        active_deployment_id: None,
        created_at: now(),
        updated_at: now(),
    }
    .into_active_model()
    .insert(db)
    .await
    .expect("insert application");

    deployments::Model {
        id: "00000000-0000-4000-8000-000000000030".into(),
        application_id: app.id,
        status: deployments::DeploymentStatus::Building,
        trigger: deployments::Trigger::Manual,
        commit_sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
        commit_message: Some("first".into()),
        commit_author: Some("Ada".into()),
        image_tag: None,
        container_id: None,
        container_name: None,
        host_port: None,
        failure_reason: None,
        rollback_of_id: None,
        compose_file: None,
        compose_images: None,
        triggered_by_user_id: Some(user_id.into()),
        server_id: None,
        cluster_id: None,
        service_id: None,
        upstreams: None,
        created_at: now(),
        started_at: Some(now()),
        finished_at: None,
        updated_at: now(),
    }
    .into_active_model()
    .insert(db)
    .await
    .expect("insert deployment")
}

async fn append_log(db: &DatabaseConnection, deployment_id: &str, stream: &str, line: &str) {
    deployment_logs::ActiveModel {
        id: NotSet,
        deployment_id: Set(deployment_id.into()),
        stream: Set(stream.parse().expect("a stream Ployer writes")),
        line: Set(line.into()),
        created_at: Set(now()),
    }
    .insert(db)
    .await
    .expect("insert log line");
}

#[tokio::test]
async fn every_entity_selects_every_column_it_declares() -> Result<(), DbErr> {
    let db = migrated_db().await;
    // A SELECT lists each declared column by name, so a missing or misnamed one errors.
    Users::find().all(&db).await?;
    ApiKeys::find().all(&db).await?;
    Servers::find().all(&db).await?;
    Mounts::find().all(&db).await?;
    ComposeServices::find().all(&db).await?;
    Applications::find().all(&db).await?;
    EnvironmentVariables::find().all(&db).await?;
    DeployKeys::find().all(&db).await?;
    Deployments::find().all(&db).await?;
    DeploymentLogs::find().all(&db).await?;
    Domains::find().all(&db).await?;
    Webhooks::find().all(&db).await?;
    WebhookDeliveries::find().all(&db).await?;
    HealthChecks::find().all(&db).await?;
    HealthCheckResults::find().all(&db).await?;
    ContainerStats::find().all(&db).await?;
    Settings::find().all(&db).await?;
    Ok(())
}

#[tokio::test]
async fn a_user_reads_back_as_it_was_written() {
    let db = migrated_db().await;
    let written = user("00000000-0000-4000-8000-000000000001", "ada@example.com");

    let inserted = written
        .clone()
        .into_active_model()
        .insert(&db)
        .await
        .expect("insert user");
    let read = Users::find_by_id(written.id.clone())
        .one(&db)
        .await
        .expect("select user");

    assert_eq!(inserted, written);
    assert_eq!(read, Some(written));
}

#[tokio::test]
async fn log_lines_get_increasing_ids_and_read_back_in_order() {
    let db = migrated_db().await;
    let ada = user("00000000-0000-4000-8000-000000000001", "ada@example.com");
    ada.clone().into_active_model().insert(&db).await.expect("insert user");
    let deployment = seed_deployment(&db, &ada.id).await;

    append_log(&db, &deployment.id, "system", "cloning").await;
    append_log(&db, &deployment.id, "stdout", "Step 1/3").await;
    append_log(&db, &deployment.id, "stderr", "warning: no cache").await;

    let lines = deployment
        .find_related(DeploymentLogs)
        .order_by_asc(deployment_logs::Column::Id)
        .all(&db)
        .await
        .expect("select log lines");
    let read: Vec<_> = lines.iter().map(|l| (l.stream.as_str(), l.line.as_str())).collect();
    assert_eq!(
        read,
        [
            ("system", "cloning"),
            ("stdout", "Step 1/3"),
            ("stderr", "warning: no cache")
        ]
    );
    assert!(lines.windows(2).all(|w| w[0].id < w[1].id));

    // The id works as a cursor: everything after the first line is the other two.
    let after_first = DeploymentLogs::find()
        .filter(deployment_logs::Column::DeploymentId.eq(deployment.id.as_str()))
        .filter(deployment_logs::Column::Id.gt(lines[0].id))
        .order_by_asc(deployment_logs::Column::Id)
        .all(&db)
        .await
        .expect("select after cursor");
    assert_eq!(after_first, lines[1..]);
}

#[tokio::test]
async fn deleting_an_application_deletes_its_deployments_and_their_logs() {
    let db = migrated_db().await;
    let ada = user("00000000-0000-4000-8000-000000000001", "ada@example.com");
    ada.clone().into_active_model().insert(&db).await.expect("insert user");
    let deployment = seed_deployment(&db, &ada.id).await;
    append_log(&db, &deployment.id, "system", "cloning").await;

    Applications::delete_by_id(deployment.application_id.clone())
        .exec(&db)
        .await
        .expect("delete application");

    assert_eq!(Deployments::find().all(&db).await.expect("deployments").len(), 0);
    assert_eq!(DeploymentLogs::find().all(&db).await.expect("logs").len(), 0);
}

#[tokio::test]
async fn deleting_a_user_keeps_their_deployments() {
    let db = migrated_db().await;
    let ada = user("00000000-0000-4000-8000-000000000001", "ada@example.com");
    ada.clone().into_active_model().insert(&db).await.expect("insert user");
    let deployment = seed_deployment(&db, &ada.id).await;

    Users::delete_by_id(ada.id).exec(&db).await.expect("delete user");

    let kept = Deployments::find_by_id(deployment.id).one(&db).await.expect("select");
    assert_eq!(kept.map(|d| d.triggered_by_user_id), Some(None));
}

#[tokio::test]
async fn a_server_that_hosts_applications_cannot_be_deleted() {
    let db = migrated_db().await;
    let ada = user("00000000-0000-4000-8000-000000000001", "ada@example.com");
    ada.clone().into_active_model().insert(&db).await.expect("insert user");
    seed_deployment(&db, &ada.id).await;

    let deleted = Servers::delete_by_id("00000000-0000-4000-8000-000000000010")
        .exec(&db)
        .await;

    assert!(deleted.is_err(), "ON DELETE RESTRICT should refuse: {deleted:?}");
}

#[tokio::test]
async fn two_users_cannot_share_an_email() {
    let db = migrated_db().await;
    user("00000000-0000-4000-8000-000000000001", "ada@example.com")
        .into_active_model()
        .insert(&db)
        .await
        .expect("first user");

    let second = user("00000000-0000-4000-8000-000000000002", "ada@example.com")
        .into_active_model()
        .insert(&db)
        .await;

    assert!(second.is_err(), "email is UNIQUE: {second:?}");
}
