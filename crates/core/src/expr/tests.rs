use super::*;
use serde_json::json;

fn env() -> ExprEnv {
    ExprEnv::new().unwrap()
}

fn submission() -> Json {
    json!({
        "schema": "recert.submission/v1",
        "id": "S1",
        "product": {"name": "Monitor", "sector": "electrical-electronic", "markets": ["CN", "EU"]},
        "components": [
            {"id": "C1", "mass": 0.5, "material": {"class": "plastic", "polymer": "ABS"},
             "recycled": {"post_consumer": 30.0},
             "substances": {"lead": 20.0, "cadmium": 2.0}},
            {"id": "C2", "mass": 1.5, "material": {"class": "steel"},
             "substances": {"lead": 1200.0}}
        ]
    })
}

fn with_scope<R>(f: impl FnOnce(&ExprEnv, &Scope<'_, '_>) -> R) -> R {
    let env = env();
    let json = submission();
    let json = crate::load::Doc::from_value(json);
    let data = SubmissionData::new(&json, "2026-11-28");
    let params = Params::new(json!({"lead_max": 1000.0, "name": "x"}));
    let root = env.context();
    let scope = Scope::new(&root, &data, &params);
    f(&env, &scope)
}

fn eval(src: &str) -> Result<Json, EvalError> {
    with_scope(|env, scope| env.compile(src).unwrap().eval(scope))
}

fn eval_in_component(src: &str, index: usize) -> Result<Json, EvalError> {
    with_scope(|env, scope| {
        let component = &scope.data().json()["components"][index];
        let scope = scope.with_component(index, component);
        env.compile(src).unwrap().eval(&scope)
    })
}

#[test]
fn numbers_are_doubles_so_integer_arithmetic_works() {
    // The cel crate's serde path would make `2` a uint, and `uint + int` an error.
    assert_eq!(eval("components.size() == 2").unwrap(), json!(true));
    assert_eq!(eval("components.size() == 2.0").unwrap(), json!(true));
    assert_eq!(eval("components[1].mass * 30 / 100").unwrap(), json!(0.45));
    assert_eq!(eval("-components[1].mass + 2").unwrap(), json!(0.5));
    assert_eq!(
        eval("lists.range(3).size() == 3 && [1, 2, 3][2] == 3").unwrap(),
        json!(true)
    );
    assert_eq!(eval("components[0].mass + 1").unwrap(), json!(1.5));
    assert_eq!(eval("components[1].mass * 2 == 3").unwrap(), json!(true));
}

#[test]
fn top_level_fields_are_variables() {
    assert_eq!(
        eval("product.sector").unwrap(),
        json!("electrical-electronic")
    );
    assert_eq!(eval("'EU' in product.markets").unwrap(), json!(true));
    assert_eq!(eval("submission.id").unwrap(), json!("S1"));
    assert_eq!(
        eval("evaluation_date >= '2026-01-01'").unwrap(),
        json!(true)
    );
    assert_eq!(eval("params.lead_max").unwrap(), json!(1000.0));
}

#[test]
fn a_missing_field_names_its_path() {
    assert_eq!(
        eval_in_component("component.substances.mercury <= 1000.0", 1),
        Err(EvalError::Missing {
            pointer: "/components/1/substances/mercury".into()
        })
    );
    assert_eq!(
        eval_in_component("component.substances.mercury", 0),
        Err(EvalError::Missing {
            pointer: "/components/0/substances/mercury".into()
        })
    );
    assert_eq!(
        eval("battery.category == 'ev'"),
        Err(EvalError::Missing {
            pointer: "/battery".into()
        })
    );
    assert_eq!(
        eval("product.food_contact"),
        Err(EvalError::Missing {
            pointer: "/product/food_contact".into()
        })
    );
}

#[test]
fn has_and_optional_syntax_guard_missing_fields() {
    assert_eq!(
        eval_in_component("has(component.recycled)", 0).unwrap(),
        json!(true)
    );
    assert_eq!(
        eval_in_component("has(component.recycled)", 1).unwrap(),
        json!(false)
    );
    assert_eq!(
        eval_in_component("component.?recycled.?post_consumer.orValue(0.0)", 1).unwrap(),
        json!(0.0)
    );
    assert_eq!(
        eval_in_component("component.?recycled.?post_consumer.orValue(0.0)", 0).unwrap(),
        json!(30.0)
    );
}

