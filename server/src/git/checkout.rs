//! Checking out the fetched commit without holding a large file in memory.
//!
//! libgit2's checkout inflates every blob whole into memory before writing it, so one 200 MB
//! file in a repository would cost Ployer 200 MB. Blobs above a threshold are therefore left
//! out of the tree libgit2 checks out, and written here instead: inflated straight from the
//! pack file to disk in small chunks. Everything else (small files, symlinks, attributes and
//! their filters) is libgit2's checkout as usual. Large files are written as stored, without
//! filters, as git itself does for big files.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, BufReader, Read, Seek, SeekFrom, Write},
    os::unix::{
        ffi::OsStrExt,
        fs::{OpenOptionsExt, PermissionsExt},
    },
    path::{Component, Path, PathBuf},
};

use flate2::read::ZlibDecoder;
use git2::{build::CheckoutBuilder, FileMode, ObjectType, Oid, Repository, Tree};

use super::{fetch::Abort, GitError};

/// Blobs larger than this are streamed to disk instead of going through libgit2's checkout.
pub(crate) const STREAM_THRESHOLD: usize = 8 << 20;

/// The pack entry type of a whole (not deltified) blob.
const PACK_BLOB: u8 = 3;

const CHUNK: usize = 64 << 10;

/// A blob left out of libgit2's checkout, to be streamed to `path` (relative to the work tree).
struct LargeFile {
    path: PathBuf,
    oid: Oid,
    size: usize,
    executable: bool,
}

/// How the large files of a checkout were written.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct LargeFiles {
    /// Inflated from the pack in chunks.
    pub streamed: usize,
    /// Read whole by libgit2 (deltified or loose objects).
    pub whole: usize,
}

/// Checks out `tree` into the repository's work tree (forced: the directory is fresh).
pub(crate) fn checkout_tree(
    repo: &Repository,
    tree: &Tree<'_>,
    threshold: usize,
    abort: &Abort,
) -> Result<LargeFiles, GitError> {
    let mut large = Vec::new();
    let odb = repo.odb().map_err(other)?;
    let reduced = without_large_blobs(repo, &odb, tree, Path::new(""), threshold, &mut large).map_err(other)?;
    let to_check_out = match reduced {
        Some(oid) => repo.find_tree(oid).map_err(other)?,
        None => tree.clone(),
    };
    let mut builder = CheckoutBuilder::new();
    builder.force();
    repo.checkout_tree(to_check_out.as_object(), Some(&mut builder))
        .map_err(other)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| GitError::Other("the checkout has no work tree".into()))?;
    let mut written = LargeFiles::default();
    for file in &large {
        abort.check()?;
        if write_large_file(repo, workdir, file, abort)? {
            written.streamed += 1;
        } else {
            written.whole += 1;
        }
    }
    if !large.is_empty() {
        tracing::info!(
            streamed = written.streamed,
            whole = written.whole,
            "large files written"
        );
    }
    Ok(written)
}

fn other(err: git2::Error) -> GitError {
    GitError::Other(format!("cannot check out the commit: {}", err.message()))
}

/// Returns a copy of `tree` without regular-file blobs above `threshold` (collected into
/// `large`), written to the object database; `None` when nothing had to be left out.
fn without_large_blobs(
    repo: &Repository,
    odb: &git2::Odb<'_>,
    tree: &Tree<'_>,
    dir: &Path,
    threshold: usize,
    large: &mut Vec<LargeFile>,
) -> Result<Option<Oid>, git2::Error> {
    let mut builder: Option<git2::TreeBuilder<'_>> = None;
    for entry in tree.iter() {
        // Names are bytes in git; written as they are, like libgit2's checkout does.
        let path = dir.join(std::ffi::OsStr::from_bytes(entry.name_bytes()));
        let mode = entry.filemode();
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let subtree = repo.find_tree(entry.id())?;
                if let Some(reduced) = without_large_blobs(repo, odb, &subtree, &path, threshold, large)? {
                    builder
                        .get_or_insert(repo.treebuilder(Some(tree))?)
                        .insert(entry.name_bytes(), reduced, mode)?;
                }
            }
            Some(ObjectType::Blob)
                if mode == i32::from(FileMode::Blob) || mode == i32::from(FileMode::BlobExecutable) =>
            {
                let (size, _) = odb.read_header(entry.id())?;
                if size > threshold {
                    large.push(LargeFile {
                        path,
                        oid: entry.id(),
                        size,
                        executable: mode == i32::from(FileMode::BlobExecutable),
                    });
                    builder
                        .get_or_insert(repo.treebuilder(Some(tree))?)
                        .remove(entry.name_bytes())?;
                }
            }
            _ => {}
        }
    }
    builder.map(|b| b.write()).transpose()
}

