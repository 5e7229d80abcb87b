//! A campaign's own invitation wording: plain text with
//! placeholders, checked when it is saved and filled in when a message is
//! rendered. Pure: the HTML part is built from the segments by the caller.

/// The placeholders a subject or body may use.
pub const PLACEHOLDERS: [&str; 5] = ["campaign", "unit", "link", "deadline", "sender"];

/// Longest subject and body accepted.
pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 10_000;

/// A piece of a wording: literal text or a placeholder name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Field(String),
}

/// Why a wording cannot be saved. `line` counts from 1 in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordingError {
    Unknown { line: usize, name: String },
    Unclosed { line: usize },
    NoLink,
    Empty,
    TooLong(usize),
    LinkInSubject,
    MultiLineSubject,
}

impl std::fmt::Display for WordingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let allowed = PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ");
        match self {
            WordingError::Unknown { line, name } => write!(
                f,
                "line {line}: unknown placeholder {{{name}}} (allowed: {allowed}; write {{{{ and }}}} for literal braces)"
            ),
            WordingError::Unclosed { line } => write!(
                f,
                "line {line}: a brace is not closed (placeholders look like {{link}}; write {{{{ and }}}} for literal braces)"
            ),
            WordingError::NoLink => write!(f, "the body must contain {{link}}, the personal link"),
            WordingError::Empty => write!(f, "it is empty"),
            WordingError::TooLong(max) => write!(f, "longer than {max} characters"),
            WordingError::LinkInSubject => {
                write!(f, "{{link}} cannot be used in the subject (only in the body)")
            }
            WordingError::MultiLineSubject => write!(f, "the subject must be one line"),
        }
    }
}

/// Split a wording into text and placeholders. `{{` and `}}` are literal braces.
pub fn parse(text: &str) -> Result<Vec<Segment>, Vec<WordingError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut buf = String::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                line += 1;
                buf.push(c);
            }
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                buf.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                buf.push('}');
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                while let Some(&n) = chars.peek() {
                    if n == '}' {
                        chars.next();
                        closed = true;
                        break;
                    }
                    if n == '\n' || n == '{' {
                        break;
                    }
                    name.push(n);
                    chars.next();
                }
                if !closed {
                    errors.push(WordingError::Unclosed { line });
                    continue;
                }
                let name = name.trim().to_string();
                if PLACEHOLDERS.contains(&name.as_str()) {
                    if !buf.is_empty() {
                        out.push(Segment::Text(std::mem::take(&mut buf)));
                    }
                    out.push(Segment::Field(name));
                } else {
                    errors.push(WordingError::Unknown { line, name });
                }
            }
            '}' => errors.push(WordingError::Unclosed { line }),
            c => buf.push(c),
        }
    }
    if !buf.is_empty() {
        out.push(Segment::Text(buf));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Check a subject and body before they are saved: (subject errors, body errors).
pub fn validate(subject: &str, body: &str) -> (Vec<WordingError>, Vec<WordingError>) {
    let mut s_err = Vec::new();
    let mut b_err = Vec::new();
    let subject = subject.trim();
    if subject.is_empty() {
        s_err.push(WordingError::Empty);
    } else if subject.chars().count() > MAX_SUBJECT {
        s_err.push(WordingError::TooLong(MAX_SUBJECT));
    } else if subject.contains(['\n', '\r']) {
        s_err.push(WordingError::MultiLineSubject);
    } else {
        match parse(subject) {
            Ok(segs) if segs.contains(&Segment::Field("link".into())) => {
                s_err.push(WordingError::LinkInSubject)
            }
            Ok(_) => {}
            Err(e) => s_err.extend(e),
        }
    }
    if body.trim().is_empty() {
        b_err.push(WordingError::Empty);
    } else if body.chars().count() > MAX_BODY {
        b_err.push(WordingError::TooLong(MAX_BODY));
    } else {
        match parse(body) {
            Ok(segs) if !segs.contains(&Segment::Field("link".into())) => {
                b_err.push(WordingError::NoLink)
            }
            Ok(_) => {}
            Err(e) => {
                b_err.extend(e);
                if !body.contains("{link}") {
                    b_err.push(WordingError::NoLink);
                }
            }
        }
    }
    (s_err, b_err)
}

/// The values placeholders stand for in one message.
pub struct Values<'a> {
    pub campaign: &'a str,
    pub unit: &'a str,
    pub link: &'a str,
    pub deadline: &'a str,
    pub sender: &'a str,
}

impl Values<'_> {
    pub fn get(&self, name: &str) -> &str {
        match name {
            "campaign" => self.campaign,
            "unit" => self.unit,
            "link" => self.link,
            "deadline" => self.deadline,
            "sender" => self.sender,
            _ => "",
        }
    }
}

/// Fill in a wording as plain text. A wording that no longer parses (it was
/// validated on save) keeps its text as written.
pub fn fill(text: &str, v: &Values<'_>) -> String {
    match parse(text) {
        Ok(segs) => segs
            .iter()
            .map(|s| match s {
                Segment::Text(t) => t.as_str(),
                Segment::Field(f) => v.get(f),
            })
            .collect(),
        Err(_) => text.to_string(),
    }
}

/// Body paragraphs (separated by blank lines) for the HTML part.
pub fn paragraphs(text: &str) -> Vec<Vec<Segment>> {
    let normalized = text.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| parse(p).unwrap_or_else(|_| vec![Segment::Text(p.to_string())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v() -> Values<'static> {
        Values {
            campaign: "Khảo sát 2026",
            unit: "Sở Nội vụ",
            link: "https://x/i/t",
            deadline: "31/12/2026",
            sender: "Sở Nội vụ Hà Nội",
        }
    }

    #[test]
    fn placeholders_are_filled_and_braces_escaped() {
        let t = "Kính gửi lãnh đạo {unit},\n\nMời trả lời: {link} trước {deadline}. {{không phải}}\n{sender}";
        assert_eq!(validate("Mời khảo sát {campaign}", t), (vec![], vec![]));
        assert_eq!(
            fill(t, &v()),
            "Kính gửi lãnh đạo Sở Nội vụ,\n\nMời trả lời: https://x/i/t trước 31/12/2026. {không phải}\nSở Nội vụ Hà Nội"
        );
        assert_eq!(paragraphs(t).len(), 2);
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_named_with_their_line() {
        let (s, b) = validate("Mời {ten}", "Dòng một\n{link} {hoten}\n{unit");
        assert_eq!(
            s,
            vec![WordingError::Unknown {
                line: 1,
                name: "ten".into()
            }]
        );
        assert_eq!(
            b,
            vec![
                WordingError::Unknown {
                    line: 2,
                    name: "hoten".into()
                },
                WordingError::Unclosed { line: 3 }
            ]
        );
        assert!(b[0].to_string().contains("{hoten}") && b[0].to_string().contains("{link}"));
    }

    #[test]
    fn the_body_needs_the_link_and_the_subject_cannot_have_it() {
        let (s, b) = validate("{link}", "Không có đường dẫn");
        assert_eq!(s, vec![WordingError::LinkInSubject]);
        assert_eq!(b, vec![WordingError::NoLink]);
        let (s, b) = validate("  ", "");
        assert_eq!(
            (s, b),
            (vec![WordingError::Empty], vec![WordingError::Empty])
        );
    }
}
