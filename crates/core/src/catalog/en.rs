//! The English texts of recert: see [`Catalog`] for where each appears.

use super::{Batch, Catalog, Docs, Eval, Html, InForce, Problems, Verify, Warnings};
use crate::report::{PerOutcome, PerSeverity, PerVerdict, Strings};

/// Every text in English.
pub const EN: Catalog = Catalog {
    report: Strings {
        report: "recert report",
        verdict: "Verdict",
        submission: "Submission",
        product: "Product",
        sha256_normalized: "sha256 of the normalized content",
        sha256_file: "sha256 of the file",
        evaluated_at: "Evaluated as of",
        engine: "Engine",
        found: "found",
        required: "required",
        clause: "Clause",
        place: "Where",
        rule: "Rule",
        reason: "Reason",
        fix: "To fix",
        whole: "whole submission",
        packs: "Packs",
        plugins: "Plugins",
        params: "Params overridden",
        applies: ("applies", "does not apply"),
        version: "Version",
        secondary: "secondary source",
        places: "places",
        default: "default",
        value: "value",
        each_component: "each component",
        colon: ": ",
        comma: ", ",
        open: " (",
        close: ")",
        pack_not_applicable: "the pack does not apply to this product",
        rules: "rules",
        computed_limit: "the limit that applies to the product",
        warnings_word: ("warning", "warnings"),
        warnings_section: "Warnings",
        coverage: "Coverage",
        no_pack: "no pack covers it",
        sector: "sector",
        verdicts: PerVerdict {
            pass: "PASS",
            fail: "FAIL",
            incomplete: "INCOMPLETE",
            not_covered: "NOT COVERED",
        },
        verdict_meanings: PerVerdict {
            pass: "every applicable rule in force is met",
            fail: "at least one requirement is not met",
            incomplete: "nothing failed, but some rules could not be evaluated; the product is not certified as passing",
            not_covered: "no rule of any loaded pack applies to this product: nothing was checked, so it does not pass",
        },
        sections: PerOutcome {
            fail: "Failed",
            error: "Could not be evaluated",
            pass: "Passed",
            not_in_force: "Not in force on this date",
            not_applicable: "Not applicable",
        },
        outcomes: PerOutcome {
            fail: "failed",
            error: "not evaluated",
            pass: "passed",
            not_in_force: "not in force",
            not_applicable: "not applicable",
        },
        severities: PerSeverity {
            error: "error",
            warning: "warning",
            info: "info",
        },
    },
    in_force: InForce {
        from: |from| format!("from {from}"),
        before: |until| format!("before {until}"),
        from_before: |from, until| format!("from {from}, before {until}"),
        provisionally: "provisionally ",
        delay: |years, months| {
            let years_text = match years {
                1 => "1 year".to_owned(),
                n => format!("{n} years"),
            };
            let months_text = match months {
                1 => "1 month".to_owned(),
                n => format!("{n} months"),
            };
            match (years, months) {
                (_, 0) => years_text,
                (0, _) => months_text,
                _ => format!("{years_text} and {months_text}"),
            }
        },
        date_param: |param| format!("the date in param `{param}`"),
        start: |from, delay, what| {
            format!("from {from} or {delay} after {what}, whichever is later")
        },
        provisional_note: |start| {
            format!(
                " (Provisional: this applies {start}; that date is not set yet, so a failure is only a warning.)"
            )
        },
        provisional_window: |window, start| {
            format!(
                "{window} (provisional: applies {start}; until that date is set, failures are warnings)"
            )
        },
    },
    eval: Eval {
        pack_applies_unknown: |pack, reason| {
            format!("cannot tell whether pack `{pack}` applies: {reason}")
        },
        when_unknown: |reason| format!("cannot evaluate `when`: {reason}"),
        bound_unknown: |rule, side, reason| {
            format!("rule `{rule}`: cannot evaluate the bound `{side}`: {reason}")
        },
        missing: |pointer| format!("missing `{pointer}`: the submission does not give it"),
        type_error: |message| message.to_owned(),
        not_finite: |expression, zero_mass| {
            let cause = if zero_mass {
                "the components' total mass is 0, so no mass-weighted value exists"
            } else {
                "a division by zero or an overflow"
            };
            format!(
                "`{expression}` gives no finite number: {cause}; state the masses and values that make it computable"
            )
        },
        below_detection_undecided: |value, limit| {
            format!(
                "the value rests on results below the detection limit ({value}) and does not decide against the limit {limit}: measure with a more sensitive method, whose detection limit is at or below the limit"
            )
        },
        below_detection_not_monotone: |expression| {
            format!(
                "`{expression}` does not grow with the concentrations it reads, so a result below the detection limit gives no bound on it: state measured values"
            )
        },
        below_detection_assert: "the answer depends on a result below the detection limit, which does not decide it: measure with a more sensitive method",
        over_iterations: |limit| {
            format!(
                "evaluation stopped: the rule's expressions iterate over more than {limit} list elements, the limit for one rule; the pack must be simplified"
            )
        },
        over_bytes: |limit| {
            format!(
                "evaluation stopped: the rule's expressions build more than {limit} MiB of text and lists, the limit for one rule; the pack must be simplified"
            )
        },
        no_components: "the submission has no `components` list",
        fix_lower: |what, component, expected, actual| {
            let what = what.unwrap_or("the value");
            match component {
                Some(component) => format!(
                    "Bring {what} in component {component} from {actual} to {expected}: e.g. with a material or supplier that meets the limit, confirmed by a new lab report."
                ),
                None => format!("Bring {what} from {actual} to {expected}."),
            }
        },
        fix_raise: |what, expected, actual, gap| {
            let what = what.unwrap_or("the value");
            if gap.is_empty() {
                format!("Raise {what} from {actual} to {expected}.")
            } else {
                format!("Raise {what} from {actual} to {expected} ({gap} more).")
            }
        },
        fix_component: |id, name| match name {
            Some(name) => format!("{id} ({name})"),
            None => id.to_owned(),
        },
        fix_missing: |field, component, lab, place| {
            let verb = if lab {
                "Have the lab measure"
            } else {
                "Declare"
            };
            let whose = component.map_or_else(String::new, |c| format!(" of component {c}"));
            let place = place.map_or_else(String::new, |p| format!(" ({p})"));
            let then = if lab {
                " and declare the result in the submission"
            } else {
                " in the submission"
            };
            format!("{verb} `{field}`{whose}{then}{place}.")
        },
        fix_place: |line| format!("under line {line}"),
    },
    docs: Docs {
        generated: "Generated by `recert docs` from the pack and its tests; do not edit. Change the pack, then run `recert docs`.",
        language: "English",
        pack: "Pack",
        version: "Version",
        file: "File",
        tests: "Tests",
        rules: "Rules",
        standards: "Standards",
        standard: "Standard",
        id: "Id",
        verification: "Verification",
        official: "official text",
        secondary: "secondary sources only",
        secondary_note: "confirmed only from secondary text; re-check against the official text before relying on it",
        applies_to: "Applies to",
        always_applies: "Every submission (no `applies_to`).",
        in_words: "In words",
        params: "Params",
        params_intro: "Named values the rules use. A certification body may override them with `recert check --params FILE`.",
        param: "Param",
        value: "Value",
        unit: "Unit",
        row: "Row",
        row_ref: "row",
        meaning: "Meaning",
        rule: "Rule",
        title: "Title",
        severity: "Severity",
        severity_error: "a failure fails the verdict",
        severity_other: "reported, never fails the verdict",
        requirement: "Requirement",
        decided_by_plugin: |plugin| format!("decided by plugin {plugin}"),
        reference: "Reference",
        in_force: "In force",
        always: "always",
        from: |from| format!("from {from}"),
        until: |until, last| format!("until {until} (last day {last})"),
        from_until: |from, until, last| format!("from {from} until {until} (last day {last})"),
        runs: "Runs",
        per_component: "once per component (`for_each: components`)",
        once: "once per submission",
        when: "Only when",
        value_checked: "Value checked",
        asserts: "Asserts",
        reports: "Reports as the value found",
        plugin: "Plugin",
        config: "Config",
        examples: "Examples",
        examples_from: "What the pack's tests expect of this rule",
        no_examples: "No test case names this rule.",
        case: "Case",
        date: "Date",
        expected_outcome: "Outcome",
        outcome_as_tested: |_word, code| code.to_owned(),
        outcome_separator: "; ",
        with_params: "with",
        and: ", and ",
        is: "is",
        is_not: "is not",
        includes: "includes",
        is_true: "is true",
        is_false: "is false",
        is_given: "is given",
        stop: ".",
        the_component: "the component",
        the_value: "the value found",
        packs_title: "Rule packs",
        packs_intro: "The packs bundled with recert. Each page lists the pack's standards, params and rules, with the cases its tests check.",
    },
    warnings: Warnings {
        share_as_fraction: |field, value, percent| {
            format!(
                "`{field}` is {value} %, while every other share of the submission is above 1 %: did you mean {percent} %?"
            )
        },
        share_as_fraction_help: "shares are percentages from 0 to 100: write `30` or `30 %` for 30 %, not `0.3`; if 0.3 % is meant, nothing needs changing",
        unknown_substance: |name| {
            format!("no loaded pack or plugin reads the substance `{name}`: it is not checked")
        },
        unknown_property: |name| {
            format!("no loaded pack or plugin reads the property `{name}`: it is not checked")
        },
        did_you_mean: |suggestion| format!("did you mean `{suggestion}`?"),
        unchecked_substance_help: "if the name is right, no rule checks this substance",
        unchecked_property_help: "if the name is right, no rule checks this property",
    },
    batch: Batch {
        invalid: "INVALID",
        invalid_meaning: "the input could not be read or is not a valid submission: nothing was evaluated",
        input: "Input",
        inputs: |count| {
            if count == 1 {
                "1 input".to_owned()
            } else {
                format!("{count} inputs")
            }
        },
        most_failed: "Rules failed by the most submissions",
        submissions: |count| {
            if count == 1 {
                "1 submission".to_owned()
            } else {
                format!("{count} submissions")
            }
        },
        more_rules: |count| {
            if count == 1 {
                "… and 1 more rule (see --summary FILE)".to_owned()
            } else {
                format!("… and {count} more rules (see --summary FILE)")
            }
        },
        per_pack: "Per pack",
        pack_counts: |applied, failed| format!("applied to {applied}, failed by {failed}"),
    },
    verify: Verify {
        record: |n| format!("record {n}"),
        signed_with_given_key: |id| format!("signature valid: signed with the key given ({id})"),
        signed_with_carried_key: |id| format!("signature valid: signed with key {id}"),
        self_asserted: "the key is the one the report carries: this shows that the report was not changed after it was signed with that key, not who signed it (check the signer with --key PUBKEY)",
        unsigned: "the report is not signed",
        malformed: |reason| format!("the signature cannot be read: {reason}"),
        unsupported: |field, value| {
            format!(
                "the signature's {field} `{value}` is not supported (recert signs with Ed25519 over RFC 8785 canonical JSON)"
            )
        },
        wrong_key: |given, found| {
            format!(
                "wrong key: the report was signed with key {found}, not with the key given ({given})"
            )
        },
        mismatch: "the signature does not match the report: the report was changed after it was signed",
        submission_file: |file| format!("submission file {file} (sha256 of the file)"),
        submission_normalized: |file| {
            format!("submission {file} (sha256 of the normalized content)")
        },
        pack: |id, file| format!("pack {id} ({file})"),
        plugin: |id, file| format!("plugin {id} ({file})"),
        matches: |what| format!("{what}: digest matches"),
        differs: |what, expected, found| {
            format!("{what}: digest differs: the report records {expected}, the file has {found}")
        },
        not_found: |what| format!("{what}: not checked, no such file among those given"),
        verified: "VERIFIED",
        not_verified: "NOT VERIFIED",
    },
    html: Html {
        digests: "Digests (SHA-256)",
        findings: "Findings",
        outcome: "Outcome",
        severity: "Severity",
        message: "Message",
        fix: "What would make it pass",
        evidence: "Evidence",
        certificates: "Chain-of-custody certificates",
        lots: "Supplier lots",
        documents: "Documents",
        component: "Component",
        scheme: "Scheme",
        number: "Number",
        valid_until: "Valid until",
        expired: "expired on the evaluation date",
        lot: "Lot",
        kind: "Kind",
        title: "Title",
        no_evidence: "The submission gives no certificate, lot or document.",
        no_findings: "No rule of any pack applies to this product.",
        reproduce: "The digests identify the submission, packs and plugins this report was made from: the same files give the same report.",
    },
    problems: Problems {
        invalid_body: "The request body is not a valid submission",
        invalid_body_detail: |n| {
            if n == 1 {
                "1 problem; each diagnostic names its line, column and path in the request body"
                    .to_owned()
            } else {
                format!(
                    "{n} problems; each diagnostic names its line, column and path in the request body"
                )
            }
        },
        bad_query: "A query parameter is not valid",
        bad_query_detail: |name, value, expected| format!("{name}: `{value}` is not {expected}"),
        cannot_sign: "The report cannot be signed",
        no_signing_key: "sign=true needs a server started with --sign KEY; this one has no signing key",
        sign_json_only: |format| {
            format!("sign=true signs JSON reports only, not format={format}: add format=json")
        },
        too_large: "The request body is too large",
        too_large_detail: |mib| {
            format!("a submission may be at most {mib} MiB, as for recert check")
        },
        overloaded: "The server is busy",
        overloaded_detail: |limit, retry| {
            format!(
                "{limit} requests are being evaluated or waiting for their turn, as many as this server takes at once; retry in {retry} s"
            )
        },
        deadline: "The evaluation took too long",
        deadline_detail: |deadline| {
            format!("the evaluation did not finish within the server's deadline of {deadline}")
        },
        unknown_schema: "No such schema",
        unknown_schema_detail: |name, names| format!("`{name}` is not one of {names}"),
        internal: "The evaluation did not finish",
        internal_detail: "the server failed while evaluating this request; the failure is logged under its request id",
    },
};
