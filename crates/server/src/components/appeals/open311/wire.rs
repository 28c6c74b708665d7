//! Open311 GeoReport v2's documents (<http://wiki.open311.org/GeoReport_v2>)
//! and their two encodings: JSON, and XML with the spec's element names.
//! Field names follow the spec exactly; they are the contract with the
//! existing clients.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use dauys_proto::{Appeal, AppealStatus, AppealType};

/// Kazakhstan's one time zone since 1 March 2024 (UTC+5): the offset of
/// every date Dauys writes here.
pub const KZ_OFFSET_S: i32 = 5 * 3600;

/// The answer's encoding, from the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// `services.json` → (`services`, JSON); no or another extension → `None`.
pub fn split_format(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let f = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((name, f))
}

/// A service: one form of appeal to one body (`{body}.{type}`).
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: String,
    pub group: String,
}

/// The code of the service "appeals of type `t` to `body`".
pub fn service_code(body: &str, t: AppealType) -> String {
    format!("{body}.{}", t.as_str())
}

/// `{body}.{type}` → its parts (a body id may itself hold dots).
pub fn parse_service_code(code: &str) -> Option<(&str, AppealType)> {
    let (body, t) = code.rsplit_once('.')?;
    Some((body, AppealType::parse(t)?))
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributeValue {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attribute {
    pub variable: bool,
    pub code: String,
    pub datatype: &'static str,
    pub required: bool,
    pub datatype_description: String,
    pub order: u32,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<AttributeValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

/// The XML shape of a definition: the spec nests lists in a wrapper
/// (`<attributes><attribute>…`, `<values><value>…`) where JSON has arrays.
#[derive(Serialize)]
pub struct XmlDefinition<'a> {
    service_code: &'a str,
    attributes: XmlAttributes<'a>,
}

#[derive(Serialize)]
struct XmlAttributes<'a> {
    attribute: Vec<XmlAttribute<'a>>,
}

#[derive(Serialize)]
struct XmlAttribute<'a> {
    variable: bool,
    code: &'a str,
    datatype: &'a str,
    required: bool,
    datatype_description: &'a str,
    order: u32,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<XmlValues<'a>>,
}

#[derive(Serialize)]
struct XmlValues<'a> {
    value: &'a [AttributeValue],
}

impl ServiceDefinition {
    pub fn xml(&self) -> XmlDefinition<'_> {
        XmlDefinition {
            service_code: &self.service_code,
            attributes: XmlAttributes {
                attribute: self
                    .attributes
                    .iter()
                    .map(|a| XmlAttribute {
                        variable: a.variable,
                        code: &a.code,
                        datatype: a.datatype,
                        required: a.required,
                        datatype_description: &a.datatype_description,
                        order: a.order,
                        description: &a.description,
                        values: (!a.values.is_empty()).then_some(XmlValues { value: &a.values }),
                    })
                    .collect(),
            },
        }
    }
}

/// A service request: a public appeal as the spec shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: &'static str,
    pub status_notes: String,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: String,
    pub service_notice: String,
    pub requested_datetime: String,
    pub updated_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_datetime: Option<String>,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(rename = "long", skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// What a POST answers: the new request's id (and its token: the same id,
/// since Dauys registers a request at once).
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: String,
    pub account_id: String,
}

/// `tokens/{token}`: the request a token became.
#[derive(Debug, Clone, Serialize)]
pub struct TokenAnswer {
    pub service_request_id: String,
    pub token: String,
}

/// A W3C datetime at Kazakhstan's offset, from Unix milliseconds.
pub fn datetime(ms: i64) -> String {
    let offset = UtcOffset::from_whole_seconds(KZ_OFFSET_S).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| t.to_offset(offset))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The end of the legal due day (`YYYY-MM-DD`): the spec's
/// `expected_datetime`.
pub fn due_datetime(day: &str) -> Option<String> {
    dauys_proto::workdays::parse_date(day).map(|d| format!("{d}T18:00:00+05:00"))
}

/// A W3C datetime (`2010-01-01T00:00:00Z`, any offset) or a plain date
/// (taken at 00:00 in Kazakhstan) → Unix milliseconds.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some((t.unix_timestamp_nanos() / 1_000_000) as i64);
    }
    let d = dauys_proto::workdays::parse_date(s)?;
    let offset = UtcOffset::from_whole_seconds(KZ_OFFSET_S).ok()?;
    Some(d.midnight().assume_offset(offset).unix_timestamp() * 1000)
}

/// `open` until answered or left without consideration.
pub fn status_of(s: AppealStatus) -> &'static str {
    if s.is_open() {
        "open"
    } else {
        "closed"
    }
}

/// A public appeal as a service request, with the body's and the type's
/// names in the answer's language and the public status notes.
pub fn request_of(
    a: Appeal,
    body_name: String,
    type_name: String,
    notes: String,
) -> ServiceRequest {
    let updated = a.history.last().map(|h| h.at).unwrap_or(a.submitted_at);
    ServiceRequest {
        status: status_of(a.status),
        status_notes: notes,
        service_name: format!("{type_name} — {body_name}"),
        service_code: service_code(&a.addressee, a.appeal_type),
        description: a.body,
        agency_responsible: body_name,
        service_notice: a.registration_number.unwrap_or_default(),
        requested_datetime: datetime(a.submitted_at),
        updated_datetime: datetime(updated),
        expected_datetime: a
            .status
            .is_open()
            .then(|| a.due_date.as_deref().and_then(due_datetime))
            .flatten(),
        address: a.subject,
        lat: a.location.map(|p| p.lat),
        lon: a.location.map(|p| p.lon),
        service_request_id: a.id,
    }
}

fn xml_response(status: StatusCode, body: String) -> Response {
    let mut r = (
        status,
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{body}"),
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    r
}

fn xml_of<T: Serialize>(root: &str, value: &T) -> Result<String, quick_xml::SeError> {
    quick_xml::se::to_string_with_root(root, value)
}

/// A list (`[…]` in JSON, `<root><item>…</item>…</root>` in XML).
pub fn list<T: Serialize>(f: Format, root: &str, item: &str, items: &[T]) -> Response {
    match f {
        Format::Json => axum::Json(items).into_response(),
        Format::Xml => {
            let mut out = format!("<{root}>");
            for i in items {
                match xml_of(item, i) {
                    Ok(s) => out.push_str(&s),
                    Err(e) => return failed(f, &e.to_string()),
                }
            }
            out.push_str(&format!("</{root}>"));
            xml_response(StatusCode::OK, out)
        }
    }
}

/// One document (an object in JSON, `<root>…</root>` in XML).
pub fn one<T: Serialize>(f: Format, root: &str, value: &T) -> Response {
    match f {
        Format::Json => axum::Json(value).into_response(),
        Format::Xml => match xml_of(root, value) {
            Ok(s) => xml_response(StatusCode::OK, s),
            Err(e) => failed(f, &e.to_string()),
        },
    }
}

#[derive(Serialize)]
struct ErrorItem<'a> {
    code: u16,
    description: &'a str,
}

/// The spec's error document, with the HTTP status it names.
pub fn error(f: Format, status: StatusCode, description: &str) -> Response {
    let e = ErrorItem {
        code: status.as_u16(),
        description,
    };
    match f {
        Format::Json => (status, axum::Json([e])).into_response(),
        Format::Xml => match xml_of("error", &e) {
            Ok(s) => xml_response(status, format!("<errors>{s}</errors>")),
            Err(_) => status.into_response(),
        },
    }
}

fn failed(f: Format, e: &str) -> Response {
    tracing::error!(error = %e, "open311 answer could not be encoded");
    error(f, StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}
