//! Pure scoring engine for SIPAS satisfaction surveys and the PAR Index
//! sociological survey (methodology §4 and §5). No I/O: callers pass answer
//! counts in and get numbers out.
//!
//! Conventions:
//! * Rates are percentages in `0..=100` kept at full precision; rounding is
//!   only for display (`round_display`) and for ranking (`rank`).
//! * Units are rolled up by adding counts (`merge`), never by averaging
//!   percentages, so a parent's figures equal those of its pooled answers.
//! * Scales, satisfied boxes and weights are inferred in the methodology ([I]),
//!   so they are data (`ItemRule`, `Node` weights, and `points::PointsMap` for
//!   the PAR survey), not code.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// Answer value -> number of respondents who gave it (and, for a
/// multiple-choice item, `ANSWERED` -> respondents who answered it).
pub type OptionCounts = BTreeMap<i32, u64>;
/// Item code -> answer counts for that item.
pub type Tally = HashMap<String, OptionCounts>;

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959963984540054;
/// Below this many valid answers a figure is flagged as unreliable.
pub const DEFAULT_LOW_SAMPLE_N: u64 = 30;

/// How one item's answers become a rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRule {
    /// Values counted as satisfied (only those also in `valid` count).
    pub satisfied: Vec<i32>,
    /// Values counted in the denominator; anything else (don't know, N/A,
    /// skipped) is excluded.
    pub valid: Vec<i32>,
}

impl ItemRule {
    pub fn new(satisfied: Vec<i32>, valid: Vec<i32>) -> Self {
        Self { satisfied, valid }
    }

    /// The SIPAS default (§4.1): 4 "Hài lòng" + 5 "Rất hài lòng" over 1..=5.
    pub fn top2_of_5() -> Self {
        Self::new(vec![4, 5], (1..=5).collect())
    }

    /// Returns `(satisfied_n, valid_n)`. Iterating the counts (not the rule's
    /// vectors) means a value listed twice in the rule is still counted once.
    pub fn count(&self, counts: &OptionCounts) -> (u64, u64) {
        let mut satisfied = 0u64;
        let mut valid = 0u64;
        for (value, n) in counts {
            if self.valid.contains(value) {
                valid = valid.saturating_add(*n);
                // Requiring validity too keeps a rate from ever exceeding 100.
                if self.satisfied.contains(value) {
                    satisfied = satisfied.saturating_add(*n);
                }
            }
        }
        (satisfied, valid)
    }
}

fn default_weight() -> f64 {
    1.0
}

fn default_low_sample_n() -> u64 {
    DEFAULT_LOW_SAMPLE_N
}

/// A node of the indicator tree (item -> content -> domain -> SIPAS).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Group {
        code: String,
        #[serde(default = "default_weight")]
        weight: f64,
        children: Vec<Node>,
    },
    Item {
        code: String,
        #[serde(default = "default_weight")]
        weight: f64,
        rule: ItemRule,
    },
}

impl Node {
    /// A group with weight 1.0 (equal weights are the default, §4.2).
    pub fn group(code: impl Into<String>, children: Vec<Node>) -> Self {
        Node::Group {
            code: code.into(),
            weight: 1.0,
            children,
        }
    }

    /// An item with weight 1.0.
    pub fn item(code: impl Into<String>, rule: ItemRule) -> Self {
        Node::Item {
            code: code.into(),
            weight: 1.0,
            rule,
        }
    }

    pub fn with_weight(mut self, w: f64) -> Self {
        match &mut self {
            Node::Group { weight, .. } | Node::Item { weight, .. } => *weight = w,
        }
        self
    }

    pub fn code(&self) -> &str {
        match self {
            Node::Group { code, .. } | Node::Item { code, .. } => code,
        }
    }

    pub fn weight(&self) -> f64 {
        match self {
            Node::Group { weight, .. } | Node::Item { weight, .. } => *weight,
        }
    }
}

/// How a group's rate is derived from what is below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum GroupMethod {
    /// Weighted mean of the children's rates (§4.2 default).
    #[default]
    MeanOfChildren,
    /// 100 × Σ satisfied / Σ valid over all items below; weights are ignored.
    PooledCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub root: Node,
    #[serde(default)]
    pub method: GroupMethod,
    #[serde(default = "default_low_sample_n")]
    pub low_sample_n: u64,
}

