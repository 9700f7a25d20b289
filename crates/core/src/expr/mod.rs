//! CEL expressions: the only module that touches the `cel` crate.
//!
//! [`ExprEnv`] compiles an expression once, when a pack is loaded, into an
//! [`Expr`]. [`SubmissionData`] holds one submission's values, converted for
//! CEL at most once. A [`Scope`] binds the variables of one evaluation (the
//! current component, the pack's params) and borrows everything else, so an
//! evaluation allocates nothing but what the expression itself computes.
//!
//! Two things here go beyond calling the crate:
//! - a *field path* (`component.substances.lead`, a chain of selections on a
//!   variable) is read straight from the JSON, which gives the same result as
//!   CEL, much faster, and the exact JSON path of a missing field;
//! - when CEL reports a missing key, the field paths the expression mentions
//!   are walked to name the missing one (`/components/3/substances/lead`).

pub mod cost;
mod fast;
mod functions;
mod json_val;
pub mod limits;
mod literals;
mod paths;

use std::fmt;
use std::sync::{Arc, OnceLock};

use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, Env, ExecutionError, IdedExpr};
use serde_json::Value as Json;

use crate::load::Doc;

use crate::load::pointer_escape;

pub use cost::Budget;
use paths::Root;
pub use paths::{ElementPath, FieldPath};

/// The variables an expression may use, besides the macros' own.
pub const VARIABLES: &[&str] = &[
    "submission",
    "product",
    "applicant",
    "components",
    "battery",
    "evidence",
    "component",
    "params",
    "evaluation_date",
];

/// The namespaces of the extensions' functions (`math.abs`).
const NAMESPACES: &[&str] = &["math", "lists", "strings", "optional", "base64"];

/// The top-level submission fields that are also variables of their own.
const TOP_LEVEL: &[&str] = &["product", "applicant", "components", "battery", "evidence"];

/// The CEL environment: the standard library, optional syntax, the `math`,
/// `lists` and `strings` extensions and recert's own functions. One per
/// process is enough; it is cheap to share.
#[derive(Clone)]
pub struct ExprEnv {
    env: Arc<Env>,
}

impl fmt::Debug for ExprEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ExprEnv")
    }
}

/// Why the CEL environment cannot be built: an extension or one of recert's
/// functions conflicts with another declaration (an error in recert itself).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(transparent)]
pub struct EnvError(cel::DeclarationError);

impl ExprEnv {
    /// Builds the environment.
    pub fn new() -> Result<Self, EnvError> {
        let mut env = Env::stdlib();
        env.add_extension(cel::extensions::math)
            .and_then(|_| env.add_extension(cel::extensions::lists))
            .and_then(|_| env.add_extension(cel::extensions::strings))
            .map_err(EnvError)?;
        functions::register(&mut env).map_err(EnvError)?;
        cost::register(&mut env).map_err(EnvError)?;
        Ok(ExprEnv { env: Arc::new(env) })
    }

    /// Compiles `source`. Checks the syntax and that every variable it uses
    /// exists; fields are only checked when evaluated (and by `recert lint`).
    pub fn compile(&self, source: &str) -> Result<Expr, SyntaxError> {
        // The parser and the walks over its tree recurse, a deep frame per
        // nesting level in a debug build: they run on a stack large enough
        // for the limits (the caller's, when it already has one).
        crate::parallel::with_large_stack(|| self.compile_here(source))
    }

