//! A reading of CEL source text for the field paths that
//! [`Expr::field_paths`](recert_core::expr::Expr::field_paths) and
//! [`Expr::element_paths`](recert_core::expr::Expr::element_paths) do not give:
//! the field a `has()` tests (`has(product.contact_sensitive)`), optional
//! selections (`product.?single_use_beverage_bottle.orValue(false)`), and
//! fields of list elements reached through another macro
//! (`components.filter(c, ...).map(c, c.mass)`) or an index
//! (`components[0].mass`).
//!
//! It works on tokens, not on the syntax tree (only `expr` touches the CEL
//! crate), so it only reports what it is sure of: chains of field selections
//! that start at one of recert's variables or at a variable a macro binds to
//! the elements of a known list.

use recert_core::expr::VARIABLES;

/// One step of a path from a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A field, and where its name starts in the expression (byte offset).
    Field(String, usize),
    /// An element of a list.
    Elem,
}

/// A path from one of recert's variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path {
    /// The variable (`component`, `product`, ...).
    pub root: String,
    /// The steps.
    pub segs: Vec<Seg>,
}

impl Path {
    fn with(&self, seg: Seg) -> Path {
        let mut path = self.clone();
        path.segs.push(seg);
        path
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str, usize),
    Dot,
    QDot,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Other,
}

/// The macros that bind a variable to each element of the list they are
/// called on; `filter` gives a list of the same elements.
const BINDING_MACROS: &[&str] = &["all", "exists", "exists_one", "map", "filter", "sortBy"];

/// Every path the expression reads from a variable, as far as the text tells.
pub(crate) fn paths(source: &str) -> Vec<Path> {
    let tokens = lex(source);
    let mut found = Vec::new();
    // Open brackets: what the call or index will give when it closes.
    let mut frames: Vec<Frame> = Vec::new();
    // Variables bound by macros: name, the element path, the frame depth that binds it.
    let mut bound: Vec<(String, Path, usize)> = Vec::new();
    let mut i = 0;
    while let Some(tok) = tokens.get(i) {
        match tok {
            Tok::Ident(name, _) if !follows_dot(&tokens, i) => {
                // A function call (`has(`, `sum(`) is not a path.
                if tokens.get(i + 1) == Some(&Tok::LParen) {
                    frames.push(Frame { result: None });
                    i += 2;
                    continue;
                }
                let base = bound
                    .iter()
                    .rev()
                    .find(|(n, ..)| n == name)
                    .map(|(_, p, _)| p.clone())
                    .or_else(|| {
                        VARIABLES.contains(name).then(|| Path {
                            root: (*name).to_owned(),
                            segs: Vec::new(),
                        })
                    });
                i = chain(&tokens, i + 1, base, &mut found, &mut frames, &mut bound);
                continue;
            }
            Tok::RParen | Tok::RBracket => {
                let depth = frames.len();
                bound.retain(|(.., d)| *d < depth);
                // What the bracket gave, if known.
                let closed = frames.pop().and_then(|frame| frame.result);
                // `).map(c, ...)`, `].mass`: a chain on what the bracket gave.
                if matches!(
                    tokens.get(i + 1),
                    Some(Tok::Dot | Tok::QDot | Tok::LBracket)
                ) {
                    i = chain(&tokens, i + 1, closed, &mut found, &mut frames, &mut bound);
                    continue;
                }
            }
            Tok::LParen | Tok::LBracket => frames.push(Frame { result: None }),
            _ => {}
        }
        i += 1;
    }
    found
}

/// An open bracket: a call or an index.
struct Frame {
    /// What it gives when it closes, if known: the list a `filter` gives, or
    /// the element an index gives.
    result: Option<Path>,
}

