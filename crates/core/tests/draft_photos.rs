//! Photos of drafts: prepared at once, kept sealed in the profile's own
//! directory (never in clear on disk), uploaded unchanged when the draft is
//! submitted, deleted with the draft, the profile, or a kiosk sign-out.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::*;
use dauys_core::*;
use dauys_proto::AppealType;

const NAME: &str = "Аула двор/яма-IMG_0042.png";

fn png(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let b = if ((x / 37) + (y / 29) + seed) & 1 == 0 {
            40
        } else {
            200
        };
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, b])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn appeal_draft(addressee: &str) -> DraftContent {
    DraftContent::Appeal(AppealInput::new(
        AppealType::Complaint,
        addressee,
        "Жол бұзылған",
        "Аулада үлкен шұңқыр бар.",
    ))
}

/// The sealed (`.bin`) files below the home's profiles, with their bytes.
fn sealed_files(home_dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(&home_dir.join("profiles"))
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "bin"))
        .map(|f| {
            let b = std::fs::read(&f).unwrap();
            (f, b)
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether `hay` contains any 64-byte piece of `plain` (pieces at every
/// 64-byte boundary, so any copy of 127 or more consecutive bytes is found).
fn contains_piece(hay: &[u8], plain: &[u8]) -> bool {
    let pieces: std::collections::HashSet<&[u8]> = plain.chunks_exact(64).collect();
    hay.windows(64).any(|w| pieces.contains(w))
}

/// No file under `dir` holds any of the photos (or their names) in clear:
/// no file starts with the JPEG magic, none contains a JFIF/PNG header or
/// any 64-byte piece of the photos.
fn assert_no_plain_photos(dir: &Path, jpegs: &[Vec<u8>], names: &[&str]) {
    let files = files_under(dir);
    assert!(!files.is_empty());
    for f in files {
        let b = std::fs::read(&f).unwrap();
        let at = f.display();
        assert!(!b.starts_with(&[0xFF, 0xD8]), "{at} is a JPEG");
        assert!(!contains(&b, b"JFIF"), "{at} holds a JPEG header");
        assert!(!contains(&b, b"\x89PNG"), "{at} holds a PNG");
        for j in jpegs {
            assert!(!contains_piece(&b, j), "{at} holds (part of) a photo");
        }
        for n in names {
            assert!(!contains(&b, n.as_bytes()), "{at} holds the name {n}");
        }
    }
}

fn offline_home(dir: &Path, kiosk: bool) -> (Home, Profile) {
    let home = Home::open(
        dir,
        HomeConfig {
            keys: KeyStorePolicy::FileOnly,
            ..HomeConfig::default()
        },
    )
    .unwrap();
    let info = home
        .create_profile("resident", "https://api.example.kz", kiosk, None)
        .unwrap();
    let p = home.open_profile(&info.id).unwrap();
    (home, p)
}

fn media_files(p: &Path) -> usize {
    std::fs::read_dir(p.join("media")).unwrap().count()
}

#[test]
fn draft_photos_are_sealed_listed_and_deleted() {
    let d = tempfile::tempdir().unwrap();
    let (_home, p) = offline_home(d.path(), false);
    let pdir = d.path().join("profiles").join(p.id());
    let draft = p.save_draft(None, &appeal_draft("pvl-akimat")).unwrap();
    let (a, b) = (png(2400, 1800, 1), png(900, 1200, 2));
    let pa = p.add_draft_photo(&draft, NAME, &a).unwrap();
    let pb = p.add_draft_photo(&draft, "second.png", &b).unwrap();
    // Prepared as for queued photos: downscaled JPEG without EXIF.
    let ja = p.draft_photo(&draft, &pa.id).unwrap();
    let jb = p.draft_photo(&draft, &pb.id).unwrap();
    assert_eq!(ja, media::prepare_photo_bytes(&a).unwrap());
    assert_eq!(&ja[..3], &[0xFF, 0xD8, 0xFF]);
    let img = image::load_from_memory(&ja).unwrap();
    assert_eq!((img.width(), img.height()), (1600, 1200));
    assert_eq!(pa.bytes, ja.len() as u64);
    assert_eq!(pa.name, "яма-IMG_0042.png", "no directories in the name");
    // Listed with the draft, in the order added.
    let got = p.draft(&draft).unwrap();
    assert_eq!(got.photos, vec![pa.clone(), pb.clone()]);
    assert_eq!(p.draft_photos(&draft).unwrap(), got.photos);
    assert_eq!(p.drafts().unwrap()[0].photos.len(), 2);
    // Saving the draft's text (autosave) keeps its photos.
    p.save_draft(Some(&draft), &appeal_draft("pvl-housing"))
        .unwrap();
    assert_eq!(p.draft(&draft).unwrap().photos.len(), 2);
    // On disk: only sealed bytes, inside the profile's own directory.
    assert_eq!(media_files(&pdir), 2);
    assert_no_plain_photos(
        d.path(),
        &[ja.clone(), jb.clone()],
        &["IMG_0042", "second.png"],
    );
    // Another profile's key cannot open them.
    let other = crypto::Cipher::new(&[9u8; 32]);
    let sealed = std::fs::read(pdir.join("media").join(format!("{}.bin", pa.id))).unwrap();
    assert!(other.open(&sealed).is_err());

    // Remove one: its file goes.
    p.remove_draft_photo(&draft, &pa.id).unwrap();
    p.remove_draft_photo(&draft, &pa.id).unwrap(); // again: no error
    assert!(matches!(
        p.draft_photo(&draft, &pa.id),
        Err(CoreError::NotFound(_))
    ));
    assert_eq!(p.draft(&draft).unwrap().photos, vec![pb.clone()]);
    assert_eq!(media_files(&pdir), 1);
    // A photo id of another draft is not this draft's.
    let draft2 = p.save_draft(None, &appeal_draft("pvl-akimat")).unwrap();
    assert!(p.draft_photo(&draft2, &pb.id).is_err());
    p.remove_draft_photo(&draft2, &pb.id).unwrap();
    assert_eq!(p.draft(&draft).unwrap().photos.len(), 1);
    // Discarding the draft deletes its photos.
    p.delete_draft(&draft).unwrap();
    assert_eq!(media_files(&pdir), 0);
    assert!(p.draft_photos(&draft).unwrap().is_empty());

    // Refusals leave nothing behind.
    assert!(matches!(
        p.add_draft_photo("no-such-draft", "x.png", &b),
        Err(CoreError::NotFound(_))
    ));
    let comment = p
        .save_draft(
            None,
            &DraftContent::Comment(CommentInput {
                proposal_id: "p1".into(),
                body: "…".into(),
            }),
        )
        .unwrap();
    assert!(matches!(
        p.add_draft_photo(&comment, "x.png", &b),
        Err(CoreError::Invalid(_))
    ));
    assert!(matches!(
        p.add_draft_photo(&draft2, "x.png", b"not an image"),
        Err(CoreError::Image(_))
    ));
    let small = png(64, 48, 3);
    for i in 0..dauys_proto::limits::MAX_MEDIA_PER_ITEM {
        p.add_draft_photo(&draft2, &format!("{i}.png"), &small)
            .unwrap();
    }
    assert!(matches!(
        p.add_draft_photo(&draft2, "one-too-many.png", &small),
        Err(CoreError::Invalid(_))
    ));
    assert_eq!(media_files(&pdir), dauys_proto::limits::MAX_MEDIA_PER_ITEM);
    assert_eq!(p.integrity_check().unwrap(), "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wipe_and_kiosk_sign_out_delete_draft_photos() {
    let d = tempfile::tempdir().unwrap();
    // An ordinary profile, wiped.
    let (home, p) = offline_home(d.path(), false);
    let draft = p.save_draft(None, &appeal_draft("pvl-akimat")).unwrap();
    p.add_draft_photo(&draft, "a.png", &png(300, 200, 1))
        .unwrap();
    let id = p.id().to_string();
    drop(p);
    home.wipe(&id).unwrap();
    assert!(!d.path().join("profiles").join(&id).exists());
    // A kiosk profile with nothing queued: sign-out wipes it, photos too.
    let info = home
        .create_profile("kiosk", "https://api.example.kz", true, None)
        .unwrap();
    let p = home.open_profile(&info.id).unwrap();
    let draft = p.save_draft(None, &appeal_draft("pvl-akimat")).unwrap();
    p.add_draft_photo(&draft, "b.png", &png(300, 200, 2))
        .unwrap();
    let pdir = d.path().join("profiles").join(&info.id);
    assert_eq!(media_files(&pdir), 1);
    drop(p);
    assert_eq!(
        home.sign_out(&info.id).await.unwrap(),
        SignOutOutcome::Wiped
    );
    assert!(!pdir.exists());
    assert!(home.profiles().unwrap().is_empty());
    let left: Vec<_> = files_under(d.path())
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitting_a_draft_uploads_its_sealed_photos_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = TestServer::start(&dir.path().join("server.db")).await;
    let home_dir = dir.path().join("home");
    let (_home, p) = client(&home_dir, &srv, 2, false).await;
    p.sync(&SyncOptions::default()).await.unwrap();
    let draft = p.save_draft(None, &appeal_draft("pvl-akimat")).unwrap();
    let photos = [
        p.add_draft_photo(&draft, "one.png", &png(2000, 1500, 1))
            .unwrap(),
        p.add_draft_photo(&draft, "two.png", &png(800, 600, 2))
            .unwrap(),
    ];
    let jpegs: Vec<Vec<u8>> = photos
        .iter()
        .map(|ph| p.draft_photo(&draft, &ph.id).unwrap())
        .collect();
    let before: Vec<(PathBuf, Vec<u8>)> = sealed_files(&home_dir);
    assert_eq!(before.len(), 2);

    // Offline: queued with its photos, the draft gone.
    srv.stop();
    let op = p.submit_draft(&draft).unwrap();
    assert!(p.draft(&draft).is_err());
    assert!(p.draft_photos(&draft).unwrap().is_empty());
    let entry = p
        .outbox()
        .unwrap()
        .into_iter()
        .find(|e| e.id == op)
        .unwrap();
    assert_eq!(entry.media_pending, 2);
    let ids: Vec<String> = photos.iter().map(|ph| ph.id.clone()).collect();
    assert_eq!(p.appeal(&op.to_string()).unwrap().appeal.media, ids);
    // The sealed files were handed over as they were: nothing new written,
    // nothing written in clear.
    let after: Vec<(PathBuf, Vec<u8>)> = sealed_files(&home_dir);
    let mut b_sorted = before.clone();
    b_sorted.sort();
    let mut a_sorted = after;
    a_sorted.sort();
    assert_eq!(a_sorted, b_sorted);
    assert_no_plain_photos(&home_dir, &jpegs, &["one.png", "two.png"]);

    // Online: uploaded byte for byte under the same ids.
    srv.restart().await;
    let r = p.sync(&SyncOptions::default()).await.unwrap();
    assert!(r.delivered(), "{r:?}");
    assert_eq!((r.accepted, r.media_uploaded), (1, 2), "{r:?}");
    let entity = match p
        .outbox()
        .unwrap()
        .into_iter()
        .find(|e| e.id == op)
        .unwrap()
        .state
    {
        OpState::Accepted { entity_id, .. } => entity_id,
        s => panic!("{s:?}"),
    };
    let media: String = srv
        .sql()
        .query_row("SELECT media FROM appeals WHERE id = ?1", [&entity], |r| {
            r.get(0)
        })
        .unwrap();
    let media: Vec<String> = serde_json::from_str(&media).unwrap();
    assert_eq!(media, ids);
    // A private appeal's photos: served to their author (another session
    // of the same resident here), to nobody anonymous.
    let http = reqwest::Client::new();
    let token = raw_login(&srv, 2).await;
    for (id, jpeg) in ids.iter().zip(&jpegs) {
        let anonymous = http
            .get(format!("{}/v1/uploads/{id}", srv.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 404);
        let got = http
            .get(format!("{}/v1/uploads/{id}", srv.url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(&got[..], &jpeg[..], "upload {id} differs");
    }
}
