//! Counting a cycle's ballots with the tally crate's rules, and building
//! the cycle's election for publication (pabulib `.pb`, CSV).

use std::str::FromStr;

use dauys_tally::{Election, Rule, VoteType};

use crate::db::Conn;
use crate::error::{AppError, AppResult};
use crate::params;

/// Rules an akimat may choose for a cycle (approval ballots).
const ALLOWED: &[&str] = &[
    "greedy",
    "greedy-threshold",
    "equalshares",
    "equalshares/add1",
    "equalshares/add1-comparison",
];

/// The canonical name of a supported rule.
pub fn normalize_rule(rule: &str) -> Option<String> {
    let r = match rule.trim() {
        "" => "greedy",
        r => r,
    };
    let parsed = Rule::from_str(r).ok()?;
    let name = parsed.to_string();
    ALLOWED.contains(&name.as_str()).then_some(name)
}

/// The cycle as an approval election: projects on the ballot in ballot
/// order (by submission), one voter per counted ballot.
pub fn election(
    c: &mut dyn Conn,
    cycle_id: &str,
    statuses: &[&str],
) -> AppResult<(Election, Rule)> {
    let cy = c
        .query_one(
            "SELECT c.budget, c.rule, c.max_projects, c.min_votes, c.title_en, l.name_en AS unit, c.title_ru, c.schedule, c.updated_at
             FROM cycles c JOIN localities l ON l.code = c.locality WHERE c.id = $1",
            params![cycle_id],
        )?
        .ok_or_else(|| crate::kernel::ops::not_found("cycle"))?;
    let rule = Rule::from_str(&cy.get::<String>("rule")?)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let budget = u64::try_from(cy.get::<i64>("budget")?).unwrap_or(0);
    let mut e = Election::new(budget, VoteType::Approval);
    for (k, v) in [
        (
            "description",
            format!(
                "Dauys participatory budget: {}",
                cy.get::<String>("title_en")?
            ),
        ),
        ("country", "Kazakhstan".into()),
        ("unit", cy.get("unit")?),
        ("instance", cy.get("title_ru")?),
        ("currency", "KZT".into()),
        ("rule", rule.to_string()),
    ] {
        e.set_meta(k, &v);
    }
    // pabulib dates are DD.MM.YYYY: voting's planned start, and the last change.
    let schedule: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&cy.get::<String>("schedule")?).unwrap_or_default();
    let dotted = |d: time::Date| format!("{:02}.{:02}.{:04}", d.day(), d.month() as u8, d.year());
    let end = crate::clock::date_of(cy.get("updated_at")?);
    let begin = schedule
        .get("voting")
        .and_then(|d| dauys_proto::workdays::parse_date(d))
        .filter(|d| *d <= end)
        .unwrap_or(end);
    e.set_meta("date_begin", &dotted(begin));
    e.set_meta("date_end", &dotted(end));
    if let Some(m) = cy.get::<Option<i64>>("max_projects")? {
        e.set_meta("max_length", &m.to_string());
    }
    if let Some(m) = cy.get::<Option<i64>>("min_votes")? {
        e.set_meta("min_project_score_threshold", &m.to_string());
    }
    // Through the store (no second copy of the proposal SQL) and the shared
    // effective cost (the expert's estimate once reviewed): what the ballot
    // rule summed is what the count spends. Counted statuses are all public.
    let bad = |e: dauys_tally::BuildError| AppError::Internal(e.to_string());
    for p in super::store::proposals_of(c, cycle_id, None)? {
        if !statuses.contains(&p.status.as_str()) {
            continue;
        }
        let i = e
            .add_project(&p.id, u64::try_from(p.effective_cost()).unwrap_or(0))
            .map_err(bad)?;
        e.set_project_field(i, "name", &p.title).map_err(bad)?;
        e.set_project_field(i, "category", &p.category)
            .map_err(bad)?;
    }
    let ids: std::collections::HashSet<String> = e.projects.iter().map(|p| p.id.clone()).collect();
    for (n, r) in c
        .query(
            "SELECT proposal_ids FROM ballots WHERE cycle_id = $1 ORDER BY receipt",
            params![cycle_id],
        )?
        .into_iter()
        .enumerate()
    {
        let chosen: Vec<String> = serde_json::from_str(&r.get::<String>("proposal_ids")?)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let chosen: Vec<&str> = chosen
            .iter()
            .map(String::as_str)
            .filter(|id| ids.contains(*id))
            .collect();
        e.add_voter(&format!("b{n}"), &chosen).map_err(bad)?;
    }
    Ok((e, rule))
}

pub struct Outcome {
    pub rule: String,
    pub selected: Vec<String>,
    pub cost: i64,
}

/// Counts the cycle's on-ballot projects with its rule.
pub fn count(c: &mut dyn Conn, cycle_id: &str) -> AppResult<Outcome> {
    let (e, rule) = election(c, cycle_id, &["on_ballot"])?;
    let out = dauys_tally::tally(&e, rule).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut selected = out.selected.clone();
    selected.sort();
    Ok(Outcome {
        rule: out.rule,
        selected,
        cost: i64::try_from(out.cost).unwrap_or(i64::MAX),
    })
}
