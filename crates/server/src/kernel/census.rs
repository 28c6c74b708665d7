//! The census of residents (IIN, phone, locality) and role grants.

use dauys_proto::iin::Iin;
use dauys_proto::Role;
use uuid::Uuid;

use crate::crypto;
use crate::db::{self, Conn};
use crate::error::{AppError, AppResult, Reject};
use crate::params;
use crate::state::AppState;

#[derive(Debug, Default)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    /// Rows left out, in line order.
    pub skipped: Vec<Skipped>,
}

/// A row left out of an import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub line: usize,
    /// The row's IIN, masked (`iin::mask`): enough to find the row, not
    /// enough to copy a person's IIN off the screen.
    pub iin: String,
    /// What is wrong: `iin`, `phone`, `locality`, or `row` (not three fields).
    pub field: String,
    /// English detail (logs, the command line).
    pub detail: String,
}

/// Adds or updates one resident; returns the user id and whether it is new.
pub fn upsert_resident(
    st: &AppState,
    c: &mut dyn Conn,
    iin: &str,
    phone: &str,
    locality: &str,
) -> AppResult<(String, bool)> {
    let iin = Iin::parse(iin).map_err(|e| Reject::field("iin", e.to_string()))?;
    let phone: String = phone
        .chars()
        .filter(|ch| ch.is_ascii_digit() || *ch == '+')
        .collect();
    if phone.len() < 10 {
        return Err(Reject::field("phone", "phone number too short").into());
    }
    if c.query_one(
        "SELECT 1 FROM localities WHERE code = $1",
        params![locality],
    )?
    .is_none()
    {
        return Err(Reject::field("locality", format!("unknown locality {locality}")).into());
    }
    let hash = crypto::iin_hash(&st.secret, &iin.as_string());
    let masked = dauys_proto::iin::mask(&iin.as_string());
    if let Some(r) = c.query_one(
        "SELECT id FROM residents WHERE iin_hash = $1",
        params![&hash],
    )? {
        let id: String = r.get("id")?;
        c.exec(
            "UPDATE residents SET phone = $2, locality = $3, iin_masked = $4 WHERE id = $1",
            params![&id, phone, locality, &masked],
        )?;
        return Ok((id, false));
    }
    let id = Uuid::now_v7().to_string();
    c.exec(
        "INSERT INTO residents (id, iin_hash, phone, locality, birth_date, created_at, iin_masked)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![
            &id,
            hash,
            phone,
            locality,
            dauys_proto::workdays::format_date(iin.birth_date),
            st.clock.now_ms(),
            &masked
        ],
    )?;
    Ok((id, true))
}

/// Imports `iin,phone,locality` rows (a header row is allowed). Bad rows are
/// reported by line and left out; good rows are imported in one transaction.
pub fn import_csv(
    st: &AppState,
    c: &mut dyn Conn,
    reader: impl std::io::Read,
) -> AppResult<ImportReport> {
    let (rows, bad) = parse_csv(reader);
    db::write_tx(c, |c| import_rows(st, c, &rows, &bad))
}

/// [`import_csv`] inside the caller's transaction.
pub fn import_csv_in(
    st: &AppState,
    c: &mut dyn Conn,
    reader: impl std::io::Read,
) -> AppResult<ImportReport> {
    let (rows, bad) = parse_csv(reader);
    import_rows(st, c, &rows, &bad)
}

/// A census row: line, IIN, phone, locality.
type Row = (usize, String, String, String);

fn parse_csv(reader: impl std::io::Read) -> (Vec<Row>, Vec<Skipped>) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 1;
        let skip = |iin: &str, detail: String| Skipped {
            line,
            iin: dauys_proto::iin::mask(iin),
            field: "row".into(),
            detail,
        };
        match rec {
            Ok(r) if r.len() >= 3 => {
                if line == 1 && r.get(0).is_some_and(|f| f.eq_ignore_ascii_case("iin")) {
                    continue;
                }
                rows.push((line, r[0].to_string(), r[1].to_string(), r[2].to_string()));
            }
            Ok(r) => bad.push(skip(
                r.get(0).unwrap_or_default(),
                "expected iin,phone,locality".into(),
            )),
            Err(e) => bad.push(skip("", e.to_string())),
        }
    }
    (rows, bad)
}

