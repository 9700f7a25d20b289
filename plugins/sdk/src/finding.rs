//! Findings and the builder that makes them; the types themselves are the
//! plugin interface's (`recert-plugin-abi`).

use serde::Serialize;
use serde_json::Value;

use crate::{Lang, Outcome, Reference};

/// One conclusion about one place in the submission: the interface's
/// finding, its `actual` a JSON value.
pub type Finding = recert_plugin_abi::Finding<Value>;

/// Builds a [`Finding`]; start one with [`crate::Request::pass`] and friends.
#[derive(Debug, Clone)]
#[must_use = "call .build() to get the finding"]
pub struct FindingBuilder {
    finding: Finding,
    lang: Lang,
    /// The unit of a quantity `actual`.
    unit: Option<String>,
    /// What would make the finding pass, in the request's language.
    fix: Option<String>,
}

impl FindingBuilder {
    /// A finding for `rule` with `outcome` at `path`, messages in `lang`.
    pub fn new(rule: &str, outcome: Outcome, path: String, lang: Lang) -> FindingBuilder {
        FindingBuilder {
            finding: Finding {
                rule: rule.to_owned(),
                outcome,
                path,
                actual: None,
                expected: None,
                message: String::new(),
                reference: None,
            },
            lang,
            unit: None,
            fix: None,
        }
    }

    /// The outcome so far.
    pub fn outcome(&self) -> Outcome {
        self.finding.outcome
    }

    /// The language the message will be in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Replaces the outcome.
    pub fn with_outcome(mut self, outcome: Outcome) -> Self {
        self.finding.outcome = outcome;
        self
    }

    /// The value that was checked (a number, string or object). A value that
    /// cannot be represented as JSON becomes `null`.
    pub fn actual(mut self, value: impl Serialize) -> Self {
        self.finding.actual = Some(serde_json::to_value(value).unwrap_or(Value::Null));
        self
    }

    /// The value that was checked, a quantity in `unit` (canonical, e.g.
    /// `%`, `mg/kg`, `mm`): recert shows it as a pack's values, `12 %`.
    pub fn quantity(mut self, value: f64, unit: &str) -> Self {
        self = self.actual(value);
        self.unit = (!unit.is_empty()).then(|| unit.to_owned());
        self
    }

    /// What would make a failing finding pass, or what to measure or declare
    /// so that an `error` one can be decided (the report's "To fix"); the
    /// text for the request's language is kept, an empty one is ignored.
    /// Shown for `fail` and `error` findings only. Sent in `actual` as
    /// `{"value": ..., "unit": ..., "fix": ...}`, which recert reads as the
    /// value and the fix; a value that is an object or list is then sent as
    /// its JSON text.
    pub fn fix(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        let text = match self.lang {
            Lang::En => en.into(),
            Lang::Zh => zh.into(),
        };
        self.fix = (!text.is_empty()).then_some(text);
        self
    }

    /// [`FindingBuilder::fix`] with texts made on demand: only the one for
    /// the request's language is built (formatting both costs a plugin
    /// about as much as the rest of a finding).
    pub fn fix_with(mut self, en: impl FnOnce() -> String, zh: impl FnOnce() -> String) -> Self {
        let text = match self.lang {
            Lang::En => en(),
            Lang::Zh => zh(),
        };
        self.fix = (!text.is_empty()).then_some(text);
        self
    }

    /// The requirement in words, e.g. `≥ 16 %`.
    pub fn expected(mut self, text: impl Into<String>) -> Self {
        self.finding.expected = Some(text.into());
        self
    }

    /// The message; the text for the request's language is kept.
    pub fn message(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.finding.message = match self.lang {
            Lang::En => en.into(),
            Lang::Zh => zh.into(),
        };
        self
    }

    /// [`FindingBuilder::message`] with texts made on demand: only the one
    /// for the request's language is built.
    pub fn message_with(
        mut self,
        en: impl FnOnce() -> String,
        zh: impl FnOnce() -> String,
    ) -> Self {
        self.finding.message = match self.lang {
            Lang::En => en(),
            Lang::Zh => zh(),
        };
        self
    }

    /// A more precise clause than the rule's.
    pub fn reference(mut self, standard: impl Into<String>, clause: impl Into<String>) -> Self {
        self.finding.reference = Some(Reference::new(standard, clause));
        self
    }

