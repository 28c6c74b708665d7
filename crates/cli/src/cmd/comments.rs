//! Comments: `comments PROPOSAL`, `comment PROPOSAL TEXT`,
//! `report-comment COMMENT [--reason TEXT]`.

use dauys_core::*;

use super::{after_queue, Outcome};
use crate::args::Cli;
use crate::render::{self, print};

pub fn list(cli: &Cli, p: &Profile, proposal: &str) -> Result<Outcome> {
    let v = p.comments(proposal)?;
    print(cli.json, &v, |v| render::comments(v))?;
    Ok(Outcome::Done)
}

pub async fn add(cli: &Cli, p: &Profile, proposal: &str, text: &str) -> Result<Outcome> {
    let id = p.add_comment(&CommentInput {
        proposal_id: proposal.to_string(),
        body: text.to_string(),
    })?;
    after_queue(cli, p, id).await
}

pub async fn report(cli: &Cli, p: &Profile, comment: &str, reason: &str) -> Result<Outcome> {
    let id = p.report_comment(comment, reason)?;
    after_queue(cli, p, id).await
}
