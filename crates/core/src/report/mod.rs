//! The report: what recert concluded, and why, for every rule.
//!
//! The JSON form of [`Report`] is the contract of `schemas/report.schema.json`
//! (`recert schema report`); every field is documented there and here. The
//! renderers, one module each, turn it into text for a terminal ([`text`]),
//! JSON ([`json`]), Markdown ([`markdown`]) and HTML ([`html`]); `Report::render`
//! (`format::Render`) picks one by [`Format`](crate::format::Format).
//! SARIF ([`sarif`]) and JUnit XML ([`junit`]) are one document for all the
//! reports of a run: [`document::Document`] renders them.

pub mod batch;
pub mod document;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub(crate) mod message;
mod render;
pub mod sarif;
pub mod signature;
mod strings;
pub mod text;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::lang::Lang;
use crate::number::format_number;

/// The value of `schema` in every report.
pub const REPORT_SCHEMA: &str = "recert.report/v1";

/// The JSON Schema of reports, as `recert schema report` prints it.
pub const REPORT_SCHEMA_JSON: &str = include_str!("../../../../schemas/report.schema.json");

/// How sure the pack's authors are of a requirement's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Read in the official text.
    Official,
    /// Confirmed only from secondary sources; re-check before release.
    Secondary,
}

/// One param whose value an override replaced; the report lists them all.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParamOverride {
    /// The pack.
    pub pack: String,
    /// The param.
    pub name: String,
    /// The pack's own value.
    pub default: Json,
    /// The value used.
    pub value: Json,
    /// The param's unit, if a quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

// What a rule concluded at one place, and how much a failure matters: the
// plugin interface speaks the report's vocabulary, defined there once.
pub use recert_plugin_abi::{Outcome, Severity};

/// The overall conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every applicable rule in force passed (or failed only as a warning or info).
    Pass,
    /// At least one `error`-severity rule failed.
    Fail,
    /// Nothing failed, but something could not be evaluated.
    Incomplete,
    /// No rule of any pack applied to the submission: nothing was checked.
    #[serde(rename = "not-covered")]
    NotCovered,
}

impl Verdict {
    /// `pass`, `fail`, `incomplete`, `not-covered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Incomplete => "incomplete",
            Verdict::NotCovered => "not-covered",
        }
    }

    /// The verdict of a list of findings: see [`Summary::verdict`].
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Verdict {
        Summary::of(findings).verdict()
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A report. Serialized with its fields in the order below (one list of
/// them, `Report::serialize_with`, writes both a held and a streamed report).
#[derive(Debug, Clone)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// The overall conclusion.
    pub verdict: Verdict,
    /// What was evaluated.
    pub submission: SubmissionInfo,
    /// The date rules were evaluated at (`YYYY-MM-DD`).
    pub evaluation_date: String,
    /// The language of titles and messages.
    pub lang: Lang,
    /// Which engine.
    pub engine: EngineInfo,
    /// Every pack that was loaded, with its digest and whether it applied.
    pub packs: Vec<PackInfo>,
    /// Every plugin that ran, with its digest.
    pub plugins: Vec<PluginInfo>,
    /// Every param whose value was overridden at run time.
    pub params: Vec<ParamOverride>,
    /// The submission's sector and markets, and which packs covered them.
    pub coverage: Coverage,
    /// Counts.
    pub summary: Summary,
    /// Every conclusion, in pack, rule and component order.
    pub findings: Vec<Finding>,
    /// The evidence the submission gives for its claims, as it gives it
    /// (nothing here is checked by being listed: the rules check it).
    pub evidence: Evidence,
    /// The signature of the report (`recert check --sign`): Ed25519 over
    /// the canonical JSON (RFC 8785) of the report without this field;
    /// absent from the JSON when `None`.
    pub signature: Option<signature::Signature>,
}

impl Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_with(serializer, self.findings.as_slice())
    }
}

impl Report {
    /// Serializes the report with `findings` in place of its own: the one
    /// list of the report's fields, for the report as it is and for one
    /// whose findings are made again as it is written
    /// ([`json::write_streamed`]).
    pub(crate) fn serialize_with<S, F>(
        &self,
        serializer: S,
        findings: &F,
    ) -> Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
        F: Serialize + ?Sized,
    {
        use serde::ser::SerializeStruct;
        let fields = if self.signature.is_some() { 14 } else { 13 };
        let mut report = serializer.serialize_struct("Report", fields)?;
        report.serialize_field("schema", &self.schema)?;
        report.serialize_field("verdict", &self.verdict)?;
        report.serialize_field("submission", &self.submission)?;
        report.serialize_field("evaluation_date", &self.evaluation_date)?;
        report.serialize_field("lang", &self.lang)?;
        report.serialize_field("engine", &self.engine)?;
        report.serialize_field("packs", &self.packs)?;
        report.serialize_field("plugins", &self.plugins)?;
        report.serialize_field("params", &self.params)?;
        report.serialize_field("coverage", &self.coverage)?;
        report.serialize_field("summary", &self.summary)?;
        report.serialize_field("findings", findings)?;
        report.serialize_field("evidence", &self.evidence)?;
        match &self.signature {
            Some(signature) => report.serialize_field("signature", signature)?,
            None => report.skip_field("signature")?,
        }
        report.end()
    }
}

