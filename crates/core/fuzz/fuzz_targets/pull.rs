//! The client's handling of pull responses: whatever a server (or a
//! man in the middle of a broken proxy) answers, applying it to a real
//! profile's local mirror returns an error or applies it — never a panic —
//! and the profile stays usable (its lists still load).
#![no_main]

use std::sync::OnceLock;

use dauys_core::{Home, HomeConfig, KeyStorePolicy, Profile};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    profile: Profile,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tmp");
        let home = Home::open(
            dir.path(),
            HomeConfig {
                keys: KeyStorePolicy::FileOnly,
                ..HomeConfig::default()
            },
        )
        .expect("home");
        let info = home
            .create_profile("fuzz", "https://dauys.example", false, None)
            .expect("profile");
        let profile = home.open_profile(&info.id).expect("open");
        Fixture { _dir: dir, profile }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let _ = f.profile.apply_pull_body(data);
    // The mirror stays readable and the database sound.
    f.profile.appeals().expect("appeals still load");
    f.profile.comments("p1").expect("comments still load");
    assert_eq!(f.profile.integrity_check().expect("check"), "ok");
});
