//! One evaluation request: rule, submission, config (with the pack's params),
//! evaluation date and language.

use serde::Deserialize as _;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::finding::FindingBuilder;
use crate::{Date, Outcome, Submission};

/// The report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the default for anything that is not Chinese).
    #[default]
    En,
    /// Chinese.
    Zh,
}

impl Lang {
    /// `"zh"` and `"zh-..."` (any case) are Chinese; anything else is English.
    pub fn parse(tag: &str) -> Lang {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "zh" || tag.starts_with("zh-") || tag.starts_with("zh_") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// The pack rule's `config`, with the pack's params under `params`.
///
/// Read from the wire, the config is kept as its JSON text with the place
/// of each top-level entry (and of each param) found by one syntax scan; an
/// entry is parsed into a `Value` when a rule first asks for it. A rule
/// reads a few of a pack's params, and parsing all of them was an eighth of
/// a battery-casing call (`engine/benches/plugin.rs`).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The config's JSON text; empty for a config built from a `Value`.
    text: String,
    /// The top-level entries of `text`, in order.
    entries: Vec<Entry>,
    /// The entries of `params`, found with the config's.
    params: OnceLock<Option<Vec<Entry>>>,
    /// The whole config: given, or parsed from `text` on first use.
    raw: OnceLock<Map<String, Value>>,
}

/// One entry of a JSON object in [`Config::text`].
#[derive(Debug, Clone)]
struct Entry {
    key: EntryKey,
    /// Byte range of the value's text.
    value: std::ops::Range<usize>,
    parsed: OnceLock<Value>,
}

/// An entry's key: its place in the text, or the unescaped key.
#[derive(Debug, Clone)]
enum EntryKey {
    At(std::ops::Range<usize>),
    Unescaped(String),
}

impl Entry {
    fn key<'t>(&'t self, text: &'t str) -> &'t str {
        match &self.key {
            EntryKey::At(range) => text.get(range.clone()).unwrap_or_default(),
            EntryKey::Unescaped(key) => key,
        }
    }

    fn value<'t>(&'t self, text: &str) -> &'t Value {
        self.parsed.get_or_init(|| {
            text.get(self.value.clone())
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or(Value::Null)
        })
    }
}

/// The last entry of `entries` with `key` (JSON objects keep the last of
/// duplicate keys).
fn find<'e>(entries: &'e [Entry], text: &str, key: &str) -> Option<&'e Entry> {
    entries.iter().rev().find(|e| e.key(text) == key)
}

/// The entries of the JSON object `json`, a slice of the config's text
/// starting at byte `base` of it, and when `json` is the whole config, the
/// entries of its `params` object, found in the same pass (a pack's params
/// are most of a config); `Ok(None)` when `json` is `null`. A `params`
/// that is not an object, like anything but an object or `null` here, is
/// an error: the caller then reads the config as a `Value`.
fn scan(json: &str, base: usize, top: bool) -> Result<Option<Scanned>, serde_json::Error> {
    use serde::de::Deserializer as _;
    let mut de = serde_json::Deserializer::from_str(json);
    let scanned = de.deserialize_any(Scan {
        text: json,
        base,
        top,
    })?;
    de.end()?;
    Ok(scanned)
}

/// The entries of an object, and those of its `params` object.
struct Scanned {
    entries: Vec<Entry>,
    params: Option<Vec<Entry>>,
}

struct Scan<'t> {
    /// The text being read, which starts at byte `base` of the config.
    text: &'t str,
    base: usize,
    /// Whether this is the whole config (which has `params`).
    top: bool,
}

