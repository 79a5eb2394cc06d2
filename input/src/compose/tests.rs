use super::*;

fn vars(name: &str) -> Option<String> {
    match name {
        "TAG" => Some("1.2".into()),
        "SECRET" => Some("s3cret\nprivileged: true".into()),
        _ => None,
    }
}

fn planned(raw: &str) -> Result<Plan> {
    plan(raw, &vars, None)
}

fn refused(raw: &str) -> ComposeError {
    planned(raw).expect_err("the file should be refused")
}

const TWO: &str = r#"
services:
  web:
    build: ./web
    ports: ["8080"]
    environment:
      DB: http://db:9000
      TAG: ${TAG}
    depends_on:
      db:
        condition: service_healthy
  db:
    image: base:${TAG:-latest}
    expose: ["9000"]
    volumes: ["data:/var/lib/db", "/srv/shared:/shared:ro"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
    command: httpd -f -p 9000
volumes:
  data: {}
"#;

#[test]
fn plans_services_in_dependency_order_with_the_routed_one_last() {
    let plan = planned(TWO).unwrap();
    let names: Vec<&str> = plan.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["db", "web"]);
    assert_eq!(plan.routed, "web");
    assert_eq!(plan.volumes, ["data"]);
    let web = plan.service("web").unwrap();
    assert_eq!(web.port, Some(8080));
    assert_eq!(
        web.source,
        Source::Build {
            context: "web".into(),
            dockerfile: "Dockerfile".into(),
            image: None
        }
    );
    assert_eq!(
        web.env,
        [("DB".into(), "http://db:9000".into()), ("TAG".into(), "1.2".into())]
    );
    assert_eq!(
        web.depends_on,
        [Dependency {
            service: "db".into(),
            healthy: true
        }]
    );
    let db = plan.service("db").unwrap();
    assert_eq!(db.source, Source::Image("base:1.2".into()));
    assert_eq!(db.command.as_deref().unwrap(), ["httpd", "-f", "-p", "9000"]);
    assert_eq!(db.mounts[0].source, MountSource::Volume("data".into()));
    assert_eq!(db.mounts[1].source, MountSource::Bind("/srv/shared".into()));
    assert!(db.mounts[1].read_only);
    let health = db.healthcheck.as_ref().unwrap();
    assert_eq!(health.test, ["CMD", "test", "-f", "/ready"]);
    assert_eq!(health.interval, Some(Duration::from_secs(1)));
    assert_eq!(health.retries, Some(30));
}

#[test]
fn the_routed_service_can_be_named_and_an_unknown_one_is_refused() {
    let plan = plan(TWO, &vars, Some("web")).unwrap();
    assert_eq!(plan.routed().name, "web");
    let err = plan_err(TWO, Some("api"));
    assert_eq!(err.key, "composeService");
    assert!(
        err.message.contains("db, web") || err.message.contains("web, db"),
        "{err}"
    );
    // A service others depend on cannot be the one replaced on every deploy.
    let err = plan_err(TWO, Some("db"));
    assert!(err.message.contains("no service may depend on it"), "{err}");
}

fn plan_err(raw: &str, routed: Option<&str>) -> ComposeError {
    plan(raw, &vars, routed).unwrap_err()
}

#[test]
fn interpolation_is_per_value_and_cannot_add_keys() {
    let raw = "services:\n  web:\n    image: base\n    expose: [\"80\"]\n    environment:\n      S: ${SECRET}\n";
    let plan = planned(raw).unwrap();
    assert_eq!(plan.routed().env, [("S".into(), "s3cret\nprivileged: true".into())]);
    let err = refused("services:\n  web:\n    image: ${MISSING:?set MISSING in the application}\n");
    assert_eq!(err.key, "services.web.image");
    assert!(err.message.contains("set MISSING in the application"), "{err}");
}

#[test]
fn a_file_that_does_not_parse_names_line_and_column() {
    let err = refused("services:\n  web:\n    image: [unclosed\n");
    assert!(err.to_string().contains("line "), "{err}");
    assert!(err.to_string().contains("column"), "{err}");
    let err = refused("services:\n  web:\n    image: base\n    ports: 12\n");
    assert!(
        err.to_string().contains("line 3") && err.to_string().contains("Ports"),
        "{err}"
    );
    let err = refused("services:\n  web:\n    imagee: base\n");
    assert!(err.to_string().contains("imagee"), "{err}");
    assert!(refused("- a\n- b\n").message.contains("mapping"));
    assert!(refused("services: {}\n").message.contains("no service"));
}

