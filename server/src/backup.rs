//! Backups of Ployer itself: one file holding a consistent copy of the database, taken while
//! the server runs (`VACUUM INTO`, which reads one snapshot while others write), and the two
//! keys without which its secrets cannot be read (`master.key`) and its sessions checked
//! (`jwt_secret`), with a manifest saying what it is. `ployer backup` and the scheduled
//! backups write it; `ployer restore` puts it back into the data dir of a stopped Ployer.
//!
//! The file is a gzip'd tar of exactly four regular files, `manifest.json` first.
//!
//! What it must never do:
//! - write a backup anyone but the owner can read (it holds the keys: mode 0600), or replace
//!   an existing file unless asked to;
//! - restore onto a running Ployer (the data dir's lock, [`DataDirLock`], says whether one
//!   runs), or restore a file that is not a Ployer backup, holds anything but the four files
//!   (no links, directories, absolute or `..` paths), or comes from a schema this binary does
//!   not know (a newer Ployer's);
//! - lose the current data when a restore fails: it is renamed aside, and only after the new
//!   data is complete and checked does the restored directory take its place.

use std::{
    fs,
    io::Read,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::{Deserialize, Serialize};

use crate::{
    config::Config,
    db,
    secrets::{Secrets, JWT_SECRET_FILE, MASTER_KEY_FILE},
};

/// What `manifest.json` says a file is; a later layout gets another.
pub const FORMAT: &str = "ployer-backup/1";
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "ployer.db";
/// Every file a backup holds, in the order it holds them.
const FILES: [&str; 4] = [MANIFEST, DATABASE, MASTER_KEY_FILE, JWT_SECRET_FILE];
/// Files other than the database are small; anything bigger is not a Ployer backup.
const MAX_SMALL_FILE: u64 = 64 * 1024;
/// The lock a running server holds on its data dir.
pub const LOCK_FILE: &str = "ployer.lock";
/// Scheduled backups are named `<prefix><UTC time><suffix>`, which sorts by age.
const SCHEDULED_PREFIX: &str = "ployer-backup-";
const SCHEDULED_SUFFIX: &str = ".tar.gz";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The version of the Ployer that took it.
    pub ployer_version: String,
    /// The newest migration applied to the database: its schema.
    pub schema: String,
    pub created_at: DateTime<Utc>,
}

/// The names of the migrations this binary knows, oldest first.
fn known_migrations() -> Vec<String> {
    Migrator::migrations().iter().map(|m| m.name().to_string()).collect()
}

/// Writes a backup of the database `db` and of `secrets` to `to`, replacing a file already
/// there only when `overwrite`. Safe while the server writes to the database.
pub async fn take(db: &DatabaseConnection, secrets: &Secrets, to: &Path, overwrite: bool) -> anyhow::Result<Manifest> {
    if !overwrite && fs::symlink_metadata(to).is_ok() {
        bail!("{} already exists; pass --force to replace it", to.display());
    }
    let parent = match to.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Next to the destination, so that the finished file is renamed into place, and private
    // (tempdir makes it 0700): the copy holds every secret's ciphertext and the keys.
    let staging = tempfile::Builder::new()
        .prefix(".ployer-backup-")
        .tempdir_in(&parent)
        .with_context(|| format!("while creating a temporary directory in {}", parent.display()))?;
    let snapshot = staging.path().join(DATABASE);
    let snapshot_text = snapshot
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", snapshot.display()))?;
    db.execute(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [snapshot_text.into()],
    ))
    .await
    .context("while copying the database (VACUUM INTO)")?;
    let schema = latest_migration(db).await?;
    let manifest = Manifest {
        format: FORMAT.to_string(),
        ployer_version: env!("CARGO_PKG_VERSION").to_string(),
        schema,
        created_at: Utc::now(),
    };
    let (jwt_secret, master_key) = secrets.to_hex();
    let to = to.to_path_buf();
    let written = manifest.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let archive = staging.path().join("backup.tar.gz");
        write_archive(&archive, &written, &snapshot, &master_key, &jwt_secret)?;
        if overwrite {
            fs::rename(&archive, &to)
        } else {
            // A hard link fails when `to` appeared meanwhile, where a rename would replace it.
            fs::hard_link(&archive, &to)
        }
        .with_context(|| format!("while writing {}", to.display()))?;
        Ok(())
    })
    .await
    .context("the backup task failed")??;
    Ok(manifest)
}

