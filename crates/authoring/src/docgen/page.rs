//! Rendering: a pack's page, one rule's section, the index.

use std::fmt::Write;

use serde_json::Value as Json;

use super::phrase::phrase;
use super::{MARKER, base_name, page_name};
use crate::packtest::{Expected, TestFile};
use recert_core::catalog::{Catalog, Docs};
use recert_core::expr::Expr;
use recert_core::lang::{Lang, Text};
use recert_core::number::format_number;
use recert_core::pack::{Bound, Pack, Rule, RuleKind, Verification, Window};
use recert_core::report::{Outcome, Severity, Strings};
use recert_core::untrusted::Markdown;

/// What a page needs besides the pack.
pub(crate) struct Context<'a> {
    /// The pack's file name.
    pub file: &'a str,
    /// The pack's test files.
    pub tests: Vec<&'a TestFile>,
}

/// The page of one pack in one language.
pub(crate) fn pack_page(pack: &Pack, cx: &Context<'_>, lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "{}", marker(cx));
    let _ = writeln!(out, "# {}\n", Markdown(pack.title.get(lang)));
    let other = match lang {
        Lang::En => Lang::Zh,
        Lang::Zh => Lang::En,
    };
    let _ = writeln!(
        out,
        "[{}]({}) · [{}](README.md)\n",
        words(other).language,
        page_name(&pack.id, other),
        w.packs_title
    );
    let tests: Vec<String> = cx.tests.iter().map(|t| code(&base_name(&t.file))).collect();
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        w.pack, w.version, w.file, w.tests, w.rules
    );
    out.push_str("| --- | --- | --- | --- | --- |\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n",
        code(&pack.id),
        pack.version,
        code(cx.file),
        if tests.is_empty() {
            "—".to_owned()
        } else {
            tests.join(", ")
        },
        pack.rules.len()
    );
    if let Some(description) = &pack.description {
        let _ = writeln!(out, "{}\n", prose(description.get(lang)));
    }

    let _ = writeln!(out, "## {}\n", w.standards);
    let _ = writeln!(out, "| {} | {} | {} |", w.id, w.standard, w.verification);
    out.push_str("| --- | --- | --- |\n");
    for standard in &pack.standards {
        let linked = match &standard.url {
            Some(url) => link(&standard.title.get(lang).trim().replace('\n', " "), url),
            None => cell(standard.title.get(lang)),
        };
        let _ = writeln!(
            out,
            "| {} | {linked} | {} |",
            code(&standard.id),
            standard.verification.map_or("—", |v| verification(v, w))
        );
    }
    out.push('\n');

    let _ = writeln!(out, "## {}\n", w.applies_to);
    match &pack.applies_to {
        Some(expr) => {
            out.push_str(&expression_block(expr));
            if let Some(words) = phrase(expr.source(), lang) {
                let _ = writeln!(out, "{}{}{words}{}\n", w.in_words, colon(lang), stop(lang));
            }
        }
        None => {
            let _ = writeln!(out, "{}\n", w.always_applies);
        }
    }

    if !pack.params.is_empty() {
        let _ = writeln!(out, "## {}\n", w.params);
        let _ = writeln!(out, "{}\n", w.params_intro);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            w.param, w.value, w.unit, w.row, w.verification, w.meaning
        );
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for param in &pack.params {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                code(&param.name),
                cell(&value_text(&param.default)),
                param.unit.as_deref().map_or("—".to_owned(), cell),
                param.row.as_deref().map_or("—".to_owned(), cell),
                param.verification.map_or("—", |v| verification(v, w)),
                param
                    .title
                    .as_ref()
                    .map_or("—".to_owned(), |t| cell(t.get(lang)))
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## {}\n", w.rules);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        w.rule, w.title, w.severity, w.requirement, w.in_force
    );
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for rule in &pack.rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} |",
            code(&rule.id),
            rule.id,
            cell(rule.title.get(lang)),
            severity_text(rule, lang),
            cell(&requirement(rule, lang)),
            cell(&rule_window(rule, lang))
        );
    }
    out.push('\n');
    for rule in &pack.rules {
        section(&mut out, pack, rule, cx, lang, 3);
    }
    let _ = writeln!(out, "---\n\n_{}_", w.generated);
    out
}

/// One rule, as `recert explain` prints it.
pub(crate) fn explain(pack: &Pack, rule: &Rule, cx: &Context<'_>, lang: Lang) -> String {
    let mut out = String::with_capacity(4096);
    section(&mut out, pack, rule, cx, lang, 1);
    out
}