impl Scan<'_> {
    /// The position in the config of `inner`, a slice of `self.text`.
    fn at(&self, inner: &str) -> usize {
        inner.as_ptr() as usize - self.text.as_ptr() as usize + self.base
    }

    /// The first byte at or after `from` (a position in the config) that
    /// is not JSON whitespace, and its position.
    fn next_token(&self, from: usize) -> Option<(usize, u8)> {
        let bytes = self.text.as_bytes().get(from.checked_sub(self.base)?..)?;
        let skip = bytes
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
        Some((from + skip, *bytes.get(skip)?))
    }

    /// The range of the object whose key ends at `key_end` and whose last
    /// entry's value ends at `last_end` (`None`: no entries).
    fn object_range(&self, key_end: usize, last_end: Option<usize>) -> Option<Range<usize>> {
        // `key_end` is the key's closing quote; then `:` and `{`.
        let (colon, b':') = self.next_token(key_end + 1)? else {
            return None;
        };
        let (open, b'{') = self.next_token(colon + 1)? else {
            return None;
        };
        let (close, b'}') = self.next_token(last_end.unwrap_or(open + 1))? else {
            return None;
        };
        Some(open..close + 1)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Scan<'de> {
    type Value = Option<Scanned>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Scan<'de> {
    type Value = Option<Scanned>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        use serde_json::value::RawValue;
        let mut entries = Vec::new();
        let mut params = None;
        while let Some(key) = map.next_key::<crate::submission::Key<'de>>()? {
            let (key, value) = match key.0 {
                Cow::Borrowed(k) if self.top && k == "params" => {
                    let nested = map.next_value_seed(Scan {
                        text: self.text,
                        base: self.base,
                        top: false,
                    })?;
                    let Some(nested) = nested else {
                        return Err(A::Error::custom("params is null"));
                    };
                    let key_end = self.at(k) + k.len();
                    let last_end = nested.entries.last().map(|e| e.value.end);
                    let value = self
                        .object_range(key_end, last_end)
                        .ok_or_else(|| A::Error::custom("params not found in the text"))?;
                    params = Some(nested.entries);
                    (EntryKey::At(self.at(k)..key_end), value)
                }
                Cow::Borrowed(k) => {
                    let value = map.next_value::<&'de RawValue>()?.get();
                    (
                        EntryKey::At(self.at(k)..self.at(k) + k.len()),
                        self.at(value)..self.at(value) + value.len(),
                    )
                }
                Cow::Owned(k) if self.top && k == "params" => {
                    return Err(A::Error::custom("params is an escaped key"));
                }
                Cow::Owned(k) => {
                    let value = map.next_value::<&'de RawValue>()?.get();
                    (
                        EntryKey::Unescaped(k),
                        self.at(value)..self.at(value) + value.len(),
                    )
                }
            };
            entries.push(Entry {
                key,
                value,
                parsed: OnceLock::new(),
            });
        }
        // The last `params` is the one kept, as the last of duplicate keys
        // is (an escaped `params` key was refused above).
        Ok(Some(Scanned { entries, params }))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl Config {
    /// Wraps a config object; `null` counts as `{}`.
    pub fn from_value(value: Value) -> Result<Config, String> {
        match value {
            Value::Object(raw) => Ok(Config {
                raw: OnceLock::from(raw),
                ..Config::default()
            }),
            Value::Null => Ok(Config::default()),
            other => Err(format!(
                "config must be a JSON object, got {}",
                kind_of(&other)
            )),
        }
    }

    /// Reads a config object from its JSON text; `null` or blank counts as
    /// `{}`. Only the syntax is checked here; each entry is parsed when
    /// first asked for.
    pub fn from_json(text: &str) -> Result<Config, String> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        match scan(text, 0, true) {
            Ok(Some(Scanned { entries, params })) => Ok(Config {
                text: text.to_owned(),
                entries,
                params: OnceLock::from(params),
                raw: OnceLock::new(),
            }),
            Ok(None) => Ok(Config::default()),
            // Not an object: the error of the whole config, as before.
            Err(e) if !e.is_data() => Err(format!("config JSON: {e}")),
            Err(_) => match serde_json::from_str::<Value>(text) {
                Ok(value) => Config::from_value(value),
                Err(e) => Err(format!("config JSON: {e}")),
            },
        }
    }

    /// Whether the config was read from text (its entries parsed lazily).
    fn lazy(&self) -> bool {
        !self.text.is_empty()
    }

    /// The whole config as JSON.
    pub fn raw(&self) -> &Map<String, Value> {
        self.raw.get_or_init(|| {
            self.entries
                .iter()
                .map(|e| (e.key(&self.text).to_owned(), e.value(&self.text).clone()))
                .collect()
        })
    }

    /// The value of a config key, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        if self.lazy() {
            find(&self.entries, &self.text, key).map(|e| e.value(&self.text))
        } else {
            self.raw().get(key)
        }
    }

    /// A config key deserialized into `T`; `Ok(None)` when absent or `null`.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, String> {
        if self.lazy() {
            // Straight from the entry's text, without a `Value` first.
            let Some(entry) = find(&self.entries, &self.text, key) else {
                return Ok(None);
            };
            let json = self.text.get(entry.value.clone()).unwrap_or_default();
            if json == "null" {
                return Ok(None);
            }
            if let Ok(value) = serde_json::from_str::<T>(json) {
                return Ok(Some(value));
            }
            // The error as a `Value` gives it (no line and column).
        }
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| format!("config.{key}: {e}")),
        }
    }

    /// The pack's params (after any `--params` overrides).
    pub fn params(&self) -> Params<'_> {
        if !self.lazy() {
            return Params {
                source: match self.raw().get("params").and_then(Value::as_object) {
                    Some(map) => ParamsSource::Map(map),
                    None => ParamsSource::None,
                },
            };
        }
        let entries = self.params.get_or_init(|| {
            let entry = find(&self.entries, &self.text, "params")?;
            let json = self.text.get(entry.value.clone())?;
            Some(scan(json, entry.value.start, false).ok()??.entries)
        });
        Params {
            source: match entries {
                Some(entries) => ParamsSource::Entries {
                    text: &self.text,
                    entries,
                },
                None => ParamsSource::None,
            },
        }
    }
}

