//! The self-check page of `recert serve` in a real browser: headless
//! Chromium (Debian's `chromium`, or `$CHROME`) driven over the DevTools
//! protocol by a small client on a WebSocket. The page is opened on a
//! server on an ephemeral loopback port with every other host unreachable;
//! an example is pasted (or read from a file), submitted, and the verdict
//! and a finding's text are read from the page and from inside the report's
//! sandboxed frame, in English and in Chinese; a phone-sized window does not
//! scroll sideways; a keyboard alone reaches the form and submits it. No
//! page may break its own Content-Security-Policy.
//!
//! Without Chromium the tests print a notice and return, unless
//! `RECERT_REQUIRE_TOOLS=1` (as `.ci/run` sets it, after installing it).
//! Screenshots are kept under `target/tmp/serve-web/` to look at.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::serve::Server;
use serde_json::{Value, json};

/// The date every example is evaluated at.
const AT: &str = "2026-11-20";
/// A passing and a failing example.
const PASSING: &str = "examples/eee-abs-housing.yaml";
const FAILING: &str = "examples/eee-abs-housing-expired-certificate.yaml";
/// The failing finding of [`FAILING`], and its message in each language.
const FAILED_RULE: &str = "rpq-claim-chain-of-custody";
const FAILED_EN: &str = "the UL 2809 certificate ECVP-2809-2025-0418 covering the \
                         recycled-content claim expired on 2026-06-30";
const FAILED_ZH: &str =
    "覆盖再生料含量声明的 UL 2809 证书 ECVP-2809-2025-0418 已于 2026-06-30 到期";
/// How long the page may take for anything.
const PATIENCE: Duration = Duration::from_secs(60);

/// Where the screenshots go.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-web");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One headless Chromium with a fresh profile and no network but loopback,
/// and a DevTools connection to it; killed when dropped.
struct Browser {
    child: Child,
    ws: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
    profile: PathBuf,
    /// Every event received so far, as `(method, params)`.
    events: Vec<(String, Value)>,
}

impl Browser {
    fn launch(chromium: &Path) -> Browser {
        static PROFILE: AtomicUsize = AtomicUsize::new(0);
        let profile = artifacts().join(format!(
            "profile-{}-{}",
            std::process::id(),
            PROFILE.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--proxy-server=127.0.0.1:9",
                "--remote-debugging-port=0",
                // The report's sandboxed frame in the page's process, so
                // that the DOM domain reads it with the page.
                "--disable-features=IsolateSandboxedIframes",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromium.display()));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut seen = Vec::new();
        let url = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("chromium exited before listening: {}", seen.join("\n"));
            };
            if let Some(url) = line.split("DevTools listening on ").nth(1) {
                break url.trim().to_owned();
            }
            seen.push(line);
        };
        // Keep reading its stderr so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        let host = url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let stream = TcpStream::connect(&host).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).unwrap();
        Browser {
            child,
            ws,
            next_id: 0,
            profile,
            events: Vec::new(),
        }
    }

    /// Sends `method` (to the page of `session`, or to the browser) and
    /// waits for its answer; events that come first are kept.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.ws
            .send(tungstenite::Message::text(message.to_string()))
            .unwrap();
        loop {
            let message = self
                .ws
                .read()
                .unwrap_or_else(|e| panic!("no answer to {method}: {e}"));
            let tungstenite::Message::Text(text) = message else {
                continue;
            };
            let value: Value = serde_json::from_str(text.as_str()).unwrap();
            if value["id"] == json!(id) {
                if let Some(error) = value.get("error") {
                    panic!("{method} failed: {error}");
                }
                return value["result"].clone();
            }
            if let Some(event) = value["method"].as_str() {
                self.events
                    .push((event.to_owned(), value["params"].clone()));
            }
        }
    }

    /// A new tab of `width` × `height` CSS pixels (`mobile`: as a phone).
    fn page(&mut self, width: u32, height: u32, mobile: bool) -> Page<'_> {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        let session = attached["sessionId"].as_str().unwrap().to_owned();
        let mut page = Page {
            session,
            browser: self,
        };
        page.call("Page.enable", json!({}));
        page.call("Log.enable", json!({}));
        page.call("Runtime.enable", json!({}));
        page.call("DOM.enable", json!({}));
        page.call("CSS.enable", json!({}));
        page.call(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width, "height": height,
                "deviceScaleFactor": 1, "mobile": mobile,
            }),
        );
        page
    }
}

