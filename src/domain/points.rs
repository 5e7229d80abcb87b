//! PAR Index sociological-survey points (methodology §5, [I]): each answer
//! level earns a share of its item's maximum points; a field's points are the
//! sum of its items'. Pure functions, no I/O.
use serde::Serialize;

use super::scoring::{OptionCounts, Tally};

/// How one item's answers become points.
#[derive(Debug, Clone, PartialEq)]
pub struct PointsMap {
    pub max_points: f64,
    /// (answer value, share of max_points in 0..=1); unlisted values (don't
    /// know, skipped) are excluded.
    pub shares: Vec<(i32, f64)>,
}

impl PointsMap {
    /// The default mapping: points = max × (k−1)/(K−1) for the k-th of K
    /// ordered levels, so the worst level earns 0 and the best the full points.
    pub fn linear(max_points: f64, levels: &[i32]) -> Self {
        let top = levels.len().saturating_sub(1).max(1) as f64;
        Self {
            max_points,
            shares: levels
                .iter()
                .enumerate()
                .map(|(k, v)| (*v, k as f64 / top))
                .collect(),
        }
    }
}

/// max_points × mean share over the listed answers; None when nobody gave one.
pub fn item_points(map: &PointsMap, counts: &OptionCounts) -> Option<f64> {
    let mut n = 0u64;
    let mut sum = 0.0;
    for (value, share) in &map.shares {
        let c = counts.get(value).copied().unwrap_or(0);
        n = n.saturating_add(c);
        sum += share * c as f64;
    }
    (n > 0).then(|| map.max_points * sum / n as f64)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemPoints {
    pub code: String,
    pub points: Option<f64>,
    pub max_points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldPoints {
    pub code: String,
    /// Sum of the items' points; an item nobody answered earns 0.
    pub points: f64,
    pub max_points: f64,
    pub items: Vec<ItemPoints>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointsResult {
    pub total: f64,
    pub max_total: f64,
    pub fields: Vec<FieldPoints>,
}

/// Points per field and in total for one unit's tally.
pub fn points(fields: &[(String, Vec<(String, PointsMap)>)], tally: &Tally) -> PointsResult {
    let empty = OptionCounts::new();
    let mut out = PointsResult {
        total: 0.0,
        max_total: 0.0,
        fields: Vec::with_capacity(fields.len()),
    };
    for (code, items) in fields {
        let mut field = FieldPoints {
            code: code.clone(),
            points: 0.0,
            max_points: 0.0,
            items: Vec::with_capacity(items.len()),
        };
        for (item, map) in items {
            let p = item_points(map, tally.get(item).unwrap_or(&empty));
            field.points += p.unwrap_or(0.0);
            field.max_points += map.max_points;
            field.items.push(ItemPoints {
                code: item.clone(),
                points: p,
                max_points: map.max_points,
            });
        }
        out.total += field.points;
        out.max_total += field.max_points;
        out.fields.push(field);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_mapping_from_worst_to_best() {
        let counts: OptionCounts = [(1, 3), (2, 5), (3, 7), (4, 11), (9, 4)].into();
        let map = PointsMap::linear(2.75, &[1, 2, 3, 4]);
        let a = item_points(&map, &counts).expect("points");
        // (0·3 + 1/3·5 + 2/3·7 + 1·11) / 26 × 2.75; the 9s (don't know) are left out.
        let expected = 2.75 * (5.0 / 3.0 + 14.0 / 3.0 + 11.0) / 26.0;
        assert!((a - expected).abs() < 1e-12);
        let four = PointsMap::linear(2.0, &[1, 2, 3, 4]);
        assert_eq!(item_points(&four, &[(4, 12)].into()), Some(2.0));
        assert_eq!(item_points(&four, &[(1, 12)].into()), Some(0.0));
        assert_eq!(
            item_points(&four, &[(1, 6), (4, 6), (0, 50)].into()),
            Some(1.0)
        );
        assert_eq!(item_points(&four, &[(0, 5)].into()), None);
    }

    #[test]
    fn fields_sum_their_items_and_unanswered_items_earn_nothing() {
        let mut tally = Tally::new();
        tally.insert("A1".into(), [(5, 10)].into());
        let fields = vec![(
            "F1".to_string(),
            vec![
                ("A1".to_string(), PointsMap::linear(2.0, &[1, 2, 3, 4, 5])),
                ("A2".to_string(), PointsMap::linear(1.0, &[1, 2, 3, 4, 5])),
            ],
        )];
        let r = points(&fields, &tally);
        assert_eq!(r.total, 2.0);
        assert_eq!(r.max_total, 3.0);
        assert_eq!(r.fields[0].items[1].points, None);
    }
}
