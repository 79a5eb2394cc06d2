//! The Docker CLI for tests: commands that fail the test with Docker's own words, listings of
//! what a test made, and [`Leftovers`], which removes it when the test ends. Tests that touch
//! Docker use the real engine and the local test image; without them they fail, saying how to
//! get them.

use std::{
    process::{Command as StdCommand, Stdio},
    time::Duration,
};

use tokio::process::Command;

/// The local base image of every image and container the tests make (no registry is reachable;
/// `scripts/setup.sh --with-test-fixtures` builds it).
pub const TEST_IMAGE: &str = "ployer-test/busybox:latest";

/// How to get a running dockerd and the test image.
pub const FIXTURES_HINT: &str = "run `scripts/setup.sh --with-test-fixtures` to start dockerd and build the test image";

/// The Dockerfile of the test application: serves `/www` on 8080. `sh` runs as PID 1 and exits
/// on SIGTERM: httpd as PID 1 would ignore SIGTERM, so `docker stop` would always wait its full
/// timeout and an old container would serve on for that long whatever Ployer's drain does (a
/// test of the drain could not tell a drain from none). With the trap, a stopped container dies
/// at once, in-flight requests too.
pub const APP_DOCKERFILE: &str = "FROM ployer-test/busybox:latest\nCOPY www /www\n\
    CMD [\"sh\", \"-c\", \"trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait\"]\n";

