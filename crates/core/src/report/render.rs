//! A report in the format asked for: the one entry point to the renderers.

use std::io::{self, Write};

use super::json::Replay;
use super::{Finding, Outcome, Report, Severity, Summary, html, json, markdown, text};
use crate::format::{Format, Render, RenderError};

/// What rendering a report needs besides the format.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Text: use ANSI colours.
    pub color: bool,
    /// JSON: one line (for JSON Lines, one report per line) instead of
    /// indented.
    pub json_lines: bool,
    /// HTML: only the report's `<section>`, for a document of several
    /// (between [`html::document_start`] and [`html::DOCUMENT_END`]).
    pub html_section: bool,
}

impl Report {
    /// Writes the report in `format` to `out`, as [`Render::render`] would
    /// render it, as it is rendered: never held whole as text.
    pub fn render_to(
        &self,
        format: Format,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match format {
            Format::Json => json::write(self, out, options.json_lines),
            _ => self.write_with(format, options, &mut Findings::held(&self.findings), out),
        }
    }

    /// Writes a report whose findings are not held (a report too large to
    /// hold: see [`eval::evaluate_bounded`](crate::eval::evaluate_bounded)):
    /// `replay` makes them again as they are written, as often as the
    /// format needs (JSON: once; text, Markdown, HTML: once per part of the
    /// report that lists findings and has some, the first also counting
    /// the findings of each rule). The bytes are those [`Report::render_to`]
    /// gives for the report with its findings. An error of `replay` is an
    /// error of the write: the output is then incomplete.
    pub fn write_streamed(
        &self,
        format: Format,
        options: &RenderOptions,
        replay: &mut Replay<'_>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match format {
            Format::Json => json::write_streamed(self, replay, out, options.json_lines),
            _ => self.write_with(
                format,
                options,
                &mut Findings::made(self.summary, replay),
                out,
            ),
        }
    }

    /// The text, Markdown and HTML reports, the report's findings taken
    /// from `findings`: held and streamed reports take this one path.
    fn write_with(
        &self,
        format: Format,
        options: &RenderOptions,
        findings: &mut Findings<'_, '_>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(64 * 1024, out);
        match format {
            Format::Text => text::write(
                self,
                findings,
                text::TextOptions {
                    color: options.color,
                },
                &mut out,
            )?,
            Format::Markdown => markdown::write(self, findings, &mut out)?,
            Format::Html if options.html_section => html::write_section(self, findings, &mut out)?,
            Format::Html => html::write_document(self, findings, &mut out)?,
            Format::Json | Format::Junit | Format::Sarif => {
                return Err(io::Error::other(
                    RenderError::unsupported::<Self>(format).to_string(),
                ));
            }
        }
        out.flush()
    }
}

impl Render for Report {
    const WHAT: &'static str = "a report";
    const FORMATS: &'static [Format] =
        &[Format::Text, Format::Json, Format::Markdown, Format::Html];
    type Options = RenderOptions;

    fn render(&self, format: Format, options: &RenderOptions) -> Result<String, RenderError> {
        Ok(match format {
            Format::Json if options.json_lines => json::render_line(self),
            Format::Json => json::render(self),
            Format::Text | Format::Markdown | Format::Html => {
                // Into memory, from the findings held: nothing can fail.
                let mut bytes = Vec::new();
                let _ = self.render_to(format, options, &mut bytes);
                into_string(bytes)
            }
            Format::Junit | Format::Sarif => return Err(RenderError::unsupported::<Self>(format)),
        })
    }
}

/// What a renderer wrote into memory, as text (it writes text only).
pub(crate) fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// A report's findings as the text, Markdown and HTML renderers go
/// through them: held by the report, or made again (by a [`Replay`]) each
/// time a part of the report lists some. Each part says how many findings
/// it lists (counted from the findings held, or by the report's summary),
/// so a part with none costs nothing and a pass that has handed them all
/// stops there.
pub(crate) struct Findings<'a, 'r> {
    source: Source<'a, 'r>,
    /// The findings counted.
    summary: Summary,
    /// The rules of each outcome, once counted: the findings held are
    /// counted at once, those made again in the first pass that goes
    /// through them all.
    rules: Option<Rules>,
}

enum Source<'a, 'r> {
    Held(&'a [Finding]),
    Made(&'a mut Replay<'r>),
}

impl<'a, 'r> Findings<'a, 'r> {
    /// The findings a report holds.
    pub(crate) fn held(findings: &'a [Finding]) -> Self {
        let mut rules = Rules::default();
        for finding in findings {
            rules.add(finding);
        }
        Findings {
            source: Source::Held(findings),
            summary: Summary::of(findings),
            rules: Some(rules),
        }
    }