/// The pack's params as passed in `config.params`.
///
/// A param may arrive as a bare value (`16`, `"V-0"`) or as an object with a
/// `value` key (`{"value": 16, "unit": "%"}`); both are read the same way.
#[derive(Debug, Clone, Copy)]
pub struct Params<'a> {
    source: ParamsSource<'a>,
}

#[derive(Debug, Clone, Copy)]
enum ParamsSource<'a> {
    None,
    Map(&'a Map<String, Value>),
    Entries { text: &'a str, entries: &'a [Entry] },
}

impl<'a> Params<'a> {
    /// The raw value of a param, unwrapping `{"value": ...}`.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        let v = match self.source {
            ParamsSource::None => return None,
            ParamsSource::Map(map) => map.get(name)?,
            ParamsSource::Entries { text, entries } => find(entries, text, name)?.value(text),
        };
        match v {
            Value::Object(o) => o.get("value"),
            Value::Null => None,
            other => Some(other),
        }
    }

    /// A numeric param; `Ok(None)` when absent, `Err` when not a number.
    pub fn number(&self, name: &str) -> Result<Option<f64>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| format!("param {name} must be a number, got {}", kind_of(v))),
        }
    }

    /// A numeric param, or `default` when absent.
    pub fn number_or(&self, name: &str, default: f64) -> Result<f64, String> {
        Ok(self.number(name)?.unwrap_or(default))
    }

    /// A text param; `Ok(None)` when absent, `Err` when not a string.
    pub fn string(&self, name: &str) -> Result<Option<&'a str>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| format!("param {name} must be a string, got {}", kind_of(v))),
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One evaluation: one rule over one submission.
///
/// `S` is how the submission is read: the owned, typed [`Submission`] (the
/// default, what [`crate::Plugin::evaluate`] receives), or the borrowed
/// [`crate::view::Submission`] of a [`RequestView`].
#[derive(Debug, Clone)]
pub struct Request<S = Submission> {
    /// The rule to evaluate (one the plugin declared in `describe`).
    pub rule: String,
    /// The submission, typed.
    pub submission: S,
    /// The submission as JSON, parsed only if `raw_submission` is called.
    raw: RawSubmission,
    /// The rule's config and the pack's params.
    pub config: Config,
    /// The evaluation date.
    pub date: Date,
    /// The report language.
    pub lang: Lang,
}

/// A request whose submission is the borrowed view
/// ([`crate::view::Submission`]) of the request's JSON text: what
/// [`crate::Plugin::evaluate_view`] receives.
pub type RequestView<'a> = Request<crate::view::Submission<'a>>;

/// The submission's JSON: the wire text, parsed into a `Value` on first use
/// (most plugins only read the typed view, and parsing twice costs more
/// than the rest of a typical evaluation). A request built from a `Value`
/// writes the text only when a view of it is asked for.
#[derive(Debug, Clone, Default)]
struct RawSubmission {
    text: OnceLock<String>,
    value: OnceLock<Value>,
}

fn submission_error(e: serde_json::Error) -> String {
    if e.is_data() {
        format!("submission: {e}")
    } else {
        format!("submission JSON: {e}")
    }
}

