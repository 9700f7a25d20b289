//! Finding the line and column of a JSON pointer in a source text.
//!
//! Only used to report errors, so it re-reads the text: the YAML event parser
//! (JSON is YAML for it) gives every node's position, and a small walk keeps
//! the path of the current node.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser};

use super::source::Source;
use crate::diagnostic::Location;

/// `segment` escaped for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn pointer_escape(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// `segment` of a JSON pointer unescaped (`~1` → `/`, `~0` → `~`).
pub(crate) fn pointer_unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The reference tokens of JSON pointer `pointer`, unescaped (RFC 6901):
/// none for `""` (the whole document); `None` when `pointer` is neither
/// empty nor starts with `/`.
pub(crate) fn pointer_tokens(pointer: &str) -> Option<impl Iterator<Item = Cow<'_, str>>> {
    let rest = if pointer.is_empty() {
        None
    } else {
        Some(pointer.strip_prefix('/')?)
    };
    Some(
        rest.into_iter()
            .flat_map(|r| r.split('/'))
            .map(pointer_unescape),
    )
}

fn pointer_segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|s| pointer_unescape(s).into_owned())
        .collect()
}

/// Line and column of the node at `pointer` in `source` (1-based). When there
/// is no such node, the nearest ancestor that exists; when the text cannot be
/// read, no line at all.
pub fn locate(source: &Source, pointer: &str) -> Location {
    locate_all(
        source,
        &[LocateTarget {
            pointer,
            occurrence: 0,
        }],
    )
    .into_iter()
    .next()
    .unwrap_or_else(|| Location::new(source.name.clone(), pointer))
}

/// Where the value at `pointer` is, moved back to its key when the key is on
/// an earlier line (a mapping or list value starts on the line after its key,
/// and a person looks for the key).
pub fn locate_key(source: &Source, pointer: &str) -> Location {
    locate_keys(source, &[pointer])
        .into_iter()
        .next()
        .unwrap_or_else(|| Location::new(source.name.clone(), pointer))
}

/// [`locate_key`] of every pointer, in one pass over the text.
pub fn locate_keys(source: &Source, pointers: &[&str]) -> Vec<Location> {
    keys(source, pointers, true)
}

/// The line of [`locate_key`] of every pointer, in one pass over the text;
/// the same lines as [`locate_keys`], without the columns. A key on its
/// value's line is not looked for: the line is that one whatever its
/// column (looking for it in a 16 MiB submission written on one line, for
/// each of a hundred thousand components, took hours).
///
/// Pointers that are all in the text (those of fixes are) are looked up in
/// a sorted list of them and their parents, a line each: for the 200 000
/// of a 100 000-component submission that took 13 MB, where the locations
/// of [`locate_keys`] (each with its file name, pointer and path segments,
/// and an index of every path some pointer passes through) took 45 MB, at
/// the peak of `check` on it. When one is not in the text (the line of its
/// nearest ancestor is wanted), every line is found as [`locate_keys`] does.
pub fn locate_key_lines(source: &Source, pointers: &[&str]) -> Vec<Option<usize>> {
    if let Some(lines) = key_lines_present(source, pointers) {
        return lines;
    }
    // Not `into_iter().map().collect()`: that would keep the locations'
    // allocation, five times the size of the lines, for as long as the lines.
    keys(source, pointers, false)
        .iter()
        .map(|l| l.line)
        .collect()
}

