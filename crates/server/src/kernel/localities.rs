//! Localities (the administrative tree) and their bodies (akimats,
//! departments): the places every component refers to.

use std::collections::{BTreeMap, HashMap};

use dauys_proto::{Body, BodyKind, GeoPoint, Locality, LocalityLevel, Localized};

use crate::db::{Conn, DbResult, FromRow, Row};
use crate::error::AppResult;
use crate::params;
use crate::read::{enum_of, rows};

struct BodyRow {
    id: String,
    locality: String,
    kind: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
}

impl FromRow for BodyRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(BodyRow {
            id: r.get("id")?,
            locality: r.get("locality")?,
            kind: r.get("kind")?,
            name_kk: r.get("name_kk")?,
            name_ru: r.get("name_ru")?,
            name_en: r.get("name_en")?,
        })
    }
}

struct LocalityRow {
    code: String,
    parent: Option<String>,
    level: String,
    name_kk: String,
    name_ru: String,
    name_en: String,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl FromRow for LocalityRow {
    fn from_row(r: &Row) -> DbResult<Self> {
        Ok(LocalityRow {
            code: r.get("code")?,
            parent: r.get("parent")?,
            level: r.get("level")?,
            name_kk: r.get("name_kk")?,
            name_ru: r.get("name_ru")?,
            name_en: r.get("name_en")?,
            lat: r.get("lat")?,
            lon: r.get("lon")?,
        })
    }
}

/// Every locality with its bodies and routing help (three queries).
pub fn localities(c: &mut dyn Conn) -> AppResult<Vec<Locality>> {
    let mut bodies: HashMap<String, Vec<Body>> = HashMap::new();
    let body_rows: Vec<BodyRow> = rows(
        c,
        "SELECT id, locality, kind, name_kk, name_ru, name_en FROM bodies ORDER BY sort, id",
        params![],
    )?;
    for b in body_rows {
        bodies.entry(b.locality.clone()).or_default().push(Body {
            kind: enum_of::<BodyKind>(&b.kind)?,
            name: Localized::new(&b.name_kk, &b.name_ru, &b.name_en),
            id: b.id,
            locality: b.locality,
        });
    }
    let mut routes: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    for r in c.query(
        "SELECT locality, topic, body FROM locality_routes",
        params![],
    )? {
        routes
            .entry(r.get("locality")?)
            .or_default()
            .insert(r.get("topic")?, r.get("body")?);
    }
    let loc_rows: Vec<LocalityRow> = rows(
        c,
        "SELECT code, parent, level, name_kk, name_ru, name_en, lat, lon FROM localities ORDER BY code",
        params![],
    )?;
    loc_rows
        .into_iter()
        .map(|l| {
            Ok(Locality {
                bodies: bodies.remove(&l.code).unwrap_or_default(),
                level: enum_of::<LocalityLevel>(&l.level)?,
                name: Localized::new(&l.name_kk, &l.name_ru, &l.name_en),
                centre: l.lat.zip(l.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
                routes: routes.remove(&l.code).unwrap_or_default(),
                code: l.code,
                parent: l.parent,
            })
        })
        .collect()
}

pub fn locality(c: &mut dyn Conn, code: &str) -> AppResult<Option<Locality>> {
    Ok(localities(c)?.into_iter().find(|l| l.code == code))
}
