//! The pack test file as written (`recert.pack-test/v1`): parse and check.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_json::Value as Json;

use recert_core::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use recert_core::load::{self, Source};
use recert_core::report::{Outcome, Verdict};

/// The value of `schema` in every pack test file.
pub const PACK_TEST_SCHEMA: &str = "recert.pack-test/v1";

/// A parsed pack test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// The file as named to the user (`rules/eu-packaging.test.yaml`).
    pub file: String,
    /// The folder submission files are resolved against.
    pub dir: PathBuf,
    /// The id of the pack under test.
    pub pack: String,
    /// The default evaluation date.
    pub at: Option<Date>,
    /// The cases, in file order.
    pub cases: Vec<Case>,
    /// The text, to locate problems found later (unknown rules, bad params).
    pub(crate) source: Source,
}

/// One case: a submission, a date, params, and what the pack must conclude.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case shows; unique in its file.
    pub name: String,
    /// Its position in `cases` (0-based).
    pub index: usize,
    /// The 1-based line of the case in its file, when known.
    pub line: Option<usize>,
    /// The submission.
    pub submission: SubmissionRef,
    /// Its own evaluation date, if any.
    pub at: Option<Date>,
    /// Param overrides for the pack under test, by name.
    pub params: BTreeMap<String, Json>,
    /// What the pack must conclude.
    pub expect: Expect,
}

/// Where a case's submission comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmissionRef {
    /// A file; the path is already resolved against the test file's folder.
    File(PathBuf),
    /// Written in the test file.
    Inline(Json),
}

/// What a case expects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expect {
    /// The verdict over the pack's findings.
    pub verdict: Option<Verdict>,
    /// Per rule, in file order.
    pub rules: Vec<RuleExpect>,
}

/// What a case expects of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleExpect {
    /// The rule id.
    pub rule: String,
    /// The expectation.
    pub expected: Expected,
}

/// One outcome for all of a rule's findings, or outcomes at paths.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// Every finding of the rule has this outcome; there is at least one.
    All(Outcome),
    /// At each path, every finding at or below it has the outcome; there is
    /// at least one finding there. Other paths are not checked.
    At(Vec<PathExpect>),
}

/// An expected outcome at a path.
#[derive(Debug, Clone, PartialEq)]
pub struct PathExpect {
    /// A JSON Pointer into the submission.
    pub path: String,
    /// The outcome.
    pub outcome: Outcome,
}

impl Expected {
    /// The outcomes this expectation names.
    pub fn outcomes(&self) -> Vec<Outcome> {
        match self {
            Expected::All(outcome) => vec![*outcome],
            Expected::At(list) => list.iter().map(|p| p.outcome).collect(),
        }
    }
}

impl Case {
    /// Whether the case names `rule` in its expectations.
    pub fn mentions(&self, rule: &str) -> bool {
        self.expect.rules.iter().any(|r| r.rule == rule)
    }
}

