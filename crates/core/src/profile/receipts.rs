//! "Check my ballot": once voting is over, the user's receipt is looked up
//! in the cycle's published fingerprints (`receipts.txt`). The whole list
//! is fetched and the check made here, so the server never learns whose
//! receipt is being checked; the list says only *that* a ballot was
//! counted, never how it voted.

use serde::{Deserialize, Serialize};

use super::Profile;
use crate::error::{CoreError, Result};
use crate::model::BallotStatus;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptCheck {
    pub cycle_id: String,
    pub receipt: String,
    /// The receipt is among the counted ballots' fingerprints.
    pub counted: bool,
    /// How many counted ballots the cycle published.
    pub published: usize,
}

impl Profile {
    /// The receipt of the user's counted ballot in `cycle_id`.
    pub fn ballot_receipt(&self, cycle_id: &str) -> Result<String> {
        let b = self
            .ballots()?
            .into_iter()
            .find(|b| b.cycle_id == cycle_id)
            .ok_or_else(|| CoreError::NotFound(format!("no ballot in cycle {cycle_id}")))?;
        match (b.status, b.counted) {
            (BallotStatus::Counted { receipt }, _) => Ok(receipt),
            (_, Some(counted)) => Ok(counted.receipt),
            _ => Err(CoreError::NotFound(format!(
                "the ballot in cycle {cycle_id} has not been counted yet"
            ))),
        }
    }

    /// Checks `receipt` (the user's own when `None`) against the cycle's
    /// published list. Before voting is over the server has published
    /// nothing and answers `phase_closed`.
    pub async fn check_receipt(
        &self,
        cycle_id: &str,
        receipt: Option<&str>,
    ) -> Result<ReceiptCheck> {
        let receipt = match receipt {
            Some(r) => dauys_proto::receipts::normalize(r)
                .ok_or_else(|| CoreError::Invalid(format!("{r} is not a receipt")))?,
            None => self.ballot_receipt(cycle_id)?,
        };
        let txt = self.api.receipts(cycle_id).await?;
        Ok(ReceiptCheck {
            counted: dauys_proto::receipts::listed(&txt, cycle_id, &receipt),
            published: txt.lines().filter(|l| !l.trim().is_empty()).count(),
            cycle_id: cycle_id.to_string(),
            receipt,
        })
    }
}
