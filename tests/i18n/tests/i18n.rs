//! i18n quality bar of the citizen app (issue 5):
//! 1. the kk, ru and en bundles parse and have exactly the same message ids;
//! 2. every id the UI code uses (`t("…")`, `ta("…"`, `tr_in(_, "…"`,
//!    `CmdError::new("…"`) exists, and so does every id the UI builds from
//!    protocol enums (phases, statuses, appeal types, error codes, months);
//! 3. no user-facing literal sits in the UI code: string literals in view
//!    markup must not contain letters (symbols like "◉" or ": " are fine);
//! 4. every message formats in its own language without errors, including
//!    every plural variant.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

const LANGS: [&str; 3] = ["kk", "ru", "en"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ftl(lang: &str) -> String {
    std::fs::read_to_string(root().join(format!("locales/{lang}/main.ftl"))).unwrap()
}

fn ids(lang: &str) -> BTreeSet<String> {
    let src = ftl(lang);
    let res = fluent_syntax::parser::parse(src.as_str())
        .unwrap_or_else(|(_, errs)| panic!("{lang}/main.ftl does not parse: {errs:?}"));
    res.body
        .iter()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => {
                assert!(
                    m.value.is_some(),
                    "{lang}: message {} has no value",
                    m.id.name
                );
                Some(m.id.name.to_string())
            }
            ast::Entry::Junk { content } => panic!("{lang}: junk in ftl: {content}"),
            _ => None,
        })
        .collect()
}

fn ui_sources() -> Vec<(PathBuf, String)> {
    sources(&["ui/src"])
}

/// Rust sources under the given directories (relative to the repo root).
fn sources(dirs: &[&str]) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.iter().map(|d| root().join(d)).collect();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let s = std::fs::read_to_string(&p).unwrap();
                out.push((p, s));
            }
        }
    }
    assert!(out.len() > 5, "UI sources not found");
    out
}

/// The staff console's Rust code and HTML templates (in the server crate).
fn console_sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dir in [
        "crates/server/src/console",
        "crates/server/templates/console",
    ] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rs" || x == "html") {
                let s = std::fs::read_to_string(&p).unwrap();
                out.push((p, s));
            }
        }
    }
    assert!(out.len() > 5, "console sources not found");
    out
}

/// String literals following any of `prefixes` (the literal's content).
fn literal_after(src: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[test]
fn bundles_have_identical_ids() {
    let en = ids("en");
    assert!(en.len() > 100);
    for lang in ["kk", "ru"] {
        let other = ids(lang);
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}: missing {missing:?}, extra {extra:?}"
        );
    }
}

fn used_ids() -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    // The Tauri commands send error ids too.
    for (_, src) in sources(&["ui/src", "src-tauri/src"]) {
        for prefix in ["t(\"", "ta(\"", "CmdError::new(\"", "\"error-"] {
            for id in literal_after(&src, prefix) {
                let id = if prefix == "\"error-" {
                    format!("error-{id}")
                } else {
                    id
                };
                used.insert(id);
            }
        }
        // tr_in(lang, "id", …)
        let mut rest = src.as_str();
        while let Some(i) = rest.find("tr_in(") {
            rest = &rest[i + 6..];
            if let Some(q) = rest.find('"') {
                if !rest[..q].contains(')') {
                    let after = &rest[q + 1..];
                    if let Some(end) = after.find('"') {
                        used.insert(after[..end].to_string());
                    }
                }
            }
        }
    }
    // The staff console (server-rendered): every `"console-…"` id in its
    // Rust code and templates (`tr.t("…")` and ids passed to helpers).
    for (_, src) in console_sources() {
        for id in literal_after(&src, "\"console-") {
            if !id.ends_with('-') {
                used.insert(format!("console-{id}"));
            }
        }
    }
    used.retain(|id| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    used
}

fn dash(s: &str) -> String {
    s.replace('_', "-")
}

fn generated_ids() -> BTreeSet<String> {
    use dauys_proto::*;
    let mut g = BTreeSet::new();
    for p in Phase::ALL {
        g.insert(format!("phase-{}", dash(p.as_str())));
    }
    // Every status, type and error code from proto's own lists, so a new
    // one fails this test until it is translated.
    for s in ProposalStatus::ALL {
        g.insert(format!("proposal-status-{}", dash(s.as_str())));
    }
    for s in AppealStatus::ALL {
        g.insert(format!("appeal-status-{}", dash(s.as_str())));
    }
    for t in AppealType::ALL {
        g.insert(format!("appeal-type-{}", dash(t.as_str())));
        g.insert(format!("appeal-type-{}-help", dash(t.as_str())));
    }
    for topic in APPEAL_TOPICS {
        g.insert(format!("appeal-topic-{}", dash(topic)));
    }
    for c in ErrorCode::ALL {
        g.insert(c.message_key());
    }
    for e in [
        iin::IinError::Format,
        iin::IinError::Checksum,
        iin::IinError::BirthDate,
    ] {
        g.insert(format!("error-{}", dash(e.code())));
    }
    for m in 1..=12 {
        g.insert(format!("month-{m}"));
    }
    for d in ["queued", "sending", "delivered", "rejected"] {
        g.insert(format!("delivery-{d}"));
    }
    for k in [
        "appeal.submit",
        "proposal.submit",
        "comment.add",
        "ballot.cast",
        "media.attach",
    ] {
        g.insert(format!("op-{}", k.replace('.', "-")));
    }
    g
}

#[test]
fn every_used_id_exists() {
    let en = ids("en");
    let used = used_ids();
    assert!(
        used.len() > 100,
        "found only {} ids in the UI code",
        used.len()
    );
    let missing: Vec<_> = used.iter().filter(|id| !en.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "ids used in ui/src, src-tauri/src or the console but missing in the bundles: {missing:?}"
    );
    let gen_missing: Vec<_> = generated_ids()
        .into_iter()
        .filter(|id| !en.contains(id))
        .collect();
    assert!(
        gen_missing.is_empty(),
        "ids built from protocol values but missing: {gen_missing:?}"
    );
}