    fn compile_here(&self, source: &str) -> Result<Expr, SyntaxError> {
        // The parser recurses; an expression too big for it is refused first.
        if let Err((exceeded, offset)) = limits::check(source) {
            let before = source.get(..offset).unwrap_or_default();
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            return Err(SyntaxError {
                message: exceeded.message(),
                line: before.matches('\n').count() + 1,
                column: before.get(line_start..).map_or(0, |l| l.chars().count()) + 1,
                too_large: true,
            });
        }
        let mut expression = self.env.parser().parse(source).map_err(|errors| {
            let first = errors.errors.first();
            SyntaxError {
                message: plain_parse_message(
                    &first
                        .map(|e| e.msg.clone())
                        .unwrap_or_else(|| errors.to_string()),
                ),
                line: first.map_or(1, |e| usize::try_from(e.pos.0).unwrap_or(1).max(1)),
                column: first.map_or(1, |e| usize::try_from(e.pos.1).unwrap_or(0) + 1),
                too_large: false,
            }
        })?;
        literals::int_operands_to_double(&mut expression);
        let references = expression.references();
        let bound = paths::comprehension_variables(&expression);
        if let Some(unknown) = references
            .variables()
            .into_iter()
            .find(|v| !VARIABLES.contains(v) && !bound.iter().any(|b| b == v))
        {
            return Err(SyntaxError {
                message: format!(
                    "unknown variable `{unknown}`; the variables are {}",
                    VARIABLES.join(", ")
                ),
                line: 1,
                column: source.find(unknown).map_or(1, |i| i + 1),
                too_large: false,
            });
        }
        let mut variables: Vec<String> = references
            .variables()
            .into_iter()
            .filter(|v| VARIABLES.contains(v) && !bound.iter().any(|b| b == v))
            .map(str::to_owned)
            .collect();
        variables.sort();
        variables.dedup();
        let (field_paths, element_paths) = paths::field_paths(&expression);
        let fast = fast::compile(&expression);
        // The crate evaluates what the direct evaluator leaves to it, loops too.
        cost::instrument(&mut expression);
        Ok(Expr {
            fast,
            reads_component: variables.iter().any(|v| v == "component"),
            variables,
            expression,
            source: source.to_owned(),
            field_paths,
            element_paths,
        })
    }

    /// Whether a function (or method) called `name` is declared: CEL's
    /// standard library, the extensions or recert's own. A qualified name is
    /// written whole (`math.abs`).
    pub fn has_function(&self, name: &str) -> bool {
        // The crate lists no names; declaring a function of the same name in
        // a context fails exactly when the environment has one.
        let mut probe = Context::with_env(Arc::clone(&self.env));
        probe.add_function(name, |a: i64| a).is_err()
    }

    /// The functions `expr` calls that are not declared, each with the
    /// closest declared name when one is close enough to be a typo of it.
    pub fn unknown_functions(&self, expr: &Expr) -> Vec<(String, Option<&'static str>)> {
        let mut unknown: Vec<(String, Option<&'static str>)> = Vec::new();
        visit(&expr.expression, &mut |node| {
            let IdedExpr {
                expr: cel::common::ast::Expr::Call(call),
                ..
            } = node
            else {
                return;
            };
            let name = &call.func_name;
            // Operators (`_+_`, `@in`, `!_`) and the budget's counters are no
            // names an author writes.
            if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return;
            }
            let qualified = match call.target.as_deref() {
                Some(IdedExpr {
                    expr: cel::common::ast::Expr::Ident(namespace),
                    ..
                }) if NAMESPACES.contains(&namespace.as_str()) => {
                    format!("{namespace}.{name}")
                }
                _ => name.clone(),
            };
            if !self.has_function(&qualified)
                && !self.has_function(name)
                && !unknown.iter().any(|(n, _)| *n == qualified)
            {
                let suggestion = crate::suggest::closest(
                    &qualified,
                    functions::KNOWN
                        .iter()
                        .copied()
                        .filter(|k| functions::MACROS.contains(k) || self.has_function(k)),
                );
                unknown.push((qualified, suggestion));
            }
        });
        unknown
    }

    /// A root context for evaluations; make one per thread or per submission.
    pub fn context(&self) -> RootContext {
        RootContext {
            context: Context::with_env(Arc::clone(&self.env)),
        }
    }
}

