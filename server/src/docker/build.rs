//! Builds an image from a checkout: the build context is walked on a blocking thread and
//! written as a tar into a small bounded channel that bollard sends as the request body, so a
//! context of any size costs a few hundred kilobytes. The walk never follows a symlink (links
//! travel as links), never leaves the context directory, never opens anything but regular
//! files (a FIFO in a repository must not hang the build), and honours `.dockerignore` the way
//! the Docker CLI does (patterns anchored at the context root, `!` exceptions, last match wins).

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::Docker;
use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::{send_line, DockerError};

/// Size of one body chunk, and how many may wait in the pipe: together the most of a build
/// context that is ever in memory.
const CHUNK_BYTES: usize = 64 * 1024;
const PIPE_CHUNKS: usize = 8;
/// A build line longer than this is cut into pieces rather than buffered without bound.
const MAX_LINE_BYTES: usize = 64 * 1024;
const CPU_PERIOD_MICROS: i64 = 100_000;
const DOCKERIGNORE: &str = ".dockerignore";

/// What to build and how.
pub struct BuildSpec<'a> {
    /// The build context directory (already inside the checkout).
    pub context_dir: &'a Path,
    /// Path of the Dockerfile relative to `context_dir` ("Dockerfile", "docker/Dockerfile").
    pub dockerfile: &'a str,
    /// The tag to give the image, e.g. `ployer/<app-name>:<deployment id>`.
    pub tag: &'a str,
    pub build_args: HashMap<String, String>,
    pub labels: HashMap<String, String>,
    /// Memory limit of each build step's container; 0 or less means none. bollard 0.21 types
    /// this field as `i32` (2 GiB reaches the engine as one byte less); the configuration
    /// refuses more (`MAX_BUILD_MEMORY_BYTES`).
    pub memory_bytes: i64,
    /// CPU limit of each build step's container, in CPUs; 0 or less means none.
    pub cpus: f64,
}

