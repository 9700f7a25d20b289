//! The cost budget of one rule's evaluation: how many list elements its
//! expressions may iterate over and how many bytes of text and lists they
//! may build.
//!
//! [`limits`](super::limits) bounds the size of an expression, not its work:
//! three `all()` nested over 2 000 components are 8 billion steps, and a
//! string built inside a loop over components can take gigabytes. The `cel`
//! crate has no hook for counting, so each compiled expression is rewritten
//! to count for itself (the rewrite is invisible to pack authors):
//!
//! - the list (or map) a comprehension (`all`, `exists`, `map`, `filter`,
//!   ...) iterates over is passed through `@iterations`, which charges its
//!   size before the loop starts; a nested comprehension's list is charged
//!   once per iteration of the loop around it, so the charge is the number of
//!   steps the loops take;
//! - the argument of `lists.range(n)` is passed through `@iterations` too,
//!   before the list is built;
//! - the result of every call that builds a string or a list (`+`, `join`,
//!   `format`, `replace`, ...) is passed through `@bytes`, which charges its
//!   size (a string's bytes, 8 bytes per element of a list).
//!
//! - the condition of an `all` or `exists` loop is passed through
//!   `@running`, which stops the loop once the budget is spent.
//!
//! A rule's evaluation (its guard and its check or assertion, for every
//! component it is evaluated on) shares one [`Budget`]. The first charge
//! over a limit fails the evaluation, and every later one in the same rule
//! fails at once, so the loops around it end in a few steps; the rule's
//! outcome is `error`, with [`Exceeded`] as the reason. The direct evaluator
//! (`fast`) charges the same budget for its loops and what it builds; it
//! builds a `map` or `filter` list once, where the crate copies it at every
//! step, so it is charged for that list once.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use cel::common::ast::{CallExpr, EntryExpr, Expr, IdedExpr};
use cel::common::types::{CelBytes, CelInt, CelString, DYN_TYPE};
use cel::common::value::{CowVal, Val};
use cel::{DeclarationError, Env, ExecutionError};

/// The most list elements one rule's evaluation may iterate over.
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// The most bytes of strings and lists one rule's evaluation may build.
pub const MAX_BYTES_BUILT: u64 = 64 * 1024 * 1024;

/// The counting function for iterations.
const ITERATIONS: &str = "@iterations";
/// The counting function for bytes built.
const BYTES: &str = "@bytes";
/// The check, before each step of a loop, that the budget is not spent.
const RUNNING: &str = "@running";

/// Calls whose result is a new string or list, charged by its size.
const BUILDERS: &[&str] = &[
    "_+_",
    "join",
    "format",
    "replace",
    "reverse",
    "quote",
    "lowerAscii",
    "upperAscii",
    "trim",
    "substring",
    "split",
    "string",
    "flatten",
    "distinct",
    "sort",
    "sortBy",
    "slice",
    "range",
];

/// Which limit a rule's evaluation reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// More than [`MAX_ITERATIONS`] list elements iterated.
    Iterations,
    /// More than [`MAX_BYTES_BUILT`] bytes built.
    Bytes,
}

/// What a rule's evaluation has spent so far, shared by the scopes of one rule.
#[derive(Debug, Default)]
pub struct Budget {
    iterations: AtomicU64,
    bytes: AtomicU64,
}

thread_local! {
    /// The budget of the evaluation running on this thread: iterations and
    /// bytes spent, and the limit reached if any.
    static SPENT: Cell<(u64, u64, Option<Exceeded>)> = const { Cell::new((0, 0, None)) };
}

impl Budget {
    /// Nothing spent, as a new budget.
    pub(crate) fn reset(&mut self) {
        *self.iterations.get_mut() = 0;
        *self.bytes.get_mut() = 0;
    }

