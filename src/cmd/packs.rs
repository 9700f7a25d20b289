//! `recert packs`: list the packs and their rules.

use std::fmt::Write;

use clap::{Args, ValueEnum};
use recert_engine::Lang;
use recert_engine::pack::{Pack, RuleKind};

use crate::args::{LangArg, PackArgs};
use crate::exit::Exit;
use crate::output::{reported, write_output};
use crate::packset;

/// `recert packs`.
#[derive(Debug, Args)]
pub struct PacksArgs {
    #[command(flatten)]
    pub packs: PackArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// Language of titles.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

/// The format of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
}

pub fn run(args: &PacksArgs) -> Exit {
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let lang = Lang::from(args.lang);
    let text = match args.format {
        ListFormat::Text => packs
            .packs()
            .iter()
            .map(|p| table(p, lang))
            .collect::<Vec<_>>()
            .join("\n"),
        ListFormat::Json => {
            let list: Vec<serde_json::Value> =
                packs.packs().iter().map(|p| json(p, lang)).collect();
            let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    write_output(None, &text)
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
        pack.id,
        pack.version,
        pack.title.get(lang)
    );
    let _ = writeln!(
        out,
        "  {}  sha256 {}",
        pack.file,
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
            rule.title.get(lang),
        );
    }
    out
}

fn json(pack: &Pack, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "id": pack.id,
        "version": pack.version.to_string(),
        "title": pack.title.get(lang),
        "file": pack.file,
        "sha256": pack.sha256,
        "rules": pack.rules.iter().map(|r| serde_json::json!({
            "id": r.id,
            "title": r.title.get(lang),
            "severity": r.severity,
            "kind": kind(&r.kind),
            "effective": {
                "from": r.effective.from.map(|d| d.to_string()),
                "until": r.effective.until.map(|d| d.to_string()),
            },
            "expected": r.expected(lang),
            "reference": {
                "standard": r.reference.standard,
                "clause": r.reference.clause,
                "row": r.reference.row,
            },
        })).collect::<Vec<_>>(),
    })
}
