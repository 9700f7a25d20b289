//! A direct evaluator for the small part of CEL that most rules are made of.
//!
//! Rule guards and values are mostly field paths compared with literals,
//! joined by `&&` and `||`: `product.sector == 'packaging' && 'EU' in
//! product.markets`. The `cel` crate evaluates such an expression in about a
//! microsecond (it resolves qualified names and dispatches overloads on every
//! evaluation); reading the JSON directly takes tens of nanoseconds. So when an
//! expression uses only the constructs below, it is compiled into a [`Node`]
//! tree too, and evaluated here; anything else, and any value this evaluator
//! does not handle (a whole list compared with `==`, say), is left to the
//! crate. A test evaluates every expression of the bundled packs both ways
//! over every fixture and requires the same result (`expr::tests`).
//!
//! The subset, with CEL's semantics:
//! - literals: `null`, bools, numbers (all doubles, as submission numbers are),
//!   strings;
//! - field paths on recert's variables (`component.substances.lead`); an
//!   absent field is an error naming its JSON pointer;
//! - optional chains ending in a default: `component.?recycled.?post_consumer.orValue(0.0)`;
//! - `has(path.field)`;
//! - `== != < <= > >=`: numbers, strings, bools and null; `==` between values
//!   of different types is `false`, ordering them is an error;
//! - `&& || !` with CEL's error absorption (`false && error` is `false`, in
//!   either order); `? :`;
//! - `+ - * /` and unary `-` on numbers, `+` on strings;
//! - `in` a literal list, a JSON list (element equality) or a JSON object (key).

use cel::common::ast::{Expr, IdedExpr, LiteralValue, SelectExpr};
use serde_json::Value as Json;

use super::paths::{FieldPath, as_field_path};
use super::{EvalError, Scope};

/// A compiled expression of the subset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Lit(Lit),
    Path(FieldPath),
    /// `base.?a.?b.orValue(default)`.
    OrValue {
        base: FieldPath,
        optional: Vec<String>,
        default: Lit,
    },
    /// `has(base.field)`.
    Has {
        base: Box<Node>,
        field: String,
    },
    Not(Box<Node>),
    Neg(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(Cmp, Box<Node>, Box<Node>),
    Arith(Arith, Box<Node>, Box<Node>),
    In(Box<Node>, Box<Node>),
    List(Vec<Node>),
    Cond(Box<Node>, Box<Node>, Box<Node>),
}

/// A literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Owned(String),
    /// A JSON list or object from the submission.
    Json(&'a Json),
}

/// Why the fast path did not give a value.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A CEL error: the expression's outcome.
    Error(EvalError),
    /// Something this evaluator does not handle: ask the crate.
    Unsupported,
}

impl From<EvalError> for Failure {
    fn from(error: EvalError) -> Self {
        Failure::Error(error)
    }
}