/// Runs the docker CLI; panics when it cannot run or fails; returns its stdout.
pub async fn docker(args: &[&str]) -> String {
    let output = Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap_or_else(|e| panic!("cannot run the docker CLI ({e}); {FIXTURES_HINT}"));
    assert!(
        output.status.success(),
        "docker {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The docker CLI, synchronously and ignoring failures: for `Drop`, which must work while a
/// failed assertion unwinds (and cannot await). Returns what the command printed on stdout.
pub fn docker_quiet(args: &[&str]) -> String {
    StdCommand::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Fails the test unless dockerd answers and has [`TEST_IMAGE`].
pub async fn require_test_image() {
    let images = docker(&["images", "-q", TEST_IMAGE]).await;
    assert!(
        !images.trim().is_empty(),
        "the tests build on the local image {TEST_IMAGE}, which is missing; {FIXTURES_HINT}"
    );
}

fn ids(output: &str) -> Vec<String> {
    output.split_whitespace().map(str::to_string).collect()
}

/// Containers (running or not) carrying `label` (`key=value`).
pub async fn containers_labelled(label: &str) -> Vec<String> {
    ids(&docker(&["ps", "-a", "-q", "--no-trunc", "--filter", &format!("label={label}")]).await)
}

/// Images carrying `label` (`key=value`).
pub async fn images_labelled(label: &str) -> Vec<String> {
    ids(&docker(&["images", "-q", "--no-trunc", "--filter", &format!("label={label}")]).await)
}

/// Images with a tag matching `pattern` (`docker images --filter reference=…`; a deployment's
/// image is `ployer/<app>:<deployment id>`).
pub async fn images_tagged(pattern: &str) -> Vec<String> {
    ids(&docker(&[
        "images",
        "-q",
        "--no-trunc",
        "--filter",
        &format!("reference={pattern}"),
    ])
    .await)
}

/// The listing of containers for [`containers_mentioning`]: `<id>\t<command>\t<status>`.
const COMMAND_LISTING: [&str; 5] = [
    "ps",
    "-a",
    "--no-trunc",
    "--format",
    "{{.ID}}\t{{.Command}}\t{{.Status}}",
];

/// Containers whose command mentions `marker`, as `<id>\t<command>\t<status>`: what a build
/// step echoing it left behind.
pub async fn containers_mentioning(marker: &str) -> Vec<String> {
    mentioning(&docker(&COMMAND_LISTING).await, marker)
}

fn mentioning(listing: &str, marker: &str) -> Vec<String> {
    listing
        .lines()
        .filter(|line| line.contains(marker))
        .map(str::to_string)
        .collect()
}

/// What a test left in Docker, removed on drop whether the test passed or not: containers
/// carrying one of its labels (`key=value`), whose command mentions one of its markers (the
/// containers of build steps) or that it names; networks and volumes carrying its labels or
/// that it names; then images carrying its labels. It runs the CLI synchronously, so it works
/// while a failed assertion unwinds and needs no runtime.
#[derive(Debug, Default)]
pub struct Leftovers {
    labels: Vec<String>,
    markers: Vec<String>,
    containers: Vec<String>,
    networks: Vec<String>,
    volumes: Vec<String>,
}

impl Leftovers {
    /// Everything carrying `label` (`key=value`).
    pub fn labelled(label: impl Into<String>) -> Self {
        let mut leftovers = Self::default();
        leftovers.label(label);
        leftovers
    }

    /// Also everything carrying `label` (`key=value`).
    pub fn label(&mut self, label: impl Into<String>) {
        self.labels.push(label.into());
    }

    /// Also the containers whose command mentions `marker`.
    pub fn marker(&mut self, marker: impl Into<String>) {
        self.markers.push(marker.into());
    }

    /// Also the container `id` (or name).
    pub fn container(&mut self, id: impl Into<String>) {
        self.containers.push(id.into());
    }

    /// Also the network `name` (one made through Ployer carries no test label).
    pub fn network(&mut self, name: impl Into<String>) {
        self.networks.push(name.into());
    }

    /// Also the volume `name`.
    pub fn volume(&mut self, name: impl Into<String>) {
        self.volumes.push(name.into());
    }

    /// The containers found by label or marker now.
    fn containers_left(&self) -> Vec<String> {
        let mut found = Vec::new();
        for label in &self.labels {
            found.extend(ids(&docker_quiet(&[
                "ps",
                "-a",
                "-q",
                "--no-trunc",
                "--filter",
                &format!("label={label}"),
            ])));
        }
        if !self.markers.is_empty() {
            let listing = docker_quiet(&COMMAND_LISTING);
            for marker in &self.markers {
                found.extend(
                    mentioning(&listing, marker)
                        .iter()
                        .filter_map(|line| line.split('\t').next().map(str::to_string)),
                );
            }
        }
        found.sort();
        found.dedup();
        found
    }

    fn labelled_ids(&self, kind: &[&str]) -> Vec<String> {
        let mut found = Vec::new();
        for label in &self.labels {
            let filter = format!("label={label}");
            let mut args = kind.to_vec();
            args.extend(["-q", "--filter", &filter]);
            found.extend(ids(&docker_quiet(&args)));
        }
        found.sort();
        found.dedup();
        found
    }
}

/// `docker <command> <ids…>` unless there are none.
fn remove(command: &[&str], ids: &[String]) {
    if !ids.is_empty() {
        let mut args = command.to_vec();
        args.extend(ids.iter().map(String::as_str));
        docker_quiet(&args);
    }
}

impl Drop for Leftovers {
    fn drop(&mut self) {
        remove(&["rm", "-f", "-v"], &self.containers);
        // A Ployer still stopping may start a container again a moment later: look again after
        // removing.
        for _ in 0..3 {
            let found = self.containers_left();
            if found.is_empty() {
                break;
            }
            remove(&["rm", "-f", "-v"], &found);
            std::thread::sleep(Duration::from_millis(500));
        }
        let mut networks = self.labelled_ids(&["network", "ls"]);
        networks.extend(self.networks.iter().cloned());
        for network in networks {
            docker_quiet(&["network", "rm", &network]);
        }
        let mut volumes = self.labelled_ids(&["volume", "ls"]);
        volumes.extend(self.volumes.iter().cloned());
        for volume in volumes {
            docker_quiet(&["volume", "rm", "-f", &volume]);
        }
        // Children first: a few passes take whole parent chains.
        for _ in 0..5 {
            let images = self.labelled_ids(&["images", "-a", "--no-trunc"]);
            if images.is_empty() {
                break;
            }
            remove(&["rmi", "-f"], &images);
        }
    }
}
