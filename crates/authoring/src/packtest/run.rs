//! Running pack tests: compile, load, evaluate, compare.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::civil::Date;

use super::coverage::{self, PackCoverage};
use super::discover::SuiteFile;
use super::file::{Case, SubmissionRef, TestFile};
use super::matching::{self, Mismatch};
use recert_core::diagnostic::{Code, Diagnostic, Diagnostics};
use recert_core::eval::{self, PluginRunner};
use recert_core::lang::Lang;
use recert_core::load::{self, Source, Submission};
use recert_core::pack::{self, PackSet, ParamsFile, RuleKind};
use recert_core::parallel;
use recert_core::report::{Outcome, Verdict};

/// How to run.
#[derive(Clone, Copy)]
pub struct RunOptions<'a> {
    /// Runs plugin rules. Without it, cases whose expectations depend on a
    /// plugin rule (a plugin rule's outcome, or the verdict of a pack that has
    /// plugin rules) are skipped, never failed.
    pub plugins: Option<&'a dyn PluginRunner>,
    /// Which cases to run.
    pub filter: &'a Filter,
    /// Whether to measure coverage (see [`PackCoverage`]).
    pub coverage: bool,
    /// Evaluation threads; 0 means one per available core.
    pub threads: usize,
}

impl std::fmt::Debug for RunOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("plugins", &self.plugins.is_some())
            .field("filter", self.filter)
            .field("coverage", &self.coverage)
            .field("threads", &self.threads)
            .finish()
    }
}

/// Which cases to run; every filter given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only the test files of this pack.
    pub pack: Option<String>,
    /// Only the cases that name this rule in `expect.rules`.
    pub rule: Option<String>,
    /// Only the cases whose name contains this text (case-insensitive).
    pub case: Option<String>,
}

impl Filter {
    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.pack.is_none() && self.rule.is_none() && self.case.is_none()
    }

    fn selects_file(&self, test: &TestFile) -> bool {
        self.pack.as_ref().is_none_or(|p| *p == test.pack)
    }

    fn selects_case(&self, case: &Case) -> bool {
        self.rule.as_ref().is_none_or(|r| case.mentions(r))
            && self
                .case
                .as_ref()
                .is_none_or(|c| case.name.to_lowercase().contains(&c.to_lowercase()))
    }
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct RunResult {
    /// Every selected case, in file and case order.
    pub cases: Vec<CaseResult>,
    /// Per pack, when coverage was asked for.
    pub coverage: Vec<PackCoverage>,
    /// Problems with the input: test files, packs, submissions. Any of them
    /// makes the run invalid.
    pub diagnostics: Diagnostics,
    /// Test files none of whose cases ran: the file, or the pack it tests,
    /// is invalid.
    pub not_run: Vec<NotRun>,
    /// How many times a pack was compiled: once per pack, and once more per
    /// distinct set of param overrides.
    pub compilations: usize,
}

/// A test file that could not be run at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRun {
    /// The file (or the path given, when it cannot be read).
    pub file: String,
    /// Why, in a few words; the details are in the run's diagnostics.
    pub reason: String,
}

impl RunResult {
    /// Cases that passed, and packs with complete coverage.
    pub fn passed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.status == CaseStatus::Passed)
            .count()
            + self
                .coverage
                .iter()
                .filter(|c| c.is_complete() == Some(true))
                .count()
    }

    /// Cases that failed or could not run, files that could not be loaded,
    /// and packs with incomplete coverage.
    pub fn failed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.status, CaseStatus::Failed { .. } | CaseStatus::Invalid(_)))
            .count()
            + self.not_run.len()
            + self
                .coverage
                .iter()
                .filter(|c| c.is_complete() == Some(false))
                .count()
    }

    /// Cases skipped, and packs whose coverage could not be measured.
    pub fn skipped(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.status, CaseStatus::Skipped(_)))
            .count()
            + self
                .coverage
                .iter()
                .filter(|c| c.is_complete().is_none())
                .count()
    }
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The pack under test.
    pub pack: String,
    /// The test file.
    pub file: String,
    /// The case's name.
    pub name: String,
    /// Its line in the test file.
    pub line: Option<usize>,
    /// What happened.
    pub status: CaseStatus,
}

