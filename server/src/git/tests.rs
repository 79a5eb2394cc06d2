//! Clones against real servers: a `git daemon` and a loopback `sshd`, each started by the test
//! that needs it on a free port, in its own temporary directory, and killed when that test
//! ends, whether it passed or not. The repositories are made with the `git` CLI so that the
//! shas, messages and authors the clones must report are known.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use ployer_test_support::{git::GitDaemon, sshd::Sshd};
use ssh_key::{rand_core::OsRng, Algorithm, LineEnding, PrivateKey};
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;

use super::{clone, CloneRequest, GitError};

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

/// Fails the test with instructions when a program the test needs is missing.
fn require(program: &str) {
    ployer_test_support::process::require(
        program,
        "these tests clone from real servers; install git and openssh-server \
         (apt-get install -y git openssh-server)",
    );
}

fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_COMMITTER_NAME", "Ployer Tests")
        .env("GIT_COMMITTER_EMAIL", "tests@ployer.invalid")
        .env("GIT_AUTHOR_NAME", "Ployer Tests")
        .env("GIT_AUTHOR_EMAIL", "tests@ployer.invalid")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn git(dir: &Path, args: &[&str]) -> String {
    run(dir, "git", args, &[])
}

struct Commit {
    sha: String,
    message: String,
    author: String,
    content: String,
}

/// A bare repository `<root>/app.git` with three commits on `main`, one more on `other`, and
/// a branch `with-submodule` whose submodule points at a metadata address.
struct Repo {
    dir: TempDir,
    main: Vec<Commit>,
    other: Commit,
}

