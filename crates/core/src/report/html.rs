//! The report as one self-contained HTML document, to read in a browser, hand
//! to a client and print on A4.
//!
//! - **Self-contained**: the styles are inside, there is no script, and a
//!   Content-Security-Policy meta (`default-src 'none'; style-src
//!   'unsafe-inline'; img-src data:`) forbids the page any request, so it
//!   opens the same offline, from a mail attachment or an archive.
//! - **Fonts**: a system font stack that covers Chinese (`Noto Sans CJK SC`,
//!   `Source Han Sans SC`, `PingFang SC`, `Microsoft YaHei`, then
//!   `sans-serif`), not an embedded font: a CJK font is several megabytes
//!   per weight, more than the report itself by far, and every system that
//!   shows Chinese has one of these.
//! - **Bilingual**: the document is in the report's language (`lang`), and
//!   the key labels (verdict, submission, product, evaluation date, digests)
//!   and the verdict itself also carry the other language after them
//!   (`结论 Verdict`, `不通过 FAIL`).
//! - **A4**: a print stylesheet (`@page` A4 with margins, page numbers);
//!   the verdict, the facts and the digests (submission, file, packs,
//!   plugins) come first, on the first page, then the findings table (rule,
//!   outcome, severity, message, found, required, clause), the evidence the
//!   submission gives and the overridden params. Long digests and pointers
//!   wrap instead of running off the page.
//! - **Several submissions**: one document, one `<section>` per submission,
//!   each starting on a new page. [`document_start`], a report's section
//!   (`Report::render` with `html_section`) and [`DOCUMENT_END`] let a batch stream the document: the start first, each
//!   submission's section as its report comes, the end last.
//! - **Hostile text**: every text of a submission, pack or plugin goes
//!   through [`untrusted::html`](crate::untrusted::html).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use super::render::{Findings, Listed};
use super::{Finding, FindingPath, Outcome, Report, Strings, Verdict};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostics;
use crate::lang::Lang;
use crate::untrusted::Html;

/// The end of the document [`document_start`] began.
pub const DOCUMENT_END: &str = "</body>\n</html>\n";

/// Writes `report` as a whole document to `out`, its findings taken from
/// `findings` (those it holds, or made again: see [`Findings`]).
pub(crate) fn write_document(
    report: &Report,
    findings: &mut Findings<'_, '_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(document_start(report.lang, Some(&report.submission.id)).as_bytes())?;
    write_section(report, findings, out)?;
    out.write_all(DOCUMENT_END.as_bytes())
}

/// The document up to its body: the head with the styles and the policy.
/// `title`: the submission's id when there is one submission.
pub fn document_start(lang: Lang, title: Option<&str>) -> String {
    let s = Strings::get(lang);
    let mut out = String::with_capacity(STYLE.len() + 512);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"recert {}\">\n<title>{}",
        html_lang(lang),
        env!("CARGO_PKG_VERSION"),
        Html(s.report),
    );
    if let Some(title) = title {
        let _ = write!(out, " · {}", Html(title));
    }
    let _ = write!(out, "</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n");
    out
}

/// The policy of the document: no request of any kind; inline styles and
/// `data:` images only.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                       base-uri 'none'; form-action 'none'";

