//! The appeals queue searched for words in many, some or few appeals: the
//! three ways a search is answered (through the index, or by reading the
//! queue in order and keeping matches) give the same pages as a plain
//! filter would — on SQLite and PostgreSQL.

mod common;

use common::Server;
use dauys_server::console::store::{self, AppealFilter, Scope};
use dauys_server::db::{self, Value};

const APPEALS: usize = 6_000;

/// Every appeal says "common"; one in ten "middling"; one in a hundred
/// "scarce". Due dates repeat so ties are broken by the later keys.
fn seed(c: &mut dyn db::Conn) {
    let now = dauys_server::clock::now_ms();
    db::write_tx(c, |c| -> dauys_server::error::AppResult<()> {
        for chunk in (0..APPEALS).collect::<Vec<_>>().chunks(500) {
            let mut sql = String::from(
                "INSERT INTO appeals (id, user_id, appeal_type, addressee, locality, subject, body,
                   public, media, status, submitted_at, due_date, history, signature, updated_at)",
            );
            let mut params = Vec::new();
            for (n, i) in chunk.iter().enumerate() {
                let b = n * 11;
                sql.push_str(if n == 0 { " VALUES " } else { ", " });
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, 1, '[]', ${}, ${}, ${}, '[]', '', ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11
                ));
                let mut words = vec!["common"];
                if i % 10 == 0 {
                    words.push("middling");
                }
                if i % 100 == 0 {
                    words.push("scarce");
                }
                let registered = i % 4 != 0;
                params.extend([
                    Value::from(format!("qs-{i:05}")),
                    Value::from("qs-user"),
                    Value::from("complaint"),
                    Value::from("pvl-akimat"),
                    Value::from(dauys_server::demo::CITY),
                    Value::from(format!("Queue search {i}")),
                    Value::from(words.join(" ")),
                    Value::from(if registered {
                        "registered"
                    } else {
                        "submitted"
                    }),
                    Value::from(now - *i as i64),
                    if registered {
                        Value::from(format!("2026-12-{:02}", 1 + i % 28))
                    } else {
                        Value::Null
                    },
                    Value::from(now),
                ]);
            }
            c.exec(&sql, &params)?;
        }
        Ok(())
    })
    .expect("seed");
}

async fn same_pages_every_way(srv: Server) {
    let st = srv.st.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = st.pool.get().expect("conn");
        seed(&mut *c);
        let today = time::Date::from_calendar_date(2026, time::Month::December, 4).expect("date");
        let page = |c: &mut dyn db::Conn, text: &str, offset: i64| -> Vec<String> {
            let f = AppealFilter {
                open_only: true,
                text: text.into(),
                ..AppealFilter::default()
            };
            store::appeals_queue(c, &Scope::All, &f, today, offset, 50)
                .expect("queue")
                .into_iter()
                .map(|r| r.id)
                .filter(|id| id.starts_with("qs-"))
                .collect()
        };
        // What each search must give: the whole queue in order, filtered here.
        let all = {
            let f = AppealFilter {
                open_only: true,
                ..AppealFilter::default()
            };
            store::appeals_queue(&mut *c, &Scope::All, &f, today, 0, 100_000).expect("queue")
        };
        let ours: Vec<&str> = all
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| id.starts_with("qs-"))
            .collect();
        assert_eq!(ours.len(), APPEALS);
        let n = |id: &str| id[3..].parse::<usize>().unwrap_or(usize::MAX);
        for (word, every) in [("common", 1), ("middling", 10), ("scarce", 100)] {
            let want: Vec<String> = ours
                .iter()
                .filter(|id| n(id) % every == 0)
                .map(|id| id.to_string())
                .collect();
            for offset in [0usize, 50, 550, 5_950] {
                let got = page(&mut *c, word, offset as i64);
                let expected: Vec<String> = want.iter().skip(offset).take(50).cloned().collect();
                // Demo appeals never say these words: the pages are ours alone.
                assert_eq!(got, expected, "{word} from {offset}");
            }
        }
        // A prefix and two words, as typed.
        let got = page(&mut *c, "Midd SCAR", 0);
        let want: Vec<String> = ours
            .iter()
            .filter(|id| n(id) % 100 == 0)
            .take(50)
            .map(|id| id.to_string())
            .collect();
        assert_eq!(got, want);
    })
    .await
    .expect("join");
}
both_backends!(queue_search, same_pages_every_way);