impl Drop for Browser {
    /// Closes the browser (killed if it does not go), then removes its
    /// profile once its helper processes have let go of it.
    fn drop(&mut self) {
        let close = json!({ "id": 0, "method": "Browser.close" }).to_string();
        let _ = self.ws.send(tungstenite::Message::text(close));
        let start = Instant::now();
        while matches!(self.child.try_wait(), Ok(None)) && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.profile).is_ok() || !self.profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// One tab.
struct Page<'a> {
    session: String,
    browser: &'a mut Browser,
}

impl Page<'_> {
    fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.browser.call(Some(&session), method, params)
    }

    /// The value of the JavaScript `expression` in the page.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression}: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page.
    fn wait_for(&mut self, expression: &str) {
        let start = Instant::now();
        while self.eval(expression) != json!(true) {
            assert!(
                start.elapsed() < PATIENCE,
                "the page never got to `{expression}`; it shows: {}",
                self.eval("document.body ? document.body.innerText : ''")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens `url` and waits until the page's script has run.
    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for(
            "document.readyState === 'complete' && document.body.dataset.state === 'ready'",
        );
    }

    /// Types `text` where the focus is, as a paste or an input method does.
    fn insert_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }));
    }

    /// Presses and releases a key (`modifiers`: 2 is Ctrl, 8 is Shift).
    fn key(&mut self, key: &str, code: &str, key_code: u32, modifiers: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({
                    "type": kind, "key": key, "code": code, "modifiers": modifiers,
                    "windowsVirtualKeyCode": key_code, "nativeVirtualKeyCode": key_code,
                }),
            );
        }
    }

    /// Fills the form: the date and the submission in the text area.
    fn fill(&mut self, example: &str) {
        let text = std::fs::read_to_string(common::repo().join(example)).unwrap();
        self.eval(&format!(
            "document.getElementById('at').value = '{AT}'; \
             document.getElementById('submission').value = ''; \
             document.getElementById('submission').focus(); true"
        ));
        self.insert_text(&text);
        assert_eq!(
            self.eval("document.getElementById('submission').value.length"),
            json!(text.encode_utf16().count()),
            "the text area holds the example"
        );
    }

    /// Submits the form with its button and waits for the report (or the problems).
    fn submit(&mut self) {
        self.eval("document.getElementById('check').click(); true");
        self.wait_done();
    }

    fn wait_done(&mut self) {
        self.wait_for("['done', 'error'].includes(document.body.dataset.state)");
    }

    /// The text of the element with `id`.
    fn text(&mut self, id: &str) -> String {
        self.eval(&format!("document.getElementById('{id}').textContent"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The report frame's document, as the browser has it (read through
    /// the DOM domain: the frame runs no script).
    fn report_html(&mut self) -> String {
        let document = self.call("DOM.getDocument", json!({ "depth": -1, "pierce": true }));
        let frame = find_node(&document["root"], &|node| {
            node["nodeName"] == "IFRAME" && node["attributes"].to_string().contains("\"report\"")
        })
        .expect("the report frame");
        let content = frame["contentDocument"]["nodeId"].clone();
        let html = self.call("DOM.getOuterHTML", json!({ "nodeId": content }));
        html["outerHTML"].as_str().unwrap().to_owned()
    }

    /// The computed `property` of the first element of the report frame
    /// that `selector` selects.
    fn report_style(&mut self, selector: &str, property: &str) -> String {
        let document = self.call("DOM.getDocument", json!({ "depth": -1, "pierce": true }));
        let frame = find_node(&document["root"], &|node| node["nodeName"] == "IFRAME")
            .expect("the report frame");
        let content = frame["contentDocument"]["nodeId"].clone();
        let node = self.call(
            "DOM.querySelector",
            json!({ "nodeId": content, "selector": selector }),
        );
        let computed = self.call(
            "CSS.getComputedStyleForNode",
            json!({ "nodeId": node["nodeId"] }),
        );
        computed["computedStyle"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == property)
            .map(|p| p["value"].as_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// A PNG of the whole page, kept as `target/tmp/serve-web/NAME.png`.
    fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": false }),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let path = artifacts().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// What the browser logged about the page's policy: nothing may have
    /// been blocked.
    fn assert_no_policy_violation(&mut self) {
        // A round trip, so that the events sent before it have arrived.
        self.eval("true");
        let violations: Vec<String> = self
            .browser
            .events
            .iter()
            .filter(|(method, _)| {
                method == "Log.entryAdded" || method == "Runtime.consoleAPICalled"
            })
            .map(|(_, params)| params.to_string())
            .filter(|text| text.contains("Content Security Policy") || text.contains("Refused to"))
            .collect();
        assert!(violations.is_empty(), "policy violations: {violations:#?}");
    }
}

/// The first node under `node` (itself included) that `pred` accepts.
fn find_node<'v>(node: &'v Value, pred: &dyn Fn(&Value) -> bool) -> Option<&'v Value> {
    if pred(node) {
        return Some(node);
    }
    for key in ["children", "contentDocument"] {
        let found = match &node[key] {
            Value::Array(children) => children.iter().find_map(|c| find_node(c, pred)),
            Value::Object(_) => find_node(&node[key], pred),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The browser and a server, or `None` (with a notice) without Chromium.
fn setup() -> Option<(Browser, Server)> {
    let chromium = common::chromium("the self-check page was not tested in a browser")?;
    let server = Server::start(&[]);
    Some((Browser::launch(&chromium), server))
}

#[test]
fn the_page_checks_an_example_in_english_and_in_chinese() {
    let Some((mut browser, server)) = setup() else {
        return;
    };
    let mut page = browser.page(1280, 1400, false);
    page.open(&server.url("/?lang=en"));
    assert_eq!(page.eval("document.documentElement.lang"), json!("en"));
    assert_eq!(page.text("check"), "Check");
    // The date defaults to today, as the browser sees it.
    assert_eq!(
        page.eval("/^\\d{4}-\\d{2}-\\d{2}$/.test(document.getElementById('at').value)"),
        json!(true)
    );

    // A passing example.
    page.fill(PASSING);
    page.submit();
    assert_eq!(page.eval("document.body.dataset.state"), json!("done"));
    assert_eq!(page.text("verdict-word"), "PASS");
    assert_eq!(page.text("status"), "Verdict: PASS");
    let report = page.report_html();
    assert!(report.contains("<html lang=\"en\""), "{report}");
    assert!(report.contains("SUB-2026-001187"), "the submission's id");
    // The report keeps its own look: its styles come from the server.
    assert_eq!(
        page.report_style(".verdict", "background-color"),
        "rgb(30, 123, 52)"
    );
    page.screenshot("en-pass");

    // A failing one: the verdict on the page, the finding in the frame.
    page.fill(FAILING);
    page.submit();
    assert_eq!(page.text("verdict-word"), "FAIL");
    assert_eq!(
        page.eval("document.getElementById('verdict').dataset.verdict"),
        json!("fail")
    );
    let report = page.report_html();
    let row = report
        .split("<tr class=\"fail\">")
        .nth(1)
        .expect("a failed finding");
    assert!(row.contains(FAILED_RULE), "{row}");
    assert!(row.contains(FAILED_EN), "{row}");
    assert_eq!(
        page.report_style(".verdict", "background-color"),
        "rgb(180, 35, 24)"
    );
    page.screenshot("en-fail");

    // In Chinese: the page's labels, its language and the report's.
    page.eval(
        "const s = document.getElementById('lang'); s.value = 'zh'; \
         s.dispatchEvent(new Event('change')); true",
    );
    assert_eq!(page.eval("document.documentElement.lang"), json!("zh-Hans"));
    assert_eq!(page.text("check"), "检查");
    assert_eq!(
        page.eval("document.querySelector('label[for=at]').textContent"),
        json!("评估日期")
    );
    page.submit();
    assert_eq!(page.text("verdict-word"), "不通过");
    assert_eq!(page.text("status"), "结论：不通过");
    let report = page.report_html();
    assert!(
        report.contains("<html lang=\"zh-Hans\""),
        "a Chinese report"
    );
    let row = report
        .split("<tr class=\"fail\">")
        .nth(1)
        .expect("a failed finding");
    assert!(row.contains(FAILED_RULE), "{row}");
    assert!(row.contains(FAILED_ZH), "{row}");
    assert!(row.contains("不合格"), "{row}");
    let shot = page.screenshot("zh-fail");
    page.assert_no_policy_violation();
    eprintln!("screenshots in {}", shot.parent().unwrap().display());
}

#[test]
fn a_file_is_read_and_a_refused_submission_shows_its_places() {
    let Some((mut browser, server)) = setup() else {
        return;
    };
    let mut page = browser.page(1280, 1000, false);
    page.open(&server.url("/?lang=en"));

    // Nothing to check: said, and nothing is sent.
    page.eval("document.getElementById('check').click(); true");
    assert_eq!(
        page.text("status"),
        "Paste a submission or choose a file first."
    );
    assert_eq!(page.eval("document.body.dataset.state"), json!("ready"));
    assert_eq!(page.eval("document.activeElement.id"), json!("submission"));

    // A file, read in the browser.
    let document = page.call("DOM.getDocument", json!({}));
    let input = page.call(
        "DOM.querySelector",
        json!({ "nodeId": document["root"]["nodeId"], "selector": "#file" }),
    );
    let path = common::repo().join(FAILING);
    page.call(
        "DOM.setFileInputFiles",
        json!({ "files": [path.display().to_string()], "nodeId": input["nodeId"] }),
    );
    page.wait_for("document.body.dataset.file === 'eee-abs-housing-expired-certificate.yaml'");
    page.eval(&format!(
        "document.getElementById('at').value = '{AT}'; true"
    ));
    page.submit();
    assert_eq!(page.text("verdict-word"), "FAIL");

    // A submission the server refuses: its problems, with their places.
    let bad = "schema: recert.submission/v1\nid: SUB-1\ndate: 2026-09-22\nproduct:\n  name: x\n  mass: heavy\n";
    page.eval(
        "document.getElementById('submission').value = ''; \
         document.getElementById('submission').focus(); true",
    );
    page.insert_text(bad);
    page.submit();
    assert_eq!(page.eval("document.body.dataset.state"), json!("error"));
    assert_eq!(
        page.eval("document.getElementById('result').hidden"),
        json!(true)
    );
    assert_eq!(
        page.eval("document.getElementById('problems').hidden"),
        json!(false)
    );
    let items =
        page.eval("[...document.querySelectorAll('#problems-list li')].map(li => li.textContent)");
    let items: Vec<String> = serde_json::from_value(items).unwrap();
    assert!(!items.is_empty(), "no problem listed");
    assert!(
        items.iter().any(|i| i.contains("line ")),
        "no problem names its line: {items:?}"
    );
    assert!(page.text("problems-summary").contains("(HTTP 400)"));
    page.screenshot("en-problems");
    page.assert_no_policy_violation();
}

#[test]
fn a_phone_does_not_scroll_sideways_and_a_keyboard_alone_submits() {
    let Some((mut browser, server)) = setup() else {
        return;
    };
    let mut page = browser.page(360, 740, true);
    page.open(&server.url("/?lang=zh"));
    assert_eq!(page.eval("document.documentElement.lang"), json!("zh-Hans"));

    // From the top of the page, Tab reaches the text area (after the
    // language choice), with a visible focus ring.
    page.eval("document.activeElement && document.activeElement.blur(); true");
    let mut tabs = 0;
    while page.eval("document.activeElement.id") != json!("submission") {
        tabs += 1;
        assert!(tabs <= 5, "Tab does not reach the text area");
        page.key("Tab", "Tab", 9, 0);
    }
    assert_eq!(
        page.eval("getComputedStyle(document.activeElement).outlineStyle"),
        json!("solid"),
        "the focus is visible"
    );
    let text = std::fs::read_to_string(common::repo().join(FAILING)).unwrap();
    page.insert_text(&text);
    // Ctrl+Enter in the text area submits.
    page.key("Enter", "Enter", 13, 2);
    page.wait_done();
    assert_eq!(page.eval("document.body.dataset.state"), json!("done"));
    assert_eq!(page.text("verdict-word"), "不通过");

    // Nothing is wider than the phone.
    let widths = page.eval(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth, innerWidth]",
    );
    let widths: Vec<u32> = serde_json::from_value(widths).unwrap();
    assert!(
        widths[0] <= widths[1] && widths[1] <= 360,
        "the page scrolls sideways at 360 px: scroll width {}, client width {}",
        widths[0],
        widths[1]
    );
    page.screenshot("zh-phone");
    page.assert_no_policy_violation();
}

#[test]
fn the_report_downloads_as_files() {
    let Some((mut browser, server)) = setup() else {
        return;
    };
    let downloads = artifacts().join(format!("downloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&downloads);
    std::fs::create_dir_all(&downloads).unwrap();
    browser.call(
        None,
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads.display().to_string() }),
    );
    let mut page = browser.page(1280, 1000, false);
    page.open(&server.url("/?lang=en"));
    page.fill(PASSING);
    page.submit();
    assert_eq!(page.text("verdict-word"), "PASS");

    let name = format!("recert-report-SUB-2026-001187-{AT}-en");
    let json_file = downloads.join(format!("{name}.json"));
    page.eval("document.getElementById('download-json').click(); true");
    let json_text = wait_for_file(&json_file);
    let report: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["submission"]["id"], "SUB-2026-001187");
    assert_eq!(page.text("status"), format!("Saved {name}.json."));

    // The HTML as the server sent it: its own policy and styles inside.
    let html_file = downloads.join(format!("{name}.html"));
    page.eval("document.getElementById('download-html').click(); true");
    let html = wait_for_file(&html_file);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\""));
    assert!(html.contains("<style>"));
    drop(page);
    drop(browser);
    std::fs::remove_dir_all(&downloads).unwrap();
}

/// The text of `path` once a download has written it whole.
fn wait_for_file(path: &Path) -> String {
    let start = Instant::now();
    loop {
        // Chromium writes to a temporary name and renames it when done.
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(start.elapsed() < PATIENCE, "{} never came", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_assets_are_cached_by_their_hash() {
    let server = Server::start(&[]);
    let mut index = ureq::get(server.url("/")).call().unwrap();
    assert_eq!(
        index.headers().get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    let index = index.body_mut().read_to_string().unwrap();
    let paths: Vec<&str> = index
        .split("\"/assets/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(
        paths.len(),
        3,
        "the script and both style sheets: {paths:?}"
    );
    for path in paths {
        let mut asset = ureq::get(server.url(&format!("/assets/{path}")))
            .call()
            .unwrap();
        let kind = asset
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let expected = if path.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        assert!(kind.starts_with(expected), "{path}: {kind}");
        let cache = asset
            .headers()
            .get("cache-control")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cache.contains("max-age=31536000") && cache.contains("immutable"),
            "{cache}"
        );
        // The name carries a digest of the content.
        let digest = path.split('.').nth(1).unwrap();
        assert_eq!(digest.len(), 16, "{path}");
        let body = asset.body_mut().read_to_vec().unwrap();
        assert!(
            recert_engine::sha256::sha256_hex(&body).starts_with(digest),
            "{path}"
        );
    }
    let missing = ureq::get(server.url("/assets/app.0000000000000000.js")).call();
    assert!(
        matches!(missing, Err(ureq::Error::StatusCode(404))),
        "{missing:?}"
    );
}
