//! Who is ranked against whom, and the bands of a published ranking.
//!
//! Hà Nội ranks each block of units apart: departments among departments,
//! district-level units among themselves, communes and wards among
//! themselves (published-ranking.md). A level that has other units of the
//! campaign below it (the city, a district) is their total, never a rival,
//! and a unit with too few respondents is listed but not ranked: its figure
//! is too uncertain to set above or below another's.
use serde::Serialize;

use super::scoring::rank;
use super::unit::UnitKind;

/// The group a unit is ranked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// Sở and agencies of the same rank.
    Departments,
    /// Quận, huyện, thị xã.
    Districts,
    /// Phường, xã, thị trấn.
    Communes,
    /// The city itself, when it is surveyed as a unit of its own.
    City,
}

impl Block {
    pub const ALL: [Block; 4] = [
        Block::Departments,
        Block::Districts,
        Block::Communes,
        Block::City,
    ];

    pub fn of(kind: UnitKind) -> Block {
        match kind {
            UnitKind::City => Block::City,
            UnitKind::Department => Block::Departments,
            UnitKind::District
            | UnitKind::UrbanDistrict
            | UnitKind::RuralDistrict
            | UnitKind::Town => Block::Districts,
            UnitKind::Ward | UnitKind::Commune | UnitKind::Township => Block::Communes,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Block::Departments => "departments",
            Block::Districts => "districts",
            Block::Communes => "communes",
            Block::City => "city",
        }
    }
}

/// Whether a unit takes a place in its block's ranking, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Ranked,
    /// Fewer respondents than the template's `rank_min_respondents`.
    TooFewRespondents,
    /// Other units of the campaign lie below it: it is shown as their level.
    Level,
    /// No rate (no valid answer).
    NoData,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Ranked => "ranked",
            Standing::TooFewRespondents => "too_few_respondents",
            Standing::Level => "level",
            Standing::NoData => "no_data",
        }
    }
}

/// One unit as the ranking sees it.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub block: Block,
    pub level: bool,
    pub respondents: u64,
    pub rate: Option<f64>,
}

impl Entry {
    pub fn standing(&self, min_respondents: u64) -> Standing {
        if self.level {
            Standing::Level
        } else if !self.rate.is_some_and(f64::is_finite) {
            Standing::NoData
        } else if self.respondents < min_respondents {
            Standing::TooFewRespondents
        } else {
            Standing::Ranked
        }
    }
}

/// Each entry's standing and its rank within its block (1 = best; equal
/// rates at `decimals` share a rank, the next rank skips, as in the
/// published tables).
pub fn rank_in_blocks(
    entries: &[Entry],
    min_respondents: u64,
    decimals: u32,
) -> Vec<(Standing, Option<u32>)> {
    let mut out: Vec<(Standing, Option<u32>)> = entries
        .iter()
        .map(|e| (e.standing(min_respondents), None))
        .collect();
    for block in Block::ALL {
        let rivals: Vec<(usize, Option<f64>)> = entries
            .iter()
            .enumerate()
            .filter(|(i, e)| e.block == block && out[*i].0 == Standing::Ranked)
            .map(|(i, e)| (i, e.rate))
            .collect();
        for (i, r) in rank(&rivals, decimals) {
            out[i].1 = r;
        }
    }
    out
}

/// The band of an index, by the thresholds of `Bands`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Band {
    A,
    B,
    C,
    D,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::A => "A",
            Band::B => "B",
            Band::C => "C",
            Band::D => "D",
        }
    }
}

/// The lower bounds of bands A, B and C in percent; below C is D. The
/// national PAR reports use 90, 80 and 70.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bands {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            a: 90.0,
            b: 80.0,
            c: 70.0,
        }
    }
}

impl Bands {
    /// Thresholds must fall from A to C, within 0–100.
    pub fn new(a: f64, b: f64, c: f64) -> Result<Bands, String> {
        let within = |x: f64| (0.0..=100.0).contains(&x);
        if !(within(a) && within(b) && within(c)) {
            return Err(format!(
                "band thresholds must lie between 0 and 100 (got {a}, {b}, {c})"
            ));
        }
        if !(a > b && b > c) {
            return Err(format!(
                "band thresholds must fall from A to C (got {a}, {b}, {c})"
            ));
        }
        Ok(Bands { a, b, c })
    }

    /// The band of a rate as shown at `decimals`, so that a published 89,995
    /// read as "90,00" is in A, as a reader of the table would place it.
    pub fn of(&self, rate: f64, decimals: u32) -> Band {
        let shown = super::scoring::round_display(rate, decimals);
        if shown >= self.a {
            Band::A
        } else if shown >= self.b {
            Band::B
        } else if shown >= self.c {
            Band::C
        } else {
            Band::D
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(block: Block, respondents: u64, rate: f64) -> Entry {
        Entry {
            block,
            level: false,
            respondents,
            rate: Some(rate),
        }
    }

    #[test]
    fn blocks_are_ranked_apart() {
        let entries = [
            e(Block::Departments, 100, 80.0),
            e(Block::Communes, 100, 95.0),
            e(Block::Departments, 100, 90.0),
            e(Block::Communes, 100, 70.0),
        ];
        let r = rank_in_blocks(&entries, 30, 2);
        let ranks: Vec<_> = r.iter().map(|x| x.1).collect();
        assert_eq!(ranks, vec![Some(2), Some(1), Some(1), Some(2)]);
    }

    #[test]
    fn levels_and_small_samples_are_not_ranked() {
        let mut city = e(Block::City, 5000, 99.0);
        city.level = true;
        let entries = [
            city,
            e(Block::Communes, 1, 100.0),
            e(Block::Communes, 30, 60.0),
            Entry {
                rate: None,
                ..e(Block::Communes, 40, 0.0)
            },
        ];
        let r = rank_in_blocks(&entries, 30, 2);
        assert_eq!(r[0], (Standing::Level, None));
        assert_eq!(r[1], (Standing::TooFewRespondents, None));
        assert_eq!(r[2], (Standing::Ranked, Some(1)));
        assert_eq!(r[3], (Standing::NoData, None));
    }

    #[test]
    fn ties_share_a_rank_on_the_shown_decimals() {
        let entries = [
            e(Block::Communes, 50, 90.004),
            e(Block::Communes, 50, 90.001),
            e(Block::Communes, 50, 80.0),
        ];
        let r = rank_in_blocks(&entries, 30, 2);
        let ranks: Vec<_> = r.iter().map(|x| x.1).collect();
        assert_eq!(ranks, vec![Some(1), Some(1), Some(3)]);
    }

    #[test]
    fn bands_follow_the_shown_figure() {
        let b = Bands::default();
        assert_eq!(b.of(90.0, 2), Band::A);
        assert_eq!(b.of(89.996, 2), Band::A);
        assert_eq!(b.of(89.99, 2), Band::B);
        assert_eq!(b.of(80.0, 2), Band::B);
        assert_eq!(b.of(79.99, 2), Band::C);
        assert_eq!(b.of(69.99, 2), Band::D);
        assert!(Bands::new(80.0, 90.0, 70.0).is_err());
        assert!(Bands::new(101.0, 90.0, 70.0).is_err());
    }
}
