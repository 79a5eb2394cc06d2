//! Scheduled backups of Ployer itself: with a short interval the running server writes them
//! and keeps only the newest few, and each one restores.

use std::time::{Duration, Instant};

use ployer_server::backup;
use ployer_tests::spawn_app_with;

fn scheduled_backups(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.to_string_lossy().ends_with(".tar.gz"));
    files.sort();
    files
}

#[tokio::test]
async fn the_server_takes_scheduled_backups_and_keeps_the_newest() {
    let backups = tempfile::tempdir().unwrap();
    let dir = backups.path().join("scheduled");
    let app = spawn_app_with(|config| {
        config.backup_interval_seconds = 1;
        config.backups_kept = 2;
        config.backup_dir = Some(dir.clone());
    })
    .await;
    app.register(ployer_tests::ADMIN_EMAIL, ployer_tests::PASSWORD).await;

    // Four intervals: at least three backups taken, two kept.
    let started = Instant::now();
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "scheduled backups seen so far: {seen:?}"
        );
        let now = scheduled_backups(&dir);
        assert!(now.len() <= 2, "more than backups_kept are kept: {now:?}");
        seen.extend(now);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "mode of the backup dir");

    let newest = scheduled_backups(&dir).pop().expect("a backup");
    let restored = backups.path().join("restored");
    let done = backup::restore(&newest, &restored)
        .await
        .expect("a scheduled backup restores");
    assert_eq!(done.manifest.format, backup::FORMAT);
    assert!(restored.join("ployer.db").is_file() && restored.join("master.key").is_file());
}
