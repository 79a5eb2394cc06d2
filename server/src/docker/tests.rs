//! Tests against the real engine at /var/run/docker.sock with the local base image
//! `ployer-test/busybox:latest`. Every test marks what it makes with a unique
//! `ployer.test=<uuid>` label (and unique names and tags) and a `Cleanup` guard removes it all
//! when the test ends, passed or failed, so the tests run in parallel and leave nothing behind.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bollard::query_parameters::ListContainersOptions;
use bollard::Docker;
use ployer_test_support::docker::{Leftovers, FIXTURES_HINT, TEST_IMAGE};
use tokio::sync::mpsc;

use super::*;
use crate::error::AppError;

const SOCKET: &str = "unix:///var/run/docker.sock";
const TEST_LABEL: &str = "ployer.test";

/// A client for the real engine, or a failure that says how to get one.
async fn docker() -> Docker {
    let docker = Engine::new(SOCKET)
        .client()
        .unwrap_or_else(|| panic!("no Docker client for {SOCKET}; {FIXTURES_HINT}"));
    if let Err(err) = docker.version().await {
        panic!("Docker is not reachable at {SOCKET} ({err}); {FIXTURES_HINT}");
    }
    match image_exists(&docker, TEST_IMAGE).await {
        Ok(true) => docker,
        other => panic!("the test image {TEST_IMAGE} is missing ({other:?}); {FIXTURES_HINT}"),
    }
}

/// One test's unique marker; dropping it removes every container and image labelled with it.
struct Cleanup {
    marker: String,
    _leftovers: Leftovers,
}

impl Cleanup {
    fn new() -> Self {
        let marker = uuid::Uuid::new_v4().simple().to_string();
        Self {
            _leftovers: Leftovers::labelled(format!("{TEST_LABEL}={marker}")),
            marker,
        }
    }

    fn short(&self) -> &str {
        &self.marker[..12]
    }

    /// Ployer's three labels for a fresh app id, plus this test's marker.
    fn labels(&self, app_id: &str) -> HashMap<String, String> {
        let mut labels = labels(app_id, &format!("dep-{}", self.short()));
        labels.insert(TEST_LABEL.to_string(), self.marker.clone());
        labels
    }

    fn filter(&self) -> HashMap<String, Vec<String>> {
        HashMap::from([("label".to_string(), vec![format!("{TEST_LABEL}={}", self.marker)])])
    }
}

fn write(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A Dockerfile whose first step carries the test's marker, so no cached layer is shared
/// with another test and every intermediate container is findable by label.
fn dockerfile(cleanup: &Cleanup, steps: &str) -> String {
    format!("FROM {TEST_IMAGE}\nLABEL {TEST_LABEL}={}\n{steps}", cleanup.marker)
}

struct Built {
    result: Result<String, DockerError>,
    log: Vec<String>,
}

async fn build(docker: &Docker, cleanup: &Cleanup, context: &Path, dockerfile: &str, args: &[(&str, &str)]) -> Built {
    let (tx, mut rx) = mpsc::channel(16);
    let collector = tokio::spawn(async move {
        let mut lines = Vec::new();
        while let Some(line) = rx.recv().await {
            lines.push(line);
        }
        lines
    });
    let tag = format!("ployer-test/app-{}:{}", cleanup.short(), cleanup.short());
    let spec = BuildSpec {
        context_dir: context,
        dockerfile,
        tag: &tag,
        build_args: args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        labels: cleanup.labels(&format!("app-{}", cleanup.short())),
        memory_bytes: 256 * 1024 * 1024,
        cpus: 1.0,
    };
    let result = build_image(docker, spec, tx).await;
    let log = collector.await.unwrap();
    Built { result, log }
}

fn tag_of(cleanup: &Cleanup) -> String {
    format!("ployer-test/app-{}:{}", cleanup.short(), cleanup.short())
}

/// Containers (any state) carrying the test's marker.
async fn marked_containers(docker: &Docker, cleanup: &Cleanup) -> Vec<String> {
    let options = ListContainersOptions {
        all: true,
        filters: Some(cleanup.filter()),
        ..Default::default()
    };
    docker
        .list_containers(Some(options))
        .await
        .unwrap()
        .into_iter()
        .filter_map(|c| c.id)
        .collect()
}

async fn http_get(url: &str) -> (u16, String) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let mut last_error = String::new();
    for _ in 0..50 {
        match client.get(url).send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                return (status, response.text().await.unwrap_or_default());
            }
            Err(err) => last_error = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("GET {url} never answered: {last_error}");
}