/// The evidence a submission gives: the chain-of-custody certificates and
/// supplier lots of the components' recycled-content claims, and the
/// documents of `evidence[]`, each in submission order.
///
/// Its texts are held in one string, each entry a few ranges of it: copied
/// text by text, they took some twenty allocations per submission (ids,
/// schemes, numbers and dates of certificates, the documents' fields), a
/// tenth of evaluating the four rule families of `engine/benches/corpus.rs`
/// with dropping them (measured with callgrind).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Every text, one after the other.
    text: String,
    certificates: Vec<[Option<Span>; 4]>,
    lots: Vec<[Span; 2]>,
    documents: Vec<[Option<Span>; 4]>,
}

/// Where a text is in [`Evidence::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

impl Evidence {
    /// The evidence in a normalized submission.
    pub fn of(submission: &crate::load::Doc) -> Evidence {
        let mut evidence = Evidence {
            text: String::with_capacity(256),
            ..Evidence::default()
        };
        let components = submission
            .get("components")
            .and_then(crate::load::Doc::as_array);
        for component in components.into_iter().flatten() {
            // The id is copied only for a component with evidence (most
            // components have none), and once for all its entries.
            let Some(recycled) = component.get("recycled") else {
                continue;
            };
            let mut id = None;
            if let Some(certificate) = recycled.get("certificate") {
                let component = evidence.id(&mut id, component);
                let scheme = evidence.field(certificate, "scheme");
                let number = evidence.field(certificate, "number");
                let valid_until = evidence.field(certificate, "valid_until");
                // Room for a few at once, rather than growing from four.
                if evidence.certificates.is_empty() {
                    evidence.certificates.reserve(8);
                }
                evidence
                    .certificates
                    .push([Some(component), scheme, number, valid_until]);
            }
            let lots = recycled.get("lots").and_then(crate::load::Doc::as_array);
            for lot in lots
                .into_iter()
                .flatten()
                .filter_map(crate::load::Doc::as_str)
            {
                let component = evidence.id(&mut id, component);
                let lot = evidence.push(lot);
                evidence.lots.push([component, lot]);
            }
        }
        let documents = submission
            .get("evidence")
            .and_then(crate::load::Doc::as_array);
        for document in documents.into_iter().flatten() {
            let fields = ["id", "kind", "title", "sha256"].map(|key| evidence.field(document, key));
            evidence.documents.push(fields);
        }
        evidence
    }

    /// Appends `text`; gives where it is.
    fn push(&mut self, text: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(text);
        Span {
            start,
            end: self.text.len(),
        }
    }

    /// The text of `key` in `value`, appended, if it is a string.
    fn field(&mut self, value: &crate::load::Doc, key: &str) -> Option<Span> {
        let text = value.get(key).and_then(crate::load::Doc::as_str)?;
        Some(self.push(text))
    }

    /// The id of `component` (empty when it has none), appended the first time.
    fn id(&mut self, id: &mut Option<Span>, component: &crate::load::Doc) -> Span {
        match *id {
            Some(span) => span,
            None => {
                let text = component
                    .get("id")
                    .and_then(crate::load::Doc::as_str)
                    .unwrap_or_default();
                *id.insert(self.push(text))
            }
        }
    }

    fn text(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    fn text_of(&self, span: Option<Span>) -> Option<&str> {
        span.map(|span| self.text(span))
    }

    /// The certificates (`components[].recycled.certificate`).
    pub fn certificates(&self) -> impl ExactSizeIterator<Item = CertificateInfo<'_>> + Clone + '_ {
        self.certificates.iter().map(
            |&[component, scheme, number, valid_until]| CertificateInfo {
                component: self.text_of(component).unwrap_or_default(),
                scheme: self.text_of(scheme),
                number: self.text_of(number),
                valid_until: self.text_of(valid_until),
            },
        )
    }

    /// The supplier lots (`components[].recycled.lots`).
    pub fn lots(&self) -> impl ExactSizeIterator<Item = LotInfo<'_>> + Clone + '_ {
        self.lots.iter().map(|&[component, lot]| LotInfo {
            component: self.text(component),
            lot: self.text(lot),
        })
    }

    /// The documents (`evidence[]`).
    pub fn documents(&self) -> impl ExactSizeIterator<Item = DocumentInfo<'_>> + Clone + '_ {
        self.documents
            .iter()
            .map(|&[id, kind, title, sha256]| DocumentInfo {
                id: self.text_of(id),
                kind: self.text_of(kind),
                title: self.text_of(title),
                sha256: self.text_of(sha256),
            })
    }

    /// Whether the submission gives no evidence at all.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty() && self.lots.is_empty() && self.documents.is_empty()
    }
}