/// Streams a tar of `context_dir` (respecting `.dockerignore`; symlinks stored as symlinks and
/// never followed; no entry outside the directory; the context never held whole in memory)
/// into the engine's legacy builder with `rm` and `forcerm` (no intermediate container
/// lingers, even on failure), the build's memory/CPU limits and the labels on the image.
///
/// Every output line goes to `log`, and so does the error of a failed build (as
/// `error: <text>`), so the log alone tells what happened. A failed build — an error item in
/// the middle of the stream, an `errorDetail`, a broken context, or a stream that ends without
/// naming an image — is `Err(DockerError::Build(<the error text>))`; an unreachable engine is
/// `Err(DockerError::Unavailable)`. Refuses a Dockerfile path that is absolute, contains `..`,
/// or resolves (through symlinks) outside the context. Returns the image id (`sha256:…`).
///
/// Dropping the future cancels the build: the request is aborted, the engine stops the build
/// and removes its containers, and the tar writer stops at its next chunk.
#[tracing::instrument(skip_all, fields(tag = %spec.tag, dockerfile = %spec.dockerfile))]
pub async fn build_image(
    docker: &Docker,
    spec: BuildSpec<'_>,
    log: mpsc::Sender<String>,
) -> Result<String, DockerError> {
    super::check_image_ref(spec.tag).map_err(|_| DockerError::Build(format!("invalid image tag {:?}", spec.tag)))?;
    let context_dir = spec.context_dir.to_path_buf();
    let dockerfile = spec.dockerfile.to_string();
    let prepared = tokio::task::spawn_blocking(move || Context::prepare(&context_dir, &dockerfile))
        .await
        .map_err(|err| DockerError::Build(format!("preparing the build context failed: {err}")))
        .and_then(|prepared| prepared);
    let context = match prepared {
        Ok(context) => context,
        Err(err) => {
            if let DockerError::Build(message) = &err {
                send_line(&log, format!("error: {message}")).await;
            }
            return Err(err);
        }
    };
    let dockerfile_in_context = context.dockerfile.to_string_lossy().into_owned();

    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(PIPE_CHUNKS);
    let producer = tokio::task::spawn_blocking(move || {
        let result = context.write_tar(ChannelWriter::new(tx.clone()));
        if let Err(err) = &result {
            // Abort the request: a body that merely ended would be a shorter, still valid tar.
            let _ = tx.blocking_send(Err(io::Error::new(err.kind(), err.to_string())));
        }
        result
    });

    let mut options = BuildImageOptionsBuilder::default()
        .dockerfile(&dockerfile_in_context)
        .t(spec.tag)
        .rm(true)
        .forcerm(true)
        .buildargs(&spec.build_args)
        .labels(&spec.labels);
    if spec.memory_bytes > 0 {
        options = options.memory(i32::try_from(spec.memory_bytes).unwrap_or(i32::MAX));
    }
    if spec.cpus > 0.0 {
        // The engine refuses a quota under 1 ms.
        let quota = (spec.cpus * CPU_PERIOD_MICROS as f64)
            .round()
            .clamp(1_000.0, i32::MAX as f64) as i32;
        options = options.cpuperiod(CPU_PERIOD_MICROS as i32).cpuquota(quota);
    }

    let body = bollard::body_try_stream(ReceiverStream::new(rx));
    let mut stream = docker.build_image(options.build(), None, Some(body));
    let mut lines = LineBuffer::default();
    let mut image_id: Option<String> = None;
    let mut failure: Option<DockerError> = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => {
                if let Some(text) = info.stream {
                    for line in lines.push(&text) {
                        if let Some(short) = line.strip_prefix("Successfully built ") {
                            image_id.get_or_insert_with(|| short.trim().to_string());
                        }
                        send_line(&log, line).await;
                    }
                }
                if let Some(status) = info.status {
                    // Per-chunk download progress of a base image pull would flood the log.
                    if info.progress_detail.and_then(|p| p.current).is_none() {
                        send_line(&log, progress_line(info.id.as_deref(), &status)).await;
                    }
                }
                if let Some(id) = info.aux.and_then(|aux| aux.id) {
                    image_id = Some(id);
                }
            }
            Err(err) => {
                failure = Some(match DockerError::from(err) {
                    DockerError::Unavailable(m) => DockerError::Unavailable(m),
                    DockerError::Build(m)
                    | DockerError::NotFound(m)
                    | DockerError::Conflict(m)
                    | DockerError::Other(m) => DockerError::Build(m),
                });
                break;
            }
        }
    }
    // Dropping the stream drops the request body, so a producer still writing stops.
    drop(stream);
    if let Some(line) = lines.finish() {
        send_line(&log, line).await;
    }

    let produced = producer
        .await
        .map_err(|err| DockerError::Build(format!("writing the build context failed: {err}")))
        .and_then(|written| match written {
            Ok(()) => Ok(()),
            // The engine hung up; its own error (if any) says why.
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe && failure.is_some() => Ok(()),
            Err(err) => Err(DockerError::Build(format!("sending the build context failed: {err}"))),
        });
    let outcome = match (produced, failure) {
        (Err(err), _) | (Ok(()), Some(err)) => Err(err),
        (Ok(()), None) => match image_id {
            Some(id) => verify_tag(docker, spec.tag, &id).await,
            // An `error` message without `errorDetail` is invisible to bollard 0.21's types:
            // never call a build without an image a success.
            None => Err(DockerError::Build(
                "the build ended without producing an image (see the build log)".to_string(),
            )),
        },
    };
    if let Err(DockerError::Build(message)) = &outcome {
        send_line(&log, format!("error: {message}")).await;
    }
    outcome
}

/// The tag must name the image the build reported; returns its full id.
async fn verify_tag(docker: &Docker, tag: &str, reported: &str) -> Result<String, DockerError> {
    let image = docker
        .inspect_image(tag)
        .await
        .map_err(|err| match DockerError::from(err) {
            DockerError::Unavailable(m) => DockerError::Unavailable(m),
            other => DockerError::Build(format!("the built image is not tagged {tag}: {other}")),
        })?;
    let id = image.id.unwrap_or_default();
    let short = reported.trim_start_matches("sha256:");
    if id.trim_start_matches("sha256:").starts_with(short) && !short.is_empty() {
        Ok(id)
    } else {
        Err(DockerError::Build(format!(
            "the build reported image {reported}, but {tag} is {id}"
        )))
    }
}

fn progress_line(id: Option<&str>, status: &str) -> String {
    match id {
        Some(id) if !id.is_empty() => format!("{id}: {status}"),
        _ => status.to_string(),
    }
}

/// Build output arrives in arbitrary pieces; this hands out whole lines.
#[derive(Default)]
struct LineBuffer {
    pending: String,
}

impl LineBuffer {
    fn push(&mut self, text: &str) -> Vec<String> {
        self.pending.push_str(text);
        let mut lines = Vec::new();
        while let Some(end) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=end).collect();
            lines.push(line.trim_end_matches(['\n', '\r']).to_string());
        }
        if self.pending.len() > MAX_LINE_BYTES {
            lines.push(std::mem::take(&mut self.pending));
        }
        lines
    }

    fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.pending);
        (!rest.trim().is_empty()).then(|| rest.trim_end_matches('\r').to_string())
    }
}

