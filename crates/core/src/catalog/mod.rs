//! Everything recert says in reports and generated pages, one file per
//! language: [`en`] and [`zh`]. A reviewer of the Chinese reads `zh.rs` alone.
//!
//! A [`Catalog`] is a `const` of plain texts, grouped by who reads them. A
//! text with a value in it (a date, a pack id, a reason) is a function of that
//! value, so the words around it stay here: `|from| format!("自 {from} 起")`.
//! The values are put in as they are; the functions add nothing but words and
//! punctuation.
//!
//! Diagnostics, lint findings and the output of `recert test` are in English
//! only and are written where they are made.

pub mod en;
pub mod zh;

use crate::lang::Lang;
use crate::report::Strings;

/// Every text of one language.
#[derive(Debug)]
pub struct Catalog {
    /// The labels and words of text and Markdown reports.
    pub report: Strings,
    /// When a rule is in force, as a report shows it (written when packs are compiled).
    pub in_force: InForce,
    /// Why a rule could not be evaluated, as a report gives the reason.
    pub eval: Eval,
    /// Generated pack pages (`recert docs`) and `recert explain`.
    pub docs: Docs,
    /// Warnings about a submission that is valid (`recert validate`, `recert check`).
    pub warnings: Warnings,
    /// A batch of `recert check`: inputs that could not be evaluated, and the summary.
    pub batch: Batch,
    /// `recert verify`: a signed report's signature and digests.
    pub verify: Verify,
    /// The HTML report's own words (it shares the others with text and Markdown).
    pub html: Html,
    /// The HTTP service's errors (`recert serve`, `application/problem+json`).
    pub problems: Problems,
}

/// The title and detail of each error of the HTTP service (`recert serve`):
/// the `title` and `detail` of an `application/problem+json` answer. The
/// diagnostics it lists are in English, as the command line prints them.
#[derive(Debug)]
pub struct Problems {
    /// 400: the body is not a valid submission.
    pub invalid_body: &'static str,
    /// Its detail: how many problems the diagnostics list.
    pub invalid_body_detail: fn(count: usize) -> String,
    /// 400: a query parameter is not one the route takes.
    pub bad_query: &'static str,
    /// Its detail: the parameter, the value given and what it may be.
    pub bad_query_detail: fn(name: &str, value: &str, expected: &str) -> String,
    /// 400: `sign=true` but the server has no key, or the format is not JSON.
    pub cannot_sign: &'static str,
    /// Its detail when the server was started without `--sign KEY`.
    pub no_signing_key: &'static str,
    /// Its detail when the format is not JSON.
    pub sign_json_only: fn(format: &str) -> String,
    /// 413: the body is over the input cap.
    pub too_large: &'static str,
    /// Its detail: the cap in MiB.
    pub too_large_detail: fn(limit_mib: u64) -> String,
    /// 503: as many requests as the server takes at once are running.
    pub overloaded: &'static str,
    /// Its detail: the limit and when to retry.
    pub overloaded_detail: fn(limit: usize, retry_seconds: u64) -> String,
    /// 503: the evaluation took longer than the per-request deadline.
    pub deadline: &'static str,
    /// Its detail: the deadline, in words (`10 s`).
    pub deadline_detail: fn(deadline: &str) -> String,
    /// 404: no schema of that name.
    pub unknown_schema: &'static str,
    /// Its detail: the name asked for and the names there are.
    pub unknown_schema_detail: fn(name: &str, names: &str) -> String,
    /// 500: the evaluation did not finish (a bug, reported as such).
    pub internal: &'static str,
    /// Its detail.
    pub internal_detail: &'static str,
}

/// What `recert verify` says of a signed report.
#[derive(Debug)]
pub struct Verify {
    /// The heading of one record of a JSON Lines file (1-based).
    pub record: fn(number: usize) -> String,
    /// The signature holds, made with the key of this id given by `--key`.
    pub signed_with_given_key: fn(key_id: &str) -> String,
    /// The signature holds, made with the key the report carries.
    pub signed_with_carried_key: fn(key_id: &str) -> String,
    /// Why a key carried by the report proves integrity only, not who signed.
    pub self_asserted: &'static str,
    /// The report has no signature.
    pub unsigned: &'static str,
    /// The signature object cannot be read.
    pub malformed: fn(reason: &str) -> String,
    /// An algorithm or canonicalization (`field`) recert does not sign with.
    pub unsupported: fn(field: &str, value: &str) -> String,
    /// Signed with another key than the one given.
    pub wrong_key: fn(given: &str, found: &str) -> String,
    /// The signature does not match the content.
    pub mismatch: &'static str,
    /// The submission file, by the digest of its bytes.
    pub submission_file: fn(file: &str) -> String,
    /// The submission, by the digest of its normalized content.
    pub submission_normalized: fn(file: &str) -> String,
    /// A pack and its file.
    pub pack: fn(id: &str, file: &str) -> String,
    /// A plugin and its file.
    pub plugin: fn(id: &str, file: &str) -> String,
    /// A digest that matches.
    pub matches: fn(what: &str) -> String,
    /// A digest that does not: `expected` is the report's, `found` the file's.
    pub differs: fn(what: &str, expected: &str, found: &str) -> String,
    /// A pack or plugin of the report that is not among the files given.
    pub not_found: fn(what: &str) -> String,
    /// The last line when everything checked holds.
    pub verified: &'static str,
    /// The last line when something does not.
    pub not_verified: &'static str,
}

