//! Simple CEL conditions in words: `product.sector == 'packaging' && 'EU' in
//! product.markets` → "`product.sector` is `packaging` and `product.markets`
//! includes `EU`". Only conjunctions of a few plain forms are put into words;
//! anything else is shown as the expression alone.

use recert_core::catalog::{Catalog, Docs};
use recert_core::lang::Lang;

/// The condition in words, when every part of it is one of the plain forms:
/// `PATH == 'v'`, `PATH != 'v'`, `'v' in PATH`, `PATH`, `!PATH`, `has(PATH)`.
pub(crate) fn phrase(source: &str, lang: Lang) -> Option<String> {
    let words = &Catalog::get(lang).docs;
    let parts = split_and(source)?;
    let mut phrases = Vec::with_capacity(parts.len());
    for part in parts {
        phrases.push(one(part.trim(), words)?);
    }
    Some(phrases.join(words.and))
}

fn one(part: &str, words: &Docs) -> Option<String> {
    let part = strip_parens(part);
    if let Some((left, right)) = part.split_once("==") {
        let (path, value) = (path(left.trim())?, literal(right.trim())?);
        return Some(format!("`{path}` {} {value}", words.is));
    }
    if let Some((left, right)) = part.split_once("!=") {
        let (path, value) = (path(left.trim())?, literal(right.trim())?);
        return Some(format!("`{path}` {} {value}", words.is_not));
    }
    if let Some((left, right)) = part.split_once(" in ") {
        let (value, path) = (literal(left.trim())?, path(right.trim())?);
        return Some(format!("`{path}` {} {value}", words.includes));
    }
    if let Some(inner) = part.strip_prefix("has(").and_then(|p| p.strip_suffix(')')) {
        let path = path(inner.trim())?;
        return Some(format!("`{path}` {}", words.is_given));
    }
    if let Some(inner) = part.strip_prefix('!') {
        let path = path(inner.trim())?;
        return Some(format!("`{path}` {}", words.is_false));
    }
    let path = path(part)?;
    Some(format!("`{path}` {}", words.is_true))
}

/// `(x)` → `x`, when the parentheses enclose the whole.
fn strip_parens(part: &str) -> &str {
    let mut part = part.trim();
    while let Some(inner) = part.strip_prefix('(').and_then(|p| p.strip_suffix(')')) {
        if !balanced(inner) {
            break;
        }
        part = inner.trim();
    }
    part
}

/// Whether the parentheses of `text` balance.
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The parts of `a && b && c` at the top level; `None` when the expression
/// has `||`, a ternary or a comprehension at the top level.
fn split_and(source: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut chars = source.char_indices().peekable();
    let mut previous = ' ';
    while let Some((i, c)) = chars.next() {
        let after_dot = previous == '.';
        previous = c;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, '&') if depth == 0 && chars.peek().map(|(_, n)| *n) == Some('&') => {
                parts.push(source.get(start..i)?);
                chars.next();
                start = i + 2;
            }
            // `?` after a dot is an optional selection, not a ternary.
            (None, '?') if depth == 0 && !after_dot => return None,
            (None, '|') if depth == 0 => return None,
            _ => {}
        }
    }
    parts.push(source.get(start..)?);
    Some(parts)
}

/// A plain dotted path on one of recert's variables, optional selections
/// written as plain ones.
fn path(text: &str) -> Option<String> {
    let text = text.trim();
    let plain = text.replace(".?", ".");
    let mut segments = plain.split('.');
    let root = segments.next()?;
    if !recert_core::expr::VARIABLES.contains(&root) || root == "params" {
        return None;
    }
    let ok = plain.split('.').all(|s| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    });
    ok.then_some(plain)
}

/// A string, bool or number literal, shown in code.
fn literal(text: &str) -> Option<String> {
    let text = text.trim();
    let quoted = |q: char| text.strip_prefix(q).and_then(|t| t.strip_suffix(q));
    if let Some(inner) = quoted('\'').or_else(|| quoted('"')) {
        if inner.contains(['\'', '"', '\\']) {
            return None;
        }
        return Some(format!("`{inner}`"));
    }
    if text == "true" || text == "false" || text.parse::<f64>().is_ok() {
        return Some(format!("`{text}`"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_conditions_in_words() {
        let en = Lang::En;
        assert_eq!(
            phrase(
                "product.sector == 'packaging' && 'EU' in product.markets",
                en
            )
            .as_deref(),
            Some("`product.sector` is `packaging`, and `product.markets` includes `EU`")
        );
        assert_eq!(
            phrase(
                "battery.category == 'portable' && !product.?food_contact",
                en
            )
            .as_deref(),
            Some("`battery.category` is `portable`, and `product.food_contact` is false")
        );
        let zh = Lang::Zh;
        assert_eq!(
            phrase("product.sector == 'battery' && 'EU' in product.markets", zh).as_deref(),
            Some("`product.sector` 为 `battery`，且 `product.markets` 包含 `EU`")
        );
    }

    #[test]
    fn anything_else_has_no_words() {
        let en = Lang::En;
        assert_eq!(phrase("a == 'x' || product.sector == 'x'", en), None);
        assert_eq!(phrase("components.exists(c, c.mass > 1.0)", en), None);
        assert_eq!(
            phrase("battery.?chemistry.orValue('') != 'zinc-air'", en),
            None
        );
        assert_eq!(phrase("params.x == 1.0", en), None);
    }
}