/// Writes the `<section>` of one report to `out`, its findings taken from
/// `findings` (those it holds, or made again: see [`Findings`]).
pub(crate) fn write_section(
    report: &Report,
    findings: &mut Findings<'_, '_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let lang = report.lang;
    let s = Strings::get(lang);
    let h = &Catalog::get(lang).html;
    // The head of the section, findings aside: a few kilobytes.
    let mut head = String::with_capacity(16 * 1024);
    let out_head = &mut head;
    out_head.push_str("<section class=\"submission\">\n");
    banner(
        out_head,
        lang,
        verdict_class(report.verdict),
        |l| Strings::get(l).verdict_word(report.verdict),
        s.verdict_meaning(report.verdict),
    );

    // The facts and the digests: the first page.
    out_head.push_str("<table class=\"facts\">\n");
    let submission = format!(
        "<code>{}</code> <span class=\"file\">{}</span>",
        Html(&report.submission.id),
        Html(&report.submission.file)
    );
    fact(out_head, &both(lang, |s| s.submission), &submission);
    if let Some(product) = &report.submission.product {
        fact(
            out_head,
            &both(lang, |s| s.product),
            &Html(product).to_string(),
        );
    }
    fact(
        out_head,
        &both(lang, |s| s.evaluated_at),
        &Html(&report.evaluation_date).to_string(),
    );
    fact(
        out_head,
        &Html(s.engine).to_string(),
        &format!(
            "{} {} ({})",
            Html(report.engine.name),
            Html(report.engine.version),
            Html(report.engine.revision)
        ),
    );
    fact(
        out_head,
        &Html(s.coverage).to_string(),
        &Html(&s.coverage_line(&report.coverage)).to_string(),
    );
    fact(
        out_head,
        &Html(h.findings).to_string(),
        &Html(&s.summary_line(&report.summary)).to_string(),
    );
    out_head.push_str("</table>\n");

    let _ = writeln!(
        out_head,
        "<h2>{}</h2>\n<table class=\"digests\">",
        both_in(lang, |l| Catalog::get(l).html.digests)
    );
    if let Some(file_sha256) = &report.submission.file_sha256 {
        digest_row(
            out_head,
            &both(lang, |s| s.sha256_file),
            "",
            file_sha256,
            "",
        );
    }
    digest_row(
        out_head,
        &both(lang, |s| s.sha256_normalized),
        "",
        &report.submission.sha256,
        "",
    );
    for p in &report.packs {
        let applies = if p.applies { s.applies.0 } else { s.applies.1 };
        digest_row(
            out_head,
            &format!("{} <code>{}</code>", Html(s.packs), Html(&p.id)),
            &p.version,
            &p.sha256,
            applies,
        );
    }
    for p in &report.plugins {
        digest_row(
            out_head,
            &format!("{} <code>{}</code>", Html(s.plugins), Html(&p.id)),
            &p.version,
            &p.sha256,
            "",
        );
    }
    out_head.push_str("</table>\n");

    out.write_all(head.as_bytes())?;
    findings_table(out, findings, s, h)?;
    evidence(out, report, s, h)?;
    params(out, report, s)?;

    writeln!(out, "<p class=\"note\">{}</p>", Html(h.reproduce))?;
    out.write_all(b"</section>\n")
}

/// The `<section>` of a batch's input that could not be read or is not a
/// valid submission: its name and why.
pub fn invalid_section(file: &str, diagnostics: &Diagnostics, lang: Lang) -> String {
    let b = &Catalog::get(lang).batch;
    let mut out = String::from("<section class=\"submission\">\n");
    banner(
        &mut out,
        lang,
        "invalid",
        |l| Catalog::get(l).batch.invalid,
        b.invalid_meaning,
    );
    let _ = writeln!(
        out,
        "<table class=\"facts\">\n<tr><th>{}</th><td><code>{}</code></td></tr>\n</table>",
        Html(b.input),
        Html(file)
    );
    out.push_str("<ul class=\"diagnostics\">\n");
    for d in diagnostics {
        let _ = writeln!(
            out,
            "<li><code>{}</code> {} <span class=\"place\">{}</span></li>",
            Html(&d.code.to_string()),
            Html(&d.message),
            Html(&d.location.to_string())
        );
    }
    out.push_str("</ul>\n</section>\n");
    out
}

/// The verdict, in both languages, on its colour.
fn banner(
    out: &mut String,
    lang: Lang,
    class: &str,
    word: impl Fn(Lang) -> &'static str,
    meaning: &str,
) {
    let _ = writeln!(
        out,
        "<div class=\"verdict {class}\">\n<div class=\"label\">{}</div>\n\
         <div class=\"word\">{}</div>\n<div class=\"meaning\">{}</div>\n</div>",
        both(lang, |s| s.verdict),
        both_in(lang, word),
        Html(meaning),
    );
}

