//! `discovery`: where the endpoint is and what it speaks.

use axum::response::Response;

use super::wire::{self, Format};

#[derive(serde::Serialize)]
struct Endpoint {
    specification: &'static str,
    url: &'static str,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: Vec<&'static str>,
}

#[derive(serde::Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: &'static str,
    key_service: &'static str,
    endpoints: Vec<Endpoint>,
}

/// Discovery's XML shape (`<endpoints><endpoint>…<formats><format>…`).
#[derive(serde::Serialize)]
struct XmlDiscovery {
    changeset: &'static str,
    contact: &'static str,
    key_service: &'static str,
    endpoints: XmlEndpoints,
}

#[derive(serde::Serialize)]
struct XmlEndpoints {
    endpoint: Vec<XmlEndpoint>,
}

#[derive(serde::Serialize)]
struct XmlEndpoint {
    specification: &'static str,
    url: &'static str,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: XmlFormats,
}

#[derive(serde::Serialize)]
struct XmlFormats {
    format: Vec<&'static str>,
}

pub fn discovery(f: Format) -> Response {
    const CHANGESET: &str = "2026-12-04T00:00:00+05:00";
    let d = Discovery {
        changeset: CHANGESET,
        contact: "The akimat's administrator of Dauys",
        key_service: "API keys for partner apps are issued by an administrator in /console/admin",
        endpoints: vec![Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2",
            url: "/open311/v2",
            changeset: CHANGESET,
            kind: "production",
            formats: vec!["application/json", "text/xml"],
        }],
    };
    match f {
        Format::Json => wire::one(f, "discovery", &d),
        Format::Xml => wire::one(
            f,
            "discovery",
            &XmlDiscovery {
                changeset: d.changeset,
                contact: d.contact,
                key_service: d.key_service,
                endpoints: XmlEndpoints {
                    endpoint: d
                        .endpoints
                        .into_iter()
                        .map(|e| XmlEndpoint {
                            specification: e.specification,
                            url: e.url,
                            changeset: e.changeset,
                            kind: e.kind,
                            formats: XmlFormats { format: e.formats },
                        })
                        .collect(),
                },
            },
        ),
    }
}