/// What happened to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseStatus {
    /// Every expectation held.
    Passed,
    /// Some did not, or the case cannot be evaluated as written.
    Failed {
        /// Why the case could not be evaluated (e.g. no date), if so.
        message: Option<String>,
        /// Expected against actual.
        mismatches: Vec<Mismatch>,
    },
    /// Its input is invalid (see the run's diagnostics); it did not run.
    Invalid(String),
    /// Not run, and why.
    Skipped(String),
}

/// A case ready to evaluate.
struct Job<'s> {
    result: usize,
    case: &'s Case,
    set: usize,
    submission: usize,
    date: Date,
    pack: usize,
}

/// A pack under test: its file and default compile.
struct PackEntry {
    id: String,
    name: String,
    /// Rule ids in pack order.
    rules: Vec<String>,
    /// Rules delegated to a plugin.
    plugin_rules: Vec<String>,
    /// Rules with an `effective` window.
    windowed: Vec<String>,
    /// Param names.
    params: Vec<String>,
}

/// Finds the test files under `paths` ([`load_suite`](super::load_suite)) and
/// runs them: what `recert test PATHS` does.
pub fn run_paths(paths: &[PathBuf], pack_dirs: &[PathBuf], options: &RunOptions<'_>) -> RunResult {
    let (suite, load_errors) = super::discover::load_suite(paths, pack_dirs);
    let mut result = run(&suite, options);
    let mut files: Vec<String> = load_errors
        .iter()
        .map(|d| d.location.file.clone())
        .collect();
    files.sort();
    files.dedup();
    let not_run = files.into_iter().map(|file| NotRun {
        file,
        reason: "invalid input".to_owned(),
    });
    result.not_run.splice(0..0, not_run);
    let mut diagnostics = load_errors;
    diagnostics.0.append(&mut result.diagnostics.0);
    result.diagnostics = diagnostics;
    result
}

/// Runs the cases of `suite` that `options.filter` selects.
pub fn run(suite: &[SuiteFile], options: &RunOptions<'_>) -> RunResult {
    let mut state = State::default();
    let mut results: Vec<CaseResult> = Vec::new();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let mut not_run = Vec::new();

    for file in suite
        .iter()
        .filter(|f| options.filter.selects_file(&f.test))
    {
        let test = &file.test;
        let cases: Vec<&Case> = test
            .cases
            .iter()
            .filter(|c| options.filter.selects_case(c))
            .collect();
        if cases.is_empty() {
            continue;
        }
        let Some(pack) = state.pack(file, options) else {
            not_run.push(NotRun {
                file: test.file.clone(),
                reason: format!(
                    "{} case{}: pack `{}` ({}) does not load",
                    cases.len(),
                    if cases.len() == 1 { "" } else { "s" },
                    test.pack,
                    file.pack.name
                ),
            });
            continue;
        };
        for case in cases {
            let index = results.len();
            results.push(CaseResult {
                pack: test.pack.clone(),
                file: test.file.clone(),
                name: case.name.clone(),
                line: case.line,
                // Replaced below by the case's outcome.
                status: CaseStatus::Invalid("internal: not evaluated".to_owned()),
            });
            match state.prepare(file, case, pack, options) {
                Ok((set, submission, date)) => jobs.push(Job {
                    result: index,
                    case,
                    set,
                    submission,
                    date,
                    pack,
                }),
                Err(status) => {
                    if let Some(result) = results.get_mut(index) {
                        result.status = status;
                    }
                }
            }
        }
    }

    let evaluated = evaluate_all(&jobs, &state, options);
    let mut observed: HashMap<usize, Vec<(String, Outcome)>> = HashMap::new();
    for (job, (status, seen)) in jobs.iter().zip(evaluated) {
        if let Some(result) = results.get_mut(job.result) {
            result.status = status;
        }
        observed.entry(job.pack).or_default().extend(seen);
    }

    let coverage = if options.coverage {
        coverage_of(&state, &results, &observed, options)
    } else {
        Vec::new()
    };
    RunResult {
        cases: results,
        coverage,
        diagnostics: state.diagnostics,
        not_run,
        compilations: state.compilations,
    }
}

