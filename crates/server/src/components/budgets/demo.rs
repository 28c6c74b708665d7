//! Budgets' part of the demo story: three PB cycles — built (voted last
//! year, being implemented), in voting, collecting proposals — each step
//! an op through the op path, as if pushed.

use serde_json::json;

use dauys_proto::{OpKind, ProposalStatus};

use crate::db::Conn;
use crate::demo::{act, Cast, CITY};
use crate::error::AppResult;
use crate::state::AppState;

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

/// The moderator accepts proposal `id` and the expert finds it feasible at
/// `estimate` ₸.
fn accept_as_feasible(
    c: &mut dyn Conn,
    st: &AppState,
    cast: &Cast,
    id: &str,
    estimate: i64,
    note: &str,
) -> AppResult<()> {
    act(
        c,
        st,
        cast.moderator,
        OpKind::ProposalModerate,
        json!({"proposal_id": id, "decision": "accept"}),
    )?;
    act(
        c,
        st,
        cast.expert,
        OpKind::ProposalReview,
        json!({"proposal_id": id, "feasible": true, "cost_estimate": estimate, "note": note}),
    )?;
    Ok(())
}

/// Seeds the three cycles.
pub fn seed(st: &AppState, c: &mut dyn Conn, cast: &Cast) -> AppResult<()> {
    let official = cast.official;
    let moderator = cast.moderator;
    let residents = &cast.residents;
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
        let estimate = 6_000_000 + 1_500_000 * i as i64;
        accept_as_feasible(c, st, cast, id, estimate, "Смета проверена")?;
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
    let mut selected: Vec<String> = super::store::proposals_of(c, &done, None)?
        .into_iter()
        .filter(|p| p.status == ProposalStatus::Selected)
        .map(|p| p.id)
        .collect();
    selected.sort();
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
        let note = "Смета проверена отделом строительства";
        accept_as_feasible(c, st, cast, id, cost + cost / 10, note)?;
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
    Ok(())
}
