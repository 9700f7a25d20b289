//! SARIF 2.1.0 (`recert check --format sarif`): one log with one run for
//! every submission of the command, for code-scanning views and the tools
//! that read static-analysis results.
//!
//! - `tool.driver`: recert, its version, and every rule of the loaded packs
//!   (`id`; `shortDescription`: the title in the report's language;
//!   `fullDescription`: the rule's description, if it has one; `help`: the
//!   requirement and the clause; `helpUri`: the standard's URL, if the pack
//!   gives one; `defaultConfiguration.level` from the severity;
//!   `properties`: pack, standard, clause, row, verification).
//! - `artifacts`: each submission file with its sha256 (`hashes.sha-256`,
//!   what `sha256sum FILE` prints); a JSON Lines stream is one artifact,
//!   without a digest (its lines are hashed one by one, in
//!   `properties.submissions`).
//! - `results`, one per finding the verdict rests on or that a reader must
//!   see, each at the line and column of the value in the submission file
//!   (`region`; the JSON pointer is the `logicalLocation`):
//!   - `fail`: `kind` `fail`, `level` `error`, `warning` or `note` from the
//!     rule's severity (only `error` fails the verdict);
//!   - `error` (could not be evaluated: a missing value, a plugin that
//!     crashed): `kind` `open` ("not enough information to decide"), `level`
//!     `none` as SARIF requires for a kind other than `fail`; the message says
//!     why. The verdict is then `incomplete`, never pass;
//!   - `not-in-force` (the rule applies to the product but starts later or
//!     has ended): `kind` `notApplicable`, `level` `none`, with the dates;
//!   - `pass` and `not-applicable` findings are not results (a pass would
//!     drown the failures, a not-applicable rule is about other products);
//!     their counts are in `properties.submissions[].summary`.
//!
//!   `properties` of a result: the finding as the JSON report has it
//!   (`pack`, `outcome`, `severity`, `submission`, `pointer`, `actual`,
//!   `expected`, `reference`, `reason`).
//! - `invocations[0]`: `executionSuccessful` false when an input could not be
//!   read or is not a valid submission, each such input's diagnostics as
//!   `toolExecutionNotifications` (level `error`, at their file, line and
//!   column).
//! - `properties` of the run: the run's `verdict` (`invalid`, else the worst
//!   of the submissions), `evaluation_date`, `lang`, the `packs` with their
//!   digests, the `plugins` that ran, the `params` overridden, and each
//!   submission (`file`, `artifact` index, `id`, `product`, `verdict`,
//!   `sha256`, `file_sha256`, `summary`), named as in the JSON report.
//!
//! Texts from packs, plugins and submissions go in as they are: serde
//! escapes what JSON needs.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};

use super::document::{Document, Entry, Located, finding_text, reference_text, run_verdict};
use super::{EngineInfo, Finding, Outcome, Severity, Strings};
use crate::format::{RenderError, pretty_json};
use crate::pack::PackSet;