/// The CEL parser's message in plain words: some of its messages name its
/// own Rust types ("Incomplete `ExprContext` for `_?_:_` expression!",
/// "No `MemberContextAll`!") or dump a struct (`ParseError { … }`).
fn plain_parse_message(message: &str) -> String {
    let internal = (message.starts_with("Incomplete `") || message.starts_with("No `"))
        && message.contains("Context");
    if internal || message.contains("ParseError {") || message.contains("Option<") {
        return "the expression is incomplete here: an operand, an argument or a closing bracket is missing"
            .to_owned();
    }
    message.to_owned()
}

/// A CEL syntax error, positioned within the expression (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Line within the expression.
    pub line: usize,
    /// Column within that line.
    pub column: usize,
    /// The expression exceeds a size limit of [`limits`] and was not parsed.
    pub too_large: bool,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A compiled expression.
pub struct Expr {
    /// The same expression for the direct evaluator, when it is in its subset.
    fast: Option<fast::Node>,
    expression: IdedExpr,
    source: String,
    /// The variables it reads (of [`VARIABLES`]), sorted.
    variables: Vec<String>,
    /// Whether `variables` holds `component` (asked for every component
    /// a rule's guard is evaluated for).
    reads_component: bool,
    field_paths: Vec<FieldPath>,
    element_paths: Vec<ElementPath>,
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Expr").field(&self.source).finish()
    }
}

impl Expr {
    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The variables of [`VARIABLES`] the expression reads, sorted.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// Whether the expression reads `component` (its value may differ
    /// from one component to the next).
    pub fn reads_component(&self) -> bool {
        self.reads_component
    }

    /// Every chain of field selections on a variable the expression contains
    /// (`component.substances.lead`), for diagnostics and linting.
    pub fn field_paths(&self) -> &[FieldPath] {
        &self.field_paths
    }

    /// Field paths read in the elements of lists the expression iterates
    /// (`components.map(c, c.mass)`), for diagnostics and linting.
    pub fn element_paths(&self) -> &[ElementPath] {
        &self.element_paths
    }