/// The parent of `pointer` (`""` for the document).
fn parent_of(pointer: &str) -> &str {
    pointer.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// [`locate_key_lines`] when every pointer and its parent is in the text
/// (the first node at each, as [`locate_all`] takes it); `None` when one
/// is not.
fn key_lines_present(source: &Source, pointers: &[&str]) -> Option<Vec<Option<usize>>> {
    let mut targets: Vec<&str> = pointers
        .iter()
        .copied()
        .chain(pointers.iter().map(|p| parent_of(p)))
        .collect();
    targets.sort_unstable();
    targets.dedup();
    // The first line of each target, once it is seen.
    let mut first: Vec<Option<u32>> = vec![None; targets.len()];
    let mut open = targets.len();
    let mut key = String::new();
    walk(&source.text, &mut |path: &[String], (line, _)| {
        key.clear();
        for segment in path {
            key.push('/');
            key.push_str(&pointer_escape(segment));
        }
        if let Ok(i) = targets.binary_search(&key.as_str())
            && let Some(slot) = first.get_mut(i)
            && slot.is_none()
        {
            // Texts are at most 16 MiB (`MAX_INPUT_BYTES`): their lines are u32s.
            *slot = Some(u32::try_from(line).unwrap_or(u32::MAX));
            open -= 1;
        }
        open == 0
    });
    if open > 0 {
        return None;
    }
    let line_of = |pointer: &str| -> Option<usize> {
        let i = targets.binary_search(&pointer).ok()?;
        usize::try_from((*first.get(i)?)?).ok()
    };
    let lines: Vec<&str> = source.text.lines().collect();
    Some(
        pointers
            .iter()
            .map(|pointer| {
                let (line, from) = (line_of(pointer)?, line_of(parent_of(pointer))?);
                Some(key_line(&lines, pointer, line, from, false).map_or(line, |(line, _)| line))
            })
            .collect(),
    )
}

/// The line and column of the key of the value at `pointer`, found on
/// `line`, between its mapping's first line `from` and `line`; `None` when
/// it is not looked for (a list item, or with `columns` false, a key on its
/// mapping's first line) or not found.
fn key_line(
    lines: &[&str],
    pointer: &str,
    line: usize,
    from: usize,
    columns: bool,
) -> Option<(usize, usize)> {
    let (_, key) = pointer.rsplit_once('/')?;
    let key = pointer_unescape(key);
    if key.is_empty() || key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !columns && from >= line {
        return None;
    }
    // The key is between its mapping's first line and its value's line:
    // the last line there that has it, searched from the value up.
    let needles = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    let first = from.saturating_sub(1);
    let range = lines.get(first..line.min(lines.len())).unwrap_or_default();
    range.iter().enumerate().rev().find_map(|(i, text)| {
        needles
            .iter()
            .find_map(|n| text.find(n.as_str()))
            .map(|byte| {
                (
                    first + i + 1,
                    text.get(..byte).map_or(0, |t| t.chars().count()) + 1,
                )
            })
    })
}

fn keys(source: &Source, pointers: &[&str], columns: bool) -> Vec<Location> {
    // Each pointer and its parent, whose first line bounds the key's.
    let parents: Vec<&str> = pointers.iter().map(|p| parent_of(p)).collect();
    let targets: Vec<LocateTarget<'_>> = pointers
        .iter()
        .chain(&parents)
        .map(|pointer| LocateTarget {
            pointer,
            occurrence: 0,
        })
        .collect();
    let mut found = locate_all(source, &targets);
    let parent_lines: Vec<Option<usize>> = found
        .split_off(pointers.len())
        .into_iter()
        .map(|l| l.line)
        .collect();
    let lines: Vec<&str> = source.text.lines().collect();
    for ((location, pointer), from) in found.iter_mut().zip(pointers).zip(parent_lines) {
        let (Some(line), Some(from)) = (location.line, from) else {
            continue;
        };
        if let Some((line, column)) = key_line(&lines, pointer, line, from, columns) {
            location.line = Some(line);
            location.column = Some(column);
        }
    }
    found
}

/// One pointer to find.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LocateTarget<'a> {
    /// The JSON pointer.
    pub pointer: &'a str,
    /// Which occurrence (0 = first); a repeated key has two.
    pub occurrence: usize,
}

struct Search {
    segments: Vec<String>,
    occurrence: usize,
    seen: usize,
    /// Length of the deepest matched prefix and its position.
    best: Option<(usize, (usize, usize))>,
    done: bool,
}

enum Frame {
    Map {
        key: Option<String>,
        want_key: bool,
    },
    Seq {
        next: usize,
    },
    /// A complex mapping key, skipped with its nesting depth.
    Skip {
        depth: usize,
    },
}

