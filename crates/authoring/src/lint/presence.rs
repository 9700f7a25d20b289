//! A `when` that tests whether a measured value is present.
//!
//! `when: has(component.substances.pfas_total)` makes a rule
//! `not-applicable` to a product that gives no PFAS result: the product
//! passes without having been checked. A measurement that is missing must make
//! the rule's outcome `error` (the verdict `incomplete`), which is what
//! happens when `check` or `assert` reads a value that is absent. So a `when`
//! may test what the product *is* (`product.food_contact`,
//! `component.material.class`, `has(battery)`, `has(component.recycled)`:
//! a recycled-content claim is made), never whether a measurement was
//! reported: a substance, a property, a recycled share.
//!
//! Presence tests are `has(...)` and optional selection (`.?`, with
//! `hasValue()` or `orValue(...)`), read from the text of the expression.

use serde_json::Value as Json;

use super::{Level, Out, PackCx, rule_id};
use recert_core::diagnostic::{Code, Diagnostic};

/// The lint code.
pub(crate) const CODE: Code = Code::WhenTestsMeasurement;

/// Checks the `when` of every rule.
pub(crate) fn check(cx: &PackCx<'_>, out: &mut Out) {
    for (pointer, rule) in cx.rules() {
        let Some(when) = rule.get("when").and_then(Json::as_str) else {
            continue;
        };
        if let Some(tested) = measured_presence(when) {
            out.push(
                Level::Warning,
                Diagnostic::new(
                    CODE,
                    cx.locate(&format!("{pointer}/when")),
                    format!(
                        "rule `{}`: `when` tests whether the measured value `{tested}` is present, so a product that does not report it is `not-applicable` and passes unchecked",
                        rule_id(rule)
                    ),
                )
                .with_help(
                    "missing data must give outcome `error` (verdict incomplete): remove the presence test from `when` and let `check`/`assert` read the value; scope the rule by what the product is (`product.food_contact`, `component.material.class`), not by which results it reports",
                ),
            );
        }
    }
}

/// The first measured value whose presence `source` tests, as written
/// without `?` (`component.substances.lead`).
pub(crate) fn measured_presence(source: &str) -> Option<String> {
    let text: String = source.chars().filter(|c| !c.is_whitespace()).collect();
    for (at, chain) in chains(&text) {
        let before = &text[..at];
        let in_has = before.ends_with("has(") && !before.ends_with("_has(");
        let optional = chain.contains(".?");
        if (in_has || optional) && is_measured(&chain) {
            let mut tested = chain.replace(".?", ".");
            // `x.?y.orValue(0.0)`: the method is not part of the path.
            if let Some(path) = ["orValue", "hasValue", "value"]
                .iter()
                .find_map(|m| tested.strip_suffix(&format!(".{m}")))
            {
                tested = path.to_owned();
            }
            return Some(tested);
        }
    }
    None
}

/// Every chain of identifiers joined by `.` or `.?` in `text` (no
/// whitespace), with its byte offset.
fn chains(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let is_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes.get(i).copied().is_some_and(is_start)
            && (i == 0
                || !bytes.get(i - 1).copied().is_some_and(|b| {
                    is_word(b) || b == b'.' || b == b'?' || b == b'\'' || b == b'"'
                }));
        if !starts {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while bytes.get(i).copied().is_some_and(is_word) {
                i += 1;
            }
            let dot = match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(b'.'), Some(b'?'), Some(&b)) if is_start(b) => 2,
                (Some(b'.'), Some(&b), _) if is_start(b) => 1,
                _ => 0,
            };
            if dot == 0 {
                break;
            }
            i += dot;
        }
        found.push((start, text[start..i].to_owned()));
    }
    found
}

/// Whether a chain reaches a measured value: a substance, a property, a
/// recycled share, or the map of them.
fn is_measured(chain: &str) -> bool {
    let segments: Vec<&str> = chain
        .split('.')
        .map(|s| s.trim_start_matches('?'))
        .collect();
    segments
        .iter()
        .enumerate()
        .any(|(i, segment)| match *segment {
            "substances" | "properties" | "recycled_content" => i > 0,
            "recycled" => segments
                .get(i + 1)
                .is_some_and(|next| matches!(*next, "post_consumer" | "pre_consumer")),
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::measured_presence;

    #[test]
    fn presence_tests_of_measurements_are_found() {
        for (when, tested) in [
            (
                "has(component.substances.pfas_total)",
                "component.substances.pfas_total",
            ),
            (
                "product.food_contact && has(component.substances.pfas_any)",
                "component.substances.pfas_any",
            ),
            ("has(component.substances)", "component.substances"),
            (
                "component.?recycled.?post_consumer.orValue(0.0) > 0.0",
                "component.recycled.post_consumer",
            ),
            (
                "component.substances.?lead.hasValue()",
                "component.substances.lead",
            ),
            (
                "has(battery.recycled_content.cobalt)",
                "battery.recycled_content.cobalt",
            ),
            (
                "components.exists(c, has(c.properties.flammability))",
                "c.properties.flammability",
            ),
            (
                "has( component.properties.wall_thickness )",
                "component.properties.wall_thickness",
            ),
        ] {
            assert_eq!(measured_presence(when).as_deref(), Some(tested), "{when}");
        }
    }

    #[test]
    fn what_a_product_is_may_be_tested() {
        for when in [
            "product.food_contact",
            "has(component.recycled)",
            "has(battery)",
            "component.material.class == 'plastic'",
            "component.?recycled.?certificate.hasValue()",
            "product.?single_use_beverage_bottle.orValue(false)",
            // Reading a measurement (not testing its presence) is no presence test.
            "component.substances.lead > 0.0",
            "'substances.lead' != ''",
        ] {
            assert_eq!(measured_presence(when), None, "{when}");
        }
    }
}
