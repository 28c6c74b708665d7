//! A realistic sample for demos and tests: two regions, a city with
//! villages, a census of residents, three PB cycles and appeals in every
//! state. Seeded only into an empty database.

mod cast;
mod places;

pub use cast::Cast;

pub use places::{add_body, add_locality};

use dauys_proto::iin::{self, Sex};
use dauys_proto::{Op, OpKind, OpOutcome, Role};

use crate::auth::{load_actor_by_user, Actor};
use crate::census;
use crate::db::{self, Conn};
use crate::error::{AppError, AppResult};
use crate::kernel::ops::Ctx;
use crate::params;
use crate::state::AppState;

/// The city whose cycle is in voting.
pub const CITY: &str = "551010000";
pub const CITY_AKIMAT: &str = "pvl-akimat";
pub const VILLAGE: &str = "553230100";

/// A resident of the demo census.
#[derive(Debug, Clone)]
pub struct Person {
    pub iin: String,
    pub phone: String,
    pub locality: &'static str,
    pub role: Option<(Role, Option<&'static str>)>,
    /// A department's official: the body whose appeals they answer.
    pub body: Option<&'static str>,
    pub label: &'static str,
}

/// Demo staff who serve one department (by their label): the city
/// official redirects street lighting to housing, whose official answers.
const DEPARTMENTS: &[(&str, &str)] = &[("official, housing department", "pvl-housing")];

fn date(y: i32, m: u8, d: u8) -> time::Date {
    time::Date::from_calendar_date(
        y,
        time::Month::try_from(m).unwrap_or(time::Month::January),
        d,
    )
    .unwrap_or(time::Date::MIN)
}

/// The demo census: deterministic valid IINs.
pub fn people() -> Vec<Person> {
    type Spec<'a> = (
        i32,
        u8,
        u8,
        Sex,
        &'a str,
        Option<(Role, Option<&'a str>)>,
        &'a str,
    );
    let spec: [Spec; 21] = [
        (1985, 3, 14, Sex::Female, CITY, None, "resident"),
        (1990, 7, 2, Sex::Male, CITY, None, "resident"),
        (1978, 11, 23, Sex::Female, CITY, None, "resident"),
        (2001, 1, 9, Sex::Male, CITY, None, "resident"),
        (1995, 5, 30, Sex::Female, CITY, None, "resident"),
        (1969, 9, 12, Sex::Male, CITY, None, "resident"),
        (1999, 12, 1, Sex::Female, CITY, None, "resident"),
        (2012, 4, 4, Sex::Male, CITY, None, "resident, under 16"),
        (
            1982,
            6,
            18,
            Sex::Female,
            VILLAGE,
            None,
            "resident (village)",
        ),
        (1975, 2, 27, Sex::Male, VILLAGE, None, "resident (village)"),
        (
            1993,
            8,
            8,
            Sex::Female,
            "553240100",
            None,
            "resident (village)",
        ),
        (
            1988,
            10,
            10,
            Sex::Male,
            "194030100",
            None,
            "resident (other region)",
        ),
        (
            1991,
            3,
            3,
            Sex::Female,
            "194030100",
            None,
            "resident (other region)",
        ),
        (
            1980,
            1,
            20,
            Sex::Male,
            CITY,
            Some((Role::Official, Some(CITY))),
            "official, Pavlodar",
        ),
        (
            1986,
            2,
            11,
            Sex::Female,
            CITY,
            Some((Role::Moderator, Some(CITY))),
            "moderator, Pavlodar",
        ),
        (
            1972,
            7,
            7,
            Sex::Male,
            CITY,
            Some((Role::Expert, Some(CITY))),
            "expert, Pavlodar",
        ),
        (
            1979,
            5,
            5,
            Sex::Female,
            VILLAGE,
            Some((Role::Official, Some("553200000"))),
            "official, Aktogay district",
        ),
        (
            1984,
            4,
            24,
            Sex::Male,
            "194030100",
            Some((Role::Official, Some("190000000"))),
            "official, Almaty region",
        ),
        (
            1970,
            12,
            12,
            Sex::Female,
            CITY,
            Some((Role::Admin, None)),
            "administrator",
        ),
        (2000, 9, 9, Sex::Male, CITY, None, "resident"),
        (
            1983,
            8,
            15,
            Sex::Female,
            CITY,
            Some((Role::Official, Some(CITY))),
            "official, housing department",
        ),
    ];
    spec.iter()
        .enumerate()
        .filter_map(|(i, (y, m, d, sex, loc, role, label))| {
            let serial = (i as u16) * 37 + 101;
            let iin = (0..20).find_map(|k| iin::make(date(*y, *m, *d), *sex, serial + k))?;
            Some(Person {
                iin,
                phone: format!("+7701{:07}", 1000 + i),
                locality: loc,
                role: *role,
                body: DEPARTMENTS
                    .iter()
                    .find(|(l, _)| l == label)
                    .map(|(_, b)| *b),
                label,
            })
        })
        .collect()
}

/// Applies an op as `actor` through the same path as a pushed op (its
/// component, the op log), failing loudly if it is rejected.
pub fn act(
    c: &mut dyn Conn,
    st: &AppState,
    actor: &Actor,
    kind: OpKind,
    payload: serde_json::Value,
) -> AppResult<String> {
    let op = Op {
        id: uuid::Uuid::now_v7(),
        kind: kind.as_str().into(),
        payload,
        client_ts: st.clock.now_ms(),
        signature: None,
    };
    let component = st
        .components
        .for_kind(&op.kind)
        .ok_or_else(|| AppError::Internal(format!("no component for {}", op.kind)))?;
    let body = component.parse(&op.kind, &op.payload);
    let mut ctx = Ctx::new(st, actor);
    let outcome = crate::push::apply_and_record(c, &mut ctx, &op, component, &body)?;
    // The seed runs in one transaction: votes it closes are counted in it.
    for cycle in &ctx.to_count {
        crate::components::budgets::cycles::compute_results(c, cycle, ctx.now)?;
    }
    match outcome {
        OpOutcome::Accepted { entity_id, .. } => Ok(entity_id),
        OpOutcome::Rejected { code, detail, .. } => {
            Err(crate::error::Reject::new(code, format!("demo {}: {detail}", op.kind)).into())
        }
    }
}

/// Seeds the demo when the database has no localities; returns whether it did.
pub fn seed_if_empty(st: &AppState, c: &mut dyn Conn) -> AppResult<bool> {
    if c.query_one("SELECT 1 FROM localities", params![])?
        .is_some()
    {
        return Ok(false);
    }
    db::write_tx(c, |c| -> AppResult<()> {
        places::seed_places(c)?;
        let people = people();
        let mut actors = Vec::new();
        for p in &people {
            let (id, _) = census::upsert_resident(st, c, &p.iin, &p.phone, p.locality)?;
            if let Some((role, loc)) = p.role {
                let place = census::GrantPlace::new(loc, p.body).resolve(c, role)?;
                census::grant_in(st, c, role, &p.iin, &place, &format!("Demo {}", p.label))?;
            }
            actors.push(load_actor_by_user(st, c, &id, "demo")?);
        }
        // Each component seeds its part of the story through the op path.
        let cast = Cast::of(&people, &actors)?;
        if cast.residents.len() < 5 {
            return Err(AppError::Internal(
                "demo census has too few residents".into(),
            ));
        }
        crate::components::admin::demo::seed(st, c, &cast)?;
        crate::components::budgets::demo::seed(st, c, &cast)?;
        crate::components::appeals::demo::seed(st, c, &cast)
    })?;
    Ok(true)
}

/// Prints the census as a table (the demo's sign-in cheat sheet).
pub fn print_people() {
    println!("{:<14} {:<14} {:<11} ROLE", "IIN", "PHONE", "LOCALITY");
    for p in people() {
        println!(
            "{:<14} {:<14} {:<11} {}",
            p.iin, p.phone, p.locality, p.label
        );
    }
}
