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
    format!("/components/{index}")
}

/// `/components/{index}/{field}/...`, e.g.
/// `component_field(2, &["properties", "flammability"])`.
pub fn component_field(index: usize, fields: &[&str]) -> String {
    format!("{}{}", component(index), pointer(fields))
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
}
