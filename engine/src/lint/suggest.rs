//! "Did you mean ...?": the closest of a few known names.

/// The edit distance between `a` and `b` (insertions, deletions,
/// substitutions, and swaps of two neighbouring characters), in characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // rows[i * width + j] = distance of a[..i] and b[..j]
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        if let Some(cell) = rows.get_mut(i * width) {
            *cell = i;
        }
        for j in 1..=b.len() {
            let same = a.get(i - 1) == b.get(j - 1);
            let at =
                |i: usize, j: usize| rows.get(i * width + j).copied().unwrap_or(usize::MAX / 2);
            let mut best = (at(i - 1, j) + 1)
                .min(at(i, j - 1) + 1)
                .min(at(i - 1, j - 1) + usize::from(!same));
            if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                best = best.min(at(i - 2, j - 2) + 1);
            }
            if let Some(cell) = rows.get_mut(i * width + j) {
                *cell = best;
            }
        }
    }
    rows.last().copied().unwrap_or(0)
}

/// The candidate closest to `word`, when it is close enough to be a typo of
/// it: at most a third of the longer name's characters differ (at least 1, at
/// most 3). Ties go to the first candidate.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let d = distance(word, candidate);
        let longer = word.chars().count().max(candidate.chars().count());
        let allowed = (longer / 3).clamp(1, 3);
        if d <= allowed && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("sector", "sector"), 0);
        assert_eq!(distance("sectr", "sector"), 1);
        assert_eq!(distance("substance", "substances"), 1);
        assert_eq!(distance("recyled", "recycled"), 1);
        assert_eq!(distance("matreial", "material"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("电池", "电"), 1);
    }

    #[test]
    fn closest_names_a_typo_only() {
        let fields = ["name", "sector", "category", "markets", "mass"];
        assert_eq!(closest("sectr", fields), Some("sector"));
        assert_eq!(closest("market", fields), Some("markets"));
        assert_eq!(closest("colour", fields), None);
        assert_eq!(closest("sector", fields), None);
    }
}
