//! Helpers for the checks most rules make: thresholds, flammability classes,
//! effective dates and phased requirements.

use std::fmt;

use crate::finding::FindingBuilder;
use crate::{Date, Lang, Request};

/// Formats a number for a message: at most six decimals, no trailing zeros
/// (`16.0` → `16`, `0.0005` → `0.0005`, `7.25` → `7.25`).
pub fn fmt_number(value: f64) -> String {
    hundredths(value).unwrap_or_else(|| recert_plugin_abi::format_number(value))
}

/// What [`recert_plugin_abi::format_number`] writes for `value`, when
/// `value` is 1 or more in magnitude and a whole number of hundredths (the
/// masses, shares and thicknesses of a submission): that function then
/// writes 2 decimals without trailing zeros, and those are the digits of
/// `round(value * 100)`, since `value * 100` is within far less than half a
/// unit of that integer. Integer arithmetic only: a guest otherwise pays for
/// a `log10` and a fixed-precision float formatting of each number (the
/// casing rule of battery-casing, 10 components, went from 392 650 to
/// 362 023 fuel). `None` for any other value.
fn hundredths(value: f64) -> Option<String> {
    let magnitude = value.abs();
    if !(1.0..1e13).contains(&magnitude) {
        return None;
    }
    let scaled = value * 100.0;
    let rounded = scaled.round();
    if (scaled - rounded).abs() >= 1e-6 {
        return None;
    }
    // |rounded| < 1e15: exact in an i64.
    let hundredths = rounded as i64;
    let (whole, fraction) = (hundredths / 100, (hundredths % 100).unsigned_abs());
    let mut text = whole.to_string();
    if fraction != 0 {
        let (tens, ones) = (fraction / 10, fraction % 10);
        text.push('.');
        text.push(char::from(b'0' + tens as u8));
        if ones != 0 {
            text.push(char::from(b'0' + ones as u8));
        }
    }
    Some(text)
}

/// `value unit`, e.g. `16 %`, `5 mg/kg`; just the number when `unit` is empty.
pub fn fmt_quantity(value: f64, unit: &str) -> String {
    let mut text = fmt_number(value);
    if !unit.is_empty() {
        text.reserve(1 + unit.len());
        text.push(' ');
        text.push_str(unit);
    }
    text
}

/// A numeric requirement: `min <= value <= max`, either bound optional.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// Lowest allowed value, inclusive.
    pub min: Option<f64>,
    /// Highest allowed value, inclusive.
    pub max: Option<f64>,
    /// Canonical unit for display (`%`, `mg/kg`, ...); may be empty.
    pub unit: String,
}

impl Threshold {
    /// `value >= min`.
    pub fn at_least(min: f64, unit: &str) -> Threshold {
        Threshold {
            min: Some(min),
            max: None,
            unit: unit.to_owned(),
        }
    }

    /// `value <= max`.
    pub fn at_most(max: f64, unit: &str) -> Threshold {
        Threshold {
            min: None,
            max: Some(max),
            unit: unit.to_owned(),
        }
    }

    /// `min <= value <= max`.
    pub fn between(min: f64, max: f64, unit: &str) -> Threshold {
        Threshold {
            min: Some(min),
            max: Some(max),
            unit: unit.to_owned(),
        }
    }

    /// Whether `value` meets the requirement. NaN never does.
    pub fn is_met_by(&self, value: f64) -> bool {
        !value.is_nan()
            && self.min.is_none_or(|min| value >= min)
            && self.max.is_none_or(|max| value <= max)
    }

