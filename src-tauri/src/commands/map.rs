//! "Open on map": the one URL the app hands to the system browser.

use dauys_core::proto;
use tauri::AppHandle;

use super::R;
use crate::dto::*;

/// The OpenStreetMap page of a point; the only URL the app ever hands to
/// the system browser.
fn osm_url(g: proto::GeoPoint) -> String {
    format!(
        "https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=17/{lat:.6}/{lon:.6}",
        lat = g.lat,
        lon = g.lon
    )
}

/// Opens a point on OpenStreetMap in the system browser. The shell builds
/// the URL from the coordinates itself, so the webview cannot open any
/// other address (it has no opener permission) and never navigates away.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_map(app: AppHandle, lat: f64, lon: f64) -> R<()> {
    use tauri_plugin_opener::OpenerExt;
    let g = proto::GeoPoint { lat, lon };
    if !g.is_valid() {
        return Err(CmdError::new("error-invalid-field", "coordinates"));
    }
    app.opener()
        .open_url(osm_url(g), None::<&str>)
        .map_err(|e| CmdError::new("error-internal", e.to_string()))
}

#[cfg(test)]
mod map_tests {
    use super::*;

    #[test]
    fn osm_url_is_openstreetmap_only() {
        let u = osm_url(proto::GeoPoint {
            lat: 52.28733,
            lon: 76.96738,
        });
        assert_eq!(
            u,
            "https://www.openstreetmap.org/?mlat=52.287330&mlon=76.967380#map=17/52.287330/76.967380"
        );
    }
}
