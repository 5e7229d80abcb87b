//! Campaigns: a template version put in front of respondents for a period.
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    Draft,
    Open,
    Closed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignStatus> {
        match s {
            "draft" => Some(CampaignStatus::Draft),
            "open" => Some(CampaignStatus::Open),
            "closed" => Some(CampaignStatus::Closed),
            _ => None,
        }
    }
}

impl std::fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub use super::stored::UnknownState;

impl TryFrom<String> for CampaignStatus {
    type Error = UnknownState;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CampaignStatus::parse(&value).ok_or(UnknownState {
            what: "campaign status",
            value,
        })
    }
}

/// The survey period, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn parse(start: &str, end: &str) -> Result<Period, String> {
        let day = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| format!("{s:?} is not a date of the form YYYY-MM-DD"))
        };
        let period = Period {
            start: day(start)?,
            end: day(end)?,
        };
        if period.end < period.start {
            return Err(format!(
                "the period ends ({}) before it starts ({})",
                period.end, period.start
            ));
        }
        Ok(period)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// A campaign name: trimmed, not empty, of bounded length.
pub fn parse_name(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("the campaign name is empty".into());
    }
    if s.chars().count() > 200 {
        return Err("the campaign name is longer than 200 characters".into());
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_rejects_reversed_dates() {
        assert!(Period::parse("2026-12-31", "2026-01-01").is_err());
        assert!(Period::parse("2026-13-01", "2026-12-01").is_err());
        let p = Period::parse("2026-01-01", "2026-12-31").expect("valid");
        assert!(p.contains(NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")));
    }

    #[test]
    fn an_unknown_status_is_an_error_not_a_guess() {
        for s in [
            CampaignStatus::Draft,
            CampaignStatus::Open,
            CampaignStatus::Closed,
        ] {
            assert_eq!(CampaignStatus::try_from(s.to_string()).expect("known"), s);
        }
        let e = CampaignStatus::try_from("archived".to_string()).expect_err("unknown");
        assert_eq!(
            e.to_string(),
            "unknown campaign status \"archived\" in the database"
        );
    }
}