    /// The requirement in words, as recert writes it: `≥ 16 %`, `≤ 5 mg/kg`,
    /// `1 – 5 %`.
    pub fn expected(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{} – {}", fmt_number(a), fmt_quantity(b, &self.unit)),
            (Some(a), None) => format!("≥ {}", fmt_quantity(a, &self.unit)),
            (None, Some(b)) => format!("≤ {}", fmt_quantity(b, &self.unit)),
            (None, None) => "any value".to_owned(),
        }
    }

    /// A value with this threshold's unit, as a finding's `actual`:
    /// `{"value": 12.0, "unit": "%"}` (recert shows it as `12 %`).
    pub fn actual(&self, value: f64) -> serde_json::Value {
        serde_json::json!({ "value": value, "unit": self.unit })
    }

    /// What would make `value` meet this threshold, in English and Chinese
    /// (`Raise it from 12 % to ≥ 16 % (4 % more).`): a finding's fix, as
    /// [`Request::check_threshold`] gives a failing one.
    pub fn fix(&self, value: f64) -> (String, String) {
        (self.fix_in(value, Lang::En), self.fix_in(value, Lang::Zh))
    }

    /// [`Threshold::fix`] in `lang` only.
    fn fix_in(&self, value: f64, lang: Lang) -> String {
        let (verb, gap) = match (self.min, self.max) {
            (Some(min), _) if value < min => ("raise", min - value),
            (_, Some(max)) if value > max => ("lower", value - max),
            _ => return String::new(),
        };
        let have = fmt_quantity(value, &self.unit);
        let expected = self.expected();
        let gap = fmt_quantity(gap, &self.unit);
        match (lang, verb) {
            (Lang::En, "raise") => format!("Raise it from {have} to {expected} ({gap} more)."),
            (Lang::Zh, "raise") => format!("须由 {have} 提高至 {expected}（尚差 {gap}）。"),
            (Lang::En, _) => format!("Lower it from {have} to {expected} ({gap} less)."),
            (Lang::Zh, _) => format!("须由 {have} 降至 {expected}（需降低 {gap}）。"),
        }
    }
}

impl<S> Request<S> {
    /// A finding for a threshold check of `value` at `path`: `error` when the
    /// value is absent (never `pass`), else `pass` or `fail`; `actual` and
    /// `expected` are filled in. Add the message with
    /// [`FindingBuilder::message`], choosing by [`FindingBuilder::outcome`].
    pub fn check_threshold(
        &self,
        path: impl Into<String>,
        value: Option<f64>,
        threshold: &Threshold,
    ) -> FindingBuilder {
        let path = path.into();
        let builder = match value {
            None => {
                let field = path.trim_start_matches('/').replace('/', ".");
                self.error(path).fix_with(
                    || format!("Declare `{field}` in the submission."),
                    || format!("请在提交资料中申报 `{field}`。"),
                )
            }
            Some(v) if threshold.is_met_by(v) => self.pass(path).quantity(v, &threshold.unit),
            Some(v) => self.fail(path).quantity(v, &threshold.unit).fix_with(
                || threshold.fix_in(v, Lang::En),
                || threshold.fix_in(v, Lang::Zh),
            ),
        };
        builder.expected(threshold.expected())
    }
}

/// A UL 94 / IEC 60695-11-10 / GB/T 2408 flammability class, in the order
/// UL 94 lists them: `HB`, `V-2`, `V-1`, `V-0`, `5VB`, `5VA`.
///
/// The classes come from three tests (STANDARDS K1–K6): HB from the
/// horizontal burning test (K5); V-2, V-1, V-0 from the vertical test with
/// the 20 mm (50 W) flame (UL 94 §8): V-2 allows flaming drips that ignite
/// the cotton, V-1 does not (K2, K3), V-0 has shorter afterflame limits
/// than V-1 (K1, K2); 5VB and 5VA from the 500 W flame test on bars and
/// plaques (§9), 5VA also forbidding burn-through of the plaque (K4).
///
/// The listing order (`Ord`) is not "meets": a 5V class says nothing about
/// the 20 mm test and a V class nothing about the 500 W test, so compare a
/// class with a requirement with [`FlammabilityClass::against`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlammabilityClass {
    /// Horizontal burning.
    Hb,
    /// Vertical burning, flaming drips allowed.
    V2,
    /// Vertical burning, no igniting drips, afterflame ≤ 30 s.
    V1,
    /// Vertical burning, no igniting drips, afterflame ≤ 10 s.
    V0,
    /// 500 W flame, burn-through of the plaque allowed.
    FiveVb,
    /// 500 W flame, no burn-through.
    FiveVa,
}

impl FlammabilityClass {
    /// Every class, least demanding first.
    pub const ALL: [FlammabilityClass; 6] = [
        FlammabilityClass::Hb,
        FlammabilityClass::V2,
        FlammabilityClass::V1,
        FlammabilityClass::V0,
        FlammabilityClass::FiveVb,
        FlammabilityClass::FiveVa,
    ];