/// String literals of one line: (byte offset of the opening quote, content).
fn literals(line: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = chars.next() {
        // Skip char literals like '"'.
        if c == '\'' && prev != '\\' {
            let rest = &line[i + 1..];
            if rest.len() >= 2 && (rest.as_bytes()[1] == b'\'' || rest.starts_with("\\")) {
                for _ in 0..if rest.starts_with("\\") { 3 } else { 2 } {
                    chars.next();
                }
                prev = '\'';
                continue;
            }
        }
        if c == '"' {
            let mut lit = String::new();
            let mut esc = false;
            for (_, d) in chars.by_ref() {
                if esc {
                    esc = false;
                    lit.push(d);
                } else if d == '\\' {
                    esc = true;
                } else if d == '"' {
                    break;
                } else {
                    lit.push(d);
                }
            }
            out.push((i, lit));
        }
        prev = c;
    }
    out
}

#[test]
fn no_user_facing_literals_in_ui_code() {
    // Literal text nodes inside view! markup are written `"…"` between tags
    // or braces. Any literal with a letter that is not an id, a CSS class, an
    // attribute value or a command name is a bug: it would not be translated.
    let mut bad = Vec::new();
    for (path, src) in ui_sources() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (n, line) in src.lines().enumerate() {
            let l = line.trim();
            if l.starts_with("//") {
                continue;
            }
            // Cyrillic or Kazakh letters never belong in code.
            if l.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                bad.push(format!("{name}:{}: {l}", n + 1));
                continue;
            }
            // Text nodes: `> "Text"` or `} "Text"` (not `=> "…"` match arms).
            for (start, lit) in literals(l) {
                let before = l[..start].trim_end();
                let is_text_node =
                    (before.ends_with('>') && !before.ends_with("=>") && !before.ends_with("->"))
                        || before.ends_with('}');
                if is_text_node && lit.chars().any(|c| c.is_alphabetic()) {
                    bad.push(format!("{name}:{}: {lit:?}", n + 1));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "user-facing literals in UI code (use locales/*.ftl):\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_message_formats_with_every_plural() {
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
    for lang in LANGS {
        let id: unic_langid::LanguageIdentifier = lang.parse().unwrap();
        let mut bundle = FluentBundle::new(vec![id]);
        bundle.set_use_isolating(false);
        bundle
            .add_resource(FluentResource::try_new(ftl(lang)).unwrap())
            .unwrap();
        for msg_id in ids(lang) {
            let msg = bundle.get_message(&msg_id).unwrap();
            for n in [0i64, 1, 2, 3, 5, 11, 21, 22, 25, 101] {
                let mut args = FluentArgs::new();
                for name in ["count", "days", "sent", "max"] {
                    args.set(name, FluentValue::from(n));
                }
                for name in [
                    "amount", "date", "time", "phone", "name", "number", "used", "left", "budget",
                    "cost", "version", "field", "day", "month", "year", "reason", "code",
                    "subject", "status", "body", "place",
                ] {
                    args.set(name, FluentValue::from("X"));
                }
                let mut errs = Vec::new();
                let out = bundle.format_pattern(msg.value().unwrap(), Some(&args), &mut errs);
                assert!(errs.is_empty(), "{lang} {msg_id}: {errs:?}");
                assert!(!out.trim().is_empty(), "{lang} {msg_id} is empty");
            }
        }
    }
}

#[test]
fn russian_plurals_are_complete() {
    // ru needs one/few/many; kk and en one/other. A `{ $count ->` selector
    // in ru without [few] and [many] reads wrong for 2–4 and 5–20.
    let src = ftl("ru");
    for block in src.split("\n\n") {
        for part in block.split(" ->").skip(1) {
            let sel_end = part
                .find("\n}")
                .or_else(|| part.find("\n})"))
                .unwrap_or(part.len());
            let sel = &part[..sel_end];
            if sel.contains("[one]") {
                assert!(
                    sel.contains("[few]") && sel.contains("[many]"),
                    "ru plural without few/many near: {sel}"
                );
            }
        }
    }
}

#[test]
fn language_pickers_read_plain_lines() {
    // The UI holds only the active language's bundle; the shell reads every
    // language's own name and "choose your language" prompt from the raw
    // files (src-tauri/src/commands/settings.rs, `plain_message`), and the
    // desktop notification its title and text: each must be a
    // one-line `id = text` without placeables.
    for lang in LANGS {
        let src = ftl(lang);
        for id in [
            "language-name",
            "choose-language",
            "app-name",
            "notice-os-body",
        ] {
            let lines: Vec<&str> = src
                .lines()
                .filter(|l| l.starts_with(&format!("{id} =")))
                .collect();
            assert_eq!(lines.len(), 1, "{lang}: {id} must be on exactly one line");
            let text = lines[0].split_once('=').unwrap().1.trim();
            assert!(
                !text.is_empty() && !text.contains('{'),
                "{lang}: {id} must be plain text: {text:?}"
            );
            let next = src
                .lines()
                .skip_while(|l| !l.starts_with(&format!("{id} =")))
                .nth(1)
                .unwrap_or("");
            assert!(
                !next.starts_with(' '),
                "{lang}: {id} must not continue on the next line"
            );
        }
    }
    let shell = std::fs::read_to_string(root().join("src-tauri/src/commands/settings.rs")).unwrap();
    assert!(
        shell.contains("plain_message(src, \"language-name\")")
            && shell.contains("plain_message(src, \"choose-language\")")
    );
}