#[test]
fn comprehensions_and_sum_over_components() {
    assert_eq!(
        eval("sum(components.filter(c, c.material['class'] == 'plastic').map(c, c.mass))").unwrap(),
        json!(0.5)
    );
    assert_eq!(eval("components.all(c, c.mass > 0)").unwrap(), json!(true));
    assert_eq!(
        eval("components.exists(c, c.substances.lead > 1000)").unwrap(),
        json!(true)
    );
    assert_eq!(eval("sum([])").unwrap(), json!(0.0));
    assert!(env().compile("component_count = 1").is_err());
}

#[test]
fn maps_iterate_their_keys() {
    assert_eq!(
        eval_in_component(
            "component.substances.all(k, component.substances[k] < 100.0)",
            0
        )
        .unwrap(),
        json!(true)
    );
    assert_eq!(
        eval_in_component("component.substances.size()", 0).unwrap(),
        json!(2.0)
    );
    assert_eq!(
        eval_in_component("'lead' in component.substances", 0).unwrap(),
        json!(true)
    );
}

#[test]
fn unknown_variables_are_compile_errors() {
    let err = env().compile("prodcut.sector == 'packaging'").unwrap_err();
    assert!(
        err.message.contains("unknown variable `prodcut`"),
        "{err:?}"
    );
    let err = env().compile("product.sector ==").unwrap_err();
    assert_eq!(err.line, 1);
}

#[test]
fn field_paths_are_found() {
    let expr = env()
        .compile("component.substances.lead + component.substances.cadmium <= params.max && components.all(c, c.mass > 0)")
        .unwrap();
    let paths: Vec<String> = expr.field_paths().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        paths,
        [
            "component.substances.lead",
            "component.substances.cadmium",
            "params.max",
            "components"
        ]
    );
    assert!(expr.as_field_path().is_none());
    let expr = env().compile("component.substances.lead").unwrap();
    assert_eq!(
        expr.as_field_path().unwrap().to_string(),
        "component.substances.lead"
    );
}

#[test]
fn the_component_is_bound_per_scope() {
    assert_eq!(eval_in_component("component.id", 1).unwrap(), json!("C2"));
    assert_eq!(
        eval_in_component("component.material['class'] == 'steel'", 1).unwrap(),
        json!(true)
    );
    assert_eq!(
        eval_in_component("component.mass * 2.0", 1).unwrap(),
        json!(3.0)
    );
}

#[test]
fn a_field_missing_inside_a_comprehension_names_the_element() {
    assert_eq!(
        eval("sum(components.map(c, c.substances.cadmium * c.mass))"),
        Err(EvalError::Missing {
            pointer: "/components/1/substances/cadmium".into()
        })
    );
    let expr = env()
        .compile("components.all(c, c.recycled.post_consumer > 10)")
        .unwrap();
    assert_eq!(expr.element_paths()[0].list.to_string(), "components");
    assert_eq!(
        expr.element_paths()[0].segments,
        ["recycled", "post_consumer"]
    );
}

/// Evaluates `src` both ways over the test submission (root and component 0 and 1).
fn both_ways(src: &str) -> Vec<(Result<Json, EvalError>, Result<Json, EvalError>)> {
    with_scope(|env, scope| {
        let expr = env.compile(src).unwrap();
        assert!(expr.is_direct(), "`{src}` should be in the direct subset");
        let mut results = vec![(expr.eval(scope), expr.eval_with_cel(scope))];
        for index in 0..2 {
            let component = &scope.data().json()["components"][index];
            let scope = scope.with_component(index, component);
            results.push((expr.eval(&scope), expr.eval_with_cel(&scope)));
        }
        results
    })
}

fn agree(src: &str) {
    for (fast, cel) in both_ways(src) {
        match (&fast, &cel) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "`{src}`: direct {a} vs cel {b}"),
            (Err(EvalError::Missing { pointer: a }), Err(EvalError::Missing { pointer: b })) => {
                assert_eq!(a, b, "`{src}`")
            }
            (Err(_), Err(_)) => {}
            _ => panic!("`{src}`: direct {fast:?} vs cel {cel:?}"),
        }
    }
}