    /// Reads a class as labs write it: case, spaces and the hyphen do not
    /// matter, and a leading `UL 94`/`UL94` is ignored (`V-0`, `v0`,
    /// `UL 94 V-0`, `5VA`, `HB`). Sub-classes `HB40`/`HB75` (IEC
    /// 60695-11-10) read as `HB`. Anything else is `None`.
    pub fn parse(text: &str) -> Option<FlammabilityClass> {
        let mut s: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_uppercase();
        if let Some(rest) = s.strip_prefix("UL94") {
            s = rest.to_owned();
        }
        match s.as_str() {
            "HB" | "HB40" | "HB75" => Some(FlammabilityClass::Hb),
            "V2" => Some(FlammabilityClass::V2),
            "V1" => Some(FlammabilityClass::V1),
            "V0" => Some(FlammabilityClass::V0),
            "5VB" => Some(FlammabilityClass::FiveVb),
            "5VA" => Some(FlammabilityClass::FiveVa),
            _ => None,
        }
    }

    /// The canonical spelling: `HB`, `V-2`, `V-1`, `V-0`, `5VB`, `5VA`.
    pub fn as_str(self) -> &'static str {
        match self {
            FlammabilityClass::Hb => "HB",
            FlammabilityClass::V2 => "V-2",
            FlammabilityClass::V1 => "V-1",
            FlammabilityClass::V0 => "V-0",
            FlammabilityClass::FiveVb => "5VB",
            FlammabilityClass::FiveVa => "5VA",
        }
    }

    /// The UL 94 test the class comes from.
    pub fn test(self) -> Ul94Test {
        match self {
            FlammabilityClass::Hb => Ul94Test::Horizontal,
            FlammabilityClass::V2 | FlammabilityClass::V1 | FlammabilityClass::V0 => {
                Ul94Test::Vertical20mm
            }
            FlammabilityClass::FiveVb | FlammabilityClass::FiveVa => Ul94Test::Vertical500W,
        }
    }

    /// How this class compares with a `required` class, as UL 94 ranks them:
    ///
    /// - within one test, the more demanding class meets the less demanding
    ///   one (`V-0` meets `V-1`; `5VA` meets `5VB`);
    /// - `HB` is the lowest class: it meets only an `HB` requirement, and
    ///   every other class meets an `HB` requirement;
    /// - a `V` class against a `5V` requirement, or a `5V` class against a
    ///   `V` requirement, is [`Rating::OtherTest`]: the rating does not say
    ///   how the part does in the test the requirement names.
    pub fn against(self, required: FlammabilityClass) -> Rating {
        use Ul94Test::{Horizontal, Vertical20mm, Vertical500W};
        match (self.test(), required.test()) {
            (_, Horizontal) => Rating::Meets,
            (Horizontal, _) => Rating::Below,
            (Vertical20mm, Vertical20mm) | (Vertical500W, Vertical500W) => {
                if self >= required {
                    Rating::Meets
                } else {
                    Rating::Below
                }
            }
            (Vertical20mm, Vertical500W) | (Vertical500W, Vertical20mm) => Rating::OtherTest,
        }
    }

    /// Whether this class meets `required` ([`FlammabilityClass::against`]
    /// gives [`Rating::Meets`]).
    pub fn meets(self, required: FlammabilityClass) -> bool {
        self.against(required) == Rating::Meets
    }
}

/// The UL 94 test a class comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ul94Test {
    /// Horizontal burning (HB; UL 94 §7, IEC 60695-11-10 method A).
    Horizontal,
    /// Vertical burning with the 20 mm (50 W) flame (V-2, V-1, V-0; §8).
    Vertical20mm,
    /// Vertical burning with the 125 mm (500 W) flame, bars and plaques
    /// (5VB, 5VA; §9).
    Vertical500W,
}

/// A class compared with a requirement ([`FlammabilityClass::against`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    /// The class is the required one or a more demanding one of the same test.
    Meets,
    /// The class is less demanding than the required one.
    Below,
    /// The class comes from another test than the required one.
    OtherTest,
}

impl fmt::Display for FlammabilityClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `effective` window: `from` is the first day in force, `until` the first
/// day no longer in force; either may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Effective {
    /// First day in force.
    pub from: Option<Date>,
    /// First day no longer in force.
    pub until: Option<Date>,
}

impl Effective {
    /// In force from `date` on.
    pub const fn from(date: Date) -> Effective {
        Effective {
            from: Some(date),
            until: None,
        }
    }

