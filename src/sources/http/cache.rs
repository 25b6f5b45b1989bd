//! The on-disk response cache: one file per request under `<cache dir>/responses/`.
//!
//! A request's key (method, full URL, body) may hold secrets (a key in the URL's path or
//! query), so it is never written: a file is named by, and its header holds, the SHA-256 of a
//! per-folder random salt (`salt`, owner-only) followed by the key. A file starts with one
//! JSON header line (`{"v":2,"key":<digest>,"stored_at":…,"immutable":…}`) followed by the
//! raw body. The digest is checked on read, so a name collision is a miss, never a wrong
//! answer. Entries of format 1 (which held the redacted key as text) are misses and removed. Files are written to a temporary name and renamed into place, so a crash
//! never leaves half an entry. A broken or unreadable entry is a miss (logged), never an error.
//! Nothing is evicted: immutable answers stay until the user clears the folder.

use super::CachePolicy;
use crate::fs_atomic::{FileMode, WriteError};
use crate::sources::SourceError;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Format version of entry files.
const ENTRY_VERSION: u32 = 2;

/// Name of the salt file in the cache folder.
const SALT_FILE: &str = "salt";

/// Responses kept on disk. Cheap to clone; clones share the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCache {
    dir: PathBuf,
    offline: bool,
    salt: Salt,
}

/// The folder's random salt (shown as `…`).
#[derive(Clone, PartialEq, Eq)]
struct Salt([u8; 32]);

impl std::fmt::Debug for Salt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Salt(…)")
    }
}

/// The header line of an entry file.
#[derive(Debug, Serialize, Deserialize)]
struct EntryHeader {
    v: u32,
    key: String,
    stored_at: i64,
    immutable: bool,
    #[serde(default)]
    max_age: Option<u64>,
}

/// A cached answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) body: Vec<u8>,
    pub(crate) stored_at: i64,
}

impl ResponseCache {
    /// Opens (creating if needed) the cache in `dir`. With `offline`, clients using it never
    /// touch the network and answer only from what is stored.
    pub fn open(dir: PathBuf, offline: bool) -> Result<Self, SourceError> {
        let fail = |message: String| SourceError::BadAnswer {
            source_name: "response cache".to_owned(),
            message,
        };
        fs::create_dir_all(&dir)
            .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        let salt = load_or_create_salt(&dir).map_err(|e| {
            fail(format!(
                "cannot set up {}: {e}",
                dir.join(SALT_FILE).display()
            ))
        })?;
        Ok(ResponseCache { dir, offline, salt })
    }

