//! `media.attach`: a completed upload attached to one's own appeal or
//! proposal after it was sent (uploads themselves are kernel).

use dauys_proto::{MediaOp, Op, OpBody};

use super::{builtin_kinds, parse_builtin, Component, ParsedOp};
use crate::db::Conn;
use crate::error::{AppError, AppResult, Reject};
use crate::kernel::ops::{Applied, Ctx};

pub struct Media;

impl Component for Media {
    fn name(&self) -> &'static str {
        "media"
    }
    fn op_kinds(&self) -> Vec<&'static str> {
        builtin_kinds(self.name())
    }
    fn parse(&self, kind: &str, payload: &serde_json::Value) -> Result<ParsedOp, Reject> {
        parse_builtin(kind, payload)
    }
    fn apply(
        &self,
        c: &mut dyn Conn,
        ctx: &mut Ctx,
        _: &Op,
        body: &ParsedOp,
    ) -> AppResult<Applied> {
        match body.get::<OpBody>()? {
            OpBody::Media(MediaOp::Attach(p)) => {
                crate::components::budgets::proposals::attach_media(c, ctx, p.clone())
            }
            _ => Err(AppError::Internal("not a media op".into())),
        }
    }
}
