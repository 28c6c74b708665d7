//! Where the user is: the followed localities and the places above them
//! (one walk, [`dauys_proto::locality::LocalityTree`]), and what that
//! makes relevant — the bodies an appeal can be addressed to.

use dauys_proto::locality::LocalityTree;
use dauys_proto::{Body, GeoPoint, Locality, Localized};
use serde::{Deserialize, Serialize};

use super::mirror::Mirror;
use super::session;
use super::Profile;
use crate::error::Result;

/// The centre of a followed place: "here, in my village" with no map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCentre {
    pub code: String,
    pub name: Localized,
    pub centre: GeoPoint,
}

impl Profile {
    /// The followed places and those above them as mirrored, nearest first.
    fn chain_places(&self) -> Result<Vec<Locality>> {
        let chain = self.locality_chain()?;
        let mut all = self.localities()?;
        let mut out = Vec::with_capacity(chain.len());
        for code in &chain {
            if let Some(i) = all.iter().position(|l| &l.code == code) {
                out.push(all.swap_remove(i));
            }
        }
        Ok(out)
    }

    /// Where "here" is without a map: the centre of the nearest followed
    /// place that has one (offline: the places are mirrored).
    pub fn home_centre(&self) -> Result<Option<PlaceCentre>> {
        Ok(self.chain_places()?.into_iter().find_map(|l| {
            l.centre.map(|centre| PlaceCentre {
                code: l.code,
                name: l.name,
                centre,
            })
        }))
    }

    /// The body the places' routing help suggests for an appeal about
    /// `topic` (see [`dauys_proto::suggested_body`]), if it is one the user
    /// can address.
    pub fn suggested_addressee(&self, topic: &str) -> Result<Option<Body>> {
        let places = self.chain_places()?;
        let refs: Vec<&Locality> = places.iter().collect();
        let Some(id) = dauys_proto::suggested_body(&refs, topic) else {
            return Ok(None);
        };
        Ok(self.addressees()?.into_iter().find(|b| b.id == id))
    }

    /// The followed localities, each followed by the places above it up to
    /// the root; each code once, in that order. Cycles and bodies of these
    /// places concern the user.
    pub fn locality_chain(&self) -> Result<Vec<String>> {
        let (follows, all) = {
            let c = self.conn();
            (session::follows(&c)?, Mirror::new(&c).localities()?)
        };
        let tree = LocalityTree::from_localities(&all);
        let mut out: Vec<String> = Vec::new();
        for f in &follows {
            for code in tree.ancestors(f) {
                if !out.iter().any(|x| x == code) {
                    out.push(code.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Bodies an appeal can be addressed to: those of the followed
    /// localities and of the places above them, nearest first, each once.
    pub fn addressees(&self) -> Result<Vec<Body>> {
        let chain = self.locality_chain()?;
        let all = self.localities()?;
        let mut out: Vec<Body> = Vec::new();
        for code in &chain {
            for b in all
                .iter()
                .filter(|l| &l.code == code)
                .flat_map(|l| &l.bodies)
            {
                if !out.iter().any(|x| x.id == b.id) {
                    out.push(b.clone());
                }
            }
        }
        Ok(out)
    }
}
