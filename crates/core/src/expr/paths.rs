//! Field paths: chains of field selections on a variable, found in the AST.

use std::fmt;

use cel::common::ast::{EntryExpr, Expr, IdedExpr};

/// A chain of field selections on a variable, e.g. `component.substances.lead`:
/// root `component`, segments `substances`, `lead`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    root: String,
    /// Which of recert's variables `root` is, told once here rather than
    /// by comparing names at every read.
    kind: Root,
    segments: Vec<String>,
}

/// The variable a [`FieldPath`] starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    Submission,
    Component,
    Params,
    EvaluationDate,
    /// A top-level field of the submission (`product`, `components`, ...).
    Field,
}

impl Root {
    fn of(name: &str) -> Root {
        match name {
            "submission" => Root::Submission,
            "component" => Root::Component,
            "params" => Root::Params,
            "evaluation_date" => Root::EvaluationDate,
            _ => Root::Field,
        }
    }
}

impl FieldPath {
    /// The variable the chain starts at.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Which variable [`FieldPath::root`] is.
    pub(crate) fn root_kind(&self) -> Root {
        self.kind
    }

    /// The selected fields, outermost first.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root)?;
        for segment in &self.segments {
            write!(f, ".{segment}")?;
        }
        Ok(())
    }
}

/// The expression as a field path, when it is nothing else: a variable of
/// recert's own followed by plain selections (not `has()` tests, not `.?`).
pub(crate) fn as_field_path(expr: &IdedExpr) -> Option<FieldPath> {
    select_chain(expr).filter(|p| super::VARIABLES.contains(&p.root.as_str()))
}

/// Plain selections on any identifier: `c.substances.lead`.
pub(crate) fn select_chain(expr: &IdedExpr) -> Option<FieldPath> {
    let mut segments = Vec::new();
    let mut current = expr;
    loop {
        match &current.expr {
            Expr::Select(select) if !select.test => {
                segments.push(select.field.clone());
                current = &select.operand;
            }
            // `a['b']` is `a.b` for a map.
            Expr::Call(call) if call.func_name == "_[_]" && call.target.is_none() => {
                match call.args.as_slice() {
                    [operand, key] => match &key.expr {
                        Expr::Literal(cel::common::ast::LiteralValue::String(key)) => {
                            segments.push(key.inner().to_owned());
                            current = operand;
                        }
                        _ => return None,
                    },
                    _ => return None,
                }
            }
            Expr::Ident(name) => {
                segments.reverse();
                return Some(FieldPath {
                    root: name.clone(),
                    kind: Root::of(name),
                    segments,
                });
            }
            _ => return None,
        }
    }
}

/// A field path inside the elements of a list: `c.substances.lead` in
/// `components.map(c, c.substances.lead)` is `components[*].substances.lead`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementPath {
    /// The list iterated, e.g. `components`.
    pub list: FieldPath,
    /// The fields selected in each element.
    pub segments: Vec<String>,
}

/// What the expression reads: field paths on recert's variables, in the order
/// written, and field paths on the elements of lists it iterates.
pub(crate) fn field_paths(expr: &IdedExpr) -> (Vec<FieldPath>, Vec<ElementPath>) {
    let mut found = Found::default();
    collect(expr, &mut Vec::new(), &mut found);
    (found.paths, found.elements)
}

#[derive(Default)]
struct Found {
    paths: Vec<FieldPath>,
    elements: Vec<ElementPath>,
}

/// A variable a comprehension binds, and the list it iterates if that is a field path.
struct Binding {
    name: String,
    list: Option<FieldPath>,
}

fn collect(expr: &IdedExpr, bound: &mut Vec<Binding>, found: &mut Found) {
    if let Some(path) = select_chain(expr) {
        match bound.iter().rev().find(|b| b.name == path.root) {
            None if super::VARIABLES.contains(&path.root.as_str()) => found.paths.push(path),
            None => {}
            Some(Binding {
                list: Some(list), ..
            }) if !path.segments.is_empty() => {
                found.elements.push(ElementPath {
                    list: list.clone(),
                    segments: path.segments,
                });
            }
            Some(_) => {}
        }
        return;
    }

    match &expr.expr {
        Expr::Select(select) => collect(&select.operand, bound, found),
        Expr::Call(call) => {
            // `has(a.b)` is parsed as a test-select: the operand is still a path.
            if let Some(target) = &call.target {
                collect(target, bound, found);
            }
            for arg in &call.args {
                collect(arg, bound, found);
            }
        }
        Expr::Comprehension(comprehension) => {
            collect(&comprehension.iter_range, bound, found);
            collect(&comprehension.accu_init, bound, found);
            let list = as_field_path(&comprehension.iter_range)
                .filter(|p| !bound.iter().any(|b| b.name == p.root));
            let before = bound.len();
            bound.push(Binding {
                name: comprehension.iter_var.clone(),
                list,
            });
            if let Some(second) = &comprehension.iter_var2 {
                bound.push(Binding {
                    name: second.clone(),
                    list: None,
                });
            }
            bound.push(Binding {
                name: comprehension.accu_var.clone(),
                list: None,
            });
            collect(&comprehension.loop_cond, bound, found);
            collect(&comprehension.loop_step, bound, found);
            collect(&comprehension.result, bound, found);
            bound.truncate(before);
        }
        Expr::List(list) => {
            for element in &list.elements {
                collect(element, bound, found);
            }
        }
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::StructField(field) => collect(&field.value, bound, found),
                    EntryExpr::MapEntry(entry) => {
                        collect(&entry.key, bound, found);
                        collect(&entry.value, bound, found);
                    }
                }
            }
        }
        Expr::Struct(structure) => {
            for entry in &structure.entries {
                if let EntryExpr::StructField(field) = &entry.expr {
                    collect(&field.value, bound, found);
                }
            }
        }
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

/// The variables that comprehensions in the expression bind (`c` in
/// `components.all(c, ...)`), and the namespaces of extension functions.
pub(crate) fn comprehension_variables(expr: &IdedExpr) -> Vec<String> {
    let mut names: Vec<String> = ["math", "lists", "strings", "optional", "base64"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    bound_names(expr, &mut names);
    names
}

fn bound_names(expr: &IdedExpr, names: &mut Vec<String>) {
    match &expr.expr {
        Expr::Comprehension(c) => {
            names.push(c.iter_var.clone());
            if let Some(second) = &c.iter_var2 {
                names.push(second.clone());
            }
            names.push(c.accu_var.clone());
            for e in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                bound_names(e, names);
            }
        }
        Expr::Select(select) => bound_names(&select.operand, names),
        Expr::Call(call) => {
            if let Some(target) = &call.target {
                bound_names(target, names);
            }
            for arg in &call.args {
                bound_names(arg, names);
            }
        }
        Expr::List(list) => list.elements.iter().for_each(|e| bound_names(e, names)),
        Expr::Map(map) => {
            for entry in &map.entries {
                match &entry.expr {
                    EntryExpr::StructField(field) => bound_names(&field.value, names),
                    EntryExpr::MapEntry(entry) => {
                        bound_names(&entry.key, names);
                        bound_names(&entry.value, names);
                    }
                }
            }
        }
        Expr::Struct(_) | Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}
