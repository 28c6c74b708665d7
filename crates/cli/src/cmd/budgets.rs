//! Participatory budgeting: `cycles`, `proposals`, `proposal new|revise|withdraw|mine`,
//! `vote`, `ballots`.

use dauys_core::*;
use dauys_proto::{ProposalRevisePayload, ProposalSubmitPayload};

use super::{after_queue, Outcome};
use crate::args::Cli;
use crate::render::{self, print};

pub fn cycles(cli: &Cli, p: &Profile, locality: Option<&str>) -> Result<Outcome> {
    let c = p.cycles(locality)?;
    print(cli.json, &c, |c| render::cycles(c))?;
    Ok(Outcome::Done)
}

pub fn proposals(cli: &Cli, p: &Profile, q: &ProposalQuery) -> Result<Outcome> {
    let v = p.proposals(q)?;
    print(cli.json, &v, |v| render::proposals(v))?;
    Ok(Outcome::Done)
}

/// Queues a proposal with its photos (prepared and queued for upload
/// with it; the proposal waits for them).
pub async fn propose(
    cli: &Cli,
    p: &Profile,
    proposal: ProposalSubmitPayload,
    photos: &[std::path::PathBuf],
) -> Result<Outcome> {
    let id = p.submit_proposal(&ProposalInput {
        proposal,
        photos: photos.to_vec(),
    })?;
    after_queue(cli, p, id).await
}

/// The user's proposals with status, reason and delivery state.
pub fn mine(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let v = p.my_proposals()?;
    print(cli.json, &v, |v| render::my_proposals(v))?;
    Ok(Outcome::Done)
}

/// Queues the revision of a proposal sent back for changes.
pub async fn revise(cli: &Cli, p: &Profile, revision: ProposalRevisePayload) -> Result<Outcome> {
    let id = p.revise_proposal(&revision)?;
    after_queue(cli, p, id).await
}

/// Queues taking back one's proposal (refused by the server once a
/// moderator has passed it).
pub async fn withdraw(cli: &Cli, p: &Profile, proposal: &str) -> Result<Outcome> {
    let id = p.withdraw_proposal(proposal)?;
    after_queue(cli, p, id).await
}

/// Casts a ballot. The core refuses offline what the server would refuse
/// (`over_budget`, …): nothing is queued then and the command fails.
pub async fn vote(cli: &Cli, p: &Profile, cycle: &str, proposals: &[String]) -> Result<Outcome> {
    let id = p.cast_ballot(&BallotInput {
        cycle_id: cycle.to_string(),
        proposal_ids: proposals.to_vec(),
    })?;
    after_queue(cli, p, id).await
}

pub fn ballots(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let v = p.ballots()?;
    print(cli.json, &v, |v| render::ballots(v))?;
    Ok(Outcome::Done)
}

/// Checks a receipt against the published list; exits 1 when it is not
/// among the counted ballots.
pub async fn receipt(
    cli: &Cli,
    p: &Profile,
    cycle: &str,
    receipt: Option<&str>,
) -> Result<Outcome> {
    let r = p.check_receipt(cycle, receipt).await?;
    print(cli.json, &r, |r| {
        format!(
            "{} {} ({} ballots published)\n",
            r.receipt,
            if r.counted { "counted" } else { "NOT FOUND" },
            r.published
        )
    })?;
    if r.counted {
        Ok(Outcome::Done)
    } else {
        Err(CoreError::NotFound(format!(
            "receipt {} is not among the counted ballots",
            r.receipt
        )))
    }
}
