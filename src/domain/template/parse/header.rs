//! The template's own fields: its key, title and settings, and the template
//! built from them with their defaults.
use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::{check_positive, is_code, RawTemplate};
use crate::domain::ranking::Bands;
use crate::domain::template::error::Errors;
use crate::domain::template::{Item, Scale, Section, Template};

/// The key and the Vietnamese title.
pub(super) fn check_identity(raw: &RawTemplate, errs: &mut Errors<'_>) {
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
}

/// The display and PAR settings.
pub(super) fn check_settings(raw: &RawTemplate, errs: &mut Errors<'_>) {
    if raw.decimals.is_some_and(|d| d > 6) {
        errs.at(0, "decimals", "must be between 0 and 6");
    }
    if let Some(b) = &raw.bands {
        if let Err(e) = Bands::new(b.a, b.b, b.c) {
            errs.at(0, "bands", &e);
        }
    }
    if raw.rank_min_respondents == Some(0) {
        errs.at(0, "rank_min_respondents", "must be at least 1");
    }
    if let Some(p) = &raw.index_points {
        check_positive(errs, p, "index_points".to_string());
    }
}

/// The template from its header, with the defaults of unset settings, and
/// its parsed parts. Its identity is the hash of the whole source.
pub(super) fn assemble(
    raw: RawTemplate,
    source: &str,
    scales: BTreeMap<String, Scale>,
    sections: Vec<Section>,
    items: Vec<Item>,
) -> Template {
    Template {
        key: raw.key.into_inner(),
        title: raw.title,
        audience: raw.audience,
        purpose: raw.purpose,
        confidentiality: raw.confidentiality,
        low_sample_n: raw.low_sample_n.unwrap_or(30),
        min_cell: raw.min_cell.unwrap_or(5),
        rank_min_respondents: raw
            .rank_min_respondents
            .unwrap_or(raw.low_sample_n.unwrap_or(30)),
        bands: raw
            .bands
            .as_ref()
            .and_then(|b| Bands::new(b.a, b.b, b.c).ok())
            .unwrap_or_default(),
        aggregation: raw.aggregation,
        rollup: raw.rollup,
        weights: raw.weights,
        decimals: raw.decimals.unwrap_or(2),
        index_points: raw.index_points.as_ref().map(|p| *p.get_ref()),
        scales,
        sections,
        items,
        content_hash: hex::encode(Sha256::digest(source.as_bytes())),
    }
}
