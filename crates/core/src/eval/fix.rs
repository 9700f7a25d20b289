//! What would make a finding pass: the `fix` of failing and unevaluated
//! findings, made only for them (a passing finding costs nothing).
//!
//! A failed check gets its rule's `fix` template, with the values the
//! engine computes (`{gap}`, and for a share taken over components by mass
//! `{missing}`, `{part}`, `{part_from}`, `{part_to}`), or else a hint of its
//! shape: lower the value in the component to the limit, or raise it. A
//! value the submission does not give gets what to measure or declare, for
//! which component, and where in the file it goes.

use serde_json::Value as Json;

use super::Run;
use crate::expr::{EvalError, Scope};
use crate::load::Doc;
use crate::number::{format_number, quantity_text};
use crate::pack::{Check, Rule};
use crate::report::message::Message;
use crate::report::{MissingValue, MissingValues, Outcome, Strings};

/// A finding of a missing value, waiting for its line. A large submission
/// has millions (a substance per rule and component), so the texts they
/// repeat are kept once, in [`MissingTexts`].
pub(super) struct Missing {
    finding: usize,
    /// The field (`substances.lead`), in [`MissingTexts::fields`].
    field: u32,
    /// The component's index, when the value is a component's.
    component: Option<usize>,
    lab: bool,
    /// The nearest pointer the submission has, in [`MissingTexts::present`].
    present: u32,
}

/// The fields and pointers of the findings of missing values, each once,
/// and the findings whose reason is the plain one of a component's field:
/// an entry each, their texts made when read (see [`MissingValues`]).
#[derive(Default)]
pub(super) struct MissingTexts {
    fields: Interned,
    present: Interned,
    /// Entries of the table the findings will share.
    entries: Vec<MissingValue>,
    /// Component labels, each once.
    labels: Vec<String>,
    /// A component's label, in `labels`, by the component's index.
    label_of: std::collections::HashMap<usize, u32>,
}

impl MissingTexts {
    /// Drops everything but the pointers the fixes name: the findings the
    /// rest was for are gone (counted, not held).
    pub(super) fn keep_places(&mut self) {
        let present = std::mem::take(&mut self.present);
        *self = MissingTexts {
            present,
            ..MissingTexts::default()
        };
    }

    /// The pointers the fixes name, sorted, each once.
    pub(super) fn into_places(self) -> Vec<Box<str>> {
        let mut places: Vec<Box<str>> = self.present.texts.into_iter().collect();
        places.sort_unstable();
        places
    }
}

/// The lines of the pointers fixes name, found in one pass over the text
/// before the findings are made again (rather than a pass per chunk).
#[derive(Debug)]
pub(super) struct KnownLines {
    /// Sorted.
    pointers: Vec<Box<str>>,
    lines: Vec<Option<usize>>,
}

impl KnownLines {
    /// The lines of `pointers` (sorted) in `source`.
    pub(super) fn find(source: Option<&crate::load::Source>, pointers: Vec<Box<str>>) -> Self {
        let lines = match source {
            Some(source) => {
                let all: Vec<&str> = pointers.iter().map(|p| &**p).collect();
                crate::load::locate_key_lines(source, &all)
            }
            None => Vec::new(),
        };
        KnownLines { pointers, lines }
    }

    /// The line of `pointer`, if it was looked for and found.
    fn line(&self, pointer: &str) -> Option<usize> {
        let i = self
            .pointers
            .binary_search_by(|p| (**p).cmp(pointer))
            .ok()?;
        self.lines.get(i).copied().flatten()
    }
}

/// Distinct texts, by number, each held once: a large submission has a
/// place per component (`/components/7/substances`), 100 000 in
/// `tests/memory.rs`, held from its first pack to the end of the first
/// pass (a list and a map of copies took some 150 bytes a place, this some
/// 80).
#[derive(Default)]
struct Interned {
    texts: indexmap::IndexSet<Box<str>>,
}