/// The locations of several pointers, in one pass over the text.
pub(crate) fn locate_all(source: &Source, targets: &[LocateTarget<'_>]) -> Vec<Location> {
    let mut searches: Vec<Search> = targets
        .iter()
        .map(|t| Search {
            segments: pointer_segments(t.pointer),
            occurrence: t.occurrence,
            seen: 0,
            best: None,
            done: false,
        })
        .collect();
    // Every path some search passes through, to the searches that do: a node
    // is compared with those alone, so N pointers cost about their total
    // length, not N per node.
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, search) in searches.iter().enumerate() {
        let mut key = String::new();
        index.entry(key.clone()).or_default().push(i);
        for segment in &search.segments {
            key.push('/');
            key.push_str(&pointer_escape(segment));
            index.entry(key.clone()).or_default().push(i);
        }
    }
    let mut all = Searches {
        all: &mut searches,
        index,
        open: targets.len(),
    };
    walk(&source.text, &mut |path, position| {
        visit(&mut all, path, position)
    });
    targets
        .iter()
        .zip(searches)
        .map(|(t, s)| {
            let location = Location::new(source.name.clone(), t.pointer);
            match s.best {
                Some((_, (line, column))) => location.at(line, column),
                None => location,
            }
        })
        .collect()
}

/// The searches of one walk, indexed by the paths they pass through.
struct Searches<'s> {
    all: &'s mut [Search],
    index: HashMap<String, Vec<usize>>,
    /// How many are not done.
    open: usize,
}

/// What [`walk`] hands each node: its path and (line, column); true stops
/// the walk.
type Visit<'v> = dyn FnMut(&[String], (usize, usize)) -> bool + 'v;

/// Walks the nodes of `text`, handing `visit` each node's path and
/// position, until it answers true.
fn walk(text: &str, visit: &mut Visit<'_>) {
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut started = false;
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { return };
        let position = (span.start.line(), span.start.col() + 1);
        let is_start = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        let is_node = is_start
            || matches!(
                event,
                Event::Scalar(..) | Event::Alias(..) | Event::UnresolvedAlias(..)
            );
        match event {
            Event::DocumentEnd => return,
            Event::MappingEnd | Event::SequenceEnd => {
                match frames.last_mut() {
                    Some(Frame::Skip { depth }) if *depth > 1 => *depth -= 1,
                    Some(Frame::Skip { .. }) => {
                        frames.pop();
                    }
                    Some(_) => {
                        frames.pop();
                        path.pop();
                    }
                    None => return,
                }
                continue;
            }
            _ if !is_node => continue,
            _ => {}
        }
        // A node: a key, something inside a skipped key, or a value.
        let segment = match frames.last_mut() {
            Some(Frame::Skip { depth }) => {
                if is_start {
                    *depth += 1;
                }
                continue;
            }
            Some(Frame::Map { key, want_key }) if *want_key => {
                *want_key = false;
                *key = match &event {
                    Event::Scalar(text, ..) => Some(text.to_string()),
                    _ => None,
                };
                if is_start {
                    frames.push(Frame::Skip { depth: 1 });
                }
                continue;
            }
            Some(Frame::Map { key, want_key }) => {
                *want_key = true;
                // A complex key matches no pointer.
                Some(key.take().unwrap_or_else(|| "\u{0}complex".to_owned()))
            }
            Some(Frame::Seq { next }) => {
                *next += 1;
                Some((*next - 1).to_string())
            }
            None => {
                if started {
                    return;
                }
                started = true;
                None
            }
        };
        if let Some(s) = &segment {
            path.push(s.clone());
        }
        if visit(&path, position) {
            return;
        }
        match event {
            Event::MappingStart(..) => frames.push(Frame::Map {
                key: None,
                want_key: true,
            }),
            Event::SequenceStart(..) => frames.push(Frame::Seq { next: 0 }),
            _ => {
                if segment.is_some() {
                    path.pop();
                }
            }
        }
    }
}

