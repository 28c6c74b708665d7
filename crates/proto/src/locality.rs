//! The administrative tree (region → district → city/okrug → village):
//! one walk for everyone who asks "is this place under that one?".

use std::collections::{HashMap, HashSet};

use crate::entities::Locality;

/// Parent links of the locality tree, built once per question.
#[derive(Debug, Clone, Default)]
pub struct LocalityTree {
    parent: HashMap<String, Option<String>>,
    children: HashMap<String, Vec<String>>,
}

impl LocalityTree {
    /// From `(code, parent)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, Option<String>)>) -> LocalityTree {
        let mut t = LocalityTree::default();
        for (code, parent) in pairs {
            if let Some(p) = &parent {
                t.children.entry(p.clone()).or_default().push(code.clone());
            }
            t.parent.insert(code, parent);
        }
        for c in t.children.values_mut() {
            c.sort();
        }
        t
    }

    pub fn from_localities(all: &[Locality]) -> LocalityTree {
        LocalityTree::new(all.iter().map(|l| (l.code.clone(), l.parent.clone())))
    }

    pub fn contains(&self, code: &str) -> bool {
        self.parent.contains_key(code)
    }

    /// `code` itself first, then its parents up to the root. Safe against
    /// a cycle in bad data; an unknown code is just itself.
    pub fn ancestors<'a>(&'a self, code: &'a str) -> Vec<&'a str> {
        let mut out = vec![code];
        let mut cur = code;
        while let Some(Some(p)) = self.parent.get(cur) {
            if out.contains(&p.as_str()) {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    /// Whether `code` is `ancestor` or lies under it.
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        self.ancestors(code).contains(&ancestor)
    }

    /// The known `roots` and everything under them, each once, roots first.
    pub fn subtree(&self, roots: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<&str> = roots
            .iter()
            .rev()
            .map(String::as_str)
            .filter(|r| self.contains(r))
            .collect();
        while let Some(code) = stack.pop() {
            if seen.insert(code) {
                out.push(code.to_string());
                if let Some(kids) = self.children.get(code) {
                    stack.extend(kids.iter().rev().map(String::as_str));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> LocalityTree {
        let p = |c: &str, p: Option<&str>| (c.to_string(), p.map(str::to_string));
        LocalityTree::new([
            p("R", None),
            p("D", Some("R")),
            p("V1", Some("D")),
            p("V2", Some("D")),
            p("X", Some("Y")),
            p("Y", Some("X")),
        ])
    }

    #[test]
    fn walks_up_and_down() {
        let t = tree();
        assert_eq!(t.ancestors("V1"), vec!["V1", "D", "R"]);
        assert_eq!(t.ancestors("nowhere"), vec!["nowhere"]);
        assert!(t.is_within("V2", "R"));
        assert!(t.is_within("D", "D"));
        assert!(!t.is_within("R", "D"));
        assert_eq!(t.subtree(&["D".into()]), vec!["D", "V1", "V2"]);
        assert_eq!(
            t.subtree(&["V1".into(), "D".into(), "?".into()]),
            vec!["V1", "D", "V2"]
        );
    }

    #[test]
    fn cycles_in_bad_data_end() {
        let t = tree();
        assert_eq!(t.ancestors("X"), vec!["X", "Y"]);
        assert!(!t.is_within("X", "R"));
        assert_eq!(t.subtree(&["X".into()]), vec!["X", "Y"]);
    }
}