/// A checked build context: where it is, which Dockerfile (relative, symlinks resolved), and
/// what `.dockerignore` leaves out.
pub(super) struct Context {
    root: PathBuf,
    dockerfile: PathBuf,
    ignore: Gitignore,
}

impl Context {
    pub(super) fn prepare(context_dir: &Path, dockerfile: &str) -> Result<Self, DockerError> {
        let root = context_dir.canonicalize().map_err(|err| {
            DockerError::Build(format!(
                "the build context {} is not readable: {err}",
                context_dir.display()
            ))
        })?;
        if !root.is_dir() {
            return Err(DockerError::Build(format!(
                "the build context {} is not a directory",
                context_dir.display()
            )));
        }
        let dockerfile = resolve_dockerfile(&root, dockerfile)?;
        let ignore = read_dockerignore(&root)?;
        Ok(Self {
            root,
            dockerfile,
            ignore,
        })
    }

    fn is_excluded(&self, rel: &Path, is_dir: bool) -> bool {
        self.ignore.matched_path_or_any_parents(rel, is_dir).is_ignore()
    }

    /// The Dockerfile and `.dockerignore` always travel, as the Docker CLI sends them.
    fn always_sent(&self, rel: &Path) -> bool {
        rel == self.dockerfile || rel == Path::new(DOCKERIGNORE)
    }

    /// Writes the context as a tar to `out`, then flushes it. Entries are relative paths
    /// below the root, in a stable order.
    pub(super) fn write_tar<W: Write>(&self, out: W) -> io::Result<()> {
        let mut tar = tar::Builder::new(out);
        tar.follow_symlinks(false);
        // The engine's extractor does not take GNU sparse entries.
        tar.sparse(false);
        tar.mode(tar::HeaderMode::Complete);
        let mut dirs = vec![PathBuf::new()];
        while let Some(dir) = dirs.pop() {
            let mut entries = fs::read_dir(self.root.join(&dir))?.collect::<io::Result<Vec<_>>>()?;
            entries.sort_by_key(|entry| entry.file_name());
            let mut subdirs = Vec::new();
            for entry in entries {
                let rel = dir.join(entry.file_name());
                let path = self.root.join(&rel);
                // `file_type` comes from lstat: a symlink is a symlink, whatever it points to.
                let file_type = entry.file_type()?;
                let excluded = self.is_excluded(&rel, file_type.is_dir()) && !self.always_sent(&rel);
                if file_type.is_dir() {
                    if !excluded {
                        tar.append_path_with_name(&path, &rel)?;
                        subdirs.push(rel);
                    } else if self.ignore.num_whitelists() > 0 || self.dockerfile.starts_with(&rel) {
                        // An exception (`!dir/keep`) or the Dockerfile may still live inside.
                        subdirs.push(rel);
                    }
                } else if excluded {
                    continue;
                } else if file_type.is_symlink() {
                    tar.append_path_with_name(&path, &rel)?;
                } else if file_type.is_file() {
                    let mut file = fs::File::open(&path)?;
                    if file.metadata()?.is_file() {
                        tar.append_file(&rel, &mut file)?;
                    }
                } else {
                    tracing::debug!(path = %rel.display(), "skipping a special file in the build context");
                }
            }
            // Popped in reverse, so directories are visited in name order.
            dirs.extend(subdirs.into_iter().rev());
        }
        tar.into_inner()?.flush()
    }
}

/// The Dockerfile, relative to the canonical context root, symlinks resolved. Absolute paths,
/// `..` components and anything that resolves outside the root are refused.
fn resolve_dockerfile(root: &Path, dockerfile: &str) -> Result<PathBuf, DockerError> {
    let refuse = |why: &str| DockerError::Build(format!("refusing Dockerfile path {dockerfile:?}: {why}"));
    let given = Path::new(dockerfile);
    if dockerfile.is_empty() || dockerfile.contains('\0') {
        return Err(refuse("it is empty or not a path"));
    }
    if given.is_absolute()
        || given
            .components()
            .any(|c| matches!(c, Component::RootDir | Component::Prefix(_)))
    {
        return Err(refuse("it must be relative to the build context"));
    }
    if given.components().any(|c| c == Component::ParentDir) {
        return Err(refuse("it leaves the build context"));
    }
    let resolved = root
        .join(given)
        .canonicalize()
        .map_err(|err| refuse(&format!("it cannot be opened ({err})")))?;
    let rel = resolved
        .strip_prefix(root)
        .map_err(|_| refuse("it is a symlink pointing outside the build context"))?;
    if !resolved.is_file() || rel.as_os_str().is_empty() {
        return Err(refuse("it is not a regular file"));
    }
    if rel.to_str().is_none() {
        return Err(refuse("its resolved path is not valid UTF-8"));
    }
    Ok(rel.to_path_buf())
}