fn coverage_of(
    state: &State,
    results: &[CaseResult],
    observed: &HashMap<usize, Vec<(String, Outcome)>>,
    options: &RunOptions<'_>,
) -> Vec<PackCoverage> {
    state
        .packs
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let skipped_cases = results
                .iter()
                .filter(|r| r.pack == entry.id && matches!(r.status, CaseStatus::Skipped(_)))
                .count();
            let skipped = if skipped_cases > 0 {
                Some(format!(
                    "not measured: {skipped_cases} case{} skipped",
                    if skipped_cases == 1 { " was" } else { "s were" }
                ))
            } else {
                None
            };
            let rules: Vec<&str> = entry
                .rules
                .iter()
                .map(String::as_str)
                .filter(|r| options.filter.rule.as_ref().is_none_or(|only| only == r))
                .collect();
            coverage::measure(
                &entry.id,
                &entry.name,
                &rules,
                &entry.windowed,
                observed.get(&i).map_or(&[][..], Vec::as_slice),
                skipped,
            )
        })
        .collect()
}

#[derive(Default)]
struct State {
    diagnostics: Diagnostics,
    compilations: usize,
    /// Packs under test, by pack file name → index in `packs`.
    pack_index: HashMap<String, Option<usize>>,
    packs: Vec<PackEntry>,
    /// Compiled pack sets: (pack file name, params) → index in `sets`.
    set_index: HashMap<(String, String), Option<usize>>,
    sets: Vec<PackSet>,
    /// Submission files → index in `submissions`.
    submission_index: HashMap<PathBuf, Option<usize>>,
    submissions: Vec<Submission>,
}

impl State {
    /// The pack of `file`, compiled with its own params and its plugins
    /// loaded; `None` (with diagnostics, once) when it does not compile or a
    /// plugin it names cannot be loaded.
    fn pack(&mut self, file: &SuiteFile, options: &RunOptions<'_>) -> Option<usize> {
        if let Some(known) = self.pack_index.get(&file.pack.name) {
            return *known;
        }
        self.compilations += 1;
        let compiled = match pack::compile(std::slice::from_ref(&file.pack), None) {
            Ok(set) => set,
            Err(errors) => {
                self.diagnostics.0.extend(errors.0);
                self.pack_index.insert(file.pack.name.clone(), None);
                return None;
            }
        };
        let Some(pack) = compiled.packs().first() else {
            self.pack_index.insert(file.pack.name.clone(), None);
            return None;
        };
        if let Some(Err(errors)) = options.plugins.map(|plugins| plugins.prepare(pack)) {
            self.diagnostics.0.extend(errors.0);
            self.pack_index.insert(file.pack.name.clone(), None);
            return None;
        }
        let entry = PackEntry {
            id: pack.id.clone(),
            name: file.pack.name.clone(),
            rules: pack.rules.iter().map(|r| r.id.clone()).collect(),
            plugin_rules: pack
                .rules
                .iter()
                .filter(|r| matches!(r.kind, RuleKind::Plugin { .. }))
                .map(|r| r.id.clone())
                .collect(),
            windowed: pack
                .rules
                .iter()
                .filter(|r| r.effective.is_bounded())
                .map(|r| r.id.clone())
                .collect(),
            params: pack.params.iter().map(|p| p.name.clone()).collect(),
        };
        let index = self.packs.len();
        self.packs.push(entry);
        self.sets.push(compiled);
        self.set_index.insert(
            (file.pack.name.clone(), "{}".to_owned()),
            Some(self.sets.len() - 1),
        );
        self.pack_index.insert(file.pack.name.clone(), Some(index));
        Some(index)
    }

