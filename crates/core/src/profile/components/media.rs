//! A photo attached to an existing appeal or proposal of the user.

use dauys_proto::{MediaAttachPayload, Op, OpKind};

use super::{typed, Described, LocalComponent};

pub(crate) struct Media;

impl LocalComponent for Media {
    fn handles(&self, kind: OpKind) -> bool {
        kind == OpKind::MediaAttach
    }

    fn describe(&self, op: &Op) -> Described {
        match typed::<MediaAttachPayload>(op) {
            Some(p) => Described {
                summary: format!("{} {}", p.target_kind, p.target_id),
                target: Some(p.target_id),
            },
            None => Described::default(),
        }
    }

    fn media(&self, op: &Op) -> Vec<String> {
        typed::<MediaAttachPayload>(op)
            .map(|p| vec![p.upload_id])
            .unwrap_or_default()
    }
}
