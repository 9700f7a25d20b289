//! The report as Markdown, for documents, tickets and pull requests.

use std::io;

use super::render::{Findings, Listed};
use super::{Finding, FindingPath, Outcome, Report, Severity, Strings};
use crate::untrusted::{Markdown, MarkdownCode};

/// Writes `report` as Markdown to `out`, its findings taken from
/// `findings` (those it holds, or made again: see [`Findings`]).
pub(crate) fn write(
    report: &Report,
    findings: &mut Findings<'_, '_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let s = Strings::get(report.lang);
    writeln!(
        out,
        "# {}{}{}\n",
        s.report,
        s.colon,
        s.verdict_word(report.verdict)
    )?;
    writeln!(
        out,
        "**{}{}{}** — {}\n",
        s.verdict,
        s.colon,
        s.verdict_word(report.verdict),
        s.verdict_meaning(report.verdict)
    )?;
    writeln!(out, "| | |\n|---|---|")?;
    writeln!(
        out,
        "| {} | {} ({}) |",
        s.submission,
        MarkdownCode(&report.submission.id),
        cell(&report.submission.file)
    )?;
    if let Some(product) = &report.submission.product {
        writeln!(out, "| {} | {} |", s.product, cell(product))?;
    }
    if let Some(file_sha256) = &report.submission.file_sha256 {
        writeln!(out, "| {} | {} |", s.sha256_file, MarkdownCode(file_sha256))?;
    }
    writeln!(
        out,
        "| {} | {} |",
        s.sha256_normalized,
        MarkdownCode(&report.submission.sha256)
    )?;
    writeln!(out, "| {} | {} |", s.evaluated_at, report.evaluation_date)?;
    writeln!(
        out,
        "| {} | {} {} ({}) |",
        s.engine, report.engine.name, report.engine.version, report.engine.revision
    )?;
    writeln!(
        out,
        "| {} | {} |",
        s.coverage,
        cell(&s.coverage_line(&report.coverage))
    )?;
    writeln!(out, "\n{}", s.summary_line(&report.summary))?;

    let sections = [
        (Outcome::Fail, s.section(Outcome::Fail), Listed::Failures),
        (Outcome::Fail, s.warnings_section, Listed::Warnings),
        (
            Outcome::Error,
            s.section(Outcome::Error),
            Listed::Unevaluated,
        ),
        (Outcome::Pass, s.section(Outcome::Pass), Listed::Passed),
    ];
    for (outcome, title, part) in sections {
        let count = part.count(findings.summary());
        if count == 0 {
            continue;
        }
        writeln!(out, "\n## {title} ({count})\n")?;
        let last = if outcome == Outcome::Error {
            s.reason
        } else {
            s.clause
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            s.rule, s.place, s.found, s.required, last
        )?;
        let mut fixes = 0;
        findings.listed(part, |f| {
            fixes += usize::from(f.fix().is_some());
            row(out, f, outcome, s)
        })?;
        // What would make each pass, under the table.
        if fixes > 0 {
            writeln!(out, "\n**{}**\n", s.fix)?;
            let with_fix = |f: &Finding| part.keeps(f) && f.fix().is_some();
            findings.each(fixes, with_fix, |f| {
                let Some(fix) = f.fix() else {
                    return Ok(());
                };
                let place = match &f.path {
                    FindingPath::Root => String::new(),
                    path => format!(" {}", MarkdownCode(&path.to_string())),
                };
                writeln!(
                    out,
                    "- {}{place}{}{}",
                    MarkdownCode(f.rule()),
                    s.colon,
                    Markdown(&fix)
                )
            })?;
        }
        if outcome == Outcome::Fail {
            writeln!(out)?;
            for (f, _) in findings.rules()?.with(Outcome::Fail) {
                if (f.severity == Severity::Error) == (part == Listed::Failures) {
                    writeln!(
                        out,
                        "- {}{}{}",
                        MarkdownCode(f.rule()),
                        s.colon,
                        Markdown(&f.message())
                    )?;
                }
            }
        }
    }

    let rules = findings.rules()?;
    for outcome in [Outcome::NotInForce, Outcome::NotApplicable] {
        let rules = rules.with(outcome);
        if rules.is_empty() {
            continue;
        }
        writeln!(out, "\n## {} ({})\n", s.section(outcome), rules.len())?;
        let list: Vec<String> = rules
            .iter()
            .map(|(r, _)| match (outcome, r.in_force()) {
                (Outcome::NotInForce, Some(window)) => format!(
                    "{}{}{}{}",
                    MarkdownCode(r.rule()),
                    s.open,
                    Markdown(window),
                    s.close
                ),
                _ => MarkdownCode(r.rule()).to_string(),
            })
            .collect();
        writeln!(out, "{}", list.join(s.comma))?;
    }

    writeln!(out, "\n## {}\n", s.packs)?;
    writeln!(out, "| id | {} | sha256 | |\n|---|---|---|---|", s.version)?;
    for p in &report.packs {
        let applies = if p.applies { s.applies.0 } else { s.applies.1 };
        writeln!(
            out,
            "| {} | {} | {} | {applies} |",
            MarkdownCode(&p.id),
            cell(&p.version),
            MarkdownCode(&p.sha256)
        )?;
    }
    if !report.plugins.is_empty() {
        writeln!(out, "\n## {}\n", s.plugins)?;
        writeln!(out, "| id | {} | sha256 |\n|---|---|---|", s.version)?;
        for p in &report.plugins {
            writeln!(
                out,
                "| {} | {} | {} |",
                MarkdownCode(&p.id),
                cell(&p.version),
                MarkdownCode(&p.sha256)
            )?;
        }
    }
    if !report.params.is_empty() {
        writeln!(out, "\n## {}\n", s.params)?;
        writeln!(
            out,
            "| param | {} | {} |\n|---|---|---|",
            s.value, s.default
        )?;
        for p in &report.params {
            writeln!(
                out,
                "| {} | {} | {} |",
                MarkdownCode(&format!("{}.{}", p.pack, p.name)),
                cell(&p.value.to_string()),
                cell(&p.default.to_string())
            )?;
        }
    }
    Ok(())
}

/// A finding's row in the table of its section.
fn row(out: &mut dyn io::Write, f: &Finding, outcome: Outcome, s: &Strings) -> io::Result<()> {
    let place = match &f.path {
        FindingPath::Root => "—".to_owned(),
        path => MarkdownCode(&path.to_string()).to_string(),
    };
    let found = f.actual().map_or("—".to_owned(), |a| cell(&a.to_string()));
    let expected = f.expected().map_or("—".to_owned(), cell);
    let last = match (f.reason(), outcome) {
        (Some(reason), Outcome::Error) => cell(&reason),
        _ => reference(f, s),
    };
    writeln!(
        out,
        "| {} {} | {place} | {found} | {expected} | {last} |",
        MarkdownCode(f.rule()),
        cell(f.title())
    )
}

fn reference(f: &Finding, s: &Strings) -> String {
    cell(&super::citation(f, s))
}

/// Text safe inside a table cell (and anywhere else in a line).
fn cell(text: &str) -> String {
    crate::untrusted::markdown(text)
}