#[test]
fn the_direct_evaluator_agrees_with_cel() {
    for src in [
        "product.sector == 'electrical-electronic' && 'EU' in product.markets",
        "product.sector == 'packaging' || 'US' in product.markets",
        "'CN' in product.markets && !('US' in product.markets)",
        "component.mass > 0.5",
        "component.mass >= 0.5 && component.mass <= 1.5",
        "component.mass * 2.0 + 1.0 == 2.0",
        "component.mass / 0.0 > 1.0",
        "-component.mass < 0.0",
        "component.substances.lead + component.substances.cadmium <= params.lead_max",
        "component.substances.mercury <= 1.0",
        "has(component.recycled)",
        "has(component.recycled) && component.recycled.post_consumer > 10.0",
        "component.?recycled.?post_consumer.orValue(0.0) > 0.0",
        "component.?recycled.?pre_consumer.orValue(0.0) > 0.0 || component.?recycled.?post_consumer.orValue(0.0) > 0.0",
        "component.material['class'] == 'plastic'",
        "component.id == 'C1' ? component.mass : 0.0",
        "component.id == 1.0",
        "component.id < 1.0",
        "component.id < 'C2'",
        "component.mass == null",
        "null == null",
        "true && component.nope > 1.0",
        "false && component.nope > 1.0",
        "component.nope > 1.0 && false",
        "component.nope > 1.0 || true",
        "component.nope > 1.0 || false",
        "component.mass && true",
        "!component.mass",
        "'lead' in component.substances",
        "'EU' in ['CN', 'EU']",
        "2 in [1.0, 2.0]",
        "component.id + '-x' == 'C1-x'",
        "evaluation_date >= '2026-01-01'",
        "product.name",
        "params.lead_max",
        "params.name == 'x'",
        "battery.category == 'ev'",
        "components.exists(c, c.material.class == 'plastic')",
        "components.all(c, c.mass > 0.0)",
        "components.all(c, c.mass > 1.0)",
        "components.exists(c, c.substances.mercury > 0.0)",
        "components.all(c, c.substances.mercury > 0.0)",
        "components.map(c, c.mass)",
        "components.map(c, c.mass > 1.0, c.id)",
        "components.filter(c, c.material.class == 'steel').map(c, c.id)",
        "sum(components.map(c, c.mass))",
        "sum(components.filter(c, c.material.class == 'plastic').map(c, c.mass * c.?recycled.?post_consumer.orValue(0.0))) / sum(components.map(c, c.mass))",
        "sum([])",
        "sum(components.map(c, c.id))",
        "sum(components.map(c, c.substances.mercury))",
        "components.map(c, c.substances.mercury)",
        "product.?exemptions.orValue([]).exists(e, e.regulation == '2011/65/EU')",
        "product.?mass.orValue(sum(components.map(c, c.mass)))",
        "product.markets.exists(m, m.startsWith('E'))",
        "product.markets.map(m, m + '-x')",
        "product.name.endsWith('tor') && product.name.contains('oni')",
        "components.map(component, component.id)",
        "components.exists(c, components.exists(d, c.mass < d.mass))",
        "'C2' in components.map(c, c.id)",
        "components.map(c, c.material).exists(m, m.class == 'steel')",
        "components.exists(c, c)",
        "size(components) > 1",
        "components.size() == 2",
        "size(product.markets) >= 2 && size(product.name) == 7",
        "size(component.substances) > 1",
        "size(component.?recycled.?lots.orValue([])) > 0",
        "size(submission.?evidence.orValue([])) == 0",
        "size(component.mass) > 0",
        "size(component.nope) > 0",
        "components.filter(c, c.mass > 1.0).size() == 1",
        "components.exists(c, size(c.substances) == 1)",
        "component.?recycled.?post_consumer.hasValue()",
        "component.recycled.?post_consumer.hasValue()",
        "component.?recycled.?pre_consumer.hasValue() || component.?material.?class.hasValue()",
        "component.?mass.?value.hasValue()",
        "components.exists(c, c.?recycled.?post_consumer.hasValue())",
        "component.nope > 1.0 || component.other > 1.0",
        "component.nope > 1.0 && size(component.other) > 0",
        "{'markets': size(product.markets), 'share': component.?recycled.?post_consumer.orValue('-')}",
        "{'lots': size(component.?recycled.?lots.orValue([])) > 0 ? component.recycled.lots : ['-'], 'substances': component.substances, 'id': component.id}",
        "{'nope': component.nope}",
        "product.markets.join(', ')",
        "'ids: ' + (size(components) > 0 ? components.map(c, c.id).join('/') : 'none')",
        "components.map(c, c.mass).join(',')",
        "product.name.upperAscii() == 'MONITOR' && product.name.lowerAscii().contains('mon')",
        "component.id.lowerAscii()",
        "product.name.replace('o', '0').replace('M', '') + '!'",
        "component.mass.upperAscii()",
        // Sums of a map, over a filter or not.
        "sum(components.filter(c, c.mass > 1.0).map(c, c.mass))",
        "sum(components.filter(c, c.mass > 9.0).map(c, c.mass))",
        "sum(components.map(c, c.mass > 1.0, c.mass * 2.0))",
        "sum(components.filter(c, c.substances.mercury > 0.0).map(c, c.mass))",
        "sum(components.filter(c, c.mass > 0.0).map(c, c.substances.cadmium))",
        "sum(components.filter(c, c.mass > 0.0).map(c, c.id))",
        "sum(components.filter(c, c.mass).map(c, c.mass))",
        "sum(components.map(c, c.mass, c.mass))",
        "sum(components.map(c, c.id == 'C2', c.id))",
        "sum(product.markets.filter(m, m != 'EU').map(m, 1.0))",
        "sum([1.0, 2.0, 3.0].filter(x, x > 1.0).map(x, x * 2.0))",
        "sum(product.name.map(x, 1.0))",
        "sum(components.filter(c, c.mass > 1.0).map(c, components.filter(d, d.mass <= c.mass).size() == 2 ? c.mass : 0.0))",
        // Loops over a filter's elements.
        "components.filter(c, c.mass > 1.0).all(c, c.id == 'C2')",
        "components.filter(c, c.mass > 0.1).all(c, c.id == 'C2')",
        "components.filter(c, c.mass > 0.1).exists(c, c.substances.mercury > 0.0)",
        "components.filter(c, c.mass > 0.1).exists(c, c.mass)",
        "components.filter(c, c.substances.mercury > 0.0).size() == 0",
        "components.filter(c, c.mass > 1.0).filter(c, c.id == 'C2').map(c, c.id)",
        "size(components.filter(c, c.mass > 0.1)) == 2",
        "size(product.markets.filter(m, m == 'EU')) == 1",
        "components.filter(c, c.id).size() == 1",
    ] {
        agree(src);
    }
}

