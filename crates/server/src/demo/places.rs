//! The demo's places: two regions, a city with villages, their akimats
//! and departments.

use dauys_proto::Localized;

use super::{CITY, CITY_AKIMAT, VILLAGE};
use crate::db::Conn;
use crate::error::AppResult;
use crate::params;

pub fn add_locality(
    c: &mut dyn Conn,
    code: &str,
    parent: Option<&str>,
    level: &str,
    name: Localized,
) -> AppResult<()> {
    c.exec(
        "INSERT INTO localities (code, parent, level, name_kk, name_ru, name_en) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO NOTHING",
        params![code, parent, level, name.kk, name.ru, name.en],
    )?;
    Ok(())
}

pub fn add_body(
    c: &mut dyn Conn,
    id: &str,
    locality: &str,
    kind: &str,
    sort: i64,
    name: Localized,
) -> AppResult<()> {
    c.exec(
        "INSERT INTO bodies (id, locality, kind, name_kk, name_ru, name_en, sort) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING",
        params![id, locality, kind, name.kk, name.ru, name.en, sort],
    )?;
    Ok(())
}

/// Sets a locality's centre (see [`dauys_proto::Locality::centre`]).
pub fn set_centre(c: &mut dyn Conn, code: &str, lat: f64, lon: f64) -> AppResult<()> {
    c.exec(
        "UPDATE localities SET lat = $2, lon = $3 WHERE code = $1",
        params![code, lat, lon],
    )?;
    Ok(())
}

/// Centres (approximate, for the demo) and routing help of the demo places.
fn seed_centres_and_routes(c: &mut dyn Conn) -> AppResult<()> {
    for (code, lat, lon) in [
        ("550000000", 52.2873, 76.9674),
        (CITY, 52.2873, 76.9674),
        ("553200000", 53.0167, 75.9833),
        ("553230000", 53.0167, 75.9833),
        (VILLAGE, 53.0167, 75.9833),
        ("553240100", 52.9489, 76.1372),
        ("190000000", 43.8669, 77.0667),
        ("194000000", 43.3031, 77.2401),
        ("194030000", 43.2133, 77.0856),
        ("194030100", 43.2133, 77.0856),
        ("194030200", 43.3167, 77.3333),
    ] {
        set_centre(c, code, lat, lon)?;
    }
    for (locality, topic, body) in [
        (CITY, "roads", "pvl-roads"),
        (CITY, "transport", "pvl-roads"),
        (CITY, "lighting", "pvl-housing"),
        (CITY, "water", "pvl-housing"),
        (CITY, "heating", "pvl-housing"),
        (CITY, "housing", "pvl-housing"),
        (CITY, "waste", "pvl-housing"),
        ("553200000", "roads", "aktogay-district-akimat"),
    ] {
        c.exec(
            "INSERT INTO locality_routes (locality, topic, body) VALUES ($1, $2, $3)
             ON CONFLICT (locality, topic) DO NOTHING",
            params![locality, topic, body],
        )?;
    }
    Ok(())
}

pub(super) fn seed_places(c: &mut dyn Conn) -> AppResult<()> {
    let l = Localized::new;
    add_locality(
        c,
        "550000000",
        None,
        "region",
        l("Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    )?;
    add_locality(
        c,
        CITY,
        Some("550000000"),
        "city",
        l("Павлодар қаласы", "город Павлодар", "Pavlodar city"),
    )?;
    add_locality(
        c,
        "553200000",
        Some("550000000"),
        "district",
        l("Ақтоғай ауданы", "Актогайский район", "Aktogay District"),
    )?;
    add_locality(
        c,
        "553230000",
        Some("553200000"),
        "rural_okrug",
        l(
            "Ақтоғай ауылдық округі",
            "Актогайский сельский округ",
            "Aktogay rural okrug",
        ),
    )?;
    add_locality(
        c,
        VILLAGE,
        Some("553230000"),
        "village",
        l("Ақтоғай ауылы", "село Актогай", "Aktogay village"),
    )?;
    add_locality(
        c,
        "553240100",
        Some("553230000"),
        "village",
        l("Жолболды ауылы", "село Жолболды", "Zholboldy village"),
    )?;
    add_locality(
        c,
        "190000000",
        None,
        "region",
        l("Алматы облысы", "Алматинская область", "Almaty Region"),
    )?;
    add_locality(
        c,
        "194000000",
        Some("190000000"),
        "district",
        l("Талғар ауданы", "Талгарский район", "Talgar District"),
    )?;
    add_locality(
        c,
        "194030000",
        Some("194000000"),
        "rural_okrug",
        l(
            "Бесқайнар ауылдық округі",
            "Бескайнарский сельский округ",
            "Beskainar rural okrug",
        ),
    )?;
    add_locality(
        c,
        "194030100",
        Some("194030000"),
        "village",
        l("Бесқайнар ауылы", "село Бескайнар", "Beskainar village"),
    )?;
    add_locality(
        c,
        "194030200",
        Some("194030000"),
        "village",
        l(
            "Тауқаратұрық ауылы",
            "село Таукаратурук",
            "Taukaraturyk village",
        ),
    )?;
    add_body(
        c,
        CITY_AKIMAT,
        CITY,
        "akimat",
        0,
        l(
            "Павлодар қаласының әкімдігі",
            "Акимат города Павлодара",
            "Akimat of Pavlodar city",
        ),
    )?;
    add_body(
        c,
        "pvl-housing",
        CITY,
        "department",
        1,
        l(
            "Тұрғын үй-коммуналдық шаруашылық бөлімі",
            "Отдел жилищно-коммунального хозяйства",
            "Housing and utilities department",
        ),
    )?;
    add_body(
        c,
        "pvl-roads",
        CITY,
        "department",
        2,
        l(
            "Жолаушылар көлігі және автомобиль жолдары бөлімі",
            "Отдел пассажирского транспорта и автодорог",
            "Transport and roads department",
        ),
    )?;
    add_body(
        c,
        "pvl-region-akimat",
        "550000000",
        "akimat",
        0,
        l(
            "Павлодар облысының әкімдігі",
            "Акимат Павлодарской области",
            "Akimat of Pavlodar Region",
        ),
    )?;
    add_body(
        c,
        "aktogay-district-akimat",
        "553200000",
        "akimat",
        0,
        l(
            "Ақтоғай ауданының әкімдігі",
            "Акимат Актогайского района",
            "Akimat of Aktogay District",
        ),
    )?;
    add_body(
        c,
        "aktogay-okrug-akimat",
        "553230000",
        "akimat",
        0,
        l(
            "Ақтоғай ауылдық округінің әкімі аппараты",
            "Аппарат акима Актогайского сельского округа",
            "Office of the akim of Aktogay rural okrug",
        ),
    )?;
    add_body(
        c,
        "beskainar-akimat",
        "194030000",
        "akimat",
        0,
        l(
            "Бесқайнар ауылдық округінің әкімі аппараты",
            "Аппарат акима Бескайнарского сельского округа",
            "Office of the akim of Beskainar rural okrug",
        ),
    )?;
    add_body(
        c,
        "almaty-region-akimat",
        "190000000",
        "akimat",
        0,
        l(
            "Алматы облысының әкімдігі",
            "Акимат Алматинской области",
            "Akimat of Almaty Region",
        ),
    )?;
    seed_centres_and_routes(c)
}
