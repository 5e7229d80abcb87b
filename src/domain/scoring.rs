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
//!   so they are data (`ItemRule`, `Node` weights, `PointsRule`), not code.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// Answer value -> number of respondents who gave it.
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

/// Shares of each option for perception/expectation items (§4.3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub code: String,
    /// Answers among the listed options.
    pub n: u64,
    /// (option, count, percent of n); percent is 0 when n is 0.
    pub shares: Vec<(i32, u64, f64)>,
}

/// Share of each listed option over the listed options' total; unlisted
/// values (don't know, skipped) are ignored. Duplicate options are listed once.
pub fn distribution(code: &str, counts: &OptionCounts, options: &[i32]) -> Distribution {
    let listed = distinct(options);
    let count_of = |o: &i32| counts.get(o).copied().unwrap_or(0);
    let n = listed
        .iter()
        .fold(0u64, |acc, o| acc.saturating_add(count_of(o)));
    let shares = listed
        .iter()
        .map(|o| {
            let c = count_of(o);
            (*o, c, rate(c, n).unwrap_or(0.0))
        })
        .collect();
    Distribution {
        code: code.to_owned(),
        n,
        shares,
    }
}

/// Values in first-seen order without repeats, so a repeated option or level
/// is not counted twice.
fn distinct(values: &[i32]) -> Vec<i32> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        if !out.contains(v) {
            out.push(*v);
        }
    }
    out
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

/// PAR sociological-survey scoring of one criterion (§5, [I]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsRule {
    pub max_points: f64,
    /// Answer levels ordered worst..best, e.g. [1, 2, 3, 4]; other values are
    /// excluded. Repeated levels are counted once, at their first position.
    pub levels: Vec<i32>,
}

/// max_points × mean over valid answers of index/(K−1): the worst level earns
/// 0, the best the full points. None when nobody gave a listed level, when
/// there are fewer than 2 distinct levels, or max_points is not finite.
pub fn item_points(rule: &PointsRule, counts: &OptionCounts) -> Option<f64> {
    let levels = distinct(&rule.levels);
    if levels.len() < 2 || !rule.max_points.is_finite() {
        return None;
    }
    let top = (levels.len() - 1) as f64;
    let mut n = 0u64;
    let mut sum = 0.0;
    for (value, count) in counts {
        if let Some(index) = levels.iter().position(|l| l == value) {
            n = n.saturating_add(*count);
            sum += index as f64 * *count as f64;
        }
    }
    (n > 0).then(|| rule.max_points * sum / (top * n as f64))
}

/// Points earned by one PAR field (lĩnh vực).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldPoints {
    pub code: String,
    /// Sum of the items' points; an item nobody answered contributes 0.
    pub points: f64,
    /// Sum of the items' max_points.
    pub max_points: f64,
    pub items: Vec<(String, Option<f64>)>,
}