fn follows_dot(tokens: &[Tok<'_>], i: usize) -> bool {
    i > 0 && matches!(tokens.get(i - 1), Some(Tok::Dot | Tok::QDot))
}

/// Reads `.a.?b.c` from token `i` on, starting at `base`; records the path,
/// and opens the bracket of a method call or index that ends it. Returns the
/// index of the next token to read.
fn chain(
    tokens: &[Tok<'_>],
    mut i: usize,
    base: Option<Path>,
    found: &mut Vec<Path>,
    frames: &mut Vec<Frame>,
    bound: &mut Vec<(String, Path, usize)>,
) -> usize {
    let mut path = base;
    loop {
        match (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2)) {
            // `.name(`: a method call on the path so far.
            (Some(Tok::Dot), Some(Tok::Ident(method, _)), Some(Tok::LParen)) => {
                record(found, path.as_ref());
                let list = path.clone();
                let depth = frames.len() + 1;
                let mut result = None;
                if BINDING_MACROS.contains(method)
                    && let (Some(Tok::Ident(var, _)), Some(Tok::Comma)) =
                        (tokens.get(i + 3), tokens.get(i + 4))
                    && let Some(list) = &list
                {
                    bound.push(((*var).to_owned(), list.with(Seg::Elem), depth));
                    if *method == "filter" {
                        result = Some(list.clone());
                    }
                }
                frames.push(Frame { result });
                return i + 3;
            }
            (Some(Tok::Dot | Tok::QDot), Some(Tok::Ident(field, offset)), _) => {
                path = path.map(|p| p.with(Seg::Field((*field).to_owned(), *offset)));
                i += 2;
            }
            (Some(Tok::LBracket), ..) => {
                record(found, path.as_ref());
                frames.push(Frame {
                    result: path.map(|p| p.with(Seg::Elem)),
                });
                return i + 1;
            }
            _ => {
                record(found, path.as_ref());
                return i;
            }
        }
    }
}

fn record(found: &mut Vec<Path>, path: Option<&Path>) {
    if let Some(path) = path
        && path.segs.iter().any(|s| matches!(s, Seg::Field(..)))
        && !found.contains(path)
    {
        found.push(path.clone());
    }
}

/// CEL tokens, enough to follow paths: strings, numbers and comments skipped.
fn lex(source: &str) -> Vec<Tok<'_>> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'\'' | b'"' => i = skip_string(bytes, i, false),
            b'0'..=b'9' => {
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'_')
                {
                    // `1e-3`, `1e+3`
                    if matches!(bytes.get(i), Some(b'e' | b'E'))
                        && matches!(bytes.get(i + 1), Some(b'-' | b'+'))
                    {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                let word = source.get(start..i).unwrap_or("");
                let prefix = word.len() <= 2 && word.chars().all(|c| "rRbB".contains(c));
                if prefix && matches!(bytes.get(i), Some(b'\'' | b'"')) {
                    i = skip_string(bytes, i, word.contains(['r', 'R']));
                } else {
                    tokens.push(Tok::Ident(word, start));
                }
            }
            b'.' if bytes.get(i + 1) == Some(&b'?') => {
                tokens.push(Tok::QDot);
                i += 2;
            }
            _ => {
                let tok = match b {
                    b'.' => Tok::Dot,
                    b'(' => Tok::LParen,
                    b')' => Tok::RParen,
                    b'[' => Tok::LBracket,
                    b']' => Tok::RBracket,
                    b',' => Tok::Comma,
                    // Operators, and the bytes of non-ASCII characters: one
                    // `Other` for a run of them.
                    _ => Tok::Other,
                };
                if tok != Tok::Other || tokens.last() != Some(&Tok::Other) {
                    tokens.push(tok);
                }
                i += 1;
            }
        }
    }
    tokens
}

/// The index just after the string literal that starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize, raw: bool) -> usize {
    let Some(&quote) = bytes.get(i) else {
        return i;
    };
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    if triple {
        i += 3;
        while i < bytes.len() {
            if !raw && bytes.get(i) == Some(&b'\\') {
                i += 2;
                continue;
            }
            if bytes.get(i) == Some(&quote)
                && bytes.get(i + 1) == Some(&quote)
                && bytes.get(i + 2) == Some(&quote)
            {
                return i + 3;
            }
            i += 1;
        }
        return i;
    }
    i += 1;
    while let Some(&c) = bytes.get(i) {
        if !raw && c == b'\\' {
            i += 2;
            continue;
        }
        i += 1;
        if c == quote {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(source: &str) -> Vec<String> {
        paths(source)
            .iter()
            .map(|p| {
                let mut s = p.root.clone();
                for seg in &p.segs {
                    match seg {
                        Seg::Field(f, _) => {
                            s.push('.');
                            s.push_str(f);
                        }
                        Seg::Elem => s.push_str("[]"),
                    }
                }
                s
            })
            .collect()
    }

    #[test]
    fn plain_has_and_optional_paths() {
        assert_eq!(
            show("has(product.contact_sensitve) && product.?single_use.orValue(false)"),
            ["product.contact_sensitve", "product.single_use"]
        );
        assert_eq!(
            show("component.substances.lead"),
            ["component.substances.lead"]
        );
    }

    #[test]
    fn elements_through_filter_and_index() {
        assert_eq!(
            show(
                "sum(components.filter(c, c.material.class == 'plastic').map(c, c.mass * c.?recycled.?post_consumer.orValue(0.0)))"
            ),
            [
                "components[].material.class",
                "components[].mass",
                "components[].recycled.post_consumer"
            ]
        );
        assert_eq!(show("components[0].masss > 1.0"), ["components[].masss"]);
    }

    #[test]
    fn strings_numbers_and_unknown_roots_are_skipped() {
        assert_eq!(
            show("'product.sectr' == x.y && 1.5 > 2.0e-3"),
            Vec::<String>::new()
        );
        assert_eq!(show("r'a.b' + \"\"\"c.d\"\"\""), Vec::<String>::new());
        // After the map, `c` is no longer bound.
        assert_eq!(
            show("components.map(c, c.mass).size() > 0 && c.mass > 1.0"),
            ["components[].mass"]
        );
    }
}