async fn latest_migration(db: &DatabaseConnection) -> anyhow::Result<String> {
    let row = db
        .query_one(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
        ))
        .await
        .context("while reading the applied migrations")?
        .context("the database has no migrations applied")?;
    Ok(row.try_get::<String>("", "version")?)
}

fn write_archive(
    path: &Path,
    manifest: &Manifest,
    database: &Path,
    master_key: &str,
    jwt_secret: &str,
) -> anyhow::Result<()> {
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("while creating {}", path.display()))?;
    let gzip = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gzip);
    let mtime = u64::try_from(manifest.created_at.timestamp()).unwrap_or_default();
    let mut append = |name: &str, size: u64, data: &mut dyn Read| -> anyhow::Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(size);
        header.set_mode(0o600);
        header.set_mtime(mtime);
        tar.append_data(&mut header, name, data)
            .with_context(|| format!("while adding {name} to the backup"))
    };
    let manifest_json = serde_json::to_vec_pretty(manifest)?;
    append(MANIFEST, manifest_json.len() as u64, &mut manifest_json.as_slice())?;
    let mut database_file =
        fs::File::open(database).with_context(|| format!("while reading {}", database.display()))?;
    let size = database_file.metadata()?.len();
    append(DATABASE, size, &mut database_file)?;
    append(MASTER_KEY_FILE, master_key.len() as u64, &mut master_key.as_bytes())?;
    append(JWT_SECRET_FILE, jwt_secret.len() as u64, &mut jwt_secret.as_bytes())?;
    let file = tar.into_inner()?.finish()?;
    file.sync_all()?;
    Ok(())
}

/// An exclusive lock on a data dir (`ployer.lock` inside it), held by a running server for its
/// whole life and by a restore while it works; released when dropped or when the process
/// dies, however it dies.
#[derive(Debug)]
pub struct DataDirLock {
    _file: fs::File,
}

impl DataDirLock {
    /// Takes the lock on `data_dir`, which must exist; fails at once when it is held.
    pub fn take(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("while opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(fs::TryLockError::WouldBlock) => bail!(
                "a Ployer is running on the data dir {} (it holds {}); stop it first",
                data_dir.display(),
                path.display()
            ),
            Err(fs::TryLockError::Error(err)) => Err(err).with_context(|| format!("while locking {}", path.display())),
        }
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the data dir that was there before now is.
    pub previous: Option<PathBuf>,
}

/// Puts the backup `from` back as the data dir `data_dir` of a stopped Ployer. The current
/// data dir, when there is one, is renamed aside and kept.
pub async fn restore(from: &Path, data_dir: &Path) -> anyhow::Result<Restored> {
    let _lock = match data_dir.is_dir() {
        true => Some(DataDirLock::take(data_dir)?),
        false => None,
    };
    let name = data_dir
        .file_name()
        .with_context(|| format!("the data dir {} has no name", data_dir.display()))?
        .to_string_lossy()
        .into_owned();
    let parent = match data_dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("while creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.restoring-"))
        .tempdir_in(&parent)
        .with_context(|| format!("while creating a temporary directory in {}", parent.display()))?;

    let (from_path, into) = (from.to_path_buf(), staging.path().to_path_buf());
    let manifest = tokio::task::spawn_blocking(move || extract(&from_path, &into))
        .await
        .context("the restore task failed")?
        .with_context(|| format!("{} cannot be restored", from.display()))?;
    check_database(&staging.path().join(DATABASE))
        .await
        .with_context(|| format!("{} cannot be restored", from.display()))?;

    let previous = match data_dir.exists() {
        true => {
            let aside = parent.join(format!("{name}.before-restore-{}", Utc::now().format("%Y%m%dT%H%M%SZ")));
            fs::rename(data_dir, &aside)
                .with_context(|| format!("while moving {} aside to {}", data_dir.display(), aside.display()))?;
            Some(aside)
        }
        false => None,
    };
    let restored = staging.keep();
    if let Err(err) = fs::rename(&restored, data_dir) {
        if let Some(aside) = &previous {
            let _ = fs::rename(aside, data_dir);
        }
        let _ = fs::remove_dir_all(&restored);
        return Err(err).with_context(|| format!("while moving the restored data into {}", data_dir.display()));
    }
    fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("while restricting {}", data_dir.display()))?;
    Ok(Restored { manifest, previous })
}

