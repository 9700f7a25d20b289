//! Properties of compiling any pack, valid or not: the bundled packs with
//! random mutations (structure, keys, types, CEL expressions of random
//! tokens, operators and functions, params, dates, severities, huge and
//! deeply nested values) and random packs never make the compiler panic;
//! every rejection is a diagnostic naming the pack's file and a line or a
//! field; a pack that compiles evaluates a submission without panic and
//! concludes something for every rule.
//!
//! Runs in-process through the library. The default case count keeps the
//! run to a few seconds; for a longer run set `RECERT_PROPTEST_CASES`, e.g.
//! `RECERT_PROPTEST_CASES=100000 cargo test -p recert-engine --test pack_properties`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use proptest::prelude::*;
use recert_engine::Lang;
use recert_engine::eval::{self, Options};
use recert_engine::load::{self, Format, Source, Submission};
use recert_engine::pack::{self, PackSource};
use serde_json::{Value, json};

fn cases() -> u32 {
    std::env::var("RECERT_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24)
}

/// The bundled packs, each as its name and its document.
fn bundled() -> &'static [(String, Value)] {
    static PACKS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    PACKS.get_or_init(|| {
        pack::bundled_sources()
            .into_iter()
            .map(|s| {
                let doc =
                    load::parse_document(&Source::from_text(s.name.clone(), s.text, Format::Yaml))
                        .unwrap();
                (s.name, doc)
            })
            .collect()
    })
}

/// A submission that most packs apply to (an electrical product with
/// plastic parts, sold in China and the EU).
fn submission() -> &'static Submission {
    static SUBMISSION: OnceLock<Submission> = OnceLock::new();
    SUBMISSION.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/eee-10-components.json"
        ))
        .unwrap();
        load::load_submission(&Source::from_text("eee.json", text, Format::Json)).unwrap()
    })
}

const IDENTS: &[&str] = &[
    "component",
    "submission",
    "product",
    "components",
    "params",
    "component.substances",
    "component.substances.lead",
    "component.recycled.post_consumer",
    "component.mass",
    "product.markets",
    "product.sector",
    "submission.components",
    "params.limit",
    "x",
    "null",
    "true",
    "false",
];
const OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "?", ":", "in",
    ".", ",", "(", ")", "[", "]", "{", "}",
];
const FUNCTIONS: &[&str] = &[
    "size",
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "timestamp",
    "duration",
    "startsWith",
    "contains",
    "sum",
    "no_such_function",
];
const LITERALS: &[&str] = &[
    "0",
    "1",
    "-1",
    "1.5",
    "1e400",
    "-1e308",
    "0.0",
    "18446744073709551616",
    "9223372036854775807",
    "'lead'",
    "\"a\"",
    "'['",
    "'(?P<x'",
    "b'\\xff'",
    "''",
    "[]",
    "{}",
];

/// A CEL expression: random tokens, or the shapes that once hurt (deep
/// nesting, long sums, nested comprehensions, a bad regex).
fn expression() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        proptest::sample::select(IDENTS).prop_map(str::to_owned),
        proptest::sample::select(OPERATORS).prop_map(str::to_owned),
        proptest::sample::select(FUNCTIONS).prop_map(|f| format!("{f}(")),
        proptest::sample::select(LITERALS).prop_map(str::to_owned),
    ];
    let well_formed = (
        proptest::sample::select(IDENTS),
        proptest::sample::select(&["==", "!=", "<", "<=", ">", ">=", "+", "/", "in"][..]),
        proptest::sample::select(LITERALS),
        proptest::sample::select(
            &[
                "{}",
                "has({})",
                "size({}) > 0",
                "{}.all(x, x != null)",
                "{}.exists(x, x > 1)",
                "double({}) / 0.0 > 1.0",
                "string({}).matches('^[a-z]+$')",
            ][..],
        ),
    )
        .prop_map(|(ident, op, lit, shape)| format!("{} {op} {lit}", shape.replace("{}", ident)));
    prop_oneof![
        3 => well_formed,
        4 => proptest::collection::vec(token, 1..24).prop_map(|t| t.join(" ")),
        1 => (1..400usize).prop_map(|n| format!("{}1{}", "(".repeat(n), ")".repeat(n))),
        1 => (1..20_000usize).prop_map(|n| vec!["1.0"; n].join("+")),
        1 => (1..6usize).prop_map(|n| {
            let mut e = "true".to_owned();
            for i in 0..n {
                e = format!("components.all(c{i}, {e})");
            }
            e
        }),
        1 => Just("c.name.matches('[')".to_owned()),
        1 => "[^\\x7f-\\x9f]{0,60}",
    ]
}

/// Any JSON value: scalars, dates, severities, huge and deeply nested ones.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
        proptest::sample::select(&["error", "warning", "info", "fatal", ""][..])
            .prop_map(Value::from),
        expression().prop_map(Value::String),
        (1..200_000usize).prop_map(|n| Value::String("x".repeat(n))),
        (1..80usize).prop_map(|n| {
            let mut v = json!(1);
            for _ in 0..n {
                v = json!([v]);
            }
            v
        }),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value with another.
    Replace(Value),
    /// Replace a string with a CEL expression.
    Expression(String),
    /// Remove the key or element.
    Remove,
    /// Add a key to a mapping.
    Insert(String, Value),
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    (
        any::<usize>(),
        prop_oneof![
            2 => value().prop_map(Mutation::Replace),
            3 => expression().prop_map(Mutation::Expression),
            1 => Just(Mutation::Remove),
            1 => ("[a-z_]{1,12}", value()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        ],
    )
}

