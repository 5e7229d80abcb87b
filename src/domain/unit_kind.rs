//! What a unit is: the city, a department (sở), a district-level unit
//! (quận, huyện, thị xã) or a commune-level one (phường, xã, thị trấn).
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    City,
    Department,
    /// A district-level unit of no more precise kind (older imports).
    District,
    /// Quận.
    UrbanDistrict,
    /// Huyện.
    RuralDistrict,
    /// Thị xã.
    Town,
    /// Phường.
    Ward,
    /// Xã.
    Commune,
    /// Thị trấn.
    Township,
}

/// Kinds that replace one another in a reorganisation: a new tree of
/// communes ends the old districts and communes, never the departments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    City,
    Departments,
    Territory,
}

impl UnitKind {
    pub const ALL: [UnitKind; 9] = [
        UnitKind::City,
        UnitKind::Department,
        UnitKind::District,
        UnitKind::UrbanDistrict,
        UnitKind::RuralDistrict,
        UnitKind::Town,
        UnitKind::Ward,
        UnitKind::Commune,
        UnitKind::Township,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::Department => "department",
            UnitKind::District => "district",
            UnitKind::UrbanDistrict => "urban_district",
            UnitKind::RuralDistrict => "rural_district",
            UnitKind::Town => "town",
            UnitKind::Ward => "ward",
            UnitKind::Commune => "commune",
            UnitKind::Township => "township",
        }
    }

    /// The Vietnamese word, also accepted in files with or without its
    /// diacritics ("thị xã", "thi_xa").
    pub fn vietnamese(self) -> &'static str {
        match self {
            UnitKind::City => "thành phố",
            UnitKind::Department => "sở",
            UnitKind::District => "cấp huyện",
            UnitKind::UrbanDistrict => "quận",
            UnitKind::RuralDistrict => "huyện",
            UnitKind::Town => "thị xã",
            UnitKind::Ward => "phường",
            UnitKind::Commune => "xã",
            UnitKind::Township => "thị trấn",
        }
    }

    fn ascii_vietnamese(self) -> &'static str {
        match self {
            UnitKind::City => "thanh_pho",
            UnitKind::Department => "so",
            UnitKind::District => "cap_huyen",
            UnitKind::UrbanDistrict => "quan",
            UnitKind::RuralDistrict => "huyen",
            UnitKind::Town => "thi_xa",
            UnitKind::Ward => "phuong",
            UnitKind::Commune => "xa",
            UnitKind::Township => "thi_tran",
        }
    }

    pub fn family(self) -> Family {
        match self {
            UnitKind::City => Family::City,
            UnitKind::Department => Family::Departments,
            _ => Family::Territory,
        }
    }

    /// From a file: the stored English spelling or the Vietnamese word.
    pub fn parse(s: &str) -> Result<UnitKind, String> {
        let wanted = s.trim().to_lowercase().replace([' ', '-'], "_");
        UnitKind::ALL
            .into_iter()
            .find(|k| {
                k.as_str() == wanted
                    || k.ascii_vietnamese() == wanted
                    || k.vietnamese().replace(' ', "_") == wanted
            })
            .ok_or_else(|| {
                format!(
                    "unknown kind {:?}; expected one of {}",
                    s.trim(),
                    UnitKind::ALL
                        .iter()
                        .map(|k| format!("{} ({})", k.as_str(), k.ascii_vietnamese()))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl TryFrom<String> for UnitKind {
    type Error = super::stored::UnknownState;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        UnitKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or(super::stored::UnknownState {
                what: "unit kind",
                value,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_official_words_and_the_stored_ones() {
        for (text, kind) in [
            ("quan", UnitKind::UrbanDistrict),
            ("Huyện", UnitKind::RuralDistrict),
            ("thị xã", UnitKind::Town),
            ("thi_tran", UnitKind::Township),
            ("phuong", UnitKind::Ward),
            ("xã", UnitKind::Commune),
            ("sở", UnitKind::Department),
            ("ward", UnitKind::Ward),
            ("urban_district", UnitKind::UrbanDistrict),
        ] {
            assert_eq!(UnitKind::parse(text), Ok(kind), "{text}");
        }
        assert!(UnitKind::parse("village").unwrap_err().contains("thi_xa"));
    }

    #[test]
    fn a_stored_kind_reads_back() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::try_from(k.as_str().to_string()).unwrap(), k);
        }
    }
}
