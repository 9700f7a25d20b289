//! One evaluation request: rule, submission, config (with the pack's params),
//! evaluation date and language.

use serde::Deserialize as _;
use serde::de::DeserializeOwned;
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
#[derive(Debug, Clone, Default)]
pub struct Config {
    raw: Map<String, Value>,
}

impl Config {
    /// Wraps a config object; `null` counts as `{}`.
    pub fn from_value(value: Value) -> Result<Config, String> {
        match value {
            Value::Object(raw) => Ok(Config { raw }),
            Value::Null => Ok(Config::default()),
            other => Err(format!(
                "config must be a JSON object, got {}",
                kind_of(&other)
            )),
        }
    }

    /// The whole config as JSON.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }

    /// The value of a config key, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.raw.get(key)
    }

    /// A config key deserialized into `T`; `Ok(None)` when absent or `null`.
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, String> {
        match self.raw.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| format!("config.{key}: {e}")),
        }
    }

    /// The pack's params (after any `--params` overrides).
    pub fn params(&self) -> Params<'_> {
        Params {
            map: self.raw.get("params").and_then(Value::as_object),
        }
    }
}

/// The pack's params as passed in `config.params`.
///
/// A param may arrive as a bare value (`16`, `"V-0"`) or as an object with a
/// `value` key (`{"value": 16, "unit": "%"}`); both are read the same way.
#[derive(Debug, Clone, Copy)]
pub struct Params<'a> {
    map: Option<&'a Map<String, Value>>,
}

impl<'a> Params<'a> {
    /// The raw value of a param, unwrapping `{"value": ...}`.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        let v = self.map?.get(name)?;
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
#[derive(Debug, Clone)]
pub struct Request {
    /// The rule to evaluate (one the plugin declared in `describe`).
    pub rule: String,
    /// The submission, typed.
    pub submission: Submission,
    /// The submission as JSON, parsed only if [`Request::raw_submission`] is called.
    raw: RawSubmission,
    /// The rule's config and the pack's params.
    pub config: Config,
    /// The evaluation date.
    pub date: Date,
    /// The report language.
    pub lang: Lang,
}

/// The submission's JSON: the wire text, parsed into a `Value` on first use
/// (most plugins only read the typed view, and parsing twice costs more
/// than the rest of a typical evaluation).
#[derive(Debug, Clone, Default)]
struct RawSubmission {
    text: Option<String>,
    value: OnceLock<Value>,
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
        let typed: Submission = serde_json::from_str(&submission).map_err(|e| {
            if e.is_data() {
                format!("submission: {e}")
            } else {
                format!("submission JSON: {e}")
            }
        })?;
        let config: Value = if config.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(config).map_err(|e| format!("config JSON: {e}"))?
        };
        let date = Date::parse(evaluation_date).map_err(|e| format!("evaluation date: {e}"))?;
        Ok(Request {
            rule: rule.to_owned(),
            submission: typed,
            raw: RawSubmission {
                text: Some(submission),
                value: OnceLock::new(),
            },
            config: Config::from_value(config)?,
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
                text: None,
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
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or(Value::Null)
        })
    }

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
