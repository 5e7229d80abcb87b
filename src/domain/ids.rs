//! Ids that cross the layers as types, so a unit's id cannot be passed where
//! a campaign's is expected. Each is parsed once: from a URL (through serde,
//! so a malformed one is a 404 before any handler runs) or from the
//! database (a stored value that does not parse is a query error).
use serde::{Deserialize, Deserializer, Serialize};

/// A text that is not the id it was read as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a {what}")]
pub struct BadId {
    pub what: &'static str,
    pub value: String,
}

/// Ids are version-4 UUIDs written in lowercase with hyphens; the parsed
/// form is that one spelling, so equal ids compare equal as text too.
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<$name, BadId> {
                uuid::Uuid::parse_str(s.trim())
                    .map(|u| $name(u.hyphenated().to_string()))
                    .map_err(|_| BadId {
                        what: $what,
                        value: s.to_string(),
                    })
            }

            /// A new, random id.
            pub fn random() -> $name {
                $name(uuid::Uuid::new_v4().hyphenated().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        $crate::text_newtype!($name);

        impl std::str::FromStr for $name {
            type Err = BadId;

            fn from_str(s: &str) -> Result<$name, BadId> {
                $name::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadId;

            fn try_from(value: String) -> Result<$name, BadId> {
                $name::parse(&value)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }

    };
}

uuid_id!(
    /// A campaign: a template version in front of respondents for a period.
    CampaignId,
    "campaign id"
);
uuid_id!(
    /// A unit of administration, as stored (its code may change meaning
    /// over time; its id does not).
    UnitId,
    "unit id"
);
uuid_id!(
    /// A personal link's invitation.
    InvitationId,
    "invitation id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_to_one_spelling_and_refuse_other_text() {
        let upper = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
        let id = CampaignId::parse(upper).expect("a uuid");
        assert_eq!(id.as_str(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert_eq!(CampaignId::parse(id.as_str()), Ok(id.clone()));
        let bad = UnitId::parse("../etc").unwrap_err();
        assert_eq!(bad.what, "unit id");
        let from_json: Result<InvitationId, _> = serde_json::from_str("\"nope\"");
        assert!(from_json.is_err());
        let ok: CampaignId = serde_json::from_str(&format!("\"{upper}\"")).expect("json");
        assert_eq!(ok, id);
    }
}