/// Writes one large file; true when it was streamed from the pack.
fn write_large_file(repo: &Repository, workdir: &Path, file: &LargeFile, abort: &Abort) -> Result<bool, GitError> {
    let safe = file
        .path
        .components()
        .all(|c| matches!(c, Component::Normal(part) if !part.eq_ignore_ascii_case(".git")));
    if !safe {
        return Err(GitError::Refused(format!(
            "the repository holds an unsafe path {:?}",
            file.path
        )));
    }
    let dest = workdir.join(&file.path);
    let failed = |e: io::Error| GitError::Other(format!("cannot write {}: {e}", file.path.display()));
    if let Some(parent) = dest.parent() {
        // Only directories libgit2 (or this loop) made: a symlink here is never followed.
        fs::create_dir_all(parent).map_err(failed)?;
        if fs::symlink_metadata(parent).map_err(failed)?.file_type().is_symlink() {
            return Err(GitError::Refused(format!(
                "the repository places {} under a symbolic link",
                file.path.display()
            )));
        }
    }
    let mode = if file.executable { 0o755 } else { 0o644 };
    let mut out = OpenOptions::new()
        .write(true)
        // O_EXCL: never follows or replaces anything already at `dest`, symlinks included.
        .create_new(true)
        .mode(mode)
        .open(&dest)
        .map_err(failed)?;
    let streamed = match pack_entry(repo, file.oid).map_err(failed)? {
        Some(mut reader) => {
            let written = copy(&mut reader, &mut out, file.size, abort)?;
            if written != file.size {
                return Err(GitError::Other(format!(
                    "{} inflated to {written} bytes instead of {}",
                    file.path.display(),
                    file.size
                )));
            }
            true
        }
        // A deltified or loose blob: libgit2 reads it whole (rare for a single fetched commit).
        None => {
            let blob = repo.find_blob(file.oid).map_err(other)?;
            out.write_all(blob.content()).map_err(failed)?;
            false
        }
    };
    out.set_permissions(fs::Permissions::from_mode(mode)).map_err(failed)?;
    out.sync_data().map_err(failed)?;
    Ok(streamed)
}

fn copy(reader: &mut impl Read, out: &mut File, limit: usize, abort: &Abort) -> Result<usize, GitError> {
    let mut buf = vec![0u8; CHUNK];
    let mut written = 0usize;
    loop {
        abort.check()?;
        let n = reader
            .read(&mut buf)
            .map_err(|e| GitError::Other(format!("cannot inflate a large file from the pack: {e}")))?;
        if n == 0 {
            return Ok(written);
        }
        written += n;
        if written > limit {
            return Ok(written);
        }
        out.write_all(&buf[..n])
            .map_err(|e| GitError::Other(format!("cannot write a large file: {e}")))?;
    }
}

/// A reader of the blob `oid`'s content, inflated from the pack that holds it whole; `None`
/// when no pack does (a loose object, or one stored as a delta).
fn pack_entry(repo: &Repository, oid: Oid) -> io::Result<Option<impl Read>> {
    let pack_dir = repo.path().join("objects").join("pack");
    let entries = match fs::read_dir(&pack_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let idx = entry?.path();
        if idx.extension().is_none_or(|ext| ext != "idx") {
            continue;
        }
        let Some(offset) = find_in_index(&mut BufReader::new(File::open(&idx)?), oid.as_bytes())? else {
            continue;
        };
        let mut pack = BufReader::with_capacity(CHUNK, File::open(idx.with_extension("pack"))?);
        pack.seek(SeekFrom::Start(offset))?;
        let (kind, _size) = entry_header(&mut pack)?;
        if kind != PACK_BLOB {
            return Ok(None);
        }
        return Ok(Some(ZlibDecoder::new(pack)));
    }
    Ok(None)
}