    /// Whether the window contains `date`.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| date >= f) && self.until.is_none_or(|u| date < u)
    }

    /// The window in words, e.g. `from 2031-08-18`.
    pub fn describe(&self, lang: crate::Lang) -> String {
        match (self.from, self.until, lang) {
            (Some(f), Some(u), crate::Lang::En) => format!("from {f} until {u}"),
            (Some(f), Some(u), crate::Lang::Zh) => format!("自 {f} 起至 {u} 前"),
            (Some(f), None, crate::Lang::En) => format!("from {f}"),
            (Some(f), None, crate::Lang::Zh) => format!("自 {f} 起"),
            (None, Some(u), crate::Lang::En) => format!("until {u}"),
            (None, Some(u), crate::Lang::Zh) => format!("{u} 前"),
            (None, None, crate::Lang::En) => "always".to_owned(),
            (None, None, crate::Lang::Zh) => "始终".to_owned(),
        }
    }
}

impl<S> Request<S> {
    /// `None` when `window` contains the evaluation date; otherwise a
    /// `not-in-force` finding at `path` stating the window, to return as is
    /// (add a message if you like).
    pub fn gate(&self, window: Effective, path: impl Into<String>) -> Option<FindingBuilder> {
        if window.contains(self.date) {
            return None;
        }
        let when = window.describe(self.lang);
        let builder = self.not_in_force(path).expected(when.clone());
        Some(builder.message(
            format!("Not in force on {}: applies {when}.", self.date),
            format!("{} 尚未生效或已失效：适用期间为{when}。", self.date),
        ))
    }
}

