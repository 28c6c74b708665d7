//! Appeals' part of the demo story: appeals in every state (submitted,
//! registered, answered, redirected, extended), each step an op.

use serde_json::json;

use dauys_proto::OpKind;

use crate::auth::Actor;
use crate::db::Conn;
use crate::demo::{act, Cast, CITY_AKIMAT};
use crate::error::AppResult;
use crate::state::AppState;

/// Seeds the appeals.
pub fn seed(st: &AppState, c: &mut dyn Conn, cast: &Cast) -> AppResult<()> {
    let official = cast.official;
    let residents = &cast.residents;
    let today = st.clock.today();
    let fmt = dauys_proto::workdays::format_date;
    let day = |n: i64| fmt(today + time::Duration::days(n));

    // Appeals in every state.
    let register = |c: &mut dyn Conn, id: &str| {
        act(
            c,
            st,
            official,
            OpKind::AppealRegister,
            json!({"appeal_id": id}),
        )
    };
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
    register(c, &a2)?;
    let a3 = appeal(
        c,
        residents[2],
        "proposal",
        "pvl-roads",
        "Автобус маршруты №21",
        "Предлагаю продлить маршрут №21 до нового микрорайона Сарыарка.",
        true,
    )?;
    register(c, &a3)?;
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
    register(c, &a4)?;
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
    register(c, &a5)?;
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
