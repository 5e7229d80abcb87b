//! Questionnaire templates: parsed once from TOML, validated, then immutable.
//!
//! Every error names the file, the line and the field, so an official editing a
//! questionnaire can fix it without reading Rust.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::scoring::{GroupMethod, ItemRule, Model, Node};
use super::text::LocalText;

/// A validated questionnaire.
#[derive(Debug, Clone)]
pub struct Template {
    pub key: String,
    pub title: LocalText,
    pub audience: Audience,
    pub purpose: LocalText,
    pub confidentiality: Option<LocalText>,
    pub low_sample_n: u64,
    pub scales: BTreeMap<String, Scale>,
    pub sections: Vec<Section>,
    pub items: Vec<Item>,
    /// SHA-256 of the source text: the identity of this version.
    pub content_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Citizen,
    Manager,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    /// Ordered levels, e.g. the 5-level satisfaction scale; these are scored.
    Ordinal,
    YesNo,
    Single,
    Multiple,
    Text,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleOption {
    pub value: i32,
    pub vi: String,
    #[serde(default)]
    pub en: String,
    /// Answers such as "không biết" or "not applicable" that stay out of the denominator.
    #[serde(default)]
    pub excluded: bool,
}

impl ScaleOption {
    pub fn label(&self) -> LocalText {
        LocalText {
            vi: self.vi.clone(),
            en: self.en.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub kind: ScaleKind,
    pub options: Vec<ScaleOption>,
    /// Levels that count as satisfied (default 4 and 5).
    pub satisfied: Vec<i32>,
    pub max_choices: Option<u32>,
    pub max_length: u32,
}

impl Scale {
    pub fn option(&self, value: i32) -> Option<&ScaleOption> {
        self.options.iter().find(|o| o.value == value)
    }

    /// Values counted in an item's denominator.
    pub fn valid_values(&self) -> Vec<i32> {
        self.options
            .iter()
            .filter(|o| !o.excluded)
            .map(|o| o.value)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub code: String,
    pub title: LocalText,
    pub parent: Option<String>,
    pub weight: f64,
    /// Whether the section takes part in the satisfaction index.
    pub scored: bool,
}

/// Show an item only when an earlier answer has one of the given values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub item: String,
    pub values: Vec<i32>,
}

impl Condition {
    pub fn holds(&self, answers: &HashMap<String, Vec<i32>>) -> bool {
        answers
            .get(&self.item)
            .is_some_and(|given| given.iter().any(|v| self.values.contains(v)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub code: String,
    pub section: String,
    pub scale: String,
    pub text: LocalText,
    pub required: bool,
    pub weight: f64,
    pub ask_if: Option<Condition>,
}

/// A template error located in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

// ---- raw TOML shapes -------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    key: Spanned<String>,
    title: LocalText,
    audience: Audience,
    #[serde(default)]
    purpose: LocalText,
    confidentiality: Option<LocalText>,
    low_sample_n: Option<u64>,
    #[serde(default)]
    scales: BTreeMap<String, Spanned<RawScale>>,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    kind: ScaleKind,
    #[serde(default)]
    options: Vec<ScaleOption>,
    satisfied: Option<Vec<i32>>,
    max_choices: Option<u32>,
    max_length: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    code: Spanned<String>,
    title: LocalText,
    parent: Option<Spanned<String>>,
    weight: Option<Spanned<f64>>,
    scored: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: Spanned<String>,
    section: Spanned<String>,
    scale: Spanned<String>,
    text: LocalText,
    required: Option<bool>,
    weight: Option<Spanned<f64>>,
    ask_if: Option<Spanned<String>>,
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

struct Errors<'a> {
    file: &'a str,
    source: &'a str,
    list: Vec<TemplateError>,
}

impl Errors<'_> {
    fn at(&mut self, offset: usize, field: impl Into<String>, message: impl Into<String>) {
        self.list.push(TemplateError {
            file: self.file.to_string(),
            line: line_of(self.source, offset),
            field: field.into(),
            message: message.into(),
        });
    }
}

/// Parse `ITEM = 1` or `ITEM in [1, 2]`.
fn parse_condition(s: &str) -> Option<Condition> {
    let s = s.trim();
    let (item, rest) = if let Some((a, b)) = s.split_once(" in ") {
        (a.trim(), b.trim().strip_prefix('[')?.strip_suffix(']')?)
    } else {
        let (a, b) = s.split_once('=')?;
        (a.trim(), b.trim())
    };
    let values: Option<Vec<i32>> = rest
        .split(',')
        .map(|v| v.trim().parse::<i32>().ok())
        .collect();
    let values = values?;
    if !is_code(item) || values.is_empty() {
        return None;
    }
    Some(Condition {
        item: item.to_string(),
        values,
    })
}

impl Template {
    /// Parse and validate one template file. Returns every error found, not just the first.
    pub fn parse(file: &str, source: &str) -> Result<Template, Vec<TemplateError>> {
        let raw: RawTemplate = toml::from_str(source).map_err(|e| {
            let line = e.span().map(|s| line_of(source, s.start)).unwrap_or(1);
            vec![TemplateError {
                file: file.to_string(),
                line,
                field: "toml".to_string(),
                message: e.message().to_string(),
            }]
        })?;
        let mut errs = Errors {
            file,
            source,
            list: Vec::new(),
        };

        if !is_code(raw.key.get_ref()) {
            errs.at(
                raw.key.span().start,
                "key",
                "must be 1–40 ASCII letters, digits, '-', '_' or '.'",
            );
        }
        if raw.title.vi.trim().is_empty() {
            errs.at(0, "title.vi", "a Vietnamese title is required");
        }

        let mut scales = BTreeMap::new();
        for (id, spanned) in &raw.scales {
            let at = spanned.span().start;
            let rs = spanned.get_ref();
            let field = |f: &str| format!("scales.{id}.{f}");
            let mut seen = HashSet::new();
            for o in &rs.options {
                if !seen.insert(o.value) {
                    errs.at(
                        at,
                        field("options"),
                        format!("value {} appears twice", o.value),
                    );
                }
                if o.vi.trim().is_empty() {
                    errs.at(
                        at,
                        field("options"),
                        format!("value {} has no Vietnamese label", o.value),
                    );
                }
            }
            let needs_options = !matches!(rs.kind, ScaleKind::Text);
            if needs_options && rs.options.is_empty() {
                errs.at(at, field("options"), "a choice scale needs options");
            }
            let satisfied = match (&rs.satisfied, rs.kind) {
                (Some(s), _) => s.clone(),
                (None, ScaleKind::Ordinal) => vec![4, 5],
                (None, _) => Vec::new(),
            };
            for v in &satisfied {
                if !rs.options.iter().any(|o| o.value == *v && !o.excluded) {
                    errs.at(
                        at,
                        field("satisfied"),
                        format!("{v} is not a valid option of this scale"),
                    );
                }
            }
            if rs.kind == ScaleKind::Multiple {
                match rs.max_choices {
                    Some(0) => errs.at(at, field("max_choices"), "must be at least 1"),
                    Some(m) if m as usize > rs.options.len() => errs.at(
                        at,
                        field("max_choices"),
                        "is more than the number of options",
                    ),
                    _ => {}
                }
            }
            scales.insert(
                id.clone(),
                Scale {
                    id: id.clone(),
                    kind: rs.kind,
                    options: rs.options.clone(),
                    satisfied,
                    max_choices: rs.max_choices,
                    max_length: rs.max_length.unwrap_or(1000),
                },
            );
        }

        let mut sections: Vec<Section> = Vec::new();
        let mut section_codes = HashSet::new();
        for (i, rs) in raw.sections.iter().enumerate() {
            let code = rs.code.get_ref();
            let field = |f: &str| format!("sections[{i}].{f}");
            if !is_code(code) {
                errs.at(rs.code.span().start, field("code"), "not a valid code");
            }
            if !section_codes.insert(code.clone()) {
                errs.at(
                    rs.code.span().start,
                    field("code"),
                    format!("duplicate code {code}"),
                );
            }
            let weight = rs.weight.as_ref().map(|w| *w.get_ref()).unwrap_or(1.0);
            if let Some(w) = &rs.weight {
                if !(w.get_ref().is_finite() && *w.get_ref() > 0.0) {
                    errs.at(w.span().start, field("weight"), "must be a positive number");
                }
            }
            sections.push(Section {
                code: code.clone(),
                title: rs.title.clone(),
                parent: rs.parent.as_ref().map(|p| p.get_ref().clone()),
                weight,
                scored: rs.scored.unwrap_or(true),
            });
        }
        for (i, rs) in raw.sections.iter().enumerate() {
            if let Some(p) = &rs.parent {
                if !section_codes.contains(p.get_ref()) {
                    errs.at(
                        p.span().start,
                        format!("sections[{i}].parent"),
                        format!("no section has code {}", p.get_ref()),
                    );
                }
            }
        }
        // A parent chain must end: walk up at most `len` steps.
        for s in &sections {
            let mut cur = s.parent.clone();
            let mut steps = 0;
            while let Some(p) = cur {
                steps += 1;
                if steps > sections.len() {
                    errs.at(
                        0,
                        format!("sections.{}", s.code),
                        "parent chain forms a cycle",
                    );
                    break;
                }
                cur = sections
                    .iter()
                    .find(|x| x.code == p)
                    .and_then(|x| x.parent.clone());
            }
        }

        let mut items: Vec<Item> = Vec::new();
        let mut item_codes: HashMap<String, usize> = HashMap::new();
        for (i, ri) in raw.items.iter().enumerate() {
            let code = ri.code.get_ref();
            let field = |f: &str| format!("items[{i}].{f} ({code})");
            if !is_code(code) {
                errs.at(ri.code.span().start, field("code"), "not a valid code");
            }
            if section_codes.contains(code) || item_codes.insert(code.clone(), i).is_some() {
                errs.at(
                    ri.code.span().start,
                    field("code"),
                    format!("duplicate code {code}"),
                );
            }
            if !section_codes.contains(ri.section.get_ref()) {
                errs.at(
                    ri.section.span().start,
                    field("section"),
                    format!("no section has code {}", ri.section.get_ref()),
                );
            }
            if !scales.contains_key(ri.scale.get_ref()) {
                errs.at(
                    ri.scale.span().start,
                    field("scale"),
                    format!("unknown scale {}", ri.scale.get_ref()),
                );
            }
            if ri.text.vi.trim().is_empty() {
                errs.at(
                    ri.code.span().start,
                    field("text.vi"),
                    "the Vietnamese text is required",
                );
            }
            let weight = ri.weight.as_ref().map(|w| *w.get_ref()).unwrap_or(1.0);
            if let Some(w) = &ri.weight {
                if !(w.get_ref().is_finite() && *w.get_ref() > 0.0) {
                    errs.at(w.span().start, field("weight"), "must be a positive number");
                }
            }
            let ask_if = match &ri.ask_if {
                None => None,
                Some(c) => match parse_condition(c.get_ref()) {
                    Some(cond) => {
                        // Only an earlier item can steer this one, so a one-pass form works.
                        if !item_codes.contains_key(&cond.item) || cond.item == *code {
                            errs.at(
                                c.span().start,
                                field("ask_if"),
                                format!("names {}, which is not an earlier item", cond.item),
                            );
                        }
                        Some(cond)
                    }
                    None => {
                        errs.at(
                            c.span().start,
                            field("ask_if"),
                            "expected `ITEM = value` or `ITEM in [v1, v2]`",
                        );
                        None
                    }
                },
            };
            items.push(Item {
                code: code.clone(),
                section: ri.section.get_ref().clone(),
                scale: ri.scale.get_ref().clone(),
                text: ri.text.clone(),
                required: ri.required.unwrap_or(true),
                weight,
                ask_if,
            });
        }

        if items.is_empty() {
            errs.at(0, "items", "a template needs at least one item");
        }
        if !errs.list.is_empty() {
            return Err(errs.list);
        }
        let content_hash = hex::encode(Sha256::digest(source.as_bytes()));
        Ok(Template {
            key: raw.key.into_inner(),
            title: raw.title,
            audience: raw.audience,
            purpose: raw.purpose,
            confidentiality: raw.confidentiality,
            low_sample_n: raw.low_sample_n.unwrap_or(30),
            scales,
            sections,
            items,
            content_hash,
        })
    }

    pub fn scale_of(&self, item: &Item) -> &Scale {
        // Validation guarantees every item's scale exists.
        &self.scales[&item.scale]
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    pub fn section(&self, code: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.code == code)
    }

    /// An item is scored when its scale is ordinal and its section (and every
    /// ancestor) takes part in the index.
    pub fn is_scored(&self, item: &Item) -> bool {
        if self.scale_of(item).kind != ScaleKind::Ordinal {
            return false;
        }
        let mut cur = Some(item.section.clone());
        while let Some(code) = cur {
            match self.section(&code) {
                Some(s) if s.scored => cur = s.parent.clone(),
                _ => return false,
            }
        }
        true
    }

    /// The aggregation tree: overall → top sections → sub-sections → scored items.
    pub fn scoring_model(&self) -> Model {
        Model {
            root: Node::Group {
                code: "OVERALL".to_string(),
                weight: 1.0,
                children: self.section_nodes(None),
            },
            method: GroupMethod::MeanOfChildren,
            low_sample_n: self.low_sample_n,
        }
    }

    fn section_nodes(&self, parent: Option<&str>) -> Vec<Node> {
        self.sections
            .iter()
            .filter(|s| s.scored && s.parent.as_deref() == parent)
            .filter_map(|s| {
                let mut children = self.section_nodes(Some(&s.code));
                children.extend(
                    self.items
                        .iter()
                        .filter(|i| i.section == s.code && self.is_scored(i))
                        .map(|i| {
                            let scale = self.scale_of(i);
                            Node::Item {
                                code: i.code.clone(),
                                weight: i.weight,
                                rule: ItemRule {
                                    satisfied: scale.satisfied.clone(),
                                    valid: scale.valid_values(),
                                },
                            }
                        }),
                );
                (!children.is_empty()).then(|| Node::Group {
                    code: s.code.clone(),
                    weight: s.weight,
                    children,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
key = "mini"
title = { vi = "Phiếu thử", en = "Test form" }
audience = "citizen"

[scales.sat5]
kind = "ordinal"
options = [
  { value = 1, vi = "Rất không hài lòng" },
  { value = 2, vi = "Không hài lòng" },
  { value = 3, vi = "Bình thường" },
  { value = 4, vi = "Hài lòng" },
  { value = 5, vi = "Rất hài lòng" },
]

[[sections]]
code = "CC"
title = { vi = "Công chức" }

[[items]]
code = "CC1"
section = "CC"
scale = "sat5"
text = { vi = "Công chức lịch sự" }
"#;

    #[test]
    fn parses_a_minimal_template() {
        let t = Template::parse("mini.toml", MINI).expect("valid");
        assert_eq!(t.key, "mini");
        assert_eq!(t.scales["sat5"].satisfied, vec![4, 5]);
        assert!(t.is_scored(&t.items[0]));
        assert_eq!(t.content_hash.len(), 64);
    }

    #[test]
    fn reports_unknown_scale_with_line_and_field() {
        let bad = MINI.replace("scale = \"sat5\"", "scale = \"sat7\"");
        let errs = Template::parse("mini.toml", &bad).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 23);
        assert!(errs[0].field.starts_with("items[0].scale"));
        assert!(errs[0].message.contains("sat7"));
    }

    #[test]
    fn reports_duplicate_codes_and_bad_conditions() {
        let bad = format!(
            "{MINI}\n[[items]]\ncode = \"CC1\"\nsection = \"CC\"\nscale = \"sat5\"\ntext = {{ vi = \"x\" }}\nask_if = \"ZZ = 1\"\n"
        );
        let errs = Template::parse("mini.toml", &bad).unwrap_err();
        assert!(errs
            .iter()
            .any(|e| e.message.contains("duplicate code CC1")));
        assert!(errs
            .iter()
            .any(|e| e.field.contains("ask_if") && e.message.contains("ZZ")));
    }

    #[test]
    fn syntax_errors_carry_a_line() {
        let errs = Template::parse("x.toml", "key = \"a\"\ntitle = {").unwrap_err();
        assert_eq!(errs[0].line, 2);
    }

    #[test]
    fn conditions_parse() {
        assert_eq!(
            parse_condition("N8 in [1, 2]"),
            Some(Condition {
                item: "N8".into(),
                values: vec![1, 2]
            })
        );
        assert_eq!(parse_condition("N8 = 1").map(|c| c.values), Some(vec![1]));
        assert_eq!(parse_condition("N8 ~ 1"), None);
    }
}