/// Reads `.dockerignore` at the context root into a matcher. A `.dockerignore` that is a
/// symlink leading outside the context is refused rather than read.
fn read_dockerignore(root: &Path) -> Result<Gitignore, DockerError> {
    let path = root.join(DOCKERIGNORE);
    let mut builder = GitignoreBuilder::new(root);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(Gitignore::empty());
    }
    let resolved = path
        .canonicalize()
        .map_err(|err| DockerError::Build(format!(".dockerignore cannot be read: {err}")))?;
    if !resolved.starts_with(root) || !resolved.is_file() {
        return Err(DockerError::Build(
            ".dockerignore must be a regular file inside the build context".to_string(),
        ));
    }
    let text = fs::read_to_string(&resolved)
        .map_err(|err| DockerError::Build(format!(".dockerignore cannot be read: {err}")))?;
    for line in text.lines().filter_map(dockerignore_to_gitignore) {
        builder
            .add_line(None, &line)
            .map_err(|err| DockerError::Build(format!(".dockerignore: invalid pattern {line:?}: {err}")))?;
    }
    builder
        .build()
        .map_err(|err| DockerError::Build(format!(".dockerignore: {err}")))
}

/// One `.dockerignore` line as a gitignore line with the same meaning: Docker cleans each
/// pattern like a path and matches it from the context root, so it is anchored with `/`
/// (in gitignore a bare `name` would match at any depth).
fn dockerignore_to_gitignore(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (negate, pattern) = match line.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, line),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in pattern.split('/') {
        match segment {
            "" | "." => {}
            // `..` above the root matches nothing in the context, as in Docker.
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("{}/{}", if negate { "!" } else { "" }, parts.join("/")))
}