fn parse_config(config: &str) -> Result<Config, String> {
    Config::from_json(config)
}

impl Request {
    /// Builds a request from the wire form (`submission` and `config` as JSON
    /// text, date `YYYY-MM-DD`, lang `en`/`zh`). Every error says which input
    /// was malformed. The submission is parsed once, straight into the typed
    /// view, and its text is kept without copying when given as a `String`.
    pub fn from_json(
        rule: &str,
        submission: impl Into<String>,
        config: &str,
        evaluation_date: &str,
        lang: &str,
    ) -> Result<Request, String> {
        let submission = submission.into();
        let typed: Submission = serde_json::from_str(&submission).map_err(submission_error)?;
        let config = parse_config(config)?;
        let date = Date::parse(evaluation_date).map_err(|e| format!("evaluation date: {e}"))?;
        Ok(Request {
            rule: rule.to_owned(),
            submission: typed,
            raw: RawSubmission {
                text: OnceLock::from(submission),
                value: OnceLock::new(),
            },
            config,
            date,
            lang: Lang::parse(lang),
        })
    }

    /// Builds a request from values (handy in tests).
    pub fn new(
        rule: &str,
        submission: Value,
        config: Value,
        date: Date,
        lang: Lang,
    ) -> Result<Request, String> {
        let typed: Submission = Submission::deserialize_value(&submission)?;
        Ok(Request {
            rule: rule.to_owned(),
            submission: typed,
            raw: RawSubmission {
                text: OnceLock::new(),
                value: OnceLock::from(submission),
            },
            config: Config::from_value(config)?,
            date,
            lang,
        })
    }

    /// The submission as JSON, for fields the typed view does not model
    /// (parsed on first call).
    pub fn raw_submission(&self) -> &Value {
        self.raw.value.get_or_init(|| {
            self.raw
                .text
                .get()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or(Value::Null)
        })
    }

    /// The same request with the submission read into the borrowed view,
    /// for a plugin that implements [`crate::Plugin::evaluate_view`] to
    /// serve [`crate::Plugin::evaluate`] too. The view borrows the
    /// request's JSON text (written from the value first for a request built
    /// with [`Request::new`]).
    pub fn view(&self) -> Result<RequestView<'_>, String> {
        let text = self.raw.text.get_or_init(|| {
            self.raw
                .value
                .get()
                .map(Value::to_string)
                .unwrap_or_default()
        });
        let submission = crate::view::Submission::from_json(text).map_err(submission_error)?;
        Ok(Request {
            rule: self.rule.clone(),
            submission,
            raw: RawSubmission {
                text: OnceLock::new(),
                value: self.raw.value.clone(),
            },
            config: self.config.clone(),
            date: self.date,
            lang: self.lang,
        })
    }
}

impl<'a> Request<crate::view::Submission<'a>> {
    /// Builds a request from the wire form, as [`Request::from_json`] does,
    /// with the submission read into the borrowed view of `submission`.
    pub fn parse_view(
        rule: &str,
        submission: &'a str,
        config: &str,
        evaluation_date: &str,
        lang: &str,
    ) -> Result<RequestView<'a>, String> {
        let view = crate::view::Submission::from_json(submission).map_err(submission_error)?;
        let config = parse_config(config)?;
        let date = Date::parse(evaluation_date).map_err(|e| format!("evaluation date: {e}"))?;
        Ok(Request {
            rule: rule.to_owned(),
            submission: view,
            raw: RawSubmission::default(),
            config,
            date,
            lang: Lang::parse(lang),
        })
    }

    /// The submission as JSON, for fields the view does not model (parsed
    /// on first call).
    pub fn raw_submission(&self) -> &Value {
        self.raw
            .value
            .get_or_init(|| serde_json::from_str(self.submission.text).unwrap_or(Value::Null))
    }

    /// The same request with the owned, typed submission, read again from
    /// the JSON text.
    pub fn to_owned_request(&self) -> Result<Request, String> {
        let typed: Submission =
            serde_json::from_str(self.submission.text).map_err(submission_error)?;
        Ok(Request {
            rule: self.rule.clone(),
            submission: typed,
            raw: RawSubmission {
                text: OnceLock::from(self.submission.text.to_owned()),
                value: self.raw.value.clone(),
            },
            config: self.config.clone(),
            date: self.date,
            lang: self.lang,
        })
    }
}

