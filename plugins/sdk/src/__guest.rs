//! The Component Model glue, compiled only for `wasm32`: the wit-bindgen
//! bindings of `plugins/wit/` and the adapter from [`crate::Plugin`] to the
//! generated `Guest` trait. Plugin crates reach it only through
//! [`crate::export!`].

use std::marker::PhantomData;

/// Generated from `plugins/wit/plugin.wit`.
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "plugin",
        pub_export_macro: true,
        export_macro_name: "export_plugin_world",
        default_bindings_module: "::recert_plugin_sdk::__guest::bindings",
        runtime_path: "::recert_plugin_sdk::__guest::wit_bindgen::rt",
    });
}

pub use bindings::export_plugin_world;
pub use wit_bindgen;

use bindings::exports::recert::plugin::rules as wit;

/// Implements the generated `Guest` trait for any [`crate::Plugin`].
pub struct Adapter<P>(PhantomData<P>);

impl<P: crate::Plugin> wit::Guest for Adapter<P> {
    fn describe() -> wit::PluginInfo {
        let info = P::describe();
        wit::PluginInfo {
            id: info.id,
            version: info.version,
            title: info.title,
            rules: info
                .rules
                .into_iter()
                .map(|r| wit::RuleInfo {
                    id: r.id,
                    title_en: r.title_en,
                    title_zh: r.title_zh,
                    reference: reference(r.reference),
                })
                .collect(),
        }
    }

    fn evaluate(request: wit::Request) -> Result<Vec<wit::Finding>, String> {
        let findings = if P::READS_VIEW {
            let req = crate::RequestView::parse_view(
                &request.rule,
                &request.submission,
                &request.config,
                &request.evaluation_date,
                &request.lang,
            )?;
            let findings = crate::evaluate_view_checked::<P>(&req);
            // Not dropped: recert discards the instance, and all its
            // memory, when this call returns, so freeing the request piece
            // by piece would only spend fuel. The view borrows the
            // request's text, which is kept the same way.
            std::mem::forget(req);
            std::mem::forget(request);
            findings
        } else {
            let req = crate::Request::from_json(
                &request.rule,
                request.submission,
                &request.config,
                &request.evaluation_date,
                &request.lang,
            )?;
            let findings = crate::evaluate_checked::<P>(&req);
            std::mem::forget(req);
            findings
        };
        Ok(findings?.into_iter().map(finding).collect())
    }
}

fn reference(r: crate::Reference) -> wit::Reference {
    wit::Reference {
        standard: r.standard,
        clause: r.clause,
    }
}

fn finding(f: crate::Finding) -> wit::Finding {
    wit::Finding {
        rule: f.rule,
        outcome: match f.outcome {
            crate::Outcome::Pass => wit::Outcome::Pass,
            crate::Outcome::Fail => wit::Outcome::Fail,
            crate::Outcome::NotApplicable => wit::Outcome::NotApplicable,
            crate::Outcome::NotInForce => wit::Outcome::NotInForce,
            crate::Outcome::Error => wit::Outcome::Error,
        },
        path: f.path,
        // `Value`'s Display is its compact JSON text.
        actual: f.actual.map(|v| v.to_string()),
        expected: f.expected,
        message: f.message,
        reference: f.reference.map(reference),
    }
}
