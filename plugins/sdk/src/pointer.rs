//! JSON Pointers (RFC 6901) into the submission, for finding paths.

/// Joins `segments` into a JSON Pointer, escaping `~` and `/`:
/// `pointer(&["battery", "recycled_content", "cobalt"])` is
/// `/battery/recycled_content/cobalt`; no segments is `""` (the whole).
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for s in segments {
        out.push('/');
        for c in s.as_ref().chars() {
            match c {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                c => out.push(c),
            }
        }
    }
    out
}

/// `/components/{index}`.
pub fn component(index: usize) -> String {
    // Pushed, not `format!`ted: cheaper in a guest, where every finding
    // has a path.
    let mut out = String::with_capacity(16);
    out.push_str("/components/");
    push_index(&mut out, index);
    out
}

/// `/components/{index}/{field}/...`, e.g.
/// `component_field(2, &["properties", "flammability"])`.
pub fn component_field(index: usize, fields: &[&str]) -> String {
    let mut out = component(index);
    out.push_str(&pointer(fields));
    out
}

/// Appends the decimal digits of `index`.
fn push_index(out: &mut String, index: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = index;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            // `rest % 10` < 10.
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    for &d in digits.get(at..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_escapes() {
        assert_eq!(
            pointer(&["battery", "recycled_content", "cobalt"]),
            "/battery/recycled_content/cobalt"
        );
        assert_eq!(pointer::<&str>(&[]), "");
        assert_eq!(pointer(&["a/b", "m~n"]), "/a~1b/m~0n");
        assert_eq!(component(3), "/components/3");
        assert_eq!(
            component_field(2, &["properties", "flammability"]),
            "/components/2/properties/flammability"
        );
    }

    #[test]
    fn component_indexes_of_any_size() {
        assert_eq!(component(0), "/components/0");
        assert_eq!(component(1207), "/components/1207");
        assert_eq!(component(usize::MAX), format!("/components/{}", usize::MAX));
    }
}