fn container_spec<'a>(
    cleanup: &Cleanup,
    name: &'a str,
    image: &'a str,
    app_id: &str,
    env: Vec<String>,
    cmd: Option<Vec<&str>>,
) -> ContainerSpec<'a> {
    ContainerSpec {
        name,
        image,
        env,
        labels: cleanup.labels(app_id),
        container_port: Some(8080),
        memory_bytes: Some(64 * 1024 * 1024),
        cpu_millis: Some(500),
        restart_policy: "no",
        cmd: cmd.map(|c| c.into_iter().map(str::to_string).collect()),
        mounts: Vec::new(),
        service: None,
    }
}

fn vm_rss_kib() -> u64 {
    crate::memory::resident_kib().expect("VmRSS from /proc/self/status")
}

#[tokio::test]
async fn a_dockerfile_build_streams_its_output_and_labels_the_image() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    let steps = "ARG GREETING\nRUN echo built-$GREETING\nCOPY www /www\nCMD [\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]\n";
    write(dir.path(), "Dockerfile", &dockerfile(&cleanup, steps));
    write(dir.path(), "www/index.html", "hello\n");
    let greeting = format!("arg-{}", cleanup.short());
    let built = build(&docker, &cleanup, dir.path(), "Dockerfile", &[("GREETING", &greeting)]).await;

    let id = built
        .result
        .unwrap_or_else(|err| panic!("{err}; log: {:#?}", built.log));
    assert!(id.starts_with("sha256:"), "{id}");
    let expected = format!("built-{greeting}");
    assert!(
        built.log.iter().any(|l| l == &expected),
        "no {expected:?} in {:#?}",
        built.log
    );
    assert!(built.log.iter().any(|l| l.starts_with("Step 1/")), "{:#?}", built.log);

    let image = docker.inspect_image(&tag_of(&cleanup)).await.unwrap();
    assert_eq!(image.id.as_deref(), Some(id.as_str()));
    let image_labels = image.config.and_then(|c| c.labels).unwrap_or_default();
    let app_id = format!("app-{}", cleanup.short());
    assert_eq!(image_labels.get(LABEL_MANAGED).map(String::as_str), Some("true"));
    assert_eq!(image_labels.get(LABEL_APP), Some(&app_id));
    assert_eq!(
        image_labels.get(LABEL_DEPLOYMENT),
        Some(&format!("dep-{}", cleanup.short()))
    );

    let managed = managed_images(&docker, Some(&app_id)).await.unwrap();
    assert_eq!(managed.len(), 1, "{managed:?}");
    assert_eq!(managed[0].id, id);
    assert_eq!(managed[0].tags, vec![tag_of(&cleanup)]);
    assert_eq!(managed[0].app_id.as_deref(), Some(app_id.as_str()));
    assert!(managed_images(&docker, None).await.unwrap().iter().any(|m| m.id == id));
    assert!(
        marked_containers(&docker, &cleanup).await.is_empty(),
        "intermediate containers left"
    );
}

