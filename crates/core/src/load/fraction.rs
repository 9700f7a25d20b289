//! Shares written as fractions: `post_consumer: 0.3` means 0.3 %, but a
//! submission whose every other share is above 1 % most likely meant 30 %.
//! A warning, not an error: 0.3 % is a valid share. Only recycled-content
//! shares are compared: a lab result such as `moisture: 0.08 %` is small by
//! nature and says nothing of how the shares were written.

use super::Doc;
use super::units::Dimension;
use super::{Source, Submission, locate, quantity_fields};
use crate::catalog::Catalog;
use crate::lang::Lang;
use crate::number::format_number;
use crate::{Code, Diagnostic};

/// A warning (`share-as-fraction`) for each recycled-content share of
/// `submission` between 0 and 1 (exclusive) when the submission has other
/// recycled-content shares and every one of them is above 1; located in
/// `source` when it is given.
pub fn share_warnings(
    submission: &Submission,
    source: Option<&Source>,
    lang: Lang,
) -> Vec<Diagnostic> {
    let mut shares = Vec::new();
    for (path, dimension) in quantity_fields() {
        if dimension == Dimension::Share && path.contains("recycled") {
            collect(&submission.normalized, &path, String::new(), &mut shares);
        }
    }
    // A field the schema names and also matches by a pattern (a battery's
    // `recycled_content.cobalt` and `recycled_content.*`) is one share.
    shares.sort_by(|a, b| a.0.cmp(&b.0));
    shares.dedup_by(|a, b| a.0 == b.0);
    let is_fraction = |v: f64| v > 0.0 && v < 1.0;
    let fractions = shares.iter().filter(|(_, v)| is_fraction(*v)).count();
    let others_above_1 = shares.iter().filter(|(_, v)| *v > 1.0).count();
    // Every share that is not a fraction is above 1, and there is one.
    if fractions == 0 || others_above_1 == 0 || fractions + others_above_1 != shares.len() {
        return Vec::new();
    }
    let texts = &Catalog::get(lang).warnings;
    shares
        .iter()
        .filter(|(_, v)| is_fraction(*v))
        .map(|(pointer, value)| {
            let location = match source {
                Some(source) => locate(source, pointer),
                None => crate::Location::new(submission.file.clone(), pointer.clone()),
            };
            let field = pointer.rsplit('/').next().unwrap_or_default();
            Diagnostic::new(
                Code::ShareAsFraction,
                location,
                (texts.share_as_fraction)(
                    field,
                    &format_number(*value),
                    &format_number(value * 100.0),
                ),
            )
            .with_help(texts.share_as_fraction_help)
        })
        .collect()
}

/// The numbers at `path` (`components[].recycled.post_consumer`, `*` for
/// every entry of a map) under `value`, with their JSON Pointers.
fn collect(value: &Doc, path: &str, pointer: String, out: &mut Vec<(String, f64)>) {
    if path.is_empty() {
        if let Some(n) = value.as_f64() {
            out.push((pointer, n));
        }
        return;
    }
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, list) = match head.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (head, false),
    };
    let Some(map) = value.as_object() else {
        return;
    };
    let entries: Vec<(&str, &Doc)> = if name == "*" {
        map.iter().collect()
    } else {
        map.get(name).map(|v| (name, v)).into_iter().collect()
    };
    for (key, inner) in entries {
        let here = format!("{pointer}/{}", super::pointer_escape(key));
        if list {
            for (i, item) in inner.as_array().into_iter().flatten().enumerate() {
                collect(item, rest, format!("{here}/{i}"), out);
            }
        } else {
            collect(inner, rest, here, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Format, load_submission};

    fn warnings(post: &str, pre: &str, cobalt: &str) -> Vec<String> {
        let text = format!(
            "schema: recert.submission/v1
id: T
applicant: {{ name: A }}
product: {{ name: P, sector: battery, markets: [EU] }}
components:
  - id: C1
    name: casing
    material: {{ class: plastic, polymer: PP }}
    mass: 1 kg
    recycled: {{ post_consumer: {post}, pre_consumer: {pre} }}
battery: {{ category: ev, recycled_content: {{ cobalt: {cobalt} }} }}
"
        );
        let source = Source::from_text("t.yaml", &text, Format::Yaml);
        let submission = load_submission(&source).unwrap();
        share_warnings(&submission, Some(&source), Lang::En)
            .into_iter()
            .map(|d| format!("{} {}", d.location.pointer, d.code))
            .collect()
    }

    #[test]
    fn only_a_fraction_among_percentages_is_warned_about() {
        assert_eq!(
            warnings("0.3", "5", "16"),
            ["/components/0/recycled/post_consumer share-as-fraction"]
        );
        assert_eq!(
            warnings("0.3", "0.05", "16").len(),
            2,
            "both fractions, the other share above 1"
        );
        // Another share of 1 or less: the submission may use small shares.
        assert!(warnings("0.3", "1", "16").is_empty());
        assert!(warnings("0.3", "0.2", "0.5").is_empty());
        // No fraction, or 0 (no recycled content): nothing to say.
        assert!(warnings("30", "5", "16").is_empty());
        assert!(warnings("0", "5", "16").is_empty());
    }

    #[test]
    fn a_battery_share_written_as_a_fraction_is_warned_about_once() {
        assert_eq!(
            warnings("30", "5", "0.16"),
            ["/battery/recycled_content/cobalt share-as-fraction"]
        );
    }

    #[test]
    fn a_small_lab_share_is_not_a_recycled_share_written_as_a_fraction() {
        let text = "schema: recert.submission/v1
id: T
applicant: { name: A }
product: { name: P, sector: electrical-electronic, markets: [EU] }
components:
  - id: C1
    name: housing
    material: { class: plastic, polymer: ABS }
    mass: 1 kg
    recycled: { post_consumer: 30 % }
    properties: { moisture: 0.08 %, ash: 1.1 % }
";
        let source = Source::from_text("t.yaml", text, Format::Yaml);
        let submission = load_submission(&source).unwrap();
        assert!(share_warnings(&submission, Some(&source), Lang::En).is_empty());
    }
}