    /// The finding.
    pub fn build(self) -> Finding {
        let mut finding = self.finding;
        if self.unit.is_none() && self.fix.is_none() {
            return finding;
        }
        let mut envelope = serde_json::Map::new();
        match finding.actual.take() {
            Some(value @ (Value::Number(_) | Value::String(_) | Value::Bool(_))) => {
                envelope.insert("value".into(), value);
            }
            Some(Value::Null) | None => {}
            Some(other) => {
                envelope.insert("value".into(), Value::String(other.to_string()));
            }
        }
        if let (Some(unit), true) = (self.unit, envelope.contains_key("value")) {
            envelope.insert("unit".into(), Value::String(unit));
        }
        if let Some(fix) = self.fix {
            envelope.insert("fix".into(), Value::String(fix));
        }
        finding.actual = (!envelope.is_empty()).then_some(Value::Object(envelope));
        finding
    }
}

impl From<FindingBuilder> for Finding {
    fn from(b: FindingBuilder) -> Finding {
        b.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_in_the_chosen_language() {
        let en = FindingBuilder::new("r", Outcome::Fail, "/battery".into(), Lang::En)
            .actual(12.0)
            .expected("≥ 16 %")
            .message("too low", "过低")
            .reference("Regulation (EU) 2023/1542", "Art. 8(2)(a)")
            .build();
        assert_eq!(en.rule, "r");
        assert_eq!(en.outcome, Outcome::Fail);
        assert_eq!(en.path, "/battery");
        assert_eq!(en.actual, Some(json!(12.0)));
        assert_eq!(en.expected.as_deref(), Some("≥ 16 %"));
        assert_eq!(en.message, "too low");
        assert_eq!(en.reference.unwrap().clause, "Art. 8(2)(a)");
        let zh = FindingBuilder::new("r", Outcome::Pass, String::new(), Lang::Zh)
            .message("ok", "符合")
            .build();
        assert_eq!(zh.message, "符合");
        assert_eq!(zh.actual, None);
    }

    #[test]
    fn quantity_and_fix_travel_in_actual() {
        let f = FindingBuilder::new("r", Outcome::Fail, "/battery".into(), Lang::Zh)
            .quantity(12.0, "%")
            .fix("Raise it.", "须提高。")
            .build();
        assert_eq!(
            f.actual,
            Some(json!({"value": 12.0, "unit": "%", "fix": "须提高。"}))
        );
        let f = FindingBuilder::new("r", Outcome::Error, "/battery".into(), Lang::En)
            .fix("Declare it.", "申报。")
            .build();
        assert_eq!(f.actual, Some(json!({"fix": "Declare it."})));
    }

    #[test]
    fn texts_made_on_demand_are_made_in_the_chosen_language_only() {
        let made = std::cell::RefCell::new(Vec::new());
        let text = |s: &str| {
            made.borrow_mut().push(s.to_owned());
            s.to_owned()
        };
        let zh = FindingBuilder::new("r", Outcome::Fail, "/battery".into(), Lang::Zh)
            .quantity(12.0, "%")
            .fix_with(|| text("Raise it."), || text("须提高。"))
            .message_with(|| text("too low"), || text("过低"))
            .build();
        assert_eq!(zh.message, "过低");
        assert_eq!(
            zh.actual,
            Some(json!({"value": 12.0, "unit": "%", "fix": "须提高。"}))
        );
        let en = FindingBuilder::new("r", Outcome::Error, String::new(), Lang::En)
            .fix_with(|| text(""), || text("申报。"))
            .message_with(|| text("missing"), || text("缺少"))
            .build();
        assert_eq!(en.message, "missing");
        // An empty fix is no fix, as with `fix`.
        assert_eq!(en.actual, None);
        assert_eq!(*made.borrow(), ["须提高。", "过低", "", "missing"]);
    }

    #[test]
    fn non_finite_actual_is_null() {
        let f = FindingBuilder::new("r", Outcome::Error, String::new(), Lang::En)
            .actual(f64::NAN)
            .build();
        assert_eq!(f.actual, Some(Value::Null));
    }

    #[test]
    fn outcome_spelling_matches_the_report() {
        assert_eq!(Outcome::NotInForce.as_str(), "not-in-force");
        assert_eq!(
            serde_json::to_value(Outcome::NotApplicable).unwrap(),
            json!("not-applicable")
        );
    }
}