fn import_rows(
    st: &AppState,
    c: &mut dyn Conn,
    rows: &[Row],
    bad: &[Skipped],
) -> AppResult<ImportReport> {
    // A retried transaction starts its tally afresh.
    let mut report = ImportReport {
        skipped: bad.to_vec(),
        ..ImportReport::default()
    };
    for (line, iin, phone, loc) in rows {
        c.control("SAVEPOINT row")?;
        match upsert_resident(st, c, iin, phone, loc) {
            Ok((_, true)) => report.added += 1,
            Ok((_, false)) => report.updated += 1,
            Err(AppError::Reject(r)) => {
                c.control("ROLLBACK TO SAVEPOINT row")?;
                report.skipped.push(Skipped {
                    line: *line,
                    iin: dauys_proto::iin::mask(iin),
                    field: r.field.unwrap_or_else(|| "row".into()),
                    detail: r.detail,
                });
            }
            Err(e) => return Err(e),
        }
        c.control("RELEASE SAVEPOINT row")?;
    }
    report.skipped.sort();
    Ok(report)
}

/// Grants a role, optionally limited to a locality and what lies under it
/// (the `dauys-server user grant` command).
pub fn grant(
    st: &AppState,
    c: &mut dyn Conn,
    role: Role,
    iin: &str,
    place: GrantPlace<'_>,
) -> AppResult<()> {
    db::write_tx(c, |c| {
        let place = place.resolve(c, role)?;
        grant_in(st, c, role, iin, &place, "").map(|_| ())
    })
}

/// Where a grant applies: a locality and all under it (none: everywhere),
/// or one body (a department: its appeals only).
#[derive(Debug, Clone, Copy, Default)]
pub struct GrantPlace<'a> {
    pub locality: Option<&'a str>,
    pub body: Option<&'a str>,
}

impl<'a> GrantPlace<'a> {
    /// Empty strings read as "not given" (forms send them).
    pub fn new(locality: Option<&'a str>, body: Option<&'a str>) -> Self {
        GrantPlace {
            locality: locality.filter(|l| !l.is_empty()),
            body: body.filter(|b| !b.is_empty()),
        }
    }

    /// Checks the place exists and fits the role; a body's grant lies in
    /// the body's locality (given or not).
    pub fn resolve(&self, c: &mut dyn Conn, role: Role) -> AppResult<Resolved> {
        if let Some(b) = self.body {
            if role != Role::Official {
                return Err(Reject::field("body", "only officials are granted a body").into());
            }
            let loc: String = c
                .query_one("SELECT locality FROM bodies WHERE id = $1", params![b])?
                .ok_or_else(|| Reject::field("body", format!("unknown body {b}")))?
                .get("locality")?;
            if self.locality.is_some_and(|l| l != loc) {
                return Err(Reject::field("locality", "the body lies in another locality").into());
            }
            return Ok(Resolved {
                locality: Some(loc),
                body: Some(b.to_string()),
            });
        }
        if let Some(l) = self.locality {
            if c.query_one("SELECT 1 FROM localities WHERE code = $1", params![l])?
                .is_none()
            {
                return Err(Reject::field("locality", format!("unknown locality {l}")).into());
            }
        }
        Ok(Resolved {
            locality: self.locality.map(str::to_string),
            body: None,
        })
    }
}

/// A grant's place once checked: the locality to store (none: everywhere)
/// and the body, if a department's.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub locality: Option<String>,
    pub body: Option<String>,
}

/// [`grant`] inside the caller's transaction (the `role.grant` op);
/// returns the user id. A grant given again only updates its label.
pub fn grant_in(
    st: &AppState,
    c: &mut dyn Conn,
    role: Role,
    iin: &str,
    place: &Resolved,
    label: &str,
) -> AppResult<String> {
    let iin = Iin::parse(iin).map_err(|e| Reject::field("iin", e.to_string()))?;
    let hash = crypto::iin_hash(&st.secret, &iin.as_string());
    let user = c
        .query_one(
            "SELECT id FROM residents WHERE iin_hash = $1",
            params![&hash],
        )?
        .ok_or_else(|| Reject::field("iin", "not in the census"))?
        .get::<String>("id")?;
    let loc = place.locality.as_deref().unwrap_or("");
    let body = place.body.as_deref().unwrap_or("");
    let label = label.trim();
    let updated = c.exec(
        "UPDATE roles SET label = $5 WHERE user_id = $1 AND role = $2 AND locality = $3 AND body = $4",
        params![&user, role.as_str(), loc, body, label],
    )?;
    if updated == 0 {
        c.exec(
            "INSERT INTO roles (user_id, role, locality, body, label) VALUES ($1, $2, $3, $4, $5)",
            params![&user, role.as_str(), loc, body, label],
        )?;
    }
    Ok(user)
}

/// Removes one grant; false if there was none.
pub fn revoke_in(
    c: &mut dyn Conn,
    user_id: &str,
    role: Role,
    locality: Option<&str>,
    body: Option<&str>,
) -> AppResult<bool> {
    let n = c.exec(
        "DELETE FROM roles WHERE user_id = $1 AND role = $2 AND locality = $3 AND body = $4",
        params![
            user_id,
            role.as_str(),
            locality.unwrap_or(""),
            body.unwrap_or("")
        ],
    )?;
    Ok(n > 0)
}
