//! `recert packs`: list the packs and their rules.

use std::fmt::Write;

use clap::Args;
use recert_engine::Lang;
use recert_engine::format::{RenderError, pretty_json};
use recert_engine::pack::{Pack, RuleKind};
use recert_engine::report::Severity;
use recert_engine::untrusted::Text;
use serde::Serialize;

use crate::args::{LangArg, PackArgs};
use crate::exit::Exit;
use crate::format::{Format, Formats, Render};
use crate::output::{note, reported, write_output};
use crate::packset;

/// `recert packs`.
#[derive(Debug, Args)]
pub struct PacksArgs {
    #[command(flatten)]
    pub packs: PackArgs,

    /// Output format.
    #[arg(long, value_parser = FORMATS, default_value = "text")]
    pub format: Format,

    /// Language of titles.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

/// The formats of the list.
pub(crate) const FORMATS: Formats = Formats(&[(Format::Text, "A table"), (Format::Json, "JSON")]);

pub fn run(args: &PacksArgs) -> Exit {
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let list = PackList(packs.packs());
    match list.render(args.format, &Lang::from(args.lang)) {
        Ok(text) => write_output(None, &text),
        Err(error) => {
            note(format_args!("error: {error}"));
            Exit::Invalid
        }
    }
}

/// The packs and their rules, as `recert packs` lists them.
pub(crate) struct PackList<'a>(pub(crate) &'a [Pack]);

impl Render for PackList<'_> {
    const WHAT: &'static str = "a list of packs";
    const FORMATS: &'static [Format] = &[Format::Text, Format::Json];
    /// The language of titles.
    type Options = Lang;

    fn render(&self, format: Format, lang: &Lang) -> Result<String, RenderError> {
        let lang = *lang;
        match format {
            Format::Text => Ok(self
                .0
                .iter()
                .map(|p| table(p, lang))
                .collect::<Vec<_>>()
                .join("\n")),
            Format::Json => {
                let list: Vec<JsonPack<'_>> =
                    self.0.iter().map(|p| JsonPack::new(p, lang)).collect();
                pretty_json(&list)
            }
            _ => Err(RenderError::unsupported::<Self>(format)),
        }
    }
}

fn kind(kind: &RuleKind) -> &'static str {
    match kind {
        RuleKind::Check(_) => "check",
        RuleKind::Assert { .. } => "assert",
        RuleKind::Plugin { .. } => "plugin",
    }
}

fn table(pack: &Pack, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  {}",
        Text(&pack.id),
        pack.version,
        Text(pack.title.get(lang))
    );
    let _ = writeln!(
        out,
        "  {}  sha256 {}",
        Text(&pack.file),
        &pack.sha256[..pack.sha256.len().min(16)]
    );
    let width = pack.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in &pack.rules {
        let _ = writeln!(
            out,
            "  {:width$}  {:7}  {:6}  {:23}  {}",
            rule.id,
            rule.severity.as_str(),
            kind(&rule.kind),
            rule.effective.to_string(),
            Text(rule.title.get(lang)),
        );
    }
    out
}

/// `recert packs --format json`: a wire format, one object per pack in a
/// list. Keys are written in alphabetical order, as they always were; add a
/// field only where it keeps that order.
#[derive(Serialize)]
struct JsonPack<'a> {
    /// The pack's file.
    file: &'a str,
    /// Its id.
    id: &'a str,
    /// Its rules, in the pack's order.
    rules: Vec<JsonRule<'a>>,
    /// Lowercase hex sha256 of the pack's text.
    sha256: &'a str,
    /// Its title, in the language asked for.
    title: &'a str,
    /// Its semver version.
    version: String,
}

/// A rule in [`JsonPack`].
#[derive(Serialize)]
struct JsonRule<'a> {
    /// The `effective` window: dates or `null`.
    effective: JsonWindow,
    /// The requirement in words (`≤ 1000 mg/kg`), or `null`.
    expected: Option<&'a str>,
    /// The rule's id.
    id: &'a str,
    /// `check`, `assert` or `plugin`.
    kind: &'static str,
    /// The clause it comes from.
    reference: JsonReference<'a>,
    /// `error`, `warning` or `info`.
    severity: Severity,
    /// Its title, in the language asked for.
    title: &'a str,
}

/// A window in [`JsonRule`]: `from` is the first day in force, `until` the first day not.
#[derive(Serialize)]
struct JsonWindow {
    from: Option<String>,
    until: Option<String>,
}

/// A reference in [`JsonRule`]: the clause, its row in STANDARDS.md, the standard's id.
#[derive(Serialize)]
struct JsonReference<'a> {
    clause: &'a str,
    row: Option<&'a str>,
    standard: &'a str,
}

impl<'a> JsonPack<'a> {
    fn new(pack: &'a Pack, lang: Lang) -> Self {
        JsonPack {
            file: &pack.file,
            id: &pack.id,
            rules: pack
                .rules
                .iter()
                .map(|r| JsonRule {
                    effective: JsonWindow {
                        from: r.effective.from.map(|d| d.to_string()),
                        until: r.effective.until.map(|d| d.to_string()),
                    },
                    expected: r.expected(lang),
                    id: &r.id,
                    kind: kind(&r.kind),
                    reference: JsonReference {
                        clause: &r.reference.clause,
                        row: r.reference.row.as_deref(),
                        standard: &r.reference.standard,
                    },
                    severity: r.severity,
                    title: r.title.get(lang),
                })
                .collect(),
            sha256: &pack.sha256,
            title: pack.title.get(lang),
            version: pack.version.to_string(),
        }
    }
}
