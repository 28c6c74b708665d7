//! Personal views: what the user sees of their own actions, merging the
//! mirror (what the server confirmed) with the outbox (what is still on
//! the way), so the status shown is honest.

use std::collections::{BTreeMap, HashMap};

use dauys_proto::{BallotCastPayload, Comment, CommentTarget, OpKind};

use super::components::{budgets, comments};
use super::drafts::Drafts;
use super::kv::{self, Meta};
use super::mirror::Mirror;
use super::outbox::{OutboxRow, Select};
use super::uploads::Uploads;
use super::Profile;
use crate::error::{CoreError, Result};
use crate::model::*;

impl Profile {
    /// Comments of a proposal: pulled ones plus the user's own not yet
    /// pulled back (with their delivery state).
    pub fn comments(&self, proposal_id: &str) -> Result<Vec<CommentView>> {
        self.comments_on(&CommentTarget::proposal(proposal_id))
    }

    /// Comments on any commentable item: pulled ones plus the user's own
    /// not yet pulled back (with their delivery state).
    pub fn comments_on(&self, target: &CommentTarget) -> Result<Vec<CommentView>> {
        let (pulled, own) = {
            let c = self.conn();
            (
                Mirror::new(&c).comments(target)?,
                self.outbox_store(&c)
                    .rows(Select::LiveOfKind(OpKind::CommentAdd))?,
            )
        };
        let mut out: Vec<CommentView> = pulled
            .into_iter()
            .map(|comment| CommentView {
                comment,
                delivery: None,
            })
            .collect();
        for row in own {
            let Some((t, p)) = comments::added(&row.op) else {
                continue;
            };
            if &t != target {
                continue;
            }
            let id = row.op.id.to_string();
            if let Some(v) = out.iter_mut().find(|v| v.comment.id == id) {
                v.delivery = Some(row.state);
                continue;
            }
            out.push(CommentView {
                comment: Comment {
                    id,
                    proposal_id: t.proposal_id(),
                    target: t,
                    locality: String::new(),
                    body: p.body,
                    visible: true,
                    moderation_note: String::new(),
                    mine: true,
                    created_at: row.op.client_ts,
                },
                delivery: Some(row.state),
            });
        }
        Ok(out)
    }

    /// The user's appeals (newest first) with timelines.
    pub fn appeals(&self) -> Result<Vec<AppealView>> {
        let (appeals, rows) = {
            let c = self.conn();
            (
                Mirror::new(&c).my_appeals(&self.cipher)?,
                self.outbox_store(&c)
                    .rows(Select::Kind(OpKind::AppealSubmit))?,
            )
        };
        let states: HashMap<String, OpState> = rows
            .into_iter()
            .map(|r| (r.op.id.to_string(), r.state))
            .collect();
        Ok(appeals
            .into_iter()
            .map(|appeal| {
                let delivery = states.get(&appeal.id).cloned();
                AppealView { appeal, delivery }
            })
            .collect())
    }

    pub fn appeal(&self, id: &str) -> Result<AppealView> {
        self.appeals()?
            .into_iter()
            .find(|a| a.appeal.id == id)
            .ok_or_else(|| CoreError::NotFound(format!("appeal {id}")))
    }

    /// The user's proposals, newest first: those the server confirmed
    /// (with their status and the moderator's published reason) and those
    /// still on the way. A revision waiting to be delivered shows its new
    /// text, "submitted", and its delivery state.
    pub fn my_proposals(&self) -> Result<Vec<ProposalView>> {
        let (pulled, submits, revisions, withdrawals) = {
            let c = self.conn();
            let outbox = self.outbox_store(&c);
            (
                Mirror::new(&c).my_proposals()?,
                outbox.rows(Select::LiveOfKind(OpKind::ProposalSubmit))?,
                outbox.rows(Select::LiveOfKind(OpKind::ProposalRevise))?,
                outbox.rows(Select::LiveOfKind(OpKind::ProposalWithdraw))?,
            )
        };
        let mut out: Vec<ProposalView> = pulled
            .into_iter()
            .map(|proposal| ProposalView {
                proposal,
                delivery: None,
            })
            .collect();
        for row in submits {
            let Some(p) = budgets::submitted(&row.op) else {
                continue;
            };
            let id = row.op.id.to_string();
            if let Some(v) = out.iter_mut().find(|v| v.proposal.id == id) {
                if row.state.is_pending() {
                    v.delivery = Some(row.state);
                }
                continue;
            }
            out.push(ProposalView {
                proposal: dauys_proto::Proposal {
                    id,
                    cycle_id: p.cycle_id,
                    locality: String::new(),
                    title: p.title,
                    description: p.description,
                    category: p.category,
                    cost: p.cost,
                    location: p.location,
                    media: p.media,
                    status: dauys_proto::ProposalStatus::Submitted,
                    expert_cost: None,
                    expert_note: None,
                    votes: None,
                    progress: None,
                    history: Vec::new(),
                    mine: true,
                    created_at: row.op.client_ts,
                    updated_at: row.op.client_ts,
                },
                delivery: Some(row.state),
            });
        }
        for row in revisions.into_iter().filter(|r| r.state.is_pending()) {
            let Some(r) = budgets::revised(&row.op) else {
                continue;
            };
            if let Some(v) = out.iter_mut().find(|v| v.proposal.id == r.proposal_id) {
                v.proposal.title = r.title;
                v.proposal.description = r.description;
                v.proposal.category = r.category;
                v.proposal.cost = r.cost;
                v.proposal.status = dauys_proto::ProposalStatus::Submitted;
                v.delivery = Some(row.state);
            }
        }
        // A withdrawal on its way shows at once (with its delivery state).
        for row in withdrawals.into_iter().filter(|r| r.state.is_pending()) {
            let Some(id) = budgets::withdrawn(&row.op) else {
                continue;
            };
            if let Some(v) = out.iter_mut().find(|v| v.proposal.id == id) {
                v.proposal.status = dauys_proto::ProposalStatus::Withdrawn;
                v.delivery = Some(row.state);
            }
        }
        out.sort_by_key(|v| std::cmp::Reverse(v.proposal.created_at));
        Ok(out)
    }