#[tokio::test]
async fn dockerignore_keeps_ignored_files_out_of_the_build() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "canary", "host-canary-content");
    let dir = tempfile::tempdir().unwrap();
    let steps = "COPY . /ctx\nRUN echo root: $(ls /ctx)\nRUN echo sub: $(ls /ctx/sub)\n\
                 RUN echo link: $(cat /ctx/link 2>/dev/null || echo not-followed)\n";
    write(dir.path(), "docker/Dockerfile", &dockerfile(&cleanup, steps));
    write(dir.path(), "keep.txt", "keep");
    write(dir.path(), "secret.txt", "must not reach the daemon");
    write(dir.path(), "x.tmp", "tmp");
    write(dir.path(), "logs/a.log", "log");
    write(dir.path(), "sub/secret.txt", "root patterns do not match here");
    write(dir.path(), ".dockerignore", "secret.txt\nlogs/\n*.tmp\n");
    std::os::unix::fs::symlink(outside.path().join("canary"), dir.path().join("link")).unwrap();
    let built = build(&docker, &cleanup, dir.path(), "docker/Dockerfile", &[]).await;

    built
        .result
        .unwrap_or_else(|err| panic!("{err}; log: {:#?}", built.log));
    let has = |line: &str| built.log.iter().any(|l| l == line);
    assert!(has("root: docker keep.txt link sub"), "{:#?}", built.log);
    assert!(has("sub: secret.txt"), "{:#?}", built.log);
    // The link travelled as a link: inside the build it points at nothing.
    assert!(has("link: not-followed"), "{:#?}", built.log);
    assert!(!built.log.iter().any(|l| l.contains("host-canary-content")));
}

#[tokio::test]
async fn a_dropped_build_stops_and_leaves_no_container() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &dockerfile(&cleanup, "RUN echo sleeping && sleep 60\n"),
    );
    let tag = tag_of(&cleanup);
    let (tx, mut rx) = mpsc::channel(64);
    let spec = BuildSpec {
        context_dir: dir.path(),
        dockerfile: "Dockerfile",
        tag: &tag,
        build_args: HashMap::new(),
        labels: cleanup.labels("cancel-app"),
        memory_bytes: 0,
        cpus: 0.0,
    };
    let mut running = Box::pin(build_image(&docker, spec, tx));
    let wait_for_step = async {
        loop {
            tokio::select! {
                result = &mut running => panic!("the build ended before it was cancelled: {result:?}"),
                line = rx.recv() => if line.as_deref() == Some("sleeping") { break },
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), wait_for_step)
        .await
        .expect("the RUN step never started");
    assert!(
        !marked_containers(&docker, &cleanup).await.is_empty(),
        "the RUN step should have a container"
    );
    drop(running);

    let mut left = Vec::new();
    for _ in 0..100 {
        left = marked_containers(&docker, &cleanup).await;
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(left.is_empty(), "containers left after cancelling: {left:?}");
    assert!(!image_exists(&docker, &tag).await.unwrap());
}

#[tokio::test]
async fn a_failing_run_step_is_a_build_error_and_leaves_no_container() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &dockerfile(&cleanup, "RUN echo before-failure && exit 3\nRUN echo never\n"),
    );
    let built = build(&docker, &cleanup, dir.path(), "Dockerfile", &[]).await;

    match &built.result {
        Err(DockerError::Build(message)) => assert!(message.contains("non-zero code: 3"), "{message}"),
        other => panic!("expected a build error, got {other:?}; log: {:#?}", built.log),
    }
    assert!(built.log.iter().any(|l| l == "before-failure"), "{:#?}", built.log);
    assert!(
        built
            .log
            .iter()
            .any(|l| l.starts_with("error: ") && l.contains("non-zero code: 3")),
        "{:#?}",
        built.log
    );
    assert!(!built.log.iter().any(|l| l == "never"));
    assert!(
        marked_containers(&docker, &cleanup).await.is_empty(),
        "intermediate container left"
    );
    assert!(!image_exists(&docker, &tag_of(&cleanup)).await.unwrap());
}