/// Records the node at `path`; true when every search is done.
fn visit(searches: &mut Searches<'_>, path: &[String], position: (usize, usize)) -> bool {
    let mut key = String::new();
    for segment in path {
        key.push('/');
        key.push_str(&pointer_escape(segment));
    }
    let Some(indices) = searches.index.get(&key) else {
        return searches.open == 0;
    };
    for &i in indices {
        let Some(s) = searches.all.get_mut(i) else {
            continue;
        };
        if s.done {
            continue;
        }
        if path.len() == s.segments.len() {
            if s.seen == s.occurrence || s.best.is_none_or(|(len, _)| len < path.len()) {
                s.best = Some((path.len(), position));
            }
            s.done = s.seen == s.occurrence;
            s.seen += 1;
            if s.done {
                searches.open -= 1;
            }
        } else if s.best.is_none_or(|(len, _)| len < path.len()) {
            s.best = Some((path.len(), position));
        }
    }
    searches.open == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Format;

    fn at(text: &str, format: Format, pointer: &str) -> (Option<usize>, Option<usize>) {
        let l = locate(&Source::from_text("t", text, format), pointer);
        (l.line, l.column)
    }

    const YAML: &str = "\
schema: recert.submission/v1
components:
  - id: C1
    mass: 1 kg
  - id: C2
    substances:
      lead: 5 kgs
      a/b: 1
";

    #[test]
    fn yaml_nodes() {
        assert_eq!(at(YAML, Format::Yaml, ""), (Some(1), Some(1)));
        assert_eq!(at(YAML, Format::Yaml, "/schema"), (Some(1), Some(9)));
        assert_eq!(
            at(YAML, Format::Yaml, "/components/0/mass"),
            (Some(4), Some(11))
        );
        assert_eq!(at(YAML, Format::Yaml, "/components/1"), (Some(5), Some(5)));
        assert_eq!(
            at(YAML, Format::Yaml, "/components/1/substances/lead"),
            (Some(7), Some(13))
        );
        assert_eq!(
            at(YAML, Format::Yaml, "/components/1/substances/a~1b"),
            (Some(8), Some(12))
        );
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        assert_eq!(
            at(YAML, Format::Yaml, "/components/1/mass"),
            (Some(5), Some(5))
        );
        assert_eq!(
            at(YAML, Format::Yaml, "/components/7/x"),
            (Some(3), Some(3))
        );
    }

    #[test]
    fn json_nodes() {
        let json = "{\n  \"id\": \"x\",\n  \"components\": [\n    {\"id\": \"C1\", \"mass\": \"1 kg\"}\n  ]\n}\n";
        assert_eq!(at(json, Format::Json, "/id"), (Some(2), Some(9)));
        assert_eq!(at(json, Format::Json, "/components/0"), (Some(4), Some(5)));
        assert_eq!(
            at(json, Format::Json, "/components/0/mass"),
            (Some(4), Some(26))
        );
    }

    #[test]
    fn many_pointers_in_one_pass_are_where_each_alone_is() {
        let source = Source::from_text("t", YAML, Format::Yaml);
        let pointers = [
            "",
            "/schema",
            "/components/0/mass",
            "/components/1/substances/lead",
            "/components/1/substances/a~1b",
            "/components/1/mass",
            "/components/7/x",
            "/components/0/mass",
        ];
        let together = locate_keys(&source, &pointers);
        let alone: Vec<Location> = pointers.iter().map(|p| locate_key(&source, p)).collect();
        assert_eq!(together, alone);
        assert_eq!((together[3].line, together[3].column), (Some(7), Some(7)));
    }

    #[test]
    fn second_occurrence_of_a_repeated_key() {
        let text = "a:\n  lead: 1\n  lead: 2\n";
        let source = Source::from_text("t", text, Format::Yaml);
        let found = locate_all(
            &source,
            &[LocateTarget {
                pointer: "/a/lead",
                occurrence: 1,
            }],
        );
        assert_eq!(found[0].line, Some(3));
    }

    #[test]
    fn broken_text_gives_what_was_read_before_the_error() {
        assert_eq!(at("a: 1\nb: [\n", Format::Yaml, "/b/0"), (Some(2), Some(4)));
        assert_eq!(at("", Format::Yaml, "/b"), (None, None));
    }
}
