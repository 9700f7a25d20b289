//! `recert serve`: the server on an ephemeral loopback port, every route of
//! its API, its errors and limits, compared with what the command line gives.
//!
//! The rule for report bytes: a report the server answers is the bytes
//! `recert check - --at D --format F` writes for the same body on standard
//! input, with the input's name `<stdin>` replaced by `request body`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::{Duration, Instant};

use common::serve::Server;
use serde_json::Value as Json;

/// An answer: status, headers, body.
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Json {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The problem+json body of an error answer.
    fn problem(&self) -> Json {
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.body
        );
        let problem = self.json();
        assert_eq!(problem["status"], self.status, "{problem}");
        for key in ["type", "title", "detail"] {
            assert!(problem[key].is_string(), "{key} missing: {problem}");
        }
        assert!(problem["diagnostics"].is_array(), "{problem}");
        problem
    }
}

/// A client that reads error statuses as answers, not errors.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn answer(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_string()
        .unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

fn get(server: &Server, path: &str) -> Answer {
    answer(agent().get(server.url(path)).call().unwrap())
}

fn post(server: &Server, path: &str, body: &[u8]) -> Answer {
    post_to(&server.url(path), body)
}

fn post_to(url: &str, body: &[u8]) -> Answer {
    answer(agent().post(url).send(body).unwrap())
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(common::repo().join("examples").join(name)).unwrap()
}

/// What `recert check -` writes for `body`, named as the server names it.
fn checked(body: &[u8], args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "-"];
    all.extend_from_slice(args);
    let run = common::recert_stdin(&all, body);
    // As each format writes a name: escaped in HTML and XML, a URI in SARIF.
    let text = run
        .stdout
        .replace("&lt;stdin&gt;", "request body")
        .replace("%3Cstdin%3E", "request%20body")
        .replace("<stdin>", "request body");
    (run.code, text)
}

/// The verdict `recert check` exits with.
fn verdict_of_exit(code: i32) -> &'static str {
    match code {
        0 => "pass",
        1 => "fail",
        3 => "incomplete",
        4 => "not-covered",
        other => panic!("recert check exited {other}"),
    }
}

/// The value of `line` (`name{labels} value`) in the metrics text, 0 if absent.
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0.0)
}

