//! Integer literals in arithmetic are doubles.
//!
//! Every number of a submission is a CEL `double`, and CEL has no implicit
//! conversion: `mass * share / 100` would fail with "no such overload" on
//! `double / int`. So an integer literal that is an operand of `+ - * /` is
//! read as a double. Anywhere else (list indexes, `lists.range(3)`,
//! `x.slice(0, 2)`) it stays an `int`. Comparisons need no help: CEL compares
//! numbers of different types.

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};
use cel::common::types::CelDouble;

const ARITHMETIC: &[&str] = &["_+_", "_-_", "_*_", "_/_", "-_"];

/// Rewrites the integer operands of arithmetic operators in `expr` to doubles.
pub(crate) fn int_operands_to_double(expr: &mut IdedExpr) {
    match &mut expr.expr {
        Expr::Call(call) => {
            let arithmetic = ARITHMETIC.contains(&call.func_name.as_str());
            if let Some(target) = &mut call.target {
                int_operands_to_double(target);
            }
            for arg in &mut call.args {
                if arithmetic && let Expr::Literal(LiteralValue::Int(i)) = &arg.expr {
                    arg.expr =
                        Expr::Literal(LiteralValue::Double(CelDouble::from(*i.inner() as f64)));
                    continue;
                }
                int_operands_to_double(arg);
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
                int_operands_to_double(e);
            }
        }
        Expr::Select(select) => int_operands_to_double(&mut select.operand),
        Expr::List(list) => list.elements.iter_mut().for_each(int_operands_to_double),
        Expr::Map(map) => {
            for entry in &mut map.entries {
                match &mut entry.expr {
                    EntryExpr::StructField(field) => int_operands_to_double(&mut field.value),
                    EntryExpr::MapEntry(entry) => {
                        int_operands_to_double(&mut entry.key);
                        int_operands_to_double(&mut entry.value);
                    }
                }
            }
        }
        Expr::Struct(structure) => {
            for entry in &mut structure.entries {
                if let EntryExpr::StructField(field) = &mut entry.expr {
                    int_operands_to_double(&mut field.value);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}
