//! "Did you mean ...?": the closest of a few known names, for every message
//! that names something unknown (a field, a rule id, a param, a placeholder).

/// The candidate closest to `word`, when it is close enough to be a typo of
/// it: at most a third of the longer name's characters differ (at least 1, at
/// most 3), counting insertions, deletions, substitutions and swaps of two
/// neighbouring characters, ignoring case. Ties go to the first candidate;
/// `word` itself is never suggested.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let d = strsim::osa_distance(&lower, &candidate.to_lowercase());
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
    fn closest_names_a_typo_only() {
        let fields = ["name", "sector", "category", "markets", "mass"];
        assert_eq!(closest("sectr", fields), Some("sector"));
        assert_eq!(closest("secotr", fields), Some("sector"));
        assert_eq!(closest("market", fields), Some("markets"));
        assert_eq!(closest("Mass", fields), Some("mass"));
        assert_eq!(closest("colour", fields), None);
        assert_eq!(closest("sector", fields), None);
    }

    #[test]
    fn a_typo_in_a_long_name_and_in_chinese() {
        let fields = ["food_contact", "contact_sensitive", "recycled"];
        assert_eq!(closest("foodcontact", fields), Some("food_contact"));
        assert_eq!(closest("recyled", fields), Some("recycled"));
        assert_eq!(closest("电", ["电池", "铅"]), Some("电池"));
    }
}