    /// The findings `replay` makes again, which `summary` counts.
    pub(crate) fn made(summary: Summary, replay: &'a mut Replay<'r>) -> Self {
        Findings {
            source: Source::Made(replay),
            summary,
            rules: None,
        }
    }

    /// How many findings of each outcome.
    pub(crate) fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Hands `visit` each finding of `part`, in order.
    pub(crate) fn listed(
        &mut self,
        part: Listed,
        visit: impl FnMut(&Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        let count = part.count(&self.summary);
        self.each(count, |f| part.keeps(f), visit)
    }

    /// Hands `visit` each finding `keep` keeps, in order; `count` is how
    /// many there are (the pass stops after the last of them).
    pub(crate) fn each(
        &mut self,
        count: usize,
        keep: impl Fn(&Finding) -> bool,
        mut visit: impl FnMut(&Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        if count == 0 {
            return Ok(());
        }
        let replay = match &mut self.source {
            Source::Held(findings) => {
                for finding in findings.iter().filter(|f| keep(f)).take(count) {
                    visit(finding)?;
                }
                return Ok(());
            }
            Source::Made(replay) => replay,
        };
        // The first pass counts the rules too, and so goes to the end.
        let mut rules = self.rules.is_none().then(Rules::default);
        let mut seen = 0;
        let mut failed = None;
        let made = replay(&mut |finding| {
            if let Some(rules) = &mut rules {
                rules.add(&finding);
            }
            if seen < count && keep(&finding) {
                seen += 1;
                if let Err(error) = visit(&finding) {
                    failed = Some(error);
                    return false;
                }
            }
            rules.is_some() || seen < count
        });
        if let Some(error) = failed {
            return Err(error);
        }
        made.map_err(io::Error::other)?;
        if seen < count {
            return Err(io::Error::other(format!(
                "{seen} findings made again where the report counts {count}: evaluate the submission again"
            )));
        }
        if rules.is_some() {
            self.rules = rules;
        }
        Ok(())
    }

    /// The rules of each outcome (see [`Rules`]).
    pub(crate) fn rules(&mut self) -> io::Result<&Rules> {
        if self.rules.is_none()
            && let Source::Made(replay) = &mut self.source
        {
            let mut rules = Rules::default();
            replay(&mut |finding| {
                rules.add(&finding);
                true
            })
            .map_err(io::Error::other)?;
            self.rules = Some(rules);
        }
        match &self.rules {
            Some(rules) => Ok(rules),
            None => Err(io::Error::other("the rules were not counted")),
        }
    }
}

/// A part of a report that lists findings one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    /// The failures of severity `error` (these fail the verdict).
    Failures,
    /// The failures of severity `warning` and `info`.
    Warnings,
    /// The findings that could not be evaluated.
    Unevaluated,
    /// The findings that passed.
    Passed,
}

impl Listed {
    /// Whether the part lists `finding`.
    pub(crate) fn keeps(self, finding: &Finding) -> bool {
        match self {
            Listed::Failures => {
                finding.outcome == Outcome::Fail && finding.severity == Severity::Error
            }
            Listed::Warnings => {
                finding.outcome == Outcome::Fail && finding.severity != Severity::Error
            }
            Listed::Unevaluated => finding.outcome == Outcome::Error,
            Listed::Passed => finding.outcome == Outcome::Pass,
        }
    }

    /// How many findings the part lists, as `summary` counts them.
    pub(crate) fn count(self, summary: &Summary) -> usize {
        match self {
            Listed::Failures => summary.fail_error,
            Listed::Warnings => summary.fail_warning + summary.fail_info,
            Listed::Unevaluated => summary.error,
            Listed::Passed => summary.pass,
        }
    }
}

/// The rules with findings of each outcome, each once with how many
/// places ([`Report::rules_with`]), and the findings of each pack: a few
/// per rule, whatever the number of findings.
#[derive(Debug, Default)]
pub(crate) struct Rules {
    /// Per outcome, in the order of [`Rules::slot`]: each rule's first
    /// finding of the outcome and the number of its findings next to it.
    outcomes: [Vec<(Finding, usize)>; 5],
    /// Each pack's id and its number of findings.
    packs: Vec<(String, usize)>,
}

impl Finding {
    /// The finding without why it was not evaluated: what the per-rule
    /// lines show of it. The reason of a value not given points into the
    /// table of the findings it was made with (a chunk of those made
    /// again), which a finding kept for its rule would keep alive.
    fn without_reason(&self) -> Finding {
        Finding {
            reason: None,
            ..self.clone()
        }
    }
}

impl Rules {
    fn slot(outcome: Outcome) -> usize {
        match outcome {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::Error => 2,
            Outcome::NotInForce => 3,
            Outcome::NotApplicable => 4,
        }
    }