impl<S> Request<S> {
    /// The text for the request's language.
    pub fn text(&self, en: &str, zh: &str) -> String {
        self.lang.pick(en, zh).to_owned()
    }

    /// Starts a finding for this request's rule with `outcome` at `path`.
    pub fn finding(&self, outcome: Outcome, path: impl Into<String>) -> FindingBuilder {
        FindingBuilder::new(&self.rule, outcome, path.into(), self.lang)
    }

    /// Starts a `pass` finding at `path`.
    pub fn pass(&self, path: impl Into<String>) -> FindingBuilder {
        self.finding(Outcome::Pass, path)
    }

    /// Starts a `fail` finding at `path`.
    pub fn fail(&self, path: impl Into<String>) -> FindingBuilder {
        self.finding(Outcome::Fail, path)
    }

    /// Starts a `not-applicable` finding at `path`.
    pub fn not_applicable(&self, path: impl Into<String>) -> FindingBuilder {
        self.finding(Outcome::NotApplicable, path)
    }

    /// Starts a `not-in-force` finding at `path`.
    pub fn not_in_force(&self, path: impl Into<String>) -> FindingBuilder {
        self.finding(Outcome::NotInForce, path)
    }

    /// Starts an `error` finding (could not evaluate, e.g. data missing) at `path`.
    pub fn error(&self, path: impl Into<String>) -> FindingBuilder {
        self.finding(Outcome::Error, path)
    }
}

