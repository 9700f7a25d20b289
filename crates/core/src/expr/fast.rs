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
//! - `in` a literal list, a JSON list (element equality) or a JSON object (key);
//! - list literals, and the macros `all`, `exists`, `filter` and `map` (with
//!   or without its filter) over lists, their variables read like paths:
//!   `sum(components.filter(c, c.material.class == 'plastic').map(c, c.mass))`;
//! - `sum(list)` and the string methods `startsWith`, `endsWith`, `contains`;
//! - `size(x)` (or `x.size()`) compared with an integer literal, or as a
//!   value of a map literal; `base.?a.?b.hasValue()`;
//! - `list.join(separator)`, `upperAscii()`, `lowerAscii()`, `replace(from, to)`;
//! - a map literal with distinct string keys, as the whole expression.
//!
//! A loop's iterations and the lists and strings built are charged to the
//! rule's [`Budget`](super::Budget), as the `cel` crate's are. Any error
//! inside a loop (a missing field in one element, say) is left to the crate,
//! so that what an error absorbs and what it reports are the crate's.

use crate::load::Doc as Json;
use cel::common::ast::{Expr, IdedExpr, LiteralValue, SelectExpr};

use super::paths::{FieldPath, select_chain};
use super::{EvalError, Scope, VARIABLES};

/// A compiled expression of the subset.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Lit(Lit),
    Path(FieldPath),
    /// A field path on a macro's variable: `c.substances.lead` in
    /// `components.map(c, c.substances.lead)`.
    Local {
        /// The variable's place among those bound, outermost first.
        index: usize,
        segments: Vec<String>,
    },
    /// `base.?a.?b.orValue(default)`.
    OrValue {
        base: Box<Node>,
        optional: Vec<String>,
        default: Box<Node>,
    },
    /// `base.?a.?b.hasValue()`.
    HasValue {
        base: Box<Node>,
        optional: Vec<String>,
    },
    /// `size(x)` or `x.size()` of a list, map or string, where it is
    /// compared with an integer literal (CEL's size is an int: elsewhere,
    /// as a value, it would be written as one; compared with an integer,
    /// a double of it orders the same).
    Size(Box<Node>),
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
    /// A macro over the elements of `range`, each bound in turn as the
    /// innermost variable while `body` is evaluated.
    Loop {
        kind: LoopKind,
        range: Box<Node>,
        body: Box<Node>,
    },
    /// `sum(list)`.
    Sum(Box<Node>),
    /// `list.join(separator)`, of a list of strings.
    Join(Box<Node>, Box<Node>),
    /// `text.upperAscii()` (`true`) or `text.lowerAscii()`.
    Case(bool, Box<Node>),
    /// `text.replace(from, to)`.
    Replace(Box<Node>, Box<Node>, Box<Node>),
    /// A map literal with distinct string keys, as the whole expression (a
    /// rule's `actual`): its value is only written, never operated on.
    Map(Vec<(String, Node)>),
    /// `text.startsWith(part)` and the like.
    Text(TextOp, Box<Node>, Box<Node>),
}

/// Which macro a [`Node::Loop`] is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LoopKind {
    /// `all(v, body)`.
    All,
    /// `exists(v, body)`.
    Exists,
    /// `filter(v, body)`.
    Filter,
    /// `map(v, body)`, or `map(v, filter, body)`.
    Map(Option<Box<Node>>),
}

/// A string method that answers true or false.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextOp {
    StartsWith,
    EndsWith,
    Contains,
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
    /// A list the expression built.
    List(Vec<Value<'a>>),
    /// A map literal's entries (the whole expression's value only).
    Map(Vec<(&'a str, Value<'a>)>),
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
    let mut locals = Vec::new();
    if let Expr::Map(map) = &expr.expr {
        let mut entries: Vec<(String, Node)> = Vec::with_capacity(map.entries.len());
        for entry in &map.entries {
            let cel::common::ast::EntryExpr::MapEntry(entry) = &entry.expr else {
                return None;
            };
            let Expr::Literal(LiteralValue::String(key)) = &entry.key.expr else {
                return None;
            };
            let key = key.inner();
            if entry.optional || entries.iter().any(|(k, _)| k == key) {
                return None;
            }
            // A size is a value here (written as a number, as the crate's
            // int is), not an operand.
            let value = match sized(&entry.value) {
                Some(x) => Node::Size(Box::new(compile_in(x, &mut locals)?)),
                None => compile_in(&entry.value, &mut locals)?,
            };
            entries.push((key.to_owned(), value));
        }
        return Some(Node::Map(entries));
    }
    compile_in(expr, &mut locals)
}