/// The `$schema` of the log: the OASIS schema of SARIF 2.1.0.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The document as a SARIF 2.1.0 log, pretty-printed, with a final newline.
pub fn render(document: &Document<'_>) -> Result<String, RenderError> {
    let s = Strings::get(document.lang);
    let (rules, rule_index) = rules(document.packs, document, s);
    let mut artifacts = Artifacts::default();
    let mut results = Vec::new();
    let mut submissions = Vec::new();
    let mut notifications = Vec::new();
    let mut plugins: BTreeMap<(String, String), Json> = BTreeMap::new();
    let mut evaluation_date = None;
    for entry in &document.entries {
        match entry {
            Entry::Report(located) => {
                let report = &located.report;
                let artifact = artifacts.index(located);
                evaluation_date.get_or_insert_with(|| report.evaluation_date.clone());
                for plugin in &report.plugins {
                    plugins
                        .entry((plugin.id.clone(), plugin.sha256.clone()))
                        .or_insert_with(|| json!(plugin));
                }
                let mut submission = json!({
                    "file": report.submission.file,
                    "artifact": artifact,
                    "id": report.submission.id,
                    "verdict": report.verdict,
                    "sha256": report.submission.sha256,
                    "summary": report.summary,
                });
                if let Some(map) = submission.as_object_mut() {
                    if let Some(product) = &report.submission.product {
                        map.insert("product".into(), json!(product));
                    }
                    if let Some(digest) = &report.submission.file_sha256 {
                        map.insert("file_sha256".into(), json!(digest));
                    }
                }
                submissions.push(submission);
                for (finding, position) in report.findings.iter().zip(&located.positions) {
                    if let Some(result) =
                        result(finding, *position, located, artifact, &rule_index, s)
                    {
                        results.push(result);
                    }
                }
            }
            Entry::Invalid(record) => {
                for d in &record.diagnostics {
                    let mut location = json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&d.location.file) },
                        }
                    });
                    if let (Some(line), Some(column)) = (d.location.line, d.location.column)
                        && let Some(physical) = location.get_mut("physicalLocation")
                        && let Some(map) = physical.as_object_mut()
                    {
                        map.insert(
                            "region".into(),
                            json!({ "startLine": line, "startColumn": column }),
                        );
                    }
                    notifications.push(json!({
                        "level": "error",
                        "message": { "text": format!("{}: {}", d.location, d.message) },
                        "descriptor": { "id": d.code },
                        "locations": [location],
                    }));
                }
                submissions.push(json!({
                    "file": record.submission.file,
                    "verdict": record.verdict,
                }));
            }
        }
    }

    let engine = EngineInfo::default();
    let mut invocation = Map::new();
    invocation.insert(
        "executionSuccessful".into(),
        json!(notifications.is_empty()),
    );
    if !notifications.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), json!(notifications));
    }
    let packs: Vec<Json> = document
        .packs
        .packs()
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "version": p.version.to_string(),
                "sha256": p.sha256,
                "title": p.title.get(document.lang),
            })
        })
        .collect();
    let params: Vec<&super::ParamOverride> = document
        .packs
        .packs()
        .iter()
        .flat_map(|p| &p.overrides)
        .collect();
    let mut properties = Map::new();
    if let Some(verdict) = run_verdict(&document.entries) {
        properties.insert("verdict".into(), json!(verdict));
    }
    if let Some(date) = evaluation_date {
        properties.insert("evaluation_date".into(), json!(date));
    }
    properties.insert("lang".into(), json!(document.lang));
    properties.insert("packs".into(), json!(packs));
    properties.insert(
        "plugins".into(),
        Json::Array(plugins.into_values().collect()),
    );
    properties.insert("params".into(), json!(params));
    properties.insert("submissions".into(), json!(submissions));

    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": engine.name,
                    "version": engine.version,
                    "semanticVersion": engine.version,
                    "rules": rules,
                }
            },
            "invocations": [invocation],
            "language": document.lang,
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts.list,
            "results": results,
            "properties": properties,
        }]
    });
    pretty_json(&log)
}

/// `level` of a failure of a rule of `severity`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rules of every pack, as `reportingDescriptor`s, and each rule's index.
fn rules(
    packs: &PackSet,
    document: &Document<'_>,
    s: &Strings,
) -> (Vec<Json>, BTreeMap<String, usize>) {
    let mut list = Vec::new();
    let mut index = BTreeMap::new();
    for pack in packs.packs() {
        for rule in &pack.rules {
            let texts = rule.texts(document.lang);
            let reference = &texts.reference;
            let mut help = Vec::new();
            if let Some(expected) = &texts.expected {
                help.push(format!("{}{}{expected}", s.required, s.colon));
            }
            help.push(format!(
                "{}{}{}",
                s.clause,
                s.colon,
                reference_text(reference, s)
            ));
            if let Some(window) = &texts.in_force {
                help.push(window.clone());
            }
            let mut descriptor = Map::new();
            descriptor.insert("id".into(), json!(rule.id));
            descriptor.insert("shortDescription".into(), json!({ "text": texts.title }));
            if let Some(description) = &rule.description {
                descriptor.insert(
                    "fullDescription".into(),
                    json!({ "text": description.get(document.lang) }),
                );
            }
            descriptor.insert("help".into(), json!({ "text": help.join("\n") }));
            if let Some(url) = &reference.url {
                descriptor.insert("helpUri".into(), json!(url));
            }
            descriptor.insert(
                "defaultConfiguration".into(),
                json!({ "level": level(rule.severity) }),
            );
            let mut properties = json!({
                "pack": pack.id,
                "standard": reference.standard,
                "clause": reference.clause,
            });
            if let Some(map) = properties.as_object_mut() {
                if let Some(row) = &reference.row {
                    map.insert("row".into(), json!(row));
                }
                if let Some(verification) = reference.verification {
                    map.insert("verification".into(), json!(verification));
                }
            }
            descriptor.insert("properties".into(), properties);
            index.insert(rule.id.clone(), list.len());
            list.push(Json::Object(descriptor));
        }
    }
    (list, index)
}