    /// Checks a case against its pack and loads what it needs: the compiled
    /// set, the submission and the date. `Err` is the case's final status.
    fn prepare(
        &mut self,
        file: &SuiteFile,
        case: &Case,
        pack: usize,
        options: &RunOptions<'_>,
    ) -> Result<(usize, usize, Date), CaseStatus> {
        let test = &file.test;
        let Some(entry) = self.packs.get(pack) else {
            return Err(CaseStatus::Invalid("internal: pack index".to_owned()));
        };
        // The test file's own mistakes: rules and params the pack does not have.
        let mut mistakes = Vec::new();
        for rule in &case.expect.rules {
            if !entry.rules.contains(&rule.rule) {
                let ids: Vec<&str> = entry.rules.iter().map(String::as_str).collect();
                let mut d = Diagnostic::new(
                    Code::UnknownRule,
                    test.locate_key(&format!("/cases/{}/expect/rules/{}", case.index, rule.rule)),
                    format!("pack `{}` has no rule `{}`", entry.id, rule.rule),
                );
                if let Some(best) = recert_core::suggest::closest(&rule.rule, ids.iter().copied()) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                }
                mistakes.push(d);
            }
        }
        for name in case.params.keys() {
            if !entry.params.contains(name) {
                let names: Vec<&str> = entry.params.iter().map(String::as_str).collect();
                let mut d = Diagnostic::new(
                    Code::UnknownParam,
                    test.locate_key(&format!("/cases/{}/params/{name}", case.index)),
                    format!("pack `{}` has no param `{name}`", entry.id),
                );
                d = d.with_help(
                    match recert_core::suggest::closest(name, names.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("its params: {}", names.join(", ")),
                    },
                );
                mistakes.push(d);
            }
        }
        if !mistakes.is_empty() {
            let n = mistakes.len();
            self.diagnostics.0.extend(mistakes);
            return Err(CaseStatus::Invalid(format!(
                "{n} error{} in the case",
                if n == 1 { "" } else { "s" }
            )));
        }
        let plugin_rules = entry.plugin_rules.clone();
        let pack_id = entry.id.clone();
        let set = self.set(file, case)?;
        let submission = self.submission(test, case)?;
        if options.plugins.is_none()
            && !plugin_rules.is_empty()
            && (case.expect.verdict.is_some()
                || case
                    .expect
                    .rules
                    .iter()
                    .any(|r| plugin_rules.contains(&r.rule)))
        {
            return Err(CaseStatus::Skipped(format!(
                "pack `{pack_id}` has plugin rules and this run has no plugin host"
            )));
        }
        let Some(date) = test.date_of(case) else {
            return Err(CaseStatus::Failed {
                message: Some(
                    "no evaluation date: set `at` on the case, or a default `at` at the top of the file (tests never depend on today's date)"
                        .to_owned(),
                ),
                mismatches: Vec::new(),
            });
        };
        Ok((set, submission, date))
    }

    /// The pack compiled with the case's params, compiled once per distinct set.
    fn set(&mut self, file: &SuiteFile, case: &Case) -> Result<usize, CaseStatus> {
        let params = serde_json::to_string(&case.params).unwrap_or_default();
        let key = (file.pack.name.clone(), params);
        if let Some(known) = self.set_index.get(&key) {
            return known.ok_or_else(|| CaseStatus::Invalid("invalid params".to_owned()));
        }
        let mut overrides = ParamsFile::empty();
        for (name, value) in &case.params {
            overrides.set(&file.test.pack, name, value.clone());
        }
        self.compilations += 1;
        match pack::compile(std::slice::from_ref(&file.pack), Some(&overrides)) {
            Ok(set) => {
                self.sets.push(set);
                self.set_index.insert(key, Some(self.sets.len() - 1));
                Ok(self.sets.len() - 1)
            }
            Err(errors) => {
                // Override errors are located in an unnamed params file
                // (`/PACK/NAME`); point at the case's params instead.
                for mut d in errors.0 {
                    if d.location.file == "<none>" {
                        let name = d
                            .location
                            .pointer
                            .rsplit('/')
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                        d.location = file
                            .test
                            .locate(&format!("/cases/{}/params/{name}", case.index));
                    }
                    self.diagnostics.push(d);
                }
                self.set_index.insert(key, None);
                Err(CaseStatus::Invalid("invalid params".to_owned()))
            }
        }
    }

    /// The case's submission, each file loaded once.
    fn submission(&mut self, test: &TestFile, case: &Case) -> Result<usize, CaseStatus> {
        match &case.submission {
            SubmissionRef::File(path) => {
                if let Some(known) = self.submission_index.get(path) {
                    return known
                        .ok_or_else(|| CaseStatus::Invalid("invalid submission".to_owned()));
                }
                let loaded = Source::read(path).and_then(|source| load::load_submission(&source));
                match loaded {
                    Ok(submission) => {
                        self.submissions.push(submission);
                        self.submission_index
                            .insert(path.clone(), Some(self.submissions.len() - 1));
                        Ok(self.submissions.len() - 1)
                    }
                    Err(errors) => {
                        if errors.iter().any(|d| d.code == Code::FileNotFound) {
                            self.diagnostics.push(Diagnostic::new(
                                Code::FileNotFound,
                                test.locate(&format!("/cases/{}/submission", case.index)),
                                format!(
                                    "submission file {} not found (paths are relative to the test file)",
                                    path.display()
                                ),
                            ));
                        } else {
                            self.diagnostics.0.extend(errors.0);
                        }
                        self.submission_index.insert(path.clone(), None);
                        Err(CaseStatus::Invalid("invalid submission".to_owned()))
                    }
                }
            }
            SubmissionRef::Inline(value) => {
                let name = format!("{}#/cases/{}/submission", test.file, case.index);
                match load::submission_from_value(&name, value.clone()) {
                    Ok(submission) => {
                        self.submissions.push(submission);
                        Ok(self.submissions.len() - 1)
                    }
                    Err(errors) => {
                        for mut d in errors.0 {
                            let pointer =
                                format!("/cases/{}/submission{}", case.index, d.location.pointer);
                            d.location = test.locate(&pointer);
                            self.diagnostics.push(d);
                        }
                        Err(CaseStatus::Invalid("invalid submission".to_owned()))
                    }
                }
            }
        }
    }
}

