//! A loopback `sshd` for clones over SSH: its own host key, and as authorized keys only those
//! the test writes with [`Sshd::authorize`]. It runs as whoever runs the tests (root in CI), so
//! `ssh://root@127.0.0.1:<port><path>` reaches any repository on this machine.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use tempfile::TempDir;

use crate::process::{require, Process};

pub const SSHD: &str = "/usr/sbin/sshd";

/// What the tests need `sshd` and `ssh-keygen` for, and how to get them.
const SSH_HINT: &str = "the tests clone from a real loopback sshd; install it with \
    `apt-get install -y openssh-server` (scripts/setup.sh does)";

/// A loopback sshd, killed on drop; its log is printed when the test failed.
pub struct Sshd {
    server: Process,
    pub port: u16,
    /// The server's host key as `"ssh-ed25519 <base64>"`, the form a clone reports.
    pub host_key: String,
    authorized_keys: PathBuf,
    // Last: the host key and the log go once sshd is gone.
    _dir: TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("sshd log:\n{}", self.server.log_text());
        }
    }
}

impl Sshd {
    /// An sshd on a free loopback port that authorizes no key yet (sshd reads the file on every
    /// connection, so [`Sshd::authorize`] takes effect at once).
    pub fn start() -> Self {
        let setup = Setup::new();
        let (server, port) =
            Process::listen_on_free_port("sshd", setup.dir.path().join("sshd.log"), |port| setup.command(port));
        setup.into_sshd(server, port)
    }

    /// An sshd on loopback `port` (say 22, in a network namespace of the test's own).
    pub fn start_on(port: u16) -> Self {
        let setup = Setup::new();
        let mut server = Process::spawn("sshd", &mut setup.command(port), setup.dir.path().join("sshd.log"));
        server.wait_until_listening(port);
        setup.into_sshd(server, port)
    }

    /// Makes `public_key` (an OpenSSH line) the only authorized key.
    pub fn authorize(&self, public_key: &str) {
        fs::write(&self.authorized_keys, format!("{public_key}\n")).unwrap();
    }

    /// This sshd, authorizing only `public_key`.
    pub fn authorizing(self, public_key: &str) -> Self {
        self.authorize(public_key);
        self
    }

    /// `ssh://root@127.0.0.1:<port><absolute path>`.
    pub fn url(&self, repository: &Path) -> String {
        format!("ssh://root@127.0.0.1:{}{}", self.port, repository.display())
    }
}

/// The files an sshd is started with: a fresh host key and an empty `authorized_keys`.
struct Setup {
    dir: TempDir,
    host_key_file: PathBuf,
    host_key: String,
    authorized_keys: PathBuf,
}

impl Setup {
    fn new() -> Self {
        require(SSHD, SSH_HINT);
        require("ssh-keygen", SSH_HINT);
        let dir = tempfile::tempdir().expect("a temporary directory for sshd");
        let host_key_file = dir.path().join("host_ed25519");
        let keygen = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "", "-f"])
            .arg(&host_key_file)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("ssh-keygen runs");
        assert!(
            keygen.status.success(),
            "ssh-keygen: {}",
            String::from_utf8_lossy(&keygen.stderr)
        );
        let host_public = fs::read_to_string(host_key_file.with_extension("pub")).unwrap();
        let host_key = host_public.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let authorized_keys = dir.path().join("authorized_keys");
        fs::write(&authorized_keys, "").unwrap();
        fs::create_dir_all("/run/sshd").expect("create /run/sshd (sshd's privilege separation directory)");
        Setup {
            dir,
            host_key_file,
            host_key,
            authorized_keys,
        }
    }

    /// sshd in the foreground, logging to stderr, on loopback `port`.
    fn command(&self, port: u16) -> Command {
        let mut command = Command::new(SSHD);
        command
            .args([
                "-D",
                "-e",
                "-p",
                &port.to_string(),
                "-o",
                "ListenAddress=127.0.0.1",
                "-h",
            ])
            .arg(&self.host_key_file)
            .arg("-o")
            .arg(format!("AuthorizedKeysFile={}", self.authorized_keys.display()))
            .args([
                "-o",
                "StrictModes=no",
                "-o",
                "PasswordAuthentication=no",
                "-o",
                "PidFile=none",
            ]);
        command
    }

    fn into_sshd(self, server: Process, port: u16) -> Sshd {
        Sshd {
            server,
            port,
            host_key: self.host_key,
            authorized_keys: self.authorized_keys,
            _dir: self.dir,
        }
    }
}