#[tokio::test]
async fn a_build_step_is_held_to_the_build_memory_limit() {
    // `build` gives each step 256 MiB: a step that fills a 600 MiB buffer is killed, one that
    // fills 64 MiB is not.
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &dockerfile(
            &cleanup,
            "RUN dd if=/dev/zero of=/dev/null bs=64M count=1 && echo small-step-$((40+2))\n\
             RUN dd if=/dev/zero of=/dev/null bs=600M count=1 && echo big-step-$((40+2))\n",
        ),
    );
    let built = build(&docker, &cleanup, dir.path(), "Dockerfile", &[]).await;
    match &built.result {
        Err(DockerError::Build(message)) => assert!(message.contains("137"), "killed (128 + SIGKILL): {message}"),
        other => panic!(
            "expected the big step to be killed, got {other:?}; log: {:#?}",
            built.log
        ),
    }
    assert!(
        built.log.iter().any(|l| l.ends_with("small-step-42")),
        "{:#?}",
        built.log
    );
    assert!(
        !built.log.iter().any(|l| l.ends_with("big-step-42")),
        "{:#?}",
        built.log
    );
}

#[tokio::test]
async fn an_unknown_instruction_is_a_build_error() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", &dockerfile(&cleanup, "FROBNICATE now\n"));
    let built = build(&docker, &cleanup, dir.path(), "Dockerfile", &[]).await;

    match &built.result {
        Err(DockerError::Build(message)) => {
            assert!(message.to_lowercase().contains("unknown instruction"), "{message}")
        }
        other => panic!("expected a build error, got {other:?}; log: {:#?}", built.log),
    }
    assert!(marked_containers(&docker, &cleanup).await.is_empty());
}

