//! The digest of a normalized submission: lowercase hex SHA-256 of
//! `serde_json::to_vec(&normalized)`, the compact JSON serialization with
//! keys sorted (a `Map` keeps its keys sorted).
//!
//! The JSON is written here rather than by `serde_json`'s serializer, into
//! a small buffer handed to the hash whenever it fills ([`CHUNK`]): the
//! document is never held a second time as text (a 16 MB submission would
//! otherwise take another 16 MB while it is hashed), and there are no
//! `io::Write` layers (strings without escapes are copied whole).
//! Whatever this writer is not sure to write byte for byte as `serde_json`
//! does (strings that need escapes, numbers other than integers and the
//! common floats) is written by `serde_json` itself; the tests compare the
//! two.

use std::cell::Cell;

use super::Doc;
use crate::sha256::hex;
use serde_json::Number;
use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of the compact JSON serialization of `value`.
///
/// `plain_strings` says that no string of `value`, key or value, needs an
/// escape: true of a document parsed from JSON text without a backslash
/// (where else would a quote or a control character come from?), and it
/// spares looking for escapes, a third of the cost of writing.
pub(crate) fn digest(value: &Doc, plain_strings: bool) -> String {
    let mut out = Hashing::new();
    if plain_strings {
        write_value::<true, _>(&mut out, value);
    } else {
        write_value::<false, _>(&mut out, value);
    }
    out.finish()
}

/// Bytes written are handed to the hash once this many are buffered.
const CHUNK: usize = 64 * 1024;

