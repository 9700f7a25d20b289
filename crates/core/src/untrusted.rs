//! Text written by others (submissions, packs, plugins) made safe for the
//! output format it goes to. Every renderer writes such text only through
//! this module, one function per format:
//!
//! - [`text`]: terminals and plain text. No control sequence reaches the
//!   terminal: every C0 control, DEL and C1 control is shown as a visible
//!   mark (Unicode "control pictures": ESC becomes `␛`, NUL `␀`, CR `␍`, LF
//!   `␤`), and bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//!   U+061C) and the line and paragraph separators U+2028/U+2029 are shown as
//!   `\u{202E}`. The fields are single lines: a newline inside a title, a
//!   message or a name cannot start a line of its own (that line could read
//!   "Verdict: PASS"), it is shown as `␤`. A tab becomes a space.
//!   [`text_lines`] is the same but keeps line breaks, for messages of
//!   several lines on stderr.
//! - [`markdown`]: the same, then Markdown and HTML escaped so that no
//!   heading, list, quote, table cell break, emphasis, link, image or HTML
//!   can be injected: `` \ ` * _ [ ] < > & | ~ `` are escaped wherever they
//!   appear (`<` as `&lt;`, `>` as `&gt;`, `&` as `&amp;`, the others with a
//!   backslash; `_` only where it could delimit emphasis, not inside a
//!   word), and `#`, `+`, `-`, `=` and an ordered-list number at the start
//!   of the text (a number only when `.` or `)` and a space follow it, so
//!   that a version `1.0.0` stays as it is). Parentheses are left as they
//!   are: a link needs `](`, and `]` is always escaped. A closed code
//!   span (`` `/components/0` ``) is kept, its content being shown as it is,
//!   only with `|` escaped; an unclosed backtick is escaped.
//! - [`markdown_code`]: a whole code span (with its backticks) for ids and
//!   paths; inside a code span nothing is markup, so only the backticks, the
//!   table's `|` and the controls need care.
//! - [`xml`]: the characters XML 1.0 cannot hold at all (C0 controls other
//!   than tab, line feed and carriage return; U+FFFE, U+FFFF) replaced by
//!   U+FFFD, for the JUnit report; the markup characters are then escaped by
//!   the XML writer (`quick-xml`), which never writes text unescaped.
//! - [`html`]: the same as [`text`] (controls and bidi controls shown as
//!   visible marks, one line), then escaped by `html-escape` for HTML text
//!   and quoted attribute values alike: `& < > " '` become character
//!   references, so no element, attribute, comment, `</style>` or entity can
//!   be injected.
//! - JSON (and SARIF, which is JSON): nothing here; serde escapes what JSON needs, and a JSON report
//!   keeps the raw string, byte for byte.
//!
//! The [`Text`], [`Markdown`], [`MarkdownCode`] and [`Html`] wrappers do the same in a
//! `format!` argument: `format!("{}", Text(title))`.

use std::fmt::{self, Write};

/// `text` made safe for a terminal or a plain-text file, as one line.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = write_text(&mut out, text);
    out
}

/// `text` made safe for a terminal, keeping its line breaks: for messages
/// of several lines (stderr notes). Everything else is as in [`text`].
pub fn text_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = write_text(&mut out, line);
    }
    out
}

/// `text` made safe for Markdown (and the HTML it becomes), as one line.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let _ = write_markdown(&mut out, text);
    out
}

/// `text` as a Markdown code span, backticks included, safe in a table cell.
pub fn markdown_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let _ = write_markdown_code(&mut out, text);
    out
}

/// `text` without the characters XML 1.0 does not allow in a document
/// (C0 controls other than tab, line feed and carriage return; U+FFFE and
/// U+FFFF), each replaced by U+FFFD. Escaping `& < > " '` is the XML
/// writer's job.
pub fn xml(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.contains(forbidden) {
        std::borrow::Cow::Owned(
            text.chars()
                .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `text` made safe for HTML, as text or a quoted attribute value, as one line.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let _ = write_html(&mut out, text);
    out
}

/// Writes `t` through [`html`] when formatted.
#[derive(Debug, Clone, Copy)]
pub struct Html<'a>(pub &'a str);

impl fmt::Display for Html<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_html(f, self.0)
    }
}

fn write_html(out: &mut impl Write, text: &str) -> fmt::Result {
    // Controls first (their pictures need no escaping), then the markup.
    let visible = self::text(text);
    out.write_str(&html_escape::encode_quoted_attribute(&visible))
}

/// Writes `t` through [`text`] when formatted.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

/// Writes `t` through [`markdown`] when formatted.
#[derive(Debug, Clone, Copy)]
pub struct Markdown<'a>(pub &'a str);

