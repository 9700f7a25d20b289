//! recert's own CEL functions.
//!
//! | function | meaning |
//! | --- | --- |
//! | `sum(list)` | the sum of a list of numbers, as a `double` (`0.0` for `[]`) |

use cel::common::types::{CelDouble, LIST_TYPE};
use cel::common::value::CowVal;
use cel::{DeclarationError, Env, ExecutionError};

use super::json_val::as_f64;

/// Declares the functions on `env`.
pub(crate) fn register(env: &mut Env) -> Result<(), DeclarationError> {
    env.add_overload("sum", "sum_list", vec![LIST_TYPE], sum)
}

fn sum<'b, 'v>(args: Vec<CowVal<'b, 'v>>) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let [list]: [CowVal<'b, 'v>; 1] = args
        .try_into()
        .map_err(|args: Vec<_>| ExecutionError::invalid_argument_count(1, args.len()))?;
    let iterable = list
        .as_iterable()
        .ok_or_else(|| ExecutionError::function_error("sum", "expects a list of numbers"))?;
    let mut total = 0.0_f64;
    let mut items = iterable.iter();
    while let Some(item) = items.next() {
        total += as_f64(item).ok_or_else(|| {
            ExecutionError::function_error(
                "sum",
                format!("expects numbers, found a {}", item.get_type().name()),
            )
        })?;
    }
    Ok(CowVal::Owned(Box::new(CelDouble::from(total))))
}

/// The macros: expanded by the parser, so never declared as functions, but
/// names an author may misspell.
pub(crate) const MACROS: &[&str] = &["has", "all", "exists", "exists_one", "map", "filter"];

/// The names suggested for a misspelled function: the macros, and the
/// functions of CEL's standard library, of the extensions recert loads and
/// recert's own (only those the environment declares are offered).
pub(crate) const KNOWN: &[&str] = &[
    "has",
    "all",
    "exists",
    "exists_one",
    "map",
    "filter",
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "string",
    "int",
    "uint",
    "double",
    "bool",
    "bytes",
    "dyn",
    "type",
    "duration",
    "timestamp",
    "orValue",
    "hasValue",
    "value",
    "optional.of",
    "optional.none",
    "optional.ofNonZeroValue",
    "charAt",
    "format",
    "indexOf",
    "lastIndexOf",
    "join",
    "lowerAscii",
    "upperAscii",
    "replace",
    "split",
    "substring",
    "trim",
    "reverse",
    "strings.quote",
    "distinct",
    "flatten",
    "slice",
    "sort",
    "sortBy",
    "lists.range",
    "math.abs",
    "math.ceil",
    "math.floor",
    "math.round",
    "math.trunc",
    "math.sign",
    "math.sqrt",
    "math.greatest",
    "math.least",
    "math.isNaN",
    "math.isInf",
    "math.isFinite",
    "sum",
];
