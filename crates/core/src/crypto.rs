//! At-rest protection of a profile's personal data.
//!
//! The workspace has one SQLite binding (rusqlite with `bundled`), which
//! cannot be combined with SQLCipher in the same build, so personal columns
//! (session token, device key, outbox payloads, drafts, own appeals and
//! ballots, photos) are sealed at the application level with
//! XChaCha20-Poly1305 under a random 256-bit per-profile key. Public mirror
//! data (localities, cycles, public proposals and comments) stays plain so
//! it can be searched.
//!
//! The key lives in the OS keyring (Secret Service on Linux; feature
//! `os-keyring`) or, where no keyring service exists, in a key file with
//! mode 0600 next to the profiles — weaker, because anyone who can read the
//! file as that OS user can read the data. [`KeyStorage`] records which one
//! a profile uses, so the UI can say so.

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{CoreError, Result};

#[cfg(feature = "os-keyring")]
const SERVICE: &str = "dauys";

/// Where a profile's key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStorage {
    /// The OS keyring (Secret Service, Keychain, Credential Manager).
    OsKeyring,
    /// A 0600 key file (fallback where no keyring service runs: weaker).
    File,
}

/// Which key store new profiles use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyStorePolicy {
    /// Try the OS keyring, fall back to a key file when it is unavailable.
    #[default]
    Auto,
    /// Always a key file (tests, headless kiosks without a keyring daemon).
    FileOnly,
}

impl KeyStorePolicy {
    /// `DAUYS_KEYSTORE=file` forces key files.
    pub fn from_env() -> KeyStorePolicy {
        match std::env::var("DAUYS_KEYSTORE").as_deref() {
            Ok("file") => KeyStorePolicy::FileOnly,
            _ => KeyStorePolicy::Auto,
        }
    }
}

/// Symmetric sealing with a profile key.
#[derive(Clone)]
pub struct Cipher {
    aead: XChaCha20Poly1305,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(..)")
    }
}

impl Cipher {
    pub fn new(key: &[u8; 32]) -> Cipher {
        Cipher {
            aead: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// `nonce (24 bytes) || ciphertext+tag`.
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let mut out = nonce.to_vec();
        // Encryption with a valid key and nonce cannot fail for in-memory data.
        match self.aead.encrypt(XNonce::from_slice(&nonce), plain) {
            Ok(ct) => out.extend_from_slice(&ct),
            Err(_) => out.clear(),
        }
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < 24 + 16 {
            return Err(CoreError::Crypto);
        }
        let (nonce, ct) = sealed.split_at(24);
        self.aead
            .decrypt(XNonce::from_slice(nonce), ct)
            .map_err(|_| CoreError::Crypto)
    }

    pub fn seal_json<T: Serialize>(&self, v: &T) -> Result<Vec<u8>> {
        Ok(self.seal(&serde_json::to_vec(v)?))
    }

    pub fn open_json<T: serde::de::DeserializeOwned>(&self, sealed: &[u8]) -> Result<T> {
        Ok(serde_json::from_slice(&self.open(sealed)?)?)
    }
}

fn key_file(keys_dir: &Path, profile_id: &str) -> PathBuf {
    keys_dir.join(format!("{profile_id}.key"))
}

fn parse_key(hex: &str) -> Result<Zeroizing<[u8; 32]>> {
    let bytes = dauys_proto::unhex(hex.trim()).ok_or(CoreError::Crypto)?;
    let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| CoreError::Crypto)?;
    Ok(Zeroizing::new(arr))
}

#[cfg(feature = "os-keyring")]
fn keyring_entry(profile_id: &str) -> Result<keyring::Entry> {
    // Secret Service explicitly: the kernel keyutils store is memory-only
    // and a key kept only there would be lost (with the data) on reboot.
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    {
        let cred =
            keyring::secret_service::SsCredential::new_with_target(None, SERVICE, profile_id)
                .map_err(|e| CoreError::KeyStore(e.to_string()))?;
        Ok(keyring::Entry::new_with_credential(Box::new(cred)))
    }
    #[cfg(not(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")))]
    {
        keyring::Entry::new(SERVICE, profile_id).map_err(|e| CoreError::KeyStore(e.to_string()))
    }
}