impl TestFile {
    /// Parses a test file. `dir` is the folder submission files are relative
    /// to (the test file's own folder).
    ///
    /// Codes: those of [`load::parse_document`], `schema`, `invalid-date`,
    /// `duplicate-case-name`.
    pub fn parse(source: Source, dir: &Path) -> Result<TestFile, Diagnostics> {
        let json = load::parse_document(&source)?;
        let schema_errors = super::schema::validate(&source, &json);
        if !schema_errors.is_empty() {
            return Err(schema_errors);
        }
        let mut parser = Parser {
            source: &source,
            diagnostics: Diagnostics::default(),
        };
        let pack = json
            .get("pack")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned();
        let at = parser.date(json.get("at"), "/at");
        let mut cases = Vec::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        let list = json
            .get("cases")
            .and_then(Json::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (index, case) in list.iter().enumerate() {
            let Some(case) = parser.case(case, index, dir) else {
                continue;
            };
            if let Some(first) = names.get(&case.name) {
                parser.error(
                    Code::DuplicateCaseName,
                    &format!("/cases/{index}/name"),
                    format!(
                        "the case name `{}` is already used by case {} of this file; names identify cases in the output",
                        case.name,
                        first + 1
                    ),
                );
            } else {
                names.insert(case.name.clone(), index);
            }
            cases.push(case);
        }
        let Parser { diagnostics, .. } = parser;
        let file = TestFile {
            file: source.name.clone(),
            dir: dir.to_path_buf(),
            pack,
            at,
            cases,
            source,
        };
        diagnostics.into_result(file)
    }

    /// Where `pointer` is in the file.
    pub fn locate(&self, pointer: &str) -> Location {
        load::locate(&self.source, pointer)
    }

    /// Where the key that ends `pointer` is written (for "unknown rule").
    pub fn locate_key(&self, pointer: &str) -> Location {
        recert_core::load::locate_key(&self.source, pointer)
    }

    /// The case's evaluation date: its own `at`, else the file's.
    pub fn date_of(&self, case: &Case) -> Option<Date> {
        case.at.or(self.at)
    }
}

struct Parser<'a> {
    source: &'a Source,
    diagnostics: Diagnostics,
}

impl Parser<'_> {
    fn error(&mut self, code: Code, pointer: &str, message: String) {
        self.diagnostics.push(Diagnostic::new(
            code,
            load::locate(self.source, pointer),
            message,
        ));
    }

    fn date(&mut self, value: Option<&Json>, pointer: &str) -> Option<Date> {
        let text = value?.as_str()?;
        match text.parse::<Date>() {
            Ok(date) if date.to_string() == text => Some(date),
            _ => {
                self.error(
                    Code::InvalidDate,
                    pointer,
                    format!("`{text}` is not a date (write YYYY-MM-DD, e.g. 2026-11-20)"),
                );
                None
            }
        }
    }

    fn case(&mut self, json: &Json, index: usize, dir: &Path) -> Option<Case> {
        let pointer = format!("/cases/{index}");
        let name = json.get("name").and_then(Json::as_str)?.to_owned();
        let submission = match json.get("submission")? {
            Json::String(file) => SubmissionRef::File(dir.join(file)),
            other => SubmissionRef::Inline(other.clone()),
        };
        let at = self.date(json.get("at"), &format!("{pointer}/at"));
        let params = json
            .get("params")
            .and_then(Json::as_object)
            .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let expect = json.get("expect").map(expect).unwrap_or_default();
        let line = load::locate(self.source, &pointer).line;
        Some(Case {
            name,
            index,
            line,
            submission,
            at,
            params,
            expect,
        })
    }
}

/// The typed `expect` (the schema has checked its shape).
fn expect(json: &Json) -> Expect {
    let verdict = json
        .get("verdict")
        .and_then(Json::as_str)
        .and_then(|v| match v {
            "pass" => Some(Verdict::Pass),
            "fail" => Some(Verdict::Fail),
            "incomplete" => Some(Verdict::Incomplete),
            "not-covered" => Some(Verdict::NotCovered),
            _ => None,
        });
    let rules = json
        .get("rules")
        .and_then(Json::as_object)
        .map(|rules| {
            rules
                .iter()
                .filter_map(|(rule, value)| {
                    let expected = match value {
                        Json::String(outcome) => Expected::All(outcome.parse().ok()?),
                        Json::Array(list) => Expected::At(
                            list.iter()
                                .filter_map(|entry| {
                                    Some(PathExpect {
                                        path: entry.get("path")?.as_str()?.to_owned(),
                                        outcome: entry.get("outcome")?.as_str()?.parse().ok()?,
                                    })
                                })
                                .collect(),
                        ),
                        _ => return None,
                    };
                    Some(RuleExpect {
                        rule: rule.clone(),
                        expected,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Expect { verdict, rules }
}