impl Serialize for Evidence {
    /// `{"certificates": [...], "lots": [...], "documents": [...]}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// A list written as it is read.
        struct List<I>(I);
        impl<I: Iterator<Item = T> + Clone, T: Serialize> Serialize for List<I> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.clone())
            }
        }
        let mut evidence = serializer.serialize_struct("Evidence", 3)?;
        evidence.serialize_field("certificates", &List(self.certificates()))?;
        evidence.serialize_field("lots", &List(self.lots()))?;
        evidence.serialize_field("documents", &List(self.documents()))?;
        evidence.end()
    }
}

/// A chain-of-custody certificate, as the submission gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CertificateInfo<'a> {
    /// The id of the component whose claim it covers.
    pub component: &'a str,
    /// The scheme (`GRS`, `UL2809`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<&'a str>,
    /// The certificate's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<&'a str>,
    /// Its last day of validity (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<&'a str>,
}

/// A supplier lot of a component's recycled material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LotInfo<'a> {
    /// The id of the component.
    pub component: &'a str,
    /// The lot's id.
    pub lot: &'a str,
}

/// A document of the submission's `evidence[]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DocumentInfo<'a> {
    /// Its id within the submission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// `lab-report`, `certificate`, `declaration`, `invoice` or `other`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'a str>,
    /// Its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// The SHA-256 digest the submission gives for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<&'a str>,
}

/// The submission a report is about.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionInfo {
    /// Its `id`.
    pub id: String,
    /// Lowercase hex sha256 of its normalized content: the document with
    /// every quantity in its canonical unit, as compact JSON with sorted
    /// keys (the same for the same data written in JSON or YAML, in any unit).
    pub sha256: String,
    /// Lowercase hex sha256 of the file's bytes as given (`sha256sum FILE`);
    /// absent for a submission that was not read from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_sha256: Option<String>,
    /// The file it was read from.
    pub file: String,
    /// The product's name, for the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

/// The engine that wrote a report.
#[derive(Debug, Clone, Serialize)]
pub struct EngineInfo {
    /// `recert`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
    /// The exact build: [`ENGINE_REVISION`].
    pub revision: &'static str,
}

/// The source revision this engine was built from: `RECERT_BUILD_REVISION`
/// when set at build time; else the git commit of the source tree (40 hex
/// digits), with `-dirty` when tracked files differed from it; else
/// `unknown` (see `crates/core/build.rs`).
pub const ENGINE_REVISION: &str = env!("RECERT_REVISION");

impl Default for EngineInfo {
    fn default() -> Self {
        EngineInfo {
            name: "recert",
            version: env!("CARGO_PKG_VERSION"),
            revision: ENGINE_REVISION,
        }
    }
}

/// A pack, as a report records it.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Lowercase hex sha256 of the pack file.
    pub sha256: String,
    /// Title, in the report's language.
    pub title: String,
    /// Whether its `applies_to` held (false: all its rules are not applicable).
    pub applies: bool,
}

/// What the packs covered: the submission's sector and markets, the packs
/// that applied with the markets each covers, and the markets none covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The submission's `product.sector`.
    pub sector: Option<String>,
    /// Its `product.markets`.
    pub markets: Vec<String>,
    /// The packs that apply, each with the markets it covers.
    pub packs: Vec<PackCoverage>,
    /// The markets no pack covers.
    pub uncovered_markets: Vec<String>,
}

/// One pack that applies, and the submission's markets it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackCoverage {
    /// The pack's id.
    pub id: String,
    /// The markets it covers: those for which its `applies_to` holds.
    pub markets: Vec<String>,
}

/// A plugin that ran, as a report records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginInfo {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Lowercase hex sha256 of the `.wasm`.
    pub sha256: String,
}

/// How many findings of each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Findings in all.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// Failed (any severity).
    pub fail: usize,
    /// Of which `error` severity: these fail the verdict.
    pub fail_error: usize,
    /// Of which `warning` severity: reported, never fail the verdict.
    pub fail_warning: usize,
    /// Of which `info` severity.
    pub fail_info: usize,
    /// Not applicable.
    pub not_applicable: usize,
    /// Not in force.
    pub not_in_force: usize,
    /// Could not be evaluated.
    pub error: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            s.add(f);
        }
        s
    }

    /// Counts one more finding.
    pub fn add(&mut self, f: &Finding) {
        self.total += 1;
        match f.outcome {
            Outcome::Pass => self.pass += 1,
            Outcome::Fail => {
                self.fail += 1;
                match f.severity {
                    Severity::Error => self.fail_error += 1,
                    Severity::Warning => self.fail_warning += 1,
                    Severity::Info => self.fail_info += 1,
                }
            }
            Outcome::NotApplicable => self.not_applicable += 1,
            Outcome::NotInForce => self.not_in_force += 1,
            Outcome::Error => self.error += 1,
        }
    }

    /// The verdict these counts give: `fail` if an `error`-severity finding
    /// failed; else `incomplete` if any finding is `error`; else
    /// `not-covered` if every finding is `not-applicable` (or there is none:
    /// no rule applied, nothing was checked); else `pass`.
    pub fn verdict(&self) -> Verdict {
        if self.fail_error > 0 {
            Verdict::Fail
        } else if self.error > 0 {
            Verdict::Incomplete
        } else if self.not_applicable == self.total {
            Verdict::NotCovered
        } else {
            Verdict::Pass
        }
    }
}

