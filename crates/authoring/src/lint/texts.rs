//! Bilingual texts: both languages written, and not the same text twice.
//!
//! The schema already requires `en` and `zh` and refuses empty strings; this
//! catches what it lets through: a blank text, a Chinese text copied from the
//! English one, and texts in the wrong script.

use serde_json::Value as Json;

use super::{Level, Out, PackCx, rule_id};
use recert_core::diagnostic::{Code, Diagnostic};
use recert_core::load::pointer_escape;

/// What a text is, for the checks that depend on it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Sentences or a rule's or pack's title: the Chinese must be Chinese.
    Prose,
    /// A standard's or param's title, which may be a name in Latin letters
    /// in both languages (`UL 94`).
    Name,
}

/// Checks every `{en, zh}` text of the pack.
pub(crate) fn check(cx: &PackCx<'_>, out: &mut Out) {
    let json = cx.json;
    text(
        cx,
        out,
        json.get("title"),
        "/title",
        "the pack's `title`",
        Kind::Prose,
    );
    text(
        cx,
        out,
        json.get("description"),
        "/description",
        "the pack's `description`",
        Kind::Prose,
    );
    if let Some(standards) = json.get("standards").and_then(Json::as_array) {
        for (i, standard) in standards.iter().enumerate() {
            let id = standard.get("id").and_then(Json::as_str).unwrap_or("?");
            text(
                cx,
                out,
                standard.get("title"),
                &format!("/standards/{i}/title"),
                &format!("the `title` of standard `{id}`"),
                Kind::Name,
            );
        }
    }
    if let Some(params) = json.get("params").and_then(Json::as_object) {
        for (name, param) in params {
            text(
                cx,
                out,
                param.get("title"),
                &format!("/params/{}/title", pointer_escape(name)),
                &format!("the `title` of param `{name}`"),
                Kind::Name,
            );
        }
    }
    for (pointer, rule) in cx.rules() {
        let id = rule_id(rule);
        for field in ["title", "message", "description", "expected"] {
            text(
                cx,
                out,
                rule.get(field),
                &format!("{pointer}/{field}"),
                &format!("the `{field}` of rule `{id}`"),
                Kind::Prose,
            );
        }
    }
}

fn text(
    cx: &PackCx<'_>,
    out: &mut Out,
    value: Option<&Json>,
    pointer: &str,
    what: &str,
    kind: Kind,
) {
    let Some(value) = value else { return };
    let en = value.get("en").and_then(Json::as_str);
    let zh = value.get("zh").and_then(Json::as_str);
    let mut warn = |code: Code, at: &str, message: String, help: &str| {
        out.push(
            Level::Warning,
            Diagnostic::new(code, cx.locate(at), message).with_help(help),
        );
    };
    for (lang, text) in [("en", en), ("zh", zh)] {
        if let Some(text) = text
            && !text.is_empty()
            && text.trim().is_empty()
        {
            warn(
                Code::EmptyText,
                &format!("{pointer}/{lang}"),
                format!("{what} is blank in `{lang}`"),
                "write the text in both languages; reports and docs show it",
            );
        }
    }
    let (Some(en), Some(zh)) = (en, zh) else {
        return;
    };
    let (en, zh) = (en.trim(), zh.trim());
    if en.is_empty() || zh.is_empty() {
        return;
    }
    if en == zh {
        warn(
            Code::Untranslated,
            &format!("{pointer}/zh"),
            format!("{what} is the same in English and Chinese: `{}`", short(en)),
            "translate `zh`; a Chinese report would show the English text",
        );
        return;
    }
    if kind == Kind::Prose && !zh.chars().any(is_cjk) {
        warn(
            Code::Untranslated,
            &format!("{pointer}/zh"),
            format!("{what} has no Chinese characters in `zh`: `{}`", short(zh)),
            "translate `zh`",
        );
    }
    if en.chars().any(is_cjk) && !zh.chars().any(is_cjk) {
        warn(
            Code::WrongLanguage,
            &format!("{pointer}/en"),
            format!("{what} has Chinese characters in `en` and none in `zh`: are the two swapped?"),
            "`en` is English, `zh` Simplified Chinese",
        );
    }
}

/// The first few words of a text, for a message.
fn short(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// A CJK ideograph (the Chinese of `zh` texts).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}')
}