/// The words only the HTML report has.
#[derive(Debug)]
pub struct Html {
    /// "Digests": the heading of the submission's, packs' and plugins' SHA-256.
    pub digests: &'static str,
    /// "Findings": the heading of the findings table.
    pub findings: &'static str,
    /// "Outcome": a column.
    pub outcome: &'static str,
    /// "Severity": a column.
    pub severity: &'static str,
    /// "Message": a column.
    pub message: &'static str,
    /// "What would make it pass": before a finding's fix hint.
    pub fix: &'static str,
    /// "Evidence": the heading of the evidence list.
    pub evidence: &'static str,
    /// "Certificates": chain-of-custody certificates of the claims.
    pub certificates: &'static str,
    /// "Supplier lots".
    pub lots: &'static str,
    /// "Documents": the submission's `evidence[]`.
    pub documents: &'static str,
    /// "Component": a column.
    pub component: &'static str,
    /// "Scheme": a column.
    pub scheme: &'static str,
    /// "Number": a column (a certificate's).
    pub number: &'static str,
    /// "Valid until": a column.
    pub valid_until: &'static str,
    /// A certificate no longer valid on the evaluation date.
    pub expired: &'static str,
    /// "Lot": a column.
    pub lot: &'static str,
    /// "Kind": a column (a document's).
    pub kind: &'static str,
    /// "Title": a column (a document's).
    pub title: &'static str,
    /// Under "Evidence", when the submission gives none.
    pub no_evidence: &'static str,
    /// Under "Findings", when no rule applied.
    pub no_findings: &'static str,
    /// The note at the end of each submission's section: what the digests are for.
    pub reproduce: &'static str,
}

/// The words of a batch (`recert check` over several inputs).
#[derive(Debug)]
pub struct Batch {
    /// The verdict of an input that could not be read or is not a valid submission.
    pub invalid: &'static str,
    /// What that verdict means, in one sentence.
    pub invalid_meaning: &'static str,
    /// "Input": the input a record is about.
    pub input: &'static str,
    /// The summary's first line: how many inputs were checked.
    pub inputs: fn(count: usize) -> String,
    /// The heading of the rules failed by the most submissions.
    pub most_failed: &'static str,
    /// How many submissions failed a rule.
    pub submissions: fn(count: usize) -> String,
    /// The rules left out of the list.
    pub more_rules: fn(count: usize) -> String,
    /// The heading of the counts per pack.
    pub per_pack: &'static str,
    /// A pack's counts: the submissions it applied to and those that failed one of its rules.
    pub pack_counts: fn(applied: usize, failed: usize) -> String,
}

/// Warnings about a valid submission.
#[derive(Debug)]
pub struct Warnings {
    /// A share below 1 % where every other share is above 1 %: `field` is
    /// its name, `value` the share as given, `percent` the value × 100.
    pub share_as_fraction: fn(field: &str, value: &str, percent: &str) -> String,
    /// How to fix it.
    pub share_as_fraction_help: &'static str,
    /// A substance name that no loaded pack or plugin reads.
    pub unknown_substance: fn(name: &str) -> String,
    /// A property name that no loaded pack or plugin reads.
    pub unknown_property: fn(name: &str) -> String,
    /// The closest known name, for a name nothing reads.
    pub did_you_mean: fn(suggestion: &str) -> String,
    /// A substance name nothing reads and nothing close to it.
    pub unchecked_substance_help: &'static str,
    /// A property name nothing reads and nothing close to it.
    pub unchecked_property_help: &'static str,
}

impl Catalog {
    /// The texts of `lang`.
    pub fn get(lang: Lang) -> &'static Catalog {
        match lang {
            Lang::En => &en::EN,
            Lang::Zh => &zh::ZH,
        }
    }
}