#[test]
fn every_refused_key_names_its_service_and_key() {
    let cases = [
        ("privileged: true", "services.web.privileged"),
        ("network_mode: host", "services.web.network_mode"),
        ("pid: host", "services.web.pid"),
        ("ipc: host", "services.web.ipc"),
        ("userns_mode: host", "services.web.userns_mode"),
        ("devices: [\"/dev/sda:/dev/sda\"]", "services.web.devices"),
        ("cap_add: [SYS_ADMIN]", "services.web.cap_add"),
        ("security_opt: [\"seccomp=unconfined\"]", "services.web.security_opt"),
        ("volumes_from: [other]", "services.web.volumes_from"),
        ("container_name: fixed", "services.web.container_name"),
        ("env_file: .env", "services.web.env_file"),
        ("ports: [\"8080:80\"]", "services.web.ports.0"),
        ("ports: [\"127.0.0.1:8080:80\"]", "services.web.ports.0"),
        ("ports: [{target: 80, published: 8080}]", "services.web.ports.0"),
        ("ports: [\"53/udp\"]", "services.web.ports.0"),
        ("volumes: [\"./data:/data\"]", "services.web.volumes.0"),
        ("volumes: [\"undeclared:/data\"]", "services.web.volumes.0"),
        ("volumes: [\"data:/\"]", "services.web.volumes.0"),
        ("volumes: [\"data:relative\"]", "services.web.volumes.0"),
        ("labels: {ployer.app: other}", "services.web.labels"),
        ("build: ../outside", "services.web.build.context"),
        ("build: /abs", "services.web.build.context"),
        ("build: https://example.com/repo.git", "services.web.build.context"),
        (
            "build: {context: ., dockerfile: ../Dockerfile}",
            "services.web.build.dockerfile",
        ),
        ("depends_on: [nothere]", "services.web.depends_on"),
        (
            "depends_on: {db: {condition: service_completed_successfully}}",
            "services.web.depends_on.db.condition",
        ),
        (
            "healthcheck: {test: [\"CMD\", \"x\"], interval: soon}",
            "services.web.healthcheck.interval",
        ),
        ("restart: sometimes", "services.web.restart"),
    ];
    for (line, key) in cases {
        let raw = format!("services:\n  web:\n    image: base\n    expose: [\"80\"]\n    {line}\n  db:\n    image: base\nvolumes:\n  data:\n");
        let err = refused(&raw);
        assert_eq!(err.key, key, "{line}: {err}");
        assert!(!err.message.is_empty());
    }
}

#[test]
fn top_level_keys_that_reach_outside_the_file_are_refused() {
    let base = "services:\n  web:\n    image: base\n    expose: [\"80\"]\n";
    for (extra, key) in [
        (
            "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: /etc}\n",
            "volumes.data",
        ),
        ("volumes:\n  data:\n    external: true\n", "volumes.data"),
        ("volumes:\n  data:\n    name: other-app-data\n", "volumes.data"),
        ("include: [other.yml]\n", "include"),
        ("secrets:\n  s:\n    file: /etc/shadow\n", "secrets"),
    ] {
        let err = refused(&format!("{base}{extra}"));
        assert_eq!(err.key, key, "{extra}: {err}");
    }
}

#[test]
fn cycles_are_refused_and_ignored_keys_are_reported() {
    let raw = "services:\n  web:\n    image: base\n    expose: [\"80\"]\n  a:\n    image: base\n    depends_on: [b]\n  b:\n    image: base\n    depends_on: [a]\n";
    let err = refused(raw);
    assert!(err.message.contains("cycle"), "{err}");
    let raw = "services:\n  web:\n    image: base\n    expose: [\"80\"]\n    hostname: h\n    init: true\n  tool:\n    image: base\n    profiles: [debug]\nnetworks:\n  back: {}\n";
    let plan = planned(raw).unwrap();
    assert_eq!(plan.services.len(), 1, "a service with profiles is not started");
    let text = plan.warnings.join("\n");
    assert!(text.contains("hostname") && text.contains("init"), "{text}");
    assert!(text.contains("networks"), "{text}");
}

#[test]
fn a_file_without_a_port_needs_the_routed_service_named() {
    let raw = "services:\n  worker:\n    image: base\n";
    assert_eq!(refused(raw).key, "services");
    let plan = plan(raw, &vars, Some("worker")).unwrap();
    assert_eq!(plan.routed().port, None);
}

#[test]
fn go_durations() {
    assert_eq!(go_duration("1m30s"), Some(Duration::from_secs(90)));
    assert_eq!(go_duration("500ms"), Some(Duration::from_millis(500)));
    assert_eq!(go_duration("1.5h"), Some(Duration::from_secs(5400)));
    assert_eq!(go_duration("10"), None);
    assert_eq!(go_duration("-1s"), None);
    assert_eq!(go_duration(""), None);
    assert_eq!(go_duration("99999999999999999999h"), None);
}

#[test]
fn large_and_alias_heavy_files_are_refused_quickly() {
    assert!(refused(&"#".repeat(MAX_FILE_BYTES + 1)).message.contains("larger"));
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "{}: &{} [*{},*{},*{},*{},*{},*{},*{},*{},*{}]\n",
            (b'a' + i) as char,
            (b'a' + i) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char,
            (b'a' + i - 1) as char
        ));
    }
    let started = std::time::Instant::now();
    assert!(planned(&bomb).is_err());
    assert!(started.elapsed() < Duration::from_secs(5));
}
