//! Profile keys in the real OS keyring (the Secret Service on Linux), not
//! the key-file fallback the other tests use.
//!
//! Ignored in a plain `cargo test`: it needs a D-Bus session with an
//! unlocked Secret Service. `bash crates/core/tests/keyring.sh` runs it in a
//! private D-Bus session with a throwaway gnome-keyring (and skips, with a
//! message, where dbus-run-session or gnome-keyring-daemon is missing).
#![cfg(feature = "os-keyring")]

mod common;

use common::files_under;

use dauys_core::crypto::{self, Cipher};
use dauys_core::*;
use dauys_proto::AppealType;

const SECRET: &str = "Секретный текст обращения 7c1e";

fn cfg() -> HomeConfig {
    HomeConfig {
        keys: KeyStorePolicy::Auto,
        ..HomeConfig::default()
    }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(320, 240, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
#[ignore = "needs an unlocked Secret Service: run `bash crates/core/tests/keyring.sh`"]
fn profile_key_lives_in_the_os_keyring() {
    let d = tempfile::tempdir().unwrap();
    let home = Home::open(d.path(), cfg()).unwrap();
    let info = home
        .create_profile("keyring", "https://api.example.kz", false, None)
        .unwrap();
    assert_eq!(
        info.key_storage,
        KeyStorage::OsKeyring,
        "the key went to a file: no usable Secret Service in this session \
         (run this test through crates/core/tests/keyring.sh)"
    );
    // No key on disk anywhere in the home.
    let keys = d.path().join("keys");
    assert!(
        !keys.exists() || std::fs::read_dir(&keys).unwrap().next().is_none(),
        "a key file was written"
    );
    let key = crypto::load_key(&keys, &info.id, KeyStorage::OsKeyring).unwrap();
    let hex_key = dauys_proto::hex(&key[..]);
    for f in files_under(d.path()) {
        let b = std::fs::read(&f).unwrap();
        assert!(
            !b.windows(32).any(|w| w == &key[..])
                && !b.windows(64).any(|w| w == hex_key.as_bytes()),
            "{} holds the key",
            f.display()
        );
    }

    // Personal data sealed under that key.
    let p = home.open_profile(&info.id).unwrap();
    let device_key = p.device_key();
    let draft = p
        .save_draft(
            None,
            &DraftContent::Appeal(AppealInput::new(
                AppealType::Complaint,
                "pvl-akimat",
                SECRET,
                SECRET,
            )),
        )
        .unwrap();
    let photo = p.add_draft_photo(&draft, "yard.png", &png()).unwrap();
    let jpeg = p.draft_photo(&draft, &photo.id).unwrap();
    drop(p);
    drop(home);

    // A second Home instance (the next app start, or the CLI) finds the key
    // in the keyring and reads everything back.
    let home2 = Home::open(d.path(), cfg()).unwrap();
    let p2 = home2.open_profile(&info.id).unwrap();
    assert_eq!(p2.device_key(), device_key, "same device key");
    match p2.draft(&draft).unwrap().content {
        DraftContent::Appeal(a) => assert_eq!(a.appeal.subject, SECRET),
        o => panic!("{o:?}"),
    }
    assert_eq!(p2.draft_photo(&draft, &photo.id).unwrap(), jpeg);
    drop(p2);

    // Without the key the database is unreadable: the text is nowhere in
    // clear, and the sealed row opens with the keyring's key only.
    for f in files_under(d.path()) {
        let b = std::fs::read(&f).unwrap();
        assert!(
            !b.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{} holds the draft in clear",
            f.display()
        );
    }
    let db = d.path().join("profiles").join(&info.id).join("profile.db");
    let sealed: Vec<u8> = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT data FROM drafts WHERE id = ?1", [&draft], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(Cipher::new(&[0u8; 32]).open(&sealed).is_err());
    let plain = Cipher::new(&key).open(&sealed).unwrap();
    assert!(String::from_utf8_lossy(&plain).contains(SECRET));

    // Take the key out of the keyring (as a wipe does first): the profile
    // can no longer be opened, and nothing falls back to a file.
    crypto::delete_key(&keys, &info.id, KeyStorage::OsKeyring).unwrap();
    assert!(crypto::load_key(&keys, &info.id, KeyStorage::OsKeyring).is_err());
    match home2.open_profile(&info.id) {
        Err(CoreError::KeyStore(_)) => {}
        other => panic!("opened without its key: {other:?}"),
    }
    // Wiping then removes the rest (a missing keyring entry is no error).
    home2.wipe(&info.id).unwrap();
    assert!(!d.path().join("profiles").join(&info.id).exists());
    assert!(home2.profiles().unwrap().is_empty());

    // A wipe of a profile whose key is still there deletes the key too.
    let info = home2
        .create_profile("again", "https://api.example.kz", true, None)
        .unwrap();
    assert_eq!(info.key_storage, KeyStorage::OsKeyring);
    home2.wipe(&info.id).unwrap();
    assert!(crypto::load_key(&keys, &info.id, KeyStorage::OsKeyring).is_err());
}