/// A rule's `effective` window in a report, e.g. `from 2030-01-01, before 2040-01-01`
/// (`until` is the first day the rule is no longer in force).
#[derive(Debug)]
pub struct InForce {
    /// A window with only `from`.
    pub from: fn(from: &str) -> String,
    /// A window with only `until`.
    pub before: fn(until: &str) -> String,
    /// A window with both.
    pub from_before: fn(from: &str, until: &str) -> String,
    /// Put before the window of a rule whose start waits for a date param
    /// that is not set (`provisionally from 2030-01-01`).
    pub provisionally: &'static str,
    /// A delay after a date param: `3 years`, `18 months`, `1 year and 6 months`.
    pub delay: fn(years: u32, months: u32) -> String,
    /// The date param, when it has no title.
    pub date_param: fn(param: &str) -> String,
    /// A start that depends on a date param: `from 2030-01-01 or 3 years
    /// after X, whichever is later`.
    pub start: fn(from: &str, delay: &str, what: &str) -> String,
    /// The note a provisional rule's messages end with; `start` is the text above.
    pub provisional_note: fn(start: &str) -> String,
    /// The window of a provisional rule on a generated page.
    pub provisional_window: fn(window: &str, start: &str) -> String,
}

/// The reason of a finding whose rule could not be evaluated.
#[derive(Debug)]
pub struct Eval {
    /// A pack's `applies_to` could not be evaluated; `reason` is one of the texts below.
    pub pack_applies_unknown: fn(pack: &str, reason: &str) -> String,
    /// A rule's `when` could not be evaluated.
    pub when_unknown: fn(reason: &str) -> String,
    /// A bound of a rule's `check` (`min`, `above`, `max`, `below`) that is an
    /// expression could not be computed.
    pub bound_unknown: fn(rule: &str, side: &str, reason: &str) -> String,
    /// The submission does not give a value an expression reads.
    pub missing: fn(pointer: &str) -> String,
    /// An expression could not be evaluated; `message` is the CEL engine's, in English.
    pub type_error: fn(message: &str) -> String,
    /// An expression gave NaN or an infinity; `zero_mass` when the
    /// components' total mass is 0 (the cause of a mass-weighted mean's 0/0).
    pub not_finite: fn(expression: &str, zero_mass: bool) -> String,
    /// A value computed from results below the detection limit (`value`,
    /// an upper bound: `< 2 mg/kg`) that does not decide against `limit`.
    pub below_detection_undecided: fn(value: &str, limit: &str) -> String,
    /// A check whose value falls when a result below the detection limit
    /// rises: its bound says nothing of it.
    pub below_detection_not_monotone: fn(expression: &str) -> String,
    /// An assertion whose answer changes between the results below the
    /// detection limit at their limit and at 0.
    pub below_detection_assert: &'static str,
    /// A rule's evaluation iterated over more list elements than `limit`, its cost budget.
    pub over_iterations: fn(limit: &str) -> String,
    /// A rule's evaluation built more text and lists than `limit` (in MiB), its cost budget.
    pub over_bytes: fn(limit: &str) -> String,
    /// A `for_each: components` rule on a submission without components.
    pub no_components: &'static str,
    /// The fix of a failed upper limit (`max`, `below`): bring `what` (a
    /// substance's name, or `None`: the value), in `component` when the
    /// finding is about one, from `actual` to `expected`.
    pub fix_lower:
        fn(what: Option<&str>, component: Option<&str>, expected: &str, actual: &str) -> String,
    /// The fix of a failed lower limit (`min`, `above`): raise `what` (or the
    /// value) from `actual` to `expected`, `gap` more.
    pub fix_raise: fn(what: Option<&str>, expected: &str, actual: &str, gap: &str) -> String,
    /// `K3 (heating element)`: a component named in a fix.
    pub fix_component: fn(id: &str, name: Option<&str>) -> String,
    /// The fix of a missing value: measure (`lab`: a substance or property
    /// of a component) or declare `field`, of `component` (`K3 (heating
    /// element)`) when it is in one, at `place` (`under line 42`).
    pub fix_missing:
        fn(field: &str, component: Option<&str>, lab: bool, place: Option<&str>) -> String,
    /// Where a value goes: under `line` of the submission's file (named
    /// in the report's head; the same finding from a file or stdin).
    pub fix_place: fn(line: usize) -> String,
}