/// A label of the report's words in the report's language, then in the other.
fn both(lang: Lang, label: impl Fn(&'static Strings) -> &'static str) -> String {
    both_in(lang, |l| label(Strings::get(l)))
}

/// A text in the report's language, then in the other.
fn both_in(lang: Lang, text: impl Fn(Lang) -> &'static str) -> String {
    let other = other(lang);
    format!(
        "{} <span class=\"alt\" lang=\"{}\">{}</span>",
        Html(text(lang)),
        html_lang(other),
        Html(text(other))
    )
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::Zh,
        Lang::Zh => Lang::En,
    }
}

/// The `lang` attribute of a language.
fn html_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-Hans",
    }
}

fn verdict_class(verdict: Verdict) -> &'static str {
    verdict.as_str()
}

/// A row of the facts: `label` and `value` are HTML already.
fn fact(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "<tr><th>{label}</th><td>{value}</td></tr>");
}

/// A row of the digests: `what` is HTML already.
fn digest_row(out: &mut String, what: &str, version: &str, sha256: &str, note: &str) {
    let _ = writeln!(
        out,
        "<tr><th>{what}</th><td>{}</td><td><code class=\"hash\">{}</code></td><td>{}</td></tr>",
        Html(version),
        Html(sha256),
        Html(note)
    );
}

/// The findings table: failures, warnings, not evaluated, passed; then the
/// rules not in force and not applicable, by id.
fn findings_table(
    out: &mut dyn io::Write,
    findings: &mut Findings<'_, '_>,
    s: &Strings,
    h: &crate::catalog::Html,
) -> io::Result<()> {
    writeln!(out, "<h2>{}</h2>", Html(h.findings))?;
    let counted = *findings.summary();
    if counted.not_applicable == counted.total {
        writeln!(out, "<p>{}</p>", Html(h.no_findings))?;
    }
    let shown = [
        Listed::Failures,
        Listed::Warnings,
        Listed::Unevaluated,
        Listed::Passed,
    ];
    if shown.iter().any(|part| part.count(&counted) > 0) {
        writeln!(
            out,
            "<table class=\"findings\">\n<colgroup><col class=\"c-rule\"><col class=\"c-outcome\">\
             <col class=\"c-severity\"><col class=\"c-message\"><col class=\"c-found\">\
             <col class=\"c-required\"><col class=\"c-clause\"></colgroup>\n\
             <thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            Html(s.rule),
            Html(h.outcome),
            Html(h.severity),
            Html(h.message),
            Html(s.found),
            Html(s.required),
            Html(s.clause)
        )?;
        for part in shown {
            findings.listed(part, |f| finding_row(out, f, s, h))?;
        }
        out.write_all(b"</tbody>\n</table>\n")?;
    }
    let rules = findings.rules()?;
    for outcome in [Outcome::NotInForce, Outcome::NotApplicable] {
        let rules = rules.with(outcome);
        if rules.is_empty() {
            continue;
        }
        writeln!(
            out,
            "<h3>{} ({})</h3>\n<p class=\"rules\">",
            Html(s.section(outcome)),
            rules.len()
        )?;
        for (i, (r, _)) in rules.iter().enumerate() {
            if i > 0 {
                write!(out, "{}", Html(s.comma))?;
            }
            write!(out, "<code>{}</code>", Html(r.rule()))?;
            if let (Outcome::NotInForce, Some(window)) = (outcome, r.in_force()) {
                write!(out, "{}{}{}", Html(s.open), Html(window), Html(s.close))?;
            }
        }
        out.write_all(b"</p>\n")?;
    }
    Ok(())
}

