//! The console's language: the Fluent bundles of `locales/` (the same
//! files the app uses), parsed once per process, and the choice of
//! language per request (`lang` query, then the `lang` cookie, then
//! `Accept-Language`; Kazakh by default).

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The console's languages, Kazakh first (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 code (also the `lang` attribute of the page).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::Kk => 0,
            Lang::Ru => 1,
            Lang::En => 2,
        }
    }

    /// `kk`, `ru-RU`, `EN_us`…: the primary subtag decides.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header we have, by weight.
    fn from_accept(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .filter(|(q, _)| *q > 0.0)
            .collect();
        // Stable: equal weights keep the header's order.
        tags.sort_by(|a, b| b.0.total_cmp(&a.0));
        tags.into_iter().find_map(|(_, t)| Lang::parse(t))
    }

    /// The request's language: explicit choice first, Kazakh by default.
    pub fn negotiate(query: Option<&str>, cookie: Option<&str>, accept: Option<&str>) -> Lang {
        query
            .and_then(Lang::parse)
            .or_else(|| cookie.and_then(Lang::parse))
            .or_else(|| accept.and_then(Lang::from_accept))
            .unwrap_or(Lang::Kk)
    }
}

const SOURCES: [&str; 3] = [
    include_str!("../../../../locales/kk/main.ftl"),
    include_str!("../../../../locales/ru/main.ftl"),
    include_str!("../../../../locales/en/main.ftl"),
];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 3] {
    static BUNDLES: OnceLock<[Bundle; 3]> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.map(|l| load(l, SOURCES[l.index()])))
}

fn load(lang: Lang, src: &str) -> Bundle {
    let id = lang
        .code()
        .parse::<unic_langid::LanguageIdentifier>()
        .unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Plain text into HTML: no bidi isolation marks around placeables.
    bundle.set_use_isolating(false);
    let res = match FluentResource::try_new(src.to_string()) {
        Ok(r) => r,
        Err((r, errs)) => {
            tracing::error!(lang = lang.code(), ?errs, "locale file has errors");
            r
        }
    };
    if let Err(errs) = bundle.add_resource(res) {
        tracing::error!(lang = lang.code(), ?errs, "locale file has duplicate ids");
    }
    bundle
}

/// Translations in one language (cheap to copy into every page).
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// Whether a message exists (for ids that arrive in a request).
    pub fn has(&self, id: &str) -> bool {
        bundles()[self.lang.index()].has_message(id)
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with a number argument (plurals).
    pub fn n(&self, id: &str, name: &str, value: i64) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value));
        self.format(id, Some(&args))
    }

    /// A cycle's counting rule in plain words, with its minimum of votes
    /// when the rule has one.
    pub fn counting_rule(&self, rule: &str, min_votes: Option<i64>) -> String {
        let words = self.t(dauys_proto::budgets::counting_rule_key(rule));
        match min_votes {
            Some(n) => format!("{words} {}", self.n("counting-min-votes", "count", n)),
            None => words,
        }
    }

    /// A message with a text argument.
    pub fn s(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = &bundles()[self.lang.index()];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = self.lang.code(), "missing message");
            return id.to_string();
        };
        let mut errs = Vec::new();
        let out = bundle.format_pattern(pattern, args, &mut errs);
        if !errs.is_empty() {
            tracing::warn!(id, ?errs, "message formatted with errors");
        }
        out.into_owned()
    }
}

/// A language link of a page's header.
pub struct LangLink {
    pub code: &'static str,
    /// The language's own name ("Қазақша", "Русский", "English").
    pub name: String,
    pub href: String,
    pub current: bool,
}

impl LangLink {
    /// One link per language; `href` says where each one goes.
    pub fn all(tr: Tr, href: impl Fn(Lang) -> String) -> Vec<LangLink> {
        Lang::ALL
            .iter()
            .map(|&l| LangLink {
                code: l.code(),
                name: Tr::new(l).t("language-name"),
                href: href(l),
                current: l == tr.lang,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_order() {
        assert_eq!(Lang::negotiate(None, None, None), Lang::Kk);
        assert_eq!(
            Lang::negotiate(None, None, Some("de, en-US;q=0.5, ru;q=0.8")),
            Lang::Ru
        );
        assert_eq!(Lang::negotiate(None, Some("en"), Some("ru")), Lang::En);
        assert_eq!(Lang::negotiate(Some("ru"), Some("en"), None), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("xx"), None, None), Lang::Kk);
    }

    #[test]
    fn bundles_load_and_format() {
        for l in Lang::ALL {
            let tr = Tr::new(l);
            assert!(tr.has("console-name"));
            assert_ne!(tr.t("console-name"), "console-name");
            assert!(tr.n("console-days-over", "days", 3).contains('3'));
        }
    }
}