/// One conclusion of one rule about one place in the submission.
///
/// The rule's texts are shared by all its findings; the message is put
/// together when it is read (`message()`) or written, not when the finding
/// is made, so evaluating many components costs little.
#[derive(Debug, Clone)]
pub struct Finding {
    texts: Arc<RuleTexts>,
    /// What was concluded.
    pub outcome: Outcome,
    /// The rule's severity.
    pub severity: Severity,
    /// Where: a JSON Pointer into the submission (`/components/3/substances/lead`),
    /// or empty for the whole submission.
    pub path: FindingPath,
    /// The value found, if any: see [`Finding::actual`].
    actual: ActualSlot,
    /// Why the rule could not be evaluated (outcome `error`): see [`Finding::reason`].
    reason: Option<Reason>,
    /// The component's id and name, for `{component}` in the message.
    component: Option<Arc<str>>,
    /// What a plugin said beyond the rule's own texts.
    detail: Option<Box<Detail>>,
}

/// A rule's texts in one language, shared by its findings (made when packs are compiled).
#[derive(Debug)]
pub struct RuleTexts {
    pub(crate) pack: Arc<str>,
    pub(crate) rule: Arc<str>,
    pub(crate) title: String,
    pub(crate) message: message::Message,
    pub(crate) expected: Option<String>,
    pub(crate) reference: ReferenceInfo,
    /// When the rule is in force, in words, if it has a window.
    pub(crate) in_force: Option<String>,
    /// The pack's `fix` template in this language, if any.
    pub(crate) fix: Option<String>,
    /// The unit of a check's value, which its findings' values have.
    pub(crate) unit: Option<Arc<str>>,
    /// The texts above as JSON, escaped once for all the rule's findings
    /// when the first is written by the JSON writer ([`json::RuleJson`]).
    pub(crate) json: std::sync::OnceLock<Option<json::RuleJson>>,
}

impl RuleTexts {
    /// The rule's texts as JSON, made the first time they are asked for
    /// (`None` if they could not be: the finding is then written from its texts).
    pub(crate) fn json(&self) -> Option<&json::RuleJson> {
        self.json.get_or_init(|| json::RuleJson::of(self)).as_ref()
    }
}

/// A finding's value, held in the finding when it is a check's number in
/// the rule's unit as the submission wrote it (most values): a report holds
/// a finding per rule and component, and a box for each value was an
/// allocation per finding (half the cost of making one, measured with
/// callgrind over `engine/benches/corpus.rs`); any other value is boxed.
#[derive(Debug, Clone)]
enum ActualSlot {
    None,
    /// `Actual { value: Number::from_f64(n), unit: texts.unit, written: None, bound: None }`.
    Number(f64),
    Boxed(Box<Actual>),
}

impl ActualSlot {
    /// `actual` held as a number, when [`Finding::actual`] gives it back as it is.
    fn number(actual: &Actual, texts: &RuleTexts) -> Option<ActualSlot> {
        let Actual {
            value: Json::Number(number),
            unit,
            written: None,
            bound: None,
        } = actual
        else {
            return None;
        };
        let n = number.as_f64().filter(|_| number.is_f64())?;
        let same = serde_json::Number::from_f64(n).is_some_and(|again| again == *number);
        (same && unit.as_deref() == texts.unit.as_deref()).then_some(ActualSlot::Number(n))
    }
}

/// Why a finding was not evaluated: a text, or a value the submission
/// does not give, whose reason and fix are put together when they are read
/// (a large submission has millions: a substance per rule and component).
#[derive(Debug, Clone)]
enum Reason {
    /// Boxed (a thin pointer): a finding holds its value in the room this
    /// leaves; few findings have a reason of their own.
    #[expect(
        clippy::box_collection,
        reason = "a thin pointer keeps a finding within 104 bytes"
    )]
    Text(Box<String>),
    /// The entry of the table.
    Missing(Arc<MissingValues>, u32),
    /// The entry of the table being made, while evaluating.
    Pending(u32),
}

/// The findings of values a component does not give, each a few numbers:
/// the texts they repeat (field, line, component) are held here once, and
/// their reasons and fixes are made when the report is written.
pub(crate) struct MissingValues {
    /// The texts of the report's language.
    pub texts: &'static crate::catalog::Eval,
    /// Fields under a component (`substances/lead`).
    pub fields: Vec<String>,
    /// Where a value goes (`under line 42`), if known.
    pub places: Vec<Option<String>>,
    /// Components by id and name (`K3 (heating element)`).
    pub labels: Vec<String>,
    pub entries: Vec<MissingValue>,
}

impl std::fmt::Debug for MissingValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MissingValues")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// One missing value of a component: numbers into [`MissingValues`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct MissingValue {
    /// The component's index.
    pub component: u32,
    /// In [`MissingValues::fields`].
    pub field: u32,
    /// In [`MissingValues::places`].
    pub place: u32,
    /// In [`MissingValues::labels`].
    pub label: u32,
    /// A substance or property, which a lab measures.
    pub lab: bool,
}

