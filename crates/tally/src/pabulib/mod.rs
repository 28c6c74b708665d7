//! The pabulib `.pb` format: [`parse`] and [`write`].
//!
//! Accepted: `META` / `PROJECTS` / `VOTES` sections (section names are
//! case-insensitive and may carry trailing `;`), `;`-separated fields with
//! `"` quoting as Python's `csv` module reads it (doubled `""` inside quotes,
//! a field may begin quoted and continue unquoted, a `"` inside an unquoted
//! field is literal), CRLF / LF / CR line ends, a UTF-8 BOM, blank lines,
//! trailing spaces (every field is trimmed), money written as `4000` or
//! `4000.0` or `12.50`, ids as arbitrary strings, empty ballots.

use std::collections::HashMap;

use crate::model::{parse_int_like, Election, Project, VoteType, Voter};

/// Largest number of decimal places accepted in money amounts.
pub const MAX_DECIMALS: u32 = 6;

/// A malformed file: what is wrong and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    pub line: usize,
    pub kind: ParseErrorKind,
}

/// What is wrong in a malformed file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("unterminated quoted field")]
    UnterminatedQuote,
    #[error("content before the META section")]
    ContentBeforeMeta,
    #[error("section {0} appears twice")]
    DuplicateSection(&'static str),
    #[error("section {0} is missing")]
    MissingSection(&'static str),
    #[error("section {section} has no header line")]
    MissingHeader { section: &'static str },
    #[error("{section} header lacks the column {column:?}")]
    MissingColumn {
        section: &'static str,
        column: &'static str,
    },
    #[error("duplicate column {0:?}")]
    DuplicateColumn(String),
    #[error("expected {expected} fields, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("empty META key")]
    EmptyMetaKey,
    #[error("duplicate META key {0:?}")]
    DuplicateMetaKey(String),
    #[error("META has no budget")]
    MissingBudget,
    #[error("invalid amount {0:?} (expected a non-negative decimal number)")]
    BadAmount(String),
    #[error("amount {0:?} has more than {MAX_DECIMALS} decimal places or is too large")]
    AmountRange(String),
    #[error("invalid vote_type {0:?}")]
    BadVoteType(String),
    #[error("empty id")]
    EmptyId,
    #[error("invalid project id {0:?} (contains a comma)")]
    BadProjectId(String),
    #[error("duplicate project id {0:?}")]
    DuplicateProject(String),
    #[error("ballot names unknown project {0:?}")]
    UnknownProject(String),
    #[error("empty entry in ballot")]
    EmptyBallotEntry,
    #[error("invalid points value {0:?}")]
    BadPoints(String),
    #[error("{votes} projects but {points} points in the ballot")]
    PointsMismatch { votes: usize, points: usize },
    #[error("vote_type {0} needs a points column")]
    MissingPoints(VoteType),
}

fn err(line: usize, kind: ParseErrorKind) -> ParseError {
    ParseError { line, kind }
}

/// Splits one line into fields the way Python's `csv` reader does with
/// `delimiter=';'`, then trims each field.
fn split_fields(line: &str, lineno: usize) -> Result<Vec<String>, ParseError> {
    #[derive(PartialEq)]
    enum St {
        Start,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut st = St::Start;
    for c in line.chars() {
        match st {
            St::Start | St::Unquoted => {
                if c == ';' {
                    out.push(std::mem::take(&mut cur));
                    st = St::Start;
                } else if c == '"' && st == St::Start {
                    st = St::Quoted;
                } else {
                    cur.push(c);
                    st = St::Unquoted;
                }
            }
            St::Quoted => {
                if c == '"' {
                    st = St::QuoteInQuoted;
                } else {
                    cur.push(c);
                }
            }
            St::QuoteInQuoted => {
                if c == '"' {
                    cur.push('"');
                    st = St::Quoted;
                } else if c == ';' {
                    out.push(std::mem::take(&mut cur));
                    st = St::Start;
                } else {
                    cur.push(c);
                    st = St::Unquoted;
                }
            }
        }
    }
    if st == St::Quoted {
        return Err(err(lineno, ParseErrorKind::UnterminatedQuote));
    }
    out.push(cur);
    Ok(out.into_iter().map(|f| f.trim().to_string()).collect())
}

/// Iterates over (1-based line number, line) with `\r\n`, `\n` or `\r` ends.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut n = 0usize;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        match rest.find(['\n', '\r']) {
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some((n, line))
            }
            None => {
                let line = rest;
                rest = "";
                Some((n, line))
            }
        }
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Meta,
    Projects,
    Votes,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::Meta => "META",
            Section::Projects => "PROJECTS",
            Section::Votes => "VOTES",
        }
    }
}

