//! The home's profile registry (`profiles.json`) under concurrent change:
//! several `Home` instances in threads and in separate processes (as the
//! app and the `dauys` CLI would be) add and update profiles at once, and
//! no change is lost.

use std::path::Path;

use dauys_core::{Home, HomeConfig, KeyStorePolicy};

const CHILD_ENV: &str = "DAUYS_TEST_REGISTRY_CHILD";

fn home(dir: &Path) -> Home {
    Home::open(
        dir,
        HomeConfig {
            keys: KeyStorePolicy::FileOnly,
            ..HomeConfig::default()
        },
    )
    .unwrap()
}

/// Adds `n` profiles labelled `<tag>-<i>`, touching and switching to each
/// (three read-modify-writes per profile).
fn add_profiles(dir: &Path, tag: &str, n: usize) {
    let h = home(dir);
    for i in 0..n {
        let info = h
            .create_profile(&format!("{tag}-{i}"), "https://api.example.kz", false, None)
            .unwrap();
        h.touch(&info.id).unwrap();
        h.switch(&info.id).unwrap();
    }
}

fn check(dir: &Path, tags: &[String], n: usize) {
    let list = home(dir).profiles().unwrap();
    let mut labels: Vec<String> = list.iter().map(|p| p.label.clone()).collect();
    labels.sort();
    let mut want: Vec<String> = tags
        .iter()
        .flat_map(|t| (0..n).map(move |i| format!("{t}-{i}")))
        .collect();
    want.sort();
    assert_eq!(labels, want, "profiles lost or duplicated");
    // Every profile's key file exists and is its own.
    for p in &list {
        assert!(dir.join("keys").join(format!("{}.key", p.id)).exists());
    }
    assert!(!dir.join("profiles.tmp").exists(), "temp file left behind");
}

#[test]
fn threads_adding_profiles_lose_none() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_path_buf();
    let tags: Vec<String> = (0..8).map(|t| format!("thread{t}")).collect();
    std::thread::scope(|s| {
        for t in &tags {
            let dir = &dir;
            s.spawn(move || add_profiles(dir, t, 10));
        }
    });
    check(&dir, &tags, 10);
}

/// Runs in a child process started by `processes_adding_profiles_lose_none`
/// (a no-op in an ordinary test run).
#[test]
fn registry_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut it = spec.splitn(3, '|');
    let (dir, tag, n) = (
        it.next().unwrap(),
        it.next().unwrap(),
        it.next().unwrap().parse().unwrap(),
    );
    add_profiles(Path::new(dir), tag, n);
}

#[test]
fn processes_adding_profiles_lose_none() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_path_buf();
    // The salt is set once, before the children race.
    home(&dir);
    let exe = std::env::current_exe().unwrap();
    let tags: Vec<String> = (0..4).map(|t| format!("proc{t}")).collect();
    let children: Vec<_> = tags
        .iter()
        .map(|t| {
            std::process::Command::new(&exe)
                .args(["registry_child", "--exact", "--test-threads=1"])
                .env(CHILD_ENV, format!("{}|{t}|15", dir.display()))
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    // This process joins in too.
    add_profiles(&dir, "parent", 15);
    for mut c in children {
        assert!(c.wait().unwrap().success(), "child process failed");
    }
    let mut all = tags.clone();
    all.push("parent".into());
    check(&dir, &all, 15);
}