/// The phase of a phased requirement in force on `date`: the entry with the
/// latest start that is not after `date`, or `None` before the first phase.
/// `phases` may be in any order.
pub fn phase_at<T>(date: Date, phases: &[(Date, T)]) -> Option<&(Date, T)> {
    phases
        .iter()
        .filter(|(start, _)| *start <= date)
        .max_by_key(|(start, _)| *start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Outcome};
    use serde_json::json;

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_number(16.0), "16");
        assert_eq!(fmt_number(0.0005), "0.0005");
        assert_eq!(fmt_number(7.25), "7.25");
        assert_eq!(fmt_number(0.1 + 0.2), "0.3");
        assert_eq!(fmt_number(-0.0), "0");
        assert_eq!(fmt_number(14.2941), "14.29");
        assert_eq!(fmt_number(-2.5), "-2.5");
        assert_eq!(fmt_number(1.18), "1.18");
        assert_eq!(fmt_number(2.675), "2.67");
    }

    #[test]
    fn fmt_number_writes_what_the_report_writes() {
        // The fast path for whole hundredths against the general formatter,
        // over values on and off the hundredths, either side of 1, and near
        // the rounding boundaries of 2 decimals.
        let mut values = vec![
            1.0,
            -1.0,
            0.995,
            1.005,
            1.015,
            2.675,
            1e13,
            1e13 - 0.01,
            123_456.785,
        ];
        for i in -300_000..300_000_i64 {
            let x = i as f64;
            values.extend([x / 100.0, x / 1000.0, x / 7.0, x * 1.001, x / 100.0 + 1e-7]);
        }
        for v in values {
            assert_eq!(fmt_number(v), recert_plugin_abi::format_number(v), "{v:?}");
        }
        assert_eq!(fmt_quantity(85.0, "%"), "85 %");
        assert_eq!(fmt_quantity(2.0, ""), "2");
    }

    #[test]
    fn thresholds_check_and_describe() {
        let t = Threshold::at_least(16.0, "%");
        assert_eq!(t.expected(), "≥ 16 %");
        assert!(t.is_met_by(16.0) && t.is_met_by(30.0) && !t.is_met_by(15.99));
        assert!(!t.is_met_by(f64::NAN));
        let m = Threshold::at_most(5.0, "mg/kg");
        assert_eq!(m.expected(), "≤ 5 mg/kg");
        assert!(m.is_met_by(5.0) && !m.is_met_by(5.01));
        let b = Threshold::between(1.0, 5.0, "%");
        assert_eq!(b.expected(), "1 – 5 %");
        assert!(b.is_met_by(3.0) && !b.is_met_by(0.5) && !b.is_met_by(6.0));
    }

    fn req() -> Request {
        Request::new(
            "r",
            json!({"product": {"sector": "battery"}}),
            json!({}),
            Date::ymd(2032, 1, 1),
            Lang::En,
        )
        .unwrap()
    }

    #[test]
    fn missing_value_is_an_error_not_a_pass() {
        let r = req();
        let t = Threshold::at_least(16.0, "%");
        let f = r.check_threshold("/x", None, &t).build();
        assert_eq!(f.outcome, Outcome::Error);
        assert_eq!(f.expected.as_deref(), Some("≥ 16 %"));
        assert_eq!(
            f.actual,
            Some(json!({"fix": "Declare `x` in the submission."}))
        );
        let f = r.check_threshold("/x", Some(12.0), &t).build();
        assert_eq!(
            (f.outcome, f.actual),
            (
                Outcome::Fail,
                Some(
                    json!({"value": 12.0, "unit": "%", "fix": "Raise it from 12 % to ≥ 16 % (4 % more)."})
                )
            )
        );
        let f = r.check_threshold("/x", Some(16.0), &t).build();
        assert_eq!(f.outcome, Outcome::Pass);
    }

    #[test]
    fn flammability_ranks_hb_to_5va() {
        use FlammabilityClass::*;
        let parsed: Vec<_> = ["HB", "V-2", "V-1", "V-0", "5VB", "5VA"]
            .iter()
            .map(|s| FlammabilityClass::parse(s).unwrap())
            .collect();
        assert_eq!(parsed, FlammabilityClass::ALL);
        assert!(Hb < V2 && V2 < V1 && V1 < V0 && V0 < FiveVb && FiveVb < FiveVa);
        assert!(V0.meets(V0) && V0.meets(V1) && !V1.meets(V0) && !Hb.meets(V2));
        assert!(FiveVa.meets(FiveVb) && !FiveVb.meets(FiveVa) && V2.meets(Hb) && FiveVb.meets(Hb));
        // 5VA/5VB (500 W test) and V-0/V-1/V-2 (20 mm test) do not imply each other.
        assert_eq!(FiveVa.against(V1), Rating::OtherTest);
        assert_eq!(V0.against(FiveVb), Rating::OtherTest);
        assert_eq!(Hb.against(FiveVb), Rating::Below);
        assert!(!FiveVa.meets(V2));
        for (text, class) in [
            ("v0", V0),
            ("V 0", V0),
            ("UL 94 V-1", V1),
            ("ul94-5va", FiveVa),
            ("HB75", Hb),
        ] {
            assert_eq!(FlammabilityClass::parse(text), Some(class), "{text}");
        }
        for bad in ["V-3", "", "5V", "VTM-0", "A2"] {
            assert_eq!(FlammabilityClass::parse(bad), None, "{bad}");
        }
        for c in FlammabilityClass::ALL {
            assert_eq!(FlammabilityClass::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn effective_windows_and_gate() {
        let w = Effective::from(Date::ymd(2031, 8, 18));
        assert!(!w.contains(Date::ymd(2031, 8, 17)));
        assert!(w.contains(Date::ymd(2031, 8, 18)));
        let both = Effective {
            from: Some(Date::ymd(2024, 1, 1)),
            until: Some(Date::ymd(2025, 1, 1)),
        };
        assert!(both.contains(Date::ymd(2024, 12, 31)) && !both.contains(Date::ymd(2025, 1, 1)));
        let r = req(); // 2032-01-01
        assert!(r.gate(w, "/battery").is_none());
        let f = r
            .gate(Effective::from(Date::ymd(2036, 8, 18)), "/battery")
            .unwrap()
            .build();
        assert_eq!(f.outcome, Outcome::NotInForce);
        assert_eq!(f.expected.as_deref(), Some("from 2036-08-18"));
        assert!(f.message.contains("2036-08-18"));
    }

    #[test]
    fn phases_pick_the_latest_started() {
        let phases = [
            (Date::ymd(2036, 8, 18), 26.0),
            (Date::ymd(2031, 8, 18), 16.0),
        ];
        assert!(phase_at(Date::ymd(2031, 8, 17), &phases).is_none());
        assert_eq!(phase_at(Date::ymd(2031, 8, 18), &phases).unwrap().1, 16.0);
        assert_eq!(phase_at(Date::ymd(2036, 8, 17), &phases).unwrap().1, 16.0);
        assert_eq!(phase_at(Date::ymd(2036, 8, 18), &phases).unwrap().1, 26.0);
    }
}