#[test]
fn loops_are_evaluated_directly() {
    let env = env();
    for src in [
        "components.exists(c, c.material.class == 'plastic')",
        "sum(components.filter(c, c.material.class == 'plastic').map(c, c.mass))",
        "product.?exemptions.orValue([]).exists(e, e.regulation == '2011/65/EU' && e.clause.startsWith('Art. 2(4)'))",
        "product.?mass.orValue(sum(components.map(c, c.mass)))",
    ] {
        let expr = env.compile(src).unwrap();
        with_scope(|_, scope| {
            // The direct evaluator gives the value itself, without the crate.
            let direct = expr.fast.as_ref().unwrap().eval(scope);
            assert!(direct.is_ok(), "`{src}`: {direct:?}");
            assert_eq!(
                fast::to_json(direct.unwrap()),
                expr.eval_with_cel(scope).unwrap()
            );
        });
    }
}

#[test]
fn direct_loops_charge_the_budget() {
    // 2 000 × 2 000 steps of a nested loop are past the iteration limit,
    // whichever evaluator runs them.
    let components: Vec<Json> = (0..2_000)
        .map(|i| json!({"id": format!("C{i}"), "mass": 1.0}))
        .collect();
    let json = json!({"product": {"markets": []}, "components": components});
    let env = env();
    let json = crate::load::Doc::from_value(json);
    let data = SubmissionData::new(&json, "2026-11-28");
    let params = Params::new(json!({}));
    let root = env.context();
    let scope = Scope::new(&root, &data, &params).with_new_budget();
    let expr = env
        .compile("components.all(a, components.all(b, a.mass == b.mass))")
        .unwrap();
    assert!(expr.is_direct());
    assert_eq!(
        expr.eval(&scope),
        Err(EvalError::Budget(cost::Exceeded::Iterations))
    );
}

