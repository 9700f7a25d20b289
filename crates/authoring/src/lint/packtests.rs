//! Pack test files: their own format, and the rule ids and params they name
//! against the pack they test (when that pack is among those linted).

use serde_json::Value as Json;

use super::files::TestSource;
use super::{Level, Out};
use crate::packtest::TestFile;
use recert_core::diagnostic::{Code, Diagnostic};
use recert_core::load::pointer_escape;
use recert_core::pack::PackSource;
use recert_core::report::Outcome;
use recert_core::suggest::closest;

/// What a test file may name of a pack.
pub(crate) struct PackIds {
    /// The pack's `id`.
    pub id: Option<String>,
    dir: Option<std::path::PathBuf>,
    /// Rule id, and whether it has an `effective` window.
    rules: Vec<(String, bool)>,
    params: Vec<String>,
}

impl PackIds {
    /// Reads them from a pack document.
    pub fn of(json: &Json, source: &PackSource) -> PackIds {
        let rules = json
            .get("rules")
            .and_then(Json::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .filter_map(|r| {
                        let id = r.get("id").and_then(Json::as_str)?;
                        Some((id.to_owned(), r.get("effective").is_some()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let params = json
            .get("params")
            .and_then(Json::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        PackIds {
            id: json.get("id").and_then(Json::as_str).map(str::to_owned),
            dir: source.dir.clone(),
            rules,
            params,
        }
    }
}

/// Checks one test file.
pub(crate) fn check(test: &TestSource, packs: &[PackIds], out: &mut Out) {
    let file = match TestFile::parse(test.source.clone(), &test.dir) {
        Ok(file) => file,
        Err(diagnostics) => {
            for d in diagnostics.0 {
                out.push(Level::Error, d);
            }
            return;
        }
    };
    let named = |p: &&PackIds| p.id.as_deref() == Some(file.pack.as_str());
    // The pack beside the test file first, as `recert test` looks it up.
    let pack = packs
        .iter()
        .filter(named)
        .find(|p| p.dir.as_deref() == Some(test.dir.as_path()))
        .or_else(|| packs.iter().find(named));
    let Some(pack) = pack else {
        out.push(
            Level::Warning,
            Diagnostic::new(
                Code::PackNotLinted,
                file.locate("/pack"),
                format!(
                    "pack `{}` is not among the linted packs: the rule ids and params of this file were not checked",
                    file.pack
                ),
            )
            .with_help("lint the folder that holds both the pack and its test file"),
        );
        return;
    };
    for case in &file.cases {
        let at = format!("/cases/{}", case.index);
        for expectation in &case.expect.rules {
            let pointer = format!("{at}/expect/rules/{}", pointer_escape(&expectation.rule));
            match pack.rules.iter().find(|(id, _)| *id == expectation.rule) {
                None => {
                    let mut diagnostic = Diagnostic::new(
                        Code::UnknownRule,
                        file.locate_key(&pointer),
                        format!(
                            "case `{}` expects rule `{}`, which pack `{}` does not have",
                            case.name, expectation.rule, file.pack
                        ),
                    );
                    if let Some(best) = closest(
                        &expectation.rule,
                        pack.rules.iter().map(|(id, _)| id.as_str()),
                    ) {
                        diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
                    }
                    out.push(Level::Error, diagnostic);
                }
                Some((id, false))
                    if expectation
                        .expected
                        .outcomes()
                        .contains(&Outcome::NotInForce) =>
                {
                    out.push(
                        Level::Error,
                        Diagnostic::new(
                            Code::ImpossibleOutcome,
                            file.locate(&pointer),
                            format!(
                                "case `{}` expects `not-in-force` of rule `{id}`, which has no `effective` window: it is always in force",
                                case.name
                            ),
                        ),
                    );
                }
                Some(_) => {}
            }
        }
        for name in case.params.keys() {
            if !pack.params.contains(name) {
                let mut diagnostic = Diagnostic::new(
                    Code::UnknownParam,
                    file.locate_key(&format!("{at}/params/{}", pointer_escape(name))),
                    format!(
                        "case `{}` sets param `{name}`, which pack `{}` does not have",
                        case.name, file.pack
                    ),
                );
                if let Some(best) = closest(name, pack.params.iter().map(String::as_str)) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
                }
                out.push(Level::Error, diagnostic);
            }
        }
    }
}
