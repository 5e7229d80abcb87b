//! The tree of units of administration (pure): built from (id, code,
//! parent id) rows, walked down (`subtree`) or up (`ancestors`).
//!
//! The database and the import planner keep it a tree, but a walk must not
//! hang on bad data: each walk visits a unit once, and a loop of parents
//! ends it with a `Cycle` that keeps what it had found.
use std::collections::{HashMap, HashSet};
use std::fmt;

pub struct UnitTree {
    ids: Vec<String>,
    codes: Vec<String>,
    /// Index of each unit's parent; None at the top or for a parent id no
    /// row has.
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
}

/// A walk met a unit twice: the parents loop through `at` (an id; `code` is
/// its code, for people). `found` is what the walk had found when it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle<T> {
    pub at: String,
    pub code: String,
    pub found: T,
}

impl<T> fmt::Display for Cycle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the parents of unit {} loop back to it", self.code)
    }
}

impl UnitTree {
    /// From (id, code, parent id) rows. An id given twice keeps its first row.
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, Option<&'a str>)>) -> Self {
        let mut tree = UnitTree {
            ids: Vec::new(),
            codes: Vec::new(),
            parent: Vec::new(),
            children: Vec::new(),
            by_id: HashMap::new(),
            by_code: HashMap::new(),
        };
        let mut parent_ids = Vec::new();
        for (id, code, parent_id) in rows {
            if tree.by_id.contains_key(id) {
                continue;
            }
            let i = tree.ids.len();
            tree.by_id.insert(id.to_string(), i);
            tree.by_code.entry(code.to_string()).or_insert(i);
            tree.ids.push(id.to_string());
            tree.codes.push(code.to_string());
            parent_ids.push(parent_id);
        }
        tree.children = vec![Vec::new(); tree.ids.len()];
        tree.parent = parent_ids
            .iter()
            .map(|p| p.and_then(|p| tree.by_id.get(p).copied()))
            .collect();
        for (i, p) in tree.parent.iter().enumerate() {
            if let Some(p) = p {
                tree.children[*p].push(i);
            }
        }
        tree
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The id of the unit with this code.
    pub fn by_code(&self, code: &str) -> Option<&str> {
        self.by_code.get(code).map(|&i| self.ids[i].as_str())
    }

    pub fn code_of(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(|&i| self.codes[i].as_str())
    }

    /// The parent's id, when the parent is a known unit.
    pub fn parent(&self, id: &str) -> Option<&str> {
        let p = self.parent[*self.by_id.get(id)?]?;
        Some(&self.ids[p])
    }

