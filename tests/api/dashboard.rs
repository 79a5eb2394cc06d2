//! The `dashboard` query: its figures follow the applications, deployments and health
//! checks in the database; bad input is refused. (The end-to-end deploy of
//! `docker_resources` checks it against a real deployment too.)

use chrono::{Duration, Utc};
use entities::{applications, deployments, health_checks};
use ployer_tests::{error_code, error_field, spawn_app, TestApp};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};

const DASHBOARD: &str = "query($first: Int) { dashboard {
    applications { total created deploying running failed stopped }
    deploymentsLastDay { total succeeded failed cancelled inProgress }
    recentDeployments(first: $first) { id status application { name } }
    server { isLocal resources { cpuCount memoryTotalBytes } }
    failingHealthChecks { application { name } status consecutiveFailures restartCount lastCheckedAt }
} }";

async fn image_app(app: &TestApp, token: &str, name: &str) -> String {
    let response = app
        .create_application(
            token,
            json!({ "name": name, "image": "nginx:1.27", "buildStrategy": "IMAGE", "port": 80 }),
        )
        .await;
    response["data"]["createApplication"]["application"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("createApplication: {response}"))
        .to_string()
}

async fn set_status(app: &TestApp, id: &str, status: &str) {
    let row = applications::Entity::find_by_id(id.to_string())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: applications::ActiveModel = row.into();
    row.status = Set(status.parse().unwrap());
    row.update(&app.state.db).await.unwrap();
}

async fn deployment(app: &TestApp, id: &str, app_id: &str, status: &str, age_minutes: i64) {
    let at = Utc::now() - Duration::minutes(age_minutes);
    deployments::ActiveModel {
        id: Set(id.into()),
        application_id: Set(app_id.into()),
        status: Set(status.parse().unwrap()),
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
        created_at: Set(at),
        started_at: Set(Some(at)),
        finished_at: Set(None),
        updated_at: Set(at),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
}

/// Gives the application a health check and records the verdict the monitor would.
async fn health(app: &TestApp, token: &str, app_id: &str, status: &str, failures: i32) {
    let configured = app
        .graphql_as(
            token,
            "mutation($i: ConfigureHealthCheckInput!) { configureHealthCheck(input: $i) { healthCheck { path } } }",
            json!({ "i": { "applicationId": app_id, "path": "/healthz" } }),
        )
        .await;
    assert!(configured["errors"].is_null(), "{configured}");
    let row = health_checks::Entity::find()
        .filter(health_checks::Column::ApplicationId.eq(app_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: health_checks::ActiveModel = row.into();
    row.status = Set(status.parse().unwrap());
    row.consecutive_failures = Set(failures);
    row.restart_count = Set(failures / 3);
    row.last_checked_at = Set(Some(Utc::now()));
    row.update(&app.state.db).await.unwrap();
}

async fn dashboard(app: &TestApp, token: &str, first: Option<i32>) -> Value {
    let response = app.graphql_as(token, DASHBOARD, json!({ "first": first })).await;
    assert!(response["errors"].is_null(), "dashboard: {response}");
    response["data"]["dashboard"].clone()
}

#[tokio::test]
async fn dashboard_figures_follow_applications_deployments_and_failing_health_checks() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let viewer = app.user_token(&admin, "viewer@example.com", "VIEWER").await;

    let empty = dashboard(&app, &viewer, None).await;
    assert_eq!(empty["applications"]["total"], 0);
    assert_eq!(empty["recentDeployments"], json!([]));
    assert_eq!(empty["failingHealthChecks"], json!([]));
    assert_eq!(empty["server"]["isLocal"], true);
    assert!(empty["server"]["resources"]["cpuCount"].as_i64().unwrap() >= 1);

    let web = image_app(&app, &admin, "web").await;
    let api = image_app(&app, &admin, "api").await;
    let worker = image_app(&app, &admin, "worker").await;
    let _idle = image_app(&app, &admin, "idle").await;
    set_status(&app, &web, "running").await;
    set_status(&app, &api, "running").await;
    set_status(&app, &worker, "failed").await;
    deployment(&app, "d-web-1", &web, "superseded", 60).await;
    deployment(&app, "d-web-2", &web, "running", 30).await;
    deployment(&app, "d-api-1", &api, "running", 20).await;
    deployment(&app, "d-worker-1", &worker, "failed", 10).await;
    deployment(&app, "d-worker-2", &worker, "building", 1).await;
    deployment(&app, "d-old", &web, "cancelled", 60 * 48).await;
    health(&app, &admin, &web, "healthy", 0).await;
    health(&app, &admin, &api, "unhealthy", 4).await;
    health(&app, &admin, &worker, "healthy", 1).await;

    let figures = dashboard(&app, &viewer, Some(3)).await;
    assert_eq!(
        figures["applications"],
        json!({ "total": 4, "created": 1, "deploying": 0, "running": 2, "failed": 1, "stopped": 0 })
    );
    assert_eq!(
        figures["deploymentsLastDay"],
        json!({ "total": 5, "succeeded": 3, "failed": 1, "cancelled": 0, "inProgress": 1 }),
        "the two-day-old one is not counted"
    );
    assert_eq!(
        figures["recentDeployments"],
        json!([
            { "id": "d-worker-2", "status": "BUILDING", "application": { "name": "worker" } },
            { "id": "d-worker-1", "status": "FAILED", "application": { "name": "worker" } },
            { "id": "d-api-1", "status": "RUNNING", "application": { "name": "api" } },
        ]),
        "newest first, `first` of them"
    );
    let failing: Vec<(String, String, i64)> = figures["failingHealthChecks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["application"]["name"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
                c["consecutiveFailures"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        failing,
        vec![
            ("api".to_string(), "unhealthy".to_string(), 4),
            ("worker".to_string(), "healthy".to_string(), 1),
        ],
        "unhealthy or failing, the worst first; the healthy one is not listed"
    );
    assert!(figures["failingHealthChecks"][0]["lastCheckedAt"].is_string());

    let all = dashboard(&app, &viewer, None).await;
    assert_eq!(all["recentDeployments"].as_array().unwrap().len(), 6, "default 10");
    for bad in [0, 51, -1] {
        let response = app.graphql_as(&viewer, DASHBOARD, json!({ "first": bad })).await;
        assert_eq!(error_code(&response), Some("BAD_USER_INPUT"), "{bad}: {response}");
        assert_eq!(error_field(&response), Some("first"));
    }
    let anonymous = app.graphql(DASHBOARD, json!({})).await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"), "{anonymous}");
}
