//! A push body as the server receives it: decoded, each op's payload
//! parsed by its kind (what the server does once at the boundary), the
//! parsed body turned back into a payload and parsed again to the same
//! thing, and the bytes a device signs computed. Nothing may panic, and
//! the round trip must hold.
#![no_main]

use dauys_proto::{OpBody, PushRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(req) = serde_json::from_slice::<PushRequest>(data) else {
        return;
    };
    for op in &req.ops {
        let _ = dauys_proto::signing_bytes(op);
        let Ok(body) = OpBody::parse(&op.kind, &op.payload) else {
            continue;
        };
        assert_eq!(body.kind().as_str(), op.kind);
        let again = OpBody::parse(&op.kind, &body.to_payload()).expect("a parsed body parses again");
        assert_eq!(again, body, "parse(to_payload(body)) == body");
    }
});
