//! What a container prints: its stdout and stderr as separate lines, each with the
//! timestamp the engine recorded, read once (a tail, optionally since an instant) or followed
//! live. Lines are bounded in length so one endless line cannot grow memory; nothing here
//! knows about applications or secrets (redaction happens in `services`).

use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use bollard::Docker;
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};

use super::{check_container_id, DockerError};

/// Longest line kept; the rest is cut and marked with `…`.
pub const MAX_LOG_LINE: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStream {
    Stdout,
    Stderr,
}

/// One line a container printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerLogLine {
    pub stream: LogStream,
    /// When the engine received it.
    pub at: DateTime<Utc>,
    pub line: String,
}

/// Which lines to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogRange {
    /// The last `n` lines (before following); `None` means all of them.
    pub tail: Option<usize>,
    /// Only lines at or after this instant.
    pub since: Option<DateTime<Utc>>,
}

/// The container's lines in `range`, oldest first. `NotFound` when there is no such container.
#[tracing::instrument(skip_all, fields(container = %id))]
pub async fn read_logs(docker: &Docker, id: &str, range: LogRange) -> Result<Vec<ContainerLogLine>, DockerError> {
    check_container_id(id)?;
    if range.tail == Some(0) {
        return Ok(Vec::new());
    }
    let mut stream = Box::pin(log_lines(docker, id, range, false));
    let mut lines = Vec::new();
    while let Some(line) = stream.next().await {
        lines.push(line?);
    }
    // The engine's `since` has a resolution of seconds; finer is applied here, and the tail
    // is cut again in case a frame carried several lines.
    if let Some(tail) = range.tail {
        if lines.len() > tail {
            lines.drain(..lines.len() - tail);
        }
    }
    Ok(lines)
}

/// The container's lines in `range`, then every new one as it is printed; ends when the
/// container stops (or is removed) or the engine goes away.
pub fn follow_logs(
    docker: &Docker,
    id: &str,
    range: LogRange,
) -> impl Stream<Item = Result<ContainerLogLine, DockerError>> + Send + 'static {
    let checked = check_container_id(id);
    let lines = log_lines(docker, id, range, true);
    async_stream::try_stream! {
        checked?;
        let mut lines = Box::pin(lines);
        while let Some(line) = lines.next().await {
            yield line?;
        }
    }
}

/// The lines of every task of a swarm service in `range` (read through a manager, which
/// gathers them from the nodes), then, with `follow`, every new one until the service goes.
pub fn service_logs(
    docker: &Docker,
    service: &str,
    range: LogRange,
    follow: bool,
) -> impl Stream<Item = Result<ContainerLogLine, DockerError>> + Send + 'static {
    let frames = docker.service_logs(service, Some(options(range, follow)));
    lines_of(frames, range.since)
}

/// The service's last lines in `range`, oldest first.
pub async fn read_service_logs(
    docker: &Docker,
    service: &str,
    range: LogRange,
) -> Result<Vec<ContainerLogLine>, DockerError> {
    if range.tail == Some(0) {
        return Ok(Vec::new());
    }
    let mut stream = Box::pin(service_logs(docker, service, range, false));
    let mut lines = Vec::new();
    while let Some(line) = stream.next().await {
        lines.push(line?);
    }
    // Tasks' lines arrive node by node: in time order, then the tail.
    lines.sort_by_key(|line| line.at);
    if let Some(tail) = range.tail {
        if lines.len() > tail {
            lines.drain(..lines.len() - tail);
        }
    }
    Ok(lines)
}

fn options(range: LogRange, follow: bool) -> LogsOptions {
    LogsOptions {
        stdout: true,
        stderr: true,
        follow,
        timestamps: true,
        since: range
            .since
            .map(|at| i32::try_from(at.timestamp().max(0)).unwrap_or(i32::MAX))
            .unwrap_or(0),
        tail: range.tail.map_or_else(|| "all".to_string(), |n| n.to_string()),
        ..Default::default()
    }
}

fn log_lines(
    docker: &Docker,
    id: &str,
    range: LogRange,
    follow: bool,
) -> impl Stream<Item = Result<ContainerLogLine, DockerError>> + Send + 'static {
    let frames = docker.logs(id, Some(options(range, follow)));
    lines_of(frames, range.since)
}

/// Log frames as lines: split, timestamps parsed, those before `since` left out.
fn lines_of(
    frames: impl Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send + 'static,
    since: Option<DateTime<Utc>>,
) -> impl Stream<Item = Result<ContainerLogLine, DockerError>> + Send + 'static {
    frames
        .map(move |frame| -> Result<Vec<ContainerLogLine>, DockerError> {
            let (stream, bytes) = match frame? {
                LogOutput::StdErr { message } => (LogStream::Stderr, message),
                LogOutput::StdOut { message } | LogOutput::Console { message } => (LogStream::Stdout, message),
                LogOutput::StdIn { .. } => return Ok(Vec::new()),
            };
            Ok(parse_frame(stream, &bytes)
                .into_iter()
                .filter(|line| since.is_none_or(|since| line.at >= since))
                .collect())
        })
        .flat_map(|lines| {
            futures::stream::iter(match lines {
                Ok(lines) => lines.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(err) => vec![Err(err)],
            })
        })
}

/// The lines of one frame. With timestamps on, the engine starts every line with an RFC 3339
/// instant and a space; a line without one (never seen, but cheap to allow) gets "now".
fn parse_frame(stream: LogStream, bytes: &[u8]) -> Vec<ContainerLogLine> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_suffix('\n').unwrap_or(&text);
    text.split('\n')
        .map(|raw| {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let (at, line) = match raw.split_once(' ') {
                Some((stamp, rest)) => match DateTime::parse_from_rfc3339(stamp) {
                    Ok(at) => (at.with_timezone(&Utc), rest),
                    Err(_) => (Utc::now(), raw),
                },
                None => match DateTime::parse_from_rfc3339(raw) {
                    Ok(at) => (at.with_timezone(&Utc), ""),
                    Err(_) => (Utc::now(), raw),
                },
            };
            ContainerLogLine {
                stream,
                at,
                line: bounded(line),
            }
        })
        .collect()
}

fn bounded(line: &str) -> String {
    if line.len() <= MAX_LOG_LINE {
        return line.to_string();
    }
    let mut cut = MAX_LOG_LINE;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &line[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_into_timestamped_lines() {
        let frame = b"2026-01-02T03:04:05.123456789Z hello world\n2026-01-02T03:04:06Z second\r\n";
        let lines = parse_frame(LogStream::Stderr, frame);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, "hello world");
        assert_eq!(lines[0].stream, LogStream::Stderr);
        assert_eq!(lines[0].at.to_rfc3339(), "2026-01-02T03:04:05.123456789+00:00");
        assert_eq!(lines[1].line, "second");
        let empty = parse_frame(LogStream::Stdout, b"2026-01-02T03:04:05Z \n");
        assert_eq!(empty[0].line, "");
        let bare = parse_frame(LogStream::Stdout, b"2026-01-02T03:04:05Z\n");
        assert_eq!(bare[0].line, "");
        let untimed = parse_frame(LogStream::Stdout, b"no stamp here\n");
        assert_eq!(untimed[0].line, "no stamp here");
    }

    #[test]
    fn endless_lines_are_cut() {
        let long = "é".repeat(MAX_LOG_LINE);
        let cut = bounded(&long);
        assert!(cut.len() <= MAX_LOG_LINE + '…'.len_utf8());
        assert!(cut.ends_with('…'));
    }
}