/// The result of one finding, or `None` for a pass or a not-applicable one.
fn result(
    finding: &Finding,
    position: Option<super::document::Position>,
    located: &Located,
    artifact: usize,
    rule_index: &BTreeMap<String, usize>,
    s: &Strings,
) -> Option<Json> {
    let (kind, level) = match finding.outcome {
        Outcome::Fail => ("fail", level(finding.severity)),
        Outcome::Error => ("open", "none"),
        Outcome::NotInForce => ("notApplicable", "none"),
        Outcome::Pass | Outcome::NotApplicable => return None,
    };
    let pointer = finding.path.to_string();
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": uri(&located.artifact.file), "index": artifact }),
    );
    if let Some(at) = position {
        physical.insert(
            "region".into(),
            json!({ "startLine": at.line, "startColumn": at.column }),
        );
    }
    let mut location = Map::new();
    location.insert("physicalLocation".into(), Json::Object(physical));
    if !pointer.is_empty() {
        location.insert(
            "logicalLocations".into(),
            json!([{ "fullyQualifiedName": pointer, "kind": "element" }]),
        );
    }
    let mut properties = Map::new();
    properties.insert("pack".into(), json!(finding.pack()));
    properties.insert("outcome".into(), json!(finding.outcome));
    properties.insert("severity".into(), json!(finding.severity));
    properties.insert("submission".into(), json!(located.report.submission.id));
    properties.insert("pointer".into(), json!(pointer));
    if let Some(actual) = finding.actual() {
        properties.insert("actual".into(), json!(actual));
    }
    if let Some(expected) = finding.expected() {
        properties.insert("expected".into(), json!(expected));
    }
    properties.insert("reference".into(), json!(finding.reference()));
    if let Some(reason) = finding.reason() {
        properties.insert("reason".into(), json!(reason));
    }
    // What would make it pass: in the message too (`finding_text`).
    if let Some(fix) = finding.fix() {
        properties.insert("fix".into(), json!(fix));
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.rule()));
    if let Some(index) = rule_index.get(finding.rule()) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("kind".into(), json!(kind));
    result.insert("level".into(), json!(level));
    result.insert(
        "message".into(),
        json!({ "text": finding_text(finding, s) }),
    );
    result.insert("locations".into(), json!([location]));
    result.insert("properties".into(), Json::Object(properties));
    Some(Json::Object(result))
}

/// The run's artifacts, each file once.
#[derive(Default)]
struct Artifacts {
    list: Vec<Json>,
    index: BTreeMap<String, usize>,
}

impl Artifacts {
    /// The index of the file of `located`, added if new.
    fn index(&mut self, located: &Located) -> usize {
        let artifact = &located.artifact;
        if let Some(&i) = self.index.get(&artifact.file) {
            return i;
        }
        let mut entry = Map::new();
        entry.insert("location".into(), json!({ "uri": uri(&artifact.file) }));
        if let Some(digest) = &artifact.sha256 {
            entry.insert("hashes".into(), json!({ "sha-256": digest }));
        }
        entry.insert("mimeType".into(), json!(artifact.media_type));
        let i = self.list.len();
        self.list.push(Json::Object(entry));
        self.index.insert(artifact.file.clone(), i);
        i
    }
}

/// A file as the user named it, as a URI reference: relative paths stay
/// relative, absolute ones are `file://` URIs; every byte outside the
/// unreserved characters and `/` is percent-encoded (`<stdin>` is
/// `%3Cstdin%3E`).
pub fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len() + 8);
    if file.starts_with('/') {
        out.push_str("file://");
    }
    for byte in file.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(
                HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0'),
            ));
            out.push(char::from(
                HEX.get(usize::from(byte & 15)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(uri("examples/a b.yaml"), "examples/a%20b.yaml");
        assert_eq!(uri("/tmp/x#1.yaml"), "file:///tmp/x%231.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("产品.yaml"), "%E4%BA%A7%E5%93%81.yaml");
    }
}
