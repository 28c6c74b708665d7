//! Where the user is: the followed localities and the places above them
//! (one walk, [`dauys_proto::locality::LocalityTree`]), and what that
//! makes relevant — the bodies an appeal can be addressed to.

use dauys_proto::locality::LocalityTree;
use dauys_proto::Body;

use super::mirror::Mirror;
use super::session;
use super::Profile;
use crate::error::Result;

impl Profile {
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
