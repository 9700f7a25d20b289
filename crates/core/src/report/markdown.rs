//! The report as Markdown, for documents, tickets and pull requests.

use std::fmt::Write;

use super::{Finding, FindingPath, Outcome, Report, Severity, Strings};
use crate::untrusted::{Markdown, MarkdownCode};

/// Renders `report` as Markdown.
pub fn render(report: &Report) -> String {
    let s = Strings::get(report.lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}{}{}\n",
        s.report,
        s.colon,
        s.verdict_word(report.verdict)
    );
    let _ = writeln!(
        out,
        "**{}{}{}** — {}\n",
        s.verdict,
        s.colon,
        s.verdict_word(report.verdict),
        s.verdict_meaning(report.verdict)
    );
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(
        out,
        "| {} | {} ({}) |",
        s.submission,
        MarkdownCode(&report.submission.id),
        cell(&report.submission.file)
    );
    if let Some(product) = &report.submission.product {
        let _ = writeln!(out, "| {} | {} |", s.product, cell(product));
    }
    if let Some(file_sha256) = &report.submission.file_sha256 {
        let _ = writeln!(out, "| {} | {} |", s.sha256_file, MarkdownCode(file_sha256));
    }
    let _ = writeln!(
        out,
        "| {} | {} |",
        s.sha256_normalized,
        MarkdownCode(&report.submission.sha256)
    );
    let _ = writeln!(out, "| {} | {} |", s.evaluated_at, report.evaluation_date);
    let _ = writeln!(
        out,
        "| {} | {} {} ({}) |",
        s.engine, report.engine.name, report.engine.version, report.engine.revision
    );
    let _ = writeln!(
        out,
        "| {} | {} |",
        s.coverage,
        cell(&s.coverage_line(&report.coverage))
    );
    let _ = writeln!(out, "\n{}", s.summary_line(&report.summary));

    let sections = [
        (
            Outcome::Fail,
            s.section(Outcome::Fail),
            report.failures(true).collect::<Vec<_>>(),
        ),
        (
            Outcome::Fail,
            s.warnings_section,
            report.failures(false).collect(),
        ),
        (
            Outcome::Error,
            s.section(Outcome::Error),
            report.findings_with(Outcome::Error).collect(),
        ),
        (
            Outcome::Pass,
            s.section(Outcome::Pass),
            report.findings_with(Outcome::Pass).collect(),
        ),
    ];
    for (i, (outcome, title, findings)) in sections.into_iter().enumerate() {
        let findings: Vec<&Finding> = findings;
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title} ({})\n", findings.len());
        let last = if outcome == Outcome::Error {
            s.reason
        } else {
            s.clause
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            s.rule, s.place, s.found, s.required, last
        );
        for &f in &findings {
            let place = match &f.path {
                FindingPath::Root => "—".to_owned(),
                path => MarkdownCode(&path.to_string()).to_string(),
            };
            let found = f
                .actual
                .as_ref()
                .map_or("—".to_owned(), |a| cell(&a.to_string()));
            let expected = f.expected().map_or("—".to_owned(), cell);
            let last = match (f.reason(), outcome) {
                (Some(reason), Outcome::Error) => cell(&reason),
                _ => reference(f, s),
            };
            let _ = writeln!(
                out,
                "| {} {} | {place} | {found} | {expected} | {last} |",
                MarkdownCode(f.rule()),
                cell(f.title())
            );
        }
        // What would make each pass, under the table.
        let fixes: Vec<(&Finding, String)> = findings
            .iter()
            .filter_map(|f| f.fix().map(|fix| (*f, fix.into_owned())))
            .collect();
        if !fixes.is_empty() {
            let _ = writeln!(out, "\n**{}**\n", s.fix);
            for (f, fix) in fixes {
                let place = match &f.path {
                    FindingPath::Root => String::new(),
                    path => format!(" {}", MarkdownCode(&path.to_string())),
                };
                let _ = writeln!(
                    out,
                    "- {}{place}{}{}",
                    MarkdownCode(f.rule()),
                    s.colon,
                    Markdown(&fix)
                );
            }
        }
        if outcome == Outcome::Fail {
            let _ = writeln!(out);
            for (f, _) in report.rules_with(Outcome::Fail) {
                if (f.severity == Severity::Error) == (i == 0) {
                    let _ = writeln!(
                        out,
                        "- {}{}{}",
                        MarkdownCode(f.rule()),
                        s.colon,
                        Markdown(&f.message())
                    );
                }
            }
        }
    }

    for outcome in [Outcome::NotInForce, Outcome::NotApplicable] {
        let rules = report.rules_with(outcome);
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})\n", s.section(outcome), rules.len());
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
        let _ = writeln!(out, "{}", list.join(s.comma));
    }

    let _ = writeln!(out, "\n## {}\n", s.packs);
    let _ = writeln!(out, "| id | {} | sha256 | |\n|---|---|---|---|", s.version);
    for p in &report.packs {
        let applies = if p.applies { s.applies.0 } else { s.applies.1 };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {applies} |",
            MarkdownCode(&p.id),
            cell(&p.version),
            MarkdownCode(&p.sha256)
        );
    }
    if !report.plugins.is_empty() {
        let _ = writeln!(out, "\n## {}\n", s.plugins);
        let _ = writeln!(out, "| id | {} | sha256 |\n|---|---|---|", s.version);
        for p in &report.plugins {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                MarkdownCode(&p.id),
                cell(&p.version),
                MarkdownCode(&p.sha256)
            );
        }
    }
    if !report.params.is_empty() {
        let _ = writeln!(out, "\n## {}\n", s.params);
        let _ = writeln!(
            out,
            "| param | {} | {} |\n|---|---|---|",
            s.value, s.default
        );
        for p in &report.params {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                MarkdownCode(&format!("{}.{}", p.pack, p.name)),
                cell(&p.value.to_string()),
                cell(&p.default.to_string())
            );
        }
    }
    out
}

fn reference(f: &Finding, s: &Strings) -> String {
    cell(&super::citation(f, s))
}

/// Text safe inside a table cell (and anywhere else in a line).
fn cell(text: &str) -> String {
    crate::untrusted::markdown(text)
}
