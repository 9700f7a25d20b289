//! Rule messages: templates with `{limit}`, `{expected}`, `{actual}` and
//! `{component}`, prepared once per rule and language.
//!
//! `{limit}` and `{expected}` are fixed when the pack is compiled; a message
//! that uses neither `{actual}` nor `{component}` is the same for every
//! finding and is shared, and one that does is assembled from its parts.

use std::borrow::Cow;
use std::fmt::Write;

use super::Actual;

/// A message, ready for findings.
#[derive(Debug)]
pub(crate) enum Message {
    /// The same for every finding.
    Fixed(String),
    /// Depends on the finding.
    Parts {
        /// For findings about the whole submission, made once.
        whole: String,
        parts: Vec<Part>,
        /// `{component}` outside brackets when there is no component.
        each_component: &'static str,
    },
}

/// A piece of a message template.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Text(String),
    Component,
    Actual,
}

impl Message {
    /// Prepares `template`: fills `{limit}` and `{expected}` (left as written when
    /// there is no value for them) and splits the rest.
    pub(crate) fn new(
        template: &str,
        expected: Option<&str>,
        limit: Option<&str>,
        each_component: &'static str,
    ) -> Message {
        let mut parts: Vec<Part> = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            text.push_str(&rest[..start]);
            let after = &rest[start..];
            let Some(end) = after.find('}') else {
                text.push_str(after);
                rest = "";
                break;
            };
            let placeholder = &after[..=end];
            match (&after[1..end], expected, limit) {
                ("expected", Some(value), _) | ("limit", _, Some(value)) => text.push_str(value),
                ("component", ..) => {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                    parts.push(Part::Component);
                }
                ("actual", ..) => {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                    parts.push(Part::Actual);
                }
                _ => text.push_str(placeholder),
            }
            rest = &after[end + 1..];
        }
        text.push_str(rest);
        parts.push(Part::Text(text));
        parts.retain(|p| *p != Part::Text(String::new()));
        if parts.iter().all(|p| matches!(p, Part::Text(_))) {
            let fixed: String = parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => t.as_str(),
                    _ => "",
                })
                .collect();
            return Message::Fixed(fixed);
        }
        let whole = render(&parts, None, None, each_component);
        Message::Parts {
            whole,
            parts,
            each_component,
        }
    }

    /// The message of one finding.
    pub(crate) fn render(&self, component: Option<&str>, actual: Option<&Actual>) -> Cow<'_, str> {
        match self {
            Message::Fixed(text) => Cow::Borrowed(text),
            Message::Parts {
                whole,
                parts,
                each_component,
            } => {
                if self.is_fixed_for(component.is_some(), actual.is_some()) {
                    return Cow::Borrowed(whole);
                }
                Cow::Owned(render(parts, component, actual, each_component))
            }
        }
    }

    /// Whether the message of a finding with (or without) a component and
    /// a value is the one made once ([`Message::fixed`]).
    pub(crate) fn is_fixed_for(&self, component: bool, actual: bool) -> bool {
        match self {
            Message::Fixed(_) => true,
            Message::Parts { parts, .. } => {
                !component && (!actual || !parts.contains(&Part::Actual))
            }
        }
    }

    /// The message made once: the same for every finding, or that of the
    /// findings about the whole submission.
    pub(crate) fn fixed(&self) -> &str {
        match self {
            Message::Fixed(text) | Message::Parts { whole: text, .. } => text,
        }
    }
}

/// The message of one finding. Without a component (a finding about the
/// whole submission, say), a `{component}` in brackets, as in `in any
/// homogeneous material ({component})`, is left out with its brackets, and
/// anywhere else reads `each_component`.
fn render(
    parts: &[Part],
    component: Option<&str>,
    actual: Option<&Actual>,
    each_component: &str,
) -> String {
    let mut out = String::with_capacity(160);
    let mut close: Option<char> = None;
    for part in parts {
        match part {
            Part::Text(text) => {
                let text = match close.take() {
                    Some(bracket) => text.strip_prefix(bracket).unwrap_or(text),
                    None => text.as_str(),
                };
                out.push_str(text);
            }
            Part::Component => match component {
                Some(component) => out.push_str(component),
                None => {
                    let opened = [(" (", ')'), ("(", ')'), ("（", '）')]
                        .into_iter()
                        .find(|(open, _)| out.ends_with(open));
                    match opened {
                        Some((open, bracket)) => {
                            out.truncate(out.len() - open.len());
                            close = Some(bracket);
                        }
                        None => out.push_str(each_component),
                    }
                }
            },
            Part::Actual => match actual {
                Some(actual) => {
                    let _ = write!(out, "{actual}");
                }
                None => out.push('—'),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn fixed_parts_are_filled_once() {
        let m = Message::new(
            "at most {limit} ({expected})",
            Some("≤ 5 %"),
            Some("5 %"),
            "each",
        );
        assert_eq!(&*m.render(Some("C1"), None), "at most 5 % (≤ 5 %)");
        assert!(matches!(m, Message::Fixed(_)));
    }

    #[test]
    fn component_and_actual_are_per_finding() {
        let m = Message::new(
            "{component} has {actual}; max {limit}",
            None,
            Some("5 %"),
            "each component",
        );
        let actual = Actual {
            value: serde_json::json!(7.5),
            unit: Some(Arc::from("%")),
            written: None,
            bound: None,
        };
        assert_eq!(
            &*m.render(Some("C2 lid"), Some(&actual)),
            "C2 lid has 7.5 %; max 5 %"
        );
        assert_eq!(&*m.render(None, None), "each component has —; max 5 %");
    }

    #[test]
    fn a_bracketed_component_is_left_out_of_a_whole_submission_message() {
        let en = Message::new(
            "Lead must not exceed {limit} in any homogeneous material ({component}).",
            None,
            Some("1000 mg/kg"),
            "each component",
        );
        assert_eq!(
            &*en.render(None, None),
            "Lead must not exceed 1000 mg/kg in any homogeneous material."
        );
        assert_eq!(
            &*en.render(Some("C1 housing"), None),
            "Lead must not exceed 1000 mg/kg in any homogeneous material (C1 housing)."
        );
        let zh = Message::new(
            "任一均质材料（{component}）中铅的含量不得超过 {limit}。",
            None,
            Some("1000 mg/kg"),
            "各组件",
        );
        assert_eq!(
            &*zh.render(None, None),
            "任一均质材料中铅的含量不得超过 1000 mg/kg。"
        );
        assert_eq!(
            &*zh.render(Some("C1 外壳"), None),
            "任一均质材料（C1 外壳）中铅的含量不得超过 1000 mg/kg。"
        );
    }

    #[test]
    fn unknown_placeholders_stay_as_written() {
        let m = Message::new("{limit} and {other} and {", None, None, "x");
        assert_eq!(&*m.render(None, None), "{limit} and {other} and {");
    }
}
