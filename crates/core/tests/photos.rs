//! Photos fetched when asked for: the bytes the server holds, kept sealed
//! on the device (a second look works offline and leaves no plain JPEG),
//! and only for ids that are photo ids.

mod common;

use common::*;
use dauys_core::*;
use dauys_proto::AppealType;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_is_fetched_once_and_kept_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let mut srv = TestServer::start(&dir.path().join("server.db")).await;
    let (_home, me) = client(&dir.path().join("me"), &srv, 0, false).await;
    let file = dir.path().join("yard.png");
    make_photo(&file, 640, 480, 3);
    let appeal = AppealInput::new(
        AppealType::Complaint,
        "pvl-akimat",
        "Аула",
        "Аулада шұңқыр бар.",
    )
    .with_photos(vec![file]);
    let id = me.submit_appeal(&appeal).unwrap().to_string();
    me.sync(&SyncOptions::default()).await.unwrap();
    let media = me.appeal(&id).unwrap().appeal.media;
    assert_eq!(media.len(), 1);

    let fetched = me.photo(&media[0]).await.unwrap();
    let stored: i64 = srv
        .sql()
        .query_row(
            "SELECT length FROM uploads WHERE id = ?1",
            [&media[0]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fetched.len() as i64, stored, "the bytes the server holds");
    assert!(fetched.starts_with(&[0xff, 0xd8, 0xff]), "a JPEG");
    // Kept on the device, sealed: no file holds the JPEG in clear.
    let home_files = files_under(&dir.path().join("me"));
    let head = &fetched[..64];
    assert!(home_files.iter().all(|f| {
        let b = std::fs::read(f).unwrap_or_default();
        !b.windows(head.len()).any(|w| w == head)
    }));
    // A second look costs nothing: it works with the server gone.
    srv.stop();
    assert_eq!(me.photo(&media[0]).await.unwrap(), fetched);
    // Only photo ids: never a path.
    assert!(matches!(
        me.photo("../../profile.db").await,
        Err(CoreError::Invalid(_))
    ));
}
