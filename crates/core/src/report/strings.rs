//! The words of the text and Markdown renderers, in each language.

use crate::lang::Lang;

use super::{Outcome, Severity, Verdict};

/// Labels used by the text and Markdown renderers.
#[derive(Debug)]
pub struct Strings {
    /// "recert report".
    pub report: &'static str,
    /// "Verdict".
    pub verdict: &'static str,
    /// "Submission".
    pub submission: &'static str,
    /// "Product".
    pub product: &'static str,
    /// "Evaluated as of".
    pub evaluated_at: &'static str,
    /// "Engine".
    pub engine: &'static str,
    /// "Found".
    pub found: &'static str,
    /// "Required".
    pub required: &'static str,
    /// "Clause".
    pub clause: &'static str,
    /// "Where".
    pub place: &'static str,
    /// "Rule".
    pub rule: &'static str,
    /// "Reason".
    pub reason: &'static str,
    /// "whole submission".
    pub whole: &'static str,
    /// "Packs".
    pub packs: &'static str,
    /// "Plugins".
    pub plugins: &'static str,
    /// "Params overridden".
    pub params: &'static str,
    /// "applies" / "does not apply".
    pub applies: (&'static str, &'static str),
    /// "Version".
    pub version: &'static str,
    /// "secondary source".
    pub secondary: &'static str,
    /// "(N places)".
    pub places: &'static str,
    /// "default".
    pub default: &'static str,
    /// "value".
    pub value: &'static str,
    /// "each component".
    pub each_component: &'static str,
    /// ": " or "：".
    pub colon: &'static str,
    /// ", " or "，".
    pub comma: &'static str,
    /// "(" or "（".
    pub open: &'static str,
    /// ")" or "）".
    pub close: &'static str,
    /// "pack does not apply".
    pub pack_not_applicable: &'static str,
    /// "rules".
    pub rules: &'static str,
    /// "warning", "warnings": failures of `warning` or `info` rules, in the summary line.
    pub warnings_word: (&'static str, &'static str),
    /// The heading of failed `warning` and `info` rules (they never fail the verdict).
    pub warnings_section: &'static str,
    /// "Coverage".
    pub coverage: &'static str,
    /// "no pack covers it".
    pub no_pack: &'static str,
    /// "sector".
    pub sector: &'static str,
    /// A bound computed per product, in words ("the limit that applies to the product").
    pub computed_limit: &'static str,
}

impl Strings {
    /// The labels in `lang`.
    pub fn get(lang: Lang) -> &'static Strings {
        match lang {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    /// The verdict in words.
    pub fn verdict_word(&self, verdict: Verdict) -> &'static str {
        match (std::ptr::eq(self, &ZH), verdict) {
            (false, Verdict::Pass) => "PASS",
            (false, Verdict::Fail) => "FAIL",
            (false, Verdict::Incomplete) => "INCOMPLETE",
            (true, Verdict::Pass) => "通过",
            (true, Verdict::Fail) => "不通过",
            (true, Verdict::Incomplete) => "不完整",
            (false, Verdict::NotCovered) => "NOT COVERED",
            (true, Verdict::NotCovered) => "未覆盖",
        }
    }

