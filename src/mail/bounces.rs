//! Delivery status notifications (RFC 3464). A DSN is a multipart/report whose
//! message/delivery-status part says, per recipient, `Action: failed`, and
//! which returns the original message (message/rfc822) or its headers
//! (text/rfc822-headers); the original carries X-Sipas-Invitation.
//!
//! The MIME structure and transfer encodings (a base64 or quoted-printable
//! returned message, encoded header parts) are handled by the mail-parser
//! crate; only the delivery-status fields are read here.
use std::path::{Path, PathBuf};

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::message::INVITATION_HEADER;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    pub invitation_id: String,
    /// The Diagnostic-Code or Status the reporting server gave, if any.
    pub reason: String,
}

/// One recipient's fields in a message/delivery-status part.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RecipientStatus {
    pub final_recipient: Option<String>,
    pub action: Option<String>,
    pub status: Option<String>,
    pub diagnostic: Option<String>,
}

/// The per-recipient groups of a delivery-status body: header-like blocks
/// separated by blank lines; the first block is about the message.
pub fn delivery_status(text: &str) -> Vec<RecipientStatus> {
    let mut groups = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let flush = |fields: &mut Vec<(String, String)>, groups: &mut Vec<RecipientStatus>| {
        let mut r = RecipientStatus::default();
        for (n, v) in fields.drain(..) {
            let slot = match n.as_str() {
                "final-recipient" => &mut r.final_recipient,
                "action" => &mut r.action,
                "status" => &mut r.status,
                "diagnostic-code" => &mut r.diagnostic,
                _ => continue,
            };
            *slot = Some(v);
        }
        if r.action.is_some() || r.final_recipient.is_some() {
            groups.push(r);
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut fields, &mut groups);
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = fields.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((n, v)) = line.split_once(':') {
            let n = n.trim().to_ascii_lowercase();
            fields.push((n, v.trim().to_string()));
        }
    }
    flush(&mut fields, &mut groups);
    groups
}

fn is_ctype(ct: Option<&mail_parser::ContentType<'_>>, t: &str, subs: &[&str]) -> bool {
    ct.is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case(t)
            && ct
                .subtype()
                .is_some_and(|s| subs.iter().any(|x| s.eq_ignore_ascii_case(x)))
    })
}

/// Our header in a returned message or header block.
fn invitation_in(m: &Message<'_>) -> Option<String> {
    m.header_raw(INVITATION_HEADER)
        .map(|v| v.trim().to_string())
        .filter(|v| uuid::Uuid::parse_str(v).is_ok())
}