#[tokio::test]
async fn a_dockerfile_outside_the_context_is_refused_before_anything_is_sent() {
    // Refused before the engine is asked, so this runs without the fixtures too.
    let docker = Engine::new(SOCKET).client().unwrap();
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    let context = dir.path().join("ctx");
    write(&context, "Dockerfile", &dockerfile(&cleanup, ""));
    write(dir.path(), "x", &dockerfile(&cleanup, ""));
    std::os::unix::fs::symlink(dir.path().join("x"), context.join("Linked")).unwrap();
    for bad in ["../x", "Linked", "/etc/passwd"] {
        let built = build(&docker, &cleanup, &context, bad, &[]).await;
        match built.result {
            Err(DockerError::Build(message)) => {
                assert!(message.contains("refusing Dockerfile path"), "{message}");
                assert!(
                    built.log.iter().any(|l| l.contains("refusing Dockerfile path")),
                    "{:?}",
                    built.log
                );
            }
            other => panic!("{bad}: expected a refusal, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_running_container_serves_on_loopback_is_listed_and_is_removed() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    let steps = "COPY www /www\nCMD [\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]\n";
    write(dir.path(), "Dockerfile", &dockerfile(&cleanup, steps));
    write(dir.path(), "www/index.html", &format!("page {}\n", cleanup.marker));
    let built = build(&docker, &cleanup, dir.path(), "Dockerfile", &[]).await;
    built
        .result
        .unwrap_or_else(|err| panic!("{err}; log: {:#?}", built.log));

    let app_id = format!("app-{}", cleanup.marker);
    let name = format!("ployer-test-{}", cleanup.marker);
    let tag = tag_of(&cleanup);
    let spec = container_spec(&cleanup, &name, &tag, &app_id, vec![], None);
    let started = run_container(&docker, spec).await.unwrap();
    assert_ne!(started.host_port, None);

    let (status, body) = http_get(&format!("http://127.0.0.1:{}/", started.host_port.unwrap())).await;
    assert_eq!(status, 200);
    assert_eq!(body, format!("page {}\n", cleanup.marker));

    let inspected = docker.inspect_container(&started.id, None).await.unwrap();
    let bindings = inspected.host_config.and_then(|h| h.port_bindings).unwrap();
    let binding = &bindings["8080/tcp"].as_ref().unwrap()[0];
    assert_eq!(binding.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        inspect_running(&docker, &started.id).await.unwrap(),
        Some((true, started.host_port))
    );

    let listed = managed_containers(&docker, Some(&app_id)).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    let c = &listed[0];
    assert_eq!(
        (c.id.as_str(), c.name.as_str(), c.image.as_str()),
        (started.id.as_str(), name.as_str(), tag.as_str())
    );
    assert_eq!(c.app_id.as_deref(), Some(app_id.as_str()));
    assert_eq!(c.deployment_id, Some(format!("dep-{}", cleanup.short())));
    assert!(c.running);
    assert_eq!(c.host_port, started.host_port);
    assert!(managed_containers(&docker, None)
        .await
        .unwrap()
        .iter()
        .any(|m| m.id == started.id));
    assert!(managed_containers(&docker, Some("no-such-app"))
        .await
        .unwrap()
        .is_empty());

    stop_and_remove(&docker, &started.id, 1).await.unwrap();
    assert_eq!(inspect_running(&docker, &started.id).await.unwrap(), None);
    assert!(managed_containers(&docker, Some(&app_id)).await.unwrap().is_empty());
    stop_and_remove(&docker, &started.id, 1)
        .await
        .expect("removing a gone container is Ok");
}

#[tokio::test]
async fn env_values_with_shell_metacharacters_reach_the_container_verbatim() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let value = "a; b | c $(touch /www/pwned) `id` && d\nsecond line 'single' \"double\" $HOME";
    let name = format!("ployer-test-{}", cleanup.marker);
    let cmd = vec!["sh", "-c", "printf '%s' \"$X\" > /www/x; httpd -f -p 8080 -h /www"];
    let spec = container_spec(
        &cleanup,
        &name,
        TEST_IMAGE,
        "env-app",
        vec![format!("X={value}")],
        Some(cmd),
    );
    let started = run_container(&docker, spec).await.unwrap();

    let (status, body) = http_get(&format!("http://127.0.0.1:{}/x", started.host_port.unwrap())).await;
    assert_eq!(status, 200);
    assert_eq!(body, value);
    let (status, _) = http_get(&format!("http://127.0.0.1:{}/pwned", started.host_port.unwrap())).await;
    assert_eq!(status, 404);
    stop_and_remove(&docker, &started.id, 1).await.unwrap();
}

#[tokio::test]
async fn a_container_that_cannot_start_is_removed() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let name = format!("ployer-test-{}", cleanup.marker);
    let spec = container_spec(
        &cleanup,
        &name,
        TEST_IMAGE,
        "broken-app",
        vec![],
        Some(vec!["/no/such/binary"]),
    );
    let err = run_container(&docker, spec).await.expect_err("start must fail");
    assert!(!matches!(err, DockerError::Unavailable(_)), "{err:?}");
    assert!(
        marked_containers(&docker, &cleanup).await.is_empty(),
        "the failed container was left behind"
    );
}

#[tokio::test]
async fn logs_tail_returns_the_last_lines_and_absent_containers_are_none() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let name = format!("ployer-test-{}", cleanup.marker);
    // stdout and stderr are separate pipes: only lines a moment apart have a defined order.
    let cmd = vec!["sh", "-c", "echo one; echo two; sleep 1; echo three >&2; sleep 30"];
    let spec = container_spec(&cleanup, &name, TEST_IMAGE, "logs-app", vec![], Some(cmd));
    let started = run_container(&docker, spec).await.unwrap();

    let mut tail = Vec::new();
    for _ in 0..50 {
        tail = logs_tail(&docker, &started.id, 2).await.unwrap();
        if tail.last().map(String::as_str) == Some("three") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(tail, vec!["two", "three"]);
    assert!(logs_tail(&docker, &started.id, 0).await.unwrap().is_empty());
    assert!(matches!(
        logs_tail(&docker, "no-such-container", 5).await,
        Err(DockerError::NotFound(_))
    ));
    assert_eq!(inspect_running(&docker, "no-such-container").await.unwrap(), None);
    stop_and_remove(&docker, &started.id, 1).await.unwrap();
}

/// What `sh -c script` prints in `container` (no TTY), for looking inside it.
async fn exec_output(docker: &Docker, container: &str, script: &str) -> String {
    use bollard::exec::{CreateExecOptions, StartExecResults};
    use futures::StreamExt;
    let options = CreateExecOptions {
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        cmd: Some(vec!["sh", "-c", script]),
        ..Default::default()
    };
    let id = docker.create_exec(container, options).await.unwrap().id;
    let mut out = String::new();
    if let StartExecResults::Attached { mut output, .. } = docker.start_exec(&id, None).await.unwrap() {
        while let Some(frame) = output.next().await {
            out.push_str(&String::from_utf8_lossy(&frame.unwrap().into_bytes()));
        }
    }
    out
}

#[tokio::test]
async fn a_shell_runs_what_is_typed_and_is_hung_up_with_what_it_started() {
    use futures::StreamExt;
    use tokio::io::AsyncWriteExt;

    let docker = docker().await;
    let cleanup = Cleanup::new();
    let name = format!("ployer-test-{}", cleanup.marker);
    let cmd = vec!["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"];
    let spec = container_spec(&cleanup, &name, TEST_IMAGE, "shell-app", vec![], Some(cmd));
    let started = run_container(&docker, spec).await.unwrap();

    let size = exec::TtySize::new(100, 30).unwrap();
    let marker = uuid::Uuid::new_v4().to_string();
    let mut shell = exec::open_shell(&docker, &started.id, size, &marker).await.unwrap();
    // The arithmetic happens in the container's shell: the typed text is not the output.
    shell
        .input
        .write_all(b"sleep 777 & stty size; echo shell-$((6*7))\n")
        .await
        .unwrap();
    shell.input.flush().await.unwrap();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !(seen.contains("shell-42") && seen.contains("30 100")) {
        let chunk = tokio::time::timeout_at(deadline, shell.output.next())
            .await
            .unwrap_or_else(|_| panic!("no shell-42 and 30 100 within 10 s: {seen:?}"))
            .expect("the shell's output goes on")
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let exec_id = shell.exec_id.clone();
    assert!(exec::exec_state(&docker, &exec_id).await.unwrap().running);
    let sleeping = "ps | grep -c 'sleep 77[7]' || true";
    assert_eq!(exec_output(&docker, &started.id, sleeping).await.trim(), "1");

    // Closing the connection leaves the shell running (the engine keeps a TTY's stdin open);
    // the hang-up ends it and what it started.
    drop(shell);
    exec::hang_up(&docker, &started.id, &marker).await.unwrap();
    let state = exec::exec_state(&docker, &exec_id).await.unwrap();
    assert!(!state.running, "the shell outlived its hang-up: {state:?}");
    assert_eq!(exec_output(&docker, &started.id, sleeping).await.trim(), "0");
    assert!(
        exec_output(&docker, &started.id, "ps").await.contains("sleep 300"),
        "the container's own processes are left alone"
    );
    // Nothing left to hang up: fine too.
    exec::hang_up(&docker, &started.id, &marker).await.unwrap();

    let missing = exec::open_shell(&docker, "no-such-container", size, &marker).await;
    assert!(matches!(missing, Err(DockerError::NotFound(_))), "{:?}", missing.err());
    assert!(exec::open_shell(&docker, "../containers/x", size, &marker)
        .await
        .is_err());
    assert!(exec::open_shell(&docker, &started.id, size, "$(id)").await.is_err());
    stop_and_remove(&docker, &started.id, 1).await.unwrap();
    exec::hang_up(&docker, &started.id, &marker).await.unwrap();
}

#[tokio::test]
async fn a_big_context_is_streamed_not_held_in_memory() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &dockerfile(&cleanup, "RUN echo small-image\n"),
    );
    let big = std::fs::File::create(dir.path().join("zeros.bin")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    drop(big);

    // Sample while the build runs: memory held during the upload is freed before it returns.
    let before = vm_rss_kib();
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        std::thread::spawn(move || {
            let mut peak = vm_rss_kib();
            while sampling.load(Ordering::Relaxed) {
                peak = peak.max(vm_rss_kib());
                std::thread::sleep(Duration::from_millis(2));
            }
            peak
        })
    };
    let built = build(&docker, &cleanup, dir.path(), "Dockerfile", &[]).await;
    sampling.store(false, Ordering::Relaxed);
    let peak = sampler.join().unwrap();
    built
        .result
        .unwrap_or_else(|err| panic!("{err}; log: {:#?}", built.log));
    let growth_mib = peak.saturating_sub(before) / 1024;
    assert!(
        growth_mib < 30,
        "RSS grew by {growth_mib} MiB building a 50 MiB context"
    );
}

