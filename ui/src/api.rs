//! Calls into the Tauri command layer. The UI never talks to the network:
//! every request goes through a command that the client core answers.

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
/// Only the argument's serialization and the reply's deserialization are
/// generic; the call itself (its future, its error handling) is one
/// function, not one copy per command type: it kept the wasm smaller.
pub async fn call<T: DeserializeOwned, A: Serialize>(cmd: &str, args: A) -> Result<T, CmdError> {
    let v = call_raw(cmd, to_js(&args)).await?;
    serde_wasm_bindgen::from_value(v)
        .map_err(|e| CmdError::new("error-internal", format!("{cmd}: bad reply: {e}")))
}

/// The untyped call: the reply as a JS value, or the command's error.
async fn call_raw(cmd: &str, args: JsValue) -> Result<JsValue, CmdError> {
    invoke(cmd, args).await.map_err(|e| {
        serde_wasm_bindgen::from_value::<CmdError>(e.clone()).unwrap_or_else(|_| {
            CmdError::new(
                "error-internal",
                e.as_string().unwrap_or_else(|| format!("{cmd}: {e:?}")),
            )
        })
    })
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