fn finding_row(
    out: &mut dyn io::Write,
    f: &Finding,
    s: &Strings,
    h: &crate::catalog::Html,
) -> io::Result<()> {
    let outcome = outcome_class(f.outcome);
    let place = match &f.path {
        FindingPath::Root => String::new(),
        path => format!(
            "<br><code class=\"place\">{}</code>",
            Html(&path.to_string())
        ),
    };
    let found = f
        .actual()
        .map_or_else(|| "—".to_owned(), |a| Html(&a.to_string()).to_string());
    let mut message = Html(&f.message()).to_string();
    if let Some(reason) = f.reason() {
        let _ = write!(
            message,
            "<br><span class=\"reason\">{}{}{}</span>",
            Html(s.reason),
            Html(s.colon),
            Html(&reason)
        );
    }
    writeln!(
        out,
        "<tr class=\"{outcome}\"><td><code>{}</code><br><span class=\"title\">{}</span>{place}</td>\
         <td class=\"outcome\">{}</td><td>{}</td><td>{message}</td><td>{found}</td><td>{}</td><td>{}</td></tr>",
        Html(f.rule()),
        Html(f.title()),
        Html(s.outcome_word(f.outcome)),
        Html(s.severity_word(f.severity)),
        f.expected()
            .map_or_else(|| "—".to_owned(), |e| Html(e).to_string()),
        Html(&super::citation(f, s)),
    )?;
    if let Some(fix) = fix_hint(f) {
        writeln!(
            out,
            "<tr class=\"fix {outcome}\"><td colspan=\"7\"><strong>{}</strong>{}{}</td></tr>",
            Html(h.fix),
            Html(s.colon),
            Html(&fix)
        )?;
    }
    Ok(())
}

/// What would make a finding pass ([`Finding::fix`]), shown in a row of its
/// own under the finding.
fn fix_hint(finding: &Finding) -> Option<Cow<'_, str>> {
    finding.fix()
}

fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Error => "error",
        Outcome::NotInForce => "not-in-force",
        Outcome::NotApplicable => "not-applicable",
    }
}

/// The certificates, lots and documents the submission gives.
fn evidence(
    out: &mut dyn io::Write,
    report: &Report,
    s: &Strings,
    h: &crate::catalog::Html,
) -> io::Result<()> {
    let evidence = &report.evidence;
    writeln!(out, "<h2>{}</h2>", Html(h.evidence))?;
    if evidence.is_empty() {
        writeln!(out, "<p>{}</p>", Html(h.no_evidence))?;
        return Ok(());
    }
    let dash = |v: Option<&str>| v.map_or_else(|| "—".to_owned(), |v| Html(v).to_string());
    if evidence.certificates().len() > 0 {
        let headers = [h.component, h.scheme, h.number, h.valid_until];
        evidence_table(out, ("h3", h.certificates), &headers, |out| {
            for c in evidence.certificates() {
                // Dates are `YYYY-MM-DD`: their order is the order of the text.
                let expired = c
                    .valid_until
                    .is_some_and(|until| until < report.evaluation_date.as_str());
                let note = if expired {
                    format!(" <span class=\"expired\">{}</span>", Html(h.expired))
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}{note}</td></tr>",
                    Html(c.component),
                    dash(c.scheme),
                    dash(c.number),
                    dash(c.valid_until)
                )?;
            }
            Ok(())
        })?;
    }
    if evidence.lots().len() > 0 {
        evidence_table(out, ("h3", h.lots), &[h.component, h.lot], |out| {
            for l in evidence.lots() {
                writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
                    Html(l.component),
                    Html(l.lot)
                )?;
            }
            Ok(())
        })?;
    }
    if evidence.documents().len() > 0 {
        let headers = ["id", h.kind, h.title, "sha256"];
        evidence_table(out, ("h3", h.documents), &headers, |out| {
            for d in evidence.documents() {
                writeln!(
                    out,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><code class=\"hash\">{}</code></td></tr>",
                    dash(d.id),
                    dash(d.kind),
                    dash(d.title),
                    dash(d.sha256)
                )?;
            }
            Ok(())
        })?;
    }
    let _ = s;
    Ok(())
}

/// The params whose value an override replaced.
fn params(out: &mut dyn io::Write, report: &Report, s: &Strings) -> io::Result<()> {
    if report.params.is_empty() {
        return Ok(());
    }
    let headers = ["param", s.value, s.default];
    evidence_table(out, ("h2", s.params), &headers, |out| {
        for p in &report.params {
            writeln!(
                out,
                "<tr><td><code>{}.{}</code></td><td>{}</td><td>{}</td></tr>",
                Html(&p.pack),
                Html(&p.name),
                Html(&p.value.to_string()),
                Html(&p.default.to_string())
            )?;
        }
        Ok(())
    })
}

