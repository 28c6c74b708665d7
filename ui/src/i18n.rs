//! Fluent translations (kk, ru, en) and locale formatting of numbers,
//! money and dates. Every user-facing string comes from `locales/*/main.ftl`.
//!
//! Only the active language's bundle is in memory: the shell embeds the
//! three `.ftl` files and hands one over (`locale` command) before the first
//! screen is drawn and on every language switch. The language pickers show
//! each language's own name from [`LangName`]s sent with `boot`.

use std::cell::{Cell, RefCell};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;
use serde::Serialize;

use crate::api;
use crate::dto::{CmdError, LangName};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag() == s)
    }
}

thread_local! {
    static BUNDLE: RefCell<Option<(Lang, FluentBundle<FluentResource>)>> = const { RefCell::new(None) };
    static NAMES: RefCell<Vec<LangName>> = const { RefCell::new(Vec::new()) };
    static LANG: Cell<Option<RwSignal<Lang>>> = const { Cell::new(None) };
}

/// Registers the app's language signal.
pub fn init(lang: RwSignal<Lang>) {
    LANG.with(|l| l.set(Some(lang)));
}

/// Keeps the languages' own names for the pickers (from `boot`).
pub fn set_names(names: Vec<LangName>) {
    NAMES.with(|n| *n.borrow_mut() = names);
}

/// Whether `lang`'s bundle is the one loaded.
pub fn loaded(lang: Lang) -> bool {
    BUNDLE.with(|b| b.borrow().as_ref().is_some_and(|(l, _)| *l == lang))
}

#[derive(Serialize)]
struct LocaleArgs {
    lang: &'static str,
}

/// Fetches `lang`'s Fluent source from the shell and makes it the bundle
/// every `t` reads. Set the language signal only after this succeeded.
pub async fn load(lang: Lang) -> Result<(), CmdError> {
    if loaded(lang) {
        return Ok(());
    }
    let src: String = api::call("locale", LocaleArgs { lang: lang.tag() }).await?;
    let tag = lang.tag();
    let id: unic_langid::LanguageIdentifier = tag
        .parse()
        .map_err(|_| CmdError::new("error-internal", tag))?;
    let mut bundle = FluentBundle::new(vec![id]);
    bundle.set_use_isolating(false);
    let res = FluentResource::try_new(src).unwrap_or_else(|(res, errs)| {
        web_sys::console::error_1(&format!("{tag}.ftl: {errs:?}").into());
        res
    });
    if let Err(errs) = bundle.add_resource(res) {
        web_sys::console::error_1(&format!("{tag}.ftl: {errs:?}").into());
    }
    BUNDLE.with(|b| *b.borrow_mut() = Some((lang, bundle)));
    Ok(())
}

/// A language's own name ("Қазақша"), for language pickers.
pub fn language_name(lang: Lang) -> String {
    name_of(lang, |n| &n.name)
}

/// "Choose your language", written in `lang`.
pub fn choose_language(lang: Lang) -> String {
    name_of(lang, |n| &n.choose)
}

fn name_of(lang: Lang, f: impl Fn(&LangName) -> &String) -> String {
    NAMES.with(|n| {
        n.borrow()
            .iter()
            .find(|n| n.tag == lang.tag())
            .map(|n| f(n).clone())
            .unwrap_or_else(|| lang.tag().to_string())
    })
}

/// The current language (reactive: tracked when read inside a view).
pub fn lang() -> Lang {
    LANG.with(|l| l.get()).map(|s| s.get()).unwrap_or(Lang::En)
}

/// A value for a Fluent argument.
pub enum Arg {
    Num(i64),
    Str(String),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Num(n.into())
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Num(n as i64)
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}

/// Translates `id` with the loaded bundle (the id itself if missing).
fn tr(id: &str, args: &[(&str, Arg)]) -> String {
    BUNDLE.with(|b| {
        let b = b.borrow();
        let Some((lang, bundle)) = b.as_ref() else {
            return id.to_string();
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            web_sys::console::warn_1(&format!("missing message {id} in {}", lang.tag()).into());
            return id.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::Num(n) => fargs.set(*k, FluentValue::from(*n)),
                Arg::Str(s) => fargs.set(*k, FluentValue::from(s.clone())),
            }
        }
        let mut errs = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fargs), &mut errs);
        out.into_owned()
    })
}

/// Whether a message id exists (for ids built from data, e.g. categories).
pub fn has(id: &str) -> bool {
    BUNDLE.with(|b| {
        b.borrow()
            .as_ref()
            .is_some_and(|(_, bundle)| bundle.has_message(id))
    })
}

/// Translates `id` in the current language.
pub fn t(id: &str) -> String {
    let _ = lang(); // tracked: the view re-renders on a language switch
    tr(id, &[])
}

/// Translates `id` with arguments in the current language.
pub fn ta(id: &str, args: &[(&str, Arg)]) -> String {
    let _ = lang(); // tracked, as in `t`
    tr(id, args)
}

/// Groups digits the way the language writes them: `1 250 000` (kk, ru,
/// with no-break spaces) or `1,250,000` (en).
pub fn number(n: i64) -> String {
    let sep = match lang() {
        Lang::En => ",",
        _ => "\u{a0}",
    };
    dauys_proto::format::group_digits(n, sep)
}

/// Money in tenge, e.g. `1 250 000 ₸`.
pub fn money(n: i64) -> String {
    ta("money", &[("amount", number(n).into())])
}

/// A `YYYY-MM-DD` date written the language's way.
pub fn date(ymd: &str) -> String {
    let Some(d) = dauys_proto::workdays::parse_date(ymd) else {
        return ymd.to_string();
    };
    ta(
        "date",
        &[
            ("day", i64::from(d.day()).into()),
            ("month", t(&format!("month-{}", d.month() as u8)).into()),
            ("year", i64::from(d.year()).into()),
        ],
    )
}

/// Today's local date.
pub fn today() -> time::Date {
    let now = js_sys::Date::new_0();
    let m = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    time::Date::from_calendar_date(now.get_full_year() as i32, m, now.get_date() as u8)
        .unwrap_or(time::Date::MIN)
}

/// A timestamp (ms since the epoch) as local date and time.
pub fn datetime(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let ymd = format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    );
    ta(
        "datetime",
        &[
            ("date", date(&ymd).into()),
            (
                "time",
                format!("{:02}:{:02}", d.get_hours(), d.get_minutes()).into(),
            ),
        ],
    )
}

/// A localized text from the server in the current language.
pub fn loc(l: &dauys_proto::Localized) -> String {
    l.get(lang().tag()).to_string()
}

/// A message id built from a prefix and a data value (`phase-voting`).
pub fn key(prefix: &str, value: &str) -> String {
    format!("{prefix}-{}", value.replace('_', "-"))
}

/// Label for a data value, falling back to the raw value when the Fluent
/// files do not know it (e.g. a category added on the server later).
pub fn label(prefix: &str, value: &str) -> String {
    let id = key(prefix, value);
    if has(&id) {
        t(&id)
    } else {
        value.to_string()
    }
}