/// Waits until a request besides the one asking is being answered.
fn wait_in_flight<T>(server: &Server, request: &std::thread::ScopedJoinHandle<'_, T>) {
    let start = Instant::now();
    loop {
        let text = get(server, "/metrics").body;
        if metric(&text, "recert_http_requests_in_flight") >= 2.0 {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never in flight");
        assert!(!request.is_finished(), "finished too soon: make it larger");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Sends SIGTERM to `pid`.
fn terminate(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn the_probes_answer() {
    let server = Server::start(&[]);
    let health = get(&server, "/healthz");
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
    let ready = get(&server, "/readyz");
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready\n"));
}

#[test]
fn every_example_gives_the_bytes_check_writes_in_json_and_markdown() {
    let server = Server::start(&[]);
    let mut names: Vec<_> = std::fs::read_dir(common::repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    for name in &names {
        let body = example(name);
        for format in ["json", "markdown"] {
            let served = post(
                &server,
                &format!("/v1/evaluate?at=2032-01-01&format={format}"),
                &body,
            );
            assert_eq!(served.status, 200, "{name} {format}: {}", served.body);
            let (code, expected) = checked(&body, &["--at", "2032-01-01", "--format", format]);
            assert_eq!(served.body, expected, "{name} --format {format}");
            assert_eq!(
                served.header("recert-verdict"),
                Some(verdict_of_exit(code)),
                "{name}"
            );
        }
    }
}

#[test]
fn every_format_and_language_gives_the_bytes_check_writes() {
    let server = Server::start(&[]);
    let body = example("eee-wt-percent.yaml");
    for (format, media_type) in [
        ("html", "text/html; charset=utf-8"),
        ("sarif", "application/sarif+json"),
        ("junit", "application/xml"),
        ("text", "text/plain; charset=utf-8"),
    ] {
        for lang in ["en", "zh"] {
            let served = post(
                &server,
                &format!("/v1/evaluate?at=2026-12-01&format={format}&lang={lang}"),
                &body,
            );
            assert_eq!(served.status, 200, "{format}: {}", served.body);
            assert_eq!(served.header("content-type"), Some(media_type));
            assert_eq!(served.header("recert-verdict"), Some("fail"));
            let (_, expected) = checked(
                &body,
                &["--at", "2026-12-01", "--format", format, "--lang", lang],
            );
            assert_eq!(served.body, expected, "--format {format} --lang {lang}");
        }
    }
    // Without a query: JSON, in English, as of today.
    let served = post(&server, "/v1/evaluate", &body);
    assert_eq!(served.header("content-type"), Some("application/json"));
    let today = served.json()["evaluation_date"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, expected) = checked(&body, &["--format", "json", "--at", &today]);
    assert_eq!(served.body, expected);
}

#[test]
fn params_and_strict_names_apply_as_for_check() {
    let params = "tests/fixtures/params/stricter-lead.yaml";
    let body = example("eee-abs-housing.yaml");
    let (_, with_params) = checked(
        &body,
        &["--at", "2026-12-01", "--format", "json", "--params", params],
    );
    let (_, without) = checked(&body, &["--at", "2026-12-01", "--format", "json"]);
    assert_ne!(with_params, without);
    let server = Server::start(&["--params", params]);
    let served = post(&server, "/v1/evaluate?at=2026-12-01", &body);
    assert_eq!(served.body, with_params);
    drop(server);

    // A name no pack reads: a warning, or with --strict an error.
    let typo = String::from_utf8(body)
        .unwrap()
        .replacen("lead:", "leed:", 1);
    assert_ne!(typo.as_bytes(), example("eee-abs-housing.yaml"));
    let strict = Server::start(&["--strict"]);
    let refused = post(&strict, "/v1/evaluate", typo.as_bytes());
    assert_eq!(refused.status, 400, "{}", refused.body);
    let problem = refused.problem();
    assert_eq!(
        problem["diagnostics"][0]["code"], "unknown-name",
        "{problem}"
    );
    let lenient = Server::start(&[]);
    let valid = post(&lenient, "/v1/validate", typo.as_bytes());
    assert_eq!(valid.status, 200);
    assert_eq!(valid.json()["warnings"][0]["code"], "unknown-name");
}

/// A fresh folder under the target folder.
fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn sign_true_signs_as_check_sign_does() {
    let dir = tempdir("sign");
    let key = dir.join("lab.key");
    let key = key.to_str().unwrap();
    assert_eq!(common::recert(&["keygen", key]).code, 0);
    let body = example("battery-ev-pass.yaml");

    let unsigned = Server::start(&[]);
    let refused = post(&unsigned, "/v1/evaluate?sign=true", &body);
    assert_eq!(refused.status, 400);
    assert!(
        refused.problem()["type"]
            .as_str()
            .unwrap()
            .ends_with("/cannot-sign")
    );
    drop(unsigned);

    let server = Server::start(&["--sign", key]);
    let html = post(&server, "/v1/evaluate?sign=true&format=html", &body);
    assert_eq!(html.status, 400);
    html.problem();
    let served = post(&server, "/v1/evaluate?at=2032-01-01&sign=true", &body);
    assert_eq!(served.status, 200, "{}", served.body);
    assert!(served.json()["signature"].is_object(), "{}", served.body);
    // The signature covers the input's name, so only its value differs.
    let (_, expected) = checked(
        &body,
        &["--at", "2032-01-01", "--format", "json", "--sign", key],
    );
    let without_value = |text: &str| {
        let mut report: Json = serde_json::from_str(text).unwrap();
        report["signature"]["value"] = Json::Null;
        report
    };
    assert_eq!(without_value(&served.body), without_value(&expected));
    let report = dir.join("report.json");
    std::fs::write(&report, &served.body).unwrap();
    let pubkey = format!("{key}.pub");
    let verified = common::recert(&["verify", report.to_str().unwrap(), "--key", &pubkey]);
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
    // Unsigned unless asked.
    let plain = post(&server, "/v1/evaluate?at=2032-01-01", &body);
    assert!(plain.json().get("signature").is_none());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn malformed_input_is_a_problem_with_its_place() {
    let server = Server::start(&[]);
    // A YAML syntax error on line 3.
    let broken = b"schema: recert.submission/v1\nid: X\nproduct: [unclosed\n";
    let answer = post(&server, "/v1/evaluate", broken);
    assert_eq!(answer.status, 400);
    let problem = answer.problem();
    assert!(problem["type"].as_str().unwrap().ends_with("/invalid-body"));
    let first = &problem["diagnostics"][0];
    assert_eq!(first["file"], "request body", "{problem}");
    assert!(first["line"].as_u64().unwrap() >= 3, "{problem}");
    assert!(first["column"].is_u64(), "{problem}");
    let run = common::recert_stdin(&["check", "-"], broken);
    assert_eq!(run.code, 2);
    let place = format!(
        "<stdin>:{}:{}",
        first["line"].as_u64().unwrap(),
        first["column"].as_u64().unwrap()
    );
    assert!(run.stderr.contains(&place), "{place} not in {}", run.stderr);
    assert!(
        run.stderr.contains(first["message"].as_str().unwrap()),
        "{}",
        run.stderr
    );

    // A schema error: its JSON path, in Chinese for lang=zh.
    let text = String::from_utf8(example("eee-abs-housing.yaml")).unwrap();
    let wrong = text.replacen("mass: ", "mass: heavy # ", 1);
    let answer = post(&server, "/v1/evaluate?lang=zh", wrong.as_bytes());
    assert_eq!(answer.status, 400, "{}", answer.body);
    let problem = answer.problem();
    assert_eq!(problem["title"], "请求正文不是有效的申报文件");
    let diagnostic = &problem["diagnostics"][0];
    assert!(
        diagnostic["path"].as_str().unwrap().ends_with("/mass"),
        "{problem}"
    );
    assert!(diagnostic["line"].is_u64(), "{problem}");
    let run = common::recert_stdin(&["check", "-"], wrong.as_bytes());
    assert!(
        run.stderr.contains(diagnostic["message"].as_str().unwrap()),
        "{}",
        run.stderr
    );

    // Not UTF-8: the place of the first bad byte.
    let answer = post(&server, "/v1/validate", b"schema: x\nid: \xff\n");
    assert_eq!(answer.status, 400);
    let problem = answer.problem();
    assert_eq!(problem["diagnostics"][0]["code"], "not-utf8");
    assert_eq!(problem["diagnostics"][0]["line"], 2);

    // A bad query parameter.
    for query in ["format=pdf", "lang=fr", "at=tomorrow", "sign=maybe"] {
        let answer = post(&server, &format!("/v1/evaluate?{query}"), b"{}");
        assert_eq!(answer.status, 400, "{query}");
        assert!(
            answer.problem()["type"]
                .as_str()
                .unwrap()
                .ends_with("/bad-query"),
            "{query}"
        );
    }
}

#[test]
fn validate_packs_and_schemas_answer_as_the_cli() {
    let server = Server::start(&[]);
    let valid = post(&server, "/v1/validate", &example("eee-abs-housing.yaml"));
    assert_eq!(valid.status, 200, "{}", valid.body);
    assert_eq!(valid.json()["valid"], true);
    let invalid = post(&server, "/v1/validate", b"schema: recert.submission/v1\n");
    assert_eq!(invalid.status, 400);
    assert!(
        !invalid.problem()["diagnostics"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    for lang in ["en", "zh"] {
        let packs = get(&server, &format!("/v1/packs?lang={lang}"));
        assert_eq!(packs.status, 200);
        assert_eq!(packs.header("content-type"), Some("application/json"));
        let cli = common::recert(&["packs", "--format", "json", "--lang", lang]);
        assert_eq!(packs.body, cli.stdout, "lang {lang}");
    }
    for name in ["submission", "report", "pack", "pack-test", "summary"] {
        let schema = get(&server, &format!("/v1/schemas/{name}"));
        assert_eq!(schema.status, 200, "{name}");
        assert_eq!(
            schema.body,
            common::recert(&["schema", name]).stdout,
            "{name}"
        );
    }
    let unknown = get(&server, "/v1/schemas/invoice");
    assert_eq!(unknown.status, 404);
    unknown.problem();
}

#[test]
fn a_body_over_the_input_cap_is_413() {
    let server = Server::start(&[]);
    let cap = 16 * 1024 * 1024;
    let mut body = vec![b' '; cap + 1];
    body[0] = b'{';
    let answer = post(&server, "/v1/evaluate", &body);
    assert_eq!(answer.status, 413);
    let problem = answer.problem();
    assert!(problem["type"].as_str().unwrap().ends_with("/too-large"));
    assert!(problem["detail"].as_str().unwrap().contains("16 MiB"));
    // At the cap, the body is read (and found not to be a submission).
    let at_cap = post(&server, "/v1/validate", &body[..cap]);
    assert_eq!(at_cap.status, 400, "{}", at_cap.body);
}

#[test]
fn beyond_max_concurrent_is_503_with_retry_after_and_past_the_deadline_503() {
    let large = common::large_submission(300);
    let server = Server::start(&[
        "--max-concurrent",
        "1",
        "--max-queued",
        "0",
        "--deadline",
        "600s",
    ]);
    let url = server.url("/v1/evaluate?format=sarif");
    let busy = std::thread::scope(|scope| {
        let slow = scope.spawn(|| post_to(&url, large.as_bytes()));
        wait_in_flight(&server, &slow);
        // Its body is read by now: it holds the one slot.
        std::thread::sleep(Duration::from_millis(300));
        let mut busy = None;
        while !slow.is_finished() {
            let answer = post(&server, "/v1/validate", b"{}");
            if answer.status == 503 {
                busy = Some(answer);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let slow = slow.join().unwrap();
        assert_eq!(slow.status, 200, "{}", slow.body);
        busy
    });
    let busy = busy.expect("no request was refused while the large one ran");
    assert_eq!(busy.header("retry-after"), Some("1"));
    let problem = busy.problem();
    assert!(problem["type"].as_str().unwrap().ends_with("/overloaded"));
    drop(server);

    let server = Server::start(&["--deadline", "1ms"]);
    let late = post(&server, "/v1/evaluate?format=sarif", large.as_bytes());
    assert_eq!(late.status, 503, "{}", late.body);
    assert!(
        late.problem()["type"]
            .as_str()
            .unwrap()
            .ends_with("/deadline")
    );
}

/// Waits until the metric `series` is at least `value`, while `request` runs.
fn wait_metric<T>(
    server: &Server,
    series: &str,
    value: f64,
    request: &std::thread::ScopedJoinHandle<'_, T>,
) {
    let start = Instant::now();
    loop {
        if metric(&get(server, "/metrics").body, series) >= value {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{series} never reached {value}"
        );
        assert!(!request.is_finished(), "finished too soon: make it larger");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_request_beyond_max_concurrent_waits_its_turn_and_beyond_the_queue_is_503() {
    let large = common::large_submission(300);
    let eee = example("eee-abs-housing.yaml");
    let server = Server::start(&[
        "--max-concurrent",
        "1",
        "--max-queued",
        "1",
        "--deadline",
        "600s",
    ]);
    let slow_url = server.url("/v1/evaluate?format=sarif");
    let queued_url = server.url("/v1/evaluate?format=json&at=2026-12-01");
    let (slow, queued, full) = std::thread::scope(|scope| {
        let slow = scope.spawn(|| post_to(&slow_url, large.as_bytes()));
        wait_metric(&server, "recert_evaluations_running", 1.0, &slow);
        // The one slot is taken: the next request waits in the queue...
        let queued = scope.spawn(|| post_to(&queued_url, &eee));
        wait_metric(&server, "recert_evaluations_queued", 1.0, &slow);
        assert!(
            !queued.is_finished(),
            "the queued request was answered before its turn"
        );
        // ... and the queue (one) is full: the next one is refused at once.
        let full = post(&server, "/v1/validate", b"{}");
        assert!(
            !slow.is_finished(),
            "the slow request finished too soon: make it larger"
        );
        (slow.join().unwrap(), queued.join().unwrap(), full)
    });
    assert_eq!(slow.status, 200, "{}", slow.body);
    assert_eq!(queued.status, 200, "{}", queued.body);
    let (code, expected) = checked(&eee, &["--at", "2026-12-01", "--format", "json"]);
    assert_eq!(queued.body, expected);
    assert_eq!(queued.header("recert-verdict"), Some(verdict_of_exit(code)));
    assert_eq!(full.status, 503, "{}", full.body);
    let retry: u64 = full.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After: {retry}");
    let problem = full.problem();
    assert!(problem["type"].as_str().unwrap().ends_with("/overloaded"));
    let metrics = get(&server, "/metrics").body;
    assert_eq!(
        metric(&metrics, "recert_queue_wait_seconds_count"),
        1.0,
        "{metrics}"
    );
    assert_eq!(
        metric(&metrics, "recert_evaluations_queued"),
        0.0,
        "{metrics}"
    );
}

#[test]
fn the_probes_and_metrics_answer_at_once_while_every_slot_evaluates() {
    // An evaluation runs on the runtime worker that received it; the worker
    // left over must keep reading the network and answer the probes and
    // the metrics at once, not once the evaluation ends.
    let large = common::large_submission(1000);
    let server = Server::start(&["--max-concurrent", "1", "--deadline", "600s"]);
    let url = server.url("/v1/evaluate?format=sarif");
    std::thread::scope(|scope| {
        let slow = scope.spawn(|| post_to(&url, large.as_bytes()));
        // Nothing else reaches the server meanwhile: the worker that read
        // the body evaluates it, and the other sleeps unless woken.
        std::thread::sleep(Duration::from_millis(1000));
        for path in [
            "/healthz", "/readyz", "/metrics", "/healthz", "/readyz", "/healthz",
        ] {
            let start = Instant::now();
            let answer = get(&server, path);
            let took = start.elapsed();
            assert_eq!(answer.status, 200, "{path}: {}", answer.body);
            assert!(took < Duration::from_millis(500), "{path} took {took:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
        let running = metric(&get(&server, "/metrics").body, "recert_evaluations_running");
        assert_eq!(
            running, 1.0,
            "the evaluation finished too soon: make it larger"
        );
        let slow = slow.join().unwrap();
        assert_eq!(slow.status, 200, "{}", slow.body);
    });
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_and_exits_0() {
    let large = common::large_submission(300);
    let server = Server::start(&["--deadline", "600s"]);
    let pid = server.pid();
    let evaluate = server.url("/v1/evaluate?format=sarif");
    let served = std::thread::scope(|scope| {
        let slow = scope.spawn(|| post_to(&evaluate, large.as_bytes()));
        wait_in_flight(&server, &slow);
        terminate(pid);
        slow.join().unwrap()
    });
    assert_eq!(served.status, 200, "{}", served.body);
    assert_eq!(served.header("recert-verdict"), Some("incomplete"));
    assert_eq!(server.wait(), Some(0));
}

#[test]
fn after_sigterm_readyz_is_503_for_the_shutdown_delay() {
    let server = Server::start(&["--shutdown-delay", "3s"]);
    assert_eq!(get(&server, "/readyz").status, 200);
    terminate(server.pid());
    let start = Instant::now();
    loop {
        let ready = get(&server, "/readyz");
        if ready.status == 503 {
            assert_eq!(ready.body, "stopping\n");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(2), "still ready");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Still serving while it drains.
    assert_eq!(get(&server, "/healthz").status, 200);
    assert_eq!(server.wait(), Some(0));
}

#[test]
fn the_openapi_document_names_every_route() {
    let server = Server::start(&[]);
    let answer = get(&server, "/v1/openapi.json");
    assert_eq!(answer.status, 200);
    let document = answer.json();
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap();
    let routes = [
        ("post", "/v1/evaluate"),
        ("post", "/v1/validate"),
        ("get", "/v1/packs"),
        ("get", "/v1/schemas/{name}"),
        ("get", "/v1/openapi.json"),
        ("get", "/healthz"),
        ("get", "/readyz"),
        ("get", "/metrics"),
    ];
    for (method, path) in routes {
        let operation = &paths[path][method];
        assert!(operation["responses"]["200"].is_object(), "{method} {path}");
        // Every documented route is served.
        let url = path.replace("{name}", "report");
        let served = if method == "get" {
            get(&server, &url)
        } else {
            post(&server, &url, &example("eee-abs-housing.yaml"))
        };
        assert_eq!(served.status, 200, "{method} {path}");
    }
    assert_eq!(paths.len(), routes.len(), "{:?}", paths.keys());
    let evaluate = &paths["/v1/evaluate"]["post"];
    let params: Vec<&str> = evaluate["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["at", "lang", "format", "sign"]);
    for status in ["400", "413", "503"] {
        assert!(
            evaluate["responses"][status]["content"]["application/problem+json"].is_object(),
            "{status}"
        );
    }
    assert!(document["components"]["schemas"]["Problem"].is_object());
}

#[test]
fn metrics_count_requests_verdicts_and_logs_carry_the_request_id() {
    let server = Server::start(&[]);
    let response = agent()
        .post(server.url("/v1/evaluate?at=2026-12-01"))
        .header("x-request-id", "req-42")
        .send(&example("eee-wt-percent.yaml")[..])
        .unwrap();
    let served = answer(response);
    assert_eq!(served.status, 200);
    assert_eq!(served.header("x-request-id"), Some("req-42"));
    // A request without an id gets one.
    let probe = get(&server, "/healthz");
    assert!(
        probe
            .header("x-request-id")
            .is_some_and(|id| id.len() >= 32)
    );
    get(&server, "/v1/schemas/nope");

    let text = get(&server, "/metrics").body;
    for (series, at_least) in [
        (
            r#"recert_http_requests_total{method="POST",route="/v1/evaluate",status="200"}"#,
            1.0,
        ),
        (
            r#"recert_http_requests_total{method="GET",route="/v1/schemas/{name}",status="404"}"#,
            1.0,
        ),
        (
            r#"recert_http_request_duration_seconds_count{method="POST",route="/v1/evaluate",status="200"}"#,
            1.0,
        ),
        (r#"recert_verdicts_total{verdict="fail"}"#, 1.0),
    ] {
        assert!(metric(&text, series) >= at_least, "{series} in\n{text}");
    }
    assert!(
        text.contains("# TYPE recert_plugin_errors counter"),
        "{text}"
    );

    // One JSON line per request, with its id, route, status and verdict.
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = loop {
        let line = server
            .stderr
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no log line for the request");
        if line.contains("req-42") {
            break line;
        }
    };
    let line: Json = serde_json::from_str(&line).unwrap();
    assert_eq!(line["request_id"], "req-42", "{line}");
    assert_eq!(line["method"], "POST");
    assert_eq!(line["route"], "/v1/evaluate");
    assert_eq!(line["status"], 200);
    assert_eq!(line["verdict"], "fail");
    assert!(line["latency_ms"].as_f64().unwrap() > 0.0);
}