#[tokio::test]
async fn images_are_tagged_found_and_removed() {
    let docker = docker().await;
    let cleanup = Cleanup::new();
    let tag = format!("ployer-test/tagged-{}:v1", cleanup.short());
    assert!(!image_exists(&docker, &tag).await.unwrap());
    tag_image(&docker, TEST_IMAGE, &tag).await.unwrap();
    let removal = scopeguard_remove(tag.clone());
    assert!(image_exists(&docker, &tag).await.unwrap());
    remove_image(&docker, &tag).await.unwrap();
    assert!(!image_exists(&docker, &tag).await.unwrap());
    assert!(
        image_exists(&docker, TEST_IMAGE).await.unwrap(),
        "untagging must not remove the base image"
    );
    remove_image(&docker, &tag)
        .await
        .expect("removing an absent image is Ok");
    drop(removal);
}

/// Untags `tag` when dropped (the tag carries no test label of its own).
fn scopeguard_remove(tag: String) -> impl Drop {
    struct Untag(String);
    impl Drop for Untag {
        fn drop(&mut self) {
            let tag = self.0.clone();
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    if let Some(docker) = Engine::new(SOCKET).client() {
                        let _ = remove_image(&docker, &tag).await;
                    }
                });
            })
            .join();
        }
    }
    Untag(tag)
}

