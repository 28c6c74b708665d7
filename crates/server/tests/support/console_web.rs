#![allow(dead_code)]
//! The console as a browser without JavaScript sees it: sign-in through
//! its forms, cookies by hand, GET and POST (shared by the console tests).

use super::common::Server;
use dauys_server::demo::Person;

/// A browser without JavaScript: no redirects followed, cookies by hand.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The `Set-Cookie` header setting `name`, if any.
pub fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// The value of the first `name="{field}" value="…"` after `after`.
pub fn field(html: &str, after: &str, name: &str) -> String {
    let start = html.find(after).unwrap_or(0);
    let pat = format!("name=\"{name}\" value=\"");
    let rest = &html[start..];
    let i = rest.find(&pat).map(|i| i + pat.len()).unwrap_or(0);
    rest[i..].split('"').next().unwrap_or_default().to_string()
}

pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Signs in through the console's forms; returns the response of the last
/// step and the session cookie it set, if any.
pub async fn console_sign_in(srv: &Server, p: &Person) -> (reqwest::Response, Option<String>) {
    let b = browser();
    let r = b.get(srv.url("/console/login")).send().await.expect("get");
    assert_eq!(r.status(), 200);
    let pre = cookie_value(&set_cookie(&r, "dauys_console_pre").expect("pre cookie"));
    let pre_cookie = format!("dauys_console_pre={pre}");
    let r = b
        .post(srv.url("/console/login"))
        .header("cookie", &pre_cookie)
        .form(&[("csrf", pre.as_str()), ("iin", p.iin.as_str())])
        .send()
        .await
        .expect("post iin");
    assert_eq!(r.status(), 200);
    let code = srv.last_code(&p.phone);
    let r = b
        .post(srv.url("/console/login/code"))
        .header("cookie", &pre_cookie)
        .form(&[
            ("csrf", pre.as_str()),
            ("iin", p.iin.as_str()),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .expect("post code");
    let session = set_cookie(&r, "dauys_console");
    (r, session)
}

pub async fn staff(srv: &Server, p: &Person) -> Session {
    let (r, set) = console_sign_in(srv, p).await;
    assert_eq!(r.status(), 303);
    let cookie = format!(
        "dauys_console={}",
        cookie_value(&set.expect("session cookie"))
    );
    let html = get(srv, &cookie, "/console").await.1;
    Session {
        csrf: field(&html, "/console/logout", "csrf"),
        cookie,
    }
}

pub async fn get(srv: &Server, cookie: &str, path: &str) -> (u16, String) {
    let r = browser()
        .get(srv.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get");
    let s = r.status().as_u16();
    (s, r.text().await.unwrap_or_default())
}

pub async fn post(
    srv: &Server,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser()
        .post(srv.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
