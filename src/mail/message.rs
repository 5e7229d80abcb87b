//! The invitation and reminder messages: Vietnamese subject and body, plain
//! text and HTML, with the headers bounce matching and mail clients need.
use chrono::NaiveDate;
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use maud::html;

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
}

fn t(m: Msg) -> &'static str {
    m.get(Lang::Vi)
}

pub fn subject(l: &Letter<'_>) -> String {
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
    out.push('\n');
    out
}

pub fn html_body(l: &Letter<'_>, sender: &str) -> String {
    let closes = l.closes_on.format("%d/%m/%Y").to_string();
    html! {
        (maud::DOCTYPE)
        html lang="vi" {
            head { meta charset="utf-8"; title { (subject(l)) } }
            body {
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
        }
    }
    .into_string()
}

/// Build the message. An error means the address or sender cannot be used.
pub fn build(l: &Letter<'_>) -> Result<Message, String> {
    let to: Mailbox =
        l.to.parse()
            .map_err(|e| format!("invalid recipient address {:?}: {e}", l.to))?;
    let sender = l
        .from
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| l.from.email.to_string());
    let domain = l.from.email.domain().to_string();
    let unsubscribe = format!(
        "<mailto:{}?subject=unsubscribe%20{}>",
        l.from.email, l.invitation_id
    );
    Message::builder()
        .from(l.from.clone())
        .to(to)
        .subject(subject(l))
        .message_id(Some(format!("<{}@{domain}>", l.message_id)))
        .date_now()
        .header(XSipasInvitation(l.invitation_id.to_string()))
        .header(ListUnsubscribe(unsubscribe))
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
