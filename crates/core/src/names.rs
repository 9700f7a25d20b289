//! Substance and property names that nothing reads.
//!
//! `substances` and `properties` are open maps: any snake_case name is
//! valid, so `total_flourine: 900 mg/kg` under a food-contact component
//! passed the check that `total_fluorine` fails, with nothing said. A name
//! is *known* when
//!
//! - the submission schema documents it (`schemas/submission.schema.json`
//!   lists, under `substances` and `properties`, the names the bundled packs
//!   and the bundled plugins read: a plugin cannot say what it reads without
//!   a change to its interface, so the schema says it for it), or
//! - an expression of a loaded pack reads it (`c.substances.lead`,
//!   `has(c.substances.lead)`, `c.?substances.?lead`, `c.substances['lead']`,
//!   `'lead' in c.substances`).
//!
//! Any other substance name gets a warning (`unknown-name`) with the closest
//! known name, at its line and JSON path; so does a property name close to a
//! known one (lab results beyond what the rules check are common, a typo of a
//! checked one is not). `recert validate --strict` and `recert check
//! --strict` make every unknown name, substance or property, an error.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::lang::Lang;
use crate::load::{self, Source, Submission, pointer_escape};
use crate::pack::{BoundValue, Pack, PackSet, RuleKind};

/// The open maps of a component whose names are checked.
const MAPS: &[&str] = &["substances", "properties"];

/// The substance and property names something reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownNames {
    /// By map: `substances`, then `properties`.
    names: [BTreeSet<String>; 2],
}

impl KnownNames {
    /// The names the schema documents and `packs` read.
    pub fn new(packs: &PackSet) -> KnownNames {
        let mut known = KnownNames::default();
        if let Ok(schema) = serde_json::from_str::<Json>(load::SUBMISSION_SCHEMA) {
            let component = schema
                .pointer("/properties/components/items")
                .map(|node| resolve(&schema, node));
            for (map, names) in MAPS.iter().zip(&mut known.names) {
                let listed = component
                    .and_then(|c| c.get("properties"))
                    .and_then(|p| p.get(*map))
                    .map(|node| resolve(&schema, node))
                    .and_then(|node| node.get("properties"))
                    .and_then(Json::as_object);
                names.extend(listed.into_iter().flat_map(|p| p.keys().cloned()));
            }
        }
        for pack in packs.packs() {
            for expr in expressions(pack) {
                for (map, names) in MAPS.iter().zip(&mut known.names) {
                    names.extend(expr.keys_read(map));
                }
            }
        }
        known
    }

    /// Whether `name` of `map` (`substances`, `properties`) is known.
    pub fn knows(&self, map: &str, name: &str) -> bool {
        MAPS.iter()
            .zip(&self.names)
            .any(|(m, names)| *m == map && names.contains(name))
    }

    /// A diagnostic for each name of `submission` that is not known, located
    /// in `source` when it is given: every substance, and a property when it
    /// is close to a known one (a typo) or when `strict`; in `lang`.
    pub fn check(
        &self,
        submission: &Submission,
        source: Option<&Source>,
        strict: bool,
        lang: Lang,
    ) -> Vec<Diagnostic> {
        let texts = &Catalog::get(lang).warnings;
        let mut unknown: Vec<(String, String, Option<&str>, &str)> = Vec::new();
        let components = submission
            .normalized
            .get("components")
            .and_then(load::Doc::as_array)
            .unwrap_or_default();
        for (index, component) in components.iter().enumerate() {
            for (map, names) in MAPS.iter().zip(&self.names) {
                let Some(given) = component.get(*map).and_then(load::Doc::as_object) else {
                    continue;
                };
                for name in given.keys().filter(|n| !names.contains(*n)) {
                    let suggestion =
                        crate::suggest::closest(name, names.iter().map(String::as_str));
                    // Lab results beyond what rules check are common: a
                    // property is only warned about when it looks like a
                    // typo of a known one, unless every name must be known.
                    if *map == "properties" && suggestion.is_none() && !strict {
                        continue;
                    }
                    let pointer = format!("/components/{index}/{map}/{}", pointer_escape(name));
                    let (message, help) = if *map == "properties" {
                        (
                            (texts.unknown_property)(name),
                            texts.unchecked_property_help,
                        )
                    } else {
                        (
                            (texts.unknown_substance)(name),
                            texts.unchecked_substance_help,
                        )
                    };
                    unknown.push((pointer, message, suggestion, help));
                }
            }
        }
        let pointers: Vec<&str> = unknown.iter().map(|(p, ..)| p.as_str()).collect();
        let locations: Vec<Location> = match source {
            Some(source) => load::locate_keys(source, &pointers),
            None => pointers
                .iter()
                .map(|p| Location::new(submission.file.clone(), *p))
                .collect(),
        };
        unknown
            .into_iter()
            .zip(locations)
            .map(|((_, message, suggestion, help), location)| {
                let diagnostic = Diagnostic::new(Code::UnknownName, location, message);
                match suggestion {
                    Some(s) => diagnostic.with_help((texts.did_you_mean)(s)),
                    None => diagnostic.with_help(help),
                }
            })
            .collect()
    }
}

/// `node` with `$ref`s followed.
fn resolve<'a>(schema: &'a Json, mut node: &'a Json) -> &'a Json {
    for _ in 0..16 {
        match node
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| schema.pointer(pointer))
        {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// Every expression of a pack.
fn expressions(pack: &Pack) -> Vec<&crate::expr::Expr> {
    let mut all: Vec<&crate::expr::Expr> = pack.applies_to.iter().collect();
    for rule in &pack.rules {
        all.extend(rule.when.iter());
        match &rule.kind {
            RuleKind::Check(check) => {
                all.push(&check.value);
                for bound in [&check.min, &check.max].into_iter().flatten() {
                    if let BoundValue::Expr(expr) = &bound.value {
                        all.push(expr);
                    }
                }
            }
            RuleKind::Assert { assert, actual, .. } => {
                all.push(assert);
                all.extend(actual.iter());
            }
            RuleKind::Plugin { .. } => {}
        }
    }
    all
}