impl MissingValues {
    fn parts(&self, entry: u32) -> Option<(&MissingValue, &str)> {
        let entry = self.entries.get(usize::try_from(entry).ok()?)?;
        let field = self.fields.get(usize::try_from(entry.field).ok()?)?;
        Some((entry, field))
    }

    /// `missing /components/3/substances/lead: ...`, as the evaluator says it.
    fn reason(&self, entry: u32) -> Option<String> {
        let (entry, field) = self.parts(entry)?;
        let pointer = format!("/components/{}/{field}", entry.component);
        Some((self.texts.missing)(&pointer))
    }

    /// What to measure or declare, for which component, and where it goes.
    fn fix(&self, entry: u32) -> Option<String> {
        let (entry, field) = self.parts(entry)?;
        let label = usize::try_from(entry.label)
            .ok()
            .and_then(|n| self.labels.get(n))
            .map(String::as_str);
        let place = usize::try_from(entry.place)
            .ok()
            .and_then(|n| self.places.get(n))
            .and_then(Option::as_deref);
        Some((self.texts.fix_missing)(
            &field.replace('/', "."),
            label,
            entry.lab,
            place,
        ))
    }
}

/// A plugin's own message, requirement and clause for one finding, and
/// what would make a failing or unevaluated finding pass.
#[derive(Debug, Clone, Default)]
pub(crate) struct Detail {
    pub message: Option<String>,
    pub expected: Option<String>,
    /// Boxed: most details are only a fix, of findings by the million.
    pub reference: Option<Box<ReferenceInfo>>,
    pub fix: Option<String>,
}

impl Finding {
    pub(crate) fn new(
        texts: &Arc<RuleTexts>,
        severity: Severity,
        outcome: Outcome,
        path: FindingPath,
        actual: Option<Actual>,
        reason: Option<String>,
        component: Option<Arc<str>>,
    ) -> Finding {
        let actual = match actual {
            None => ActualSlot::None,
            Some(actual) => match ActualSlot::number(&actual, texts) {
                Some(slot) => slot,
                None => ActualSlot::Boxed(Box::new(actual)),
            },
        };
        Finding::with_slot(texts, severity, outcome, path, actual, reason, component)
    }

