//! A template error located in its source, and what parsing and validation
//! share to locate one: the collector of errors and the offsets of fields.
use std::fmt;

/// A template error located in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub file: String,
    /// 1-based; 0 when the error is about the whole file (it cannot be read).
    pub line: usize,
    /// Empty when the error is not about one field (the file's encoding).
    pub field: String,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.file)?;
        if self.line > 0 {
            write!(f, "{}:", self.line)?;
        }
        if !self.field.is_empty() {
            write!(f, " {}:", self.field)?;
        }
        write!(f, " {}", self.message)
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Every error found in one file, each located by its byte offset.
pub(super) struct Errors<'a> {
    file: &'a str,
    source: &'a str,
    list: Vec<TemplateError>,
    /// A parent chain loops: checks that walk the chains must not run.
    cycle: bool,
}

impl<'a> Errors<'a> {
    pub(super) fn new(file: &'a str, source: &'a str) -> Self {
        Errors {
            file,
            source,
            list: Vec::new(),
            cycle: false,
        }
    }

    pub(super) fn source(&self) -> &'a str {
        self.source
    }

    /// An error at `offset` of the source, not collected.
    pub(super) fn error(
        &self,
        offset: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> TemplateError {
        TemplateError {
            file: self.file.to_string(),
            line: line_of(self.source, offset),
            field: field.into(),
            message: message.into(),
        }
    }

    pub(super) fn at(
        &mut self,
        offset: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        let e = self.error(offset, field, message);
        self.list.push(e);
    }

    /// A parent chain that loops, at `field`.
    pub(super) fn cycle(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.cycle = true;
        self.at(0, field, message);
    }

    /// Whether a parent chain loops (reported by `cycle`).
    pub(super) fn any_cycle(&self) -> bool {
        self.cycle
    }

    pub(super) fn into_result<T>(self, value: T) -> Result<T, Vec<TemplateError>> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(self.list)
        }
    }
}

/// Where a section's or item's fields start in the source, for the checks
/// that run on the built template.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldSpans {
    pub(super) code: usize,
    pub(super) weight: Option<usize>,
    pub(super) max_points: Option<usize>,
}

/// The field offsets of every section and item, in template order.
#[derive(Debug, Clone, Default)]
pub(super) struct Spans {
    pub(super) sections: Vec<FieldSpans>,
    pub(super) items: Vec<FieldSpans>,
}