/// Creates and stores a fresh key for a profile; returns where it went.
pub fn create_key(keys_dir: &Path, profile_id: &str, policy: KeyStorePolicy) -> Result<KeyStorage> {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::thread_rng().fill_bytes(&mut key[..]);
    let hex = Zeroizing::new(dauys_proto::hex(&key[..]));
    #[cfg(feature = "os-keyring")]
    if policy == KeyStorePolicy::Auto {
        let stored = keyring_entry(profile_id).and_then(|e| {
            e.set_password(&hex)
                .map_err(|e| CoreError::KeyStore(e.to_string()))?;
            // Read back: some stores accept writes they cannot keep.
            let back = e
                .get_password()
                .map_err(|e| CoreError::KeyStore(e.to_string()))?;
            if back == *hex {
                Ok(())
            } else {
                Err(CoreError::KeyStore("keyring read-back mismatch".into()))
            }
        });
        match stored {
            Ok(()) => return Ok(KeyStorage::OsKeyring),
            Err(e) => {
                tracing::warn!("OS keyring unavailable ({e}); using a 0600 key file (weaker)")
            }
        }
    }
    #[cfg(not(feature = "os-keyring"))]
    let _ = policy;
    std::fs::create_dir_all(keys_dir)?;
    write_private(&key_file(keys_dir, profile_id), hex.as_bytes())?;
    Ok(KeyStorage::File)
}

/// Loads a profile's key.
pub fn load_key(
    keys_dir: &Path,
    profile_id: &str,
    storage: KeyStorage,
) -> Result<Zeroizing<[u8; 32]>> {
    match storage {
        KeyStorage::File => {
            let hex = Zeroizing::new(
                std::fs::read_to_string(key_file(keys_dir, profile_id)).map_err(|e| {
                    CoreError::KeyStore(format!("key file of profile {profile_id}: {e}"))
                })?,
            );
            parse_key(&hex)
        }
        KeyStorage::OsKeyring => {
            #[cfg(feature = "os-keyring")]
            {
                let hex = Zeroizing::new(
                    keyring_entry(profile_id)?
                        .get_password()
                        .map_err(|e| CoreError::KeyStore(e.to_string()))?,
                );
                parse_key(&hex)
            }
            #[cfg(not(feature = "os-keyring"))]
            Err(CoreError::KeyStore("built without os-keyring".into()))
        }
    }
}

/// Destroys a profile's key (the data sealed with it becomes unreadable).
pub fn delete_key(keys_dir: &Path, profile_id: &str, storage: KeyStorage) -> Result<()> {
    match storage {
        KeyStorage::File => {
            let p = key_file(keys_dir, profile_id);
            if p.exists() {
                // Overwrite before unlinking (best effort on flash storage).
                let _ = std::fs::write(&p, [0u8; 64]);
                std::fs::remove_file(&p)?;
            }
            Ok(())
        }
        KeyStorage::OsKeyring => {
            #[cfg(feature = "os-keyring")]
            {
                match keyring_entry(profile_id)?.delete_credential() {
                    Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                    Err(e) => Err(CoreError::KeyStore(e.to_string())),
                }
            }
            #[cfg(not(feature = "os-keyring"))]
            Ok(())
        }
    }
}

/// Writes a file readable only by its owner (0600 on Unix), atomically and
/// durably: a temporary file is written and fsynced, renamed over `path`,
/// and the directory is fsynced so the rename itself survives power loss.
/// Concurrent writers of the same `path` must be serialized by the caller
/// (they share the temporary file name).
pub fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_roundtrip_and_tamper() {
        let c = Cipher::new(&[7u8; 32]);
        let s = c.seal(b"hello");
        assert_eq!(c.open(&s).unwrap(), b"hello");
        let mut bad = s.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(c.open(&bad).is_err());
        assert!(Cipher::new(&[8u8; 32]).open(&s).is_err());
    }

    #[test]
    fn file_keys() {
        let d = tempfile::tempdir().unwrap();
        let st = create_key(d.path(), "p1", KeyStorePolicy::FileOnly).unwrap();
        assert_eq!(st, KeyStorage::File);
        let k = load_key(d.path(), "p1", st).unwrap();
        assert_eq!(k.len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let m = std::fs::metadata(d.path().join("p1.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(m & 0o777, 0o600);
        }
        delete_key(d.path(), "p1", st).unwrap();
        assert!(load_key(d.path(), "p1", st).is_err());
    }
}
