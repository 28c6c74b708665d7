//! Calls into the Tauri command layer. The UI never talks to the network:
//! every request goes through a command that the client core answers.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::{Get, LocalResource};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::dto::CmdError;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], catch)]
    async fn listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>)
        -> Result<JsValue, JsValue>;
}

fn to_js<A: Serialize>(args: &A) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    args.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// Invokes a command with named arguments (an object or `()`).
///
/// Only the (de)serialization is generic: the call itself and its error
/// handling live in [`invoke_js`], so each reply type adds just its
/// `Deserialize` code to the wasm, not another copy of the async call.
pub fn call<'a, T: DeserializeOwned, A: Serialize>(
    cmd: &'a str,
    args: A,
) -> impl Future<Output = Result<T, CmdError>> + 'a {
    let reply = invoke_js(cmd, to_js(&args));
    async move {
        let v = reply.await?;
        serde_wasm_bindgen::from_value(v).map_err(|e| bad_reply(cmd, &e))
    }
}

async fn invoke_js(cmd: &str, args: JsValue) -> Result<JsValue, CmdError> {
    match invoke(cmd, args).await {
        Ok(v) => Ok(v),
        Err(e) => Err(
            serde_wasm_bindgen::from_value::<CmdError>(e.clone()).unwrap_or_else(|_| {
                CmdError::new(
                    "error-internal",
                    e.as_string().unwrap_or_else(|| format!("{cmd}: {e:?}")),
                )
            }),
        ),
    }
}

#[inline(never)]
fn bad_reply(cmd: &str, e: &serde_wasm_bindgen::Error) -> CmdError {
    CmdError::new("error-internal", format!("{cmd}: bad reply: {e}"))
}

/// Subscribes to a Tauri event for the life of the app.
pub fn on_event(name: &'static str, mut f: impl FnMut(JsValue) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let payload =
            js_sys::Reflect::get(&ev, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        f(payload)
    });
    wasm_bindgen_futures::spawn_local(async move {
        let _ = listen(name, &closure).await;
        closure.forget();
    });
}

type AnyReply = Result<Rc<dyn Any>, CmdError>;
type Fetch = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = AnyReply>>>>;

/// A [`LocalResource`] of a command's reply. Every screen's resource shares
/// one instance of Leptos' async machinery (`LocalResource` is large and was
/// monomorphized per fetcher closure: ~80 KB of wasm for 20 resources); only
/// boxing the future and a downcast in [`Res::get`] are per reply type.
pub struct Res<T> {
    inner: LocalResource<AnyReply>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Res<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Res<T> {}

impl<T: Clone + 'static> Res<T> {
    /// The reply, `None` while loading (tracked, like `LocalResource::get`).
    pub fn get(&self) -> Option<Result<T, CmdError>> {
        self.inner
            .get()
            .map(|r| r.map(|v| v.downcast_ref::<T>().expect("resource reply type").clone()))
    }
}

/// Like `LocalResource::new(fetcher)`: signals read in `fetcher` (before
/// its future starts) are tracked and re-run it.
pub fn resource<T: 'static, Fut: Future<Output = Result<T, CmdError>> + 'static>(
    fetcher: impl Fn() -> Fut + 'static,
) -> Res<T> {
    let fetch: Fetch = Rc::new(move || {
        let fut = fetcher();
        Box::pin(async move { fut.await.map(|v| Rc::new(v) as Rc<dyn Any>) })
    });
    Res {
        inner: erased_resource(fetch),
        ty: PhantomData,
    }
}

fn erased_resource(fetch: Fetch) -> LocalResource<AnyReply> {
    LocalResource::new(move || fetch())
}