    /// The ids of the units right below `id`, in the order of the rows.
    pub fn children(&self, id: &str) -> impl Iterator<Item = &str> + '_ {
        let below = self.by_id.get(id).map_or(&[][..], |&i| &self.children[i]);
        below.iter().map(|&c| self.ids[c].as_str())
    }

    /// The ids of `id` and every unit below it; empty for an unknown id.
    /// A unit has one parent, so only `id` itself can come round again: then
    /// it is on a loop, and the error holds the units the walk reached.
    pub fn subtree(&self, id: &str) -> Result<HashSet<String>, Cycle<HashSet<String>>> {
        let Some(&root) = self.by_id.get(id) else {
            return Ok(HashSet::new());
        };
        let mut seen = vec![false; self.len()];
        seen[root] = true;
        let mut looped = false;
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            for &c in &self.children[i] {
                if seen[c] {
                    looped = true;
                } else {
                    seen[c] = true;
                    stack.push(c);
                }
            }
        }
        let found: HashSet<String> = (0..self.len())
            .filter(|&i| seen[i])
            .map(|i| self.ids[i].clone())
            .collect();
        if looped {
            Err(self.cycle_at(root, found))
        } else {
            Ok(found)
        }
    }

    /// The ids above `id`, nearest first; empty for an unknown id or a top
    /// unit. Stops at a parent id no row has.
    pub fn ancestors(&self, id: &str) -> Result<Vec<&str>, Cycle<Vec<&str>>> {
        let Some(&start) = self.by_id.get(id) else {
            return Ok(Vec::new());
        };
        let mut seen = HashSet::from([start]);
        let mut found = Vec::new();
        let mut cur = self.parent[start];
        while let Some(p) = cur {
            if !seen.insert(p) {
                return Err(self.cycle_at(p, found));
            }
            found.push(self.ids[p].as_str());
            cur = self.parent[p];
        }
        Ok(found)
    }

    fn cycle_at<T>(&self, i: usize, found: T) -> Cycle<T> {
        Cycle {
            at: self.ids[i].clone(),
            code: self.codes[i].clone(),
            found,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// city ─ d1 ─ w1, w2; city ─ d2. Ids are lower case, codes upper case.
    fn city() -> UnitTree {
        UnitTree::new([
            ("city", "HN", None),
            ("d1", "D1", Some("city")),
            ("w1", "W1", Some("d1")),
            ("w2", "W2", Some("d1")),
            ("d2", "D2", Some("city")),
        ])
    }

    fn set(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_subtree_holds_the_unit_and_everything_below() {
        let t = city();
        assert_eq!(t.subtree("d1"), Ok(set(&["d1", "w1", "w2"])));
        assert_eq!(t.subtree("w2"), Ok(set(&["w2"])));
        assert_eq!(t.subtree("city").map(|s| s.len()), Ok(5));
    }

    #[test]
    fn ancestors_come_nearest_first() {
        let t = city();
        assert_eq!(t.ancestors("w1"), Ok(vec!["d1", "city"]));
        assert_eq!(t.ancestors("city"), Ok(vec![]));
    }

    #[test]
    fn codes_children_and_parents() {
        let t = city();
        assert_eq!(t.by_code("D1"), Some("d1"));
        assert_eq!(t.by_code("d1"), None);
        assert_eq!(t.code_of("w2"), Some("W2"));
        assert_eq!(t.parent("w2"), Some("d1"));
        assert_eq!(t.parent("city"), None);
        assert_eq!(t.children("d1").collect::<Vec<_>>(), ["w1", "w2"]);
        assert_eq!(t.children("w1").count(), 0);
        assert!(t.contains("d2") && !t.contains("D2"));
        assert_eq!(t.len(), 5);
    }

    #[test]
    fn an_unknown_id_has_nothing_around_it() {
        let t = city();
        assert_eq!(t.subtree("nope"), Ok(HashSet::new()));
        assert_eq!(t.ancestors("nope"), Ok(vec![]));
        assert_eq!(t.children("nope").count(), 0);
        assert_eq!(t.parent("nope"), None);
        assert_eq!(t.code_of("nope"), None);
    }

    #[test]
    fn a_parent_no_row_has_ends_the_walk_up() {
        let t = UnitTree::new([("a", "A", Some("gone")), ("b", "B", Some("a"))]);
        assert_eq!(t.ancestors("b"), Ok(vec!["a"]));
        assert_eq!(t.parent("a"), None);
        assert_eq!(t.subtree("a"), Ok(set(&["a", "b"])));
    }

    #[test]
    fn a_loop_of_parents_stops_the_walk_and_says_where() {
        // a → b → c → a, with d hanging below b.
        let t = UnitTree::new([
            ("a", "A", Some("c")),
            ("b", "B", Some("a")),
            ("c", "C", Some("b")),
            ("d", "D", Some("b")),
        ]);
        let up = t.ancestors("d").unwrap_err();
        assert_eq!(up.at, "b");
        assert_eq!(up.found, ["b", "a", "c"]);
        assert_eq!(t.ancestors("a").unwrap_err().found, ["c", "b"]);
        let down = t.subtree("b").unwrap_err();
        assert_eq!(down.at, "b");
        assert_eq!(down.found, set(&["a", "b", "c", "d"]));
        assert_eq!(down.code, "B");
        assert!(down.to_string().contains("unit B"));
        // Below the loop nothing loops.
        assert_eq!(t.subtree("d"), Ok(set(&["d"])));
    }

    #[test]
    fn a_unit_that_is_its_own_parent_is_a_loop() {
        let t = UnitTree::new([("a", "A", Some("a"))]);
        assert_eq!(t.ancestors("a").unwrap_err().at, "a");
        assert_eq!(t.subtree("a").unwrap_err().found, set(&["a"]));
    }
}