/// Reads the backup at `from` into the directory `into`, refusing anything that is not
/// exactly a Ployer backup this binary can restore; returns its manifest.
fn extract(from: &Path, into: &Path) -> anyhow::Result<Manifest> {
    let file = fs::File::open(from).with_context(|| format!("while opening {}", from.display()))?;
    let not_ours = |why: String| anyhow::anyhow!("not a Ployer backup: {why}");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let entries = archive
        .entries()
        .map_err(|err| not_ours(format!("cannot read it ({err})")))?;
    let mut manifest: Option<Manifest> = None;
    let mut seen: Vec<&str> = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|err| not_ours(format!("cannot read it ({err})")))?;
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(name) = FILES.iter().copied().find(|name| *name == raw_path) else {
            return Err(not_ours(format!("it holds {raw_path:?}, which no Ployer backup holds")));
        };
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(not_ours(format!("{name} is not a regular file")));
        }
        if seen.contains(&name) {
            return Err(not_ours(format!("it holds {name} twice")));
        }
        if seen.is_empty() && name != MANIFEST {
            return Err(not_ours(format!("it starts with {name}, not with {MANIFEST}")));
        }
        seen.push(name);
        let size = entry.size();
        if name != DATABASE && size > MAX_SMALL_FILE {
            return Err(not_ours(format!("{name} is {size} bytes long")));
        }
        if name == MANIFEST {
            let mut text = String::new();
            entry
                .read_to_string(&mut text)
                .map_err(|err| not_ours(format!("cannot read {MANIFEST} ({err})")))?;
            let read: Manifest =
                serde_json::from_str(&text).map_err(|err| not_ours(format!("{MANIFEST} is not a manifest ({err})")))?;
            check_manifest(&read)?;
            manifest = Some(read);
            continue;
        }
        let path = into.join(name);
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("while creating {}", path.display()))?;
        std::io::copy(&mut entry, &mut out).map_err(|err| not_ours(format!("cannot read {name} ({err})")))?;
        out.sync_all()?;
    }
    if let Some(missing) = FILES.iter().find(|name| !seen.contains(name)) {
        return Err(not_ours(format!("it has no {missing}")));
    }
    let master_key = fs::read_to_string(into.join(MASTER_KEY_FILE))?;
    if hex::decode(master_key.trim()).map_or(true, |key| key.len() != 32) {
        return Err(not_ours(format!("{MASTER_KEY_FILE} is not a key")));
    }
    manifest.context("not a Ployer backup: no manifest")
}

/// A manifest of this format, of a schema this binary knows.
fn check_manifest(manifest: &Manifest) -> anyhow::Result<()> {
    if manifest.format != FORMAT {
        bail!(
            "not a Ployer backup: its format is {:?}, not {FORMAT:?}",
            manifest.format
        );
    }
    let known = known_migrations();
    if !known.contains(&manifest.schema) {
        bail!(
            "the backup comes from a newer Ployer ({}, schema {}); this one ({}) knows schemas up to {}: restore it with that version or a later one",
            manifest.ployer_version,
            manifest.schema,
            env!("CARGO_PKG_VERSION"),
            known.last().map(String::as_str).unwrap_or("none"),
        );
    }
    Ok(())
}

/// The restored database is whole, and every migration applied to it is one this binary
/// knows (the manifest's word is not taken for it).
async fn check_database(path: &Path) -> anyhow::Result<()> {
    let db = db::connect(path).await?;
    let checked = async {
        let integrity = db
            .query_one(Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .context("the database cannot be read")?
            .context("the database cannot be read")?
            .try_get_by_index::<String>(0)?;
        if integrity != "ok" {
            bail!("the database is damaged: {integrity}");
        }
        let applied = db
            .query_all(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT version FROM seaql_migrations",
            ))
            .await
            .context("the database has no migrations table")?;
        let known = known_migrations();
        for row in applied {
            let version: String = row.try_get("", "version")?;
            if !known.contains(&version) {
                bail!(
                    "the database has migration {version} applied, which this Ployer does not know (a newer Ployer's)"
                );
            }
        }
        Ok(())
    }
    .await;
    db.close().await?;
    checked
}

