//! The invitation and reminder messages: Vietnamese subject and body, plain
//! text and HTML, with the headers bounce matching and mail clients need.
use chrono::NaiveDate;
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use maud::html;

use crate::db::mail_wording::{CampaignWording, Wording};
use crate::domain::mail_wording::{self as wording, Segment, Values};
use crate::i18n::{Lang, Msg};

/// Set on every message; a returned copy inside a DSN names the invitation.
pub const INVITATION_HEADER: &str = "X-Sipas-Invitation";

#[derive(Clone)]
struct XSipasInvitation(String);

impl Header for XSipasInvitation {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str(INVITATION_HEADER)
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(XSipasInvitation(s.trim().to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.trim().to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// What one message says.
pub struct Letter<'a> {
    pub message_id: &'a str,
    pub invitation_id: &'a str,
    pub reminder: bool,
    pub from: &'a Mailbox,
    pub to: &'a str,
    pub campaign_name: &'a str,
    pub closes_on: NaiveDate,
    pub link: &'a str,
    /// The page that stops reminders (RFC 8058 one-click target).
    pub opt_out_link: &'a str,
    pub unit_name: &'a str,
    /// The campaign's own wording; None or empty kinds use the catalogue.
    pub wording: Option<&'a CampaignWording>,
}

/// The custom wording that applies to a letter, and whether it is the
/// invitation's wording reused for a reminder.
fn custom<'a>(l: &Letter<'a>) -> Option<(&'a Wording, bool)> {
    let w = l.wording?;
    match (l.reminder, &w.reminder, &w.invitation) {
        (true, Some(r), _) => Some((r, false)),
        (true, None, Some(i)) => Some((i, true)),
        (false, _, Some(i)) => Some((i, false)),
        _ => None,
    }
}

fn values<'a>(l: &Letter<'a>, deadline: &'a str, sender: &'a str) -> Values<'a> {
    Values {
        campaign: l.campaign_name,
        unit: l.unit_name,
        link: l.link,
        deadline,
        sender,
    }
}

fn sender_name(l: &Letter<'_>) -> String {
    l.from
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| l.from.email.to_string())
}

fn t(m: Msg) -> &'static str {
    m.get(Lang::Vi)
}

pub fn subject(l: &Letter<'_>) -> String {
    if let Some((w, reused)) = custom(l) {
        let (deadline, sender) = (l.closes_on.format("%d/%m/%Y").to_string(), sender_name(l));
        let s = wording::fill(w.subject.trim(), &values(l, &deadline, &sender));
        return if reused {
            format!("{}: {s}", t(Msg::MailReminderPrefix))
        } else {
            s
        };
    }
    let lead = if l.reminder {
        t(Msg::MailReminderSubject)
    } else {
        t(Msg::MailSubject)
    };
    format!("{lead}: {}", l.campaign_name)
}

pub fn plain_body(l: &Letter<'_>, sender: &str) -> String {
    let closes = l.closes_on.format("%d/%m/%Y");
    let mut out = String::new();
    if let Some((w, reused)) = custom(l) {
        if reused {
            out.push_str(t(Msg::MailReminderLead));
            out.push_str("\n\n");
        }
        let deadline = closes.to_string();
        out.push_str(wording::fill(&w.body, &values(l, &deadline, sender)).trim_end());
        out.push_str("\n\n");
        out.push_str(&opt_out_note(l));
        return out;
    }
    out.push_str(t(Msg::MailGreeting));
    out.push_str("\n\n");
    if l.reminder {
        out.push_str(t(Msg::MailReminderLead));
        out.push(' ');
    }
    out.push_str(&format!(
        "{} «{}».\n\n",
        t(Msg::MailInvite),
        l.campaign_name
    ));
    out.push_str(t(Msg::MailLinkNote));
    out.push_str("\n\n");
    out.push_str(l.link);
    out.push_str("\n\n");
    out.push_str(&format!("{} {closes}.\n", t(Msg::MailCloses)));
    out.push_str(t(Msg::MailAnonymity));
    out.push_str("\n\n");
    out.push_str(t(Msg::MailClosing));
    out.push('\n');
    out.push_str(sender);
    out.push_str("\n\n");
    out.push_str(&opt_out_note(l));
    out
}

fn opt_out_note(l: &Letter<'_>) -> String {
    format!("{} {}\n", t(Msg::MailOptOutNote), l.opt_out_link)
}

/// A custom body as HTML: one paragraph per blank-line-separated block, line
/// breaks kept, every value escaped, the link clickable.
fn custom_html(l: &Letter<'_>, w: &Wording, reused: bool, sender: &str) -> maud::Markup {
    let deadline = l.closes_on.format("%d/%m/%Y").to_string();
    let v = values(l, &deadline, sender);
    html! {
        @if reused { p { (t(Msg::MailReminderLead)) } }
        @for para in wording::paragraphs(&w.body) {
            p {
                @for seg in &para {
                    @match seg {
                        Segment::Field(f) if f == "link" => a href=(l.link) { (l.link) },
                        Segment::Field(f) => (v.get(f)),
                        Segment::Text(text) => {
                            @for (i, line) in text.split('\n').enumerate() {
                                @if i > 0 { br; }
                                (line.trim_end_matches('\r'))
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn html_body(l: &Letter<'_>, sender: &str) -> String {
    let closes = l.closes_on.format("%d/%m/%Y").to_string();
    html! {
        (maud::DOCTYPE)
        html lang="vi" {
            head { meta charset="utf-8"; title { (subject(l)) } }
            body {
                @if let Some((w, reused)) = custom(l) {
                    (custom_html(l, w, reused, sender))
                } @else {
                p { (t(Msg::MailGreeting)) }
                p {
                    @if l.reminder { (t(Msg::MailReminderLead)) " " }
                    (t(Msg::MailInvite)) " «" strong { (l.campaign_name) } "»."
                }
                p { (t(Msg::MailLinkNote)) }
                p { a href=(l.link) { (t(Msg::MailOpenForm)) } }
                p { small { (l.link) } }
                p { (t(Msg::MailCloses)) " " (closes) "." }
                p { (t(Msg::MailAnonymity)) }
                p { (t(Msg::MailClosing)) br; (sender) }
                }
                p { small { (t(Msg::MailOptOutNote)) " " a href=(l.opt_out_link) { (l.opt_out_link) } } }
            }
        }
    }
    .into_string()
}

/// Build the message. An error means the address or sender cannot be used.
pub fn build(l: &Letter<'_>) -> Result<Message, String> {
    let to: Mailbox =
        l.to.parse()
            .map_err(|e| format!("invalid recipient address {:?}: {e}", l.to))?;
    let sender = sender_name(l);
    let domain = l.from.email.domain().to_string();
    let unsubscribe = format!(
        "<{}>, <mailto:{}?subject=unsubscribe%20{}>",
        l.opt_out_link, l.from.email, l.invitation_id
    );
    Message::builder()
        .from(l.from.clone())
        .to(to)
        .subject(subject(l))
        .message_id(Some(format!("<{}@{domain}>", l.message_id)))
        .date_now()
        .header(XSipasInvitation(l.invitation_id.to_string()))
        .header(ListUnsubscribe(unsubscribe))
        .header(ListUnsubscribePost)
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .header(ContentTransferEncoding::Base64)
                        .body(plain_body(l, &sender)),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .header(ContentTransferEncoding::Base64)
                        .body(html_body(l, &sender)),
                ),
        )
        .map_err(|e| format!("cannot build the message: {e}"))
}