    /// The iterations and bytes spent.
    #[cfg(test)]
    pub(crate) fn spent(&self) -> (u64, u64) {
        (
            self.iterations.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    /// The limit this budget has reached, if any.
    fn exceeded(&self) -> Option<Exceeded> {
        if self.iterations.load(Ordering::Relaxed) > MAX_ITERATIONS {
            Some(Exceeded::Iterations)
        } else if self.bytes.load(Ordering::Relaxed) > MAX_BYTES_BUILT {
            Some(Exceeded::Bytes)
        } else {
            None
        }
    }

    /// Charges `amount` iterations (`bytes` false) or bytes that the direct
    /// evaluator spent; the limit reached, if one is.
    pub(crate) fn spend_direct(&self, amount: u64, bytes: bool) -> Result<(), Exceeded> {
        let counter = if bytes { &self.bytes } else { &self.iterations };
        let _ = counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |spent| {
            Some(spent.saturating_add(amount))
        });
        match self.exceeded() {
            Some(exceeded) => Err(exceeded),
            None => Ok(()),
        }
    }

    /// Runs `f` (one evaluation by the `cel` crate) charging this budget;
    /// returns its result and the limit reached, if one was.
    pub(crate) fn charge<R>(&self, f: impl FnOnce() -> R) -> (R, Option<Exceeded>) {
        let before = SPENT.with(|running| {
            running.replace((
                self.iterations.load(Ordering::Relaxed),
                self.bytes.load(Ordering::Relaxed),
                self.exceeded(),
            ))
        });
        let result = f();
        let (iterations, bytes, exceeded) = SPENT.with(|running| running.replace(before));
        self.iterations.store(iterations, Ordering::Relaxed);
        self.bytes.store(bytes, Ordering::Relaxed);
        (result, exceeded)
    }
}

/// Adds `amount` to the running evaluation's iterations (`bytes` false) or
/// bytes; fails once a limit is reached.
fn spend(amount: u64, bytes: bool) -> Result<(), ExecutionError> {
    SPENT.with(|running| {
        let (mut iterations, mut built, mut exceeded) = running.get();
        if bytes {
            built = built.saturating_add(amount);
        } else {
            iterations = iterations.saturating_add(amount);
        }
        if exceeded.is_none() {
            if iterations > MAX_ITERATIONS {
                exceeded = Some(Exceeded::Iterations);
            } else if built > MAX_BYTES_BUILT {
                exceeded = Some(Exceeded::Bytes);
            }
        }
        running.set((iterations, built, exceeded));
        match exceeded {
            Some(_) => Err(ExecutionError::function_error(
                if bytes { BYTES } else { ITERATIONS },
                "the rule's cost budget is spent",
            )),
            None => Ok(()),
        }
    })
}

/// The size of a value, for the budget: the elements of a list or map, or
/// the value of an int (iterations); the bytes of a string, or 8 per
/// element of a list or map (bytes). Anything else is free.
fn size_of(value: &dyn Val, bytes: bool) -> u64 {
    if let Some(s) = value.downcast_ref::<CelString>() {
        return if bytes { s.inner().len() as u64 } else { 1 };
    }
    if let Some(b) = value.downcast_ref::<CelBytes>() {
        return if bytes { b.inner().len() as u64 } else { 1 };
    }
    if let Some(n) = value.downcast_ref::<CelInt>() {
        return if bytes {
            0
        } else {
            u64::try_from(*n.inner()).unwrap_or(0)
        };
    }
    match value.as_sizer() {
        Some(sizer) => {
            let elements = u64::try_from(*sizer.size().inner()).unwrap_or(0);
            if bytes {
                elements.saturating_mul(8)
            } else {
                elements
            }
        }
        None => u64::from(!bytes),
    }
}

fn charge_iterations<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    charge(args, false)
}

fn charge_bytes<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    charge(args, true)
}

fn charge<'b, 'v>(
    args: Vec<CowVal<'b, 'v>>,
    bytes: bool,
) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let [value]: [CowVal<'b, 'v>; 1] = args
        .try_into()
        .map_err(|args: Vec<_>| ExecutionError::invalid_argument_count(1, args.len()))?;
    spend(size_of(value.as_ref(), bytes), bytes)?;
    Ok(value)
}

/// Passes a loop's condition through while the budget lasts.
fn running<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let [value]: [CowVal<'b, 'v>; 1] = args
        .try_into()
        .map_err(|args: Vec<_>| ExecutionError::invalid_argument_count(1, args.len()))?;
    spend(0, false)?;
    Ok(value)
}

/// Declares the counting functions on `env`.
pub(crate) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload(
        ITERATIONS,
        "recert_iterations",
        vec![DYN_TYPE],
        charge_iterations,
    )?;
    env.add_overload(BYTES, "recert_bytes", vec![DYN_TYPE], charge_bytes)?;
    env.add_overload(RUNNING, "recert_running", vec![DYN_TYPE], running)
}

