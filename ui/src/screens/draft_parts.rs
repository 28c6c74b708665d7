//! What the appeal and proposal forms share: autosave, the photo picker
//! (photos go straight to the core, sealed), the typed location, and the
//! form's error line. One copy each, so both forms behave alike.

use dauys_proto::GeoPoint;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::NoArgs;
use crate::dto::{AddPhoto, CmdError, PhotoRef, PlaceCentre};
use crate::i18n::{self, t, ta};
use crate::widgets::ErrorBox;

#[derive(Serialize)]
struct PhotoArgs {
    photo: AddPhoto,
}

#[derive(Serialize)]
struct RemovePhotoArgs {
    draft_id: String,
    photo_id: String,
}

#[derive(Serialize)]
struct SaveArgs<T> {
    draft: T,
}

/// A draft that saves itself: `change` edits it and, after a short pause
/// with no further change, writes it with the `save` command.
pub struct Autosave<T: Send + Sync + 'static> {
    pub draft: RwSignal<T>,
    /// Written since the last change.
    pub saved: RwSignal<bool>,
    generation: StoredValue<u64>,
    error: RwSignal<Option<CmdError>>,
    save: &'static str,
}

// Signals are handles: copied whatever `T` is (a derive would ask `T: Copy`).
impl<T: Send + Sync + 'static> Clone for Autosave<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Autosave<T> {}

impl<T> Autosave<T>
where
    T: Clone + Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    pub fn new(draft: T, save: &'static str, error: RwSignal<Option<CmdError>>) -> Self {
        Autosave {
            draft: RwSignal::new(draft),
            saved: RwSignal::new(true),
            generation: StoredValue::new(0),
            error,
            save,
        }
    }

    /// Writes the draft now; `true` when the core has it.
    pub async fn save_now(self) -> bool {
        let draft = self.draft.get_untracked();
        match api::call::<T, _>(self.save, SaveArgs { draft }).await {
            Ok(_) => {
                self.saved.set(true);
                true
            }
            Err(e) => {
                self.error.set(Some(e));
                false
            }
        }
    }

    /// Applies an edit and schedules the save.
    pub fn change(self, f: &dyn Fn(&mut T)) {
        self.draft.update(|x| f(x));
        self.saved.set(false);
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        set_timeout(
            move || {
                if self.generation.get_value() == mine {
                    spawn_local(async move {
                        self.save_now().await;
                    });
                }
            },
            std::time::Duration::from_millis(400),
        );
    }
}

/// The photos of whatever draft a command answers with.
#[derive(Deserialize)]
struct Photos {
    photos: Vec<PhotoRef>,
}

/// The draft's photos: a file input and the list with a remove button per
/// photo. `add`/`remove`: the commands (`add_photo`, …) that answer with
/// the draft.
#[component]
pub fn PhotoPicker(
    draft_id: String,
    photos: RwSignal<Vec<PhotoRef>>,
    error: RwSignal<Option<CmdError>>,
    add: &'static str,
    remove: &'static str,
    /// `id` of the file input and `data-testid` of it.
    input_id: &'static str,
    testid: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let did = StoredValue::new(draft_id);
    let on_photo = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(files) = input.files() else { return };
        for i in 0..files.length() {
            let Some(file) = files.get(i) else { continue };
            spawn_local(async move {
                let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await
                else {
                    return;
                };
                let photo = AddPhoto {
                    draft_id: did.get_value(),
                    name: file.name(),
                    data: js_sys::Uint8Array::new(&buf).to_vec(),
                };
                match api::call::<Photos, _>(add, PhotoArgs { photo }).await {
                    Ok(d) => photos.set(d.photos),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
        input.set_value("");
    };
    view! {
        <label for=input_id>{t("appeal-photos")}</label>
        <input id=input_id type="file" accept="image/jpeg,image/png" multiple data-testid=testid on:change=on_photo/>
        <p class="hint">{t(hint)}</p>
        <ul role="list" class="photos" data-testid="photos">
            {move || photos.get().into_iter().map(|p| {
                let pid = p.id.clone();
                view! {
                    <li>
                        {p.name.clone()} " "
                        <button type="button" class="small" on:click=move |_| {
                            let args = RemovePhotoArgs { draft_id: did.get_value(), photo_id: pid.clone() };
                            spawn_local(async move {
                                if let Ok(d) = api::call::<Photos, _>(remove, args).await {
                                    photos.set(d.photos);
                                }
                            });
                        }>{ta("appeal-photo-remove", &[("name", p.name.clone().into())])}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Latitude and longitude typed by hand (no map offline); `on_change`
/// gets the point once both parse and lie on Earth, `None` otherwise.
#[component]
pub fn LocationFields(
    initial: Option<GeoPoint>,
    on_change: Callback<Option<GeoPoint>>,
    /// Prefix of the inputs' ids (unique on the page).
    prefix: &'static str,
) -> impl IntoView {
    let (lat0, lon0) = initial
        .map(|g| (g.lat.to_string(), g.lon.to_string()))
        .unwrap_or_default();
    let lat = RwSignal::new(lat0);
    let lon = RwSignal::new(lon0);
    let set = move || {
        let g = match (
            lat.get_untracked().trim().parse::<f64>(),
            lon.get_untracked().trim().parse::<f64>(),
        ) {
            (Ok(a), Ok(b)) => Some(GeoPoint { lat: a, lon: b }).filter(|g| g.is_valid()),
            _ => None,
        };
        on_change.run(g);
    };
    let (lat_id, lon_id) = (format!("{prefix}lat"), format!("{prefix}lon"));
    // "Here, in my village": the followed place's centre, known offline.
    let centre = api::resource(|| api::call::<Option<PlaceCentre>, _>("home_centre", NoArgs {}));
    let use_centre = move |p: PlaceCentre| {
        lat.set(p.centre.lat.to_string());
        lon.set(p.centre.lon.to_string());
        set();
    };
    view! {
        <details>
            <summary data-testid=format!("{prefix}location")>{t("appeal-location")}</summary>
            <p class="hint">{t("appeal-location-hint")}</p>
            {move || centre.get().and_then(Result::ok).flatten().map(|p| {
                let name = i18n::loc(&p.name);
                view! {
                    <button type="button" data-testid=format!("{prefix}here") on:click=move |_| use_centre(p.clone())>
                        {ta("location-here", &[("place", name.into())])}</button>
                }
            })}
            <div class="row">
                <div><label for=lat_id.clone()>{t("appeal-lat")}</label>
                    <input id=lat_id inputmode="decimal" prop:value=move || lat.get() on:input=move |ev| { lat.set(event_target_value(&ev)); set(); }/></div>
                <div><label for=lon_id.clone()>{t("appeal-lon")}</label>
                    <input id=lon_id inputmode="decimal" prop:value=move || lon.get() on:input=move |ev| { lon.set(event_target_value(&ev)); set(); }/></div>
            </div>
        </details>
    }
}

/// A form's error: "fill in X" for a missing field (`error-required`, the
/// field's message id in `detail`), the error's own message otherwise.
#[component]
pub fn FormError(error: RwSignal<Option<CmdError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            if e.key == "error-required" {
                view! { <p class="error" role="alert">{ta("error-required-field", &[("field", t(&e.detail).into())])}</p> }.into_any()
            } else {
                view! { <ErrorBox err=e/> }.into_any()
            }
        })
    }
}