    /// What the verdict means, in one sentence.
    pub fn verdict_meaning(&self, verdict: Verdict) -> &'static str {
        match (std::ptr::eq(self, &ZH), verdict) {
            (false, Verdict::Pass) => "every applicable rule in force is met",
            (false, Verdict::Fail) => "at least one requirement is not met",
            (false, Verdict::Incomplete) => {
                "nothing failed, but some rules could not be evaluated; the product is not certified as passing"
            }
            (true, Verdict::Pass) => "所有适用且已生效的规则均满足",
            (true, Verdict::Fail) => "至少一项要求未满足",
            (true, Verdict::Incomplete) => "没有不合格项，但部分规则无法评估，因此不能判定为通过",
            (false, Verdict::NotCovered) => {
                "no rule of any loaded pack applies to this product: nothing was checked, so it does not pass"
            }
            (true, Verdict::NotCovered) => {
                "已加载的规则包中没有任何规则适用于本产品：未做任何检查，因此不能判定为通过"
            }
        }
    }

    /// A section heading for findings of `outcome`.
    pub fn section(&self, outcome: Outcome) -> &'static str {
        match (std::ptr::eq(self, &ZH), outcome) {
            (false, Outcome::Fail) => "Failed",
            (false, Outcome::Error) => "Could not be evaluated",
            (false, Outcome::Pass) => "Passed",
            (false, Outcome::NotInForce) => "Not in force on this date",
            (false, Outcome::NotApplicable) => "Not applicable",
            (true, Outcome::Fail) => "不合格",
            (true, Outcome::Error) => "无法评估",
            (true, Outcome::Pass) => "合格",
            (true, Outcome::NotInForce) => "在评估日期尚未生效或已失效",
            (true, Outcome::NotApplicable) => "不适用",
        }
    }

    /// An outcome in a few words, for tables.
    pub fn outcome_word(&self, outcome: Outcome) -> &'static str {
        match (std::ptr::eq(self, &ZH), outcome) {
            (false, Outcome::Fail) => "failed",
            (false, Outcome::Error) => "not evaluated",
            (false, Outcome::Pass) => "passed",
            (false, Outcome::NotInForce) => "not in force",
            (false, Outcome::NotApplicable) => "not applicable",
            (true, Outcome::Fail) => "不合格",
            (true, Outcome::Error) => "无法评估",
            (true, Outcome::Pass) => "合格",
            (true, Outcome::NotInForce) => "未生效",
            (true, Outcome::NotApplicable) => "不适用",
        }
    }

    /// `1 failed · 3 warnings · 0 not evaluated · 20 passed · 2 not in force · 25 not applicable`:
    /// failures of `error` severity are "failed", the others warnings.
    pub fn summary_line(&self, summary: &super::Summary) -> String {
        let mut parts = vec![format!(
            "{} {}",
            summary.fail_error,
            self.outcome_word(Outcome::Fail)
        )];
        let warnings = summary.fail - summary.fail_error;
        let (one, many) = self.warnings_word;
        parts.push(format!(
            "{warnings} {}",
            if warnings == 1 { one } else { many }
        ));
        parts.extend(
            [
                (summary.error, Outcome::Error),
                (summary.pass, Outcome::Pass),
                (summary.not_in_force, Outcome::NotInForce),
                (summary.not_applicable, Outcome::NotApplicable),
            ]
            .iter()
            .map(|(count, outcome)| format!("{count} {}", self.outcome_word(*outcome))),
        );
        parts.join(" · ")
    }

    /// A severity in words.
    pub fn severity_word(&self, severity: Severity) -> &'static str {
        match (std::ptr::eq(self, &ZH), severity) {
            (false, s) => s.as_str(),
            (true, Severity::Error) => "错误",
            (true, Severity::Warning) => "警告",
            (true, Severity::Info) => "提示",
        }
    }
}

static EN: Strings = Strings {
    report: "recert report",
    verdict: "Verdict",
    submission: "Submission",
    product: "Product",
    evaluated_at: "Evaluated as of",
    engine: "Engine",
    found: "found",
    required: "required",
    clause: "Clause",
    place: "Where",
    rule: "Rule",
    reason: "Reason",
    whole: "whole submission",
    packs: "Packs",
    plugins: "Plugins",
    params: "Params overridden",
    applies: ("applies", "does not apply"),
    version: "Version",
    secondary: "secondary source",
    places: "places",
    default: "default",
    value: "value",
    each_component: "each component",
    colon: ": ",
    comma: ", ",
    open: " (",
    close: ")",
    pack_not_applicable: "the pack does not apply to this product",
    rules: "rules",
    computed_limit: "the limit that applies to the product",
    warnings_word: ("warning", "warnings"),
    warnings_section: "Warnings",
    coverage: "Coverage",
    no_pack: "no pack covers it",
    sector: "sector",
};

static ZH: Strings = Strings {
    report: "recert 评估报告",
    verdict: "结论",
    submission: "提交资料",
    product: "产品",
    evaluated_at: "评估日期",
    engine: "引擎",
    found: "实测",
    required: "要求",
    clause: "条款",
    place: "位置",
    rule: "规则",
    reason: "原因",
    whole: "整份提交资料",
    packs: "规则包",
    plugins: "插件",
    params: "已覆盖的参数",
    applies: ("适用", "不适用"),
    version: "版本",
    secondary: "二手来源",
    places: "处",
    default: "默认值",
    value: "取值",
    each_component: "各组件",
    colon: "：",
    comma: "，",
    open: "（",
    close: "）",
    pack_not_applicable: "该规则包不适用于本产品",
    rules: "条规则",
    computed_limit: "适用于该产品的限值",
    warnings_word: ("警告", "警告"),
    warnings_section: "警告",
    coverage: "覆盖范围",
    no_pack: "没有规则包覆盖",
    sector: "行业",
};

impl Strings {
    /// `sector packaging · EU: eu-packaging · CN: no pack covers it`.
    pub fn coverage_line(&self, coverage: &super::Coverage) -> String {
        let mut parts = vec![format!(
            "{} {}",
            self.sector,
            coverage.sector.as_deref().unwrap_or("—")
        )];
        for market in &coverage.markets {
            let packs: Vec<&str> = coverage
                .packs
                .iter()
                .filter(|p| p.markets.contains(market))
                .map(|p| p.id.as_str())
                .collect();
            let by = if packs.is_empty() {
                self.no_pack.to_owned()
            } else {
                packs.join(self.comma)
            };
            parts.push(format!("{market}{}{by}", self.colon));
        }
        parts.join(" · ")
    }
}
