//! The text output of `recert test`: a line per case, a diff per failure,
//! coverage, and a closing line `N passed, N failed`.

use std::fmt::Write;

use super::coverage::PackCoverage;
use super::matching::Mismatch;
use super::run::{CaseResult, CaseStatus, RunResult};

/// How far diff lines are indented.
const INDENT: &str = "       ";

/// Renders a run for a terminal. The last line is `N passed, N failed`,
/// followed by `, N skipped` when something was skipped. Names, messages
/// and values come from packs and test files: control characters in them
/// are shown, not sent to the terminal (`untrusted::text_lines`).
pub fn render(result: &RunResult) -> String {
    recert_core::untrusted::text_lines(&render_raw(result))
}

fn render_raw(result: &RunResult) -> String {
    let mut out = String::new();
    for file in &result.not_run {
        let _ = writeln!(
            out,
            "FAIL {} (not run: {}; see the errors reported)",
            file.file, file.reason
        );
    }
    for case in &result.cases {
        case_lines(&mut out, case);
    }
    if !result.coverage.is_empty() {
        if !result.cases.is_empty() {
            out.push('\n');
        }
        for pack in &result.coverage {
            coverage_lines(&mut out, pack);
        }
    }
    if !result.cases.is_empty() || !result.coverage.is_empty() || !result.not_run.is_empty() {
        out.push('\n');
    }
    out.push_str(&closing_line(result));
    out.push('\n');
    out
}

/// `N passed, N failed` (and `, N skipped` when N > 0).
pub fn closing_line(result: &RunResult) -> String {
    let mut line = format!("{} passed, {} failed", result.passed(), result.failed());
    let skipped = result.skipped();
    if skipped > 0 {
        let _ = write!(line, ", {skipped} skipped");
    }
    line
}

/// The lines under a case's title (place, message, diff), without indentation.
pub(crate) fn details(case: &CaseResult) -> String {
    let mut lines = String::new();
    case_lines(&mut lines, case);
    lines
        .lines()
        .skip(1)
        .map(|l| l.strip_prefix(INDENT).unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn case_lines(out: &mut String, case: &CaseResult) {
    let title = format!("{} › {}", case.pack, case.name);
    let place = match case.line {
        Some(line) => format!("{}:{line}", case.file),
        None => case.file.clone(),
    };
    match &case.status {
        CaseStatus::Passed => {
            let _ = writeln!(out, "ok   {title}");
        }
        CaseStatus::Skipped(why) => {
            let _ = writeln!(out, "skip {title} ({why})");
        }
        CaseStatus::Invalid(why) => {
            let _ = writeln!(out, "FAIL {title}");
            let _ = writeln!(out, "{INDENT}{place}");
            let _ = writeln!(out, "{INDENT}not run: {why} (see the errors reported)");
        }
        CaseStatus::Failed {
            message,
            mismatches,
        } => {
            let _ = writeln!(out, "FAIL {title}");
            let _ = writeln!(out, "{INDENT}{place}");
            if let Some(message) = message {
                let _ = writeln!(out, "{INDENT}{message}");
            }
            diff(out, mismatches);
        }
    }
}

/// The table of mismatches: rule, path, expected, actual, then the reason.
fn diff(out: &mut String, mismatches: &[Mismatch]) {
    if mismatches.is_empty() {
        return;
    }
    let rows: Vec<[String; 4]> = mismatches
        .iter()
        .map(|m| {
            [
                m.rule.clone().unwrap_or_else(|| "verdict".to_owned()),
                m.path.clone().unwrap_or_default(),
                m.expected.clone(),
                m.actual.clone(),
            ]
        })
        .collect();
    let header = ["rule", "path", "expected", "actual"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: [&str; 4], reason: Option<&str>| {
        let mut text = String::from(INDENT);
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            text.push_str(cell);
            if i < 3 || reason.is_some() {
                let pad = width.saturating_sub(cell.chars().count()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if let Some(reason) = reason {
            text.push_str(reason);
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(out, header, None);
    for (row, mismatch) in rows.iter().zip(mismatches) {
        line(
            out,
            [&row[0], &row[1], &row[2], &row[3]],
            mismatch.reason.as_deref(),
        );
    }
}

fn coverage_lines(out: &mut String, pack: &PackCoverage) {
    let title = format!("{} › coverage", pack.pack);
    match pack.is_complete() {
        None => {
            let why = pack.skipped.as_deref().unwrap_or("not measured");
            let _ = writeln!(out, "skip {title} ({why})");
        }
        Some(true) => {
            let windowed = pack.rules.iter().filter(|r| r.needs.len() > 2).count();
            let _ = writeln!(
                out,
                "ok   {title}: {} rule{} seen to pass and fail, {windowed} with an effective window also not in force",
                pack.rules.len(),
                plural(pack.rules.len()),
            );
        }
        Some(false) => {
            let gaps: Vec<_> = pack.gaps().collect();
            let _ = writeln!(
                out,
                "FAIL {title}: {} of {} rule{} lack an outcome",
                gaps.len(),
                pack.rules.len(),
                plural(pack.rules.len())
            );
            let _ = writeln!(out, "{INDENT}{}", pack.file);
            let width = gaps
                .iter()
                .map(|g| g.rule.chars().count())
                .max()
                .unwrap_or(0)
                .max("rule".len());
            let _ = writeln!(out, "{INDENT}{:<width$}  no case saw", "rule");
            for gap in gaps {
                let missing: Vec<&str> = gap.missing().iter().map(|o| o.as_str()).collect();
                let _ = writeln!(out, "{INDENT}{:<width$}  {}", gap.rule, missing.join(", "));
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