/// Evaluates the jobs on up to `options.threads` threads; results in job order.
fn evaluate_all(
    jobs: &[Job<'_>],
    state: &State,
    options: &RunOptions<'_>,
) -> Vec<(CaseStatus, Vec<(String, Outcome)>)> {
    let one = |job: &Job<'_>| evaluate(job, state, options);
    parallel::map(jobs, parallel::threads(options.threads), one)
        .into_iter()
        .map(|result| {
            result.unwrap_or_else(|| {
                (
                    CaseStatus::Invalid(
                        "internal: the evaluation of this case did not finish".to_owned(),
                    ),
                    Vec::new(),
                )
            })
        })
        .collect()
}

fn evaluate(
    job: &Job<'_>,
    state: &State,
    options: &RunOptions<'_>,
) -> (CaseStatus, Vec<(String, Outcome)>) {
    let (Some(set), Some(submission), Some(entry)) = (
        state.sets.get(job.set),
        state.submissions.get(job.submission),
        state.packs.get(job.pack),
    ) else {
        return (
            CaseStatus::Invalid("internal: missing pack or submission".to_owned()),
            Vec::new(),
        );
    };
    let report = eval::evaluate(
        set,
        submission,
        &eval::Options {
            date: job.date,
            lang: Lang::En,
            plugins: options.plugins,
        },
    );
    let findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.pack() == entry.id)
        .collect();
    let verdict = Verdict::of(findings.iter().copied());
    let order: Vec<&str> = entry.rules.iter().map(String::as_str).collect();
    let comparison = matching::compare(&job.case.expect, &findings, verdict, &order);
    let status = if comparison.mismatches.is_empty() {
        CaseStatus::Passed
    } else {
        CaseStatus::Failed {
            message: None,
            mismatches: comparison.mismatches,
        }
    };
    (status, comparison.observed)
}
