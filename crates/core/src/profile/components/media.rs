//! A photo attached to an existing appeal or proposal of the user.

use dauys_proto::{MediaAttachPayload, MediaOp, Op, OpBody, OpKind};

use super::{kinds, typed, Described, LocalComponent};

pub(crate) struct Media;

fn attached(op: &Op) -> Option<MediaAttachPayload> {
    match typed(op)? {
        OpBody::Media(MediaOp::Attach(p)) => Some(p),
        _ => None,
    }
}

impl LocalComponent for Media {
    fn name(&self) -> &'static str {
        "media"
    }

    fn op_kinds(&self) -> Vec<&'static str> {
        kinds(&[OpKind::MediaAttach])
    }

    fn describe(&self, op: &Op) -> Described {
        match attached(op) {
            Some(p) => Described {
                summary: format!("{} {}", p.target_kind, p.target_id),
                target: Some(p.target_id),
            },
            None => Described::default(),
        }
    }

    fn media(&self, op: &Op) -> Vec<String> {
        attached(op).map(|p| vec![p.upload_id]).unwrap_or_default()
    }
}