impl Interned {
    /// The number of `text`, added if new.
    fn number(&mut self, text: &str) -> u32 {
        let n = match self.texts.get_index_of(text) {
            Some(n) => n,
            None => self.texts.insert_full(text.into()).0,
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn get(&self, n: u32) -> &str {
        usize::try_from(n)
            .ok()
            .and_then(|n| self.texts.get_index(n))
            .map_or("", |text| &**text)
    }

    /// The texts, in the order of their numbers.
    fn into_texts(self) -> Vec<String> {
        self.texts.into_iter().map(String::from).collect()
    }
}

/// A share's computed fix: the mass missing and one component that could
/// supply it.
struct ShareFix {
    missing: String,
    part: String,
    part_from: String,
    part_to: String,
}

impl Run<'_, '_, '_> {
    /// Sets the fix of the last finding, a failed check with `value` against `bounds`.
    pub(super) fn check_fix(
        &mut self,
        rule: &Rule,
        check: &Check,
        bounds: [Option<f64>; 2],
        value: f64,
        scope: &Scope<'_, '_>,
    ) {
        let lang = self.options.lang;
        let unit = check.unit.as_deref();
        // The bound the value failed: the lower one when it is below it.
        let (limit, lower) = match bounds {
            [Some(min), _] if value <= min => (min, true),
            [_, Some(max)] => (max, false),
            [Some(min), None] => (min, true),
            [None, None] => return,
        };
        // A strict bound met exactly has no gap to speak of.
        let gap = if limit == value {
            String::new()
        } else {
            quantity_text((limit - value).abs(), unit)
        };
        let share = if lower {
            self.share_fix(rule, limit - value, scope)
        } else {
            None
        };
        let Some(last) = self.findings.last() else {
            return;
        };
        if last.outcome != Outcome::Fail {
            return;
        }
        let expected = last.expected().unwrap_or_default().to_owned();
        let actual = last
            .actual()
            .map_or_else(String::new, |actual| actual.to_string());
        let component = last.path.component().and_then(|i| self.component_text(i));
        let what = rule
            .check_field()
            .and_then(|f| f.strip_prefix("substances/"))
            .map(str::to_owned);
        let template = rule.texts(lang).fix.as_deref().filter(|t| {
            // A template that needs the share's parts when they could not be computed: the shape's hint.
            share.is_some()
                || !["{missing}", "{part}", "{part_from}", "{part_to}"]
                    .iter()
                    .any(|p| t.contains(p))
        });
        let text = match template {
            Some(template) => {
                let limit_text = quantity_text(limit, unit);
                let message = Message::new(
                    template,
                    Some(&expected),
                    Some(&limit_text),
                    Strings::get(lang).each_component,
                );
                let mut text = message
                    .render(last.component_label(), last.actual().as_deref())
                    .into_owned()
                    .replace("{gap}", &gap);
                if let Some(share) = &share {
                    text = text
                        .replace("{missing}", &share.missing)
                        .replace("{part_from}", &share.part_from)
                        .replace("{part_to}", &share.part_to)
                        .replace("{part}", &share.part);
                }
                tidy(lang, text)
            }
            None if lower => (self.texts().fix_raise)(what.as_deref(), &expected, &actual, &gap),
            None => {
                (self.texts().fix_lower)(what.as_deref(), component.as_deref(), &expected, &actual)
            }
        };
        if let Some(last) = self.findings.last_mut() {
            last.set_fix(text);
        }
    }

    /// Sets the fix of the last finding, a failed assertion: the rule's
    /// `fix`, if it has one.
    pub(super) fn assert_fix(&mut self, rule: &Rule) {
        let lang = self.options.lang;
        let Some(template) = rule.texts(lang).fix.as_deref() else {
            return;
        };
        let Some(last) = self.findings.last() else {
            return;
        };
        let expected = last.expected().map(str::to_owned);
        let text = Message::new(
            template,
            expected.as_deref(),
            expected.as_deref(),
            Strings::get(lang).each_component,
        )
        .render(last.component_label(), last.actual().as_deref())
        .into_owned();
        self.set_fix(tidy(lang, text));
    }

    /// For a rule whose `fix` names the parts a share is taken over by mass:
    /// the mass of recycled material missing (`short` percentage points of
    /// the parts' total mass) and the part that could take it most easily
    /// (the one with the most room, mass × (100 % − its share)).
    fn share_fix(&self, rule: &Rule, short: f64, scope: &Scope<'_, '_>) -> Option<ShareFix> {
        let fix = rule.fix.as_ref()?;
        let (parts, path) = (fix.parts.as_ref()?, fix.share.as_ref()?);
        // The parts read in place where the fast path gives them.
        let converted;
        let parts: Vec<&Doc> = match parts.eval_items(scope) {
            Some(parts) => parts,
            None => {
                let Ok(list @ Json::Array(_)) = parts.eval(scope) else {
                    return None;
                };
                converted = Doc::from_value(list);
                converted.as_array()?.iter().collect()
            }
        };
        let parts: Vec<(String, f64, f64)> = parts
            .into_iter()
            .filter_map(|part| {
                let mass = part.get("mass")?.as_f64()?;
                let share: f64 = path
                    .iter()
                    .map(|path| {
                        path.iter()
                            .try_fold(part, |v, key| v.get(key.as_str()))
                            .and_then(Doc::as_f64)
                            .unwrap_or(0.0)
                    })
                    .sum();
                let text = |key: &str| part.get(key).and_then(Doc::as_str);
                Some((self.label_text(text("id"), text("name")), mass, share))
            })
            .collect();
        let total: f64 = parts.iter().map(|(_, mass, _)| mass).sum();
        if total <= 0.0 || short <= 0.0 {
            return None;
        }
        let missing = short / 100.0 * total;
        let room = |(_, mass, share): &&(String, f64, f64)| mass * (100.0 - share);
        let (part, mass, from) = parts
            .iter()
            .filter(|p| room(p) > 0.0)
            .max_by(|a, b| room(a).total_cmp(&room(b)))?;
        let to = (from + missing / mass * 100.0).min(100.0);
        Some(ShareFix {
            missing: mass_text(missing),
            part: part.clone(),
            part_from: quantity_text(*from, Some("%")),
            part_to: quantity_text(round_up(to), Some("%")),
        })
    }

    /// Sets the fix of the last finding, not evaluated because of `error`:
    /// for a missing value, what to measure or declare, and where. `plain`:
    /// the finding's reason is the error's, as [`Run::explain`] says it.
    pub(super) fn missing_fix(&mut self, error: &EvalError, plain: bool) {
        let EvalError::Missing { pointer } = error else {
            return;
        };
        let (component, field) = match pointer
            .strip_prefix("/components/")
            .and_then(|rest| rest.split_once('/'))
        {
            Some((index, field)) => {
                let component = index
                    .parse::<usize>()
                    .ok()
                    .filter(|&i| self.component(i).is_some());
                (component, field)
            }
            None => (None, pointer.trim_start_matches('/')),
        };
        let lab = component.is_some()
            && (field.starts_with("substances/") || field.starts_with("properties/"));
        // The value is not in the file: the line of the nearest field that
        // is (`substances:`), under which it goes.
        let mut present = pointer.as_str();
        while !present.is_empty() && self.submission.normalized.pointer(present).is_none() {
            present = present.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
        let Some(finding) = self.findings.len().checked_sub(1) else {
            return;
        };
        // A component's field whose reason is the plain one: its reason
        // and fix are made when read, from the numbers kept here.
        let deferred = plain
            && component.is_some_and(|index| u32::try_from(index).is_ok())
            && pointer
                .strip_prefix("/components/")
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(index, _)| canonical_index(index));
        if deferred && let Some(index) = component {
            let field = self.missing_texts.fields.number(field);
            let place = self.missing_texts.present.number(present);
            let label = match self.missing_texts.label_of.get(&index) {
                Some(&label) => label,
                None => {
                    let text = self.component_text(index).unwrap_or_default();
                    let texts = &mut self.missing_texts;
                    let label = u32::try_from(texts.labels.len()).unwrap_or(u32::MAX);
                    texts.labels.push(text);
                    texts.label_of.insert(index, label);
                    label
                }
            };
            let entry = u32::try_from(self.missing_texts.entries.len()).unwrap_or(u32::MAX);
            self.missing_texts.entries.push(MissingValue {
                component: u32::try_from(index).unwrap_or(u32::MAX),
                field,
                place,
                label,
                lab,
            });
            if let Some(last) = self.findings.last_mut() {
                last.set_pending(entry);
            }
            return;
        }
        let field = self.missing_texts.fields.number(&field.replace('/', "."));
        let present = self.missing_texts.present.number(present);
        self.missing.push(Missing {
            finding,
            field,
            component,
            lab,
            present,
        });
    }

    /// Makes the fix of every finding of a missing value, locating all
    /// their places in one pass over the submission's text.
    pub(super) fn missing_fixes(&mut self) {
        let missing = std::mem::take(&mut self.missing);
        let interned = std::mem::take(&mut self.missing_texts);
        if missing.is_empty() && interned.entries.is_empty() {
            return;
        }
        let texts = self.texts();
        // Each distinct place once: the missing substances of a component
        // all go under its `substances`.
        let known = match &self.sink {
            super::Sink::Emit { lines, .. } => Some(lines),
            super::Sink::Hold { .. } => None,
        };
        let source = match (known, &self.submission.source) {
            (None, None) if !interned.present.texts.is_empty() => (self.source_again)(),
            (_, source) => source.clone(),
        };
        let places: Vec<Option<String>> = match (known, &source) {
            (Some(known), _) => interned
                .present
                .texts
                .iter()
                .map(|pointer| known.line(pointer).map(texts.fix_place))
                .collect(),
            (None, Some(source)) => {
                let pointers: Vec<&str> = interned.present.texts.iter().map(|p| &**p).collect();
                crate::load::locate_key_lines(source, &pointers)
                    .into_iter()
                    .map(|line| line.map(texts.fix_place))
                    .collect()
            }
            (None, None) => Vec::new(),
        };
        // Findings of a component come together: its text is made once.
        let mut component: Option<(usize, Option<String>)> = None;
        for m in missing {
            let place = usize::try_from(m.present)
                .ok()
                .and_then(|n| places.get(n))
                .and_then(Option::as_deref);
            let label = match m.component {
                Some(index) => {
                    if component.as_ref().is_none_or(|(i, _)| *i != index) {
                        component = Some((index, self.component_text(index)));
                    }
                    component.as_ref().and_then(|(_, text)| text.as_deref())
                }
                None => None,
            };
            let text = (texts.fix_missing)(interned.fields.get(m.field), label, m.lab, place);
            if let Some(finding) = self.findings.get_mut(m.finding) {
                finding.set_fix(text);
            }
        }
        if interned.entries.is_empty() {
            return;
        }
        let table = std::sync::Arc::new(MissingValues {
            texts,
            fields: interned.fields.into_texts(),
            places,
            labels: interned.labels,
            entries: interned.entries,
        });
        for finding in &mut self.findings {
            finding.resolve_pending(&table);
        }
    }

    /// The component at `index`.
    fn component(&self, index: usize) -> Option<&crate::load::Doc> {
        self.submission.normalized.get("components")?.get(index)
    }

    /// `K3 (heating element)`: the component at `index`, by id and name.
    fn component_text(&self, index: usize) -> Option<String> {
        let component = self.component(index)?;
        let text = |key: &str| component.get(key).and_then(crate::load::Doc::as_str);
        Some(self.label_text(text("id"), text("name")))
    }

    /// `K3 (heating element)`: a component's id and, when it has one, its name.
    fn label_text(&self, id: Option<&str>, name: Option<&str>) -> String {
        (self.texts().fix_component)(id.unwrap_or("?"), name)
    }
}

impl Run<'_, '_, '_> {
    /// Sets the fix of the last finding.
    fn set_fix(&mut self, text: String) {
        if let Some(last) = self.findings.last_mut() {
            last.set_fix(text);
        }
    }
}