#[test]
fn a_sum_of_a_map_charges_the_budget_as_its_lists_do() {
    // 100 components, so that a sum of many elements is charged in full.
    let components: Vec<Json> = (0..100)
        .map(|i| json!({"id": format!("C{i}"), "mass": f64::from(i) / 4.0}))
        .collect();
    let json = crate::load::Doc::from_value(json!({"components": components}));
    let env = env();
    let data = SubmissionData::new(&json, "2026-11-28");
    let params = Params::new(json!({}));
    let root = env.context();
    for (sum, lists) in [
        (
            "sum(components.filter(c, c.mass > 10.0).map(c, c.mass))",
            "components.filter(c, c.mass > 10.0).map(c, c.mass)",
        ),
        (
            "sum(components.map(c, c.mass < 3.0, c.mass))",
            "components.map(c, c.mass < 3.0, c.mass)",
        ),
        (
            "sum(components.map(c, c.mass))",
            "components.map(c, c.mass)",
        ),
    ] {
        let (sum, lists) = (env.compile(sum).unwrap(), env.compile(lists).unwrap());
        let scope = Scope::new(&root, &data, &params).with_new_budget();
        let direct = sum.eval(&scope).unwrap();
        let spent = scope.budget.spent();
        assert_eq!(direct, sum.eval_with_cel(&scope).unwrap());
        let scope = Scope::new(&root, &data, &params).with_new_budget();
        let Json::Array(items) = lists.eval(&scope).unwrap() else {
            panic!("not a list");
        };
        assert_eq!(spent, scope.budget.spent(), "{}", sum.source());
        let total = items.iter().filter_map(Json::as_f64).sum::<f64>();
        assert_eq!(direct, json!(total), "{}", sum.source());
        assert!(spent.0 >= 100 && spent.1 > 0, "{spent:?}");
    }
    // A filter's size costs what its list does.
    let size = env
        .compile("size(components.filter(c, c.mass > 10.0)) == 59")
        .unwrap();
    let list = env.compile("components.filter(c, c.mass > 10.0)").unwrap();
    let scope = Scope::new(&root, &data, &params).with_new_budget();
    assert_eq!(size.eval(&scope).unwrap(), json!(true));
    let spent = scope.budget.spent();
    let scope = Scope::new(&root, &data, &params).with_new_budget();
    list.eval(&scope).unwrap();
    assert_eq!(spent, scope.budget.spent());
}

#[test]
fn a_renewed_budget_is_spent_by_nothing_and_a_shared_one_is_not_reset() {
    let components: Vec<Json> = (0..10).map(|i| json!({"mass": f64::from(i)})).collect();
    let json = crate::load::Doc::from_value(json!({"components": components}));
    let env = env();
    let data = SubmissionData::new(&json, "2026-11-28");
    let params = Params::new(json!({}));
    let root = env.context();
    let expr = env.compile("components.map(c, c.mass)").unwrap();
    let mut scope = Scope::new(&root, &data, &params).with_new_budget();
    expr.eval(&scope).unwrap();
    let spent = scope.budget.spent();
    assert_eq!(spent, (10, 80));
    scope.renew_budget();
    assert_eq!(scope.budget.spent(), (0, 0));
    expr.eval(&scope).unwrap();
    // Shared with a component's scope: that one keeps what was spent.
    let component = scope.with_component(0, &json["components"][0]);
    scope.renew_budget();
    assert_eq!(scope.budget.spent(), (0, 0));
    assert_eq!(component.budget.spent(), spent);
}

#[test]
fn expressions_beyond_the_limits_are_refused_before_parsing() {
    // Each of these overflowed the stack of the parser or of a walk over its
    // tree; they are refused with the limit instead.
    let env = env();
    let terms = vec!["1.0"; 15_000].join(" + ");
    let error = env.compile(&terms).unwrap_err();
    assert!(error.too_large);
    assert!(
        error.message.contains("the limit is 16384 bytes"),
        "{}",
        error.message
    );
    let terms = vec!["1"; 1_500].join("+");
    let error = env.compile(&terms).unwrap_err();
    assert!(error.too_large);
    assert!(
        error.message.contains("operators; the limit is 1000"),
        "{}",
        error.message
    );
    for (open, close) in [("(", ")"), ("[", "]"), ("[(", ")]")] {
        let nested = format!("{}1.0{}", open.repeat(200), close.repeat(200));
        let error = env.compile(&nested).unwrap_err();
        assert!(error.too_large);
        assert!(
            error.message.contains("the limit is 32 levels"),
            "{}",
            error.message
        );
        assert_eq!((error.line, error.column), (1, 33));
    }
    let long = format!("'{}' == ''", "x".repeat(limits::MAX_BYTES));
    assert!(env.compile(&long).unwrap_err().too_large);
    // Brackets and operators inside strings do not count.
    let quoted = format!(
        "'{}' != '' && r\"{}\" != ''",
        "(".repeat(200),
        "+".repeat(2_000)
    );
    assert_eq!(
        with_scope(|env, scope| env.compile(&quoted).unwrap().eval(scope)).unwrap(),
        json!(true)
    );
}

