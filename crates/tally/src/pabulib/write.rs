//! Writing an election as a pabulib `.pb` file that [`super::parse`]
//! (and pabulib's own tools) read back unchanged.

use super::section_marker;
use crate::model::{format_money, Election};

fn needs_quotes(f: &str, first: bool) -> bool {
    f.contains([';', '"', '\n', '\r']) || f.trim() != f || (first && section_marker(f).is_some())
}

fn push_field(out: &mut String, f: &str, first: bool) {
    if !first {
        out.push(';');
    }
    let cleaned;
    let f = if f.contains(['\n', '\r']) {
        cleaned = f.replace(['\n', '\r'], " ");
        cleaned.as_str()
    } else {
        f
    };
    if needs_quotes(f, first) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

fn push_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        push_field(out, f, i == 0);
    }
    out.push('\n');
}

/// Writes an election as a pabulib file (LF line ends, `;` separator).
/// `parse(&write(e)) == e` for every election that `parse` returned.
pub fn write(e: &Election) -> String {
    let mut out = String::with_capacity(64 * (e.projects.len() + e.voters.len() + 16));
    out.push_str("META\nkey;value\n");
    let budget = format_money(e.budget, e.decimals);
    let mut has_budget = false;
    for (k, v) in &e.meta {
        let v = if k == "budget" {
            has_budget = true;
            budget.as_str()
        } else {
            v.as_str()
        };
        push_row(&mut out, [k.as_str(), v]);
    }
    if !has_budget {
        push_row(&mut out, ["budget", budget.as_str()]);
    }
    out.push_str("PROJECTS\n");
    push_row(
        &mut out,
        ["project_id", "cost"]
            .into_iter()
            .chain(e.project_columns.iter().map(String::as_str)),
    );
    for p in &e.projects {
        let cost = format_money(p.cost, e.decimals);
        push_row(
            &mut out,
            [p.id.as_str(), cost.as_str()]
                .into_iter()
                .chain(p.extra.iter().map(String::as_str)),
        );
    }
    out.push_str("VOTES\n");
    let with_points = e.vote_type.has_points() || e.voters.iter().any(|v| v.points.is_some());
    let mut header = vec!["voter_id", "vote"];
    if with_points {
        header.push("points");
    }
    header.extend(e.voter_columns.iter().map(String::as_str));
    push_row(&mut out, header);
    let mut vote = String::new();
    let mut pts = String::new();
    for v in &e.voters {
        vote.clear();
        for (i, &p) in v.vote.iter().enumerate() {
            if i > 0 {
                vote.push(',');
            }
            if let Some(proj) = e.projects.get(p as usize) {
                vote.push_str(&proj.id);
            }
        }
        let mut row: Vec<&str> = vec![v.id.as_str(), vote.as_str()];
        if with_points {
            pts.clear();
            if let Some(points) = &v.points {
                for (i, x) in points.iter().enumerate() {
                    if i > 0 {
                        pts.push(',');
                    }
                    pts.push_str(&x.to_string());
                }
            }
            row.push(pts.as_str());
        }
        row.extend(v.extra.iter().map(String::as_str));
        push_row(&mut out, row);
    }
    out
}
