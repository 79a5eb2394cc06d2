//! Programs a test runs as servers: started with their output in a log file, waited for until
//! they listen on loopback, and killed and reaped when the test ends, whether it passed or not.
//! A program that is missing fails the test with what to install.

use std::{
    env, fs,
    io::Read,
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// How long a server may take to listen once started.
const LISTEN_TIMEOUT: Duration = Duration::from_secs(15);
/// How many free ports a server is tried on: another process may bind the port drawn for it
/// between the draw and the server's own bind.
const PORT_ATTEMPTS: usize = 5;

/// The path of `program` (a name looked up on `PATH`, or an absolute path), if it exists.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = PathBuf::from(program);
        return path.is_file().then_some(path);
    }
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}

/// Fails the test when `program` is missing; `why` says what needs it and how to install it.
#[track_caller]
pub fn require(program: &str, why: &str) {
    assert!(find_on_path(program).is_some(), "`{program}` is missing: {why}");
}

/// A server process that is killed and reaped when dropped, pass or fail.
pub struct Process {
    child: Child,
    name: String,
    log: PathBuf,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    /// Starts `command` (`name` in messages) with no stdin and its stdout and stderr in `log`.
    pub fn spawn(name: &str, command: &mut Command, log: PathBuf) -> Self {
        let log_file = fs::File::create(&log).unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let child = command
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        Process {
            child,
            name: name.to_string(),
            log,
        }
    }

    /// Starts the server `command` makes for a free loopback port, and waits until it listens
    /// there; when it exits first (most likely another process took the port meanwhile), tries
    /// another port. Returns the server and its port; panics with its log when it never listens.
    pub fn listen_on_free_port(name: &str, log: PathBuf, mut command: impl FnMut(u16) -> Command) -> (Self, u16) {
        let mut last_exit = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let port = crate::free_port();
            let mut server = Self::spawn(name, &mut command(port), log.clone());
            match server.listening(port) {
                Ok(()) => return (server, port),
                Err(exit) => last_exit = exit,
            }
        }
        panic!("{name} did not listen on any of {PORT_ATTEMPTS} free ports; last: {last_exit}");
    }

    /// Waits until the server accepts connections on loopback `port`; panics with its log when
    /// it exits first or does not listen in time.
    pub fn wait_until_listening(&mut self, port: u16) {
        if let Err(exit) = self.listening(port) {
            panic!("{exit}");
        }
    }

    /// Waits until the server accepts connections on loopback `port`. `Err` says how it exited
    /// first; a server still not listening after `LISTEN_TIMEOUT` fails the test.
    fn listening(&mut self, port: u16) -> Result<(), String> {
        let deadline = Instant::now() + LISTEN_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "{} exited ({status}) before listening on port {port}:\n{}",
                    self.name,
                    self.log_text()
                ));
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not listen on port {port} within {LISTEN_TIMEOUT:?}:\n{}",
                self.name,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// What the server wrote to its log so far.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        let _ = fs::File::open(&self.log).and_then(|mut f| f.read_to_string(&mut text));
        text
    }
}