    /// [`Finding::new`] for a check's `value` (in the rule's unit, in its
    /// `texts`), with what the submission wrote when it differs and
    /// whether it is a bound: the value is held in the finding when it is
    /// neither, without making an [`Actual`] first.
    #[expect(
        clippy::too_many_arguments,
        reason = "a finding's fields, as Finding::new takes them"
    )]
    pub(crate) fn new_check(
        texts: &Arc<RuleTexts>,
        severity: Severity,
        outcome: Outcome,
        path: FindingPath,
        value: f64,
        written: Option<String>,
        bound: Option<ValueBound>,
        reason: Option<String>,
        component: Option<Arc<str>>,
    ) -> Finding {
        let actual = match (serde_json::Number::from_f64(value), &written, bound) {
            (Some(_), None, None) => ActualSlot::Number(value),
            (number, ..) => ActualSlot::Boxed(Box::new(Actual {
                value: number.map_or(Json::Null, Json::Number),
                unit: texts.unit.clone(),
                written,
                bound,
            })),
        };
        Finding::with_slot(texts, severity, outcome, path, actual, reason, component)
    }

    /// A finding of the rule `texts`, its value already in its slot.
    fn with_slot(
        texts: &Arc<RuleTexts>,
        severity: Severity,
        outcome: Outcome,
        path: FindingPath,
        actual: ActualSlot,
        reason: Option<String>,
        component: Option<Arc<str>>,
    ) -> Finding {
        Finding {
            texts: Arc::clone(texts),
            outcome,
            severity,
            path,
            actual,
            reason: reason.map(|text| Reason::Text(Box::new(text))),
            component,
            detail: None,
        }
    }

    /// The value found, if any: for a check, its value in canonical units,
    /// with what the submission wrote when it differs.
    pub fn actual(&self) -> Option<std::borrow::Cow<'_, Actual>> {
        match &self.actual {
            ActualSlot::None => None,
            ActualSlot::Number(n) => Some(std::borrow::Cow::Owned(Actual {
                value: serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
                unit: self.texts.unit.clone(),
                written: None,
                bound: None,
            })),
            ActualSlot::Boxed(actual) => Some(std::borrow::Cow::Borrowed(actual)),
        }
    }

    /// The component's id and name, for `{component}`, when the finding is about one.
    pub(crate) fn component_label(&self) -> Option<&str> {
        self.component.as_deref()
    }

    pub(crate) fn set_detail(&mut self, detail: Detail) {
        let fix = self.detail.take().and_then(|d| d.fix);
        self.detail = Some(Box::new(Detail {
            fix: detail.fix.or(fix),
            ..detail
        }));
    }

    /// Makes the finding one of a missing value: entry `entry` of the
    /// table made once evaluation is done will give its reason and its fix
    /// (see [`Finding::resolve_pending`]).
    pub(crate) fn set_pending(&mut self, entry: u32) {
        self.reason = Some(Reason::Pending(entry));
    }

    /// Points a finding of a missing value at `table`, now made.
    pub(crate) fn resolve_pending(&mut self, table: &Arc<MissingValues>) {
        if let Some(Reason::Pending(entry)) = self.reason {
            self.reason = Some(Reason::Missing(Arc::clone(table), entry));
        }
    }

    /// Why the rule could not be evaluated (outcome `error`), in the
    /// report's language.
    pub fn reason(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self.reason.as_ref()? {
            Reason::Text(text) => Some(std::borrow::Cow::Borrowed(text)),
            Reason::Missing(table, entry) => table.reason(*entry).map(std::borrow::Cow::Owned),
            Reason::Pending(_) => None,
        }
    }

    /// Sets what would make this finding pass (see [`Finding::fix`]).
    pub(crate) fn set_fix(&mut self, fix: String) {
        self.detail.get_or_insert_with(Box::default).fix = Some(fix);
    }

    /// The pack's id.
    pub fn pack(&self) -> &str {
        &self.texts.pack
    }

    /// The rule's id.
    pub fn rule(&self) -> &str {
        &self.texts.rule
    }

    /// The rule's title.
    pub fn title(&self) -> &str {
        &self.texts.title
    }

    /// The requirement in words, for this place.
    pub fn message(&self) -> std::borrow::Cow<'_, str> {
        if let Some(message) = self.detail.as_ref().and_then(|d| d.message.as_deref()) {
            return std::borrow::Cow::Borrowed(message);
        }
        self.texts
            .message
            .render(self.component.as_deref(), self.actual().as_deref())
    }

    /// The requirement, e.g. `≤ 1000 mg/kg`.
    pub fn expected(&self) -> Option<&str> {
        self.detail
            .as_ref()
            .and_then(|d| d.expected.as_deref())
            .or(self.texts.expected.as_deref())
    }

    /// What would make a failing finding pass, or what to measure or
    /// declare so that an unevaluated one (outcome `error`) can be decided,
    /// in the report's language: how much recycled mass a share lacks and
    /// where it could come from, the limit a substance must meet in which
    /// component, the value missing and where it goes (component id and
    /// name, file line). `None` for a finding that passed or does not apply,
    /// and when neither the rule nor the engine can say.
    pub fn fix(&self) -> Option<std::borrow::Cow<'_, str>> {
        if let Some(fix) = self.detail.as_ref().and_then(|d| d.fix.as_deref()) {
            return Some(std::borrow::Cow::Borrowed(fix));
        }
        match &self.reason {
            Some(Reason::Missing(table, entry)) => table.fix(*entry).map(std::borrow::Cow::Owned),
            _ => None,
        }
    }

    /// When the rule is in force, in words (`from 2031-08-18`), if it has a window.
    pub fn in_force(&self) -> Option<&str> {
        self.texts.in_force.as_deref()
    }

    /// The clause checked.
    pub fn reference(&self) -> &ReferenceInfo {
        self.detail
            .as_ref()
            .and_then(|d| d.reference.as_deref())
            .unwrap_or(&self.texts.reference)
    }
}

impl Serialize for Finding {
    /// The finding as `schemas/report.schema.json` defines it. The JSON
    /// writer writes the same fields in the same order without it
    /// (`json::FindingWriter`): a field added here goes there too.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("pack", self.pack())?;
        map.serialize_entry("rule", self.rule())?;
        map.serialize_entry("outcome", &self.outcome)?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("title", self.title())?;
        map.serialize_entry("message", &self.message())?;
        map.serialize_entry("path", &self.path)?;
        if let Some(actual) = self.actual() {
            map.serialize_entry("actual", &actual)?;
        }
        if let Some(expected) = self.expected() {
            map.serialize_entry("expected", expected)?;
        }
        map.serialize_entry("reference", self.reference())?;
        if let Some(reason) = self.reason() {
            map.serialize_entry("reason", &reason)?;
        }
        if let Some(fix) = self.fix() {
            map.serialize_entry("fix", &fix)?;
        }
        map.end()
    }
}

/// A clause, as a finding cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferenceInfo {
    /// The standard's title.
    pub standard: String,
    /// The clause.
    pub clause: String,
    /// The standard's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// STANDARDS.md row id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// `secondary` when the requirement rests on secondary sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// Where a finding is: the whole submission, a component, a field of a component,
/// or any JSON Pointer a plugin gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingPath {
    /// The whole submission.
    Root,
    /// `/components/N`, or a field under it.
    Component {
        /// N.
        index: usize,
        /// Fields under the component, e.g. `substances/lead`.
        field: Option<Arc<str>>,
    },
    /// Any pointer.
    Pointer(String),
}

impl FindingPath {
    /// The component index, when the path is in a component.
    pub fn component(&self) -> Option<usize> {
        match self {
            FindingPath::Component { index, .. } => Some(*index),
            FindingPath::Pointer(p) => p
                .strip_prefix("/components/")
                .and_then(|rest| rest.split('/').next())
                .and_then(|n| n.parse().ok()),
            FindingPath::Root => None,
        }
    }
}