fn section_marker(line: &str) -> Option<Section> {
    let t = line.trim().trim_end_matches(';').trim();
    if t.eq_ignore_ascii_case("meta") {
        Some(Section::Meta)
    } else if t.eq_ignore_ascii_case("projects") {
        Some(Section::Projects)
    } else if t.eq_ignore_ascii_case("votes") {
        Some(Section::Votes)
    } else {
        None
    }
}

/// A decimal amount as written: integer digits and fraction digits
/// (trailing zeros of the fraction removed).
struct RawAmount {
    int: String,
    frac: String,
    line: usize,
    text: String,
}

fn raw_amount(s: &str, line: usize) -> Result<RawAmount, ParseError> {
    let bad = || err(line, ParseErrorKind::BadAmount(s.to_string()));
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    Ok(RawAmount {
        int: int.to_string(),
        frac: frac.to_string(),
        line,
        text: s.to_string(),
    })
}

fn scale_amount(a: &RawAmount, decimals: u32) -> Result<u64, ParseError> {
    let range = || err(a.line, ParseErrorKind::AmountRange(a.text.clone()));
    let mut digits = a.int.clone();
    digits.push_str(&a.frac);
    for _ in a.frac.len()..decimals as usize {
        digits.push('0');
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(0);
    }
    digits.parse::<u64>().map_err(|_| range())
}

fn header_index(
    header: &[String],
    section: &'static str,
    line: usize,
) -> Result<HashMap<String, usize>, ParseError> {
    let mut map = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if map.insert(h.clone(), i).is_some() {
            return Err(err(line, ParseErrorKind::DuplicateColumn(h.clone())));
        }
    }
    let _ = section;
    Ok(map)
}

fn check_count(fields: &mut Vec<String>, expected: usize, line: usize) -> Result<(), ParseError> {
    if fields.len() > expected && fields[expected..].iter().all(String::is_empty) {
        fields.truncate(expected);
    }
    if fields.len() != expected {
        return Err(err(
            line,
            ParseErrorKind::FieldCount {
                expected,
                found: fields.len(),
            },
        ));
    }
    Ok(())
}

struct ProjectsHeader {
    line: usize,
    id: usize,
    cost: usize,
    extra: Vec<usize>,
    len: usize,
}

struct VotesHeader {
    id: usize,
    vote: usize,
    points: Option<usize>,
    extra: Vec<usize>,
    len: usize,
}

