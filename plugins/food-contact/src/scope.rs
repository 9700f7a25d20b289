//! Which components the food-contact rules look at, shared by every rule.
//!
//! A rule of this plugin applies to a product with `product.food_contact:
//! true` placed on the rule's market (`EU`, `US`, `CN` in
//! `product.markets`). Within it, every component of `material.class:
//! plastic` that claims recycled content (`recycled` present) is a
//! [`Target`]: submission v1 does not say which components touch the food,
//! so every plastic component of a food-contact product counts as
//! food-contact plastic, and a layer behind a functional barrier says so in
//! its `part` (see [`is_behind_barrier`]).
//!
//! A claim with a post- plus pre-consumer share of 0 % is no recycled
//! content. A claim (`recycled` present) with neither share cannot be
//! decided: the rules report it as `error`, never as `pass`.

use recert_plugin_sdk::view::{Authorisation, Component, MaterialClass, Recycled};
use recert_plugin_sdk::{Finding, RequestView, pointer::component_field};

/// The parts that mark a recycled layer separated from the food by a
/// functional barrier, unless the rule's `config.barrier_parts` says
/// otherwise (compared without case).
pub const DEFAULT_BARRIER_PARTS: [&str; 2] = ["functional-barrier", "behind-functional-barrier"];

/// A plastic component of a food-contact product that claims recycled content.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Its index in `components`.
    pub index: usize,
    /// The component.
    pub component: &'a Component<'a>,
    /// The claim.
    pub recycled: &'a Recycled<'a>,
    /// Post- plus pre-consumer share, %; `None` when neither is declared.
    pub share: Option<f64>,
}

impl Target<'_> {
    /// `/components/<i>/<fields...>`.
    pub fn path(&self, fields: &[&str]) -> String {
        component_field(self.index, fields)
    }

    /// The process authorisation, if any.
    pub fn authorisation(&self) -> Option<&Authorisation<'_>> {
        self.recycled
            .process
            .as_ref()
            .and_then(|p| p.authorisation.as_ref())
    }

    /// The authorisation when its scheme is `scheme` (without case).
    pub fn authorisation_of(&self, scheme: &str) -> Option<&Authorisation<'_>> {
        self.authorisation().filter(|a| {
            a.scheme
                .as_deref()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case(scheme))
        })
    }

    /// `recycled.technology`, trimmed and lower case.
    pub fn technology(&self) -> Option<String> {
        self.recycled
            .technology
            .as_deref()
            .map(|t| t.trim().to_ascii_lowercase())
    }
}

/// A plastic component of a food-contact product.
#[derive(Debug, Clone, Copy)]
pub struct Plastic<'a> {
    /// Its index in `components`.
    pub index: usize,
    /// The component.
    pub component: &'a Component<'a>,
    /// Its recycled claim, if it makes one.
    pub target: Option<Target<'a>>,
}

/// The plastic components of the product, for `market`: `Err` with the one
/// `not-applicable` finding when the product is not food contact or not
/// placed on `market`.
pub fn plastic_components<'a>(
    req: &'a RequestView<'a>,
    market: &str,
) -> Result<Vec<Plastic<'a>>, Box<Finding>> {
    let product = &req.submission.product;
    if product.food_contact != Some(true) {
        return Err(Box::new(
            req.not_applicable("/product/food_contact")
                .message(
                    "The product is not intended for food contact.",
                    "产品不属于食品接触材料。",
                )
                .build(),
        ));
    }
    if !product.sold_in(market) {
        return Err(Box::new(
            req.not_applicable("/product/markets")
                .message(
                    format!("The product is not placed on the {market} market."),
                    format!("产品不在 {market} 市场销售。"),
                )
                .build(),
        ));
    }
    Ok(req
        .submission
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.material.class == MaterialClass::Plastic)
        .map(|(index, component)| {
            let target = component.recycled.as_ref().map(|recycled| Target {
                index,
                component,
                recycled,
                share: recycled.total(),
            });
            Plastic {
                index,
                component,
                target,
            }
        })
        .collect())
}

/// The components that contain recycled plastic (or claim it without a
/// share), for `market`; `Err` with the `not-applicable` finding when there
/// are none.
pub fn targets<'a>(
    req: &'a RequestView<'a>,
    market: &str,
) -> Result<Vec<Target<'a>>, Box<Finding>> {
    let all: Vec<Target<'a>> = plastic_components(req, market)?
        .into_iter()
        .filter_map(|p| p.target)
        .filter(|t| t.share.is_none_or(|s| s > 0.0))
        .collect();
    if all.is_empty() {
        return Err(Box::new(
            req.not_applicable("/components")
                .message(
                    "No plastic component contains recycled plastic.",
                    "没有塑料部件含有再生塑料。",
                )
                .build(),
        ));
    }
    Ok(all)
}

/// The `error` finding for a claim without a share.
pub fn no_share(req: &RequestView<'_>, t: &Target<'_>) -> Finding {
    let label = t.component.label();
    req.error(t.path(&["recycled"]))
        .message(
            format!("{label} claims recycled content but declares neither a post-consumer nor a pre-consumer share, so it cannot be told whether it contains recycled plastic."),
            format!("{label} 声明含再生料，但未申报消费后回收料或消费前回收料比例，无法判断是否含有再生塑料。"),
        )
        .build()
}

/// Whether the component is a recycled layer behind a functional barrier:
/// its `part` is one of `config.barrier_parts` (default
/// [`DEFAULT_BARRIER_PARTS`]).
pub fn is_behind_barrier(req: &RequestView<'_>, component: &Component<'_>) -> Result<bool, String> {
    let parts: Vec<String> = match req.config.get_as::<Vec<String>>("barrier_parts")? {
        Some(list) => list,
        None => DEFAULT_BARRIER_PARTS
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
    };
    Ok(component.part.as_deref().is_some_and(|part| {
        parts
            .iter()
            .any(|p| p.trim().eq_ignore_ascii_case(part.trim()))
    }))
}

/// `scheme number` of an authorisation, for `actual`.
pub fn describe_authorisation(a: &Authorisation<'_>) -> String {
    match (a.scheme.as_deref(), a.number.as_deref()) {
        (Some(s), Some(n)) => format!("{s} {n}"),
        (Some(s), None) => s.to_owned(),
        (None, Some(n)) => n.to_owned(),
        (None, None) => String::new(),
    }
}

/// Whether the authorisation gives a non-empty number.
pub fn has_number(a: &Authorisation<'_>) -> bool {
    a.number.as_deref().is_some_and(|n| !n.trim().is_empty())
}