/// A table of class `evidence` under a heading (`(tag, text)`): `headers`
/// its columns' heads, escaped here; `body` writes its rows.
fn evidence_table(
    out: &mut dyn io::Write,
    (tag, heading): (&str, &str),
    headers: &[&str],
    body: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    write!(
        out,
        "<{tag}>{}</{tag}>\n<table class=\"evidence\">\n<thead><tr>",
        Html(heading)
    )?;
    for header in headers {
        write!(out, "<th>{}</th>", Html(header))?;
    }
    out.write_all(b"</tr></thead>\n<tbody>\n")?;
    body(out)?;
    out.write_all(b"</tbody>\n</table>\n")
}

/// The styles: screen and print (A4). Public so that a page that shows the
/// report under a policy without inline styles can serve them as a file.
pub const STYLE: &str = r#":root {
  --pass: #1e7b34; --fail: #b42318; --incomplete: #b54708;
  --not-covered: #475467; --invalid: #6941c6;
  --line: #d0d5dd; --muted: #667085;
}
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
html { background: #fff; color: #1d2939; }
body {
  margin: 0 auto; max-width: 210mm; padding: 12mm 14mm;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", sans-serif;
  font-size: 9.5pt; line-height: 1.45;
}
code, .hash {
  font-family: "Noto Sans Mono", "DejaVu Sans Mono", Consolas, "Noto Sans Mono CJK SC", monospace;
  font-size: 0.92em;
}
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid var(--line); }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; }
.alt { font-weight: normal; opacity: 0.75; font-size: 0.9em; }
.verdict { color: #fff; padding: 4mm 5mm; border-radius: 2mm; margin-bottom: 4mm; }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.verdict.incomplete { background: var(--incomplete); }
.verdict.not-covered { background: var(--not-covered); }
.verdict.invalid { background: var(--invalid); }
.verdict .label { font-size: 10pt; }
.verdict .word { font-size: 22pt; font-weight: bold; line-height: 1.2; }
.verdict .alt { opacity: 0.85; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0 2mm; }
th, td {
  text-align: left; vertical-align: top; padding: 1mm 1.5mm;
  border-bottom: 1px solid var(--line);
  overflow-wrap: anywhere; word-break: break-word;
}
thead { display: table-header-group; }
tr { break-inside: avoid; }
.facts th { width: 32%; font-weight: 600; }
.digests th { width: 27%; font-weight: 600; }
.digests td:nth-child(2) { width: 7%; }
.digests td:nth-child(3) { width: 54%; }
.digests .hash, .evidence .hash { font-size: 7pt; }
.findings { font-size: 8pt; }
.findings thead th { background: #f2f4f7; }
.findings thead th::first-letter { text-transform: uppercase; }
.c-rule { width: 20%; } .c-outcome { width: 9%; } .c-severity { width: 8%; }
.c-message { width: 27%; } .c-found { width: 12%; } .c-required { width: 10%; } .c-clause { width: 14%; }
.findings tr.fail td:first-child { border-left: 3px solid var(--fail); }
.findings tr.error td:first-child { border-left: 3px solid var(--incomplete); }
.findings tr.pass td:first-child { border-left: 3px solid var(--pass); }
.findings tr.fail .outcome { color: var(--fail); font-weight: 600; }
.findings tr.error .outcome { color: var(--incomplete); font-weight: 600; }
.findings tr.pass .outcome { color: var(--pass); }
.findings tr.fix td { background: #f9fafb; }
.title { color: #344054; }
.place, .file, .note, .rules { color: var(--muted); }
.reason { color: var(--incomplete); }
.expired { color: var(--fail); font-weight: 600; }
.note { font-size: 8pt; margin-top: 6mm; }
section.submission + section.submission { border-top: 2px solid var(--line); margin-top: 10mm; padding-top: 6mm; }
@page {
  size: A4; margin: 14mm 12mm 16mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #667085; }
}
@media print {
  body { max-width: none; padding: 0; }
  section.submission + section.submission {
    break-before: page; border-top: none; margin-top: 0; padding-top: 0;
  }
  h2, h3 { break-after: avoid; }
}
"#;