/// The section of one rule, headed at `level`.
fn section(out: &mut String, pack: &Pack, rule: &Rule, cx: &Context<'_>, lang: Lang, level: usize) {
    let w = words(lang);
    let hashes = "#".repeat(level);
    if level > 1 {
        let _ = writeln!(out, "<a id=\"{}\"></a>\n", rule.id);
    }
    let _ = writeln!(
        out,
        "{hashes} {}{}{}\n",
        code(&rule.id),
        colon(lang),
        Markdown(rule.title.get(lang))
    );
    if level == 1 {
        let _ = writeln!(
            out,
            "{}{}{} {} — {}\n",
            w.pack,
            colon(lang),
            code(&pack.id),
            Markdown(&pack.version.to_string()),
            Markdown(pack.title.get(lang))
        );
    }
    // `message` escapes the pack's text itself (its own placeholders are Markdown).
    let _ = writeln!(out, "> {}\n", message(rule, lang).replace('\n', " "));

    let mut items: Vec<(&str, String)> = Vec::new();
    let severity_note = match rule.severity {
        Severity::Error => w.severity_error,
        Severity::Warning | Severity::Info => w.severity_other,
    };
    items.push((
        w.severity,
        format!(
            "{}{}{severity_note}{}",
            severity_text(rule, lang),
            open(lang),
            close(lang)
        ),
    ));
    items.push((w.requirement, requirement(rule, lang)));
    let standard = pack.standard(&rule.reference.standard);
    let cited = match standard {
        Some(s) => match &s.url {
            Some(url) => link(s.title.get(lang), url),
            None => recert_core::untrusted::markdown(s.title.get(lang)),
        },
        None => code(&rule.reference.standard),
    };
    let mut reference = format!("{}{}{cited}", rule.reference.clause, comma(lang));
    if let Some(row) = &rule.reference.row {
        let _ = write!(
            reference,
            "{}{} {row}{}",
            open(lang),
            w.row_ref,
            close(lang)
        );
    }
    items.push((w.reference, reference));
    if let Some(v) = rule.verification.or(standard.and_then(|s| s.verification)) {
        let text = match v {
            Verification::Official => verification(v, w).to_owned(),
            Verification::Secondary => format!(
                "{}{}{}{}",
                verification(v, w),
                open(lang),
                w.secondary_note,
                close(lang)
            ),
        };
        items.push((w.verification, text));
    }
    items.push((w.in_force, rule_window(rule, lang)));
    items.push((
        w.runs,
        if rule.for_each_component {
            w.per_component.to_owned()
        } else {
            w.once.to_owned()
        },
    ));
    for (label, text) in &items {
        let _ = writeln!(out, "- **{label}**{}{text}", colon(lang));
    }
    out.push('\n');

    if let Some(when) = &rule.when {
        labelled_expression(out, w.when, when, lang, Some(w));
    }
    match &rule.kind {
        RuleKind::Check(check) => {
            labelled_expression(out, w.value_checked, &check.value, lang, None)
        }
        RuleKind::Assert { assert, actual, .. } => {
            labelled_expression(out, w.asserts, assert, lang, None);
            if let Some(actual) = actual {
                labelled_expression(out, w.reports, actual, lang, None);
            }
        }
        RuleKind::Plugin {
            plugin,
            config_json,
        } => {
            let _ = writeln!(out, "**{}**{}{}\n", w.plugin, colon(lang), code(plugin));
            if let Ok(Json::Object(mut config)) = serde_json::from_str::<Json>(config_json) {
                config.remove("params");
                if !config.is_empty()
                    && let Ok(text) = serde_json::to_string(&Json::Object(config))
                {
                    let _ = writeln!(out, "**{}**{}{}\n", w.config, colon(lang), code(&text));
                }
            }
        }
    }
    if let Some(description) = &rule.description {
        let _ = writeln!(out, "{}\n", prose(description.get(lang)));
    }
    examples(out, rule, cx, lang, level);
}

