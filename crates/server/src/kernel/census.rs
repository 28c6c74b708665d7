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
    /// (line, reason) of rows left out.
    pub skipped: Vec<(usize, String)>,
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
    if let Some(r) = c.query_one(
        "SELECT id FROM residents WHERE iin_hash = $1",
        params![&hash],
    )? {
        let id = r.str(0)?;
        c.exec(
            "UPDATE residents SET phone = $2, locality = $3 WHERE id = $1",
            params![&id, phone, locality],
        )?;
        return Ok((id, false));
    }
    let id = Uuid::now_v7().to_string();
    c.exec(
        "INSERT INTO residents (id, iin_hash, phone, locality, birth_date, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        params![
            &id,
            hash,
            phone,
            locality,
            dauys_proto::workdays::format_date(iin.birth_date),
            st.clock.now_ms()
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
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut rows = Vec::new();
    let mut report = ImportReport::default();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 1;
        match rec {
            Ok(r) if r.len() >= 3 => {
                if line == 1 && r.get(0).is_some_and(|f| f.eq_ignore_ascii_case("iin")) {
                    continue;
                }
                rows.push((line, r[0].to_string(), r[1].to_string(), r[2].to_string()));
            }
            Ok(_) => report
                .skipped
                .push((line, "expected iin,phone,locality".into())),
            Err(e) => report.skipped.push((line, e.to_string())),
        }
    }
    let parse_skipped = report.skipped.clone();
    db::write_tx(c, |c| -> AppResult<()> {
        // A retried transaction starts its tally afresh.
        report = ImportReport {
            skipped: parse_skipped.clone(),
            ..ImportReport::default()
        };
        for (line, iin, phone, loc) in &rows {
            c.control("SAVEPOINT row")?;
            match upsert_resident(st, c, iin, phone, loc) {
                Ok((_, true)) => report.added += 1,
                Ok((_, false)) => report.updated += 1,
                Err(AppError::Reject(r)) => {
                    c.control("ROLLBACK TO SAVEPOINT row")?;
                    report.skipped.push((*line, r.detail));
                }
                Err(e) => return Err(e),
            }
            c.control("RELEASE SAVEPOINT row")?;
        }
        Ok(())
    })?;
    report.skipped.sort();
    Ok(report)
}

/// Grants a role, optionally limited to a locality and what lies under it.
pub fn grant(
    st: &AppState,
    c: &mut dyn Conn,
    role: Role,
    iin: &str,
    locality: Option<&str>,
) -> AppResult<()> {
    let iin = Iin::parse(iin).map_err(|e| Reject::field("iin", e.to_string()))?;
    let hash = crypto::iin_hash(&st.secret, &iin.as_string());
    db::write_tx(c, |c| -> AppResult<()> {
        let user = c
            .query_one(
                "SELECT id FROM residents WHERE iin_hash = $1",
                params![&hash],
            )?
            .ok_or_else(|| Reject::field("iin", "not in the census"))?
            .str(0)?;
        if let Some(l) = locality {
            if c.query_one("SELECT 1 FROM localities WHERE code = $1", params![l])?
                .is_none()
            {
                return Err(Reject::field("locality", format!("unknown locality {l}")).into());
            }
        }
        c.exec(
            "INSERT INTO roles (user_id, role, locality) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            params![user, role.as_str(), locality.unwrap_or("")],
        )?;
        Ok(())
    })
}