/// The offset of `oid` in the pack a version-2 `.idx` file describes.
fn find_in_index(idx: &mut (impl Read + Seek), oid: &[u8]) -> io::Result<Option<u64>> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("pack index: {what}"));
    let mut header = [0u8; 8];
    idx.read_exact(&mut header)?;
    if header != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
        return Err(invalid("not a version 2 index"));
    }
    let hash_len = oid.len() as u64;
    let mut fanout = [0u8; 1024];
    idx.read_exact(&mut fanout)?;
    let count_below = |byte: usize| -> u32 {
        if byte == 0 {
            0
        } else {
            u32::from_be_bytes(fanout[(byte - 1) * 4..byte * 4].try_into().unwrap())
        }
    };
    let total = u64::from(count_below(256));
    let (mut lo, mut hi) = (
        u64::from(count_below(usize::from(oid[0]))),
        u64::from(count_below(usize::from(oid[0]) + 1)),
    );
    let names = 8 + 1024;
    let mut candidate = vec![0u8; oid.len()];
    let position = loop {
        if lo >= hi {
            return Ok(None);
        }
        let mid = lo + (hi - lo) / 2;
        idx.seek(SeekFrom::Start(names + mid * hash_len))?;
        idx.read_exact(&mut candidate)?;
        match candidate.as_slice().cmp(oid) {
            std::cmp::Ordering::Equal => break mid,
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
        }
    };
    let offsets = names + total * hash_len + total * 4;
    let mut word = [0u8; 4];
    idx.seek(SeekFrom::Start(offsets + position * 4))?;
    idx.read_exact(&mut word)?;
    let small = u32::from_be_bytes(word);
    if small & 0x8000_0000 == 0 {
        return Ok(Some(u64::from(small)));
    }
    let mut long = [0u8; 8];
    idx.seek(SeekFrom::Start(
        offsets + total * 4 + u64::from(small & 0x7fff_ffff) * 8,
    ))?;
    idx.read_exact(&mut long)?;
    Ok(Some(u64::from_be_bytes(long)))
}

/// A pack entry's type and inflated size.
fn entry_header(pack: &mut impl Read) -> io::Result<(u8, u64)> {
    let mut byte = [0u8; 1];
    pack.read_exact(&mut byte)?;
    let kind = (byte[0] >> 4) & 0x7;
    let mut size = u64::from(byte[0] & 0x0f);
    let mut shift = 4;
    while byte[0] & 0x80 != 0 {
        if shift > 57 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "pack entry size overflows"));
        }
        pack.read_exact(&mut byte)?;
        size |= u64::from(byte[0] & 0x7f) << shift;
        shift += 7;
    }
    Ok((kind, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_headers_decode_type_and_size() {
        // blob (3), size 5: 0b0_011_0101
        assert_eq!(entry_header(&mut &[0x35u8][..]).unwrap(), (3, 5));
        // blob, size 0x123 = 0x3 | (0x12 << 4): 0b1_011_0011, 0b0_0010010
        assert_eq!(entry_header(&mut &[0xb3u8, 0x12][..]).unwrap(), (3, 0x123));
        // ofs-delta (6)
        assert_eq!(entry_header(&mut &[0x61u8][..]).unwrap().0, 6);
        assert!(entry_header(&mut &[0xffu8; 12][..]).is_err());
    }

    #[test]
    fn an_index_that_is_not_version_2_is_refused() {
        let mut bytes = io::Cursor::new(vec![0u8; 2048]);
        assert!(find_in_index(&mut bytes, &[0u8; 20]).is_err());
    }
}