/// Compiles `expr` if it is entirely in the subset.
pub(crate) fn compile(expr: &IdedExpr) -> Option<Node> {
    if let Some(path) = as_field_path(expr) {
        return Some(Node::Path(path));
    }
    match &expr.expr {
        Expr::Literal(literal) => literal_of(literal).map(Node::Lit),
        Expr::Select(SelectExpr {
            operand,
            field,
            test: true,
        }) => Some(Node::Has {
            base: Box::new(compile(operand)?),
            field: field.clone(),
        }),
        Expr::List(list) if list.optional_indices.is_empty() => Some(Node::List(
            list.elements
                .iter()
                .map(compile)
                .collect::<Option<Vec<_>>>()?,
        )),
        Expr::Call(call) => {
            let arg = |i: usize| call.args.get(i).and_then(compile).map(Box::new);
            if call.func_name == "orValue" && call.args.len() == 1 {
                return or_value(call.target.as_deref()?, call.args.first()?);
            }
            if call.target.is_some() {
                return None;
            }
            match (call.func_name.as_str(), call.args.len()) {
                ("_&&_", 2) => Some(Node::And(arg(0)?, arg(1)?)),
                ("_||_", 2) => Some(Node::Or(arg(0)?, arg(1)?)),
                ("!_", 1) => Some(Node::Not(arg(0)?)),
                ("-_", 1) => Some(Node::Neg(arg(0)?)),
                ("_?_:_", 3) => Some(Node::Cond(arg(0)?, arg(1)?, arg(2)?)),
                ("@in", 2) => Some(Node::In(arg(0)?, arg(1)?)),
                (name, 2) => {
                    if let Some(op) = cmp_of(name) {
                        Some(Node::Cmp(op, arg(0)?, arg(1)?))
                    } else {
                        arith_of(name).and_then(|op| Some(Node::Arith(op, arg(0)?, arg(1)?)))
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn literal_of(literal: &LiteralValue) -> Option<Lit> {
    Some(match literal {
        LiteralValue::Null => Lit::Null,
        LiteralValue::Boolean(b) => Lit::Bool(*b.inner()),
        LiteralValue::Double(d) => Lit::Num(*d.inner()),
        // Integer literals outside arithmetic stay ints in CEL; comparing them
        // with doubles is numeric, which is what `Num` does. Only exact ones.
        LiteralValue::Int(i) if i.inner().unsigned_abs() < (1 << 53) => Lit::Num(*i.inner() as f64),
        LiteralValue::String(s) => Lit::Str(s.inner().to_owned()),
        _ => return None,
    })
}

fn cmp_of(name: &str) -> Option<Cmp> {
    Some(match name {
        "_==_" => Cmp::Eq,
        "_!=_" => Cmp::Ne,
        "_<_" => Cmp::Lt,
        "_<=_" => Cmp::Le,
        "_>_" => Cmp::Gt,
        "_>=_" => Cmp::Ge,
        _ => return None,
    })
}

fn arith_of(name: &str) -> Option<Arith> {
    Some(match name {
        "_+_" => Arith::Add,
        "_-_" => Arith::Sub,
        "_*_" => Arith::Mul,
        "_/_" => Arith::Div,
        _ => return None,
    })
}

/// `base.?a.?b.orValue(default)`, where `base` is a field path.
fn or_value(target: &IdedExpr, default: &IdedExpr) -> Option<Node> {
    let Expr::Literal(default) = &default.expr else {
        return None;
    };
    let default = literal_of(default)?;
    let mut optional = Vec::new();
    let mut current = target;
    loop {
        match &current.expr {
            Expr::Call(call) if call.func_name == "_?._" && call.target.is_none() => {
                let [operand, field] = call.args.as_slice() else {
                    return None;
                };
                let Expr::Literal(LiteralValue::String(field)) = &field.expr else {
                    return None;
                };
                optional.push(field.inner().to_owned());
                current = operand;
            }
            _ => break,
        }
    }
    if optional.is_empty() {
        return None;
    }
    optional.reverse();
    Some(Node::OrValue {
        base: as_field_path(current)?,
        optional,
        default,
    })
}

impl Lit {
    fn value(&self) -> Value<'_> {
        match self {
            Lit::Null => Value::Null,
            Lit::Bool(b) => Value::Bool(*b),
            Lit::Num(n) => Value::Num(*n),
            Lit::Str(s) => Value::Str(s),
        }
    }
}

fn of_json(json: &Json) -> Value<'_> {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Value::Str(s),
        other => Value::Json(other),
    }
}

fn type_error(message: String) -> Failure {
    Failure::Error(EvalError::Type(message))
}

fn kind(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Num(_) => "double",
        Value::Str(_) | Value::Owned(_) => "string",
        Value::Json(Json::Array(_)) => "list",
        Value::Json(_) => "map",
    }
}

fn as_str<'v>(value: &'v Value<'_>) -> Option<&'v str> {
    match value {
        Value::Str(s) => Some(s),
        Value::Owned(s) => Some(s),
        _ => None,
    }
}

/// CEL equality of two scalars; `None` for lists and maps (left to the crate).
fn equals(a: &Value<'_>, b: &Value<'_>) -> Option<bool> {
    Some(match (a, b) {
        (Value::Json(_), _) | (_, Value::Json(_)) => return None,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => match (as_str(a), as_str(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    })
}

impl Node {
    /// Evaluates the node in `scope`.
    pub(crate) fn eval<'v, 's: 'v>(&'v self, scope: &Scope<'s, '_>) -> Result<Value<'v>, Failure> {
        match self {
            Node::Lit(lit) => Ok(lit.value()),
            Node::Path(path) => Ok(of_json(scope.read(path)?)),
            Node::OrValue {
                base,
                optional,
                default,
            } => {
                let mut value = scope.read(base)?;
                for field in optional {
                    match value {
                        Json::Object(map) => match map.get(field) {
                            Some(next) => value = next,
                            None => return Ok(default.value()),
                        },
                        // `.?f` on a non-map is an error in CEL.
                        _ => return Err(Failure::Unsupported),
                    }
                }
                Ok(of_json(value))
            }
            Node::Has { base, field } => match base.eval(scope)? {
                Value::Json(Json::Object(map)) => Ok(Value::Bool(map.contains_key(field))),
                _ => Err(Failure::Unsupported),
            },
            Node::Not(inner) => match inner.eval(scope)? {
                Value::Bool(b) => Ok(Value::Bool(!b)),
                other => Err(type_error(format!(
                    "`!` needs a bool, found a {}",
                    kind(&other)
                ))),
            },
            Node::Neg(inner) => match inner.eval(scope)? {
                Value::Num(n) => Ok(Value::Num(-n)),
                other => Err(type_error(format!(
                    "`-` needs a number, found a {}",
                    kind(&other)
                ))),
            },
            Node::And(a, b) => logic(a.eval(scope), || b.eval(scope), false),
            Node::Or(a, b) => logic(a.eval(scope), || b.eval(scope), true),
            Node::Cond(c, a, b) => match c.eval(scope)? {
                Value::Bool(true) => a.eval(scope),
                Value::Bool(false) => b.eval(scope),
                other => Err(type_error(format!(
                    "the condition of `? :` is a {}, not a bool",
                    kind(&other)
                ))),
            },
            Node::Cmp(op, a, b) => {
                let (a, b) = (a.eval(scope)?, b.eval(scope)?);
                compare(*op, &a, &b).map(Value::Bool)
            }
            Node::Arith(op, a, b) => {
                let (a, b) = (a.eval(scope)?, b.eval(scope)?);
                match (op, &a, &b) {
                    (Arith::Add, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x + y)),
                    (Arith::Sub, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x - y)),
                    (Arith::Mul, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x * y)),
                    (Arith::Div, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x / y)),
                    (Arith::Add, _, _) => match (as_str(&a), as_str(&b)) {
                        (Some(x), Some(y)) => Ok(Value::Owned(format!("{x}{y}"))),
                        _ => Err(Failure::Unsupported),
                    },
                    _ => Err(Failure::Unsupported),
                }
            }
            Node::In(needle, haystack) => {
                let needle = needle.eval(scope)?;
                match &**haystack {
                    Node::List(items) => {
                        for item in items {
                            if equals(&needle, &item.eval(scope)?).ok_or(Failure::Unsupported)? {
                                return Ok(Value::Bool(true));
                            }
                        }
                        Ok(Value::Bool(false))
                    }
                    other => match other.eval(scope)? {
                        Value::Json(Json::Array(items)) => {
                            for item in items {
                                if equals(&needle, &of_json(item)).ok_or(Failure::Unsupported)? {
                                    return Ok(Value::Bool(true));
                                }
                            }
                            Ok(Value::Bool(false))
                        }
                        Value::Json(Json::Object(map)) => match as_str(&needle) {
                            Some(key) => Ok(Value::Bool(map.contains_key(key))),
                            None => Err(Failure::Unsupported),
                        },
                        _ => Err(Failure::Unsupported),
                    },
                }
            }
            Node::List(_) => Err(Failure::Unsupported),
        }
    }
}