    /// The names the expression reads from an open map called `map`
    /// (`substances`, `properties`) wherever it is: `c.substances.lead`,
    /// `has(c.substances.lead)`, `c.?substances.?lead`,
    /// `c.substances['lead']`, `'lead' in c.substances`.
    pub fn keys_read(&self, map: &str) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        let is_map = |node: &IdedExpr| selection(node).is_some_and(|(_, name)| name == map);
        visit(&self.expression, &mut |node| {
            let key = match selection(node) {
                Some((operand, key)) if is_map(operand) => Some(key),
                _ => match &node.expr {
                    cel::common::ast::Expr::Call(call) if call.func_name == "@in" => {
                        match call.args.as_slice() {
                            [needle, haystack] if is_map(haystack) => string_literal(needle),
                            _ => None,
                        }
                    }
                    _ => None,
                },
            };
            if let Some(key) = key
                && !keys.iter().any(|k| k == key)
            {
                keys.push(key.to_owned());
            }
        });
        keys
    }

    /// The literal patterns given to `matches` that are not valid regular
    /// expressions, each with the reason (every evaluation would fail).
    pub fn invalid_regexes(&self) -> Vec<(String, String)> {
        let mut invalid: Vec<(String, String)> = Vec::new();
        visit(&self.expression, &mut |node| {
            let IdedExpr {
                expr: cel::common::ast::Expr::Call(call),
                ..
            } = node
            else {
                return;
            };
            if call.func_name != "matches" {
                return;
            }
            if let Some(IdedExpr {
                expr:
                    cel::common::ast::Expr::Literal(cel::common::ast::LiteralValue::String(pattern)),
                ..
            }) = call.args.last()
                && let Err(error) = regex::Regex::new(pattern.inner())
            {
                let pattern = pattern.inner().to_owned();
                if !invalid.iter().any(|(p, _)| *p == pattern) {
                    // The crate's message spans lines, with the pattern drawn
                    // over them; its last line says what is wrong.
                    let reason = error
                        .to_string()
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .map(|l| l.trim().trim_start_matches("error: ").to_owned())
                        .unwrap_or_default();
                    invalid.push((pattern, reason));
                }
            }
        });
        invalid
    }

    /// The field path, when the whole expression is one.
    pub fn as_field_path(&self) -> Option<&FieldPath> {
        match &self.fast {
            Some(fast::Node::Path(path)) => Some(path),
            _ => None,
        }
    }

    /// Whether the expression is evaluated without the `cel` crate (the `fast` module).
    pub fn is_direct(&self) -> bool {
        self.fast.is_some()
    }

    /// Evaluates to a JSON value.
    pub fn eval(&self, scope: &Scope<'_, '_>) -> Result<Json, EvalError> {
        if let Some(node) = &self.fast {
            match node.eval(scope) {
                Ok(fast::Value::Num(n)) if !n.is_finite() => return Err(self.not_finite()),
                Ok(value) => return Ok(fast::to_json(value)),
                Err(fast::Failure::Error(error)) => return Err(self.own(error)),
                Err(fast::Failure::Unsupported) => {}
            }
        }
        self.eval_with_cel(scope)
    }

    /// The items of the list the expression gives, read in place in the
    /// submission, when the fast path gives a list of its values
    /// (`components.filter(c, ...)`); `None` otherwise (an error, another
    /// value, or an expression left to the crate), where [`Expr::eval`]
    /// says what it is. [`Expr::eval`] would convert each item, a whole
    /// component, to a `serde_json::Value`: the fix of a failed recycled
    /// share did that for every plastic component, a tenth of evaluating
    /// the packaging rules (by instructions, `callgrind`).
    pub(crate) fn eval_items<'v, 's: 'v>(&'v self, scope: &Scope<'s, '_>) -> Option<Vec<&'v Doc>> {
        match self.fast.as_ref()?.eval(scope).ok()? {
            fast::Value::Json(Doc::Array(items)) => Some(items.iter().collect()),
            fast::Value::List(items) => items
                .into_iter()
                .map(|item| match item {
                    fast::Value::Json(doc) => Some(doc),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// Evaluates to a JSON value with the `cel` crate alone (tests compare the two ways).
    #[doc(hidden)]
    pub fn eval_with_cel(&self, scope: &Scope<'_, '_>) -> Result<Json, EvalError> {
        self.run(scope, |value| {
            json_val::to_json(value).ok_or_else(|| {
                EvalError::Type(format!(
                    "`{}` gives a value of type {} that a report cannot show",
                    self.source,
                    value.get_type().name()
                ))
            })
        })?
    }

    /// Evaluates to a number.
    pub fn eval_number(&self, scope: &Scope<'_, '_>) -> Result<f64, EvalError> {
        if let Some(path) = self.as_field_path() {
            let value = scope.read(path)?;
            return value.as_f64().ok_or_else(|| {
                EvalError::Type(format!(
                    "`{}` at {} is {}, not a number",
                    path,
                    scope.pointer_of(path, path.segments().len()),
                    describe_json(value)
                ))
            });
        }
        if let Some(node) = &self.fast {
            match node.eval(scope) {
                Ok(fast::Value::Num(n)) if !n.is_finite() => return Err(self.not_finite()),
                Ok(fast::Value::Num(n)) => return Ok(n),
                Ok(other) => {
                    return Err(EvalError::Type(format!(
                        "`{}` gives {}, not a number",
                        self.source,
                        describe_json(&Doc::from_value(fast::to_json(other)))
                    )));
                }
                Err(fast::Failure::Error(error)) => return Err(self.own(error)),
                Err(fast::Failure::Unsupported) => {}
            }
        }
        self.run(scope, |value| {
            json_val::as_f64(value).ok_or_else(|| {
                EvalError::Type(format!(
                    "`{}` gives a {}, not a number",
                    self.source,
                    value.get_type().name()
                ))
            })
        })?
    }

    /// Evaluates to a bool.
    pub fn eval_bool(&self, scope: &Scope<'_, '_>) -> Result<bool, EvalError> {
        if let Some(node) = &self.fast {
            match node.eval(scope) {
                Ok(fast::Value::Bool(b)) => return Ok(b),
                Ok(other) => {
                    return Err(EvalError::Type(format!(
                        "`{}` gives {}, not true or false",
                        self.source,
                        describe_json(&Doc::from_value(fast::to_json(other)))
                    )));
                }
                Err(fast::Failure::Error(error)) => return Err(self.own(error)),
                Err(fast::Failure::Unsupported) => {}
            }
        }
        self.run(scope, |value| {
            value
                .downcast_ref::<cel::common::types::CelBool>()
                .map(|b| *b.inner())
                .ok_or_else(|| {
                    EvalError::Type(format!(
                        "`{}` gives a {}, not a bool",
                        self.source,
                        value.get_type().name()
                    ))
                })
        })?
    }

    /// Runs the program and hands its value to `f`.
    fn run<R>(&self, scope: &Scope<'_, '_>, f: impl FnOnce(&dyn Val) -> R) -> Result<R, EvalError> {
        let mut context = scope.root.context.new_inner_scope();
        context.set_variable_resolver(scope);
        let (result, exceeded) = scope
            .budget
            .charge(|| cel::Value::resolve_val(&self.expression, &context));
        if let Some(exceeded) = exceeded {
            return Err(EvalError::Budget(exceeded));
        }
        match result {
            Ok(value) => match json_val::as_f64(value.as_ref()) {
                // NaN or an infinity (`0.0 / 0.0`, `1.0 / 0.0`) is no value a
                // rule can judge or a report can show.
                Some(n) if !n.is_finite() => Err(self.not_finite()),
                _ => Ok(f(value.as_ref())),
            },
            Err(error) => Err(self.explain(scope, error)),
        }
    }

    /// `error` of the direct evaluator, naming this expression where it
    /// names none.
    fn own(&self, error: EvalError) -> EvalError {
        match error {
            EvalError::NotFinite { .. } => self.not_finite(),
            other => other,
        }
    }

    /// The error of a computation that gave NaN or an infinity.
    fn not_finite(&self) -> EvalError {
        EvalError::NotFinite {
            expression: self.source.clone(),
        }
    }

    /// Turns a CEL error into one a person understands, naming the missing field.
    fn explain(&self, scope: &Scope<'_, '_>, error: ExecutionError) -> EvalError {
        match &error {
            ExecutionError::NoSuchKey(key) => {
                for path in &self.field_paths {
                    if let Err(EvalError::Missing { pointer }) = scope.read(path)
                        && pointer.rsplit('/').next() == Some(key.as_str())
                    {
                        return EvalError::Missing { pointer };
                    }
                }
                for element in &self.element_paths {
                    if let Some(pointer) = scope.missing_in_elements(element, key) {
                        return EvalError::Missing { pointer };
                    }
                }
                EvalError::Missing {
                    pointer: format!("…/{key}"),
                }
            }
            ExecutionError::UndeclaredReference(name) if TOP_LEVEL.contains(&name.as_str()) => {
                EvalError::Missing {
                    pointer: format!("/{name}"),
                }
            }
            ExecutionError::UndeclaredReference(name) if name.as_str() == "component" => {
                EvalError::Type(
                    "`component` is only defined in rules with `for_each: components`".to_owned(),
                )
            }
            // Two doubles always compare, except NaN: a comparison of a
            // computed NaN is not a type error of the pack.
            ExecutionError::NoSuchOverload(_) if is_nan_comparison(&error.to_string()) => {
                self.not_finite()
            }
            _ => EvalError::Type(format!("`{}`: {error}", self.source)),
        }
    }
}

/// Whether the CEL error message `message` is an ordering of two doubles,
/// which the crate refuses only when one of them is NaN.
fn is_nan_comparison(message: &str) -> bool {
    ["'_<_'", "'_<=_'", "'_>_'", "'_>=_'"]
        .iter()
        .any(|op| message.contains(&format!("for {op} applied to '(double, double)'")))
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A field the expression reads is absent from the submission.
    Missing {
        /// JSON Pointer of the absent field, e.g. `/components/3/substances/lead`.
        pointer: String,
    },
    /// A value of the wrong type, an unknown function...
    Type(String),
    /// A computation that gave NaN or an infinity (a division by zero, an
    /// overflow): no value to judge, never a pass or a fail.
    NotFinite {
        /// The expression as written.
        expression: String,
    },
    /// The rule's evaluation reached a limit of its cost budget ([`cost`]).
    Budget(cost::Exceeded),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Missing { pointer } => write!(f, "missing `{pointer}`"),
            EvalError::Type(message) => f.write_str(message),
            EvalError::NotFinite { expression } => write!(
                f,
                "`{expression}` gives no finite number (a division by zero or an overflow)"
            ),
            EvalError::Budget(cost::Exceeded::Iterations) => write!(
                f,
                "the rule iterates over more than {} list elements, its limit",
                cost::MAX_ITERATIONS
            ),
            EvalError::Budget(cost::Exceeded::Bytes) => write!(
                f,
                "the rule builds more than {} bytes of text and lists, its limit",
                cost::MAX_BYTES_BUILT
            ),
        }
    }
}