impl Model {
    pub fn new(root: Node) -> Self {
        Self {
            root,
            method: GroupMethod::default(),
            low_sample_n: DEFAULT_LOW_SAMPLE_N,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeResult {
    pub code: String,
    /// Percentage 0..=100 at full precision; None when nothing valid below.
    pub rate: Option<f64>,
    /// Items: valid answers. Groups: the largest valid_n among the items
    /// below, i.e. how many respondents answered the group at most.
    pub valid_n: u64,
    /// Items only; 0 for groups.
    pub satisfied_n: u64,
    /// Wilson 95 % interval in percent; items only.
    pub ci95: Option<(f64, f64)>,
    pub low_sample: bool,
    pub children: Vec<NodeResult>,
}

impl NodeResult {
    /// All nodes in pre-order (self first), e.g. to store one row per node.
    pub fn flatten(&self) -> Vec<&NodeResult> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            out.push(node);
            stack.extend(node.children.iter().rev());
        }
        out
    }

    /// First node with this code in pre-order.
    pub fn find(&self, code: &str) -> Option<&NodeResult> {
        self.flatten().into_iter().find(|n| n.code == code)
    }
}

/// Scores the whole tree against one unit's tally.
pub fn score(model: &Model, tally: &Tally) -> NodeResult {
    score_node(&model.root, model, tally).0
}

/// Returns the result plus Σ satisfied and Σ valid of the items below, which
/// `PooledCounts` needs and which cannot be recovered from rounded rates.
fn score_node(node: &Node, model: &Model, tally: &Tally) -> (NodeResult, u64, u64) {
    match node {
        Node::Item { code, rule, .. } => {
            let (satisfied, valid) = tally.get(code).map_or((0, 0), |c| rule.count(c));
            let result = NodeResult {
                code: code.clone(),
                rate: rate(satisfied, valid),
                valid_n: valid,
                satisfied_n: satisfied,
                ci95: wilson(satisfied, valid, Z95).map(|(lo, hi)| (100.0 * lo, 100.0 * hi)),
                low_sample: valid < model.low_sample_n,
                children: Vec::new(),
            };
            (result, satisfied, valid)
        }
        Node::Group { code, children, .. } => {
            let mut results = Vec::with_capacity(children.len());
            let mut weighted = Vec::with_capacity(children.len());
            let (mut sat_sum, mut valid_sum, mut valid_max) = (0u64, 0u64, 0u64);
            for child in children {
                let (r, s, v) = score_node(child, model, tally);
                sat_sum = sat_sum.saturating_add(s);
                valid_sum = valid_sum.saturating_add(v);
                valid_max = valid_max.max(r.valid_n);
                weighted.push((r.rate, child.weight()));
                results.push(r);
            }
            let group_rate = match model.method {
                GroupMethod::MeanOfChildren => weighted_mean(&weighted),
                GroupMethod::PooledCounts => rate(sat_sum, valid_sum),
            };
            let result = NodeResult {
                code: code.clone(),
                // Clamp only absorbs float noise: the mean of values in 0..=100 stays there.
                rate: group_rate.map(|r| r.clamp(0.0, 100.0)),
                valid_n: valid_max,
                satisfied_n: 0,
                ci95: None,
                low_sample: valid_max < model.low_sample_n,
                children: results,
            };
            (result, sat_sum, valid_sum)
        }
    }
}

/// 100 × satisfied / valid, or None when there is no valid answer.
pub fn rate(satisfied: u64, valid: u64) -> Option<f64> {
    (valid > 0).then(|| 100.0 * satisfied as f64 / valid as f64)
}

/// Weighted mean over the entries that have a value, with weights
/// renormalised over those entries, so a child nobody answered does not pull
/// its parent towards 0. Entries whose weight is not finite and positive are
/// skipped too; None when nothing is left.
pub fn weighted_mean(values: &[(Option<f64>, f64)]) -> Option<f64> {
    let mut sum = 0.0;
    let mut weights = 0.0;
    for (value, weight) in values {
        if let Some(v) = value {
            if v.is_finite() && weight.is_finite() && *weight > 0.0 {
                sum += weight * v;
                weights += weight;
            }
        }
    }
    // Absurd weights can overflow to inf/inf; report nothing rather than NaN.
    let m = sum / weights;
    (weights > 0.0 && m.is_finite()).then_some(m)
}

/// Plain mean of the given values (equal weights); None when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    let pairs: Vec<(Option<f64>, f64)> = values.iter().map(|v| (Some(*v), 1.0)).collect();
    weighted_mean(&pairs)
}

/// Adds `from`'s counts into `into`. Rolling a parent unit up from its
/// children this way keeps every figure a ratio of real counts.
pub fn merge(into: &mut Tally, from: &Tally) {
    for (code, counts) in from {
        let target = into.entry(code.clone()).or_default();
        for (value, n) in counts {
            let slot = target.entry(*value).or_insert(0);
            *slot = slot.saturating_add(*n);
        }
    }
}

/// Takes `from`'s counts back out of `into` (the inverse of `merge`): cached
/// roll-ups follow a unit whose answers changed without pooling all units
/// again. Counts that reach zero are removed, so the result is exactly what
/// merging the remaining tallies would give.
pub fn unmerge(into: &mut Tally, from: &Tally) {
    for (code, counts) in from {
        let Some(target) = into.get_mut(code) else {
            continue;
        };
        for (value, n) in counts {
            if let Some(slot) = target.get_mut(value) {
                *slot = slot.saturating_sub(*n);
                if *slot == 0 {
                    target.remove(value);
                }
            }
        }
        if target.is_empty() {
            into.remove(code);
        }
    }
}

/// Records `n` answers of `value` to item `code`.
pub fn add_answers(tally: &mut Tally, code: &str, value: i32, n: u64) {
    let slot = tally
        .entry(code.to_owned())
        .or_default()
        .entry(value)
        .or_insert(0);
    *slot = slot.saturating_add(n);
}

