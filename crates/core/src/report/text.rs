//! The report for a terminal: the verdict first, then what failed and what
//! could not be evaluated, each with the value found, the requirement and
//! the clause; then one line per rule for the rest.

use std::io;

use super::render::{Findings, Listed};
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

/// Writes `report` for a terminal to `out`, its findings taken from
/// `findings` (those it holds, or made again: see [`Findings`]).
pub(crate) fn write(
    report: &Report,
    findings: &mut Findings<'_, '_>,
    options: TextOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let s = Strings::get(report.lang);
    let paint = Paint { on: options.color };

    let verdict = s.verdict_word(report.verdict);
    let verdict = match report.verdict {
        Verdict::Pass => paint.green(verdict),
        Verdict::Fail => paint.red(verdict),
        Verdict::Incomplete | Verdict::NotCovered => paint.yellow(verdict),
    };
    writeln!(
        out,
        "{}{}{verdict} — {}",
        paint.bold(s.verdict),
        s.colon,
        s.verdict_meaning(report.verdict)
    )?;
    let product = report.submission.product.as_deref().unwrap_or("");
    writeln!(
        out,
        "{}{}{} {}{}{}{}",
        s.submission,
        s.colon,
        Text(&report.submission.id),
        Text(product),
        s.open,
        Text(&report.submission.file),
        s.close
    )?;
    writeln!(
        out,
        "{}{}{}",
        s.evaluated_at, s.colon, report.evaluation_date
    )?;
    writeln!(
        out,
        "{}{}{}",
        s.coverage,
        s.colon,
        Text(&s.coverage_line(&report.coverage))
    )?;
    writeln!(out, "{}", paint.dim(&s.summary_line(&report.summary)))?;

    let sections = [
        (s.section(Outcome::Fail), Listed::Failures),
        (s.warnings_section, Listed::Warnings),
        (s.section(Outcome::Error), Listed::Unevaluated),
    ];
    for (title, part) in sections {
        let count = part.count(findings.summary());
        if count == 0 {
            continue;
        }
        writeln!(out)?;
        let heading = format!("{title} ({count})");
        writeln!(
            out,
            "{}",
            if part == Listed::Failures {
                paint.red(&heading)
            } else {
                paint.yellow(&heading)
            }
        )?;
        findings.listed(part, |finding| detail(out, finding, s, &paint))?;
    }

    let rules = findings.rules()?;
    for outcome in [Outcome::Pass, Outcome::NotInForce, Outcome::NotApplicable] {
        let rules_with = rules.with(outcome);
        if rules_with.is_empty() {
            continue;
        }
        writeln!(out)?;
        let heading = s.section(outcome).to_owned();
        writeln!(
            out,
            "{}",
            if outcome == Outcome::Pass {
                paint.green(&heading)
            } else {
                paint.bold(&heading)
            }
        )?;
        let mut packs_shown: Vec<&str> = Vec::new();
        for (finding, count) in rules_with {
            let count = *count;
            if outcome == Outcome::NotApplicable && !pack_applies(report, finding.pack()) {
                // A pack that does not apply: one line, not one per rule.
                if !packs_shown.contains(&finding.pack()) {
                    packs_shown.push(finding.pack());
                    let n = rules.of_pack(finding.pack());
                    writeln!(
                        out,
                        "  {} {} ({n} {})  {}",
                        mark(outcome, &paint),
                        Text(finding.pack()),
                        s.rules,
                        paint.dim(s.pack_not_applicable)
                    )?;
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
            writeln!(
                out,
                "  {} {}{}  {}{}",
                mark(outcome, &paint),
                Text(finding.rule()),
                places,
                paint.dim(&text(finding.title())),
                paint.dim(&window)
            )?;
        }
    }

    writeln!(out)?;
    writeln!(out, "{}", paint.bold(s.packs))?;
    for pack in &report.packs {
        let applies = if pack.applies {
            s.applies.0
        } else {
            s.applies.1
        };
        writeln!(
            out,
            "  {} {}  sha256 {}  {}",
            Text(&pack.id),
            Text(&pack.version),
            Text(short(&pack.sha256)),
            paint.dim(applies)
        )?;
    }
    if !report.plugins.is_empty() {
        writeln!(out, "{}", paint.bold(s.plugins))?;
        for plugin in &report.plugins {
            writeln!(
                out,
                "  {} {}  sha256 {}",
                Text(&plugin.id),
                Text(&plugin.version),
                Text(short(&plugin.sha256))
            )?;
        }
    }
    if !report.params.is_empty() {
        writeln!(out, "{}", paint.bold(s.params))?;
        for p in &report.params {
            writeln!(
                out,
                "  {}.{} = {} ({} {})",
                Text(&p.pack),
                Text(&p.name),
                Text(&p.value.to_string()),
                s.default,
                Text(&p.default.to_string())
            )?;
        }
    }
    writeln!(
        out,
        "{}",
        paint.dim(&format!(
            "{} {} {} ({})",
            s.engine, report.engine.name, report.engine.version, report.engine.revision
        ))
    )
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
fn detail(
    out: &mut dyn io::Write,
    finding: &Finding,
    s: &Strings,
    paint: &Paint,
) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}  {}  [{}]",
        mark(finding.outcome, paint),
        paint.bold(&text(finding.rule())),
        Text(finding.title()),
        s.severity_word(finding.severity)
    )?;
    let place = match &finding.path {
        FindingPath::Root => s.whole.to_owned(),
        path => text(&path.to_string()),
    };
    writeln!(out, "    {}{}{place}", s.place, s.colon)?;
    if finding.outcome == Outcome::Fail {
        let found = finding.actual().map(|a| text(&a.to_string()));
        let expected = finding.expected().map(text);
        match (found, expected) {
            (Some(found), Some(expected)) => {
                writeln!(out, "    {} {found} · {} {expected}", s.found, s.required)?;
            }
            (Some(found), None) => {
                writeln!(out, "    {} {found}", s.found)?;
            }
            (None, Some(expected)) => {
                writeln!(out, "    {} {expected}", s.required)?;
            }
            (None, None) => {}
        }
        writeln!(out, "    {}", Text(&finding.message()))?;
    }
    if let Some(reason) = finding.reason() {
        writeln!(out, "    {}{}{}", s.reason, s.colon, Text(&reason))?;
    }
    if let Some(fix) = finding.fix() {
        writeln!(out, "    {}{}{}", s.fix, s.colon, Text(&fix))?;
    }
    writeln!(
        out,
        "    {}",
        paint.dim(&text(&super::citation(finding, s)))
    )
}