/// A root evaluation context (CEL functions and environment).
pub struct RootContext {
    context: Context<'static, 'static>,
}

impl fmt::Debug for RootContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RootContext")
    }
}

/// One submission, ready for CEL: the JSON, and its CEL form made on first use.
pub struct SubmissionData<'a> {
    json: &'a Doc,
    evaluation_date: cel::common::types::CelString<'a>,
    evaluation_date_json: Doc,
    cel: OnceLock<json_val::JsonMap<'a>>,
}

impl fmt::Debug for SubmissionData<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubmissionData").finish_non_exhaustive()
    }
}

impl<'a> SubmissionData<'a> {
    /// Wraps a normalized submission and the evaluation date (`YYYY-MM-DD`).
    pub fn new(json: &'a Doc, evaluation_date: &'a str) -> Self {
        SubmissionData {
            json,
            evaluation_date: cel::common::types::CelString::from(evaluation_date),
            evaluation_date_json: Doc::String(evaluation_date.into()),
            cel: OnceLock::new(),
        }
    }

    /// The normalized submission.
    pub fn json(&self) -> &'a Doc {
        self.json
    }

    /// The submission as a CEL map; `None` if it is not a JSON object.
    fn cel(&self) -> Option<&json_val::JsonMap<'a>> {
        let Doc::Object(map) = self.json else {
            return None;
        };
        Some(self.cel.get_or_init(|| json_val::JsonMap::from_json(map)))
    }

    fn top_level(&self, name: &str) -> Option<&(dyn Val + 'a)> {
        self.cel()?.find(name)
    }
}