/// The fields of a pack that hold CEL.
const CEL_FIELDS: &[&str] = &[
    "/applies_to",
    "/when",
    "/assert",
    "/actual",
    "/value",
    "/below",
    "/at_most",
    "/at_least",
];

fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                pointers(v, &format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(doc: &mut Value, (at, change): &(usize, Mutation)) {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    if let Mutation::Expression(_) = change {
        // Most often, an expression where the pack has one.
        let cel: Vec<String> = all
            .iter()
            .filter(|p| CEL_FIELDS.iter().any(|f| p.ends_with(f)))
            .cloned()
            .collect();
        if !cel.is_empty() && at % 4 != 0 {
            all = cel;
        }
    }
    let pointer = all[at % all.len()].clone();
    match change {
        Mutation::Replace(v) => {
            if let Some(slot) = doc.pointer_mut(&pointer) {
                *slot = v.clone();
            }
        }
        Mutation::Expression(e) => {
            if let Some(slot) = doc.pointer_mut(&pointer) {
                *slot = Value::String(e.clone());
            }
        }
        Mutation::Insert(k, v) => {
            if let Some(Value::Object(map)) = doc.pointer_mut(&pointer) {
                map.insert(k.clone(), v.clone());
            }
        }
        Mutation::Remove => {
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                return;
            };
            let last = last.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Compiles `doc` as the pack file `name`; checks the diagnostics of a
/// rejection, and evaluates an accepted pack.
fn check(name: &str, doc: &Value) -> Result<(), TestCaseError> {
    let source = PackSource {
        name: name.to_owned(),
        // JSON is YAML (a flow mapping), read by the YAML parser.
        text: serde_json::to_string(doc).unwrap(),
        dir: None,
    };
    match pack::compile(&[source], None) {
        Err(diagnostics) => {
            prop_assert!(!diagnostics.0.is_empty());
            for d in &diagnostics.0 {
                prop_assert_eq!(&d.location.file, name, "{}", d);
                prop_assert!(
                    d.location.line.is_some() || !d.location.pointer.is_empty(),
                    "neither a line nor a field: {}",
                    d
                );
                prop_assert!(!d.message.is_empty());
            }
        }
        Ok(packs) => {
            let options = Options {
                date: jiff::civil::date(2032, 1, 1),
                lang: Lang::En,
                plugins: None,
            };
            let report = eval::evaluate(&packs, submission(), &options);
            let rules: usize = packs.packs().iter().map(|p| p.rules.len()).sum();
            prop_assert!(rules == 0 || !report.findings.is_empty());
            // The report serializes (the JSON contract).
            serde_json::to_string(&report).unwrap();
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_bundled_packs_are_refused_or_evaluated(
        which in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let (name, original) = &bundled()[which % bundled().len()];
        let mut doc = original.clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        check(name, &doc)?;
    }

    #[test]
    fn random_packs_are_refused_or_evaluated(
        version in prop_oneof![4 => Just("1.0.0".to_owned()), 1 => ".{0,10}"],
        applies_to in prop_oneof![3 => Just("true".to_owned()), 1 => expression()],
        rules in proptest::collection::vec(
            (
                "[a-z][a-z-]{0,10}",
                any::<bool>(),
                proptest::option::of(expression()),
                prop_oneof![2 => Just("true".to_owned()), 3 => expression()],
                proptest::option::of(expression()),
                prop_oneof![
                    9 => proptest::sample::select(&["error", "warning", "info"][..]),
                    1 => Just("high"),
                ],
            ),
            1..4,
        ),
        params in proptest::collection::btree_map("[a-z][a-z_]{0,7}", value(), 0..3),
    ) {
        let rules: Vec<Value> = rules
            .into_iter()
            .map(|(rule_id, each, when, assert, actual, severity)| {
                let mut rule = json!({
                    "id": rule_id,
                    "title": {"en": "t", "zh": "t"},
                    "message": {"en": "m", "zh": "m"},
                    "severity": severity,
                    "reference": {"standard": "s", "clause": "1"},
                    "assert": assert,
                });
                if each {
                    rule["for_each"] = json!("components");
                }
                if let Some(when) = when {
                    rule["when"] = json!(when);
                }
                if let Some(actual) = actual {
                    rule["actual"] = json!(actual);
                }
                rule
            })
            .collect();
        let params: serde_json::Map<String, Value> = params
            .into_iter()
            .map(|(k, v)| (k, json!({"value": v})))
            .collect();
        let doc = json!({
            "schema": "recert.pack/v1",
            "id": "random",
            "version": version,
            "title": {"en": "Random", "zh": "随机"},
            "standards": [{"id": "s", "title": {"en": "S", "zh": "S"}}],
            "applies_to": applies_to,
            "params": params,
            "rules": rules,
        });
        check("random.yaml", &doc)?;
    }
}