/// Parses a pabulib file.
pub fn parse(text: &str) -> Result<Election, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut section: Option<Section> = None;
    let mut seen = [false; 3];
    let mut need_header = false;

    let mut meta: Vec<(String, String)> = Vec::new();
    let mut project_columns: Vec<String> = Vec::new();
    let mut voter_columns: Vec<String> = Vec::new();
    let mut ph: Option<ProjectsHeader> = None;
    let mut vh: Option<VotesHeader> = None;
    let mut projects: Vec<Project> = Vec::new();
    let mut raw_costs: Vec<RawAmount> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut voters: Vec<Voter> = Vec::new();
    let mut vote_type: Option<VoteType> = None;
    let mut last_line = 0;

    for (lineno, line) in lines(text) {
        last_line = lineno;
        if let Some(s) = section_marker(line) {
            let k = s as usize;
            if seen[k] {
                return Err(err(lineno, ParseErrorKind::DuplicateSection(s.name())));
            }
            if s != Section::Meta && !seen[Section::Meta as usize] {
                return Err(err(lineno, ParseErrorKind::ContentBeforeMeta));
            }
            if s == Section::Votes && !seen[Section::Projects as usize] {
                return Err(err(
                    lineno,
                    ParseErrorKind::MissingSection(Section::Projects.name()),
                ));
            }
            if need_header {
                let name = section.map(Section::name).unwrap_or("META");
                return Err(err(lineno, ParseErrorKind::MissingHeader { section: name }));
            }
            seen[k] = true;
            section = Some(s);
            need_header = true;
            if s == Section::Votes {
                // vote_type is known once META is complete
                let vt = match meta.iter().find(|(k, _)| k == "vote_type") {
                    Some((_, v)) => v
                        .parse::<VoteType>()
                        .map_err(|_| err(lineno, ParseErrorKind::BadVoteType(v.clone())))?,
                    None => VoteType::Approval,
                };
                vote_type = Some(vt);
            }
            continue;
        }
        let mut fields = split_fields(line, lineno)?;
        if fields.iter().all(String::is_empty) {
            continue;
        }
        let Some(sec) = section else {
            return Err(err(lineno, ParseErrorKind::ContentBeforeMeta));
        };
        if need_header {
            need_header = false;
            match sec {
                Section::Meta => {}
                Section::Projects => {
                    while fields.last().is_some_and(String::is_empty) {
                        fields.pop();
                    }
                    let map = header_index(&fields, "PROJECTS", lineno)?;
                    let need = |c: &'static str| {
                        map.get(c).copied().ok_or_else(|| {
                            err(
                                lineno,
                                ParseErrorKind::MissingColumn {
                                    section: "PROJECTS",
                                    column: c,
                                },
                            )
                        })
                    };
                    let id = need("project_id")?;
                    let cost = need("cost")?;
                    let extra: Vec<usize> = (0..fields.len())
                        .filter(|&i| i != id && i != cost)
                        .collect();
                    project_columns = extra.iter().map(|&i| fields[i].clone()).collect();
                    ph = Some(ProjectsHeader {
                        line: lineno,
                        id,
                        cost,
                        extra,
                        len: fields.len(),
                    });
                }
                Section::Votes => {
                    while fields.last().is_some_and(String::is_empty) {
                        fields.pop();
                    }
                    let map = header_index(&fields, "VOTES", lineno)?;
                    let need = |c: &'static str| {
                        map.get(c).copied().ok_or_else(|| {
                            err(
                                lineno,
                                ParseErrorKind::MissingColumn {
                                    section: "VOTES",
                                    column: c,
                                },
                            )
                        })
                    };
                    let id = need("voter_id")?;
                    let vote = need("vote")?;
                    let points = map.get("points").copied();
                    if let Some(vt) = vote_type {
                        if vt.has_points() && points.is_none() {
                            return Err(err(lineno, ParseErrorKind::MissingPoints(vt)));
                        }
                    }
                    let extra: Vec<usize> = (0..fields.len())
                        .filter(|&i| i != id && i != vote && Some(i) != points)
                        .collect();
                    voter_columns = extra.iter().map(|&i| fields[i].clone()).collect();
                    vh = Some(VotesHeader {
                        id,
                        vote,
                        points,
                        extra,
                        len: fields.len(),
                    });
                }
            }
            continue;
        }
        match sec {
            Section::Meta => {
                check_count(&mut fields, 2, lineno)?;
                let (k, v) = (fields[0].clone(), fields[1].clone());
                if k.is_empty() {
                    return Err(err(lineno, ParseErrorKind::EmptyMetaKey));
                }
                if meta.iter().any(|(mk, _)| *mk == k) {
                    return Err(err(lineno, ParseErrorKind::DuplicateMetaKey(k)));
                }
                meta.push((k, v));
            }
            Section::Projects => {
                let Some(h) = ph.as_ref() else {
                    return Err(err(
                        lineno,
                        ParseErrorKind::MissingHeader {
                            section: "PROJECTS",
                        },
                    ));
                };
                check_count(&mut fields, h.len, lineno)?;
                let id = fields[h.id].clone();
                if id.is_empty() {
                    return Err(err(lineno, ParseErrorKind::EmptyId));
                }
                if id.contains(',') {
                    return Err(err(lineno, ParseErrorKind::BadProjectId(id)));
                }
                if ids.contains_key(&id) {
                    return Err(err(lineno, ParseErrorKind::DuplicateProject(id)));
                }
                ids.insert(id.clone(), projects.len() as u32);
                raw_costs.push(raw_amount(&fields[h.cost], lineno)?);
                let extra = h.extra.iter().map(|&i| fields[i].clone()).collect();
                projects.push(Project { id, cost: 0, extra });
            }
            Section::Votes => {
                let Some(h) = vh.as_ref() else {
                    return Err(err(
                        lineno,
                        ParseErrorKind::MissingHeader { section: "VOTES" },
                    ));
                };
                check_count(&mut fields, h.len, lineno)?;
                let id = fields[h.id].clone();
                if id.is_empty() {
                    return Err(err(lineno, ParseErrorKind::EmptyId));
                }
                let mut vote = Vec::new();
                let vf = &fields[h.vote];
                if !vf.is_empty() {
                    for part in vf.split(',') {
                        let part = part.trim();
                        if part.is_empty() {
                            return Err(err(lineno, ParseErrorKind::EmptyBallotEntry));
                        }
                        match ids.get(part) {
                            Some(&i) => vote.push(i),
                            None => {
                                return Err(err(
                                    lineno,
                                    ParseErrorKind::UnknownProject(part.to_string()),
                                ))
                            }
                        }
                    }
                }
                let points = match h.points {
                    None => None,
                    Some(pi) => {
                        let pf = &fields[pi];
                        let mut pts = Vec::new();
                        if !pf.is_empty() {
                            for part in pf.split(',') {
                                let part = part.trim();
                                match parse_int_like(part) {
                                    Some(v) => pts.push(v),
                                    None => {
                                        return Err(err(
                                            lineno,
                                            ParseErrorKind::BadPoints(part.to_string()),
                                        ))
                                    }
                                }
                            }
                        }
                        if pts.len() != vote.len() {
                            return Err(err(
                                lineno,
                                ParseErrorKind::PointsMismatch {
                                    votes: vote.len(),
                                    points: pts.len(),
                                },
                            ));
                        }
                        Some(pts)
                    }
                };
                let extra = h.extra.iter().map(|&i| fields[i].clone()).collect();
                voters.push(Voter {
                    id,
                    vote,
                    points,
                    extra,
                });
            }
        }
    }
    let end = last_line.max(1);
    if need_header {
        let name = section.map(Section::name).unwrap_or("META");
        return Err(err(end, ParseErrorKind::MissingHeader { section: name }));
    }
    if !seen[Section::Meta as usize] {
        return Err(err(end, ParseErrorKind::MissingSection("META")));
    }
    if !seen[Section::Projects as usize] {
        return Err(err(end, ParseErrorKind::MissingSection("PROJECTS")));
    }
    let vote_type = match vote_type {
        Some(v) => v,
        None => match meta.iter().find(|(k, _)| k == "vote_type") {
            Some((_, v)) => v
                .parse::<VoteType>()
                .map_err(|_| err(end, ParseErrorKind::BadVoteType(v.clone())))?,
            None => VoteType::Approval,
        },
    };
    // money: one scale for the budget and every cost
    let budget_line = lines(text)
        .find(|(_, l)| l.trim_start().starts_with("budget;"))
        .map(|(n, _)| n)
        .unwrap_or(end);
    let raw_budget = match meta.iter().find(|(k, _)| k == "budget") {
        Some((_, v)) => raw_amount(v, budget_line)?,
        None => return Err(err(end, ParseErrorKind::MissingBudget)),
    };
    let mut decimals = raw_budget.frac.len();
    for c in &raw_costs {
        decimals = decimals.max(c.frac.len());
    }
    if decimals > MAX_DECIMALS as usize {
        let worst = std::iter::once(&raw_budget)
            .chain(raw_costs.iter())
            .find(|a| a.frac.len() == decimals)
            .unwrap_or(&raw_budget);
        return Err(err(
            worst.line,
            ParseErrorKind::AmountRange(worst.text.clone()),
        ));
    }
    let decimals = decimals as u32;
    let budget = scale_amount(&raw_budget, decimals)?;
    for (p, c) in projects.iter_mut().zip(raw_costs.iter()) {
        p.cost = scale_amount(c, decimals)?;
    }
    let _ = ph.map(|h| h.line);
    let mut e = Election {
        meta,
        decimals,
        budget,
        vote_type,
        project_columns,
        projects,
        voter_columns,
        voters,
    };
    e.sync_meta();
    Ok(e)
}

mod write;

pub use write::write;