/// A pack's params, as CEL values.
pub struct Params {
    json: Json,
    /// The same, as rules read fields of it.
    doc: Doc,
    cel: Box<dyn Val + 'static>,
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Params").field(&self.json).finish()
    }
}

impl Params {
    /// Params from a JSON object of name → value.
    pub fn new(json: Json) -> Self {
        let cel = json_val::to_owned_val(&json);
        let doc = Doc::from_value(json.clone());
        Params { json, doc, cel }
    }

    /// The params as JSON.
    pub fn json(&self) -> &Json {
        &self.json
    }
}

/// The variables of one evaluation.
pub struct Scope<'s, 'a> {
    root: &'s RootContext,
    data: &'s SubmissionData<'a>,
    params: &'s Params,
    component: Option<BoundComponent<'s, 'a>>,
    /// What the evaluations in this scope have spent, shared with the
    /// scopes made from it.
    budget: Arc<Budget>,
}

/// The component a scope binds: its index, its JSON, and its CEL value once found.
type BoundComponent<'s, 'a> = (usize, &'a Doc, OnceLock<Option<&'s (dyn Val + 'a)>>);

impl<'s, 'a: 's> Scope<'s, 'a> {
    /// The same scope over another version of the submission, `data`,
    /// with the same component (by index) bound.
    pub fn over<'t, 'b: 't>(&self, data: &'t SubmissionData<'b>) -> Scope<'t, 'b>
    where
        's: 't,
    {
        let scope = Scope::new(self.root, data, self.params);
        let component = self.component.as_ref().and_then(|(index, _, _)| {
            let json = data.json().get("components")?.get(*index)?;
            Some((*index, json))
        });
        match component {
            Some((index, json)) => scope.with_component(index, json),
            None => scope,
        }
    }
}

impl<'s, 'a: 's> Scope<'s, 'a> {
    /// A scope over a whole submission.
    pub fn new(root: &'s RootContext, data: &'s SubmissionData<'a>, params: &'s Params) -> Self {
        Scope {
            root,
            data,
            params,
            component: None,
            budget: Arc::default(),
        }
    }

    /// The same scope with a budget of its own: one per rule evaluated.
    pub fn with_new_budget(&self) -> Scope<'s, 'a> {
        Scope {
            root: self.root,
            data: self.data,
            params: self.params,
            component: self
                .component
                .as_ref()
                .map(|(index, json, _)| (*index, *json, OnceLock::new())),
            budget: Arc::default(),
        }
    }

    /// Gives this scope a budget of its own with nothing spent, as
    /// [`Scope::with_new_budget`] does: its own budget reset when no other
    /// scope shares it (the scopes made for the previous rule's components
    /// are gone), which saves an allocation per rule evaluated.
    pub fn renew_budget(&mut self) {
        match Arc::get_mut(&mut self.budget) {
            Some(budget) => budget.reset(),
            None => self.budget = Arc::default(),
        }
    }

    /// The same scope with `component` bound to component `index`.
    pub fn with_component(&self, index: usize, component: &'a Doc) -> Scope<'s, 'a> {
        Scope {
            root: self.root,
            data: self.data,
            params: self.params,
            component: Some((index, component, OnceLock::new())),
            budget: Arc::clone(&self.budget),
        }
    }

    /// The submission.
    pub fn data(&self) -> &'s SubmissionData<'a> {
        self.data
    }

    /// The JSON Pointer a field path stands for in this scope, up to `len` segments.
    pub fn pointer_of(&self, path: &FieldPath, len: usize) -> String {
        let mut pointer = match (path.root(), &self.component) {
            ("component", Some((index, _, _))) => format!("/components/{index}"),
            ("submission", _) | ("params", _) | ("component", None) => String::new(),
            (top, _) => format!("/{top}"),
        };
        if path.root() == "params" {
            pointer.push_str("/params");
        }
        for segment in path.segments().iter().take(len) {
            pointer.push('/');
            pointer.push_str(&pointer_escape(segment));
        }
        pointer
    }

    /// Reads a field path from the JSON.
    pub fn read(&self, path: &FieldPath) -> Result<&'s Doc, EvalError> {
        let mut value: &Doc = match path.root_kind() {
            Root::Submission => self.data.json,
            Root::Component => match &self.component {
                Some((_, json, _)) => json,
                None => {
                    return Err(EvalError::Type(
                        "`component` is only defined in rules with `for_each: components`"
                            .to_owned(),
                    ));
                }
            },
            Root::Params => &self.params.doc,
            Root::EvaluationDate if path.segments().is_empty() => &self.data.evaluation_date_json,
            Root::EvaluationDate => {
                return Err(EvalError::Type(
                    "`evaluation_date` is a string and has no fields".to_owned(),
                ));
            }
            Root::Field => match self.data.json.get(path.root()) {
                Some(value) => value,
                None => {
                    return Err(EvalError::Missing {
                        pointer: format!("/{}", path.root()),
                    });
                }
            },
        };
        for (depth, segment) in path.segments().iter().enumerate() {
            value = match value {
                Doc::Object(map) => match map.get(segment) {
                    Some(next) => next,
                    None => {
                        return Err(EvalError::Missing {
                            pointer: self.pointer_of(path, depth + 1),
                        });
                    }
                },
                other => {
                    return Err(EvalError::Type(format!(
                        "{} is {}, it has no field `{segment}`",
                        self.pointer_of(path, depth),
                        describe_json(other)
                    )));
                }
            };
        }
        Ok(value)
    }
}

