//! The aggregate tables: small (units × figures), built from the results.
use super::{all_rows, walk_components, Cell, Prepared, RowSink};
use crate::domain::scoring::Change;
use crate::domain::template::ScaleKind;
use crate::error::AppError;

fn header(sink: &mut RowSink<'_>, cols: &[&str]) -> Result<(), AppError> {
    let row: Vec<Cell> = cols.iter().map(|c| Cell::text(*c)).collect();
    sink(&row)
}

/// previous_rate, change, change_estimated (1 when the previous figure is
/// estimated from the units before a reorganisation).
fn change_cells(c: Option<&Change>) -> [Cell; 3] {
    [
        Cell::opt(c.and_then(|c| c.previous)),
        Cell::opt(c.and_then(|c| c.delta)),
        c.map(|c| Cell::flag(c.estimated)).unwrap_or(Cell::Empty),
    ]
}

fn opt_int(v: Option<u64>) -> Cell {
    v.map(|n| Cell::Int(n as i64)).unwrap_or(Cell::Empty)
}

/// One row per roll-up and unit: respondents against target, the overall
/// index, its rank and its change.
pub fn summary(p: &Prepared, sink: &mut RowSink<'_>) -> Result<(), AppError> {
    header(
        sink,
        &[
            "level",
            "unit_code",
            "unit_name",
            "respondents",
            "target",
            "block",
            "standing",
            "rank",
            "rank_before",
            "band",
            "overall_rate",
            "valid_n",
            "low_sample",
            "points",
            "previous_rate",
            "change",
            "change_estimated",
        ],
    )?;
    for (level, u) in all_rows(&p.results) {
        let mut row = vec![
            Cell::text(level),
            Cell::text(&u.unit_code),
            Cell::text(&u.unit_name),
            Cell::Int(u.respondents as i64),
            opt_int(u.target),
            Cell::text(u.block.as_str()),
            Cell::text(u.standing.as_str()),
            opt_int(u.rank.map(u64::from)),
            opt_int(u.rank_before.map(u64::from)),
            u.band
                .map(|b| Cell::text(b.as_str()))
                .unwrap_or(Cell::Empty),
            Cell::opt(u.overall.rate),
            Cell::Int(u.overall.valid_n as i64),
            Cell::flag(u.overall.low_sample),
            Cell::opt(u.overall.points),
        ];
        row.extend(change_cells(u.overall.change.as_ref()));
        sink(&row)?;
    }
    Ok(())
}

/// One row per unit and component (domain, element, content area).
pub fn units(p: &Prepared, sink: &mut RowSink<'_>) -> Result<(), AppError> {
    header(
        sink,
        &[
            "level",
            "unit_code",
            "component_code",
            "depth",
            "title",
            "title_en",
            "rate",
            "valid_n",
            "low_sample",
            "previous_rate",
            "change",
            "change_estimated",
        ],
    )?;
    for (level, u) in all_rows(&p.results) {
        let mut comps = Vec::new();
        walk_components(&u.components, 1, &mut comps);
        for (depth, c) in comps {
            let mut row = vec![
                Cell::text(level),
                Cell::text(&u.unit_code),
                Cell::text(&c.code),
                Cell::Int(depth as i64),
                Cell::text(&c.title),
                Cell::text(&c.title_en),
                Cell::opt(c.rate),
                Cell::Int(c.valid_n as i64),
                Cell::flag(c.low_sample),
            ];
            row.extend(change_cells(c.change.as_ref()));
            sink(&row)?;
        }
    }
    Ok(())
}

/// One row per unit and criterion (scored item), with its Wilson interval.
pub fn criteria(p: &Prepared, sink: &mut RowSink<'_>) -> Result<(), AppError> {
    header(
        sink,
        &[
            "level",
            "unit_code",
            "component_code",
            "item_code",
            "text",
            "text_en",
            "valid_n",
            "satisfied_n",
            "rate",
            "ci95_low",
            "ci95_high",
            "low_sample",
            "previous_rate",
            "change",
            "change_estimated",
        ],
    )?;
    for (level, u) in all_rows(&p.results) {
        let mut comps = Vec::new();
        walk_components(&u.components, 1, &mut comps);
        for (_, c) in comps {
            for i in &c.items {
                let mut row = vec![
                    Cell::text(level),
                    Cell::text(&u.unit_code),
                    Cell::text(&c.code),
                    Cell::text(&i.code),
                    Cell::text(&i.text),
                    Cell::text(&i.text_en),
                    Cell::Int(i.valid_n as i64),
                    Cell::Int(i.satisfied_n as i64),
                    Cell::opt(i.rate),
                    Cell::opt(i.ci95.map(|c| c[0])),
                    Cell::opt(i.ci95.map(|c| c[1])),
                    Cell::flag(i.low_sample),
                ];
                row.extend(change_cells(i.change.as_ref()));
                sink(&row)?;
            }
        }
    }
    Ok(())
}

