//! Malformed files give errors with the right line number; odd but valid
//! input parses.

use dauys_tally::pabulib::{parse, write};
use dauys_tally::{ParseErrorKind, VoteType};

const OK: &str = "META\nkey;value\nbudget;100\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;votes\n1;60;2\n2;50;1\nVOTES\nvoter_id;vote\nv1;1,2\nv2;1\n";

fn line_of(text: &str) -> (usize, ParseErrorKind) {
    let e = parse(text).expect_err("should fail");
    (e.line, e.kind)
}

#[test]
fn valid_minimal() {
    let e = parse(OK).expect("parses");
    assert_eq!(e.budget, 100);
    assert_eq!(e.projects.len(), 2);
    assert_eq!(e.voters.len(), 2);
    assert_eq!(e.voters[0].vote, vec![0, 1]);
}

#[test]
fn crlf_bom_no_final_newline_trailing_spaces() {
    let text = format!(
        "\u{feff}{}",
        OK.replace('\n', "\r\n")
            .replace("budget;100", "budget;100  ")
    );
    let text = text.trim_end().to_string();
    let e = parse(&text).expect("parses");
    assert_eq!(e, parse(OK).expect("parses"));
}

#[test]
fn quotes_like_python_csv() {
    let text = OK
        .replace(
            "project_id;cost;votes\n1;60;2",
            "project_id;cost;votes;name\n1;60;2;\"a; \"\"b\"\"\"c\n2;50;1;say \"hi\"",
        )
        .replace("\n2;50;1\n", "\n");
    let e = parse(&text).expect("parses");
    assert_eq!(e.project_field(0, "name"), Some("a; \"b\"c"));
    assert_eq!(e.project_field(1, "name"), Some("say \"hi\""));
    assert_eq!(parse(&write(&e)).expect("round trip"), e);
}

#[test]
fn decimal_costs_and_string_ids() {
    let text = "META\nkey;value\nbudget;400000.0\nPROJECTS\nproject_id;cost\nBO.OM.97/24;4000.0\n007;12.5\nVOTES\nvoter_id;vote\nx;007,BO.OM.97/24\ny;\n";
    let e = parse(text).expect("parses");
    assert_eq!(e.decimals, 1);
    assert_eq!(e.budget, 4_000_000);
    assert_eq!(e.projects[0].cost, 40_000);
    assert_eq!(e.projects[1].id, "007");
    assert_eq!(e.voters[0].vote, vec![1, 0]);
    assert!(e.voters[1].vote.is_empty());
    assert_eq!(parse(&write(&e)).expect("round trip"), e);
}

#[test]
fn cumulative_and_ordinal() {
    let text = "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote;points\n1;a,b;3,0\n";
    let e = parse(text).expect("parses");
    assert_eq!(e.vote_type, VoteType::Cumulative);
    assert_eq!(e.ballot_scores(), vec![3, 0]);
    let text = text
        .replace("cumulative", "ordinal")
        .replace(";points", "")
        .replace(";3,0", "");
    let e = parse(&text).expect("parses");
    assert_eq!(e.ballot_scores(), vec![2, 1]);
}

#[test]
fn errors_with_line_numbers() {
    // unterminated quote on line 8
    let (l, k) = line_of(&OK.replace("1;60;2", "1;\"60;2"));
    assert_eq!((l, k), (8, ParseErrorKind::UnterminatedQuote));
    // bad cost on line 9
    let (l, k) = line_of(&OK.replace("2;50;1", "2;-50;1"));
    assert_eq!(l, 9);
    assert!(matches!(k, ParseErrorKind::BadAmount(_)));
    // unknown project in a ballot on line 13
    let (l, k) = line_of(&OK.replace("v2;1\n", "v2;7\n"));
    assert_eq!((l, k), (13, ParseErrorKind::UnknownProject("7".into())));
    // wrong field count on line 8
    let (l, k) = line_of(&OK.replace("1;60;2", "1;60"));
    assert_eq!(
        (l, k),
        (
            8,
            ParseErrorKind::FieldCount {
                expected: 3,
                found: 2
            }
        )
    );
    // duplicate project on line 9
    let (l, k) = line_of(&OK.replace("2;50;1", "1;50;1"));
    assert_eq!((l, k), (9, ParseErrorKind::DuplicateProject("1".into())));
    // missing cost column in the header on line 7
    let (l, k) = line_of(&OK.replace("project_id;cost;votes", "project_id;price;votes"));
    assert_eq!(
        (l, k),
        (
            7,
            ParseErrorKind::MissingColumn {
                section: "PROJECTS",
                column: "cost"
            }
        )
    );
    // content before META
    let (l, k) = line_of(&format!("hello\n{OK}"));
    assert_eq!((l, k), (1, ParseErrorKind::ContentBeforeMeta));
    // no budget
    let e = parse(&OK.replace("budget;100\n", "")).expect_err("no budget");
    assert_eq!(e.kind, ParseErrorKind::MissingBudget);
    // points count mismatch on line 13
    let text = "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote;points\n1;a,b;3,0\n\n2;a,b;3\n";
    let (l, k) = line_of(text);
    assert_eq!(
        (l, k),
        (
            13,
            ParseErrorKind::PointsMismatch {
                votes: 2,
                points: 1
            }
        )
    );
    // duplicate section
    let (l, _) = line_of(&format!("{OK}PROJECTS\n"));
    assert_eq!(l, 14);
    // the message names the line
    let msg = parse(&OK.replace("v2;1\n", "v2;7\n"))
        .expect_err("fails")
        .to_string();
    assert_eq!(msg, "line 13: ballot names unknown project \"7\"");
}

#[test]
fn no_panic_on_garbage() {
    for s in [
        "",
        "\u{feff}",
        "META",
        "META\n",
        "META\nkey;value\nPROJECTS",
        "\"",
        "META\n\"",
        "VOTES\n",
        "META\nk;v;w\n",
        "META\nkey;value\nbudget;1e9\n",
        "META\nkey;value\nbudget;99999999999999999999999\nPROJECTS\nproject_id;cost\n",
    ] {
        let _ = parse(s);
    }
}