impl Scope<'_, '_> {
    /// The pointer of the first element of `path.list` that lacks the field
    /// `key` along `path.segments`.
    fn missing_in_elements(&self, path: &ElementPath, key: &str) -> Option<String> {
        let Ok(Doc::Array(items)) = self.read(&path.list) else {
            return None;
        };
        let list = self.pointer_of(&path.list, path.list.segments().len());
        for (index, item) in items.iter().enumerate() {
            let mut value = item;
            for (depth, segment) in path.segments.iter().enumerate() {
                match value.get(segment) {
                    Some(next) => value = next,
                    None if segment == key => {
                        let mut pointer = format!("{list}/{index}");
                        for s in path.segments.iter().take(depth + 1) {
                            pointer.push('/');
                            pointer.push_str(&pointer_escape(s));
                        }
                        return Some(pointer);
                    }
                    None => break,
                }
            }
        }
        None
    }
}

impl VariableResolver for Scope<'_, '_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        let val: &(dyn Val + 'b) = match variable {
            "component" => {
                let (index, _, cel) = self.component.as_ref()?;
                let found = cel.get_or_init(|| {
                    let index = cel::common::types::CelInt::from(i64::try_from(*index).ok()?);
                    self.data
                        .top_level("components")?
                        .as_indexer()?
                        .get(&index)
                        .ok()
                        .and_then(|v| match v {
                            CowVal::Borrowed(v) => Some(v),
                            CowVal::Owned(_) => None,
                        })
                });
                (*found)?
            }
            "params" => self.params.cel.as_ref(),
            "submission" => self.data.cel()?,
            "evaluation_date" => &self.data.evaluation_date,
            top if TOP_LEVEL.contains(&top) => self.data.top_level(top)?,
            _ => return None,
        };
        Some(CowVal::Borrowed(val))
    }
}

