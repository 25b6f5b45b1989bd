//! The one way Caseboard replaces a file on disk: case files, recovery files, exports (SVG,
//! PNG, CSV, TagPack YAML), canvas pictures, settings and the response cache all go through
//! [`write_atomic_with`] (or [`write_atomic`] for bytes in memory).
//!
//! Guarantees: the new content goes into a temporary sibling in the target's own folder
//! (`.NAME.XXXXXX.tmp`), is flushed to disk (fsync), then renamed over the target, and the
//! folder is synced (best effort), so a reader sees the old file or the new one, never a mix,
//! and a failure at any step leaves the old file as it was (the temporary file is removed).
//! What is at the path must be a regular file, nothing, or a symlink to one of those: a
//! folder, FIFO, socket or device node is refused ([`WriteError::NotAFile`]) before anything
//! is written; a symlink is written through (its final target is replaced, the link stays a
//! link). Permissions: [`FileMode::OwnerOnly`] files are always `0600` (settings, recovery,
//! cache); a [`FileMode::Normal`] file keeps the permissions of the file it replaces, and a new
//! one gets the user's umask like an editor's file (`0666` less the umask: `0644` under umask
//! `022`, `0640` under `027`), as it is meant to be shared. Temporary files of a write that was killed midway are
//! removed by a later write to the same target once they are ten minutes old.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Who may read the written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    /// Case files and exports: a replaced file keeps its permissions, a new one follows the
    /// umask (`0666` less the umask).
    Normal,
    /// Settings, recovery files, cached answers: always `0600` (owner read/write only).
    OwnerOnly,
}

/// Why a file was not written; the old file (if any) is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError<E> {
    /// The path names a folder or special file (or nothing that can be a file): refused.
    #[error("{path}: {reason}")]
    NotAFile { path: String, reason: String },
    /// The operating system refused (missing folder, permission, disk full…).
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    /// The caller's writer failed.
    #[error("{0}")]
    Write(E),
}

impl<E> WriteError<E> {
    /// True for a refused path (a special file, folder or nameless path), as opposed to an
    /// operating-system failure.
    pub fn is_refused_path(&self) -> bool {
        matches!(self, WriteError::NotAFile { .. })
    }
}

/// Most symlinks followed to find the file a path names (as the kernel's own limit).
const MAX_LINK_HOPS: usize = 40;

/// Age after which a leftover temporary file of the same target is removed.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(600);

/// Replaces `path` with `bytes` (see the module doc for the guarantees).
pub fn write_atomic(path: &Path, mode: FileMode, bytes: &[u8]) -> Result<(), WriteError<String>> {
    write_atomic_with(path, mode, |file| {
        file.write_all(bytes).map_err(|e| e.to_string())
    })
    .map_err(|e| match e {
        WriteError::Write(reason) => WriteError::Io {
            path: path.display().to_string(),
            reason: format!("cannot write the file: {reason}"),
        },
        other => other,
    })
}

/// Refuses a path whose file (after following symlinks) exists and is not a regular file.
/// Writers call this through [`write_atomic_with`]; commands may call it first to refuse
/// an output before doing any work.
pub fn check_writable_target<E>(path: &Path) -> Result<PathBuf, WriteError<E>> {
    let target = resolve_links(path);
    let shown = || path.display().to_string();
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(WriteError::NotAFile {
            path: shown(),
            reason: "there is a folder at this path, not a file".to_owned(),
        }),
        Ok(meta) if !meta.is_file() => Err(WriteError::NotAFile {
            path: shown(),
            reason: "this is a special file (FIFO, socket or device), not a regular file; \
                     refusing to replace it"
                .to_owned(),
        }),
        _ if target.file_name().is_none() => Err(WriteError::NotAFile {
            path: shown(),
            reason: "the path names no file".to_owned(),
        }),
        _ => Ok(target),
    }
}