/// The invitation named by the returned original, wherever the report put it.
fn returned_invitation(dsn: &Message<'_>) -> Option<String> {
    let parser = MessageParser::default();
    for part in &dsn.parts {
        let ct = part.content_type();
        let found = match &part.body {
            // message/rfc822 (or global): parsed, transfer encoding undone.
            PartType::Message(m) => invitation_in(m),
            _ if is_ctype(ct, "text", &["rfc822-headers"])
                || is_ctype(ct, "message", &["rfc822-headers", "global-headers"]) =>
            {
                parser
                    .parse_headers(part.contents())
                    .as_ref()
                    .and_then(invitation_in)
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The bounce a DSN reports, or None when the file is not a failure report
/// about a message sipas sent.
pub fn parse_dsn(raw: &[u8]) -> Option<Bounce> {
    let dsn = MessageParser::default().parse(raw)?;
    let statuses: Vec<RecipientStatus> = dsn
        .parts
        .iter()
        .filter(|p| {
            is_ctype(
                p.content_type(),
                "message",
                &["delivery-status", "global-delivery-status"],
            )
        })
        .flat_map(|p| delivery_status(&String::from_utf8_lossy(p.contents())))
        .collect();
    let failed = statuses.iter().find(|s| {
        s.action
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("failed"))
    })?;
    let invitation_id = returned_invitation(&dsn)?;
    let reason = failed
        .diagnostic
        .clone()
        .or_else(|| failed.status.as_ref().map(|s| format!("Status: {s}")))
        .unwrap_or_else(|| "bounced".into())
        .chars()
        .take(500)
        .collect();
    Some(Bounce {
        invitation_id,
        reason,
    })
}

/// The message files of a maildir (new/ and cur/), or of a plain folder.
pub fn maildir_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let subs: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .map(|s| dir.join(s))
        .filter(|p| p.is_dir())
        .collect();
    let folders = if subs.is_empty() {
        vec![dir.to_path_buf()]
    } else {
        subs
    };
    let mut files = Vec::new();
    for f in folders {
        for entry in std::fs::read_dir(&f)? {
            let p = entry?.path();
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if p.is_file() && !hidden {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    const ID: &str = "0b7c3f9e-8a49-4f57-9d3c-2f0d8f2b6a11";

    /// The message sipas sent, as a receiving server would return it.
    fn original() -> String {
        let body = base64::engine::general_purpose::STANDARD
            .encode("Kính gửi Quý Ông/Bà,\r\nhttps://khaosat.example.vn/i/abc\r\n");
        format!(
            "From: =?utf-8?b?U+G7nyBO4buZaSB24bulIEjDoCBO4buZaQ==?= <khaosat@hanoi.gov.vn>\r\n\
To: nobody@hanoi.gov.vn\r\n\
Subject: =?utf-8?b?VGjGsCBt4budaQ==?=\r\n\
Message-ID: <m1@hanoi.gov.vn>\r\n\
X-Sipas-Invitation: {ID}\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n"
        )
    }

    /// Postfix's shape: a human part, the status part, the whole original.
    fn postfix(returned: &str) -> String {
        format!(
            "Return-Path: <>\r\n\
From: MAILER-DAEMON@mx.hanoi.gov.vn (Mail Delivery System)\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
To: khaosat@hanoi.gov.vn\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\tboundary=\"4F1A2B.1732500000/mx.hanoi.gov.vn\"\r\n\r\n\
This is a MIME-encapsulated message.\r\n\r\n\
--4F1A2B.1732500000/mx.hanoi.gov.vn\r\n\
Content-Description: Notification\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\r\n\
This is the mail system at host mx.hanoi.gov.vn.\r\n\r\n\
<nobody@hanoi.gov.vn>: host 10.0.0.5 said: 550 5.1.1 user unknown\r\n\r\n\
--4F1A2B.1732500000/mx.hanoi.gov.vn\r\n\
Content-Description: Delivery report\r\n\
Content-Type: message/delivery-status\r\n\r\n\
Reporting-MTA: dns; mx.hanoi.gov.vn\r\n\
X-Postfix-Queue-ID: 4F1A2B\r\n\
Arrival-Date: Wed, 25 Nov 2026 07:00:00 +0700 (ICT)\r\n\r\n\
Final-Recipient: rfc822; nobody@hanoi.gov.vn\r\n\
Original-Recipient: rfc822;nobody@hanoi.gov.vn\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Remote-MTA: dns; 10.0.0.5\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <nobody@hanoi.gov.vn>:\r\n\
\tRecipient address rejected: user unknown\r\n\r\n\
{returned}\
--4F1A2B.1732500000/mx.hanoi.gov.vn--\r\n"
        )
    }

    #[test]
    fn a_postfix_dsn_with_the_whole_original_names_the_invitation() {
        let part = format!(
            "--4F1A2B.1732500000/mx.hanoi.gov.vn\r\n\
Content-Description: Undelivered Message\r\n\
Content-Type: message/rfc822\r\n\r\n{}\r\n",
            original()
        );
        let b = parse_dsn(postfix(&part).as_bytes()).expect("a bounce");
        assert_eq!(b.invitation_id, ID);
        assert!(
            b.reason
                .contains("550 5.1.1 <nobody@hanoi.gov.vn>: Recipient address rejected"),
            "folded Diagnostic-Code is joined: {}",
            b.reason
        );
    }

    #[test]
    fn a_base64_encoded_returned_message_is_decoded() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(original());
        let wrapped: String = encoded
            .as_bytes()
            .chunks(76)
            .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
            .collect();
        assert!(
            !wrapped.contains("X-Sipas"),
            "the header is hidden by base64"
        );
        let part = format!(
            "--4F1A2B.1732500000/mx.hanoi.gov.vn\r\n\
Content-Type: message/rfc822\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{wrapped}"
        );
        let b = parse_dsn(postfix(&part).as_bytes()).expect("a bounce");
        assert_eq!(b.invitation_id, ID);
    }

    #[test]
    fn headers_only_reports_name_the_invitation_too() {
        let headers = original();
        let headers = headers.split("\r\n\r\n").next().expect("headers");
        let part = format!(
            "--4F1A2B.1732500000/mx.hanoi.gov.vn\r\n\
Content-Type: text/rfc822-headers\r\n\r\n{headers}\r\n\r\n"
        );
        let b = parse_dsn(postfix(&part).as_bytes()).expect("a bounce");
        assert_eq!(b.invitation_id, ID);
        // Quoted-printable encoded header part (seen from Exchange).
        let part = format!(
            "--4F1A2B.1732500000/mx.hanoi.gov.vn\r\n\
Content-Type: text/rfc822-headers\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n\
Subject: =3D?utf-8?b?VGjGsCBt4budaQ=3D=3D?=3D\r\n\
X-Sipas-Invitation: {ID}\r\n\r\n"
        );
        assert_eq!(
            parse_dsn(postfix(&part).as_bytes()).map(|b| b.invitation_id),
            Some(ID.to_string())
        );
    }

    #[test]
    fn delays_other_mail_and_plain_messages_are_not_bounces() {
        let part = format!(
            "--4F1A2B.1732500000/mx.hanoi.gov.vn\r\nContent-Type: message/rfc822\r\n\r\n{}\r\n",
            original()
        );
        let delayed = postfix(&part).replace("Action: failed", "Action: delayed");
        assert_eq!(parse_dsn(delayed.as_bytes()), None);
        let foreign = postfix(&part).replace("X-Sipas-Invitation", "X-Other");
        assert_eq!(parse_dsn(foreign.as_bytes()), None);
        let plain = format!("Subject: hello\r\n\r\nX-Sipas-Invitation: {ID}\r\n");
        assert_eq!(parse_dsn(plain.as_bytes()), None);
        assert_eq!(parse_dsn(b""), None);
    }

    #[test]
    fn delivery_status_groups_per_recipient() {
        let g = delivery_status(
            "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; x@y\nAction: delivered\n\n\
Final-Recipient: rfc822; z@y\nAction: failed\nStatus: 5.0.0\n",
        );
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].action.as_deref(), Some("failed"));
        assert_eq!(g[1].status.as_deref(), Some("5.0.0"));
        assert_eq!(g[0].final_recipient.as_deref(), Some("rfc822; x@y"));
    }
}
