//! The `dauys-tally` binary.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_dauys-tally");

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("dauys-tally-cli-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("tmp dir");
    d.join(name)
}

const FILE: &str = "META\nkey;value\nbudget;100\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;votes;selected\n10;60;2;1\n2;50;1;0\n3;40;1;1\nVOTES\nvoter_id;vote\nv1;10,2\nv2;10,3\n";

#[test]
fn count_json_export_roundtrip_verify() {
    let f = tmp("e.pb");
    std::fs::write(&f, FILE).expect("write");
    let out = Command::new(BIN)
        .arg(&f)
        .arg("--json")
        .output()
        .expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["rule"], "greedy");
    assert_eq!(v["selected"], serde_json::json!(["3", "10"]));
    assert_eq!(v["cost"], "100");

    let out = Command::new(BIN)
        .arg(&f)
        .args(["--rule", "greedy-no-skip"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("selected: 10\n"), "{text}");

    let exp = tmp("exp.pb");
    let st = Command::new(BIN)
        .arg(&f)
        .args(["--rule", "equalshares/add1", "--anonymize", "--export"])
        .arg(&exp)
        .status()
        .expect("run");
    assert!(st.success());
    let e =
        dauys_tally::pabulib::parse(&std::fs::read_to_string(&exp).expect("read")).expect("parse");
    assert_eq!(e.rule_name(), Some("equalshares/add1"));
    assert!(e.voters.iter().all(|v| v.id != "v1" && v.id != "v2"));

    let rt = tmp("rt.pb");
    assert!(Command::new(BIN)
        .arg("roundtrip")
        .arg(&f)
        .arg(&rt)
        .status()
        .expect("run")
        .success());

    let dir = tmp("dir");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("ok.pb"), FILE).expect("write");
    assert!(Command::new(BIN)
        .arg("verify")
        .arg(&dir)
        .status()
        .expect("run")
        .success());
    std::fs::write(dir.join("bad.pb"), FILE.replace("3;40;1;1", "3;40;1;0")).expect("write");
    let out = Command::new(BIN)
        .arg("verify")
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MISMATCH"));

    let out = Command::new(BIN)
        .arg(tmp("missing.pb"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