/// The words of a generated pack page and of `recert explain`.
#[derive(Debug)]
pub struct Docs {
    /// The name of the language, in itself: the link to the page in it.
    pub language: &'static str,
    /// The note at the end of every page.
    pub generated: &'static str,
    /// "Pack": a column of the pack table and the index.
    pub pack: &'static str,
    /// "Version": a column.
    pub version: &'static str,
    /// "File": a column.
    pub file: &'static str,
    /// "Tests": a column.
    pub tests: &'static str,
    /// "Rules": a heading and a column.
    pub rules: &'static str,
    /// "Standards": a heading.
    pub standards: &'static str,
    /// "Standard": a column.
    pub standard: &'static str,
    /// "Id": a column.
    pub id: &'static str,
    /// "Verification": a column and an item.
    pub verification: &'static str,
    /// A requirement confirmed against the official text.
    pub official: &'static str,
    /// A requirement confirmed only from secondary sources.
    pub secondary: &'static str,
    /// What a secondary source means for the reader.
    pub secondary_note: &'static str,
    /// "Applies to": a heading.
    pub applies_to: &'static str,
    /// Under "Applies to", for a pack without `applies_to`.
    pub always_applies: &'static str,
    /// "In words": before a condition put into words.
    pub in_words: &'static str,
    /// "Params": a heading.
    pub params: &'static str,
    /// Under "Params".
    pub params_intro: &'static str,
    /// "Param": a column.
    pub param: &'static str,
    /// "Value": a column.
    pub value: &'static str,
    /// "Unit": a column.
    pub unit: &'static str,
    /// "Row": a column (the row of a table in the standard).
    pub row: &'static str,
    /// "row", before a row number in a reference.
    pub row_ref: &'static str,
    /// "Meaning": a column.
    pub meaning: &'static str,
    /// "Rule": a column.
    pub rule: &'static str,
    /// "Title": a column.
    pub title: &'static str,
    /// "Severity": a column and an item.
    pub severity: &'static str,
    /// What severity `error` means.
    pub severity_error: &'static str,
    /// What severity `warning` and `info` mean.
    pub severity_other: &'static str,
    /// "Requirement": a column and an item.
    pub requirement: &'static str,
    /// The requirement of a plugin rule; `plugin` is the plugin's id, in code.
    pub decided_by_plugin: fn(plugin: &str) -> String,
    /// "Reference": an item.
    pub reference: &'static str,
    /// "In force": a column and an item.
    pub in_force: &'static str,
    /// A rule without an `effective` window.
    pub always: &'static str,
    /// A window with only `from`.
    pub from: fn(from: &str) -> String,
    /// A window with only `until`; `last` is the day before `until`.
    pub until: fn(until: &str, last: &str) -> String,
    /// A window with both.
    pub from_until: fn(from: &str, until: &str, last: &str) -> String,
    /// "Runs": an item.
    pub runs: &'static str,
    /// A `for_each: components` rule.
    pub per_component: &'static str,
    /// A rule on the whole submission.
    pub once: &'static str,
    /// "Only when": before a rule's `when`.
    pub when: &'static str,
    /// "Value checked": before a check's value.
    pub value_checked: &'static str,
    /// "Asserts": before an assert.
    pub asserts: &'static str,
    /// Before an assert's `actual`.
    pub reports: &'static str,
    /// "Plugin": before a plugin rule's plugin.
    pub plugin: &'static str,
    /// "Config": before a plugin rule's config.
    pub config: &'static str,
    /// "Examples": a heading.
    pub examples: &'static str,
    /// Before the table of examples.
    pub examples_from: &'static str,
    /// Instead of the table, when no test case names the rule.
    pub no_examples: &'static str,
    /// "Case": a column.
    pub case: &'static str,
    /// "Date": a column.
    pub date: &'static str,
    /// "Outcome": a column.
    pub expected_outcome: &'static str,
    /// An expected outcome; `word` is the outcome in words, `code` as written in tests.
    pub outcome_as_tested: fn(word: &str, code: &str) -> String,
    /// Between the expected outcomes of several places.
    pub outcome_separator: &'static str,
    /// "with", before a case's params.
    pub with_params: &'static str,
    /// Between the parts of a condition in words.
    pub and: &'static str,
    /// "`PATH` is `v`".
    pub is: &'static str,
    /// "`PATH` is not `v`".
    pub is_not: &'static str,
    /// "`PATH` includes `v`".
    pub includes: &'static str,
    /// "`PATH` is true".
    pub is_true: &'static str,
    /// "`PATH` is false".
    pub is_false: &'static str,
    /// "`PATH` is given".
    pub is_given: &'static str,
    /// The end of a sentence.
    pub stop: &'static str,
    /// `{component}` in a message on a page.
    pub the_component: &'static str,
    /// `{actual}` in a message on a page.
    pub the_value: &'static str,
    /// The title of the index.
    pub packs_title: &'static str,
    /// Under the title of the index.
    pub packs_intro: &'static str,
}
