//! A shell in a running container, for the web terminal: `/bin/sh` started through the
//! engine's exec API with a TTY, its input and output attached over the engine's own
//! connection. The command is fixed here and is never built from input: what a user types
//! reaches the shell's TTY as bytes and nothing else, and nothing here runs on the host.
//!
//! Closing that connection does not end the shell: with a TTY the engine (moby's attach)
//! never closes the process's stdin, so a shell whose user left would run for as long as
//! its container. Each shell therefore carries a marker in its environment, inherited by
//! everything started from it, and [`hang_up`] sends SIGHUP (then SIGKILL) to the processes
//! that carry it, from a second exec in the same container. That exec runs a fixed script
//! with the marker as its argument; it never sees anything a user typed.

use std::pin::Pin;
use std::time::Duration;

use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, ResizeExecOptions, StartExecOptions, StartExecResults};
use bollard::Docker;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::io::AsyncWrite;

use super::{check_container_id, DockerError};

/// The only command a terminal runs.
pub const SHELL: &str = "/bin/sh";
/// What the shell's programs are told the terminal understands (xterm.js is one).
const TERM: &str = "TERM=xterm-256color";
/// Largest TTY accepted, either way; a real screen is far smaller.
pub const MAX_TTY_SIDE: u16 = 1000;
/// The environment variable whose value marks one terminal session's processes.
pub const MARKER_VAR: &str = "PLOYER_TERMINAL";
/// Sends SIGHUP to every process of the container (but itself) whose environment holds
/// `PLOYER_TERMINAL=$1`, then SIGKILL to those still there a second later. POSIX sh, `tr`,
/// `grep` and `kill`: what an image with `/bin/sh` has (busybox, Debian, Alpine).
const HANG_UP_SCRIPT: &str = r#"m="PLOYER_TERMINAL=$1"
marked() {
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$p" = "$$" ] && continue
    tr '\000' '\n' < "$d/environ" 2>/dev/null | grep -qxF "$m" && echo "$p"
  done
}
pids=$(marked)
[ -z "$pids" ] && exit 0
kill -HUP $pids 2>/dev/null
sleep 1
pids=$(marked)
[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
exit 0
"#;
/// How long [`hang_up`] may take.
const HANG_UP_TIMEOUT: Duration = Duration::from_secs(10);
/// The engine refuses a resize until the process runs, which is shortly after the start
/// returns; the Docker CLI retries the same way.
const RESIZE_ATTEMPTS: u32 = 10;

/// Columns and rows of a TTY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TtySize {
    pub cols: u16,
    pub rows: u16,
}

impl TtySize {
    /// `None` unless both sides are between 1 and [`MAX_TTY_SIDE`].
    pub fn new(cols: u16, rows: u16) -> Option<Self> {
        let side = 1..=MAX_TTY_SIDE;
        (side.contains(&cols) && side.contains(&rows)).then_some(Self { cols, rows })
    }
}

/// A shell attached with a TTY: what it prints (stdout and stderr are one stream with a
/// TTY) and where its input goes.
pub struct Shell {
    pub exec_id: String,
    pub output: Pin<Box<dyn Stream<Item = Result<Bytes, DockerError>> + Send>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
}

/// Whether an exec still runs, and its exit code once it has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecState {
    pub running: bool,
    pub exit_code: Option<i64>,
}

/// Starts [`SHELL`] in `container` with a TTY of `size`, its processes marked with
/// `marker` (letters, digits and dashes) for [`hang_up`]. `NotFound` when there is no such
/// container; the engine answers 409 (`Other`) when it is not running.
#[tracing::instrument(skip_all, fields(container = %container))]
pub async fn open_shell(docker: &Docker, container: &str, size: TtySize, marker: &str) -> Result<Shell, DockerError> {
    check_container_id(container)?;
    check_marker(marker)?;
    let marker = format!("{MARKER_VAR}={marker}");
    let options = CreateExecOptions {
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        tty: Some(true),
        env: Some(vec![TERM, marker.as_str()]),
        cmd: Some(vec![SHELL]),
        ..Default::default()
    };
    let exec_id = docker.create_exec(container, options).await?.id;
    check_container_id(&exec_id)?;
    let start = StartExecOptions {
        detach: false,
        tty: true,
        output_capacity: Some(64 * 1024),
    };
    let StartExecResults::Attached { output, input } = docker.start_exec(&exec_id, Some(start)).await? else {
        return Err(DockerError::Other("the engine started the shell detached".into()));
    };
    let output = output.filter_map(|frame| async move {
        match frame {
            Ok(LogOutput::Console { message } | LogOutput::StdOut { message } | LogOutput::StdErr { message }) => {
                Some(Ok(message))
            }
            Ok(LogOutput::StdIn { .. }) => None,
            Err(err) => Some(Err(DockerError::from(err))),
        }
    });
    let shell = Shell {
        exec_id,
        output: Box::pin(output),
        input,
    };
    let mut attempt = 0;
    loop {
        match resize(docker, &shell.exec_id, size).await {
            Ok(()) => break,
            Err(err @ DockerError::Unavailable(_)) => return Err(err),
            Err(err) if attempt + 1 >= RESIZE_ATTEMPTS => {
                // The shell runs at the engine's default size; the next resize fixes it.
                tracing::debug!(error = %err, "the first resize of a shell failed");
                break;
            }
            Err(_) => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
            }
        }
    }
    Ok(shell)
}