    /// The user's ballots with honest status per cycle.
    pub fn ballots(&self) -> Result<Vec<BallotView>> {
        let (counted, rows) = {
            let c = self.conn();
            (
                Mirror::new(&c).my_ballots(&self.cipher)?,
                self.outbox_store(&c)
                    .rows(Select::Kind(OpKind::BallotCast))?,
            )
        };
        // The latest cast per cycle is the one that decides the status.
        let mut latest: BTreeMap<String, (BallotCastPayload, OutboxRow)> = BTreeMap::new();
        for row in rows {
            if let Some(p) = budgets::cast(&row.op) {
                latest.insert(p.cycle_id.clone(), (p, row));
            }
        }
        let mut cycles: Vec<String> = latest.keys().cloned().collect();
        for b in &counted {
            if !cycles.contains(&b.cycle_id) {
                cycles.push(b.cycle_id.clone());
            }
        }
        cycles.sort();
        let mut out = Vec::new();
        for cy in cycles {
            let cb = counted.iter().find(|b| b.cycle_id == cy).cloned();
            let cycle = self.cycle(&cy)?;
            let voting_ends = cycle
                .as_ref()
                .and_then(|c| c.schedule.get("tallying").cloned());
            let phase = cycle.as_ref().map(|c| c.phase.as_str().to_string());
            let view = match latest.remove(&cy) {
                Some((p, row)) => BallotView {
                    cycle_id: cy,
                    proposal_ids: p.proposal_ids,
                    status: ballot_status(&row.state),
                    op_id: Some(row.op.id.to_string()),
                    counted: cb,
                    voting_ends,
                    phase,
                },
                None => match cb {
                    Some(b) => BallotView {
                        cycle_id: cy,
                        proposal_ids: b.proposal_ids.clone(),
                        status: BallotStatus::Counted {
                            receipt: b.receipt.clone(),
                        },
                        op_id: Some(b.op_id.clone()),
                        counted: Some(b),
                        voting_ends,
                        phase,
                    },
                    None => continue,
                },
            };
            out.push(view);
        }
        Ok(out)
    }

    pub fn status(&self) -> Result<Status> {
        let follows = self.follows()?;
        let me = self.me()?;
        let signed_in = self.token()?.is_some();
        let c = self.conn();
        let ob = self.outbox_store(&c);
        Ok(Status {
            profile: self.info.id.clone(),
            server: self.info.server.clone(),
            signed_in,
            user_id: me.as_ref().map(|m| m.user_id.clone()),
            locality: me.map(|m| m.locality),
            follows,
            queued: ob.count("queued")?,
            sending: ob.count("sending")?,
            accepted: ob.count("accepted")?,
            rejected: ob.count("rejected")?,
            drafts: Drafts::new(&c, &self.cipher).count()?,
            media_pending: Uploads::new(&c).incomplete_count()?,
            cursor: kv::cursor(&c)?,
            last_sync_at: kv::get(&c, Meta::LastSyncAt)?.and_then(|s| s.parse().ok()),
            key_storage: self.info.key_storage,
        })
    }
}

/// The honest ballot status of a cast's delivery state.
pub(crate) fn ballot_status(state: &OpState) -> BallotStatus {
    match state {
        OpState::Queued => BallotStatus::QueuedNotCounted,
        OpState::Sending => BallotStatus::SendingNotCounted,
        OpState::Accepted { receipt, .. } => BallotStatus::Counted {
            receipt: receipt.clone().unwrap_or_default(),
        },
        OpState::Rejected {
            code,
            message_key,
            draft_id,
            ..
        } => BallotStatus::Rejected {
            code: code.clone(),
            message_key: message_key.clone(),
            draft_id: draft_id.clone(),
        },
    }
}