#[test]
fn expressions_at_the_limits_compile_and_evaluate() {
    // Compiled in the default test thread stack, in a debug build, and
    // evaluated on a worker of the pool, as `recert check` does: what the
    // limits let through must overflow neither.
    let depth = limits::MAX_DEPTH;
    let ops = limits::MAX_OPERATORS;
    let cases = [
        (
            vec!["components[0].mass"; ops / 3].join(" + "),
            json!(0.5 * (ops / 3) as f64),
        ),
        (vec!["1.0"; ops].join("+"), json!(ops as f64)),
        (
            format!("{}1.0{}", "(".repeat(depth), ")".repeat(depth)),
            json!(1.0),
        ),
        (
            format!(
                "{}1.0{} == 1.0",
                "[(".repeat(depth / 2),
                ")][0]".repeat(depth / 2)
            ),
            json!(true),
        ),
        (
            format!(
                "{}{}{}",
                "(1.0 + ".repeat(depth),
                vec!["1.0"; ops - 2 * depth].join("+"),
                ")".repeat(depth)
            ),
            json!((ops - depth) as f64),
        ),
    ];
    let env = env();
    let compiled: Vec<(Expr, Json)> = cases
        .into_iter()
        .map(|(src, want)| (env.compile(&src).unwrap(), want))
        .collect();
    let json = submission();
    let json = crate::load::Doc::from_value(json);
    let data = SubmissionData::new(&json, "2026-11-28");
    let params = Params::new(json!({}));
    let results = crate::parallel::map(&compiled, 1, |(expr, want)| {
        let root = env.context();
        let scope = Scope::new(&root, &data, &params);
        expr.eval(&scope).ok() == Some(want.clone())
    });
    assert!(results.iter().all(|r| *r == Some(true)), "{results:?}");
}

/// Evaluates `src` over `n` components whose product name is `name_len` bytes long.
fn eval_over(src: &str, n: usize, name_len: usize) -> Result<Json, EvalError> {
    let env = env();
    let components: Vec<Json> = (0..n)
        .map(|i| json!({"id": format!("C{i}"), "mass": 1.0, "material": {"class": "steel"}}))
        .collect();
    let json = json!({
        "product": {"name": "x".repeat(name_len)},
        "components": components,
    });
    let json = crate::load::Doc::from_value(json);
    let data = SubmissionData::new(&json, "2026-11-28");
    let params = Params::new(json!({}));
    let root = env.context();
    let scope = Scope::new(&root, &data, &params);
    env.compile(src).unwrap().eval(&scope)
}

#[test]
fn nested_loops_past_the_iteration_budget_are_an_error() {
    let nested =
        "components.all(a, components.all(b, components.all(c, a.mass + b.mass + c.mass >= 0.0)))";
    // 30³ = 27 000 steps are within the budget.
    assert_eq!(eval_over(nested, 30, 1).unwrap(), json!(true));
    // 200³ = 8 000 000 are not; the loops stop soon after the budget is spent.
    let started = std::time::Instant::now();
    assert_eq!(
        eval_over(nested, 200, 1),
        Err(EvalError::Budget(cost::Exceeded::Iterations))
    );
    assert!(started.elapsed().as_secs() < 60);
    // `exists` too; an error that a later `false` absorbs in `all` still counts.
    for src in [
        "components.exists(a, components.exists(b, components.exists(c, a.mass < 0.0)))",
        "components.all(a, components.all(b, components.all(c, c.mass > 0.0) || false))",
    ] {
        assert_eq!(
            eval_over(src, 110, 1),
            Err(EvalError::Budget(cost::Exceeded::Iterations)),
            "{src}"
        );
    }
    // A list built by `lists.range` is charged before it is built.
    assert_eq!(
        eval_over("lists.range(100000000).size() > 0", 1, 1),
        Err(EvalError::Budget(cost::Exceeded::Iterations))
    );
}

