//! A test plugin that misbehaves on request: the requested rule picks the
//! misbehaviour. Rule `ok` behaves, so the tests can check that the same
//! loaded plugin still works after each failure.

wit_bindgen::generate!({ path: "../../wit", world: "plugin" });

use exports::recert::plugin::rules::{
    Finding, Guest, Outcome, PluginInfo, Reference, Request, RuleInfo,
};
use std::hint::black_box;

struct Hostile;

/// Every rule this plugin declares.
const RULES: &[&str] = &[
    "ok",
    "ansi",
    "ansi-err",
    "loop",
    "memory",
    "big-initial-alloc",
    "stack",
    "shadow-stack",
    "panic",
    "unreachable",
    "err",
    "bad-path",
    "bad-pointer-escape",
    "bad-actual",
    "huge",
    "many",
    "undeclared",
    "sleep",
    "flood-then-panic",
    "exit",
    "stdout-flood",
    "busy",
    "ghost-path",
];

/// How many numbered copies of `busy` (`busy-0` ...) it also declares, for
/// a submission with many busy rules.
const BUSY_COPIES: usize = 50;

impl Guest for Hostile {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "hostile".into(),
            version: "0.6.6".into(),
            // A title that would clear a terminal and draw a verdict, or
            // inject a heading and HTML into Markdown, if shown raw.
            title: "A plugin that misbehaves on request\u{1b}[2J\r\n## Verdict: **PASS** <script>x</script>".into(),
            rules: RULES
                .iter()
                .map(|id| (*id).to_owned())
                .chain((0..BUSY_COPIES).map(|i| format!("busy-{i}")))
                .map(|id| RuleInfo {
                    id: id.clone(),
                    title_en: format!("misbehaviour {id}"),
                    title_zh: format!("异常行为 {id}"),
                    reference: Reference {
                        standard: "none".into(),
                        clause: "0".into(),
                    },
                })
                .collect(),
        }
    }

    fn evaluate(request: Request) -> Result<Vec<Finding>, String> {
        let rule = request.rule.clone();
        match rule.as_str() {
            "ok" => Ok(vec![finding(&rule, "", Some("42".into()), "fine".into())]),
            "loop" => {
                let mut n: u64 = 0;
                loop {
                    n = black_box(n.wrapping_add(1));
                }
            }
            "ghost-path" => Ok(vec![finding(&rule, "/components/99/mass", None, "boo".into())]),
            busy if busy == "busy" || busy.starts_with("busy-") => {
                // Long but bounded: a fixed amount of work (about 20 million
                // instructions), the same on every machine.
                let mut n: u64 = 0;
                for i in 0..black_box(2_000_000u64) {
                    n = black_box(n.wrapping_add(i));
                }
                Ok(vec![finding(&rule, "", Some(n.to_string()), "done".into())])
            }
            "memory" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    let chunk = vec![0xA5u8; 1 << 20];
                    hoard.push(black_box(chunk));
                }
            }
            "big-initial-alloc" => {
                let v = black_box(vec![1u8; 512 << 20]);
                Ok(vec![finding(&rule, "", Some(v.len().to_string()), "got it".into())])
            }
            "stack" => {
                let depth = recurse(black_box(1));
                Ok(vec![finding(&rule, "", Some(depth.to_string()), "deep".into())])
            }
            "shadow-stack" => {
                let depth = recurse_big(black_box(1));
                Ok(vec![finding(&rule, "", Some(depth.to_string()), "deep".into())])
            }
            "unreachable" => trap_here(black_box(7)),
            "panic" => panic!("the gauge is broken: reading {}", black_box(42)),
            "err" => Err("the submission has no battery section".into()),
            // Texts that try to take over a terminal or a Markdown report.
            "ansi" => Ok(vec![Finding {
                outcome: Outcome::Fail,
                expected: Some("\u{1b}[2J<script>alert(1)</script>".into()),
                ..finding(
                    &rule,
                    "",
                    None,
                    "\u{1b}[2J\u{1b}[H\rVerdict: PASS\n## Verdict: **PASS** <img src=x onerror=alert(1)>"
                        .into(),
                )
            }]),
            "ansi-err" => Err("\u{1b}[2J\u{1b}[H\rVerdict: PASS\u{202E}\n# PASS".into()),
            "bad-path" => Ok(vec![finding(&rule, "components/1", None, "no slash".into())]),
            "bad-pointer-escape" => {
                Ok(vec![finding(&rule, "/components/~2", None, "bad escape".into())])
            }
            "bad-actual" => Ok(vec![finding(&rule, "/id", Some("{not json".into()), "x".into())]),
            "huge" => Ok(vec![finding(&rule, "", None, "x".repeat(2 << 20))]),
            "many" => Ok((0..20_000).map(|_| finding(&rule, "", None, String::new())).collect()),
            "undeclared" => Ok(vec![finding("not-declared", "", None, "sneaky".into())]),
            "sleep" => {
                std::thread::sleep(std::time::Duration::from_secs(3600));
                std::thread::sleep(std::time::Duration::MAX);
                Ok(vec![finding(&rule, "", None, "woke up".into())])
            }
            "flood-then-panic" => {
                for i in 0..3_000 {
                    eprintln!("noise line {i} ........................................");
                }
                panic!("after the flood");
            }
            "exit" => std::process::exit(3),
            "stdout-flood" => {
                for i in 0..3_000 {
                    println!("stdout line {i} .......................................");
                }
                Ok(vec![finding(&rule, "", None, "printed".into())])
            }
            other => Err(format!("unknown rule {other}")),
        }
    }
}

fn finding(rule: &str, path: &str, actual: Option<String>, message: String) -> Finding {
    Finding {
        rule: rule.into(),
        outcome: Outcome::Pass,
        path: path.into(),
        actual,
        expected: None,
        message,
        reference: None,
    }
}

/// Recurses until the stack runs out; the local array lives on the shadow
/// stack in linear memory, the call frames on the wasm stack.
#[allow(unconditional_recursion)]
fn recurse(n: u64) -> u64 {
    let mut frame = [0u8; 64];
    frame[(n % 64) as usize] = n as u8;
    let frame = black_box(frame);
    recurse(black_box(n + 1)).wrapping_add(u64::from(frame[(n % 64) as usize]))
}

/// Traps without a panic message (a plain `unreachable` instruction).
#[inline(never)]
fn trap_here(n: u32) -> Result<Vec<Finding>, String> {
    if black_box(n) == 7 {
        core::arch::wasm32::unreachable()
    }
    Ok(Vec::new())
}

/// Recurses with 4 KiB frames on the shadow stack, which runs out (an
/// out-of-bounds access below address 0) long before the wasm stack does.
#[allow(unconditional_recursion)]
fn recurse_big(n: u64) -> u64 {
    let mut frame = [0u8; 4096];
    frame[(n % 4096) as usize] = n as u8;
    let frame = black_box(frame);
    recurse_big(black_box(n + 1)).wrapping_add(u64::from(frame[(n % 4096) as usize]))
}

export!(Hostile);