/// Writes `t` through [`markdown_code`] when formatted.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownCode<'a>(pub &'a str);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_text(f, self.0)
    }
}

impl fmt::Display for Markdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_markdown(f, self.0)
    }
}

impl fmt::Display for MarkdownCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_markdown_code(f, self.0)
    }
}

/// Whether `c` is a bidi control or a line/paragraph separator.
fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Writes `c` as something visible and harmless, or returns `false` when `c`
/// may be written as it is.
fn write_visible(out: &mut impl Write, c: char) -> Result<bool, fmt::Error> {
    match c {
        '\t' => out.write_char(' ')?,
        '\n' => out.write_char('\u{2424}')?,
        '\u{0}'..='\u{1f}' => {
            // U+2400 + c: the control picture of each C0 control.
            let picture = char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}');
            out.write_char(picture)?;
        }
        '\u{7f}' => out.write_char('\u{2421}')?,
        '\u{80}'..='\u{9f}' => write!(out, "\\u{{{:04X}}}", c as u32)?,
        c if is_invisible_control(c) => write!(out, "\\u{{{:04X}}}", c as u32)?,
        _ => return Ok(false),
    }
    Ok(true)
}

fn write_text(out: &mut impl Write, text: &str) -> fmt::Result {
    for c in text.chars() {
        if !write_visible(out, c)? {
            out.write_char(c)?;
        }
    }
    Ok(())
}

fn write_markdown(out: &mut impl Write, text: &str) -> fmt::Result {
    // The start of the text may be the start of a line (a list item or a
    // cell's first word): block markers there are escaped.
    let rest = escape_line_start(out, text)?;
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if write_visible(out, c)? {
            continue;
        }
        if c == '`' {
            // A closed code span stays one: nothing in it is markup.
            let start = i - 1;
            let run = backticks_at(&chars, start);
            if let Some(end) = closing_backticks(&chars, start + run, run) {
                for &c in chars.get(start..end + run).unwrap_or(&[]) {
                    write_code_char(out, c)?;
                }
                i = end + run;
            } else {
                for _ in 0..run {
                    out.write_str("\\`")?;
                }
                i = start + run;
            }
            continue;
        }
        match c {
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '&' => out.write_str("&amp;")?,
            '\\' | '*' | '[' | ']' | '|' | '~' => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            '_' => {
                // `i` is already past this `_`.
                let before = i.checked_sub(2).and_then(|j| chars.get(j));
                let after = chars.get(i);
                let inside_word = before.is_some_and(|b| b.is_alphanumeric())
                    && after.is_some_and(|a| a.is_alphanumeric());
                if !inside_word {
                    out.write_char('\\')?;
                }
                out.write_char('_')?;
            }
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// How many backticks start at `i`.
fn backticks_at(chars: &[char], i: usize) -> usize {
    chars.iter().skip(i).take_while(|&&c| c == '`').count()
}

/// Where the next run of exactly `run` backticks from `from` starts.
fn closing_backticks(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        let here = backticks_at(chars, i);
        if here == run {
            return Some(i);
        }
        i += here.max(1);
    }
    None
}

/// One character inside a code span: controls visible, `|` escaped for tables.
fn write_code_char(out: &mut impl Write, c: char) -> fmt::Result {
    if write_visible(out, c)? {
        Ok(())
    } else if c == '|' {
        // GFM splits table cells on `|` even inside a code span.
        out.write_str("\\|")
    } else {
        out.write_char(c)
    }
}

/// Escapes a block marker at the start of `text` and returns what is left.
fn escape_line_start<'t>(out: &mut impl Write, text: &'t str) -> Result<&'t str, fmt::Error> {
    let trimmed = text.trim_start_matches(' ');
    let spaces = text.len() - trimmed.len();
    let mut chars = trimmed.chars();
    let Some(first) = chars.next() else {
        return Ok(text);
    };
    if matches!(first, '#' | '+' | '-' | '=') {
        out.write_str(text.get(..spaces).unwrap_or(""))?;
        out.write_char('\\')?;
        out.write_char(first)?;
        return Ok(trimmed.get(first.len_utf8()..).unwrap_or(""));
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    // `1. ` starts a list; `1.0.0` does not.
    let marker = matches!(trimmed.get(digits..digits + 1), Some("." | ")"))
        && matches!(trimmed.get(digits + 1..digits + 2), None | Some(" " | "\t"));
    if digits > 0 && marker {
        out.write_str(text.get(..spaces + digits).unwrap_or(""))?;
        out.write_char('\\')?;
        return Ok(trimmed.get(digits..).unwrap_or(""));
    }
    Ok(text)
}