/// Scores each field's criteria; returns the fields and the grand total.
pub fn par_points(
    fields: &[(String, Vec<(String, PointsRule)>)],
    tally: &Tally,
) -> (Vec<FieldPoints>, f64) {
    let empty = OptionCounts::new();
    let mut total = 0.0;
    let mut out = Vec::with_capacity(fields.len());
    for (field_code, items) in fields {
        let mut points = 0.0;
        let mut max_points = 0.0;
        let mut scored = Vec::with_capacity(items.len());
        for (item_code, rule) in items {
            let p = item_points(rule, tally.get(item_code).unwrap_or(&empty));
            points += p.unwrap_or(0.0);
            max_points += rule.max_points;
            scored.push((item_code.clone(), p));
        }
        total += points;
        out.push(FieldPoints {
            code: field_code.clone(),
            points,
            max_points,
            items: scored,
        });
    }
    (out, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counts(pairs: &[(i32, u64)]) -> OptionCounts {
        pairs.iter().copied().collect()
    }

    /// An item tally of `satisfied` 5s and `valid - satisfied` 2s.
    fn put_rate(tally: &mut Tally, code: &str, satisfied: u64, valid: u64) {
        add_answers(tally, code, 5, satisfied);
        add_answers(tally, code, 2, valid - satisfied);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn rate_of(result: &NodeResult, code: &str) -> Option<f64> {
        result.find(code).and_then(|n| n.rate)
    }

    fn shown(result: &NodeResult, code: &str) -> Option<f64> {
        rate_of(result, code).map(|r| round_display(r, 2))
    }

    /// §4.4 S-TC1..S-TC3 counts for answers 1..=5.
    fn svc_tc_tally() -> Tally {
        let rows: [(&str, [u64; 5]); 3] = [
            ("S-TC1", [2, 4, 14, 60, 40]),
            ("S-TC2", [1, 5, 20, 58, 36]),
            ("S-TC3", [0, 3, 17, 62, 38]),
        ];
        let mut tally = Tally::new();
        for (code, row) in rows {
            for (value, n) in (1..=5).zip(row) {
                add_answers(&mut tally, code, value, n);
            }
        }
        tally
    }

    fn svc_tc_node() -> Node {
        let items = ["S-TC1", "S-TC2", "S-TC3"]
            .iter()
            .map(|c| Node::item(*c, ItemRule::top2_of_5()))
            .collect();
        Node::group("SVC-TC", items)
    }

    fn single_items(codes: &[&str]) -> Vec<Node> {
        codes
            .iter()
            .map(|c| Node::item(*c, ItemRule::top2_of_5()))
            .collect()
    }

    #[test]
    fn golden_svc_tc_from_counts() {
        let result = score(&Model::new(svc_tc_node()), &svc_tc_tally());
        assert_eq!(shown(&result, "S-TC1"), Some(83.33));
        assert_eq!(shown(&result, "S-TC2"), Some(78.33));
        assert_eq!(shown(&result, "S-TC3"), Some(83.33));
        assert_eq!(shown(&result, "SVC-TC"), Some(81.67));
        assert_eq!(result.valid_n, 120);
        assert_eq!(result.find("S-TC2").map(|n| n.satisfied_n), Some(94));
    }

    #[test]
    fn golden_commune_sipas() {
        // §4.4: contents other than SVC-TC are given as rates; single items
        // with x of 1000 (or 10000) reproduce them exactly.
        let mut tally = svc_tc_tally();
        for (code, sat) in [
            ("SVC-TT", 850),
            ("SVC-CC", 880),
            ("SVC-KQ", 865),
            ("SVC-PA", 760),
            ("POL-A", 801),
            ("POL-B", 724),
            ("POL-C", 840),
            ("POL-D", 862),
        ] {
            put_rate(&mut tally, code, sat, 1000);
        }
        let mut svc = vec![svc_tc_node()];
        svc.extend(single_items(&["SVC-TT", "SVC-CC", "SVC-KQ", "SVC-PA"]));
        let pol = single_items(&["POL-A", "POL-B", "POL-C", "POL-D"]);
        let root = Node::group(
            "SIPAS",
            vec![Node::group("POL", pol), Node::group("SVC", svc)],
        );
        let result = score(&Model::new(root), &tally);
        assert_eq!(shown(&result, "SVC"), Some(83.43));
        assert!(close(rate_of(&result, "POL").unwrap_or(0.0), 80.675));
        assert_eq!(shown(&result, "POL"), Some(80.68));
        assert_eq!(shown(&result, "SIPAS"), Some(82.05));
        // 10-point PAR slot: 8.21.
        let points = sipas_points(result.rate, 10.0).map(|p| round_display(p, 2));
        assert_eq!(points, Some(8.21));
        // The same from the given values directly.
        let pol_mean = mean(&[80.10, 72.40, 84.00, 86.20]).unwrap_or(0.0);
        assert_eq!(round_display(pol_mean, 2), 80.68);
    }

    #[test]
    fn golden_model_a_and_hanoi_2024() {
        let mut tally = Tally::new();
        for (code, sat) in [
            ("TC", 852),
            ("TT", 834),
            ("CC", 869),
            ("KQ", 875),
            ("PA", 780),
        ] {
            put_rate(&mut tally, code, sat, 1000);
        }
        let model = Model::new(Node::group(
            "SIPAS",
            single_items(&["TC", "TT", "CC", "KQ", "PA"]),
        ));
        let result = score(&model, &tally);
        assert_eq!(result.rate.map(|r| round_display(r, 2)), Some(84.20));
        let direct = mean(&[85.2, 83.4, 86.9, 87.5, 78.0]).unwrap_or(0.0);
        assert_eq!(round_display(direct, 2), 84.20);

        let mut hn = Tally::new();
        put_rate(&mut hn, "POL", 8651, 10_000);
        put_rate(&mut hn, "SVC", 8649, 10_000);
        let model = Model::new(Node::group("SIPAS", single_items(&["POL", "SVC"])));
        assert_eq!(shown(&score(&model, &hn), "SIPAS"), Some(86.50));
        assert_eq!(
            mean(&[86.51, 86.49]).map(|r| round_display(r, 2)),
            Some(86.50)
        );
    }

    #[test]
    fn excluded_answers_leave_the_denominator() {
        // 0 = "không biết", 6 = N/A.
        let c = counts(&[(0, 50), (1, 10), (4, 20), (5, 10), (6, 30)]);
        assert_eq!(ItemRule::top2_of_5().count(&c), (30, 40));
        let mut tally = Tally::new();
        tally.insert("Q".into(), c);
        let result = score(&Model::new(Node::item("Q", ItemRule::top2_of_5())), &tally);
        assert_eq!(result.rate, Some(75.0));
        assert_eq!(result.valid_n, 40);
        // A satisfied value outside `valid` is not counted either.
        let odd = ItemRule::new(vec![5, 9], vec![1, 2, 3, 4, 5]);
        assert_eq!(odd.count(&counts(&[(9, 100), (5, 1), (1, 1)])), (1, 2));
        // Only excluded answers: no rate.
        let mut none = Tally::new();
        add_answers(&mut none, "Q", 0, 12);
        let result = score(&Model::new(Node::item("Q", ItemRule::top2_of_5())), &none);
        assert_eq!((result.rate, result.ci95, result.valid_n), (None, None, 0));
    }

    #[test]
    fn weights_renormalise_over_answered_children() {
        let mut tally = Tally::new();
        put_rate(&mut tally, "A", 80, 100);
        put_rate(&mut tally, "C", 40, 100);
        let root = Node::group(
            "G",
            vec![
                Node::item("A", ItemRule::top2_of_5()),
                Node::item("B", ItemRule::top2_of_5()).with_weight(5.0),
                Node::item("C", ItemRule::top2_of_5()).with_weight(3.0),
            ],
        );
        let result = score(&Model::new(root), &tally);
        // B unanswered: (1·80 + 3·40) / 4 = 50, not / 9.
        assert!(close(result.rate.unwrap_or(0.0), 50.0));
        assert_eq!(rate_of(&result, "B"), None);
        // Zero / invalid weights are skipped; nothing left -> None.
        assert_eq!(
            weighted_mean(&[(Some(10.0), 0.0), (Some(30.0), 1.0)]),
            Some(30.0)
        );
        assert_eq!(weighted_mean(&[(Some(10.0), f64::NAN), (None, 1.0)]), None);
        assert_eq!(mean(&[]), None);
        assert_eq!(
            weighted_mean(&[(Some(1.0), f64::MAX), (Some(2.0), f64::MAX)]),
            None
        );
        let empty = score(&Model::new(Node::group("E", vec![])), &tally);
        assert_eq!(
            (empty.rate, empty.valid_n, empty.low_sample),
            (None, 0, true)
        );
    }

    #[test]
    fn pooled_counts_and_group_fields() {
        let mut tally = Tally::new();
        put_rate(&mut tally, "A", 9, 10);
        put_rate(&mut tally, "B", 10, 90);
        let root = Node::group("G", single_items(&["A", "B"]));
        let mut model = Model::new(root);
        let mean_result = score(&model, &tally);
        assert!(close(
            mean_result.rate.unwrap_or(0.0),
            (90.0 + 100.0 / 9.0) / 2.0
        ));
        model.method = GroupMethod::PooledCounts;
        let pooled = score(&model, &tally);
        assert!(close(pooled.rate.unwrap_or(0.0), 19.0));
        // Groups: max valid_n below, no satisfied_n, no interval.
        assert_eq!(
            (pooled.valid_n, pooled.satisfied_n, pooled.ci95),
            (90, 0, None)
        );
        assert!(!pooled.low_sample);
        assert_eq!(pooled.find("A").map(|n| n.low_sample), Some(true));
        let ci = pooled.find("A").and_then(|n| n.ci95).unwrap_or((0.0, 0.0));
        assert!(ci.0 > 50.0 && ci.1 < 100.0 && ci.0 < 90.0 && ci.1 > 90.0);
    }

    #[test]
    fn wilson_interval() {
        assert_eq!(wilson(0, 0, Z95), None);
        assert_eq!(wilson(5, 4, Z95), None);
        let (lo, hi) = wilson(7, 7, Z95).unwrap_or((0.0, 0.0));
        assert_eq!(hi, 1.0);
        assert!(lo > 0.5 && lo < 1.0);
        assert_eq!(wilson(0, 7, Z95).map(|w| w.0), Some(0.0));
        // Reference values for 8/10.
        let (lo, hi) = wilson(8, 10, Z95).unwrap_or((0.0, 0.0));
        assert!((lo - 0.490_162).abs() < 1e-6 && (hi - 0.943_318).abs() < 1e-6);
    }

    #[test]
    fn ranking_ties_on_two_decimals() {
        let entries = vec![
            ("a", Some(90.0)),
            ("b", Some(85.004)),
            ("c", Some(85.0)),
            ("d", Some(80.0)),
        ];
        let ranked = rank(&entries, 2);
        assert_eq!(
            ranked,
            vec![
                ("a", Some(1)),
                ("b", Some(2)),
                ("c", Some(2)),
                ("d", Some(4))
            ]
        );
        // At 3 decimals they differ.
        assert_eq!(rank(&entries, 3)[2], ("c", Some(3)));
    }

    #[test]
    fn ranking_none_last_and_stable() {
        let entries = vec![
            ("x", None),
            ("y", Some(70.0)),
            ("z", Some(90.0)),
            ("w", Some(f64::NAN)),
            ("v", Some(70.001)),
        ];
        let ranked = rank(&entries, 2);
        assert_eq!(
            ranked,
            vec![
                ("z", Some(1)),
                ("y", Some(2)),
                ("v", Some(2)),
                ("x", None),
                ("w", None)
            ]
        );
        assert!(rank::<&str>(&[], 2).is_empty());
    }

    #[test]
    fn round_display_half_away_from_zero() {
        assert_eq!(round_display(80.675, 2), 80.68);
        assert_eq!(round_display(1.005, 2), 1.01);
        assert_eq!(round_display(-1.005, 2), -1.01);
        assert_eq!(round_display(2.5, 0), 3.0);
        assert_eq!(round_display(-2.5, 0), -3.0);
        assert_eq!(round_display(0.125, 2), 0.13);
        assert_eq!(round_display(83.4333, 2), 83.43);
        assert_eq!(round_display(-0.001, 2), 0.0);
        assert_eq!(round_display(100.0, 2), 100.0);
        assert_eq!(round_display(1e20, 2), 1e20);
        assert!(round_display(f64::NAN, 2).is_nan());
    }

    #[test]
    fn change_and_compare() {
        let c = change(Some(86.5), Some(83.57));
        assert!(close(c.delta.unwrap_or(0.0), 2.93));
        assert_eq!(change(Some(1.0), None).delta, None);
        assert_eq!(change(None, Some(1.0)).delta, None);

        let mut now = Tally::new();
        put_rate(&mut now, "A", 9, 10);
        put_rate(&mut now, "B", 5, 10);
        let mut before = Tally::new();
        put_rate(&mut before, "A", 8, 10);
        put_rate(&mut before, "OLD", 1, 10);
        let cur = score(
            &Model::new(Node::group("R", single_items(&["A", "B"]))),
            &now,
        );
        let prev = score(
            &Model::new(Node::group("R", single_items(&["A", "OLD"]))),
            &before,
        );
        let diff = compare(&cur, &prev);
        let codes: Vec<&str> = diff.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, vec!["R", "A", "B", "OLD"]);
        assert!(close(diff[1].1.delta.unwrap_or(0.0), 10.0));
        assert_eq!(diff[2].1, change(Some(50.0), None));
        assert_eq!(diff[3].1, change(None, Some(10.0)));
        assert!(close(diff[0].1.delta.unwrap_or(0.0), 70.0 - 45.0));
    }

    #[test]
    fn distribution_shares() {
        // N5 harassment: 1 none, 2 some, 3 many; 0 = no answer (ignored).
        let d = distribution(
            "N5",
            &counts(&[(0, 7), (1, 90), (2, 9), (3, 1)]),
            &[1, 2, 3, 3],
        );
        assert_eq!(d.n, 100);
        assert_eq!(d.shares, vec![(1, 90, 90.0), (2, 9, 9.0), (3, 1, 1.0)]);
        let empty = distribution("E1", &OptionCounts::new(), &[1, 2]);
        assert_eq!((empty.n, empty.shares), (0, vec![(1, 0, 0.0), (2, 0, 0.0)]));
    }

    #[test]
    fn par_points_four_levels() {
        let rule = PointsRule {
            max_points: 2.0,
            levels: vec![1, 2, 3, 4],
        };
        assert_eq!(item_points(&rule, &counts(&[(4, 12)])), Some(2.0));
        assert_eq!(item_points(&rule, &counts(&[(1, 12)])), Some(0.0));
        assert_eq!(
            item_points(&rule, &counts(&[(1, 6), (4, 6), (0, 50)])),
            Some(1.0)
        );
        assert_eq!(item_points(&rule, &counts(&[(0, 5)])), None);
        let single = PointsRule {
            max_points: 2.0,
            levels: vec![1, 1],
        };
        assert_eq!(item_points(&single, &counts(&[(1, 5)])), None);

        let mut tally = Tally::new();
        add_answers(&mut tally, "F1-1", 4, 10);
        add_answers(&mut tally, "F1-2", 3, 10); // index 2 of 3 -> 2/3 of 1.5 = 1.0
        add_answers(&mut tally, "F2-1", 1, 10);
        let fields = vec![
            (
                "F1".to_string(),
                vec![
                    ("F1-1".to_string(), rule.clone()),
                    (
                        "F1-2".to_string(),
                        PointsRule {
                            max_points: 1.5,
                            levels: vec![1, 2, 3, 4],
                        },
                    ),
                ],
            ),
            (
                "F2".to_string(),
                vec![
                    ("F2-1".to_string(), rule.clone()),
                    ("F2-2".to_string(), rule),
                ],
            ),
        ];
        let (per_field, total) = par_points(&fields, &tally);
        assert!(close(per_field[0].points, 3.0));
        assert!(close(per_field[0].max_points, 3.5));
        assert_eq!(per_field[1].points, 0.0);
        assert_eq!(per_field[1].items[1], ("F2-2".to_string(), None));
        assert!(close(total, 3.0));
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = Tally::new();
        add_answers(&mut a, "Q", 5, 3);
        let mut b = Tally::new();
        add_answers(&mut b, "Q", 5, 2);
        add_answers(&mut b, "Q", 1, 1);
        add_answers(&mut b, "R", 4, 7);
        merge(&mut a, &b);
        assert_eq!(a.get("Q"), Some(&counts(&[(1, 1), (5, 5)])));
        assert_eq!(a.get("R"), Some(&counts(&[(4, 7)])));
    }

    #[test]
    fn node_helpers_and_model_defaults() {
        let node = Node::group("G", single_items(&["A"]));
        assert_eq!(node.code(), "G");
        assert_eq!(node.weight(), 1.0);
        let model = Model::new(node);
        assert_eq!(model.method, GroupMethod::MeanOfChildren);
        assert_eq!(model.low_sample_n, 30);
    }

    // ---- property tests -------------------------------------------------

    /// Groups of items with their weights; codes are G{i} and I{i}-{j}.
    fn arb_shape() -> impl Strategy<Value = Vec<(f64, Vec<f64>)>> {
        prop::collection::vec(
            (0.1f64..10.0, prop::collection::vec(0.1f64..10.0, 1..4)),
            1..4,
        )
    }

    fn build_model(shape: &[(f64, Vec<f64>)], method: GroupMethod) -> (Model, Vec<String>) {
        let mut codes = Vec::new();
        let groups = shape
            .iter()
            .enumerate()
            .map(|(i, (gw, items))| {
                let children = items
                    .iter()
                    .enumerate()
                    .map(|(j, w)| {
                        let code = format!("I{i}-{j}");
                        codes.push(code.clone());
                        Node::item(code, ItemRule::top2_of_5()).with_weight(*w)
                    })
                    .collect();
                Node::group(format!("G{i}"), children).with_weight(*gw)
            })
            .collect();
        let mut model = Model::new(Node::group("ROOT", groups));
        model.method = method;
        (model, codes)
    }

    /// Responses as (item index, answer value); values outside 1..=5 are
    /// excluded answers.
    fn arb_responses() -> impl Strategy<Value = Vec<(usize, i32)>> {
        prop::collection::vec((0usize..12, -1i32..=7), 0..200)
    }

    fn tally_of(codes: &[String], responses: &[(usize, i32)]) -> Tally {
        let mut tally = Tally::new();
        for (i, v) in responses {
            add_response(&mut tally, &codes[i % codes.len()], *v);
        }
        tally
    }

    fn arb_method() -> impl Strategy<Value = GroupMethod> {
        prop_oneof![
            Just(GroupMethod::MeanOfChildren),
            Just(GroupMethod::PooledCounts)
        ]
    }

    proptest! {
        #[test]
        fn rates_stay_within_0_and_100(
            shape in arb_shape(), method in arb_method(), responses in arb_responses(),
        ) {
            let (model, codes) = build_model(&shape, method);
            let result = score(&model, &tally_of(&codes, &responses));
            for node in result.flatten() {
                if let Some(r) = node.rate {
                    prop_assert!((0.0..=100.0).contains(&r), "{} = {}", node.code, r);
                }
                if let Some((lo, hi)) = node.ci95 {
                    prop_assert!(0.0 <= lo && lo <= hi && hi <= 100.0);
                }
            }
        }

        #[test]
        fn one_more_satisfied_answer_never_lowers_a_rate(
            shape in arb_shape(), responses in arb_responses(), pick in any::<prop::sample::Index>(),
        ) {
            let (model, codes) = build_model(&shape, GroupMethod::MeanOfChildren);
            let mut tally = tally_of(&codes, &responses);
            let before = score(&model, &tally);
            let item = pick.get(&codes).clone();
            add_response(&mut tally, &item, 5);
            let after = score(&model, &tally);
            let group = item.split('-').next().unwrap_or("").replacen('I', "G", 1);
            for code in [item.as_str(), group.as_str(), "ROOT"] {
                let old = rate_of(&before, code);
                let new = rate_of(&after, code);
                prop_assert!(new.is_some(), "{} lost its rate", code);
                if let (Some(o), Some(n)) = (old, new) {
                    prop_assert!(n >= o - 1e-9, "{}: {} -> {}", code, o, n);
                }
            }
        }

        #[test]
        fn roll_up_of_a_single_child_equals_the_child(
            shape in arb_shape(), method in arb_method(), responses in arb_responses(),
        ) {
            let (model, codes) = build_model(&shape, method);
            let child = tally_of(&codes, &responses);
            let mut parent = Tally::new();
            merge(&mut parent, &child);
            prop_assert_eq!(&parent, &child);
            prop_assert_eq!(score(&model, &parent), score(&model, &child));
        }

        #[test]
        fn roll_up_equals_pooled_responses(
            shape in arb_shape(), a in arb_responses(), b in arb_responses(),
        ) {
            let (model, codes) = build_model(&shape, GroupMethod::MeanOfChildren);
            let mut parent = tally_of(&codes, &a);
            merge(&mut parent, &tally_of(&codes, &b));
            let all: Vec<(usize, i32)> = a.iter().chain(&b).copied().collect();
            prop_assert_eq!(score(&model, &parent), score(&model, &tally_of(&codes, &all)));
        }

        #[test]
        fn response_order_does_not_matter(
            (responses, shuffled) in arb_responses()
                .prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
            shape in arb_shape(), method in arb_method(),
        ) {
            let (model, codes) = build_model(&shape, method);
            prop_assert_eq!(
                score(&model, &tally_of(&codes, &responses)),
                score(&model, &tally_of(&codes, &shuffled))
            );
        }
    }
}