/// One row per unit, choice item and option: counts and shares. `respondents`
/// is the shares' base; `n` the answers among the options (the ticks of a
/// multiple-choice item, where the shares may add up to more than 100).
pub fn distributions(p: &Prepared, sink: &mut RowSink<'_>) -> Result<(), AppError> {
    header(
        sink,
        &[
            "level",
            "unit_code",
            "item_code",
            "section",
            "scored",
            "multiple",
            "respondents",
            "n",
            "option_value",
            "label",
            "label_en",
            "count",
            "share",
        ],
    )?;
    for (level, u) in all_rows(&p.results) {
        for d in &u.distributions {
            for o in &d.options {
                sink(&[
                    Cell::text(level),
                    Cell::text(&u.unit_code),
                    Cell::text(&d.code),
                    Cell::text(&d.section),
                    Cell::flag(d.scored),
                    Cell::flag(d.multiple),
                    Cell::Int(d.respondents as i64),
                    Cell::Int(d.n as i64),
                    Cell::Int(i64::from(o.value)),
                    Cell::text(&o.label),
                    Cell::text(&o.label_en),
                    Cell::Int(o.count as i64),
                    Cell::Num(o.share),
                ])?;
            }
        }
    }
    Ok(())
}

/// One row per unit, breakdown item (gender, age band, education), answer
/// and component; `component_code` is empty on the overall row. A group
/// smaller than the template's `min_cell` keeps its row, marked suppressed,
/// with no figure at all, so the export reveals no more than the page.
pub fn breakdowns(p: &Prepared, sink: &mut RowSink<'_>) -> Result<(), AppError> {
    header(
        sink,
        &[
            "level",
            "unit_code",
            "item_code",
            "text",
            "text_en",
            "option_value",
            "label",
            "label_en",
            "suppressed",
            "respondents",
            "component_code",
            "rate",
        ],
    )?;
    for (level, u) in all_rows(&p.results) {
        for b in &u.breakdowns {
            for g in &b.groups {
                let base = [
                    Cell::text(level),
                    Cell::text(&u.unit_code),
                    Cell::text(&b.code),
                    Cell::text(&b.text),
                    Cell::text(&b.text_en),
                    Cell::Int(i64::from(g.value)),
                    Cell::text(&g.label),
                    Cell::text(&g.label_en),
                    Cell::flag(g.suppressed),
                    opt_int(g.respondents),
                ];
                let overall = std::iter::once((String::new(), g.rate));
                let parts = g.components.iter().map(|c| (c.code.clone(), c.rate));
                for (code, rate) in overall.chain(parts) {
                    let mut row = base.to_vec();
                    row.extend([Cell::text(code), Cell::opt(rate)]);
                    sink(&row)?;
                }
            }
        }
    }
    Ok(())
}

fn kind_name(k: ScaleKind) -> &'static str {
    match k {
        ScaleKind::Ordinal => "ordinal",
        ScaleKind::YesNo => "yes_no",
        ScaleKind::Single => "single",
        ScaleKind::Multiple => "multiple",
        ScaleKind::Text => "text",
    }
}

/// One row per item and option: what the codes in the Responses sheet mean.
/// Free-text items are listed but never exported.
pub fn codebook(p: &Prepared, sink: &mut RowSink<'_>) -> Result<(), AppError> {
    header(
        sink,
        &[
            "item_code",
            "section",
            "text",
            "text_en",
            "scale",
            "kind",
            "scored",
            "option_value",
            "label",
            "label_en",
            "excluded",
        ],
    )?;
    let t = &p.template;
    for item in &t.items {
        let scale = t.scale_of(item);
        let base = [
            Cell::text(item.code.as_str()),
            Cell::text(&item.section),
            Cell::text(&item.text.vi),
            Cell::text(&item.text.en),
            Cell::text(&scale.id),
            Cell::text(kind_name(scale.kind)),
            Cell::flag(t.is_scored(item)),
        ];
        if scale.options.is_empty() {
            let mut row = base.to_vec();
            row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
            sink(&row)?;
        }
        for o in &scale.options {
            let mut row = base.to_vec();
            row.extend([
                Cell::Int(i64::from(o.value)),
                Cell::text(&o.vi),
                Cell::text(&o.en),
                Cell::flag(o.excluded),
            ]);
            sink(&row)?;
        }
    }
    Ok(())
}