/// `operand.key`, `operand.?key`, `operand['key']` or `operand[?'key']`.
fn selection(node: &IdedExpr) -> Option<(&IdedExpr, &str)> {
    match &node.expr {
        cel::common::ast::Expr::Select(select) => Some((&select.operand, select.field.as_str())),
        cel::common::ast::Expr::Call(call)
            if call.target.is_none()
                && matches!(call.func_name.as_str(), "_?._" | "_[_]" | "_[?_]") =>
        {
            match call.args.as_slice() {
                [operand, key] => Some((operand, string_literal(key)?)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn string_literal(node: &IdedExpr) -> Option<&str> {
    match &node.expr {
        cel::common::ast::Expr::Literal(cel::common::ast::LiteralValue::String(s)) => {
            Some(s.inner())
        }
        _ => None,
    }
}

/// Calls `f` on `expr` and every expression in it.
fn visit(expr: &IdedExpr, f: &mut impl FnMut(&IdedExpr)) {
    f(expr);
    cost::children(expr, &mut |child| visit(child, f));
}

/// "a string", "a number", ... for messages.
fn describe_json(value: &Doc) -> &'static str {
    match value {
        Doc::Null => "null",
        Doc::Bool(_) => "a bool",
        Doc::Number(_) => "a number",
        Doc::String(_) => "a string",
        Doc::Array(_) => "a list",
        Doc::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