/// Takes a backup every `backup_interval_seconds` into `backup_dir` and keeps the newest
/// `backups_kept`. A failure is logged and tried again at the next interval.
pub async fn run_schedule(db: DatabaseConnection, config: std::sync::Arc<Config>) {
    let period = Duration::from_secs(config.backup_interval_seconds.max(1));
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let dir = config.backup_root();
    loop {
        ticks.tick().await;
        match scheduled(&db, &config, &dir).await {
            Ok((path, removed)) => {
                tracing::info!(path = %path.display(), removed = removed.len(), "scheduled backup written")
            }
            Err(err) => tracing::error!(error = format!("{err:#}"), dir = %dir.display(), "scheduled backup failed"),
        }
    }
}

async fn scheduled(db: &DatabaseConnection, config: &Config, dir: &Path) -> anyhow::Result<(PathBuf, Vec<PathBuf>)> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("while creating {}", dir.display()))?;
    let secrets = Secrets::load_existing(config)?;
    let path = dir.join(format!(
        "{SCHEDULED_PREFIX}{}{SCHEDULED_SUFFIX}",
        Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    ));
    take(db, &secrets, &path, false).await?;
    let removed = prune(dir, config.backups_kept)?;
    Ok((path, removed))
}

/// Deletes the scheduled backups in `dir` beyond the newest `keep`; other files are left alone.
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("while listing {}", dir.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let doomed = beyond_newest(&mut names, keep);
    let mut removed = Vec::new();
    for name in doomed {
        let path = dir.join(name);
        fs::remove_file(&path).with_context(|| format!("while removing {}", path.display()))?;
        removed.push(path);
    }
    Ok(removed)
}