fn write_markdown_code(out: &mut impl Write, text: &str) -> fmt::Result {
    // A run of backticks longer than any inside delimits the span; a space
    // pads a span that starts or ends with a backtick.
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    out.write_str(&fence)?;
    out.write_str(pad)?;
    for c in text.chars() {
        write_code_char(out, c)?;
    }
    out.write_str(pad)?;
    out.write_str(&fence)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "\u{1b}[2J\u{1b}[HVerdict: PASS",
        "FAIL\rVerdict: PASS",
        "a\nVerdict: PASS",
        "\u{202E}SSAP\u{202C}",
        "nul\u{0}del\u{7f}csi\u{9b}2J",
        "\u{2066}x\u{2069}\u{200E}\u{200F}\u{061C}\u{2028}\u{2029}",
    ];

    fn has_control(s: &str) -> bool {
        s.chars().any(|c| c.is_control() || is_invisible_control(c))
    }

    #[test]
    fn text_has_no_control_or_bidi_character() {
        for h in HOSTILE {
            let safe = text(h);
            assert!(!has_control(&safe), "{safe:?}");
            assert!(!safe.contains('\n') && !safe.contains('\r'));
        }
        assert_eq!(text("\u{1b}[2J"), "\u{241b}[2J");
        assert_eq!(text("a\r\nb\tc"), "a\u{240d}\u{2424}b c");
        assert_eq!(text("\u{202E}x"), "\\u{202E}x");
        assert_eq!(text("\u{9b}"), "\\u{009B}");
        // Ordinary text, Chinese included, is unchanged.
        for plain in ["Lead ≤ 0.1 % (EU) 2019/904", "铅含量", "x_y*z|w <a>"] {
            assert_eq!(text(plain), plain);
        }
        assert_eq!(format!("{}", Text("\u{0}")), "\u{2400}");
        assert_eq!(text_lines("a\r\n\u{1b}b\n"), "a\u{240d}\n\u{241b}b\n");
    }

    #[test]
    fn markdown_injects_no_heading_html_link_or_cell() {
        let cases = [
            ("## Verdict: **PASS**", "\\## Verdict: \\*\\*PASS\\*\\*"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src=x onerror=alert(1)&gt;",
            ),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            ("a | b", "a \\| b"),
            ("- item", "\\- item"),
            ("1. item", "1\\. item"),
            ("2) item", "2\\) item"),
            ("1.0.0", "1.0.0"),
            ("> quote", "&gt; quote"),
            ("```", "\\`\\`\\`"),
            ("a `b` c", "a `b` c"),
            ("`<img src=x>|` `", "`<img src=x>\\|` \\`"),
            ("_em_ snake_case", "\\_em\\_ snake_case"),
            ("&#x202E;", "&amp;#x202E;"),
            ("a\n# b", "a\u{2424}# b"),
            ("\u{1b}[2J", "\u{241b}\\[2J"),
        ];
        for (raw, safe) in cases {
            assert_eq!(markdown(raw), safe, "{raw:?}");
        }
        for h in HOSTILE {
            assert!(!has_control(&markdown(h)));
        }
        for plain in ["Lead 0.1 % (EU) 2019/904", "铅含量", "total_fluorine"] {
            assert_eq!(markdown(plain), plain);
        }
    }

    #[test]
    fn html_injects_no_element_attribute_or_style_end() {
        let cases = [
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                "\"><img src=x onerror=alert(1)>",
                "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
            ),
            ("'x'", "&#x27;x&#x27;"),
            ("</style><!--", "&lt;/style&gt;&lt;!--"),
            ("&#x202E;&amp;", "&amp;#x202E;&amp;amp;"),
            ("a\n\u{1b}[2J", "a\u{2424}\u{241b}[2J"),
            ("\u{202E}x", "\\u{202E}x"),
        ];
        for (raw, safe) in cases {
            assert_eq!(html(raw), safe, "{raw:?}");
        }
        for h in HOSTILE {
            let safe = html(h);
            assert!(!has_control(&safe), "{safe:?}");
            assert!(!safe.contains(['<', '>', '"', '\'']), "{safe:?}");
        }
        for plain in ["Lead ≤ 0.1 % (EU) 2019/904", "铅含量", "total_fluorine"] {
            assert_eq!(html(plain), plain);
        }
        assert_eq!(format!("{}", Html("<b>")), "&lt;b&gt;");
    }

    #[test]
    fn markdown_code_spans_cannot_be_closed_or_split() {
        assert_eq!(markdown_code("/a/0"), "`/a/0`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("<script>"), "`<script>`");
        assert!(!has_control(&markdown_code("\u{1b}\n\u{202E}")));
    }
}