    /// Counts one more finding, the next in the report's order.
    fn add(&mut self, finding: &Finding) {
        if let Some(rules) = self.outcomes.get_mut(Self::slot(finding.outcome)) {
            match rules.last_mut() {
                Some((first, count)) if first.rule() == finding.rule() => *count += 1,
                _ => rules.push((finding.without_reason(), 1)),
            }
        }
        match self
            .packs
            .iter_mut()
            .rev()
            .find(|(id, _)| id == finding.pack())
        {
            Some((_, count)) => *count += 1,
            None => self.packs.push((finding.pack().to_owned(), 1)),
        }
    }

    /// The rules with findings of `outcome`, each with its first such
    /// finding and how many places, as [`Report::rules_with`] gives them.
    pub(crate) fn with(&self, outcome: Outcome) -> &[(Finding, usize)] {
        self.outcomes
            .get(Self::slot(outcome))
            .map_or(&[], Vec::as_slice)
    }

    /// The number of findings of pack `id`.
    pub(crate) fn of_pack(&self, id: &str) -> usize {
        self.packs
            .iter()
            .find(|(pack, _)| pack == id)
            .map_or(0, |(_, count)| *count)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::eval::{self, Evaluation, Options};
    use crate::lang::Lang;
    use crate::load::{Source, Submission};

    /// A submission of `n` plastic components whose report has findings
    /// of every outcome: lead over the limit in every 7th component (fail,
    /// severity error, with a fix), no substances in every 11th (not
    /// evaluated, with a fix), no recycled content in every 5th.
    fn submission(n: usize) -> Submission {
        let mut text = String::from(
            r#"{"schema":"recert.submission/v1","id":"SUB-MIX","date":"2026-11-20","applicant":{"name":"Mix Co","country":"CN"},"product":{"name":"mix","sector":"electrical-electronic","category":"air-purifier","markets":["CN","EU"],"mass":"1000 kg"},"components":["#,
        );
        for i in 0..n {
            if i > 0 {
                text.push(',');
            }
            let lead = if i % 7 == 0 { 2000 } else { i % 50 };
            let recycled = if i % 5 == 0 {
                ""
            } else {
                r#","recycled":{"post_consumer":"30 %"}"#
            };
            let substances = if i % 11 == 0 {
                String::new()
            } else {
                format!(r#","substances":{{"lead":"{lead} mg/kg"}}"#)
            };
            text.push_str(&format!(
                r#"{{"id":"C{i:06}","name":"p{i}","material":{{"class":"plastic","polymer":"PP"}},"mass":"0.01 kg"{recycled}{substances}}}"#
            ));
        }
        text.push_str("]}");
        let source = Source::from_text("mix.json", &text, crate::load::Format::Json);
        crate::load::load_submission(&source).unwrap()
    }

    fn bundled() -> crate::pack::PackSet {
        crate::pack::compile(&crate::pack::bundled_sources(), None).unwrap()
    }

    fn options(lang: Lang) -> Options<'static> {
        Options {
            date: jiff::civil::date(2026, 12, 1),
            lang,
            plugins: None,
        }
    }

    /// The formats and options a report is written in, findings made
    /// again, JSON aside (see `eval`'s tests).
    fn written() -> [(Format, RenderOptions); 5] {
        let plain = RenderOptions::default();
        [
            (Format::Text, plain),
            (
                Format::Text,
                RenderOptions {
                    color: true,
                    ..plain
                },
            ),
            (Format::Markdown, plain),
            (Format::Html, plain),
            (
                Format::Html,
                RenderOptions {
                    html_section: true,
                    ..plain
                },
            ),
        ]
    }

    /// `report` written with its findings made again by a replay of
    /// `findings`, and how many times they were made.
    fn written_again(
        report: &Report,
        findings: &[Finding],
        format: Format,
        options: &RenderOptions,
    ) -> (io::Result<String>, usize) {
        let mut replays = 0;
        let mut replay = |emit: &mut dyn FnMut(Finding) -> bool| {
            replays += 1;
            for finding in findings {
                if !emit(finding.clone()) {
                    break;
                }
            }
            Ok(())
        };
        let mut out = Vec::new();
        let written = report.write_streamed(format, options, &mut replay, &mut out);
        (written.map(|()| into_string(out)), replays)
    }

    #[test]
    fn a_streamed_report_has_the_bytes_of_the_held_one() {
        let (packs, submission) = (bundled(), submission(40));
        // Made again without the source text, as `recert check` does.
        let mut without_text = submission.clone();
        without_text.source = None;
        for lang in [Lang::En, Lang::Zh] {
            let options = options(lang);
            let whole = eval::evaluate(&packs, &submission, &options);
            let s = whole.summary;
            assert!(
                s.fail_error > 0
                    && s.fail_warning + s.fail_info > 0
                    && s.error > 0
                    && s.pass > 0
                    && s.not_in_force > 0
                    && s.not_applicable > 0,
                "{s:?}"
            );
            let fixed = |outcome| {
                whole
                    .findings
                    .iter()
                    .any(|f| f.outcome == outcome && f.fix().is_some())
            };
            assert!(fixed(Outcome::Fail) && fixed(Outcome::Error));
            let Evaluation::Streamed(streamed) =
                eval::evaluate_bounded(&packs, &submission, &options, 50)
            else {
                panic!("{} findings held", whole.findings.len());
            };
            assert!(streamed.report.findings.is_empty());
            // Markdown lists the fixes of a section under its table.
            let sections_with_fixes = [
                Listed::Failures,
                Listed::Warnings,
                Listed::Unevaluated,
                Listed::Passed,
            ]
            .into_iter()
            .filter(|part| {
                whole
                    .findings
                    .iter()
                    .any(|f| part.keeps(f) && f.fix().is_some())
            })
            .count();
            for (format, render) in written() {
                let held = whole.render(format, &render).unwrap();
                let mut replays = 0;
                let mut replay = |emit: &mut dyn FnMut(Finding) -> bool| {
                    replays += 1;
                    streamed.replay(&packs, &without_text, &options, emit)
                };
                let mut out = Vec::new();
                streamed
                    .report
                    .write_streamed(format, &render, &mut replay, &mut out)
                    .unwrap();
                assert!(held == into_string(out), "{format:?} {render:?} {lang:?}");
                // One pass per part that lists findings (the first counts
                // the rules too).
                let parts = match format {
                    Format::Text => 3,
                    Format::Html => 4,
                    _ => 4 + sections_with_fixes,
                };
                assert_eq!(replays, parts, "{format:?} {lang:?}");
            }
        }
    }

    #[test]
    fn a_part_without_findings_costs_no_pass() {
        let options = options(Lang::En);
        let mut report = eval::evaluate(&bundled(), &submission(12), &options);
        // The findings that do not apply, alone: no part lists findings,
        // and one pass counts the rules.
        report
            .findings
            .retain(|f| f.outcome == Outcome::NotApplicable);
        report.summary = Summary::of(&report.findings);
        assert!(report.summary.total > 0);
        let findings = std::mem::take(&mut report.findings);
        let mut whole = report.clone();
        whole.findings.clone_from(&findings);
        for (format, render) in written() {
            let (written, replays) = written_again(&report, &findings, format, &render);
            assert_eq!(
                written.unwrap(),
                whole.render(format, &render).unwrap(),
                "{format:?}"
            );
            assert_eq!(replays, 1, "{format:?}");
        }
    }

    #[test]
    fn fewer_findings_made_again_than_counted_are_an_error() {
        let report = eval::evaluate(&bundled(), &submission(12), &options(Lang::En));
        let last_failure = report
            .findings
            .iter()
            .rposition(|f| f.outcome == Outcome::Fail && f.severity == Severity::Error)
            .unwrap();
        let mut fewer = report.findings.clone();
        fewer.remove(last_failure);
        let mut counted = report.clone();
        counted.findings = Vec::new();
        for (format, render) in written() {
            let (written, _) = written_again(&counted, &fewer, format, &render);
            let error = written.unwrap_err().to_string();
            assert!(error.contains("counts"), "{format:?}: {error}");
        }
    }

    #[test]
    fn the_rules_counted_are_those_of_the_report() {
        let report = eval::evaluate(&bundled(), &submission(30), &options(Lang::En));
        let findings = Findings::held(&report.findings);
        let rules = findings.rules.as_ref().unwrap();
        for outcome in [
            Outcome::Pass,
            Outcome::Fail,
            Outcome::Error,
            Outcome::NotInForce,
            Outcome::NotApplicable,
        ] {
            let counted: Vec<(&str, usize)> = rules
                .with(outcome)
                .iter()
                .map(|(f, n)| (f.rule(), *n))
                .collect();
            let expected: Vec<(&str, usize)> = report
                .rules_with(outcome)
                .into_iter()
                .map(|(f, n)| (f.rule(), n))
                .collect();
            assert_eq!(counted, expected, "{outcome:?}");
        }
        for pack in &report.packs {
            let expected = report
                .findings
                .iter()
                .filter(|f| f.pack() == pack.id)
                .count();
            assert_eq!(rules.of_pack(&pack.id), expected, "{}", pack.id);
        }
    }
}