impl fmt::Display for FindingPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindingPath::Root => Ok(()),
            FindingPath::Component { index, field } => {
                write!(f, "/components/{index}")?;
                if let Some(field) = field {
                    write!(f, "/{field}")?;
                }
                Ok(())
            }
            FindingPath::Pointer(p) => f.write_str(p),
        }
    }
}

impl Serialize for FindingPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The value a rule checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actual {
    /// The value, in canonical units when a quantity.
    pub value: Json,
    /// The canonical unit, when a quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Arc<str>>,
    /// The value as the submission wrote it, when different (`"0.05 %"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// What `value` is when it is not the value itself: `below-detection`
    /// when it is computed from results below the detection limit, with
    /// each at its limit, so the value is an upper bound (the true value is
    /// below it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<ValueBound>,
}

/// What kind of bound an [`Actual`] value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueBound {
    /// An upper bound from results below the detection limit (`< 2 mg/kg`).
    BelowDetection,
}

impl fmt::Display for Actual {
    /// `500 mg/kg (0.05 %)`; an object as `key value, key value`; an upper
    /// bound as `< 2 mg/kg`, or `< 2 mg/kg (n.d. (LOD 2 mg/kg))` when written otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = String::new();
        if self.bound.is_some() {
            shown.push_str("< ");
        }
        {
            use fmt::Write as _;
            write!(shown, "{}", JsonText(&self.value))?;
            if let Some(unit) = &self.unit {
                write!(shown, " {unit}")?;
            }
        }
        f.write_str(&shown)?;
        if let Some(written) = self.written.as_deref().filter(|w| *w != shown) {
            write!(f, " ({written})")?;
        }
        Ok(())
    }
}

/// [`write_json`] as a `Display`.
struct JsonText<'a>(&'a Json);

impl fmt::Display for JsonText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_json(f, self.0, "")
    }
}

/// A JSON value for a person: numbers as `format_number` writes them, strings
/// bare, objects as `key value, key.sub value`.
fn write_json(f: &mut fmt::Formatter<'_>, value: &Json, prefix: &str) -> fmt::Result {
    match value {
        Json::Number(n) => f.write_str(&format_number(n.as_f64().unwrap_or(f64::NAN))),
        Json::String(s) => f.write_str(s),
        Json::Object(map) => {
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                let key = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if value.is_object() {
                    write_json(f, value, &key)?;
                } else {
                    write!(f, "{key} ")?;
                    write_json(f, value, "")?;
                }
            }
            Ok(())
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_json(f, item, prefix)?;
            }
            Ok(())
        }
        other => write!(f, "{other}"),
    }
}

impl Report {
    /// Signs the report with `key` (see [`signature`]): what
    /// [`signature::verify`] checks in its JSON form.
    pub fn sign(&mut self, key: &signature::SigningKey) -> Result<(), signature::SignError> {
        self.signature = None;
        let value = serde_json::to_value(&*self)
            .map_err(|e| signature::SignError::Canonical(e.to_string()))?;
        self.signature = Some(signature::sign(&value, key)?);
        Ok(())
    }

    /// The findings of one outcome.
    pub fn findings_with(&self, outcome: Outcome) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.outcome == outcome)
    }

    /// The failed findings of `error` severity (`true`: these fail the
    /// verdict), or of `warning` and `info` severity (`false`).
    pub fn failures(&self, error_severity: bool) -> impl Iterator<Item = &Finding> {
        self.findings_with(Outcome::Fail)
            .filter(move |f| (f.severity == Severity::Error) == error_severity)
    }

    /// The rules with findings of `outcome`, each once (its first such
    /// finding), with how many places. A rule's findings are next to each
    /// other, and rule ids are unique.
    pub fn rules_with(&self, outcome: Outcome) -> Vec<(&Finding, usize)> {
        let mut rules: Vec<(&Finding, usize)> = Vec::new();
        for finding in self.findings_with(outcome) {
            match rules.last_mut() {
                Some((first, count)) if first.rule() == finding.rule() => *count += 1,
                _ => rules.push((finding, 1)),
            }
        }
        rules
    }
}

pub use render::RenderOptions;
pub use strings::{PerOutcome, PerSeverity, PerVerdict, Strings};