/// Records one answer of `value` to item `code`.
pub fn add_response(tally: &mut Tally, code: &str, value: i32) {
    add_answers(tally, code, value, 1);
}

/// Wilson score interval for a proportion, as fractions in 0..=1. None for
/// n = 0, successes > n, or a z that is not finite and non-negative.
pub fn wilson(successes: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 || successes > n || !z.is_finite() || z < 0.0 {
        return None;
    }
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    // The bounds are exactly 0 / 1 at the extremes; pin them against float noise.
    let lo = if successes == 0 { 0.0 } else { centre - half };
    let hi = if successes == n { 1.0 } else { centre + half };
    Some((lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0)))
}

/// Rounds half away from zero to `decimals` places, for display only.
///
/// Works on the decimal expansion so that a stored 80.67499999999999 (the
/// binary neighbour of 80.675) shows as 80.68, as the published figures do.
/// Non-finite values, |x| >= 1e15 and more than 10 decimals are returned as is.
pub fn round_display(x: f64, decimals: u32) -> f64 {
    // Decimal places kept before rounding; enough to drop binary noise only.
    const CLEAN: u32 = 10;
    if !x.is_finite() || decimals > CLEAN || x.abs() >= 1e15 {
        return x;
    }
    let text = format!("{:.*}", CLEAN as usize, x.abs());
    let digits: String = text.chars().filter(|c| *c != '.').collect();
    let Ok(scaled) = digits.parse::<u128>() else {
        return x;
    };
    let step = 10u128.pow(CLEAN - decimals);
    let mut units = scaled / step;
    if (scaled % step) * 2 >= step {
        units += 1;
    }
    if units == 0 {
        return 0.0; // no "-0.00"
    }
    // Integer / power of ten gives the double nearest the decimal result.
    let value = units as f64 / 10f64.powi(decimals as i32);
    if x < 0.0 {
        -value
    } else {
        value
    }
}

/// Ranks descending with standard competition ranking (1, 2, 2, 4). Ties are
/// decided on values rounded to `decimals`, as published figures are compared.
/// None (and non-finite) values get no rank and go last; equal values keep
/// their input order.
pub fn rank<K: Clone>(entries: &[(K, Option<f64>)], decimals: u32) -> Vec<(K, Option<u32>)> {
    let mut keyed: Vec<(usize, Option<f64>)> = entries
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let shown = v
                .filter(|x| x.is_finite())
                .map(|x| round_display(x, decimals));
            (i, shown)
        })
        .collect();
    // sort_by is stable, which gives the input-order tie-break.
    keyed.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut out = Vec::with_capacity(keyed.len());
    let mut previous: Option<f64> = None;
    let mut current = 0u32;
    for (pos, (i, value)) in keyed.into_iter().enumerate() {
        let r = value.map(|v| {
            if previous != Some(v) {
                current = u32::try_from(pos + 1).unwrap_or(u32::MAX);
                previous = Some(v);
            }
            current
        });
        out.push((entries[i].0.clone(), r));
    }
    out
}

/// A figure against the previous campaign's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub current: Option<f64>,
    pub previous: Option<f64>,
    /// current − previous in percentage points, at full precision.
    pub delta: Option<f64>,
    /// The previous figure is estimated from the units before a
    /// reorganisation (their pooled counts, carried by the lineage).
    pub estimated: bool,
}

pub fn change(current: Option<f64>, previous: Option<f64>) -> Change {
    let delta = match (current, previous) {
        (Some(c), Some(p)) => Some(c - p),
        _ => None,
    };
    Change {
        current,
        previous,
        delta,
        estimated: false,
    }
}

/// Pairs nodes by code over both trees: the current tree in pre-order, then
/// codes found only in the previous one. If a code repeats within a tree, its
/// first occurrence is used.
pub fn compare(current: &NodeResult, previous: &NodeResult) -> Vec<(String, Change)> {
    let previous_nodes = previous.flatten();
    let mut previous_rates: HashMap<&str, Option<f64>> = HashMap::new();
    for node in &previous_nodes {
        previous_rates
            .entry(node.code.as_str())
            .or_insert(node.rate);
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for node in current.flatten() {
        if seen.insert(node.code.as_str()) {
            let before = previous_rates.get(node.code.as_str()).copied().flatten();
            out.push((node.code.clone(), change(node.rate, before)));
        }
    }
    for node in previous_nodes {
        if seen.insert(node.code.as_str()) {
            out.push((node.code.clone(), change(None, node.rate)));
        }
    }
    out
}

/// Converts a SIPAS percentage into its slot of the PAR Index (e.g. 10 points,
/// §4.4: 82.05 % -> 8.21), linearly ([I]).
pub fn sipas_points(rate: Option<f64>, max_points: f64) -> Option<f64> {
    rate.map(|r| max_points * r / 100.0)
}

mod distribution;
pub use distribution::{distribution, multiple_choice_distribution, Distribution, ANSWERED};

#[cfg(test)]
mod tests;