/// The cases of the pack's tests that expect something of `rule`.
fn examples(out: &mut String, rule: &Rule, cx: &Context<'_>, lang: Lang, level: usize) {
    let w = words(lang);
    let mut rows = Vec::new();
    for test in &cx.tests {
        for case in &test.cases {
            let Some(expectation) = case.expect.rules.iter().find(|r| r.rule == rule.id) else {
                continue;
            };
            let mut name = cell(&case.name);
            if !case.params.is_empty() {
                let params: Vec<String> = case
                    .params
                    .iter()
                    .map(|(k, v)| code(&format!("{k} = {}", value_text(v))))
                    .collect();
                let _ = write!(
                    name,
                    "{}{} {}{}",
                    open(lang),
                    w.with_params,
                    params.join(comma(lang)),
                    close(lang)
                );
            }
            let date = test.date_of(case).map_or("—".to_owned(), |d| d.to_string());
            let outcome = match &expectation.expected {
                Expected::All(outcome) => outcome_text(*outcome, lang),
                Expected::At(list) => list
                    .iter()
                    .map(|p| {
                        let path = if p.path.is_empty() {
                            "/"
                        } else {
                            p.path.as_str()
                        };
                        format!(
                            "{}{}{}",
                            code(path),
                            colon(lang),
                            outcome_text(p.outcome, lang)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(w.outcome_separator),
            };
            rows.push(format!("| {name} | {date} | {outcome} |"));
        }
    }
    let hashes = "#".repeat(level + 1);
    let files: Vec<String> = cx.tests.iter().map(|t| code(&base_name(&t.file))).collect();
    let _ = writeln!(out, "{hashes} {}\n", w.examples);
    if rows.is_empty() {
        let _ = writeln!(out, "{}\n", w.no_examples);
        return;
    }
    let _ = writeln!(
        out,
        "{}{}{}{}{}\n",
        w.examples_from,
        open(lang),
        files.join(comma(lang)),
        close(lang),
        colon(lang).trim_end()
    );
    let _ = writeln!(out, "| {} | {} | {} |", w.case, w.date, w.expected_outcome);
    out.push_str("| --- | --- | --- |\n");
    for row in rows {
        out.push_str(&row);
        out.push('\n');
    }
    out.push('\n');
}

/// The index of packs, in both languages.
pub(crate) fn index_page(packs: &[Pack]) -> String {
    let (en, zh) = (words(Lang::En), words(Lang::Zh));
    let mut out = String::with_capacity(2048);
    let _ = writeln!(out, "{MARKER}; do not edit -->");
    let _ = writeln!(out, "# {} · {}\n", en.packs_title, zh.packs_title);
    let _ = writeln!(out, "{}\n", en.packs_intro);
    let _ = writeln!(out, "{}\n", zh.packs_intro);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        en.pack, en.language, zh.language, en.version, en.rules
    );
    out.push_str("| --- | --- | --- | --- | --- |\n");
    let mut sorted: Vec<&Pack> = packs.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for pack in sorted {
        let _ = writeln!(
            out,
            "| {} | [{}]({}) | [{}]({}) | {} | {} |",
            code(&pack.id),
            cell(&pack.title.en),
            page_name(&pack.id, Lang::En),
            cell(&pack.title.zh),
            page_name(&pack.id, Lang::Zh),
            pack.version,
            pack.rules.len()
        );
    }
    let _ = writeln!(out, "\n---\n\n_{}_", en.generated);
    out
}

/// The first line of a pack page.
fn marker(cx: &Context<'_>) -> String {
    let mut from = vec![cx.file.to_owned()];
    from.extend(cx.tests.iter().map(|t| base_name(&t.file)));
    format!("{MARKER} from {}; do not edit -->", from.join(", "))
}

/// The message with `{limit}` and `{expected}` filled, and `{component}` and
/// `{actual}` in words.
fn message(rule: &Rule, lang: Lang) -> String {
    let w = words(lang);
    let expected = rule.expected(lang).map(str::to_owned);
    let limit = match &rule.kind {
        RuleKind::Check(check) => check.limit_text().or_else(|| expected.clone()),
        _ => expected.clone(),
    };
    let mut text = prose(rule.message.get(lang));
    if let Some(limit) = limit {
        text = text.replace("{limit}", &limit);
    }
    if let Some(expected) = expected {
        text = text.replace("{expected}", &expected);
    }
    text.replace("{component}", &format!("_{}_", w.the_component))
        .replace("{actual}", &format!("_{}_", w.the_value))
}

/// `≤ 1000 mg/kg (`lead_max`)`, the assert's `expected`, or the plugin.
fn requirement(rule: &Rule, lang: Lang) -> String {
    let w = words(lang);
    match &rule.kind {
        RuleKind::Check(check) => {
            let params: Vec<String> = [&check.min, &check.max]
                .into_iter()
                .flatten()
                .filter_map(|b: &Bound| b.param.as_deref().map(code))
                .collect();
            let mut text = if check.has_computed_bound() {
                // The bound is computed per product: show how.
                code(&check.expected)
            } else {
                rule.expected(lang).unwrap_or("—").to_owned()
            };
            if !params.is_empty() {
                let _ = write!(
                    text,
                    "{}{}{}",
                    open(lang),
                    params.join(comma(lang)),
                    close(lang)
                );
            }
            text
        }
        RuleKind::Assert { expected, .. } => expected
            .as_ref()
            .map_or("—".to_owned(), |t: &Text| t.get(lang).to_owned()),
        RuleKind::Plugin { plugin, .. } => (w.decided_by_plugin)(&code(plugin)),
    }
}

/// The severity, and the param it comes from (`warning (`casing_severity`)`).
fn severity_text(rule: &Rule, lang: Lang) -> String {
    let word = Strings::get(lang).severity_word(rule.severity);
    match &rule.severity_param {
        Some(param) => format!("{word}{}{}{}", open(lang), code(param), close(lang)),
        None => word.to_owned(),
    }
}

/// The window, and how a start that depends on a date param is computed.
fn rule_window(rule: &Rule, lang: Lang) -> String {
    let window = window_text(&rule.effective, lang);
    let Some(from_param) = &rule.from_param else {
        return window;
    };
    let start = from_param.start_text(lang);
    if rule.is_provisional() {
        (Catalog::get(lang).in_force.provisional_window)(&window, &start)
    } else {
        format!("{window}{}{start}{}", open(lang), close(lang))
    }
}

/// `always`, `from 2030-01-01`, `until 2026-08-12 (last day 2026-08-11)`.
fn window_text(window: &Window, lang: Lang) -> String {
    let w = words(lang);
    let last = |until: jiff::civil::Date| until.yesterday().map_or(until, |d| d).to_string();
    match (window.from, window.until) {
        (None, None) => w.always.to_owned(),
        (Some(from), None) => (w.from)(&from.to_string()),
        (None, Some(until)) => (w.until)(&until.to_string(), &last(until)),
        (Some(from), Some(until)) => {
            (w.from_until)(&from.to_string(), &until.to_string(), &last(until))
        }
    }
}

/// An expression after a bold label: inline when short, else a block.
fn labelled_expression(
    out: &mut String,
    label: &str,
    expr: &Expr,
    lang: Lang,
    words: Option<&Docs>,
) {
    let source = expr.source().trim();
    if is_short(source) {
        let _ = writeln!(out, "**{label}**{}{}\n", colon(lang), code(source));
    } else {
        let _ = writeln!(out, "**{label}**{}\n", colon(lang).trim_end());
        out.push_str(&expression_block(expr));
    }
    if let Some(words) = words
        && let Some(text) = phrase(source, lang)
    {
        let _ = writeln!(
            out,
            "{}{}{text}{}\n",
            words.in_words,
            colon(lang),
            stop(lang)
        );
    }
}

/// A fenced block with the expression as written.
fn expression_block(expr: &Expr) -> String {
    let source = expr.source().trim();
    if is_short(source) {
        format!("{}\n\n", code(source))
    } else {
        format!("```cel\n{source}\n```\n\n")
    }
}

fn is_short(source: &str) -> bool {
    !source.contains('\n') && source.chars().count() <= 80
}

/// An outcome as written in tests (with its word in Chinese).
fn outcome_text(outcome: Outcome, lang: Lang) -> String {
    (words(lang).outcome_as_tested)(
        Strings::get(lang).outcome_word(outcome),
        &code(outcome.as_str()),
    )
}

fn verification(v: Verification, w: &Docs) -> &'static str {
    match v {
        Verification::Official => w.official,
        Verification::Secondary => w.secondary,
    }
}

/// A param's value: a number as written by the report, a string in code.
fn value_text(value: &Json) -> String {
    match value {
        Json::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format_number),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Inline code; with double backticks when the text has one.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A table cell from a pack: one line, Markdown and HTML escaped (`|`
/// included), code spans kept.
fn cell(text: &str) -> String {
    recert_core::untrusted::markdown(&text.trim().replace('\n', " "))
}

/// A paragraph of a pack: trimmed and on one line (the Chinese of a pack
/// comes unfolded: see [`recert_core::lang::unfold_chinese`]), Markdown and
/// HTML escaped, code spans kept: a pack cannot add a heading, a link or
/// HTML to the page.
fn prose(text: &str) -> String {
    recert_core::untrusted::markdown(&text.trim().replace('\n', " "))
}

/// A link to a standard: its title escaped; only an `http(s)` address
/// becomes a link (not `javascript:` or `data:`), anything else is shown
/// as code after the title.
fn link(title: &str, url: &str) -> String {
    let title = recert_core::untrusted::markdown(title);
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '(' | ')' | '<' | '>' | '"' | '\'')
        });
    if safe {
        format!("[{title}]({url})")
    } else {
        format!("{title} {}", recert_core::untrusted::markdown_code(url))
    }
}

/// The words of pages in `lang`.
fn words(lang: Lang) -> &'static Docs {
    &Catalog::get(lang).docs
}

/// The full stop of a sentence.
fn stop(lang: Lang) -> &'static str {
    words(lang).stop
}

fn colon(lang: Lang) -> &'static str {
    Strings::get(lang).colon
}

fn comma(lang: Lang) -> &'static str {
    Strings::get(lang).comma
}

fn open(lang: Lang) -> &'static str {
    Strings::get(lang).open
}

fn close(lang: Lang) -> &'static str {
    Strings::get(lang).close
}
