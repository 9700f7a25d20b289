//! Running the `recert` binary from integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository's root, where tests run `recert`.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of `recert` gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `recert ARGS` in the repository's root, without colour.
pub fn recert(args: &[&str]) -> Run {
    recert_in(repo(), args)
}

/// Runs `recert ARGS` in `dir`, without colour.
pub fn recert_in(dir: &Path, args: &[&str]) -> Run {
    recert_in_env(dir, args, &[])
}

/// Runs `recert ARGS` in `dir` with the variables of `env` set; they
/// override the defaults (`NO_COLOR`, `RECERT_CACHE_DIR`,
/// `RECERT_ALLOW_PLUGIN_PATH`).
pub fn recert_in_env(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let output = command(dir, args, env)
        .output()
        .unwrap_or_else(|e| panic!("cannot run recert: {e}"));
    run_of(&output)
}

/// Runs `recert ARGS` in the repository's root with `input` on standard input.
pub fn recert_stdin(args: &[&str], input: &[u8]) -> Run {
    let mut child = command(repo(), args, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run recert: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    run_of(&output)
}

fn run_of(output: &Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The `recert ARGS` command in `dir` with the tests' environment and the
/// variables of `env` set over it.
fn command(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_recert"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Compiled plugins go to a cache of the test run, not the user's.
        .env(
            "RECERT_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("recert-cache"),
        )
        // Test packs name the test guests by absolute path (in target/):
        // allowed everywhere, except where a test sets this itself.
        .env("RECERT_ALLOW_PLUGIN_PATH", "/")
        // The operator's plugin limits are each test's own.
        .env_remove("RECERT_PLUGIN_FUEL")
        .env_remove("RECERT_PLUGIN_SUBMISSION_FUEL")
        .env_remove("RECERT_PLUGIN_MEMORY_MAX")
        .env_remove("RECERT_PLUGIN_TIME_MAX")
        .env_remove("RECERT_PLUGIN_SIZE_MAX");
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// A fresh, empty folder `PREFIX-PID-N` in the system's temporary folder.
pub fn fresh_dir(prefix: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Replaces every sha256 digest (64 hex digits, or the 12 the text report
/// shows) by `[sha256]`, the engine's version by `[version]` and its source
/// revision by `[revision]`: digests change whenever a pack changes, the
/// revision with every commit, and tests of their own check them
/// (`cli_reports::engine_records_its_build`).
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let run = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        let after_ok = rest
            .as_bytes()
            .get(run)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        let before_ok = out
            .chars()
            .last()
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        let hex = &rest[..run];
        let digest = before_ok
            && after_ok
            && (run == 64 || (run == 12 && hex.bytes().any(|b| b.is_ascii_lowercase())));
        if digest {
            out.push_str("[sha256]");
            rest = &rest[run..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let rev = recert_engine::report::ENGINE_REVISION;
    out.replace(env!("CARGO_PKG_VERSION"), "[version]")
        // JSON (indented and on one line), then text and Markdown.
        .replace(
            &format!("\"revision\": \"{rev}\""),
            "\"revision\": \"[revision]\"",
        )
        .replace(
            &format!("\"revision\":\"{rev}\""),
            "\"revision\":\"[revision]\"",
        )
        .replace(&format!("[version] ({rev})"), "[version] ([revision])")
}

/// The headless Chromium to test with: `$CHROME`, else `chromium` or
/// `chromium-browser` on PATH; or `None`, with a notice that says `what`
/// was not done, when there is none and `RECERT_REQUIRE_TOOLS=1` is not set
/// (then it fails).
pub fn chromium(what: &str) -> Option<PathBuf> {
    let from_env = std::env::var_os("CHROME")
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .filter(|path| path.is_file());
    let found = from_env.or_else(|| {
        ["chromium", "chromium-browser"].iter().find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|path| path.is_file())
            })
        })
    });
    if found.is_none() {
        if std::env::var("RECERT_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("chromium is required (RECERT_REQUIRE_TOOLS=1) but neither $CHROME nor on PATH");
        }
        eprintln!(
            "notice: chromium is not installed: {what} \
             (apt-get install chromium fonts-noto-cjk; RECERT_REQUIRE_TOOLS=1 makes this an error)"
        );
    }
    found
}

/// A valid submission (an electrical product sold in China and the EU) with
/// `components` plastic components, each with a recycled share and a lead
/// content: about 165 bytes of compact JSON per component.
pub fn large_submission(components: usize) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(components * 170 + 400);
    text.push_str(
        r#"{"schema":"recert.submission/v1","id":"SUB-LARGE","date":"2026-11-20","applicant":{"name":"Large Co","country":"CN"},"product":{"name":"large","sector":"electrical-electronic","category":"air-purifier","markets":["CN","EU"],"mass":"1000 kg"},"components":["#,
    );
    for i in 0..components {
        if i > 0 {
            text.push(',');
        }
        write!(
            text,
            r#"{{"id":"C{i:06}","name":"p{i}","material":{{"class":"plastic","polymer":"PP"}},"mass":"0.01 kg","recycled":{{"post_consumer":"30 %"}},"substances":{{"lead":"{} mg/kg"}}}}"#,
            i % 50
        )
        .unwrap();
    }
    text.push_str("]}");
    text
}