/// Whether `index` is a list index as `/components/{index}` writes it back
/// (`7`, not `07` or `+7`).
fn canonical_index(index: &str) -> bool {
    !index.is_empty()
        && index.bytes().all(|b| b.is_ascii_digit())
        && (index == "0" || !index.starts_with('0'))
}

/// A filled Chinese template without the spaces left beside full-width
/// punctuation (`F1（shrink film） 的` → `F1（shrink film）的`).
fn tidy(lang: crate::lang::Lang, text: String) -> String {
    match lang {
        crate::lang::Lang::Zh => crate::lang::unfold_chinese(&text),
        crate::lang::Lang::En => text,
    }
}

/// A mass in kg as people write it: grams below 1 kg.
fn mass_text(kg: f64) -> String {
    if kg < 1.0 {
        format!("{} g", format_number(round_up(kg * 1000.0)))
    } else {
        format!("{} kg", format_number(round_up(kg)))
    }
}

/// `value` rounded up at the second decimal, so that a target shown
/// reaches the limit (31.0001 % → 31.01 %, not 31 %).
fn round_up(value: f64) -> f64 {
    let scaled = value * 100.0;
    // Float noise (30.000000000004) is not a hundredth more.
    if (scaled - scaled.round()).abs() < 1e-6 {
        return scaled.round() / 100.0;
    }
    scaled.ceil() / 100.0
}