/// Rewrites `expr` to charge the budget as the module describes.
pub(crate) fn instrument(expr: &mut IdedExpr) {
    let mut next_id = max_id(expr) + 1;
    rewrite(expr, &mut next_id);
}

fn max_id(expr: &IdedExpr) -> u64 {
    let mut max = expr.id;
    children(expr, &mut |child| max = max.max(max_id(child)));
    max
}

/// Calls `f` on each direct sub-expression of `expr`.
pub(crate) fn children<'e>(expr: &'e IdedExpr, f: &mut impl FnMut(&'e IdedExpr)) {
    match &expr.expr {
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                f(target);
            }
            call.args.iter().for_each(f);
        }
        Expr::Comprehension(c) => {
            for e in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                f(e);
            }
        }
        Expr::Select(select) => f(&select.operand),
        Expr::List(list) => list.elements.iter().for_each(f),
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::StructField(field) => f(&field.value),
                    EntryExpr::MapEntry(entry) => {
                        f(&entry.key);
                        f(&entry.value);
                    }
                }
            }
        }
        Expr::Struct(structure) => {
            for entry in &structure.entries {
                if let EntryExpr::StructField(field) = &entry.expr {
                    f(&field.value);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// Replaces `expr` with `counter(expr)`.
fn wrap(expr: &mut IdedExpr, counter: &str, next_id: &mut u64) {
    let inner = std::mem::take(expr);
    *expr = IdedExpr {
        id: *next_id,
        expr: Expr::Call(CallExpr {
            func_name: counter.to_owned(),
            target: None,
            args: vec![inner],
        }),
    };
    *next_id += 1;
}

fn rewrite(expr: &mut IdedExpr, next_id: &mut u64) {
    match &mut expr.expr {
        Expr::Call(call) => {
            if let Some(target) = &mut call.target {
                rewrite(target, next_id);
            }
            call.args.iter_mut().for_each(|arg| rewrite(arg, next_id));
            let namespace = match call.target.as_deref() {
                Some(IdedExpr {
                    expr: Expr::Ident(name),
                    ..
                }) => Some(name.as_str()),
                _ => None,
            };
            if call.func_name == "range"
                && namespace == Some("lists")
                && let Some(n) = call.args.first_mut()
            {
                wrap(n, ITERATIONS, next_id);
            }
            // `@result + [x]`, the step of `map` and `filter`, appends in
            // place: the crate recognises it by its shape, which stays; the
            // iterations pay for it.
            let accumulates = call
                .args
                .first()
                .is_some_and(|arg| matches!(&arg.expr, Expr::Ident(name) if name.starts_with('@')));
            if BUILDERS.contains(&call.func_name.as_str()) && !accumulates {
                wrap(expr, BYTES, next_id);
            }
        }
        Expr::Comprehension(c) => {
            for e in [
                &mut c.iter_range,
                &mut c.accu_init,
                &mut c.loop_cond,
                &mut c.loop_step,
                &mut c.result,
            ] {
                rewrite(e, next_id);
            }
            wrap(&mut c.iter_range, ITERATIONS, next_id);
            // `all` and `exists` keep going after an error, which a later
            // element may override: once the budget is spent, their
            // condition stops them. (`map` and `filter` stop at the first
            // error; the crate recognises them by their literal condition.)
            if !matches!(c.loop_cond.expr, Expr::Literal(_)) {
                wrap(&mut c.loop_cond, RUNNING, next_id);
            }
        }
        Expr::Select(select) => rewrite(&mut select.operand, next_id),
        Expr::List(list) => list.elements.iter_mut().for_each(|e| rewrite(e, next_id)),
        Expr::Map(map) => {
            for entry in &mut map.entries {
                match &mut entry.expr {
                    EntryExpr::StructField(field) => rewrite(&mut field.value, next_id),
                    EntryExpr::MapEntry(entry) => {
                        rewrite(&mut entry.key, next_id);
                        rewrite(&mut entry.value, next_id);
                    }
                }
            }
        }
        Expr::Struct(structure) => {
            for entry in &mut structure.entries {
                if let EntryExpr::StructField(field) = &mut entry.expr {
                    rewrite(&mut field.value, next_id);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}