#[tokio::test]
async fn ensure_image_accepts_a_present_image_and_fails_a_pull_that_cannot_happen() {
    let docker = docker().await;
    let (tx, mut rx) = mpsc::channel(64);
    ensure_image(&docker, TEST_IMAGE, tx.clone()).await.unwrap();
    assert!(rx.try_recv().is_err(), "a present image is not pulled");

    let missing = format!("127.0.0.1:9/ployer-test/absent-{}:v1", uuid::Uuid::new_v4().simple());
    let err = ensure_image(&docker, &missing, tx)
        .await
        .expect_err("nothing can be pulled here");
    assert!(!matches!(err, DockerError::Unavailable(_)), "{err:?}");
    assert!(!image_exists(&docker, &missing).await.unwrap());
}

#[tokio::test]
async fn an_unreachable_engine_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    // A socket file nobody listens on, as a stopped dockerd leaves behind.
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    let docker = Engine::new(&format!("unix://{}", socket.display())).client().unwrap();
    match image_exists(&docker, TEST_IMAGE).await {
        Err(DockerError::Unavailable(message)) => assert!(message.contains("not reachable"), "{message}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn an_engine_whose_socket_appears_later_gets_a_client_then() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    let engine = Engine::new(&format!("unix://{}", socket.display()));
    assert!(engine.client().is_none(), "no socket, no client");
    assert!(engine.clone().client().is_none(), "clones share the engine");
    // Callers that answer a request say what is missing and where.
    match engine.connect() {
        Err(DockerError::Unavailable(message)) => {
            assert!(message.contains(&socket.display().to_string()), "{message}");
            assert!(message.contains("as soon as it appears"), "{message}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    // The engine starts: its socket appears, and the same (shared) engine now has a client.
    std::os::unix::fs::symlink("/var/run/docker.sock", &socket).unwrap();
    let docker = engine.connect().expect("a client once the socket exists");
    assert!(image_exists(&docker, TEST_IMAGE).await.unwrap(), "{FIXTURES_HINT}");
}

#[tokio::test]
async fn values_that_could_leave_the_url_path_are_refused() {
    let docker = Engine::new(SOCKET).client().unwrap();
    for bad in ["../containers/x", "a/../../b", "x?force=1", "x#y", "", "a b"] {
        assert!(image_exists(&docker, bad).await.is_err(), "{bad:?}");
    }
    for bad in ["x/y", "../x", "x?y"] {
        assert!(inspect_running(&docker, bad).await.is_err(), "{bad:?}");
        assert!(stop_and_remove(&docker, bad, 0).await.is_err(), "{bad:?}");
    }
}

#[test]
fn docker_errors_map_to_app_errors() {
    let code = |err: DockerError| AppError::from(err).code();
    assert_eq!(code(DockerError::Unavailable("down".into())), "UNAVAILABLE");
    assert_eq!(code(DockerError::NotFound("gone".into())), "NOT_FOUND");
    assert_eq!(code(DockerError::Build("bad".into())), "INTERNAL");
    assert_eq!(code(DockerError::Other("odd".into())), "INTERNAL");
    let from = |status_code: u16, message: &str| {
        DockerError::from(bollard::errors::Error::DockerResponseServerError {
            status_code,
            message: message.into(),
        })
    };
    assert!(matches!(from(404, "No such container: x"), DockerError::NotFound(_)));
    assert!(matches!(
        from(400, "client version 1.53 is too new"),
        DockerError::Unavailable(_)
    ));
    assert!(matches!(from(409, "conflict"), DockerError::Other(_)));
    assert!(matches!(
        DockerError::from(bollard::errors::Error::RequestTimeoutError),
        DockerError::Unavailable(_)
    ));
    assert_eq!(labels("a", "d").len(), 3);
    assert_eq!(labels("a", "d")[LABEL_MANAGED], "true");
}

#[test]
fn an_images_deployments_come_from_its_label_and_its_ployer_tags() {
    let id = "0b5e9a3c-1f2d-4c8e-9a7b-3d2e1f0a9b8c";
    let later = "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    let tag = image_tag("shop", id);
    assert_eq!(tag, format!("ployer/shop:{id}"));
    let none = HashMap::new();
    assert_eq!(image_deployments(&none, std::slice::from_ref(&tag)), vec![id]);
    // A cached build: the same image, tagged again for a later deployment of the same commit.
    let tags = ["busybox:latest".to_string(), tag, image_tag("shop", later)];
    assert_eq!(image_deployments(&none, &tags), vec![id, later], "every ployer tag");
    // Images built by earlier versions carry the deployment as a label.
    let labelled = HashMap::from([(LABEL_DEPLOYMENT.to_string(), "dep-1".to_string())]);
    assert_eq!(
        image_deployments(&labelled, &["ployer/shop:0b5e9a3c1f2d".to_string()]),
        vec!["dep-1"]
    );
    for other in [
        "other/shop:0b5e9a3c-1f2d-4c8e-9a7b-3d2e1f0a9b8c",
        "ployer/shop:latest",
        "ployer/shop:0b5e9a3c1f2d",
        "ployer/:0b5e9a3c-1f2d-4c8e-9a7b-3d2e1f0a9b8c",
    ] {
        assert!(image_deployments(&none, &[other.to_string()]).is_empty(), "{other}");
    }
    assert_eq!(
        image_labels("app-1").get(LABEL_DEPLOYMENT),
        None,
        "builds stay cacheable"
    );
    assert_eq!(labels("app-1", id).get(LABEL_DEPLOYMENT).map(String::as_str), Some(id));
}