thread_local! {
    /// The buffer of the last digest of this thread, for the next. Taking a
    /// few kilobytes afresh from the allocator for each document costs more
    /// than one would think: the allocator first tidies up the many small
    /// blocks the parse freed.
    static BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Where the JSON goes: a buffer, and what to do with it when it fills.
pub(crate) trait Out {
    /// The buffer to append to.
    fn buf(&mut self) -> &mut Vec<u8>;
    /// Called between values: a chance to empty the buffer.
    fn spill(&mut self) {}
}

impl Out for Vec<u8> {
    fn buf(&mut self) -> &mut Vec<u8> {
        self
    }
}

/// A buffer of at most about [`CHUNK`] bytes (plus one string) in front of
/// the hash.
pub(crate) struct Hashing {
    buf: Vec<u8>,
    hasher: Sha256,
    /// The most bytes ever buffered at once (for the tests).
    #[cfg(test)]
    most: usize,
}

impl Hashing {
    fn new() -> Self {
        let mut buf = BUFFER.with(Cell::take);
        buf.clear();
        Hashing {
            buf,
            hasher: Sha256::new(),
            #[cfg(test)]
            most: 0,
        }
    }

    fn finish(mut self) -> String {
        self.hash_buffered();
        let digest = self.hasher.finalize();
        BUFFER.with(|slot| slot.set(self.buf));
        hex(&digest)
    }

    fn hash_buffered(&mut self) {
        #[cfg(test)]
        {
            self.most = self.most.max(self.buf.len());
        }
        self.hasher.update(&self.buf);
        self.buf.clear();
    }
}

impl Out for Hashing {
    fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    fn spill(&mut self) {
        if self.buf.len() >= CHUNK {
            self.hash_buffered();
        }
    }
}

/// Appends the compact JSON of `value` to `out`, as `serde_json::to_writer`
/// would; `PLAIN`: no string needs an escape.
pub(crate) fn write_value<const PLAIN: bool, O: Out>(out: &mut O, value: &Doc) {
    match value {
        Doc::Null => out.buf().extend_from_slice(b"null"),
        Doc::Bool(true) => out.buf().extend_from_slice(b"true"),
        Doc::Bool(false) => out.buf().extend_from_slice(b"false"),
        Doc::Number(n) => write_number(out.buf(), n),
        Doc::String(s) => write_string::<PLAIN>(out.buf(), s),
        Doc::Array(items) => {
            out.buf().push(b'[');
            let mut first = true;
            for item in items {
                if !first {
                    out.buf().push(b',');
                }
                first = false;
                write_value::<PLAIN, O>(out, item);
                out.spill();
            }
            out.buf().push(b']');
        }
        Doc::Object(map) => {
            out.buf().push(b'{');
            let mut first = true;
            for (key, item) in map.iter() {
                if !first {
                    out.buf().push(b',');
                }
                first = false;
                write_string::<PLAIN>(out.buf(), key);
                out.buf().push(b':');
                write_value::<PLAIN, O>(out, item);
                out.spill();
            }
            out.buf().push(b'}');
        }
    }
}

/// A string in quotes; escapes are left to `serde_json`.
fn write_string<const PLAIN: bool>(out: &mut Vec<u8>, s: &str) {
    if !PLAIN && needs_escape(s.as_bytes()) {
        // Writing to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
        return;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Whether `bytes` holds a control character, `"` or `\` (what JSON
/// escapes), eight bytes at a time: the scan is most of the cost of writing
/// a string.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of a byte of `(x - n) & !x` is set for some byte of `x`
    // below `n` (n <= 128) exactly when there is such a byte.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let hits = below(w, 0x20) | below(w ^ (ONES * 0x22), 1) | below(w ^ (ONES * 0x5c), 1);
        if hits & HIGH != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

fn write_number(out: &mut Vec<u8>, n: &Number) {
    if let Some(u) = n.as_u64() {
        write_u64(out, u);
    } else if let Some(i) = n.as_i64() {
        out.push(b'-');
        write_u64(out, i.unsigned_abs());
    } else if let Some(whole) = n.as_f64().and_then(small_whole) {
        // Most quantities are whole numbers; `serde_json` writes them `12.0`.
        write_u64(out, whole);
        out.extend_from_slice(b".0");
    } else {
        // Writing to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, n);
    }
}

/// `f` as an integer, when it is a whole number from 0 to 10^15 (`serde_json`
/// writes larger ones in exponent notation from 10^16 on; -0 is `-0.0`).
fn small_whole(f: f64) -> Option<u64> {
    if !(f.is_sign_positive() && f < 1e15) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // below 10^15: fits
    let whole = f as i64;
    #[allow(clippy::cast_precision_loss)] // below 2^53: exact
    (whole as f64 == f).then_some(whole.unsigned_abs())
}

fn write_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use sha2::{Digest, Sha256};

    fn same_as_serde_json(value: &Value) {
        let mut mine = Vec::new();
        write_value::<false, _>(&mut mine, &Doc::from_value(value.clone()));
        let theirs = serde_json::to_vec(value).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&mine),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn writes_what_serde_json_writes() {
        same_as_serde_json(&json!({
            "z": [1, -2, 0, u64::MAX, i64::MIN, 1.5, -0.0, 0.0, 1e300, 5e-324, 12.0, 1e16, 1e15],
            "a": {"": null, "t": true, "f": false, "nested": [[], {}, [{}]]},
            "strings": ["plain", "q\"uote", "back\\slash", "tab\t", "nl\n", "\u{1}\u{1f}\u{7f}",
                        "苏州 µg/g ³", "/slash/", "</script>"],
            "k\"ey\n": "escaped key",
        }));
        for v in [
            json!(null),
            json!(0),
            json!(-1),
            json!(""),
            json!([]),
            json!({}),
        ] {
            same_as_serde_json(&v);
        }
    }

    #[test]
    fn whole_floats_as_serde_json_writes_them() {
        let mut values: Vec<f64> = (0..20_000).map(f64::from).collect();
        let mut power = 1.0_f64;
        for _ in 0..=17 {
            for k in [1.0, 2.0, 5.0, 9.0, 12.0, 99.0, 123.0, 999.0, 4096.0] {
                values.extend([k * power, k * power - 1.0, k * power + 1.0]);
            }
            power *= 10.0;
        }
        values.extend((0..64).map(|e| 2.0_f64.powi(e)));
        values.extend([
            1e15 - 1.0,
            1e15,
            1e15 + 1.0,
            999_999_999_999_999.0,
            1e16,
            0.5,
            1.5,
        ]);
        for v in values {
            same_as_serde_json(&Value::Number(Number::from_f64(v).unwrap()));
            same_as_serde_json(&Value::Number(Number::from_f64(-v).unwrap()));
        }
    }

    #[test]
    fn escapes_are_found_at_every_position() {
        let special = ["\"", "\\", "\u{0}", "\n", "\u{1f}"];
        let harmless = ["a", "\u{7f}", "\u{20}", "é", "!", "#", "[", "]", "\u{80}"];
        for len in 0..20 {
            for at in 0..len {
                for c in special.iter().chain(&harmless) {
                    let text: String = (0..len).map(|i| if i == at { *c } else { "x" }).collect();
                    let expected = text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
                    assert_eq!(needs_escape(text.as_bytes()), expected, "{text:?}");
                    same_as_serde_json(&Value::String(text));
                }
            }
        }
    }

    #[test]
    fn integers_at_every_width() {
        let mut n: u64 = 1;
        for _ in 0..20 {
            for v in [n - 1, n, n + 1, n.wrapping_mul(9)] {
                same_as_serde_json(&json!(v));
                if let Ok(i) = i64::try_from(v) {
                    same_as_serde_json(&json!(-i));
                }
            }
            n = n.saturating_mul(10);
        }
    }

    #[test]
    fn digest_is_sha256_of_serde_json() {
        let value = json!({"b": [1.25, "x"], "a": {"c": -3}});
        let bytes = serde_json::to_vec(&value).unwrap();
        let expected: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let doc = Doc::from_value(value);
        assert_eq!(digest(&doc, false), expected);
        assert_eq!(digest(&doc, true), expected);
    }

    /// A large document is hashed as it is written, a chunk at a time: the
    /// digest never holds the document a second time as text.
    #[test]
    fn large_documents_are_hashed_as_they_are_written() {
        let components: Vec<Value> = (0..20_000)
            .map(
                |i| json!({"id": format!("C{i:06}"), "mass": 0.01, "substances": {"lead": i % 50}}),
            )
            .collect();
        let value = json!({"components": components, "id": "SUB-1"});
        let bytes = serde_json::to_vec(&value).unwrap();
        assert!(bytes.len() > 16 * CHUNK, "{}", bytes.len());
        let value = Doc::from_value(value);
        for plain in [false, true] {
            let mut out = Hashing::new();
            if plain {
                write_value::<true, _>(&mut out, &value);
            } else {
                write_value::<false, _>(&mut out, &value);
            }
            let most = out.most.max(out.buf.len());
            assert_eq!(out.finish(), crate::sha256::sha256_hex(&bytes));
            assert!(most < CHUNK + 1024, "{most} bytes buffered at once");
        }
    }
}
