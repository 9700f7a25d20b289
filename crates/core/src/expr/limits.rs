//! Size limits an expression must keep before the CEL parser sees it.
//!
//! The parser, and every walk over the tree it builds, recurses once per
//! nesting level and once per operator of a chain (`1.0 + 1.0 + …` is a tree
//! as deep as it has terms), so a pack could overflow the stack and abort the
//! process. A scan of the text, which does not recurse, rejects an expression
//! that is too long, nests too deep or has too many operators.
//!
//! The limits are far above the largest bundled expression (about 1 000
//! bytes, 4 levels, 120 operators) and far below what overflows a 2 MiB
//! thread stack in a debug build.

/// The longest expression, in bytes.
pub const MAX_BYTES: usize = 16 * 1024;
/// The deepest nesting of `(`, `[` and `{`.
pub const MAX_DEPTH: usize = 32;
/// The most operators (`+`, `&&`, `.`, `,`, `?`, `!`, …) in one expression.
pub const MAX_OPERATORS: usize = 1_000;

/// Which limit an expression exceeds, with what it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// Longer than [`MAX_BYTES`].
    Bytes(usize),
    /// Nested deeper than [`MAX_DEPTH`].
    Depth(usize),
    /// More operators than [`MAX_OPERATORS`].
    Operators(usize),
}

impl Exceeded {
    /// The limit in words, with what was found.
    pub fn message(self) -> String {
        match self {
            Exceeded::Bytes(n) => {
                format!("the expression is {n} bytes long; the limit is {MAX_BYTES} bytes")
            }
            Exceeded::Depth(n) => format!(
                "the expression nests brackets {n} levels deep; the limit is {MAX_DEPTH} levels"
            ),
            Exceeded::Operators(n) => {
                format!("the expression has more than {n} operators; the limit is {MAX_OPERATORS}")
            }
        }
    }
}

/// Checks `source` against the limits, scanning it once without recursion.
/// String literals are skipped, so brackets and operators in them do not
/// count. Returns the first limit exceeded, with the byte offset where it was.
pub fn check(source: &str) -> Result<(), (Exceeded, usize)> {
    if source.len() > MAX_BYTES {
        return Err((Exceeded::Bytes(source.len()), 0));
    }
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' | b'\'' => {
                let raw = i > 0
                    && matches!(bytes.get(i - 1), Some(b'r' | b'R'))
                    && !bytes
                        .get(i.wrapping_sub(2))
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
                i = skip_string(bytes, i, raw);
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                operators += 1;
                if depth > MAX_DEPTH {
                    return Err((Exceeded::Depth(depth), i));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'+' | b'-' | b'*' | b'/' | b'%' | b'!' | b'<' | b'>' | b'?' | b':' | b'.' | b','
            | b'&' | b'|' | b'=' => {
                // A number's decimal point is no operator; `&&`, `==` and the
                // like count once.
                let in_number = b == b'.'
                    && i > 0
                    && bytes.get(i - 1).is_some_and(u8::is_ascii_digit)
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                let doubled = matches!(b, b'&' | b'|' | b'=')
                    && i > 0
                    && matches!(
                        bytes.get(i - 1),
                        Some(b'&' | b'|' | b'=' | b'!' | b'<' | b'>')
                    );
                if !in_number && !doubled {
                    operators += 1;
                    if operators > MAX_OPERATORS {
                        return Err((Exceeded::Operators(MAX_OPERATORS), i));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The index just after the string literal whose opening quote is at
/// `start` (one or three quotes; no escapes when `raw`), or the end.
fn skip_string(bytes: &[u8], start: usize, raw: bool) -> usize {
    let quote = bytes.get(start).copied().unwrap_or(b'"');
    let triple = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' && !raw {
            i += 2;
            continue;
        }
        if b == quote {
            if !triple {
                return i + 1;
            }
            if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                return i + 3;
            }
        }
        if b == b'\n' && !triple {
            return i + 1;
        }
        i += 1;
    }
    i
}
