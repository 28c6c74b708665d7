//! Participatory budgeting: the home screen's cycles, proposals, the
//! ballot. The ballot rule is the core's (`Profile::check_ballot`, the
//! same function the server runs).

use dauys_core::proto::{self, Phase, ProposalStatus};
use dauys_core::{BallotInput, BallotStatus, Profile};
use tauri::{AppHandle, State};

use super::{appeal_item, delivery, profile, R};
use crate::dto::*;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn home(st: State<'_, AppState>) -> R<Home> {
    let p = profile(&st)?;
    let follows = p.follows()?;
    let all = p.localities()?;
    let locality = follows
        .first()
        .and_then(|code| all.iter().find(|l| &l.code == code).cloned());
    // Cycles of the followed localities and the places above them.
    let chain = p.locality_chain()?;
    let mut cycles: Vec<_> = p
        .cycles(None)?
        .into_iter()
        .filter(|c| chain.is_empty() || chain.contains(&c.locality))
        .collect();
    let rank = |ph: Phase| match ph {
        Phase::Voting => 0,
        Phase::Collecting => 1,
        Phase::Closed => 9,
        _ => 2,
    };
    cycles.sort_by_key(|c| (rank(c.phase), std::cmp::Reverse(c.id.clone())));
    let appeals = p.appeals()?.into_iter().map(appeal_item).collect();
    Ok(Home {
        locality,
        cycles,
        appeals,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn proposals(st: State<'_, AppState>, query: ProposalQuery) -> R<Vec<proto::Proposal>> {
    let p = profile(&st)?;
    let q = dauys_core::ProposalQuery {
        cycle_id: query.cycle_id,
        search: Some(query.search).filter(|s| !s.trim().is_empty()),
        limit: Some(500),
    };
    let mut list = p.proposals(&q)?;
    if let Some(cat) = query.category.filter(|c| !c.is_empty()) {
        list.retain(|x| x.category == cat);
    }
    Ok(list)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn proposal(st: State<'_, AppState>, id: String) -> R<ProposalDetail> {
    let p = profile(&st)?;
    let proposal = p
        .proposals(&dauys_core::ProposalQuery {
            limit: Some(10_000),
            ..Default::default()
        })?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| CmdError::new("error-not-found", format!("proposal {id}")))?;
    let comments = p
        .comments(&id)?
        .into_iter()
        .map(|c| CommentItem {
            delivery: delivery(c.delivery.as_ref()).0,
            comment: c.comment,
        })
        .collect();
    Ok(ProposalDetail { proposal, comments })
}

/// When an op was queued (0 if unknown): one index lookup.
fn queued_at(p: &Profile, op: Option<&str>) -> R<i64> {
    let Some(id) = op.and_then(|o| o.parse().ok()) else {
        return Ok(0);
    };
    Ok(p.outbox_entry(id)?.map(|o| o.created_at).unwrap_or(0))
}

fn ballot_view(p: &Profile, cycle_id: &str) -> R<BallotView> {
    let cycle = p
        .cycle(cycle_id)?
        .ok_or_else(|| CmdError::new("error-not-found", format!("cycle {cycle_id}")))?;
    let mut proposals = p.proposals(&dauys_core::ProposalQuery {
        cycle_id: Some(cycle_id.to_string()),
        search: None,
        limit: Some(10_000),
    })?;
    // What is or was on the ballot.
    proposals.retain(|x| {
        matches!(
            x.status,
            ProposalStatus::OnBallot
                | ProposalStatus::Selected
                | ProposalStatus::NotSelected
                | ProposalStatus::InImplementation
                | ProposalStatus::Done
        )
    });
    let state = match p.ballots()?.into_iter().find(|b| b.cycle_id == cycle_id) {
        None => BallotState::None,
        Some(b) => match b.status {
            BallotStatus::QueuedNotCounted | BallotStatus::SendingNotCounted => {
                BallotState::Saved {
                    at: queued_at(p, b.op_id.as_deref())?,
                    proposal_ids: b.proposal_ids,
                }
            }
            BallotStatus::Counted { receipt } => BallotState::Counted {
                at: match b.counted.as_ref() {
                    Some(c) => c.cast_at,
                    None => queued_at(p, b.op_id.as_deref())?,
                },
                proposal_ids: b.proposal_ids,
                receipt,
            },
            BallotStatus::Rejected {
                code, message_key, ..
            } => BallotState::Rejected {
                proposal_ids: b.proposal_ids,
                error: CmdError::new(message_key, code),
            },
        },
    };
    Ok(BallotView {
        cycle,
        proposals,
        state,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn ballot(st: State<'_, AppState>, cycle_id: String) -> R<BallotView> {
    let p = profile(&st)?;
    ballot_view(&p, &cycle_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn results(st: State<'_, AppState>, cycle_id: String) -> R<BallotView> {
    let p = profile(&st)?;
    ballot_view(&p, &cycle_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn cast_ballot(
    app: AppHandle,
    st: State<'_, AppState>,
    ballot: CastBallot,
) -> R<BallotView> {
    let p = profile(&st)?;
    let input = BallotInput {
        cycle_id: ballot.cycle_id.clone(),
        proposal_ids: ballot.proposal_ids,
    };
    // The app refuses whatever its copy of the cycle refuses, the phase
    // included (the UI offers no ballot outside voting): an unknown cycle
    // is not found, a refused ballot is never queued.
    if p.check_ballot(&input)?.is_none() {
        return Err(CmdError::new(
            "error-not-found",
            format!("cycle {}", input.cycle_id),
        ));
    }
    p.cast_ballot(&input)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    ballot_view(&p, &ballot.cycle_id)
}

/// Checks the user's receipt in `cycle_id` against the published list
/// (fetched whole: the server does not learn whose receipt is checked).
#[tauri::command(rename_all = "snake_case")]
pub async fn check_receipt(st: State<'_, AppState>, cycle_id: String) -> R<ReceiptCheck> {
    let p = profile(&st)?;
    let r = p.check_receipt(&cycle_id, None).await?;
    Ok(ReceiptCheck {
        receipt: r.receipt,
        counted: r.counted,
        published: u32::try_from(r.published).unwrap_or(u32::MAX),
    })
}

/// "How your input was used": the projects chosen in the followed places
/// (and the places above them), most recently updated first.
#[tauri::command(rename_all = "snake_case")]
pub async fn implementation(st: State<'_, AppState>) -> R<Vec<proto::Proposal>> {
    let p = profile(&st)?;
    let chain = p.locality_chain()?;
    let mut list: Vec<proto::Proposal> = p
        .proposals(&dauys_core::ProposalQuery {
            limit: Some(10_000),
            ..Default::default()
        })?
        .into_iter()
        .filter(|x| {
            matches!(
                x.status,
                ProposalStatus::Selected | ProposalStatus::InImplementation | ProposalStatus::Done
            )
        })
        .filter(|x| chain.is_empty() || chain.contains(&x.locality))
        .collect();
    list.sort_by_key(|x| std::cmp::Reverse(x.updated_at));
    Ok(list)
}

/// A photo's bytes (fetched once, then kept sealed on the device).
#[tauri::command(rename_all = "snake_case")]
pub async fn photo(st: State<'_, AppState>, id: String) -> R<Vec<u8>> {
    Ok(profile(&st)?.photo(&id).await?)
}
