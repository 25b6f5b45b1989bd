//! The on-disk response cache: one file per request under `<cache dir>/responses/`.
//!
//! A file is named by a 128-bit FNV-1a hash of its key (base URL, method, redacted request,
//! body) and starts with one JSON header line (`{"v":1,"key":…,"stored_at":…,"immutable":…}`)
//! followed by the raw body. The key is checked on read, so a hash collision is a miss, never a
//! wrong answer. Files are written to a temporary name and renamed into place, so a crash
//! never leaves half an entry. A broken or unreadable entry is a miss (logged), never an error.
//! Nothing is evicted: immutable answers stay until the user clears the folder.

use super::CachePolicy;
use crate::fs_atomic::{FileMode, WriteError};
use crate::sources::SourceError;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Format version of entry files.
const ENTRY_VERSION: u32 = 1;

/// Responses kept on disk. Cheap to clone; clones share the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCache {
    dir: PathBuf,
    offline: bool,
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
        fs::create_dir_all(&dir).map_err(|e| SourceError::BadAnswer {
            source_name: "response cache".to_owned(),
            message: format!("cannot create {}: {e}", dir.display()),
        })?;
        Ok(ResponseCache { dir, offline })
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
        let path = self.path_for(key);
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
        if header.v != ENTRY_VERSION || header.key != key {
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
        let header = EntryHeader {
            v: ENTRY_VERSION,
            key: key.to_owned(),
            stored_at: now,
            immutable,
            max_age,
        };
        let path = self.path_for(key);
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

    fn path_for(&self, key: &str) -> PathBuf {
        let hash = format!("{:032x}", fnv1a_128(key.as_bytes()));
        self.dir.join(&hash[..2]).join(format!("{hash}.resp"))
    }
}

/// 128-bit FNV-1a: stable across Rust versions and platforms (unlike `DefaultHasher`).
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |hash, &b| {
        (hash ^ u128::from(b)).wrapping_mul(PRIME)
    })
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
    fn hash_is_stable() {
        assert_eq!(fnv1a_128(b""), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }
}