/// Compiles `expr` with the macro variables `locals` bound, outermost first.
fn compile_in(expr: &IdedExpr, locals: &mut Vec<String>) -> Option<Node> {
    if let Some(path) = select_chain(expr) {
        // A macro's variable hides a variable of recert's of the same name.
        if let Some(index) = locals.iter().rposition(|l| *l == path.root()) {
            return Some(Node::Local {
                index,
                segments: path.segments().to_vec(),
            });
        }
        if VARIABLES.contains(&path.root()) {
            return Some(Node::Path(path));
        }
        return None;
    }
    match &expr.expr {
        Expr::Literal(literal) => literal_of(literal).map(Node::Lit),
        Expr::Select(SelectExpr {
            operand,
            field,
            test: true,
        }) => Some(Node::Has {
            base: Box::new(compile_in(operand, locals)?),
            field: field.clone(),
        }),
        Expr::List(list) if list.optional_indices.is_empty() => Some(Node::List(
            list.elements
                .iter()
                .map(|e| compile_in(e, locals))
                .collect::<Option<Vec<_>>>()?,
        )),
        Expr::Comprehension(comprehension) => compile_loop(comprehension, locals),
        Expr::Call(call) => {
            if call.func_name == "orValue" && call.args.len() == 1 {
                return or_value(call.target.as_deref()?, call.args.first()?, locals);
            }
            if call.func_name == "hasValue" && call.args.is_empty() {
                let (base, optional) = optional_chain(call.target.as_deref()?, locals)?;
                return Some(Node::HasValue {
                    base: Box::new(base),
                    optional,
                });
            }
            if let Some(target) = call.target.as_deref() {
                match (call.func_name.as_str(), call.args.as_slice()) {
                    ("join", [separator]) => {
                        let list = compile_in(target, locals)?;
                        let separator = compile_in(separator, locals)?;
                        return Some(Node::Join(Box::new(list), Box::new(separator)));
                    }
                    ("upperAscii" | "lowerAscii", []) => {
                        let upper = call.func_name == "upperAscii";
                        return Some(Node::Case(upper, Box::new(compile_in(target, locals)?)));
                    }
                    ("replace", [from, to]) => {
                        let text = compile_in(target, locals)?;
                        let from = compile_in(from, locals)?;
                        let to = compile_in(to, locals)?;
                        return Some(Node::Replace(Box::new(text), Box::new(from), Box::new(to)));
                    }
                    _ => {}
                }
                let op = match call.func_name.as_str() {
                    "startsWith" => TextOp::StartsWith,
                    "endsWith" => TextOp::EndsWith,
                    "contains" => TextOp::Contains,
                    _ => return None,
                };
                let [part] = call.args.as_slice() else {
                    return None;
                };
                let text = compile_in(target, locals)?;
                let part = compile_in(part, locals)?;
                return Some(Node::Text(op, Box::new(text), Box::new(part)));
            }
            let mut arg = |i: usize| {
                call.args
                    .get(i)
                    .and_then(|a| compile_in(a, locals))
                    .map(Box::new)
            };
            match (call.func_name.as_str(), call.args.len()) {
                ("sum", 1) => Some(Node::Sum(arg(0)?)),
                ("_&&_", 2) => Some(Node::And(arg(0)?, arg(1)?)),
                ("_||_", 2) => Some(Node::Or(arg(0)?, arg(1)?)),
                ("!_", 1) => Some(Node::Not(arg(0)?)),
                ("-_", 1) => Some(Node::Neg(arg(0)?)),
                ("_?_:_", 3) => Some(Node::Cond(arg(0)?, arg(1)?, arg(2)?)),
                ("@in", 2) => Some(Node::In(arg(0)?, arg(1)?)),
                (name, 2) => {
                    if let Some(op) = cmp_of(name) {
                        let [left, right] = call.args.as_slice() else {
                            return None;
                        };
                        let a = compared(left, right, locals)?;
                        let b = compared(right, left, locals)?;
                        Some(Node::Cmp(op, Box::new(a), Box::new(b)))
                    } else {
                        let op = arith_of(name)?;
                        Some(Node::Arith(op, arg(0)?, arg(1)?))
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The name the CEL parser gives a macro's accumulator.
const ACCUMULATOR: &str = "@result";

/// A comprehension the parser expanded from `all`, `exists`, `filter` or
/// `map` (their expansions are recognised by their accumulator's start and
/// step; anything else is left to the crate).
fn compile_loop(
    comprehension: &cel::common::ast::ComprehensionExpr,
    locals: &mut Vec<String>,
) -> Option<Node> {
    if comprehension.iter_var2.is_some()
        || comprehension.accu_var != ACCUMULATOR
        || !is_accumulator(&comprehension.result)
    {
        return None;
    }
    let range = compile_in(&comprehension.iter_range, locals)?;
    locals.push(comprehension.iter_var.clone());
    let compiled = loop_of(comprehension, locals);
    locals.pop();
    let (kind, body) = compiled?;
    Some(Node::Loop {
        kind,
        range: Box::new(range),
        body: Box::new(body),
    })
}

/// The macro and its body, with the macro's variable bound in `locals`.
fn loop_of(
    comprehension: &cel::common::ast::ComprehensionExpr,
    locals: &mut Vec<String>,
) -> Option<(LoopKind, Node)> {
    let Expr::Call(step) = &comprehension.loop_step.expr else {
        return None;
    };
    let init = &comprehension.accu_init.expr;
    match (init, step.func_name.as_str(), step.args.as_slice()) {
        // all: `@result && p`, from true.
        (Expr::Literal(LiteralValue::Boolean(b)), "_&&_", [accu, predicate])
            if *b.inner() && is_accumulator(accu) =>
        {
            Some((LoopKind::All, compile_in(predicate, locals)?))
        }
        // exists: `@result || p`, from false.
        (Expr::Literal(LiteralValue::Boolean(b)), "_||_", [accu, predicate])
            if !*b.inner() && is_accumulator(accu) =>
        {
            Some((LoopKind::Exists, compile_in(predicate, locals)?))
        }
        // map: `@result + [f]`, from [].
        (Expr::List(empty), "_+_", [accu, appended])
            if empty.elements.is_empty() && is_accumulator(accu) =>
        {
            Some((LoopKind::Map(None), compile_in(single(appended)?, locals)?))
        }
        // filter, or map with a filter: `p ? @result + [x] : @result`, from [].
        (Expr::List(empty), "_?_:_", [predicate, append, accu])
            if empty.elements.is_empty() && is_accumulator(accu) =>
        {
            let Expr::Call(append) = &append.expr else {
                return None;
            };
            let [accu, appended] = append.args.as_slice() else {
                return None;
            };
            if append.func_name != "_+_" || !is_accumulator(accu) {
                return None;
            }
            let element = single(appended)?;
            let predicate = compile_in(predicate, locals)?;
            let variable = locals.len().checked_sub(1)?;
            match compile_in(element, locals)? {
                Node::Local { index, segments } if index == variable && segments.is_empty() => {
                    Some((LoopKind::Filter, predicate))
                }
                body => Some((LoopKind::Map(Some(Box::new(predicate))), body)),
            }
        }
        _ => None,
    }
}

fn is_accumulator(expr: &IdedExpr) -> bool {
    matches!(&expr.expr, Expr::Ident(name) if name == ACCUMULATOR)
}

/// The one element of a list literal `[x]`.
fn single(list: &IdedExpr) -> Option<&IdedExpr> {
    match &list.expr {
        Expr::List(list) if list.optional_indices.is_empty() => match list.elements.as_slice() {
            [element] => Some(element),
            _ => None,
        },
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

/// An operand of a comparison with `other`: `size(x)` (or `x.size()`)
/// only when `other` is an integer literal (see [`Node::Size`]).
fn compared(operand: &IdedExpr, other: &IdedExpr, locals: &mut Vec<String>) -> Option<Node> {
    let sized = sized(operand);
    let integer = matches!(&other.expr, Expr::Literal(LiteralValue::Int(i)) if i.inner().unsigned_abs() < (1 << 53));
    match sized {
        Some(x) if integer => Some(Node::Size(Box::new(compile_in(x, locals)?))),
        _ => compile_in(operand, locals),
    }
}

/// The `x` of `size(x)` or `x.size()`.
fn sized(expr: &IdedExpr) -> Option<&IdedExpr> {
    match &expr.expr {
        Expr::Call(call) if call.func_name == "size" => {
            match (call.target.as_deref(), call.args.as_slice()) {
                (None, [x]) | (Some(x), []) => Some(x),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `base.?a.?b.orValue(default)`.
fn or_value(target: &IdedExpr, default: &IdedExpr, locals: &mut Vec<String>) -> Option<Node> {
    let (base, optional) = optional_chain(target, locals)?;
    Some(Node::OrValue {
        base: Box::new(base),
        optional,
        default: Box::new(compile_in(default, locals)?),
    })
}

/// `base.?a.?b`: the base (a path) and the optional fields, outermost first.
fn optional_chain(target: &IdedExpr, locals: &mut Vec<String>) -> Option<(Node, Vec<String>)> {
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
    let base = compile_in(current, locals)?;
    if !matches!(base, Node::Path(_) | Node::Local { .. }) {
        return None;
    }
    Some((base, optional))
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

/// The value at the end of the optional chain `base.?a.?b...`: `None` when a
/// field along it is absent; an error when `base` or a value along it is
/// not an object.
fn walk_optional<'a>(base: Value<'a>, optional: &[String]) -> Result<Option<&'a Json>, Failure> {
    let Value::Json(mut value) = base else {
        return Err(Failure::Unsupported);
    };
    for name in optional {
        match value {
            Json::Object(map) => match map.get(name) {
                Some(next) => value = next,
                None => return Ok(None),
            },
            _ => return Err(Failure::Unsupported),
        }
    }
    Ok(Some(value))
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
        Value::Json(Json::Array(_)) | Value::List(_) => "list",
        Value::Json(_) | Value::Map(_) => "map",
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
        (Value::Json(_) | Value::List(_) | Value::Map(_), _)
        | (_, Value::Json(_) | Value::List(_) | Value::Map(_)) => return None,
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
        self.eval_in(scope, &mut Vec::new())
    }

    /// Evaluates the node in `scope` with the macro variables `locals` bound.
    fn eval_in<'v, 's: 'v>(
        &'v self,
        scope: &Scope<'s, '_>,
        locals: &mut Vec<Value<'v>>,
    ) -> Result<Value<'v>, Failure> {
        match self {
            Node::Lit(lit) => Ok(lit.value()),
            Node::Path(path) => Ok(of_json(scope.read(path)?)),
            Node::Local { index, segments } => {
                let value = locals.get(*index).ok_or(Failure::Unsupported)?;
                if segments.is_empty() {
                    return Ok(value.clone());
                }
                // A field of the variable: read through it, not a copy of it.
                let &Value::Json(mut json) = value else {
                    return Err(Failure::Unsupported);
                };
                for segment in segments {
                    json = match json {
                        Json::Object(map) => map.get(segment).ok_or(Failure::Unsupported)?,
                        _ => return Err(Failure::Unsupported),
                    };
                }
                Ok(of_json(json))
            }
            Node::OrValue {
                base,
                optional,
                default,
            } => {
                // The crate evaluates the default first, whatever the base holds.
                let default = default
                    .eval_in(scope, locals)
                    .map_err(|_| Failure::Unsupported)?;
                // `.?f` on a scalar is an error in CEL.
                Ok(walk_optional(base.eval_in(scope, locals)?, optional)?.map_or(default, of_json))
            }
            Node::HasValue { base, optional } => {
                let found = walk_optional(base.eval_in(scope, locals)?, optional)?;
                Ok(Value::Bool(found.is_some()))
            }
            Node::Size(inner) => {
                let size = match inner.eval_in(scope, locals)? {
                    Value::Json(Json::Array(items)) => items.len(),
                    Value::Json(Json::Object(map)) => map.len(),
                    Value::List(items) => items.len(),
                    Value::Str(text) => text.chars().count(),
                    Value::Owned(text) => text.chars().count(),
                    _ => return Err(Failure::Unsupported),
                };
                Ok(Value::Num(size as f64))
            }
            Node::Has { base, field } => match base.eval_in(scope, locals)? {
                Value::Json(Json::Object(map)) => Ok(Value::Bool(map.contains_key(field))),
                _ => Err(Failure::Unsupported),
            },
            Node::Not(inner) => match inner.eval_in(scope, locals)? {
                Value::Bool(b) => Ok(Value::Bool(!b)),
                other => Err(type_error(format!(
                    "`!` needs a bool, found a {}",
                    kind(&other)
                ))),
            },
            Node::Neg(inner) => match inner.eval_in(scope, locals)? {
                Value::Num(n) => Ok(Value::Num(-n)),
                other => Err(type_error(format!(
                    "`-` needs a number, found a {}",
                    kind(&other)
                ))),
            },
            Node::And(a, b) => logic(a.eval_in(scope, locals), || b.eval_in(scope, locals), false),
            Node::Or(a, b) => logic(a.eval_in(scope, locals), || b.eval_in(scope, locals), true),
            Node::Cond(c, a, b) => match c.eval_in(scope, locals)? {
                Value::Bool(true) => a.eval_in(scope, locals),
                Value::Bool(false) => b.eval_in(scope, locals),
                other => Err(type_error(format!(
                    "the condition of `? :` is a {}, not a bool",
                    kind(&other)
                ))),
            },
            Node::Cmp(op, a, b) => {
                let (a, b) = (a.eval_in(scope, locals)?, b.eval_in(scope, locals)?);
                let result = compare(*op, &a, &b).map(Value::Bool);
                discard(a);
                discard(b);
                result
            }
            Node::Arith(op, a, b) => {
                let (a, b) = (a.eval_in(scope, locals)?, b.eval_in(scope, locals)?);
                match (op, &a, &b) {
                    (Arith::Add, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x + y)),
                    (Arith::Sub, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x - y)),
                    (Arith::Mul, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x * y)),
                    (Arith::Div, Value::Num(x), Value::Num(y)) => Ok(Value::Num(x / y)),
                    (Arith::Add, _, _) => match (as_str(&a), as_str(&b)) {
                        (Some(x), Some(y)) => {
                            spend(scope, (x.len() + y.len()) as u64, true)?;
                            Ok(Value::Owned(format!("{x}{y}")))
                        }
                        _ => Err(Failure::Unsupported),
                    },
                    _ => Err(Failure::Unsupported),
                }
            }
            Node::In(needle, haystack) => {
                let needle = needle.eval_in(scope, locals)?;
                if let Node::List(items) = &**haystack {
                    for item in items {
                        if equals(&needle, &item.eval_in(scope, locals)?)
                            .ok_or(Failure::Unsupported)?
                        {
                            return Ok(Value::Bool(true));
                        }
                    }
                    return Ok(Value::Bool(false));
                }
                match haystack.eval_in(scope, locals)? {
                    Value::Json(Json::Array(items)) => {
                        for item in items {
                            if equals(&needle, &of_json(item)).ok_or(Failure::Unsupported)? {
                                return Ok(Value::Bool(true));
                            }
                        }
                        Ok(Value::Bool(false))
                    }
                    Value::List(items) => {
                        for item in &items {
                            if equals(&needle, item).ok_or(Failure::Unsupported)? {
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
                }
            }
            Node::List(items) => Ok(Value::List(
                items
                    .iter()
                    .map(|item| item.eval_in(scope, locals))
                    .collect::<Result<_, _>>()?,
            )),
            Node::Loop { kind, range, body } => {
                // Any error in a loop is the crate's to report (see the module doc).
                run_loop(kind, range, body, scope, locals).map_err(|failure| match failure {
                    Failure::Error(error @ EvalError::Budget(_)) => Failure::Error(error),
                    _ => Failure::Unsupported,
                })
            }
            Node::Sum(list) => {
                let mut total = 0.0_f64;
                match list.eval_in(scope, locals)? {
                    Value::Json(Json::Array(items)) => {
                        for item in items {
                            total += item.as_f64().ok_or(Failure::Unsupported)?;
                        }
                    }
                    Value::List(items) => {
                        for item in items {
                            let Value::Num(n) = item else {
                                return Err(Failure::Unsupported);
                            };
                            total += n;
                        }
                    }
                    _ => return Err(Failure::Unsupported),
                }
                Ok(Value::Num(total))
            }
            Node::Join(..) | Node::Case(..) | Node::Replace(..) | Node::Map(_) => {
                self.eval_built(scope, locals)
            }
            Node::Text(op, text, part) => {
                let (text, part) = (text.eval_in(scope, locals)?, part.eval_in(scope, locals)?);
                let (Some(text), Some(part)) = (as_str(&text), as_str(&part)) else {
                    return Err(Failure::Unsupported);
                };
                Ok(Value::Bool(match op {
                    TextOp::StartsWith => text.starts_with(part),
                    TextOp::EndsWith => text.ends_with(part),
                    TextOp::Contains => text.contains(part),
                }))
            }
        }
    }

    /// The nodes that build a string or map: apart from [`Node::eval_in`],
    /// whose frame (it recurses for every node) they would make larger.
    #[inline(never)]
    fn eval_built<'v, 's: 'v>(
        &'v self,
        scope: &Scope<'s, '_>,
        locals: &mut Vec<Value<'v>>,
    ) -> Result<Value<'v>, Failure> {
        match self {
            Node::Join(list, separator) => {
                let separator = separator.eval_in(scope, locals)?;
                let separator = as_str(&separator).ok_or(Failure::Unsupported)?;
                let mut joined = String::new();
                let mut join = |i: usize, part: Option<&str>| {
                    let part = part.ok_or(Failure::Unsupported)?;
                    if i > 0 {
                        joined.push_str(separator);
                    }
                    joined.push_str(part);
                    Ok::<_, Failure>(())
                };
                match list.eval_in(scope, locals)? {
                    Value::Json(Json::Array(items)) => {
                        for (i, item) in items.iter().enumerate() {
                            join(i, item.as_str())?;
                        }
                    }
                    Value::List(items) => {
                        for (i, item) in items.iter().enumerate() {
                            join(i, as_str(item))?;
                        }
                    }
                    _ => return Err(Failure::Unsupported),
                }
                spend(scope, joined.len() as u64, true)?;
                Ok(Value::Owned(joined))
            }
            Node::Case(upper, text) => {
                let text = text.eval_in(scope, locals)?;
                let text = as_str(&text).ok_or(Failure::Unsupported)?;
                let changed = if *upper {
                    text.to_ascii_uppercase()
                } else {
                    text.to_ascii_lowercase()
                };
                spend(scope, changed.len() as u64, true)?;
                Ok(Value::Owned(changed))
            }
            Node::Replace(text, from, to) => {
                let (text, from, to) = (
                    text.eval_in(scope, locals)?,
                    from.eval_in(scope, locals)?,
                    to.eval_in(scope, locals)?,
                );
                let (Some(text), Some(from), Some(to)) =
                    (as_str(&text), as_str(&from), as_str(&to))
                else {
                    return Err(Failure::Unsupported);
                };
                let replaced = text.replace(from, to);
                spend(scope, replaced.len() as u64, true)?;
                Ok(Value::Owned(replaced))
            }
            Node::Map(entries) => {
                let mut map = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    map.push((key.as_str(), value.eval_in(scope, locals)?));
                }
                Ok(Value::Map(map))
            }
            _ => Err(Failure::Unsupported),
        }
    }
}

/// Drops `value`, without the call to its drop glue when it holds nothing
/// to free (most values compared are numbers, strings read in place and
/// JSON references: the glue, recursive through lists, is not inlined).
#[inline(always)]
fn discard(value: Value<'_>) {
    match value {
        Value::Owned(_) | Value::List(_) | Value::Map(_) => drop(value),
        Value::Null | Value::Bool(_) | Value::Num(_) | Value::Str(_) | Value::Json(_) => {
            std::mem::forget(value)
        }
    }
}

/// Evaluates the macro `kind` over the elements of `range`.
fn run_loop<'v, 's: 'v>(
    kind: &'v LoopKind,
    range: &'v Node,
    body: &'v Node,
    scope: &Scope<'s, '_>,
    locals: &mut Vec<Value<'v>>,
) -> Result<Value<'v>, Failure> {
    let range = range.eval_in(scope, locals)?;
    let len = match &range {
        Value::Json(Json::Array(items)) => items.len(),
        Value::List(items) => items.len(),
        _ => return Err(Failure::Unsupported),
    };
    spend(scope, len as u64, false)?;
    // A `map` or `filter` list in one allocation (up to a few dozen
    // elements: a filter over many keeps few), not grown element by element.
    let mut built = match kind {
        LoopKind::Filter | LoopKind::Map(_) => Vec::with_capacity(len.min(64)),
        LoopKind::All | LoopKind::Exists => Vec::new(),
    };
    for i in 0..len {
        let element = match &range {
            Value::Json(Json::Array(items)) => items.get(i).map(of_json),
            Value::List(items) => items.get(i).cloned(),
            _ => None,
        }
        .ok_or(Failure::Unsupported)?;
        locals.push(element);
        let outcome = step(kind, body, scope, locals);
        let element = locals.pop().ok_or(Failure::Unsupported)?;
        match (kind, outcome?) {
            (LoopKind::Map(_), None) => {}
            (LoopKind::All, Some(Value::Bool(false))) => return Ok(Value::Bool(false)),
            (LoopKind::Exists, Some(Value::Bool(true))) => return Ok(Value::Bool(true)),
            (LoopKind::All | LoopKind::Exists, Some(Value::Bool(_))) => {}
            (LoopKind::Filter, Some(Value::Bool(keep))) => {
                if keep {
                    built.push(element);
                }
            }
            (LoopKind::Map(_), Some(value)) => built.push(value),
            _ => return Err(Failure::Unsupported),
        }
    }
    match kind {
        LoopKind::All => Ok(Value::Bool(true)),
        LoopKind::Exists => Ok(Value::Bool(false)),
        LoopKind::Filter | LoopKind::Map(_) => {
            spend(scope, 8 * built.len() as u64, true)?;
            Ok(Value::List(built))
        }
    }
}

/// One element's step: the body's value, or `None` when `map`'s filter
/// leaves the element out.
fn step<'v, 's: 'v>(
    kind: &'v LoopKind,
    body: &'v Node,
    scope: &Scope<'s, '_>,
    locals: &mut Vec<Value<'v>>,
) -> Result<Option<Value<'v>>, Failure> {
    if let LoopKind::Map(Some(filter)) = kind {
        match filter.eval_in(scope, locals)? {
            Value::Bool(true) => {}
            Value::Bool(false) => return Ok(None),
            _ => return Err(Failure::Unsupported),
        }
    }
    body.eval_in(scope, locals).map(Some)
}

/// Charges the rule's budget for `amount` iterations, or bytes built.
fn spend(scope: &Scope<'_, '_>, amount: u64, bytes: bool) -> Result<(), Failure> {
    scope
        .budget
        .spend_direct(amount, bytes)
        .map_err(|exceeded| Failure::Error(EvalError::Budget(exceeded)))
}

/// `&&` (`short` = false) and `||` (`short` = true), commutative over errors:
/// a `short` operand decides whatever the other gives; of two errors, the
/// right operand's is given, as the crate gives it.
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
        // Both failed: the crate gives the right operand's error.
        (_, Err(error)) | (Err(error), _) => Err(error),
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
pub(crate) fn to_json(value: Value<'_>) -> serde_json::Value {
    use serde_json::Value as V;
    match value {
        Value::Null => V::Null,
        Value::Bool(b) => V::Bool(b),
        Value::Num(n) => serde_json::Number::from_f64(n).map_or(V::Null, V::Number),
        Value::Str(s) => V::String(s.to_owned()),
        Value::Owned(s) => V::String(s),
        Value::Json(json) => json.to_value(),
        Value::List(items) => V::Array(items.into_iter().map(to_json).collect()),
        // Inserted in turn: the keys are distinct (see `compile`), and
        // collecting them would copy the entries into a list and sort it first.
        Value::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (key, value) in entries {
                map.insert(key.to_owned(), to_json(value));
            }
            V::Object(map)
        }
    }
}
