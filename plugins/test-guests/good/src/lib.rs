//! A well-behaved test plugin, realistic in cost: it parses the submission
//! with serde_json and walks every component.
//!
//! Rules:
//! - `min-post-consumer`: every plastic component declares at least
//!   `config.min` % post-consumer recycled content (default 25).
//! - `sandbox-probe`: reports what the sandbox shows the guest (clocks,
//!   randomness, environment, arguments, files, stdin) as one finding whose
//!   `actual` is a JSON object, so the host tests can check it.

wit_bindgen::generate!({ path: "../../wit", world: "plugin" });

use exports::recert::plugin::rules::{
    Finding, Guest, Outcome, PluginInfo, Reference, Request, RuleInfo,
};
use serde_json::{Value, json};

struct Good;

fn reference(clause: &str) -> Reference {
    Reference {
        standard: "Test standard 1".into(),
        clause: clause.into(),
    }
}

impl Guest for Good {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "good".into(),
            version: "1.2.3".into(),
            title: "A well-behaved test plugin".into(),
            rules: vec![
                RuleInfo {
                    id: "min-post-consumer".into(),
                    title_en: "Minimum post-consumer recycled content".into(),
                    title_zh: "消费后再生料最低含量".into(),
                    reference: reference("4.1"),
                },
                RuleInfo {
                    id: "sandbox-probe".into(),
                    title_en: "What the sandbox shows".into(),
                    title_zh: "沙箱所见".into(),
                    reference: reference("0"),
                },
            ],
        }
    }

    fn evaluate(request: Request) -> Result<Vec<Finding>, String> {
        match request.rule.as_str() {
            "min-post-consumer" => min_post_consumer(&request),
            "sandbox-probe" => Ok(vec![probe(&request)]),
            other => Err(format!("unknown rule {other}")),
        }
    }
}

fn min_post_consumer(request: &Request) -> Result<Vec<Finding>, String> {
    let submission: Value =
        serde_json::from_str(&request.submission).map_err(|e| format!("submission: {e}"))?;
    let config: Value =
        serde_json::from_str(&request.config).map_err(|e| format!("config: {e}"))?;
    let min = config.get("min").and_then(Value::as_f64).unwrap_or(25.0);
    let components = submission
        .get("components")
        .and_then(Value::as_array)
        .ok_or("the submission has no components")?;
    let zh = request.lang == "zh";
    let mut findings = Vec::new();
    for (i, component) in components.iter().enumerate() {
        let class = component.pointer("/material/class").and_then(Value::as_str);
        if class != Some("plastic") {
            findings.push(Finding {
                rule: request.rule.clone(),
                outcome: Outcome::NotApplicable,
                path: format!("/components/{i}"),
                actual: class.map(|c| Value::from(c).to_string()),
                expected: Some("plastic".into()),
                message: if zh { "非塑料部件".into() } else { "not a plastic component".into() },
                reference: None,
            });
            continue;
        }
        let share = component
            .pointer("/recycled/post_consumer")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let pass = share >= min;
        let id = component.get("id").and_then(Value::as_str).unwrap_or("?");
        findings.push(Finding {
            rule: request.rule.clone(),
            outcome: if pass { Outcome::Pass } else { Outcome::Fail },
            path: format!("/components/{i}/recycled/post_consumer"),
            actual: Some(json!(share).to_string()),
            expected: Some(format!(">= {min} %")),
            message: match (zh, pass) {
                (false, true) => format!("component {id} has {share} % post-consumer content"),
                (false, false) => format!("component {id} has only {share} % post-consumer content, below {min} %"),
                (true, true) => format!("部件 {id} 的消费后再生料含量为 {share} %"),
                (true, false) => format!("部件 {id} 的消费后再生料含量仅为 {share} %，低于 {min} %"),
            },
            reference: if pass { None } else { Some(reference("4.1(a)")) },
        });
    }
    Ok(findings)
}

fn probe(request: &Request) -> Finding {
    use std::hash::{BuildHasher, Hasher};
    use std::io::Read;
    use std::time::{Instant, SystemTime, UNIX_EPOCH};

    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos().to_string())
        .unwrap_or_else(|e| format!("before epoch: {e}"));
    let start = Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let slept_nanos = start.elapsed().as_nanos().to_string();
    // std seeds its HashMap hasher from WASI randomness.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write(b"recert");
    let random = hasher.finish();
    let mut stdin = String::new();
    let stdin_read = match std::io::stdin().read_to_string(&mut stdin) {
        Ok(n) => json!(n),
        Err(e) => json!(e.to_string()),
    };
    println!("this goes nowhere");
    let actual = json!({
        "wall_clock_nanos": wall,
        "slept_nanos": slept_nanos,
        "hash_of_constant": random.to_string(),
        "env_count": std::env::vars().count(),
        "args_count": std::env::args().count(),
        "read_root": std::fs::read_dir("/").is_ok(),
        "read_dot": std::fs::read_dir(".").is_ok(),
        "open_etc_passwd": std::fs::read("/etc/passwd").is_ok(),
        "tcp_connect": std::net::TcpStream::connect("127.0.0.1:9").is_ok(),
        "stdin": stdin_read,
        "current_dir": std::env::current_dir().map(|p| p.display().to_string()).ok(),
    });
    Finding {
        rule: request.rule.clone(),
        outcome: Outcome::Pass,
        path: String::new(),
        actual: Some(actual.to_string()),
        expected: None,
        message: format!("evaluated for {}", request.evaluation_date),
        reference: None,
    }
}

export!(Good);