/// `&&` (`short` = false) and `||` (`short` = true), commutative over errors:
/// a `short` operand decides whatever the other gives.
fn logic<'v>(
    a: Result<Value<'v>, Failure>,
    b: impl FnOnce() -> Result<Value<'v>, Failure>,
    short: bool,
) -> Result<Value<'v>, Failure> {
    if matches!(a, Ok(Value::Bool(x)) if x == short) {
        return Ok(Value::Bool(short));
    }
    if matches!(a, Err(Failure::Unsupported)) {
        return Err(Failure::Unsupported);
    }
    let b = b();
    match (a, b) {
        (_, Ok(Value::Bool(y))) if y == short => Ok(Value::Bool(short)),
        (_, Err(Failure::Unsupported)) => Err(Failure::Unsupported),
        (Ok(Value::Bool(_)), Ok(Value::Bool(_))) => Ok(Value::Bool(!short)),
        (Err(error), _) | (_, Err(error)) => Err(error),
        (Ok(a), Ok(b)) => {
            let other = if matches!(a, Value::Bool(_)) { b } else { a };
            Err(type_error(format!(
                "`{}` needs bools, found a {}",
                if short { "||" } else { "&&" },
                kind(&other)
            )))
        }
    }
}

fn compare(op: Cmp, a: &Value<'_>, b: &Value<'_>) -> Result<bool, Failure> {
    if matches!(op, Cmp::Eq | Cmp::Ne) {
        let eq = equals(a, b).ok_or(Failure::Unsupported)?;
        return Ok(if op == Cmp::Eq { eq } else { !eq });
    }
    let ordering = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => match (as_str(a), as_str(b)) {
            (Some(x), Some(y)) => Some(x.cmp(y)),
            _ => {
                return Err(type_error(format!(
                    "cannot order a {} and a {}",
                    kind(a),
                    kind(b)
                )));
            }
        },
    };
    let Some(ordering) = ordering else {
        // Only a computed NaN has no order (data holds finite numbers).
        return Err(Failure::Error(EvalError::NotFinite {
            expression: String::new(),
        }));
    };
    Ok(match op {
        Cmp::Lt => ordering.is_lt(),
        Cmp::Le => ordering.is_le(),
        Cmp::Gt => ordering.is_gt(),
        Cmp::Ge => ordering.is_ge(),
        Cmp::Eq | Cmp::Ne => false,
    })
}

/// A value as JSON, for reports.
pub(crate) fn to_json(value: Value<'_>) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Num(n) => serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_owned()),
        Value::Owned(s) => Json::String(s),
        Value::Json(json) => json.clone(),
    }
}
