//! Every expression of the bundled packs gives the same result through the
//! direct evaluator as through the `cel` crate, over every fixture and example.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use recert_engine::expr::{EvalError, Expr, Scope, SubmissionData};
use recert_engine::load::{self, Source};
use recert_engine::pack::{self, RuleKind};

fn submissions() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("examples"), root.join("rules/fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn compare(expr: &Expr, scope: &Scope<'_, '_>, file: &Path) -> bool {
    let (direct, cel) = (expr.eval(scope), expr.eval_with_cel(scope));
    match (&direct, &cel) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{}: `{}`", file.display(), expr.source()),
        (Err(EvalError::Missing { pointer: a }), Err(EvalError::Missing { pointer: b })) => {
            assert_eq!(a, b, "{}: `{}`", file.display(), expr.source())
        }
        (Err(_), Err(_)) => {}
        _ => panic!(
            "{}: `{}`: direct {direct:?}, cel {cel:?}",
            file.display(),
            expr.source()
        ),
    }
    expr.is_direct()
}

#[test]
fn bundled_pack_expressions_agree_on_every_fixture() {
    let packs = pack::compile(&pack::bundled_sources(), None).unwrap();
    let env = packs.expr_env();
    let (mut compared, mut direct) = (0, 0);
    for file in submissions() {
        let Ok(submission) = Source::read(&file).and_then(|s| load::load_submission(&s)) else {
            continue;
        };
        let data = SubmissionData::new(&submission.normalized, "2031-09-01");
        let root = env.context();
        let components = submission.normalized["components"].as_array().unwrap();
        for pack in packs.packs() {
            let params = pack.params_values();
            let scope = Scope::new(&root, &data, params);
            let mut exprs: Vec<(&Expr, bool)> =
                pack.applies_to.iter().map(|e| (e, false)).collect();
            for rule in &pack.rules {
                let per_component = rule.for_each_component;
                exprs.extend(rule.when.iter().map(|e| (e, per_component)));
                match &rule.kind {
                    RuleKind::Check(check) => exprs.push((&check.value, per_component)),
                    RuleKind::Assert { assert, actual, .. } => {
                        exprs.push((assert, per_component));
                        exprs.extend(actual.iter().map(|e| (e, per_component)));
                    }
                    RuleKind::Plugin { .. } => {}
                }
            }
            for (expr, per_component) in exprs {
                if per_component {
                    for (i, component) in components.iter().enumerate() {
                        direct +=
                            usize::from(compare(expr, &scope.with_component(i, component), &file));
                        compared += 1;
                    }
                } else {
                    direct += usize::from(compare(expr, &scope, &file));
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1000, "only {compared} evaluations compared");
    // Most bundled expressions are in the direct subset; the rest go to the crate.
    assert!(
        direct * 2 > compared,
        "{direct} of {compared} evaluated directly"
    );
}
