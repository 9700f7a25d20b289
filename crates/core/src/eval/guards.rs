//! The results of a pack's guards (`when`) that do not read `component`:
//! such a guard gives the same answer for every component, and packs repeat
//! one guard over many rules, so each is evaluated once per pack.

use std::collections::HashMap;

use crate::expr::Expr;

/// Past this many distinct guards, results are also found by source in a
/// hash map. Real packs have a few dozen guards: a list, searched from its
/// last entry (the guard of the rule at hand), costs less than hashing each
/// lookup (measured with callgrind: see `engine/benches/corpus.rs`). A pack
/// with thousands of distinct guards would make the list's search quadratic.
const LIST_LIMIT: usize = 32;

/// Results of guards, by the guard's address (each component of a rule
/// asks again) and by its source (other rules with the same guard).
#[derive(Default)]
pub(super) struct GuardResults<'r> {
    by_address: Vec<(&'r Expr, bool)>,
    by_source: Vec<(&'r str, bool)>,
    /// `by_source` as a map, once it is longer than [`LIST_LIMIT`].
    by_source_map: HashMap<&'r str, bool>,
}

impl<'r> GuardResults<'r> {
    /// Forgets every result (a new pack: its parameters may differ).
    pub(super) fn clear(&mut self) {
        self.by_address.clear();
        self.by_source.clear();
        self.by_source_map.clear();
    }

    /// The result of `when`, from an earlier evaluation of it or of a guard
    /// with the same source; `evaluate` gives it the first time.
    pub(super) fn get_or_evaluate<E>(
        &mut self,
        when: &'r Expr,
        evaluate: impl FnOnce() -> Result<bool, E>,
    ) -> Result<bool, E> {
        let seen = self
            .by_address
            .iter()
            .rev()
            .find(|(g, _)| std::ptr::eq(*g, when));
        if let Some(&(_, value)) = seen {
            return Ok(value);
        }
        let source = when.source();
        let value = match self.by_source(source) {
            Some(value) => value,
            None => {
                let value = evaluate()?;
                self.insert_source(source, value);
                value
            }
        };
        if self.by_address.len() < LIST_LIMIT {
            self.by_address.push((when, value));
        }
        Ok(value)
    }

    fn by_source(&self, source: &str) -> Option<bool> {
        if self.by_source.len() < LIST_LIMIT {
            self.by_source
                .iter()
                .find(|(s, _)| *s == source)
                .map(|&(_, value)| value)
        } else {
            self.by_source_map.get(source).copied()
        }
    }

    fn insert_source(&mut self, source: &'r str, value: bool) {
        if self.by_source.len() < LIST_LIMIT {
            self.by_source.push((source, value));
            if self.by_source.len() == LIST_LIMIT {
                self.by_source_map.extend(self.by_source.iter().copied());
            }
        } else {
            self.by_source_map.insert(source, value);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::expr::ExprEnv;

    /// Looks `when` up, counting the evaluations; its value is whether its
    /// source mentions `true`.
    fn look_up<'r>(cache: &mut GuardResults<'r>, when: &'r Expr, evaluations: &mut usize) -> bool {
        cache
            .get_or_evaluate(when, || {
                *evaluations += 1;
                Ok::<_, ()>(when.source().contains("true"))
            })
            .unwrap()
    }

    #[test]
    fn each_guard_is_evaluated_once_by_address_and_by_source() {
        let env = ExprEnv::new().unwrap();
        let first = env
            .compile("evaluation_date > '2030-01-01' || true")
            .unwrap();
        let same_source = env
            .compile("evaluation_date > '2030-01-01' || true")
            .unwrap();
        let other = env.compile("evaluation_date > '2030-01-01'").unwrap();
        let mut cache = GuardResults::default();
        let mut evaluations = 0;
        assert!(look_up(&mut cache, &first, &mut evaluations));
        assert!(look_up(&mut cache, &first, &mut evaluations));
        assert!(look_up(&mut cache, &same_source, &mut evaluations));
        assert_eq!(evaluations, 1);
        assert!(!look_up(&mut cache, &other, &mut evaluations));
        assert_eq!(evaluations, 2);
        cache.clear();
        assert!(look_up(&mut cache, &first, &mut evaluations));
        assert_eq!(evaluations, 3);
    }

    #[test]
    fn past_the_list_results_are_found_in_the_map() {
        let env = ExprEnv::new().unwrap();
        let sources: Vec<String> = (0..3 * LIST_LIMIT)
            .map(|i| format!("size(evaluation_date) > {i} || {}", i.is_multiple_of(2)))
            .collect();
        let guards: Vec<Expr> = sources.iter().map(|s| env.compile(s).unwrap()).collect();
        let again: Vec<Expr> = sources.iter().map(|s| env.compile(s).unwrap()).collect();
        let mut cache = GuardResults::default();
        let mut evaluations = 0;
        for (i, when) in guards.iter().chain(&again).enumerate() {
            let index = i % guards.len();
            assert_eq!(
                look_up(&mut cache, when, &mut evaluations),
                index.is_multiple_of(2),
                "{i}"
            );
        }
        assert_eq!(evaluations, guards.len());
        assert_eq!(cache.by_source_map.len(), guards.len());
    }

    #[test]
    fn an_error_is_not_kept() {
        let env = ExprEnv::new().unwrap();
        let when = env.compile("true").unwrap();
        let mut cache = GuardResults::default();
        assert_eq!(
            cache.get_or_evaluate(&when, || Err("broken")),
            Err("broken")
        );
        assert_eq!(
            cache.get_or_evaluate(&when, || Ok::<_, &str>(true)),
            Ok(true)
        );
        assert_eq!(cache.get_or_evaluate(&when, || Err("not asked")), Ok(true));
    }
}