/// `Standard, clause (secondary source)`, in the report's language.
pub(crate) fn citation(finding: &Finding, s: &Strings) -> String {
    let reference = finding.reference();
    let mut text = format!("{}{}{}", reference.standard, s.comma, reference.clause);
    if reference.verification == Some(Verification::Secondary) {
        text.push_str(s.open);
        text.push_str(s.secondary);
        text.push_str(s.close);
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn evidence_is_listed_as_the_submission_gives_it() {
        let submission = crate::load::Doc::from_value(json!({
            "components": [
                {"id": "C1", "recycled": {
                    "certificate": {"scheme": "GRS", "valid_until": "2030-01-31"},
                    "lots": ["L1", "L2", 7]
                }},
                {"id": "C2"},
                {"recycled": {"certificate": {"number": "N-9"}}},
                {"id": "C4", "recycled": {"lots": ["L3"]}}
            ],
            "evidence": [
                {"id": "E1", "kind": "lab-report", "title": "ICP-MS", "sha256": "ab"},
                {"title": "untitled id"}
            ]
        }));
        let evidence = Evidence::of(&submission);
        assert!(!evidence.is_empty());
        assert_eq!(
            serde_json::to_value(&evidence).unwrap(),
            json!({
                "certificates": [
                    {"component": "C1", "scheme": "GRS", "valid_until": "2030-01-31"},
                    {"component": "", "number": "N-9"}
                ],
                "lots": [
                    {"component": "C1", "lot": "L1"},
                    {"component": "C1", "lot": "L2"},
                    {"component": "C4", "lot": "L3"}
                ],
                "documents": [
                    {"id": "E1", "kind": "lab-report", "title": "ICP-MS", "sha256": "ab"},
                    {"title": "untitled id"}
                ]
            })
        );
        let certificate = evidence.certificates().nth(1).unwrap();
        assert_eq!(
            (
                certificate.component,
                certificate.scheme,
                certificate.number
            ),
            ("", None, Some("N-9"))
        );
        assert_eq!(evidence.lots().len(), 3);
        let none = Evidence::of(&crate::load::Doc::from_value(
            json!({"components": [{"id": "C"}]}),
        ));
        assert!(none.is_empty());
        assert_eq!(
            serde_json::to_string(&none).unwrap(),
            r#"{"certificates":[],"lots":[],"documents":[]}"#
        );
    }

    /// The texts of a rule whose check's unit is `unit`.
    fn texts(unit: Option<&str>) -> Arc<RuleTexts> {
        Arc::new(RuleTexts {
            pack: Arc::from("p"),
            rule: Arc::from("r"),
            title: "t".to_owned(),
            message: message::Message::new("found {actual}", None, None, "each"),
            expected: None,
            reference: ReferenceInfo {
                standard: "s".to_owned(),
                clause: "c".to_owned(),
                url: None,
                row: None,
                verification: None,
            },
            in_force: None,
            fix: None,
            unit: unit.map(Arc::from),
            json: std::sync::OnceLock::new(),
        })
    }

    #[test]
    fn a_finding_gives_back_the_value_it_was_made_with() {
        let texts = texts(Some("mg/kg"));
        let number = |n: f64| Json::Number(serde_json::Number::from_f64(n).unwrap());
        let actual = |value: Json, unit: Option<&str>, written: Option<&str>| Actual {
            value,
            unit: unit.map(Arc::from),
            written: written.map(str::to_owned),
            bound: None,
        };
        let below = Actual {
            bound: Some(ValueBound::BelowDetection),
            ..actual(number(2.0), Some("mg/kg"), None)
        };
        for (value, inline) in [
            (actual(number(500.0), Some("mg/kg"), None), true),
            (actual(number(-0.25), Some("mg/kg"), None), true),
            (actual(number(500.0), Some("mg/kg"), Some("0.05 %")), false),
            (actual(number(500.0), Some("%"), None), false),
            (actual(number(500.0), None, None), false),
            (actual(json!(500), Some("mg/kg"), None), false),
            (actual(json!("steel"), None, None), false),
            (below, false),
        ] {
            let finding = Finding::new(
                &texts,
                Severity::Error,
                Outcome::Fail,
                FindingPath::Root,
                Some(value.clone()),
                None,
                None,
            );
            assert_eq!(
                matches!(finding.actual, ActualSlot::Number(_)),
                inline,
                "{value:?}"
            );
            assert_eq!(finding.actual().unwrap().into_owned(), value);
            assert_eq!(
                serde_json::to_value(&finding).unwrap()["actual"],
                serde_json::to_value(&value).unwrap()
            );
            assert_eq!(finding.message(), format!("found {value}"));
        }
        // A check's finding made from its number gives the same value.
        for (value, written, bound) in [
            (500.0, None, None),
            (500.0, Some("0.05 %"), None),
            (2.0, None, Some(ValueBound::BelowDetection)),
            (f64::INFINITY, None, None),
        ] {
            let expected = Actual {
                value: serde_json::Number::from_f64(value).map_or(Json::Null, Json::Number),
                unit: Some(Arc::from("mg/kg")),
                written: written.map(str::to_owned),
                bound,
            };
            let finding = Finding::new_check(
                &texts,
                Severity::Error,
                Outcome::Fail,
                FindingPath::Root,
                value,
                written.map(str::to_owned),
                bound,
                None,
                None,
            );
            assert_eq!(
                matches!(finding.actual, ActualSlot::Number(_)),
                value.is_finite() && written.is_none() && bound.is_none()
            );
            assert_eq!(finding.actual().unwrap().into_owned(), expected);
            assert_eq!(finding.message(), format!("found {expected}"));
        }
        let none = Finding::new(
            &texts,
            Severity::Error,
            Outcome::Pass,
            FindingPath::Root,
            None,
            Some("why".to_owned()),
            None,
        );
        assert!(none.actual().is_none());
        assert_eq!(none.reason().as_deref(), Some("why"));
    }
}