    /// `<user cache folder>/responses` (e.g. `~/.cache/caseboard/responses` on Linux), or
    /// `None` where the platform has no home folder.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Caseboard", "caseboard")
            .map(|dirs| dirs.cache_dir().join("responses"))
    }

    /// The folder the entries live in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True if only cached answers may be used.
    pub fn is_offline(&self) -> bool {
        self.offline
    }

    /// The stored answer for `key` if `policy` accepts it at time `now` (unix seconds). In
    /// offline mode any stored answer is accepted, whatever its age.
    pub(crate) fn load(&self, key: &str, policy: CachePolicy, now: i64) -> Option<Entry> {
        if policy == CachePolicy::NoStore && !self.offline {
            return None;
        }
        let digest = self.digest(key);
        let path = self.path_for_digest(&digest);
        let file = match fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!("response cache: cannot read {}: {e}", path.display());
                return None;
            }
        };
        let mut bytes = Vec::new();
        if let Err(e) = std::io::BufReader::new(file).read_to_end(&mut bytes) {
            tracing::warn!("response cache: cannot read {}: {e}", path.display());
            return None;
        }
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let header: EntryHeader = match serde_json::from_slice(&bytes[..newline]) {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!("response cache: broken entry {}: {e}", path.display());
                return None;
            }
        };
        if header.v < ENTRY_VERSION {
            // An old entry held its (redacted) request as text: not trusted to be key-free.
            let _ = fs::remove_file(&path);
            return None;
        }
        if header.v != ENTRY_VERSION || header.key != digest {
            return None;
        }
        let fresh = self.offline
            || header.immutable
            || match policy {
                CachePolicy::MaxAge(max_age) => {
                    let age = now.saturating_sub(header.stored_at);
                    age >= 0 && age.unsigned_abs() <= max_age
                }
                CachePolicy::Immutable | CachePolicy::NoStore => false,
            };
        if !fresh {
            return None;
        }
        let body = bytes.split_off(newline + 1);
        Some(Entry {
            body,
            stored_at: header.stored_at,
        })
    }

    /// Stores `body` for `key` under `policy` (nothing for [`CachePolicy::NoStore`]).
    pub(crate) fn store(
        &self,
        key: &str,
        body: &[u8],
        policy: CachePolicy,
        now: i64,
    ) -> std::io::Result<()> {
        let (immutable, max_age) = match policy {
            CachePolicy::NoStore => return Ok(()),
            CachePolicy::Immutable => (true, None),
            CachePolicy::MaxAge(secs) => (false, Some(secs)),
        };
        let digest = self.digest(key);
        let path = self.path_for_digest(&digest);
        let header = EntryHeader {
            v: ENTRY_VERSION,
            key: digest,
            stored_at: now,
            immutable,
            max_age,
        };
        let folder = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(folder)?;
        crate::fs_atomic::write_atomic_with(&path, FileMode::OwnerOnly, |file| {
            let mut out = std::io::BufWriter::new(file);
            serde_json::to_writer(&mut out, &header)?;
            out.write_all(b"\n")?;
            out.write_all(body)?;
            out.flush()
        })
        .map_err(|e| match e {
            WriteError::Write(e) => e,
            other => std::io::Error::other(other.to_string()),
        })
    }

    /// Hex SHA-256 of salt + key.
    fn digest(&self, key: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.salt.0);
        hasher.update(key.as_bytes());
        hex(&hasher.finalize())
    }

    fn path_for_digest(&self, digest: &str) -> PathBuf {
        let (folder, _) = digest.split_at(2);
        self.dir.join(folder).join(format!("{digest}.resp"))
    }

    #[cfg(test)]
    fn path_for(&self, key: &str) -> PathBuf {
        self.path_for_digest(&self.digest(key))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The folder's salt: read from `salt`, or made and written (owner-only) when missing or
/// broken. Two processes racing to make it agree on whichever was written first.
fn load_or_create_salt(dir: &Path) -> std::io::Result<Salt> {
    let path = dir.join(SALT_FILE);
    if let Some(salt) = read_salt(&path) {
        return Ok(salt);
    }
    let salt = Salt(random_bytes());
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.as_file()
            .set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(hex(&salt.0).as_bytes())?;
    file.as_file().sync_all()?;
    let exists = path.exists();
    match if exists {
        file.persist(&path).map(|_| ())
    } else {
        file.persist_noclobber(&path).map(|_| ())
    } {
        Ok(()) => Ok(salt),
        Err(e) => read_salt(&path).ok_or(e.error),
    }
}

fn read_salt(path: &Path) -> Option<Salt> {
    let mut text = String::new();
    fs::File::open(path)
        .ok()?
        .take(128)
        .read_to_string(&mut text)
        .ok()?;
    let text = text.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut salt = [0u8; 32];
    for (i, byte) in salt.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(Salt(salt))
}

/// 32 random bytes from the standard library's randomly keyed hasher (seeded by the OS).
fn random_bytes() -> [u8; 32] {
    use std::hash::{BuildHasher as _, Hasher as _};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut out = [0u8; 32];
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_usize(i);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_serves_by_policy() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = ResponseCache::open(dir.path().join("responses"), false).expect("open");
        cache
            .store("k1", b"{\"a\":1}", CachePolicy::MaxAge(60), 1_000)
            .expect("store");
        assert_eq!(
            cache.load("k1", CachePolicy::MaxAge(60), 1_060),
            Some(Entry {
                body: b"{\"a\":1}".to_vec(),
                stored_at: 1_000
            })
        );
        assert_eq!(cache.load("k1", CachePolicy::MaxAge(60), 1_061), None);
        assert_eq!(cache.load("k1", CachePolicy::NoStore, 1_000), None);
        assert_eq!(cache.load("k2", CachePolicy::MaxAge(60), 1_000), None);

        cache
            .store("k2", b"tx", CachePolicy::Immutable, 5)
            .expect("store");
        assert!(
            cache
                .load("k2", CachePolicy::MaxAge(1), 1_000_000)
                .is_some()
        );
        cache
            .store("k3", b"x", CachePolicy::NoStore, 5)
            .expect("noop");
        assert_eq!(cache.load("k3", CachePolicy::Immutable, 5), None);

        let offline = ResponseCache::open(cache.dir().to_path_buf(), true).expect("open");
        assert!(
            offline
                .load("k1", CachePolicy::MaxAge(1), 9_999_999)
                .is_some()
        );
        assert!(
            offline
                .load("k1", CachePolicy::NoStore, 9_999_999)
                .is_some()
        );
    }

    #[test]
    fn broken_entries_are_misses() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = ResponseCache::open(dir.path().to_path_buf(), false).expect("open");
        cache
            .store("k", b"body", CachePolicy::Immutable, 1)
            .expect("store");
        let path = cache.path_for("k");
        fs::write(&path, b"garbage without header").expect("write");
        assert_eq!(cache.load("k", CachePolicy::Immutable, 1), None);
    }

    #[test]
    fn no_key_text_is_written_and_the_salt_persists() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = "POST https://h.example/v3/abcdefgh?dkey=Zq\n{}";
        let cache = ResponseCache::open(dir.path().to_path_buf(), false).expect("open");
        cache
            .store(key, b"{}", CachePolicy::Immutable, 1)
            .expect("store");
        let written = fs::read_to_string(cache.path_for(key)).expect("entry");
        assert!(
            !written.contains("abcdefgh") && !written.contains("dkey"),
            "{written}"
        );
        // Reopened, the same salt finds the entry; another folder's salt differs.
        let again = ResponseCache::open(dir.path().to_path_buf(), true).expect("open");
        assert!(again.load(key, CachePolicy::Immutable, 2).is_some());
        let other = tempfile::tempdir().expect("tempdir");
        let other = ResponseCache::open(other.path().to_path_buf(), false).expect("open");
        assert_ne!(other.digest(key), cache.digest(key));
        assert!(!format!("{cache:?}").contains(&hex(&cache.salt.0)));
    }

    #[test]
    fn old_entries_holding_text_keys_are_misses_and_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = ResponseCache::open(dir.path().to_path_buf(), false).expect("open");
        cache
            .store("k", b"body", CachePolicy::Immutable, 1)
            .expect("store");
        let path = cache.path_for("k");
        fs::write(
            &path,
            b"{\"v\":1,\"key\":\"GET /v3/abcdefgh\",\"stored_at\":1,\"immutable\":true}\nbody",
        )
        .expect("write");
        assert_eq!(cache.load("k", CachePolicy::Immutable, 1), None);
        assert!(!path.exists());
    }
}
