//! Delivery status notifications (RFC 3464). A DSN is a multipart/report whose
//! message/delivery-status part says `Action: failed` and which returns the
//! original message or its headers; the original carries X-Sipas-Invitation.
//! Parsed by hand: only headers and plain-text parts matter here.
use std::path::{Path, PathBuf};

use super::message::INVITATION_HEADER;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    pub invitation_id: String,
    /// The Diagnostic-Code or Status the reporting server gave, if any.
    pub reason: String,
}

/// Header lines with folded continuation lines joined.
fn unfolded_lines(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in raw.lines() {
        if (line.starts_with(' ') || line.starts_with('\t')) && !out.is_empty() {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            out.push(line.trim_end().to_string());
        }
    }
    out
}

fn header_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let (n, v) = line.split_once(':')?;
    n.trim().eq_ignore_ascii_case(name).then_some(v.trim())
}

/// The bounce a DSN reports, or None when the file is not a failure report
/// about a message sipas sent.
pub fn parse_dsn(raw: &str) -> Option<Bounce> {
    let lines = unfolded_lines(raw);
    let lower = raw.to_ascii_lowercase();
    let is_report = lower.contains("message/delivery-status");
    if !is_report {
        return None;
    }
    let failed = lines
        .iter()
        .filter_map(|l| header_value(l, "Action"))
        .any(|v| v.eq_ignore_ascii_case("failed"));
    if !failed {
        return None;
    }
    let invitation_id = lines
        .iter()
        .filter_map(|l| header_value(l, INVITATION_HEADER))
        .map(str::to_string)
        .find(|v| uuid::Uuid::parse_str(v).is_ok())?;
    let reason = lines
        .iter()
        .find_map(|l| header_value(l, "Diagnostic-Code"))
        .or_else(|| lines.iter().find_map(|l| header_value(l, "Status")))
        .unwrap_or("bounced")
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

    const DSN: &str = "From: MAILER-DAEMON@mx.hanoi.gov.vn\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"B1\"\r\n\
\r\n--B1\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver.\r\n\
--B1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.hanoi.gov.vn\r\n\r\n\
Final-Recipient: rfc822; nobody@hanoi.gov.vn\r\nAction: failed\r\nStatus: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\
--B1\r\nContent-Type: text/rfc822-headers\r\n\r\nX-Sipas-Invitation: 0b7c3f9e-8a49-4f57-9d3c-2f0d8f2b6a11\r\nSubject: x\r\n--B1--\r\n";

    #[test]
    fn a_dsn_names_the_invitation() {
        let b = parse_dsn(DSN).expect("a bounce");
        assert_eq!(b.invitation_id, "0b7c3f9e-8a49-4f57-9d3c-2f0d8f2b6a11");
        assert!(b.reason.contains("550 5.1.1"), "{}", b.reason);
        assert_eq!(
            parse_dsn(&DSN.replace("Action: failed", "Action: delayed")),
            None
        );
        assert_eq!(parse_dsn("Subject: hello\r\n\r\nX-Sipas-Invitation: 0b7c3f9e-8a49-4f57-9d3c-2f0d8f2b6a11\r\n"), None);
    }
}