/// The blocking end of the pipe: collects tar bytes into chunks and hands each to the async
/// side, waiting while the pipe is full.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: BytesMut,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<io::Result<Bytes>>) -> Self {
        Self {
            tx,
            buf: BytesMut::with_capacity(CHUNK_BYTES),
        }
    }

    fn send_chunk(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = self.buf.split().freeze();
        self.buf.reserve(CHUNK_BYTES);
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the Docker engine stopped reading the build context",
            )
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK_BYTES {
            self.send_chunk()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_chunk()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, content: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    /// (name, kind, link target) of every entry of the context's tar.
    fn entries(context: &Context) -> Vec<(String, tar::EntryType, Option<String>)> {
        let mut out = Vec::new();
        context.write_tar(&mut out).unwrap();
        let mut archive = tar::Archive::new(out.as_slice());
        archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.path().unwrap().to_string_lossy().trim_end_matches('/').to_string();
                let link = e.link_name().unwrap().map(|l| l.to_string_lossy().into_owned());
                (name, e.header().entry_type(), link)
            })
            .collect()
    }

    fn names(context: &Context) -> Vec<String> {
        entries(context).into_iter().map(|(n, _, _)| n).collect()
    }

    #[test]
    fn dockerignore_patterns_are_anchored_at_the_context_root() {
        assert_eq!(dockerignore_to_gitignore("secret.txt").as_deref(), Some("/secret.txt"));
        assert_eq!(dockerignore_to_gitignore("  ./logs/  ").as_deref(), Some("/logs"));
        assert_eq!(dockerignore_to_gitignore("!keep//me").as_deref(), Some("!/keep/me"));
        assert_eq!(dockerignore_to_gitignore("a/../b").as_deref(), Some("/b"));
        assert_eq!(dockerignore_to_gitignore("**/*.tmp").as_deref(), Some("/**/*.tmp"));
        assert_eq!(dockerignore_to_gitignore("# comment"), None);
        assert_eq!(dockerignore_to_gitignore("../outside"), None);
        assert_eq!(dockerignore_to_gitignore("/"), None);
    }

    #[test]
    fn the_tar_follows_dockerignore_like_the_docker_cli() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "Dockerfile", "FROM scratch\n");
        write(root, "keep.txt", "k");
        write(root, "secret.txt", "s");
        write(root, "sub/secret.txt", "nested, not matched by a root pattern");
        write(root, "logs/a.log", "l");
        write(root, "logs/keep.log", "l");
        write(root, "deep/x/y.tmp", "t");
        write(root, "deep/x/y.txt", "t");
        write(
            root,
            ".dockerignore",
            "# comment\nsecret.txt\nlogs\n!logs/keep.log\n**/*.tmp\nDockerfile\n",
        );
        let context = Context::prepare(root, "Dockerfile").unwrap();
        let names = names(&context);
        for present in [
            "Dockerfile",
            ".dockerignore",
            "keep.txt",
            "sub",
            "sub/secret.txt",
            "logs/keep.log",
            "deep/x/y.txt",
        ] {
            assert!(names.iter().any(|n| n == present), "{present} missing from {names:?}");
        }
        for absent in ["secret.txt", "logs", "logs/a.log", "deep/x/y.tmp"] {
            assert!(!names.iter().any(|n| n == absent), "{absent} present in {names:?}");
        }
    }

    #[test]
    fn symlinks_travel_as_links_and_special_files_are_skipped() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "canary", "outside");
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "Dockerfile", "FROM scratch\n");
        std::os::unix::fs::symlink(outside.path().join("canary"), root.join("link")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("dirlink")).unwrap();
        let fifo = std::process::Command::new("mkfifo").arg(root.join("fifo")).status();
        let context = Context::prepare(root, "Dockerfile").unwrap();
        let entries = entries(&context);
        let link = entries.iter().find(|(n, _, _)| n == "link").unwrap();
        assert_eq!(link.1, tar::EntryType::Symlink);
        assert_eq!(link.2.as_deref(), Some(outside.path().join("canary").to_str().unwrap()));
        let dirlink = entries.iter().find(|(n, _, _)| n == "dirlink").unwrap();
        assert_eq!(dirlink.1, tar::EntryType::Symlink);
        assert!(!entries.iter().any(|(n, _, _)| n.contains("canary")), "{entries:?}");
        if fifo.is_ok_and(|s| s.success()) {
            assert!(!entries.iter().any(|(n, _, _)| n == "fifo"), "{entries:?}");
        }
        for (name, _, _) in &entries {
            assert!(!name.starts_with('/') && !name.split('/').any(|s| s == ".."), "{name}");
        }
    }

    #[test]
    fn dockerfile_paths_outside_the_context_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "Dockerfile", "FROM scratch\n");
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ctx");
        write(&root, "docker/Dockerfile", "FROM scratch\n");
        write(dir.path(), "x", "FROM scratch\n");
        std::os::unix::fs::symlink(outside.path().join("Dockerfile"), root.join("Evil")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("evildir")).unwrap();
        std::os::unix::fs::symlink("docker/Dockerfile", root.join("Inner")).unwrap();
        let outside_abs = outside.path().join("Dockerfile");
        for bad in [
            "../x",
            "docker/../../x",
            outside_abs.to_str().unwrap(),
            "Evil",
            "evildir/Dockerfile",
            "docker",
            "missing",
            "",
        ] {
            match Context::prepare(&root, bad) {
                Err(DockerError::Build(m)) => assert!(m.contains("refusing Dockerfile path"), "{bad}: {m}"),
                Err(other) => panic!("{bad}: unexpected {other:?}"),
                Ok(_) => panic!("{bad}: accepted"),
            }
        }
        let inner = Context::prepare(&root, "Inner").unwrap();
        assert_eq!(inner.dockerfile, Path::new("docker/Dockerfile"));
        let nested = Context::prepare(&root, "./docker/Dockerfile").unwrap();
        assert_eq!(nested.dockerfile, Path::new("docker/Dockerfile"));
    }

    #[test]
    fn a_dockerignore_symlinked_outside_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "ignore", "*\n");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "Dockerfile", "FROM scratch\n");
        std::os::unix::fs::symlink(outside.path().join("ignore"), dir.path().join(".dockerignore")).unwrap();
        assert!(matches!(
            Context::prepare(dir.path(), "Dockerfile"),
            Err(DockerError::Build(_))
        ));
    }

    #[test]
    fn build_output_is_split_into_whole_lines() {
        let mut buffer = LineBuffer::default();
        assert!(buffer.push("Step 1/2 : FR").is_empty());
        assert_eq!(
            buffer.push("OM x\n ---> abc\r\npart"),
            vec!["Step 1/2 : FROM x", " ---> abc"]
        );
        assert_eq!(buffer.push("ial\n\n"), vec!["partial", ""]);
        assert_eq!(buffer.push("tail"), Vec::<String>::new());
        assert_eq!(buffer.finish().as_deref(), Some("tail"));
        assert_eq!(buffer.finish(), None);
    }
}
