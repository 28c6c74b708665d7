//! A realistic sample for demos and tests: two regions, a city with
//! villages, a census of residents, three PB cycles and appeals in every
//! state. Seeded only into an empty database.

use dauys_proto::iin::{self, Sex};
use dauys_proto::{Localized, Op, OpKind, OpOutcome, Role};
use serde_json::json;

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

/// A resident of the demo census.
#[derive(Debug, Clone)]
pub struct Person {
    pub iin: String,
    pub phone: String,
    pub locality: &'static str,
    pub role: Option<(Role, Option<&'static str>)>,
    pub label: &'static str,
}

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
    let spec: [Spec; 20] = [
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
                label,
            })
        })
        .collect()
}

fn seed_places(c: &mut dyn Conn) -> AppResult<()> {
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
    Ok(())
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
    match crate::push::apply_and_record(c, &mut ctx, &op, component, &body)? {
        OpOutcome::Accepted { entity_id, .. } => Ok(entity_id),
        OpOutcome::Rejected { code, detail, .. } => {
            Err(crate::error::Reject::new(code, format!("demo {}: {detail}", op.kind)).into())
        }
    }
}

type P = (&'static str, &'static str, &'static str, i64);

const VOTING_PROPOSALS: [P; 15] = [
    (
        "Балалар ойын алаңы — Сәтпаев к-сі, 120",
        "Современная детская площадка с мягким покрытием и тенью во дворе домов 118–124.",
        "children",
        8_500_000,
    ),
    (
        "Street lights on Toraighyrov street",
        "Replace 40 broken lamps with LED lights between the bus stop and school No. 7.",
        "safety",
        6_200_000,
    ),
    (
        "Скейт-парк на набережной",
        "Бетонный скейт-парк для подростков у набережной Иртыша, с освещением до 23:00.",
        "sport",
        14_000_000,
    ),
    (
        "Аулаға орындықтар мен қоқыс жәшіктері",
        "Орнатуға 30 орындық және 20 бөлек жинау қоқыс жәшігі, Кутузов көшесі.",
        "ecology",
        2_400_000,
    ),
    (
        "Пандусы у поликлиники №3",
        "Пандусы и поручни у входов поликлиники и аптеки для людей на колясках и пожилых.",
        "accessibility",
        3_100_000,
    ),
    (
        "Велосипед жолы — Лермонтов к-сі",
        "2,5 км велодорожки с разметкой от центра до парка.",
        "transport",
        12_500_000,
    ),
    (
        "Tree planting along Lomov street",
        "Plant 300 elms and maples with drip irrigation for the first two summers.",
        "ecology",
        4_800_000,
    ),
    (
        "Открытая библиотека в парке",
        "Уличные книжные шкафы и читальная зона с Wi‑Fi в Центральном парке.",
        "culture",
        1_900_000,
    ),
    (
        "Workout-алаңы Усолка ықшамауданында",
        "Турники, брусья и тренажёры для взрослых под открытым небом.",
        "sport",
        3_600_000,
    ),
    (
        "Светофор у школы-лицея №8",
        "Пешеходный светофор с кнопкой вызова и искусственной неровностью.",
        "safety",
        5_300_000,
    ),
    (
        "Иттерді серуендету алаңы",
        "Огороженная площадка для выгула собак с пакетами для уборки.",
        "ecology",
        2_200_000,
    ),
    (
        "Ремонт тротуара на ул. Кривенко",
        "Замена разбитого асфальта на плитку, 1,2 км, с понижением бордюров.",
        "transport",
        9_700_000,
    ),
    (
        "Community garden in Zatonsk",
        "Raised beds, a tool shed and a water tank for residents of the Zatonsk estate.",
        "ecology",
        2_900_000,
    ),
    (
        "Мектеп стадионының жабыны",
        "Резиновое покрытие беговых дорожек стадиона школы №24, открытого для жителей.",
        "sport",
        11_000_000,
    ),
    (
        "Остановка с подогревом «Достык»",
        "Закрытая автобусная остановка с обогревом и табло прибытия автобусов.",
        "transport",
        7_400_000,
    ),
];

/// Seeds the demo when the database has no localities; returns whether it did.
pub fn seed_if_empty(st: &AppState, c: &mut dyn Conn) -> AppResult<bool> {
    if c.query_one("SELECT 1 FROM localities", params![])?
        .is_some()
    {
        return Ok(false);
    }
    db::write_tx(c, |c| -> AppResult<()> {
        seed_places(c)?;
        let people = people();
        let mut actors = Vec::new();
        for p in &people {
            let (id, _) = census::upsert_resident(st, c, &p.iin, &p.phone, p.locality)?;
            if let Some((role, loc)) = p.role {
                c.exec(
                    "INSERT INTO roles (user_id, role, locality) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    params![&id, role.as_str(), loc.unwrap_or("")],
                )?;
            }
            actors.push(load_actor_by_user(st, c, &id, "demo")?);
        }
        seed_activity(st, c, &actors)
    })?;
    Ok(true)
}

fn seed_activity(st: &AppState, c: &mut dyn Conn, a: &[Actor]) -> AppResult<()> {
    let official = &a[13];
    let moderator = &a[14];
    let expert = &a[15];
    let residents: Vec<&Actor> = [0, 1, 2, 3, 4, 5, 6, 19].iter().map(|i| &a[*i]).collect();
    let title = |kk: &str, ru: &str, en: &str| json!({"kk": kk, "ru": ru, "en": en});
    let today = st.clock.today();
    let fmt = dauys_proto::workdays::format_date;
    let day = |n: i64| fmt(today + time::Duration::days(n));

    // Finished cycle: voted last year, now being built.
    let done = act(
        c,
        st,
        official,
        OpKind::CycleCreate,
        json!({
            "locality": CITY, "budget": 30_000_000, "max_projects": 3, "rule": "greedy",
            "title": title("Халық бюджеті 2025", "Народный бюджет 2025", "People's budget 2025"),
            "schedule": {"collecting": day(-300), "voting": day(-200), "implementation": day(-150)}
        }),
    )?;
    let mut done_ids = Vec::new();
    for (i, (t, d, cat, cost)) in VOTING_PROPOSALS.iter().skip(10).enumerate() {
        let id = act(
            c,
            st,
            residents[i % residents.len()],
            OpKind::ProposalSubmit,
            json!({
                "cycle_id": done, "title": format!("{t} (2025)"), "description": d, "category": cat, "cost": cost
            }),
        )?;
        done_ids.push(id);
    }
    for (i, id) in done_ids.iter().enumerate() {
        act(
            c,
            st,
            moderator,
            OpKind::ProposalModerate,
            json!({"proposal_id": id, "decision": "accept"}),
        )?;
        act(
            c,
            st,
            expert,
            OpKind::ProposalReview,
            json!({"proposal_id": id, "feasible": true,
            "cost_estimate": 6_000_000 + 1_500_000 * i as i64, "note": "Смета проверена"}),
        )?;
    }
    act(
        c,
        st,
        official,
        OpKind::CyclePhase,
        json!({"cycle_id": done, "phase": "voting"}),
    )?;
    for (i, r) in residents.iter().enumerate() {
        let pick: Vec<&String> = done_ids.iter().skip(i % 3).take(2).collect();
        act(
            c,
            st,
            r,
            OpKind::BallotCast,
            json!({"cycle_id": done, "proposal_ids": pick}),
        )?;
    }
    act(
        c,
        st,
        official,
        OpKind::CyclePhase,
        json!({"cycle_id": done, "phase": "implementation"}),
    )?;
    let selected: Vec<String> = c
        .query(
            "SELECT id FROM proposals WHERE cycle_id = $1 AND status = 'selected' ORDER BY id",
            params![&done],
        )?
        .iter()
        .map(|r| r.str(0))
        .collect::<Result<_, _>>()?;
    for (i, id) in selected.iter().enumerate() {
        let progress = [100, 60, 25][i % 3];
        act(
            c,
            st,
            official,
            OpKind::ProposalProgress,
            json!({"proposal_id": id, "progress": progress,
            "note": if progress == 100 { "Объект сдан" } else { "Работы идут по графику" }}),
        )?;
    }

    // Cycle in voting.
    let voting = act(
        c,
        st,
        official,
        OpKind::CycleCreate,
        json!({
            "locality": CITY, "budget": 50_000_000, "max_projects": 5, "rule": "greedy",
            "title": title("Халық бюджеті 2026", "Народный бюджет 2026", "People's budget 2026"),
            "schedule": {"collecting": day(-60), "moderation": day(-40), "expert_review": day(-30), "voting": day(-5), "tallying": day(14)}
        }),
    )?;
    let mut ids = Vec::new();
    for (i, (t, d, cat, cost)) in VOTING_PROPOSALS.iter().enumerate() {
        let id = act(
            c,
            st,
            residents[i % residents.len()],
            OpKind::ProposalSubmit,
            json!({
                "cycle_id": voting, "title": t, "description": d, "category": cat, "cost": cost,
                "location": {"lat": 52.28 + (i as f64) * 0.003, "lon": 76.95 + (i as f64) * 0.002}
            }),
        )?;
        ids.push(id);
    }
    let rejected = act(
        c,
        st,
        residents[1],
        OpKind::ProposalSubmit,
        json!({
            "cycle_id": voting, "title": "Новый стадион на 20 000 мест", "description": "Большой стадион в центре.",
            "category": "sport", "cost": 900_000_000
        }),
    )?;
    act(
        c,
        st,
        moderator,
        OpKind::ProposalModerate,
        json!({"proposal_id": rejected, "decision": "reject",
        "reason": "Стоимость в 18 раз больше бюджета цикла; предложите часть проекта."}),
    )?;
    for (id, (_, _, _, cost)) in ids.iter().zip(VOTING_PROPOSALS.iter()) {
        act(
            c,
            st,
            moderator,
            OpKind::ProposalModerate,
            json!({"proposal_id": id, "decision": "accept"}),
        )?;
        act(
            c,
            st,
            expert,
            OpKind::ProposalReview,
            json!({"proposal_id": id, "feasible": true,
            "cost_estimate": cost + cost / 10, "note": "Смета проверена отделом строительства"}),
        )?;
    }
    act(
        c,
        st,
        official,
        OpKind::CyclePhase,
        json!({"cycle_id": voting, "phase": "voting"}),
    )?;
    for (i, r) in residents.iter().take(4).enumerate() {
        act(
            c,
            st,
            r,
            OpKind::BallotCast,
            json!({"cycle_id": voting, "proposal_ids": [&ids[i], &ids[i + 3]]}),
        )?;
    }

    // Cycle collecting proposals.
    let collecting = act(
        c,
        st,
        official,
        OpKind::CycleCreate,
        json!({
            "locality": CITY, "budget": 40_000_000, "max_projects": null, "rule": "greedy",
            "title": title("Туған қала 2027", "Туган кала 2027", "Tugan qala 2027"),
            "schedule": {"collecting": day(-3), "moderation": day(30), "voting": day(75)}
        }),
    )?;
    act(
        c,
        st,
        residents[2],
        OpKind::ProposalSubmit,
        json!({"cycle_id": collecting, "title": "Қысқы мұз айдыны",
        "description": "Бесплатный каток во дворе школы №12 на зиму.", "category": "sport", "cost": 2_000_000}),
    )?;

    // Appeals in every state.
    let appeal = |c: &mut dyn Conn,
                  r: &Actor,
                  ty: &str,
                  to: &str,
                  subject: &str,
                  body: &str,
                  public: bool| {
        act(
            c,
            st,
            r,
            OpKind::AppealSubmit,
            json!({"type": ty, "addressee": to, "subject": subject, "body": body, "public": public}),
        )
    };
    appeal(
        c,
        residents[0],
        "complaint",
        "pvl-housing",
        "Нет горячей воды третью неделю",
        "В доме по ул. Естая, 81 с 1 числа нет горячей воды. КСК не отвечает.",
        true,
    )?;
    let a2 = appeal(
        c,
        residents[1],
        "request",
        CITY_AKIMAT,
        "Қоқыс шығару кестесі",
        "Прошу сообщить график вывоза мусора в микрорайоне Усолка.",
        true,
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealRegister,
        json!({"appeal_id": a2}),
    )?;
    let a3 = appeal(
        c,
        residents[2],
        "proposal",
        "pvl-roads",
        "Автобус маршруты №21",
        "Предлагаю продлить маршрут №21 до нового микрорайона Сарыарка.",
        true,
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealRegister,
        json!({"appeal_id": a3}),
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealAnswer,
        json!({"appeal_id": a3,
        "answer": "Маршрут №21 будет продлён с 1 марта; новые остановки: Сарыарка-1 и Сарыарка-2."}),
    )?;
    let a4 = appeal(
        c,
        residents[3],
        "complaint",
        CITY_AKIMAT,
        "Яма на перекрёстке",
        "Глубокая яма на пересечении ул. Ломова и Торайгырова, повреждены колёса.",
        true,
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealRegister,
        json!({"appeal_id": a4}),
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealRedirect,
        json!({"appeal_id": a4, "to": "pvl-roads",
        "reason": "Ремонт дорог — компетенция отдела автодорог"}),
    )?;
    let a5 = appeal(
        c,
        residents[4],
        "statement",
        "pvl-housing",
        "Перерасчёт за отопление",
        "Прошу сделать перерасчёт: отопление не работало 10 дней в ноябре.",
        false,
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealRegister,
        json!({"appeal_id": a5}),
    )?;
    act(
        c,
        st,
        official,
        OpKind::AppealExtend,
        json!({"appeal_id": a5, "until": day(35),
        "reason": "Запрошены данные у теплоснабжающей организации"}),
    )?;
    Ok(())
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