/// The scheduled backups among `names` that are older than the newest `keep`.
fn beyond_newest(names: &mut Vec<String>, keep: usize) -> Vec<String> {
    names.retain(|name| {
        name.strip_prefix(SCHEDULED_PREFIX)
            .and_then(|rest| rest.strip_suffix(SCHEDULED_SUFFIX))
            .is_some_and(|stamp| !stamp.is_empty() && stamp.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))
    });
    // The UTC timestamps sort by age; the newest last.
    names.sort();
    let excess = names.len().saturating_sub(keep);
    names.drain(..excess).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn seeded() -> (tempfile::TempDir, Config, DatabaseConnection, Secrets) {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            data_dir: dir.path().join("data"),
            ..Config::default()
        };
        crate::startup::prepare_data_dir(&config.data_dir).unwrap();
        let db = db::connect(&config.database_path()).await.unwrap();
        db::migrate(&db).await.unwrap();
        crate::test_support::app_row(&db, "app-1", None).await;
        let secrets = Secrets::load_or_create(&config).unwrap();
        (dir, config, db, secrets)
    }

    /// An archive entry: name, type, bytes.
    type Entry<'a> = (&'a str, tar::EntryType, &'a [u8]);

    /// A gzip'd tar of `entries`, written as given.
    fn archive(path: &Path, entries: &[Entry<'_>]) {
        let file = fs::File::create(path).unwrap();
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
        for (name, kind, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(*kind);
            header.set_size(data.len() as u64);
            header.set_mode(0o600);
            // `set_path` refuses `..`; a hostile archive writes the bytes itself.
            let bytes = name.as_bytes();
            header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            if *kind == tar::EntryType::Symlink {
                header.set_link_name("/etc/passwd").unwrap();
            }
            header.set_cksum();
            tar.append(&header, *data).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }

    /// The database a backup holds.
    fn database_of(backup: &Path) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(fs::File::open(backup).unwrap()));
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            if entry.path().unwrap().to_str() == Some(DATABASE) {
                entry.read_to_end(&mut bytes).unwrap();
            }
        }
        bytes
    }

    fn manifest_json(schema: &str) -> Vec<u8> {
        serde_json::to_vec(&Manifest {
            format: FORMAT.into(),
            ployer_version: "9.9.9".into(),
            schema: schema.into(),
            created_at: Utc::now(),
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_backup_is_private_and_restores_the_database_and_keys() {
        let (dir, config, db, secrets) = seeded().await;
        let file = dir.path().join("b.tar.gz");
        let manifest = take(&db, &secrets, &file, false).await.unwrap();
        assert_eq!(manifest.schema, *known_migrations().last().unwrap());
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "the data dir and the backup only: {leftovers:?}");

        let refused = take(&db, &secrets, &file, false).await.unwrap_err();
        assert!(format!("{refused:#}").contains("--force"), "{refused:#}");
        take(&db, &secrets, &file, true).await.unwrap();

        let target = dir.path().join("restored");
        let restored = restore(&file, &target).await.unwrap();
        assert_eq!(restored.manifest.schema, manifest.schema);
        assert!(restored.previous.is_none());
        let again = Config {
            data_dir: target.clone(),
            ..Config::default()
        };
        assert_eq!(Secrets::load_existing(&again).unwrap().to_hex(), secrets.to_hex());
        let copy = db::connect(&again.database_path()).await.unwrap();
        let apps = copy
            .query_one(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT count(*) AS n FROM applications WHERE id = 'app-1'",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(apps.try_get::<i64>("", "n").unwrap(), 1);
        assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o700);
        let _ = config;
    }

    #[tokio::test]
    async fn restoring_keeps_the_current_data_aside_and_refuses_a_running_ployer() {
        let (dir, config, db, secrets) = seeded().await;
        let file = dir.path().join("b.tar.gz");
        take(&db, &secrets, &file, false).await.unwrap();

        let lock = DataDirLock::take(&config.data_dir).unwrap();
        let refused = restore(&file, &config.data_dir).await.unwrap_err();
        assert!(format!("{refused:#}").contains("stop it first"), "{refused:#}");
        drop(lock);
        db.close().await.unwrap();

        fs::write(config.data_dir.join("marker"), "old").unwrap();
        let restored = restore(&file, &config.data_dir).await.unwrap();
        let previous = restored.previous.expect("the old data dir is kept");
        assert_eq!(fs::read_to_string(previous.join("marker")).unwrap(), "old");
        assert!(!config.data_dir.join("marker").exists());
        assert!(config.data_dir.join(DATABASE).is_file());
    }

    #[tokio::test]
    async fn files_that_are_not_ployer_backups_are_refused_and_nothing_changes() {
        let (dir, config, db, secrets) = seeded().await;
        let good = dir.path().join("good.tar.gz");
        take(&db, &secrets, &good, false).await.unwrap();
        let database = database_of(&good);
        let key = "ab".repeat(32);
        let regular = tar::EntryType::Regular;
        let current = manifest_json(known_migrations().last().unwrap());
        let newer = manifest_json("m29991231_000001_from_the_future");
        // What is wrong, the archive's entries, and what the refusal must say.
        let cases: Vec<(&str, Vec<Entry<'_>>, &str)> = vec![
            (
                "no manifest",
                vec![
                    (DATABASE, regular, &database),
                    (MASTER_KEY_FILE, regular, key.as_bytes()),
                ],
                "starts with ployer.db",
            ),
            (
                "garbled manifest",
                vec![(MANIFEST, regular, b"{ not json")],
                "not a manifest",
            ),
            (
                "other format",
                vec![(
                    MANIFEST,
                    regular,
                    br#"{"format":"other/1","ployer_version":"1","schema":"x","created_at":"2026-01-01T00:00:00Z"}"#,
                )],
                "format",
            ),
            ("newer schema", vec![(MANIFEST, regular, &newer)], "newer Ployer"),
            (
                "traversal",
                vec![(MANIFEST, regular, &current), ("../ployer.db", regular, &database)],
                "\"../ployer.db\"",
            ),
            (
                "absolute path",
                vec![(MANIFEST, regular, &current), ("/etc/ployer.db", regular, &database)],
                "\"/etc/ployer.db\"",
            ),
            (
                "symlink",
                vec![
                    (MANIFEST, regular, &current),
                    (MASTER_KEY_FILE, tar::EntryType::Symlink, b""),
                ],
                "not a regular file",
            ),
            (
                "directory",
                vec![
                    (MANIFEST, regular, &current),
                    ("ployer.db", tar::EntryType::Directory, b""),
                ],
                "not a regular file",
            ),
            (
                "incomplete",
                vec![(MANIFEST, regular, &current), (DATABASE, regular, &database)],
                "has no master.key",
            ),
            (
                "not a key",
                vec![
                    (MANIFEST, regular, &current),
                    (DATABASE, regular, &database),
                    (MASTER_KEY_FILE, regular, b"not hex"),
                    (JWT_SECRET_FILE, regular, key.as_bytes()),
                ],
                "not a key",
            ),
        ];
        db.close().await.unwrap();
        for (what, entries, expected) in cases {
            let file = dir.path().join(format!("{}.tar.gz", what.replace(' ', "-")));
            archive(&file, &entries);
            let err = restore(&file, &config.data_dir).await.expect_err(what);
            let message = format!("{err:#}");
            assert!(message.contains(expected), "{what}: {message}");
        }
        let plain = dir.path().join("plain.txt");
        fs::write(&plain, "hello").unwrap();
        let err = restore(&plain, &config.data_dir).await.unwrap_err();
        assert!(format!("{err:#}").contains("not a Ployer backup"), "{err:#}");

        // Nothing was touched: the data dir is the one that was there, with nothing beside it.
        assert!(config.data_dir.join(DATABASE).is_file());
        let beside: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.ends_with(".tar.gz") && name != "plain.txt")
            .collect();
        assert_eq!(beside, vec!["data".to_string()]);
    }

    #[tokio::test]
    async fn a_database_with_a_migration_this_binary_does_not_know_is_refused() {
        let (dir, _config, db, secrets) = seeded().await;
        db.execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_future', 0)",
        )
        .await
        .unwrap();
        let file = dir.path().join("b.tar.gz");
        // The manifest names the newest migration, the unknown one: refused from the manifest.
        take(&db, &secrets, &file, false).await.unwrap();
        let err = restore(&file, &dir.path().join("restored")).await.unwrap_err();
        assert!(format!("{err:#}").contains("newer Ployer"), "{err:#}");
        assert!(!dir.path().join("restored").exists());

        // A manifest that names a known schema is not taken at its word.
        let lying = dir.path().join("lying.tar.gz");
        let key = "ab".repeat(32);
        let regular = tar::EntryType::Regular;
        archive(
            &lying,
            &[
                (MANIFEST, regular, &manifest_json(known_migrations().last().unwrap())),
                (DATABASE, regular, &database_of(&file)),
                (MASTER_KEY_FILE, regular, key.as_bytes()),
                (JWT_SECRET_FILE, regular, key.as_bytes()),
            ],
        );
        let err = restore(&lying, &dir.path().join("restored")).await.unwrap_err();
        assert!(format!("{err:#}").contains("m29991231_000001_future"), "{err:#}");
        assert!(!dir.path().join("restored").exists());
    }

    #[test]
    fn retention_keeps_the_newest_scheduled_backups_only() {
        let mut names: Vec<String> = [
            "ployer-backup-20261203T000000.000Z.tar.gz",
            "ployer-backup-20261201T000000.000Z.tar.gz",
            "notes.txt",
            "ployer-backup-20261204T000000.000Z.tar.gz",
            "ployer-backup-20261202T000000.000Z.tar.gz",
            "ployer-backup-.tar.gz",
            "ployer-backup-x y.tar.gz",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            beyond_newest(&mut names.clone(), 2),
            vec![
                "ployer-backup-20261201T000000.000Z.tar.gz",
                "ployer-backup-20261202T000000.000Z.tar.gz"
            ]
        );
        assert_eq!(beyond_newest(&mut names.clone(), 10), Vec::<String>::new());
        assert_eq!(beyond_newest(&mut names, 0).len(), 4);
    }

    #[tokio::test]
    async fn scheduled_backups_are_pruned_to_the_newest() {
        let (dir, mut config, db, _secrets) = seeded().await;
        config.backups_kept = 2;
        let backups = dir.path().join("backups");
        let (mut written, mut removed) = (Vec::new(), Vec::new());
        for round in 0..4 {
            if round == 2 {
                fs::write(backups.join("unrelated"), "x").unwrap();
            }
            let (path, gone) = scheduled(&db, &config, &backups).await.unwrap();
            written.push(path);
            removed.extend(gone);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(removed, written[..2].to_vec(), "the oldest go, oldest first");
        let mut left: Vec<PathBuf> = fs::read_dir(&backups).unwrap().flatten().map(|e| e.path()).collect();
        left.sort();
        let mut expected = vec![written[2].clone(), written[3].clone(), backups.join("unrelated")];
        expected.sort();
        assert_eq!(left, expected);
    }
}
