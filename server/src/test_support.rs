//! Rows for unit tests that need a real database: a migrated SQLite file in a temp dir,
//! an application and its deployments.

use entities::{applications, deployments};
use sea_orm::DatabaseConnection;

use crate::deploy::Status;

pub(crate) async fn test_db() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::db::connect(&dir.path().join("t.db")).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    (dir, db)
}

pub(crate) async fn app_row(db: &DatabaseConnection, id: &str, active: Option<&str>) {
    use sea_orm::{ActiveModelTrait, Set};
    let server = crate::services::servers::ensure_local(db).await.unwrap();
    let now = chrono::Utc::now();
    applications::ActiveModel {
        id: Set(id.into()),
        name: Set(id.into()),
        description: Set(None),
        server_id: Set(server.id),
        git_url: Set(None),
        branch: Set(None),
        image: Set(Some("busybox:latest".into())),
        build_strategy: Set(entities::applications::BuildStrategy::Image),
        dockerfile_path: Set("Dockerfile".into()),
        build_context: Set(".".into()),
        port: Set(8080),
        auto_deploy: Set(false),
        memory_limit_bytes: Set(None),
        cpu_limit_millis: Set(None),
        restart_policy: Set(entities::applications::RestartPolicy::No),
        cutover_order: Set(entities::applications::CutoverOrder::StartFirst),
        static_build_image: Set(None),
        static_build_command: Set(None),
        static_output_dir: Set(".".into()),
        spa_fallback: Set(false),
        compose_path: Set("docker-compose.yml".into()),
        compose_service: Set(None),
        cluster_id: Set(None),
        replicas: Set(1),
        placement: Set(None),
        max_replicas_per_node: Set(None),
        status: Set(entities::applications::AppStatus::Running),
        active_deployment_id: Set(active.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
}

pub(crate) async fn deployment_row(
    db: &DatabaseConnection,
    id: &str,
    app: &str,
    status: Status,
    image: Option<&str>,
    age_minutes: i64,
    rollback_of: Option<&str>,
) {
    use sea_orm::{ActiveModelTrait, Set};
    let at = chrono::Utc::now() - chrono::Duration::minutes(age_minutes);
    deployments::ActiveModel {
        id: Set(id.into()),
        application_id: Set(app.into()),
        status: Set(status),
        trigger: Set(entities::deployments::Trigger::Manual),
        commit_sha: Set(None),
        commit_message: Set(None),
        commit_author: Set(None),
        image_tag: Set(image.map(str::to_string)),
        container_id: Set(None),
        container_name: Set(None),
        host_port: Set(None),
        failure_reason: Set(None),
        rollback_of_id: Set(rollback_of.map(str::to_string)),
        compose_file: Set(None),
        compose_images: Set(None),
        triggered_by_user_id: Set(None),
        server_id: Set(None),
        cluster_id: Set(None),
        service_id: Set(None),
        upstreams: Set(None),
        created_at: Set(at),
        started_at: Set(Some(at)),
        finished_at: Set(None),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .unwrap();
}
