//! Units of administration: codes, rows of a units file, and the period a
//! unit is in force.
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A unit's code, e.g. `SNV` or `P-HOANKIEM`. Parsed once, then trusted:
/// from a file, a URL (serde) or the database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<UnitCode, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("code is empty".into());
        }
        if s.len() > 32 {
            return Err(format!("code {s:?} is longer than 32 characters"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            return Err(format!(
                "code {s:?} may only hold ASCII letters, digits, '-', '_' and '.'"
            ));
        }
        Ok(UnitCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::text_newtype!(UnitCode);

impl TryFrom<String> for UnitCode {
    type Error = String;

    fn try_from(value: String) -> Result<UnitCode, String> {
        UnitCode::parse(&value)
    }
}

impl<'de> Deserialize<'de> for UnitCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<UnitCode, D::Error> {
        let s = String::deserialize(d)?;
        UnitCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

pub use super::unit_kind::{Family, UnitKind};

/// One row of a units CSV, as read (before validation).
#[derive(Debug, Clone, Deserialize)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent_code: String,
}

/// A unit that passed validation and will be written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUnit {
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub parent_code: Option<UnitCode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The days a unit is in force, both ends included; None is open (since
/// ever, until further notice). A code names a unit only within its period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Validity {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Validity {
    pub fn on(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }
}

impl fmt::Display for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (None, None) => write!(f, "always"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
        }
    }
}