impl Repo {
    fn new(allow_fetch_by_sha: bool) -> Self {
        require("git");
        let dir = tempfile::tempdir().expect("tempdir");
        let work = dir.path().join("work");
        fs::create_dir(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        let commit = |name: &str, email: &str, content: &str, message: &str| {
            fs::write(work.join("app.txt"), content).unwrap();
            git(&work, &["add", "app.txt"]);
            run(
                &work,
                "git",
                &["commit", "-q", "-m", message],
                &[("GIT_AUTHOR_NAME", name), ("GIT_AUTHOR_EMAIL", email)],
            );
            Commit {
                sha: git(&work, &["rev-parse", "HEAD"]),
                message: message.to_string(),
                author: format!("{name} <{email}>"),
                content: content.to_string(),
            }
        };
        let main = vec![
            commit("Ada Lovelace", "ada@example.com", "v1\n", "First version"),
            commit("Grace Hopper", "grace@example.com", "v2\n", "Second version"),
            commit(
                "Margaret Hamilton",
                "margaret@example.com",
                "v3\n",
                "Third version\n\nWith a body that spans\ntwo lines.",
            ),
        ];
        git(&work, &["checkout", "-q", "-b", "other", &main[0].sha]);
        let other = commit("Alan Turing", "alan@example.com", "other\n", "Only on the other branch");
        git(&work, &["checkout", "-q", "-b", "with-submodule", "main"]);
        fs::write(
            work.join(".gitmodules"),
            "[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = http://169.254.169.254/internal.git\n",
        )
        .unwrap();
        let gitlink = format!("160000,{},vendor/lib", main[0].sha);
        git(&work, &["update-index", "--add", "--cacheinfo", &gitlink]);
        git(&work, &["add", ".gitmodules"]);
        git(&work, &["commit", "-q", "-m", "Add a submodule"]);
        git(dir.path(), &["clone", "-q", "--bare", "work", "app.git"]);
        if allow_fetch_by_sha {
            git(
                &dir.path().join("app.git"),
                &["config", "uploadpack.allowAnySHA1InWant", "true"],
            );
        }
        Repo { dir, main, other }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn bare(&self) -> PathBuf {
        self.dir.path().join("app.git")
    }

    fn head(&self) -> &Commit {
        self.main.last().unwrap()
    }
}

/// An ed25519 key pair in OpenSSH format, made the way deploy keys are.
fn key_pair() -> (String, String) {
    let private = PrivateKey::random(&mut OsRng, Algorithm::Ed25519).unwrap();
    let public = private.public_key().to_openssh().unwrap();
    (private.to_openssh(LineEnding::LF).unwrap().to_string(), public)
}

fn request(url: &str, dest: PathBuf) -> CloneRequest {
    CloneRequest {
        url: url.to_string(),
        branch: "main".to_string(),
        commit: None,
        dest,
        ssh_private_key: None,
        http_credentials: None,
        known_host_key: None,
        timeout: Duration::from_secs(60),
        local_paths: None,
    }
}

fn dest(dir: &TempDir) -> PathBuf {
    dir.path().join("checkout")
}

fn read(dest: &Path, file: &str) -> String {
    fs::read_to_string(dest.join(file)).unwrap_or_else(|e| panic!("{file} was not checked out: {e}"))
}

fn commit_count(dest: &Path) -> usize {
    git(dest, &["rev-list", "--count", "HEAD"]).parse().unwrap()
}

// ---------------------------------------------------------------------------------------
// git daemon
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_branch_head_is_cloned_at_depth_one_with_its_sha_message_and_author() {
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();

    let cloned = clone(request(&daemon.url("app.git"), dest(&out)), CancellationToken::new())
        .await
        .expect("clone the branch head");

    let head = repo.head();
    assert_eq!(cloned.sha, head.sha);
    assert_eq!(cloned.message, head.message);
    assert_eq!(cloned.author, head.author);
    assert_eq!(cloned.host_key, None, "only SSH remotes have a host key");
    assert_eq!(read(&dest(&out), "app.txt"), head.content);
    assert_eq!(git(&dest(&out), &["rev-parse", "HEAD"]), head.sha);
    assert_eq!(commit_count(&dest(&out)), 1, "a branch clone is shallow");
}

#[tokio::test]
async fn an_older_commit_is_found_in_the_branch_history_when_the_server_refuses_fetch_by_sha() {
    // git daemon's upload-pack refuses unadvertised shas unless configured otherwise.
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();
    let wanted = &repo.main[0];

    let cloned = clone(
        CloneRequest {
            commit: Some(wanted.sha.clone()),
            ..request(&daemon.url("app.git"), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect("clone an exact older commit");

    assert_eq!(cloned.sha, wanted.sha);
    assert_eq!(cloned.message, wanted.message);
    assert_eq!(cloned.author, wanted.author);
    assert_eq!(
        read(&dest(&out), "app.txt"),
        "v1\n",
        "the older commit's content is checked out"
    );
    assert_eq!(git(&dest(&out), &["rev-parse", "HEAD"]), wanted.sha);
    assert_eq!(
        git(&dest(&out), &["status", "--porcelain"]),
        "",
        "the checkout is clean"
    );
}

#[tokio::test]
async fn an_exact_commit_is_fetched_by_sha_at_depth_one_when_the_server_allows_it() {
    let repo = Repo::new(true);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();
    let wanted = &repo.main[1];

    let cloned = clone(
        CloneRequest {
            commit: Some(wanted.sha.clone()),
            ..request(&daemon.url("app.git"), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect("clone an exact commit by sha");

    assert_eq!(cloned.sha, wanted.sha);
    assert_eq!(read(&dest(&out), "app.txt"), "v2\n");
    assert_eq!(commit_count(&dest(&out)), 1, "only the wanted commit was fetched");
}

#[tokio::test]
async fn a_commit_that_is_not_on_the_branch_is_not_found() {
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();

    let err = clone(
        CloneRequest {
            commit: Some(repo.other.sha.clone()),
            ..request(&daemon.url("app.git"), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect_err("a commit on another branch is not on main");

    assert!(matches!(err, GitError::NotFound(_)), "{err:?}");
    assert!(err.to_string().contains(&repo.other.sha), "{err}");
    assert!(err.to_string().contains("`main`"), "{err}");
}

#[tokio::test]
async fn a_missing_branch_is_reported_as_not_found() {
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();

    let err = clone(
        CloneRequest {
            branch: "does-not-exist".into(),
            ..request(&daemon.url("app.git"), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect_err("no such branch");

    assert!(matches!(err, GitError::NotFound(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "the branch `does-not-exist` does not exist in {}",
            daemon.url("app.git")
        )
    );
}

#[tokio::test]
async fn a_missing_repository_is_reported_as_not_found() {
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();

    let err = clone(request(&daemon.url("nope.git"), dest(&out)), CancellationToken::new())
        .await
        .expect_err("no such repository");

    assert!(matches!(err, GitError::NotFound(_)), "{err:?}");
    assert!(err.to_string().contains("nope.git"), "{err}");
}

#[tokio::test]
async fn submodules_are_not_fetched() {
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();

    clone(
        CloneRequest {
            branch: "with-submodule".into(),
            ..request(&daemon.url("app.git"), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect("a repository with a submodule clones");

    assert!(dest(&out).join(".gitmodules").is_file());
    let submodule = dest(&out).join("vendor/lib");
    let contents = fs::read_dir(&submodule).map(|d| d.count()).unwrap_or(0);
    assert_eq!(
        contents, 0,
        "the submodule (pointing at a metadata address) stays empty"
    );
}

#[tokio::test]
async fn a_cancelled_token_stops_the_clone_before_anything_is_written() {
    let repo = Repo::new(false);
    let daemon = GitDaemon::serve(repo.root());
    let out = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    cancel.cancel();

    let err = clone(request(&daemon.url("app.git"), dest(&out)), cancel)
        .await
        .expect_err("cancelled");

    assert!(matches!(err, GitError::Cancelled), "{err:?}");
    assert!(!dest(&out).exists(), "nothing was cloned");
}

/// A bare repository `<dir>/big.git` whose one commit holds 8 MB of incompressible data.
fn large_repo() -> TempDir {
    use ssh_key::rand_core::RngCore;
    require("git");
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    let mut data = vec![0u8; 8 << 20];
    OsRng.fill_bytes(&mut data);
    fs::write(work.join("blob.bin"), data).unwrap();
    git(&work, &["add", "blob.bin"]);
    git(&work, &["commit", "-q", "-m", "A large file"]);
    git(dir.path(), &["clone", "-q", "--bare", "work", "big.git"]);
    dir
}

/// A loopback proxy to `upstream` that sends the server's bytes on at about 400 KB/s, and
/// reports when the client closes its side.
async fn throttled_proxy(upstream: u16) -> (u16, tokio::sync::oneshot::Receiver<Instant>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let server = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await.unwrap();
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = server.into_split();
        let downstream = tokio::spawn(async move {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = server_read.read(&mut chunk).await {
                if client_write.write_all(&chunk[..n]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = client_read.read(&mut buf).await {
            if server_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = closed_tx.send(Instant::now());
        downstream.abort();
    });
    (port, closed_rx)
}

#[tokio::test]
async fn cancelling_mid_transfer_stops_libgit2_at_its_next_progress_callback() {
    let repo = large_repo();
    let daemon = GitDaemon::serve(repo.path());
    let (port, client_closed) = throttled_proxy(daemon.port()).await;
    let out = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    let cancelled_at = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        canceller.cancel();
        Instant::now()
    });

    let err = clone(request(&format!("git://127.0.0.1:{port}/big.git"), dest(&out)), cancel)
        .await
        .expect_err("cancelled");

    assert!(matches!(err, GitError::Cancelled), "{err:?}");
    let cancelled_at = cancelled_at.await.unwrap();
    let closed_at = tokio::time::timeout(Duration::from_secs(8), client_closed)
        .await
        .expect("libgit2 did not close the connection after the cancel")
        .unwrap();
    // The 8 MB transfer takes ~20 s through the proxy. libgit2 reports progress every 100 KB
    // received (about every quarter second here) and gives up at the first report after the
    // cancel; the bound leaves room for a loaded machine.
    assert!(
        closed_at.duration_since(cancelled_at) < Duration::from_secs(4),
        "libgit2 kept reading for {:?} after the cancel",
        closed_at.duration_since(cancelled_at)
    );
}

/// A TCP server that accepts connections and never answers: libgit2 blocks in a read with
/// no progress callback to stop at.
async fn stalled_server() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

#[tokio::test]
async fn cancelling_a_stalled_clone_returns_promptly() {
    let (port, stall) = stalled_server().await;
    let out = tempfile::tempdir().unwrap();
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        canceller.cancel();
    });

    let started = Instant::now();
    let err = clone(request(&format!("git://127.0.0.1:{port}/app.git"), dest(&out)), cancel)
        .await
        .expect_err("cancelled");

    assert!(matches!(err, GitError::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    stall.abort(); // closes the held connection, which ends the blocked libgit2 read
}

// The default (current-thread) runtime: if the clone blocked it, the ticker could not run.
#[tokio::test]
async fn a_stalled_clone_times_out_without_blocking_the_runtime() {
    let (port, stall) = stalled_server().await;
    let out = tempfile::tempdir().unwrap();
    let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let ticker = {
        let ticks = ticks.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(50)).await;
                ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        })
    };

    let started = Instant::now();
    let err = clone(
        CloneRequest {
            timeout: Duration::from_millis(800),
            ..request(&format!("git://127.0.0.1:{port}/app.git"), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect_err("timed out");

    assert!(matches!(err, GitError::Timeout), "{err:?}");
    assert!(started.elapsed() >= Duration::from_millis(800));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        ticks.load(std::sync::atomic::Ordering::Relaxed) >= 10,
        "the runtime kept running during the clone"
    );
    ticker.abort();
    stall.abort();
}

// ---------------------------------------------------------------------------------------
// ssh
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_ssh_clone_records_the_host_key_on_first_use_and_accepts_it_afterwards() {
    let repo = Repo::new(false);
    let (private, public) = key_pair();
    let sshd = Sshd::start().authorizing(&public);
    let first = tempfile::tempdir().unwrap();

    let cloned = clone(
        CloneRequest {
            ssh_private_key: Some(private.clone()),
            ..request(&sshd.url(&repo.bare()), dest(&first))
        },
        CancellationToken::new(),
    )
    .await
    .expect("first SSH clone with the deploy key");

    assert_eq!(cloned.sha, repo.head().sha);
    assert_eq!(cloned.author, repo.head().author);
    assert_eq!(read(&dest(&first), "app.txt"), "v3\n");
    assert_eq!(
        cloned.host_key.as_deref(),
        Some(sshd.host_key.as_str()),
        "the host key is recorded"
    );

    let second = tempfile::tempdir().unwrap();
    let again = clone(
        CloneRequest {
            ssh_private_key: Some(private),
            known_host_key: cloned.host_key.clone(),
            commit: Some(repo.main[0].sha.clone()),
            ..request(&sshd.url(&repo.bare()), dest(&second))
        },
        CancellationToken::new(),
    )
    .await
    .expect("a later SSH clone with the recorded host key");

    assert_eq!(again.sha, repo.main[0].sha);
    assert_eq!(read(&dest(&second), "app.txt"), "v1\n");
    assert_eq!(again.host_key, cloned.host_key);
}

/// `user@host:path` cannot name a port, so its server must listen on 22. The test takes a
/// network namespace of its own (one thread's: `unshare(CLONE_NEWNET)` there, and sshd and
/// the clone's threads start from it), whose loopback has port 22 free whatever this
/// machine runs, and which no traffic leaves.
#[test]
#[allow(unsafe_code)]
fn an_scp_like_address_clones_over_ssh_on_port_22() {
    let repo = Repo::new(false);
    let (private, public) = key_pair();
    let url = format!("root@127.0.0.1:{}", repo.bare().display());
    let head = repo.head().sha.clone();
    std::thread::spawn(move || {
        // SAFETY: unshare only changes this thread's namespaces; it touches no memory.
        let unshared = unsafe { libc::unshare(libc::CLONE_NEWNET) };
        assert_eq!(
            unshared,
            0,
            "this test needs a network namespace of its own (root with CAP_SYS_ADMIN): {}",
            std::io::Error::last_os_error()
        );
        run(Path::new("/"), "ip", &["link", "set", "lo", "up"], &[]);
        let sshd = Sshd::start_on(22).authorizing(&public);
        let out = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let cloned = runtime
            .block_on(clone(
                CloneRequest {
                    ssh_private_key: Some(private),
                    ..request(&url, dest(&out))
                },
                CancellationToken::new(),
            ))
            .expect("a clone of user@host:path with the deploy key");
        assert_eq!(cloned.sha, head);
        assert_eq!(read(&dest(&out), "app.txt"), "v3\n");
        assert_eq!(cloned.host_key.as_deref(), Some(sshd.host_key.as_str()));
    })
    .join()
    .expect("the clone in its own network namespace");
}

#[tokio::test]
async fn a_changed_ssh_host_key_is_refused() {
    let repo = Repo::new(false);
    let (private, public) = key_pair();
    let sshd = Sshd::start().authorizing(&public);
    let out = tempfile::tempdir().unwrap();
    let (_, some_other_host) = key_pair();
    let recorded = some_other_host.split_whitespace().take(2).collect::<Vec<_>>().join(" ");

    let err = clone(
        CloneRequest {
            ssh_private_key: Some(private),
            known_host_key: Some(recorded),
            ..request(&sshd.url(&repo.bare()), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect_err("a different host key must not be accepted");

    assert!(matches!(err, GitError::HostKeyMismatch(_)), "{err:?}");
    assert!(err.to_string().contains("has changed"), "{err}");
    assert!(!dest(&out).join("app.txt").exists(), "nothing was checked out");
}

#[tokio::test]
async fn an_unauthorized_deploy_key_fails_without_revealing_key_material() {
    let repo = Repo::new(false);
    let (_, authorized_public) = key_pair();
    let sshd = Sshd::start().authorizing(&authorized_public);
    let out = tempfile::tempdir().unwrap();
    let (private, public) = key_pair();

    let err = clone(
        CloneRequest {
            ssh_private_key: Some(private.clone()),
            ..request(&sshd.url(&repo.bare()), dest(&out))
        },
        CancellationToken::new(),
    )
    .await
    .expect_err("a key the server does not know is rejected");

    assert!(matches!(err, GitError::Other(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("did not accept the application's deploy key"), "{shown}");
    let public_b64 = public.split_whitespace().nth(1).unwrap();
    assert!(!shown.contains(public_b64), "the public key leaked: {shown}");
    for line in private.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!shown.contains(line), "private key material leaked: {shown}");
    }
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
}

#[tokio::test]
async fn an_ssh_clone_without_a_deploy_key_says_so() {
    let repo = Repo::new(false);
    let (_, public) = key_pair();
    let sshd = Sshd::start().authorizing(&public);
    let out = tempfile::tempdir().unwrap();

    let err = clone(request(&sshd.url(&repo.bare()), dest(&out)), CancellationToken::new())
        .await
        .expect_err("no key, no clone");

    assert!(err.to_string().contains("has no deploy key"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Refusals (no server at all: nothing may be contacted)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn metadata_and_local_addresses_are_refused_before_connecting() {
    for url in [
        "http://169.254.169.254/x",
        "http://2852039166/x",
        "http://[::ffff:169.254.169.254]/x",
        "http://[fe80::1]/x",
        "git://0.0.0.0/x",
        "file:///etc",
        "/srv/repo",
        "ext::sh -c touch% /tmp/pwned",
    ] {
        let out = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let err = clone(request(url, dest(&out)), CancellationToken::new())
            .await
            .expect_err("refused");
        assert!(matches!(err, GitError::Refused(_)), "{url}: {err:?}");
        assert!(!dest(&out).exists(), "{url}: libgit2 was never started");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{url}: no connection was tried"
        );
    }
}

#[tokio::test]
async fn a_request_that_would_overwrite_files_is_refused() {
    let out = tempfile::tempdir().unwrap();
    fs::create_dir(dest(&out)).unwrap();
    fs::write(dest(&out).join("keep.txt"), "mine").unwrap();

    let err = clone(
        request("git://127.0.0.1:9/app.git", dest(&out)),
        CancellationToken::new(),
    )
    .await
    .expect_err("refused");

    assert!(matches!(err, GitError::Refused(_)), "{err:?}");
    assert_eq!(read(&dest(&out), "keep.txt"), "mine");
}

#[tokio::test]
async fn malformed_branches_and_commits_are_refused() {
    let not_hex = "z".repeat(40);
    for (branch, commit) in [
        ("-f", None),
        ("a..b", None),
        ("main", Some("abc123")),
        ("main", Some(not_hex.as_str())),
    ] {
        let out = tempfile::tempdir().unwrap();
        let err = clone(
            CloneRequest {
                branch: branch.into(),
                commit: commit.map(Into::into),
                ..request("git://127.0.0.1:9/app.git", dest(&out))
            },
            CancellationToken::new(),
        )
        .await
        .expect_err("refused");
        assert!(matches!(err, GitError::Refused(_)), "{branch} {commit:?}: {err:?}");
    }
}

#[test]
fn a_clone_request_never_shows_its_private_key_token_or_url_credentials() {
    let (private, _) = key_pair();
    let req = CloneRequest {
        ssh_private_key: Some(private.clone()),
        http_credentials: Some(super::HttpCredentials {
            username: "oauth2".into(),
            token: "glpat-t0ken-value".into(),
        }),
        ..request("https://user:s3cret@example.com/o/r.git", PathBuf::from("/tmp/x"))
    };
    let shown = format!("{req:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(
        !shown.contains("glpat-t0ken-value") && shown.contains("oauth2"),
        "{shown}"
    );
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Large files
// ---------------------------------------------------------------------------------------

fn random_bytes(len: usize) -> Vec<u8> {
    use ssh_key::rand_core::RngCore;
    let mut data = vec![0u8; len];
    OsRng.fill_bytes(&mut data);
    data
}

#[test]
fn large_blobs_are_streamed_from_the_pack_and_the_rest_is_checked_out_by_libgit2() {
    use std::os::unix::fs::PermissionsExt;
    require("git");
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    fs::create_dir_all(work.join("deep/only-large")).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    let big = random_bytes(100_000);
    // A near copy, which git may store as a delta of `big.bin`: the fallback path.
    let mut near = big.clone();
    near[50_000] ^= 0xff;
    let exec = random_bytes(50_000);
    fs::write(work.join("small.txt"), "small\n").unwrap();
    fs::write(work.join("big.bin"), &big).unwrap();
    fs::write(work.join("near.bin"), &near).unwrap();
    fs::write(work.join("deep/only-large/run.bin"), &exec).unwrap();
    fs::set_permissions(work.join("deep/only-large/run.bin"), fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink("small.txt", work.join("link")).unwrap();
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "large and small"]);
    let url = format!("file://{}", work.display());
    git(
        dir.path(),
        &["clone", "-q", "--no-checkout", "--depth", "1", &url, "dest"],
    );

    let dest = dir.path().join("dest");
    let repo = git2::Repository::open(&dest).unwrap();
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    let abort = super::fetch::Abort::new(CancellationToken::new(), Instant::now() + Duration::from_secs(60));
    let large = super::checkout::checkout_tree(&repo, &tree, 1024, &abort).expect("checkout");
    assert_eq!(large.streamed + large.whole, 3, "{large:?}");
    assert!(large.streamed >= 2, "whole blobs are streamed from the pack: {large:?}");

    assert_eq!(fs::read(dest.join("big.bin")).unwrap(), big);
    assert_eq!(fs::read(dest.join("near.bin")).unwrap(), near);
    assert_eq!(fs::read(dest.join("deep/only-large/run.bin")).unwrap(), exec);
    let mode = fs::metadata(dest.join("deep/only-large/run.bin"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "the executable bit is kept: {mode:o}");
    let mode = fs::metadata(dest.join("big.bin")).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0, "regular files are not executable: {mode:o}");
    assert_eq!(fs::read_to_string(dest.join("small.txt")).unwrap(), "small\n");
    assert_eq!(fs::read_link(dest.join("link")).unwrap(), Path::new("small.txt"));
}

#[tokio::test]
async fn a_file_above_the_streaming_threshold_is_cloned_intact() {
    require("git");
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    let data = random_bytes(super::checkout::STREAM_THRESHOLD + 4096);
    fs::write(work.join("data.bin"), &data).unwrap();
    git(&work, &["add", "data.bin"]);
    git(&work, &["commit", "-q", "-m", "one large file"]);
    git(dir.path(), &["clone", "-q", "--bare", "work", "big.git"]);
    let daemon = GitDaemon::serve(dir.path());
    let out = tempfile::tempdir().unwrap();
    clone(request(&daemon.url("big.git"), dest(&out)), CancellationToken::new())
        .await
        .expect("clone");
    assert!(
        fs::read(dest(&out).join("data.bin")).unwrap() == data,
        "the streamed file matches"
    );
}

// ---------------------------------------------------------------------------------------
// Local repositories
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_local_repository_is_cloned_only_when_allowed_and_never_from_ployers_own_directories() {
    let repo = Repo::new(false);
    let url = format!("file://{}", repo.bare().display());
    let out = tempfile::tempdir().unwrap();

    let err = clone(request(&url, dest(&out)), CancellationToken::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GitError::Refused(msg) if msg.contains("allowLocalGitPaths")),
        "{err:?}"
    );

    let private = CloneRequest {
        local_paths: Some(vec![repo.root().to_path_buf()]),
        ..request(&url, dest(&out))
    };
    let err = clone(private, CancellationToken::new()).await.unwrap_err();
    assert!(
        matches!(&err, GitError::Refused(msg) if msg.contains("data directories")),
        "{err:?}"
    );

    let allowed = CloneRequest {
        local_paths: Some(vec![out.path().join("data")]),
        ..request(&url, dest(&out))
    };
    let cloned = clone(allowed, CancellationToken::new()).await.expect("local clone");
    assert_eq!(cloned.sha, repo.head().sha);
    assert_eq!(read(&dest(&out), "app.txt"), repo.head().content);
}