/// Ends what a shell opened with `marker` left running in `container` (see the module
/// docs). Ok when nothing was left or the container is gone.
#[tracing::instrument(skip_all, fields(container = %container))]
pub async fn hang_up(docker: &Docker, container: &str, marker: &str) -> Result<(), DockerError> {
    check_container_id(container)?;
    check_marker(marker)?;
    let options = CreateExecOptions {
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        cmd: Some(vec![SHELL, "-c", HANG_UP_SCRIPT, "ployer-hang-up", marker]),
        ..Default::default()
    };
    let exec_id = match docker.create_exec(container, options).await.map_err(DockerError::from) {
        Ok(created) => created.id,
        // Gone or stopped: so is every process in it.
        Err(DockerError::NotFound(_)) => return Ok(()),
        Err(DockerError::Other(m)) if m.contains("is not running") => return Ok(()),
        Err(err) => return Err(err),
    };
    let run = async {
        if let StartExecResults::Attached { mut output, .. } = docker.start_exec(&exec_id, None).await? {
            // Nothing is printed unless something fails; read it to the end, kept small.
            let mut said = Vec::new();
            while let Some(frame) = output.next().await {
                let bytes = frame?.into_bytes();
                if said.len() < 1024 {
                    said.extend_from_slice(&bytes[..bytes.len().min(1024 - said.len())]);
                }
            }
            if !said.is_empty() {
                tracing::debug!(said = %String::from_utf8_lossy(&said), "hang-up script output");
            }
        }
        Ok::<_, DockerError>(())
    };
    tokio::time::timeout(HANG_UP_TIMEOUT, run)
        .await
        .map_err(|_| DockerError::Other("the hang-up did not finish in time".into()))??;
    match exec_state(docker, &exec_id).await? {
        ExecState { exit_code: Some(0), .. } => Ok(()),
        // The container stopped meanwhile, and took the script with it (killed: 137).
        state if stopping(docker, container, state.exit_code == Some(137)).await => Ok(()),
        state => Err(DockerError::Other(format!(
            "the hang-up script ended with {:?} (does the image have tr, grep and kill?)",
            state.exit_code
        ))),
    }
}

/// Whether `container` is not running, or (`patient`) stops within a second.
async fn stopping(docker: &Docker, container: &str, patient: bool) -> bool {
    let looks = if patient { 5 } else { 1 };
    for look in 1..=looks {
        if !matches!(super::inspect_running(docker, container).await, Ok(Some((true, _)))) {
            return true;
        }
        if look < looks {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    false
}

fn check_marker(marker: &str) -> Result<(), DockerError> {
    let valid =
        !marker.is_empty() && marker.len() <= 64 && marker.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(DockerError::Other(format!("invalid terminal marker {marker:?}")))
    }
}

/// Sets the TTY size of a running exec.
pub async fn resize(docker: &Docker, exec_id: &str, size: TtySize) -> Result<(), DockerError> {
    check_container_id(exec_id)?;
    let options = ResizeExecOptions {
        width: size.cols,
        height: size.rows,
    };
    docker.resize_exec(exec_id, options).await?;
    Ok(())
}

/// Whether the exec still runs, and how it ended.
pub async fn exec_state(docker: &Docker, exec_id: &str) -> Result<ExecState, DockerError> {
    check_container_id(exec_id)?;
    let inspected = docker.inspect_exec(exec_id).await?;
    Ok(ExecState {
        running: inspected.running.unwrap_or(false),
        exit_code: inspected.exit_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tty_sizes_are_bounded() {
        assert_eq!(TtySize::new(80, 24), Some(TtySize { cols: 80, rows: 24 }));
        assert_eq!(
            TtySize::new(1, MAX_TTY_SIDE),
            Some(TtySize {
                cols: 1,
                rows: MAX_TTY_SIDE
            })
        );
        assert_eq!(TtySize::new(0, 24), None);
        assert_eq!(TtySize::new(80, 0), None);
        assert_eq!(TtySize::new(MAX_TTY_SIDE + 1, 24), None);
    }

    #[test]
    fn markers_are_plain_words() {
        assert!(check_marker("0b6c1d2e-9f4a-4c51-8d0e-6f1a2b3c4d5e").is_ok());
        for bad in ["", "a b", "x;kill", "$(id)", "a\nb", &"a".repeat(65)] {
            assert!(check_marker(bad).is_err(), "{bad:?}");
        }
    }
}
