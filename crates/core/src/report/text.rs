//! The report for a terminal: the verdict first, then what failed and what
//! could not be evaluated, each with the value found, the requirement and
//! the clause; then one line per rule for the rest.

use std::fmt::Write;

use super::{Finding, FindingPath, Outcome, Report, Strings, Verdict};
use crate::untrusted::{Text, text};

/// Options of the text renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// ANSI styles, or nothing.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn red(&self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    fn green(&self, text: &str) -> String {
        self.wrap("1;32", text)
    }
    fn yellow(&self, text: &str) -> String {
        self.wrap("1;33", text)
    }
}

/// Renders `report` for a terminal.
pub fn render(report: &Report, options: TextOptions) -> String {
    let s = Strings::get(report.lang);
    let paint = Paint { on: options.color };
    let mut out = String::new();

    let verdict = s.verdict_word(report.verdict);
    let verdict = match report.verdict {
        Verdict::Pass => paint.green(verdict),
        Verdict::Fail => paint.red(verdict),
        Verdict::Incomplete | Verdict::NotCovered => paint.yellow(verdict),
    };
    let _ = writeln!(
        out,
        "{}{}{verdict} — {}",
        paint.bold(s.verdict),
        s.colon,
        s.verdict_meaning(report.verdict)
    );
    let product = report.submission.product.as_deref().unwrap_or("");
    let _ = writeln!(
        out,
        "{}{}{} {}{}{}{}",
        s.submission,
        s.colon,
        Text(&report.submission.id),
        Text(product),
        s.open,
        Text(&report.submission.file),
        s.close
    );
    let _ = writeln!(
        out,
        "{}{}{}",
        s.evaluated_at, s.colon, report.evaluation_date
    );
    let _ = writeln!(
        out,
        "{}{}{}",
        s.coverage,
        s.colon,
        Text(&s.coverage_line(&report.coverage))
    );
    let _ = writeln!(out, "{}", paint.dim(&s.summary_line(&report.summary)));

    let sections = [
        (
            s.section(Outcome::Fail),
            report.failures(true).collect::<Vec<_>>(),
        ),
        (s.warnings_section, report.failures(false).collect()),
        (
            s.section(Outcome::Error),
            report.findings_with(Outcome::Error).collect(),
        ),
    ];
    for (i, (title, findings)) in sections.into_iter().enumerate() {
        let findings: Vec<&Finding> = findings;
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let heading = format!("{title} ({})", findings.len());
        let _ = writeln!(
            out,
            "{}",
            if i == 0 {
                paint.red(&heading)
            } else {
                paint.yellow(&heading)
            }
        );
        for finding in findings {
            detail(&mut out, finding, s, &paint);
        }
    }

    for outcome in [Outcome::Pass, Outcome::NotInForce, Outcome::NotApplicable] {
        let rules = report.rules_with(outcome);
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let heading = s.section(outcome).to_owned();
        let _ = writeln!(
            out,
            "{}",
            if outcome == Outcome::Pass {
                paint.green(&heading)
            } else {
                paint.bold(&heading)
            }
        );
        let mut packs_shown: Vec<&str> = Vec::new();
        for (finding, count) in rules {
            if outcome == Outcome::NotApplicable && !pack_applies(report, finding.pack()) {
                // A pack that does not apply: one line, not one per rule.
                if !packs_shown.contains(&finding.pack()) {
                    packs_shown.push(finding.pack());
                    let n = report
                        .findings
                        .iter()
                        .filter(|f| f.pack() == finding.pack())
                        .count();
                    let _ = writeln!(
                        out,
                        "  {} {} ({n} {})  {}",
                        mark(outcome, &paint),
                        Text(finding.pack()),
                        s.rules,
                        paint.dim(s.pack_not_applicable)
                    );
                }
                continue;
            }
            let places = if count > 1 {
                format!(" ({count} {})", s.places)
            } else {
                String::new()
            };
            let window = match (outcome, finding.in_force()) {
                (Outcome::NotInForce, Some(window)) => {
                    format!("{}{}{}", s.open, Text(window), s.close)
                }
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {} {}{}  {}{}",
                mark(outcome, &paint),
                Text(finding.rule()),
                places,
                paint.dim(&text(finding.title())),
                paint.dim(&window)
            );
        }
    }

    let _ = writeln!(out);
    let _ = writeln!(out, "{}", paint.bold(s.packs));
    for pack in &report.packs {
        let applies = if pack.applies {
            s.applies.0
        } else {
            s.applies.1
        };
        let _ = writeln!(
            out,
            "  {} {}  sha256 {}  {}",
            Text(&pack.id),
            Text(&pack.version),
            Text(short(&pack.sha256)),
            paint.dim(applies)
        );
    }
    if !report.plugins.is_empty() {
        let _ = writeln!(out, "{}", paint.bold(s.plugins));
        for plugin in &report.plugins {
            let _ = writeln!(
                out,
                "  {} {}  sha256 {}",
                Text(&plugin.id),
                Text(&plugin.version),
                Text(short(&plugin.sha256))
            );
        }
    }
    if !report.params.is_empty() {
        let _ = writeln!(out, "{}", paint.bold(s.params));
        for p in &report.params {
            let _ = writeln!(
                out,
                "  {}.{} = {} ({} {})",
                Text(&p.pack),
                Text(&p.name),
                Text(&p.value.to_string()),
                s.default,
                Text(&p.default.to_string())
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        paint.dim(&format!(
            "{} {} {} ({})",
            s.engine, report.engine.name, report.engine.version, report.engine.revision
        ))
    );
    out
}

fn pack_applies(report: &Report, id: &str) -> bool {
    report.packs.iter().any(|p| p.id == id && p.applies)
}

/// The first 12 hex digits of a digest.
fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

fn mark(outcome: Outcome, paint: &Paint) -> String {
    match outcome {
        Outcome::Pass => paint.green("✓"),
        Outcome::Fail => paint.red("✗"),
        Outcome::Error => paint.yellow("?"),
        Outcome::NotInForce => paint.dim("·"),
        Outcome::NotApplicable => paint.dim("-"),
    }
}

/// A failed or unevaluated finding, in full.
fn detail(out: &mut String, finding: &Finding, s: &Strings, paint: &Paint) {
    let _ = writeln!(
        out,
        "  {} {}  {}  [{}]",
        mark(finding.outcome, paint),
        paint.bold(&text(finding.rule())),
        Text(finding.title()),
        s.severity_word(finding.severity)
    );
    let place = match &finding.path {
        FindingPath::Root => s.whole.to_owned(),
        path => text(&path.to_string()),
    };
    let _ = writeln!(out, "    {}{}{place}", s.place, s.colon);
    if finding.outcome == Outcome::Fail {
        let found = finding.actual.as_ref().map(|a| text(&a.to_string()));
        let expected = finding.expected().map(text);
        match (found, expected) {
            (Some(found), Some(expected)) => {
                let _ = writeln!(out, "    {} {found} · {} {expected}", s.found, s.required);
            }
            (Some(found), None) => {
                let _ = writeln!(out, "    {} {found}", s.found);
            }
            (None, Some(expected)) => {
                let _ = writeln!(out, "    {} {expected}", s.required);
            }
            (None, None) => {}
        }
        let _ = writeln!(out, "    {}", Text(&finding.message()));
    }
    if let Some(reason) = finding.reason() {
        let _ = writeln!(out, "    {}{}{}", s.reason, s.colon, Text(&reason));
    }
    if let Some(fix) = finding.fix() {
        let _ = writeln!(out, "    {}{}{}", s.fix, s.colon, Text(&fix));
    }
    let _ = writeln!(
        out,
        "    {}",
        paint.dim(&text(&super::citation(finding, s)))
    );
}
