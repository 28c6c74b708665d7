//! Small shared pieces: loading and error states, badges, due dates.

use dauys_proto::{GeoPoint, HistoryEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use crate::api;
use crate::dto::{CmdError, Delivery};
use crate::i18n::{self, t, ta};

/// An error for the user, in their language; the English detail stays in
/// a tooltip-free `<details>` for support staff.
#[component]
pub fn ErrorBox(err: CmdError) -> impl IntoView {
    let msg = if i18n::has(&err.key) {
        t(&err.key)
    } else {
        t("error-internal")
    };
    view! {
        <div class="error" role="alert">
            <p>{msg}</p>
            <details><summary>{t("error-details")}</summary><p class="mono">{err.detail.clone()}</p></details>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{t("loading")}</p> }
}

pub fn delivery_text(d: Delivery) -> String {
    t(match d {
        Delivery::Queued => "delivery-queued",
        Delivery::Sending => "delivery-sending",
        Delivery::Delivered => "delivery-delivered",
        Delivery::Rejected => "delivery-rejected",
    })
}

#[component]
pub fn DeliveryBadge(d: Delivery) -> impl IntoView {
    let class = match d {
        Delivery::Queued => "badge queued",
        Delivery::Sending => "badge sending",
        Delivery::Delivered => "badge ok",
        Delivery::Rejected => "badge bad",
    };
    view! { <span class=class data-testid="delivery" data-state=format!("{d:?}").to_ascii_lowercase()>{delivery_text(d)}</span> }
}

/// "Due 24 March 2026 · 5 working days left" (or overdue).
pub fn due_text(due: &str) -> String {
    let Some(d) = dauys_proto::workdays::parse_date(due) else {
        return String::new();
    };
    let cal = dauys_proto::workdays::Calendar::kazakhstan();
    let left = cal.working_days_between(i18n::today(), d);
    let date = i18n::date(due);
    if left >= 0 {
        ta("due-left", &[("date", date.into()), ("days", left.into())])
    } else {
        ta(
            "due-overdue",
            &[("date", date.into()), ("days", (-left).into())],
        )
    }
}

/// Calendar days from today until `ymd` (negative when past).
pub fn days_until(ymd: &str) -> Option<i64> {
    let d = dauys_proto::workdays::parse_date(ymd)?;
    Some((d - i18n::today()).whole_days())
}

#[derive(Serialize)]
struct MapArgs {
    lat: f64,
    lon: f64,
}

/// The OpenStreetMap page of a point (what the shell's `open_map` opens).
fn osm_url(g: GeoPoint) -> String {
    format!(
        "https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=17/{lat:.6}/{lon:.6}",
        lat = g.lat,
        lon = g.lon
    )
}

/// Coordinates as text plus a button that opens the point on
/// OpenStreetMap in the system browser (the shell's `open_map` command;
/// the webview itself never loads remote content). If the browser cannot
/// be opened, the map's address is shown as selectable text instead.
#[component]
pub fn MapLink(g: GeoPoint) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let open = move |_| {
        spawn_local(async move {
            let args = MapArgs {
                lat: g.lat,
                lon: g.lon,
            };
            match api::call::<(), _>("open_map", args).await {
                Ok(()) => failed.set(None),
                Err(_) => failed.set(Some(osm_url(g))),
            }
        });
    };
    view! {
        <span class="mono">{format!("{:.5}, {:.5}", g.lat, g.lon)}</span>
        " "
        <button type="button" class="link" data-testid="open-map" on:click=open>{t("map-open")}</button>
        {move || failed.get().map(|u| view! {
            <p role="alert">{t("map-open-failed")} " " <span class="mono selectable" data-testid="map-url">{u}</span></p>
        })}
    }
}

/// An item's public history, oldest first; `prefix` names the status
/// labels (`appeal-status`, `proposal-status`).
#[component]
pub fn Timeline(
    history: Vec<HistoryEvent>,
    prefix: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <ol class="timeline" data-testid=testid>
            {history.into_iter().map(|h| view! {
                <li>
                    <strong>{i18n::label(prefix, &h.status)}</strong>
                    " " <span class="muted">{i18n::datetime(h.at)}</span>
                    {(!h.note.is_empty()).then(|| view! { <p>{h.note}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}
