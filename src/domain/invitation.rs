//! The states of a personal link and of the messages that carry it, mapped
//! to the database's text in this one place.
use serde::Serialize;

use super::campaign::UnknownState;

/// Where a personal link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationStatus {
    /// Handed to a one-stop system; nothing to mail.
    Issued,
    /// Its message waits in the outbox.
    Queued,
    /// The receiving server accepted the message.
    Sent,
    /// The message could not be delivered (5xx, or retries used up).
    Failed,
    /// A delivery report came back for it.
    Bounced,
    /// The form was submitted; the link is spent.
    Answered,
}

impl InvitationStatus {
    pub const ALL: [InvitationStatus; 6] = [
        InvitationStatus::Issued,
        InvitationStatus::Queued,
        InvitationStatus::Sent,
        InvitationStatus::Failed,
        InvitationStatus::Bounced,
        InvitationStatus::Answered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Issued => "issued",
            InvitationStatus::Queued => "queued",
            InvitationStatus::Sent => "sent",
            InvitationStatus::Failed => "failed",
            InvitationStatus::Bounced => "bounced",
            InvitationStatus::Answered => "answered",
        }
    }

    /// A message may still be sent for it (reminders, retries).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            InvitationStatus::Issued
                | InvitationStatus::Queued
                | InvitationStatus::Sent
                | InvitationStatus::Failed
        )
    }
}

impl TryFrom<String> for InvitationStatus {
    type Error = UnknownState;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        InvitationStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or(UnknownState {
                what: "invitation status",
                value,
            })
    }
}

impl std::fmt::Display for InvitationStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one message of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStatus {
    Queued,
    /// Claimed by a worker under a lease.
    Sending,
    Sent,
    Failed,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Failed => "failed",
        }
    }
}

/// How a personal link reached its respondent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvitationChannel {
    /// Mailed from a recipient list.
    Email,
    /// Requested by a one-stop system through the API.
    Api,
}

crate::stored_text!(InvitationChannel, "invitation channel", Email => "email", Api => "api");

/// What a queued message says: the first invitation or a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    Invitation,
    Reminder,
}

crate::stored_text!(MessageKind, "message kind", Invitation => "invitation", Reminder => "reminder");

/// Where a personal link's token opens its form.
pub fn link_path(tok: &str) -> String {
    format!("/i/{tok}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_and_an_unknown_one_is_an_error() {
        for s in InvitationStatus::ALL {
            assert_eq!(InvitationStatus::try_from(s.to_string()).expect("known"), s);
        }
        assert!(InvitationStatus::try_from("lost".to_string()).is_err());
        let open: Vec<_> = InvitationStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open.len(), 4);
    }
}