/// Replaces `path` with what `write` puts into the temporary sibling (see the module doc).
/// `write` gets the file at its start; buffering is up to it, flushing and syncing are done
/// here.
pub fn write_atomic_with<E>(
    path: &Path,
    mode: FileMode,
    write: impl FnOnce(&mut fs::File) -> Result<(), E>,
) -> Result<(), WriteError<E>> {
    let target = check_writable_target(path)?;
    let existing = fs::metadata(&target).ok();
    let io = |what: &str, e: std::io::Error| WriteError::Io {
        path: path.display().to_string(),
        reason: format!("{what}: {e}"),
    };
    let Some(name) = target.file_name() else {
        return Err(io(
            "cannot write",
            std::io::Error::other("the path names no file"),
        ));
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    remove_stale_temps(&dir, &prefix);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new shared file is created `0666`, which the kernel narrows by the umask.
    #[cfg(unix)]
    if mode == FileMode::Normal && existing.is_none() {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(&dir)
        .map_err(|e| io(&format!("cannot create a file in {}", dir.display()), e))?;
    set_mode(temp.as_file(), mode, existing.as_ref())
        .map_err(|e| io("cannot set the file's permissions", e))?;
    write(temp.as_file_mut()).map_err(WriteError::Write)?;
    temp.as_file_mut()
        .flush()
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io("cannot flush the file to disk", e))?;
    temp.persist(&target)
        .map_err(|e| io("cannot replace the file", e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// The file `path` finally names: symlinks followed (also a dangling one, so writing creates
/// its target), at most [`MAX_LINK_HOPS`] of them.
fn resolve_links(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => match fs::read_link(&current) {
                Ok(next) if next.is_absolute() => current = next,
                Ok(next) => {
                    let base = current.parent().map(Path::to_path_buf).unwrap_or_default();
                    current = base.join(next);
                }
                Err(_) => return current,
            },
            _ => return current,
        }
    }
    current
}

#[cfg(unix)]
fn set_mode(
    file: &fs::File,
    mode: FileMode,
    existing: Option<&fs::Metadata>,
) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let permissions = match (mode, existing) {
        (FileMode::OwnerOnly, _) => fs::Permissions::from_mode(0o600),
        (FileMode::Normal, Some(meta)) => meta.permissions(),
        // Created with the umask's permissions already.
        (FileMode::Normal, None) => return Ok(()),
    };
    file.set_permissions(permissions)
}

#[cfg(not(unix))]
fn set_mode(
    file: &fs::File,
    mode: FileMode,
    existing: Option<&fs::Metadata>,
) -> std::io::Result<()> {
    match (mode, existing) {
        (FileMode::Normal, Some(meta)) => file.set_permissions(meta.permissions()),
        _ => Ok(()),
    }
}

/// Removes `prefix…tmp` files in `dir` older than [`STALE_TEMP`] (best effort; a fresh one may
/// belong to a write in another process).
fn remove_stale_temps(dir: &Path, prefix: &std::ffi::OsStr) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = prefix.to_string_lossy();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_ours = name.starts_with(prefix.as_ref()) && name.ends_with(".tmp");
        if !is_ours {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Makes the rename durable (Unix); errors are ignored, the data itself is already synced.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    /// This process's umask (Linux: from `/proc/self/status`).
    fn umask() -> u32 {
        let status = fs::read_to_string("/proc/self/status").expect("proc status");
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .expect("a Umask line");
        u32::from_str_radix(line.trim(), 8).expect("octal umask")
    }

    /// Under the umask of the test process, and once more in a child test process started
    /// with umask `027`: a new case file is `0666` less the umask, a recovery file `0600`.
    #[test]
    fn a_saved_case_gets_the_umask_permissions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let case = crate::model::Case::new("shared", 0);
        let path = dir.path().join("case.ron");
        crate::case_file::save(&case, &path).expect("saved");
        assert_eq!(mode_of(&path), 0o666 & !umask(), "umask {:03o}", umask());
        let private = dir.path().join(".case.ron.recovery");
        crate::case_file::save_private(&case, &private).expect("saved");
        assert_eq!(mode_of(&private), 0o600);
        if let Some(marker) = std::env::var_os("CASEBOARD_UMASK_CHILD") {
            assert_eq!(umask(), 0o027);
            assert_eq!(mode_of(&path), 0o640);
            fs::write(marker, "ran").expect("marker");
            return;
        }
        let marker = dir.path().join("child-ran");
        let exe = std::env::current_exe().expect("test binary");
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 027 && exec \"$0\" --exact fs_atomic::tests::a_saved_case_gets_the_umask_permissions --quiet")
            .arg(exe)
            .env("CASEBOARD_UMASK_CHILD", &marker)
            .status()
            .expect("child test runs");
        assert!(status.success(), "under umask 027");
        assert!(marker.exists(), "the child test ran");
    }

    #[test]
    fn writes_new_files_with_the_mode_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        let shared = dir.path().join("a.svg");
        let private = dir.path().join("settings.ron");
        write_atomic(&shared, FileMode::Normal, b"one").expect("written");
        write_atomic(&private, FileMode::OwnerOnly, b"two").expect("written");
        assert_eq!(fs::read(&shared).expect("read"), b"one");
        assert_eq!(mode_of(&shared), 0o666 & !umask());
        assert_eq!(mode_of(&private), 0o600);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn keeps_permissions_of_a_replaced_file_unless_owner_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("case.ron");
        fs::write(&path, "old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, FileMode::Normal, b"new").expect("written");
        assert_eq!(mode_of(&path), 0o640);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).expect("chmod");
        write_atomic(&path, FileMode::OwnerOnly, b"newer").expect("written");
        assert_eq!(mode_of(&path), 0o600);
        assert_eq!(fs::read(&path).expect("read"), b"newer");
    }

    #[test]
    fn writes_through_symlinks_and_keeps_the_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.csv");
        fs::write(&real, "old").expect("write");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).expect("symlink");
        write_atomic(&link, FileMode::Normal, b"new").expect("written");
        assert!(
            fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).expect("read"), b"new");
        // A dangling link: its target is created.
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink("made.csv", &dangling).expect("symlink");
        write_atomic(&dangling, FileMode::Normal, b"made").expect("written");
        assert!(
            fs::symlink_metadata(&dangling)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read(dir.path().join("made.csv")).expect("read"),
            b"made"
        );
    }

    #[test]
    fn refuses_folders_fifos_devices_and_links_to_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        let link_to_dev = dir.path().join("null-link");
        std::os::unix::fs::symlink("/dev/null", &link_to_dev).expect("symlink");
        for path in [
            dir.path().to_path_buf(),
            fifo.clone(),
            PathBuf::from("/dev/null"),
            link_to_dev.clone(),
        ] {
            let err = write_atomic(&path, FileMode::Normal, b"x").expect_err("refused");
            assert!(err.is_refused_path(), "{path:?}: {err}");
        }
        use std::os::unix::fs::FileTypeExt as _;
        assert!(
            fs::symlink_metadata(&fifo)
                .expect("meta")
                .file_type()
                .is_fifo()
        );
        assert!(
            fs::symlink_metadata(&link_to_dev)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_failing_writer_leaves_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("case.ron");
        fs::write(&path, "old").expect("write");
        let result = write_atomic_with(&path, FileMode::Normal, |file| {
            file.write_all(b"half").map_err(|e| e.to_string())?;
            Err("stopped".to_owned())
        });
        assert_eq!(result, Err(WriteError::Write("stopped".to_owned())));
        assert_eq!(fs::read(&path).expect("read"), b"old");
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