#[test]
fn text_built_past_the_byte_budget_is_an_error() {
    // 1 000 components × 2 × 100 KB of text: 200 MB built in one loop.
    let src = "components.map(c, product.name + c.id + product.name).size() > 0";
    assert_eq!(eval_over(src, 10, 100_000).unwrap(), json!(true));
    assert_eq!(
        eval_over(src, 1_000, 100_000),
        Err(EvalError::Budget(cost::Exceeded::Bytes))
    );
    let joined = "components.map(c, product.name).join(',').size() > 0";
    assert_eq!(
        eval_over(joined, 1_000, 100_000),
        Err(EvalError::Budget(cost::Exceeded::Bytes))
    );
}

#[test]
fn unknown_functions_are_named_with_the_closest_known_one() {
    let env = env();
    for known in [
        "size(components) > 0",
        "components.exists(c, c.id.startsWith('C') && c.id.matches('^C[0-9]+$'))",
        "math.abs(-1.0) == 1.0 && sum(components.map(c, c.mass)) > 0.0",
        "lists.range(3).size() == 3 && ['b', 'a'].sort()[0] == 'a'",
        "product.name.lowerAscii().contains('x') || string(1) == '1' || int('2') == 2",
        "has(product.name) && optional.of(1).orValue(2) == 1",
    ] {
        let expr = env.compile(known).unwrap();
        assert_eq!(env.unknown_functions(&expr), [], "{known}");
    }
    let expr = env
        .compile("components.all(c, c.id.startWith('C')) && math.abss(-1.0) > 0.0 && szie(components) > 0")
        .unwrap();
    assert_eq!(
        env.unknown_functions(&expr),
        [
            ("startWith".to_owned(), Some("startsWith")),
            ("math.abss".to_owned(), Some("math.abs")),
            ("szie".to_owned(), Some("size")),
        ]
    );
}

#[test]
fn invalid_regex_literals_are_found() {
    let env = env();
    let ok = env.compile("product.name.matches('^[A-Z]+$')").unwrap();
    assert_eq!(ok.invalid_regexes(), []);
    let bad = env
        .compile("product.name.matches('^[A-Z+$') || matches(product.name, '(a')")
        .unwrap();
    let found = bad.invalid_regexes();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "^[A-Z+$");
    assert!(found[0].1.contains("unclosed character class"), "{found:?}");
    assert!(found[1].1.contains("unclosed group"), "{found:?}");
}

#[test]
fn the_names_an_expression_reads_from_an_open_map() {
    let env = env();
    let expr = env
        .compile(
            "component.substances.lead < 10.0 && has(component.substances.pfas_total) \
             && component.?substances.?total_fluorine.orValue(0.0) < 50.0 \
             && component.substances['cadmium'] < 1.0 && 'mercury' in component.substances \
             && components.all(c, c.properties.density > 0.0) && component.material.class == 'x'",
        )
        .unwrap();
    assert_eq!(
        expr.keys_read("substances"),
        ["lead", "pfas_total", "total_fluorine", "cadmium", "mercury"]
    );
    assert_eq!(expr.keys_read("properties"), ["density"]);
}

#[test]
fn the_items_of_a_list_are_read_in_place_as_eval_gives_them() {
    with_scope(|env, scope| {
        for src in [
            "components.filter(c, c.material.class == 'plastic')",
            "components.filter(c, c.mass > 0.0)",
            "components",
        ] {
            let expr = env.compile(src).unwrap();
            let items = expr.eval_items(scope).unwrap();
            let items: Vec<Json> = items.into_iter().map(Doc::to_value).collect();
            assert_eq!(Json::Array(items), expr.eval(scope).unwrap(), "{src}");
        }
        // Not a list of the submission's values: left to `eval`.
        for src in [
            "components.map(c, c.mass)",
            "components.size()",
            "product.name",
            "components.filter(c, c.nothing == 1)",
        ] {
            let expr = env.compile(src).unwrap();
            assert!(expr.eval_items(scope).is_none(), "{src}");
        }
    });
}