impl Submission {
    /// Reads a normalized submission from JSON.
    pub fn deserialize_value(value: &Value) -> Result<Submission, String> {
        Submission::deserialize(value).map_err(|e| format!("submission: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> String {
        json!({"product": {"sector": "battery", "markets": ["EU"]}, "components": []}).to_string()
    }

    #[test]
    fn parses_wire_form() {
        let r = Request::from_json(
            "r1",
            minimal(),
            r#"{"part":"casing","params":{"a":16,"b":{"value":6,"unit":"%"},"c":"V-1"}}"#,
            "2032-01-01",
            "zh",
        )
        .unwrap();
        assert_eq!(r.rule, "r1");
        assert_eq!(r.date, Date::ymd(2032, 1, 1));
        assert_eq!(r.lang, Lang::Zh);
        assert_eq!(
            r.config.get_as::<String>("part").unwrap().as_deref(),
            Some("casing")
        );
        let p = r.config.params();
        assert_eq!(p.number("a").unwrap(), Some(16.0));
        assert_eq!(p.number("b").unwrap(), Some(6.0));
        assert_eq!(p.string("c").unwrap(), Some("V-1"));
        assert_eq!(p.number("missing").unwrap(), None);
        assert_eq!(p.number_or("missing", 2.0).unwrap(), 2.0);
        assert!(
            p.number("c")
                .unwrap_err()
                .contains("param c must be a number")
        );
        assert!(p.string("a").is_err());
    }

    #[test]
    fn the_raw_submission_is_the_wire_json() {
        let wire = json!({
            "product": {"sector": "battery", "markets": ["EU"], "x-extra": 7},
            "components": []
        });
        let r = Request::from_json("r", wire.to_string(), "{}", "2032-01-01", "en").unwrap();
        assert_eq!(r.raw_submission(), &wire);
        assert_eq!(r.raw_submission()["product"]["x-extra"], 7);
        let cloned = r.clone();
        assert_eq!(cloned.raw_submission(), &wire);
        let from_value = Request::new(
            "r",
            wire.clone(),
            json!({}),
            Date::ymd(2032, 1, 1),
            Lang::En,
        )
        .unwrap();
        assert_eq!(from_value.raw_submission(), &wire);
    }

    /// The lazily read config answers as the config read into a `Value`.
    #[test]
    fn a_config_read_from_text_reads_as_its_value() {
        let texts = [
            r#"{"part":"casing","params":{"a":16,"b":{"value":6,"unit":"%"},"c":"V-1","n":null}}"#,
            "{ \"params\" :\n { } , \"x\": [1, {\"y\": \"}\"}] }",
            r#"{"params": {"a": 1}, "params": {"a": 2, "b": 3}, "k": 1, "k": "two"}"#,
            r#"{"pa\u0072ts": ["a\"b"], "params": {"\u0061": 5}}"#,
            r#"{"params": null, "a": true}"#,
            r#"{"params": 7}"#,
            r#"{"p\u0061rams": {"a": 9}}"#,
            r#"{"only": {"params": {"a": 1}}}"#,
            "{}",
        ];
        for text in texts {
            let lazy = Config::from_json(text).unwrap();
            let eager = Config::from_value(serde_json::from_str(text).unwrap()).unwrap();
            assert_eq!(lazy.raw(), eager.raw(), "{text}");
            for key in ["part", "params", "x", "k", "parts", "a", "only", "missing"] {
                assert_eq!(lazy.get(key), eager.get(key), "{text}: {key}");
                assert_eq!(
                    lazy.get_as::<Value>(key),
                    eager.get_as::<Value>(key),
                    "{text}: {key}"
                );
            }
            for name in ["a", "b", "c", "n", "missing"] {
                let (l, e) = (lazy.params(), eager.params());
                assert_eq!(l.get(name), e.get(name), "{text}: {name}");
                assert_eq!(l.number(name), e.number(name), "{text}: {name}");
                assert_eq!(l.string(name), e.string(name), "{text}: {name}");
            }
        }
        // Not vacuous: the params were found.
        let c = Config::from_json(texts[0]).unwrap();
        assert_eq!(c.params().number("b").unwrap(), Some(6.0));
        let c = Config::from_json(texts[2]).unwrap();
        assert_eq!(c.params().number("a").unwrap(), Some(2.0));
        assert_eq!(c.get("k"), Some(&json!("two")));
        let c = Config::from_json(texts[3]).unwrap();
        assert_eq!(
            c.get_as::<Vec<String>>("parts").unwrap(),
            Some(vec!["a\"b".to_owned()])
        );
        assert_eq!(c.params().number("a").unwrap(), Some(5.0));
    }

    #[test]
    fn config_errors_read_as_before() {
        let c = Config::from_json(r#"{"parts": ["a", 1], "n": "x"}"#).unwrap();
        let e = c.get_as::<Vec<String>>("parts").unwrap_err();
        assert_eq!(
            e,
            "config.parts: invalid type: integer `1`, expected a string"
        );
        assert!(
            c.get_as::<f64>("n")
                .unwrap_err()
                .starts_with("config.n: invalid type")
        );
        assert_eq!(
            Config::from_json("[1]").unwrap_err(),
            "config must be a JSON object, got an array"
        );
        assert!(
            Config::from_json("{")
                .unwrap_err()
                .starts_with("config JSON: EOF")
        );
        assert!(
            Config::from_json("{} x")
                .unwrap_err()
                .starts_with("config JSON: trailing characters")
        );
    }

    #[test]
    fn empty_or_null_config_is_empty() {
        for cfg in ["", "{}", "null"] {
            let r = Request::from_json("r", minimal(), cfg, "2030-01-01", "en").unwrap();
            assert!(r.config.raw().is_empty());
            assert_eq!(r.config.params().number("x").unwrap(), None);
        }
    }

    #[test]
    fn malformed_inputs_are_named() {
        let e = Request::from_json("r", "{", "{}", "2030-01-01", "en").unwrap_err();
        assert!(e.starts_with("submission JSON"), "{e}");
        let e = Request::from_json("r", minimal(), "[1]", "2030-01-01", "en").unwrap_err();
        assert!(e.contains("config must be a JSON object"), "{e}");
        let e = Request::from_json("r", minimal(), "{}", "2030-1-1", "en").unwrap_err();
        assert!(e.starts_with("evaluation date"), "{e}");
        let e =
            Request::from_json("r", "{\"components\":[]}", "{}", "2030-01-01", "en").unwrap_err();
        assert!(e.contains("product"), "{e}");
    }

    #[test]
    fn lang_tags() {
        assert_eq!(Lang::parse("zh"), Lang::Zh);
        assert_eq!(Lang::parse("zh-CN"), Lang::Zh);
        assert_eq!(Lang::parse("ZH"), Lang::Zh);
        assert_eq!(Lang::parse("en"), Lang::En);
        assert_eq!(Lang::parse("de"), Lang::En);
        assert_eq!(Lang::Zh.pick("a", "b"), "b");
    }
}
