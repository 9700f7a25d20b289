//! `recert check --format html`: the document of every example rendered by
//! headless Chromium (Debian's `chromium`) to PNG and PDF without network,
//! the page checked (the verdict banner in the verdict's colour, nothing
//! drawn in the right margin), a PDF written with its pages; hostile texts
//! stay text; the document of one example in each language, as a snapshot.
//!
//! Without Chromium the rendering tests print a notice and return, unless
//! `RECERT_REQUIRE_TOOLS=1` (as `.ci/run` sets it, after installing it).
//! Their files are kept under `target/tmp/html/` to look at.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{recert, repo};

/// The date every example is evaluated at.
const AT: &str = "2026-11-20";

/// A4 at 96 px per inch: the window a page is shown in.
const A4: (u32, u32) = (794, 1123);

/// Where the documents, screenshots and PDFs go.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Chromium to render with, or `None` (with a notice) when there is
/// none and it is not required.
fn chromium() -> Option<PathBuf> {
    common::chromium("the HTML report was not rendered in a browser")
}

/// What Chromium made of one document.
struct Rendered {
    png: PathBuf,
    pdf: PathBuf,
}

/// Renders `html` (a file) to a PNG of the first A4 page on screen and to a
/// PDF, in one headless Chromium with a fresh profile and no network: every
/// host name resolves to nothing and every request goes to a proxy that is
/// not there (the document's policy forbids requests anyway).
fn render(chromium: &Path, html: &Path) -> Rendered {
    static PROFILE: AtomicUsize = AtomicUsize::new(0);
    let png = html.with_extension("png");
    let pdf = html.with_extension("pdf");
    let _ = std::fs::remove_file(&png);
    let _ = std::fs::remove_file(&pdf);
    let profile = artifacts().join(format!(
        "profile-{}-{}",
        std::process::id(),
        PROFILE.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&profile);
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--no-pdf-header-footer",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={},{}", A4.0, A4.1))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromium.display()));
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success() && png.is_file() && pdf.is_file(),
        "chromium failed on {}: {}",
        html.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Rendered { png, pdf }
}

/// An RGB image.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Image {
    fn read(path: &Path) -> Image {
        let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let mut decoder = png::Decoder::new(file);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let rgb = buf[..info.buffer_size()]
            .chunks_exact(channels)
            .map(|p| match channels {
                1 | 2 => [p[0]; 3],
                _ => [p[0], p[1], p[2]],
            })
            .collect();
        Image {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// The rows of the top of the page more than half of whose pixels are `colour`.
    fn banner_rows(&self, colour: [u8; 3]) -> usize {
        let near = |p: [u8; 3]| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 6);
        (0..self.height.min(400))
            .filter(|&y| {
                let n = (0..self.width).filter(|&x| near(self.at(x, y))).count();
                n * 2 > self.width as usize
            })
            .count()
    }
}

/// The banner colour of each verdict (the document's CSS).
const COLOURS: [(&str, [u8; 3]); 5] = [
    ("pass", [0x1e, 0x7b, 0x34]),
    ("fail", [0xb4, 0x23, 0x18]),
    ("incomplete", [0xb5, 0x47, 0x08]),
    ("not-covered", [0x47, 0x54, 0x67]),
    ("invalid", [0x69, 0x41, 0xc6]),
];

/// The number of pages of a PDF as Chromium writes it (uncompressed page
/// dictionaries).
fn pdf_pages(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
    let text = String::from_utf8_lossy(&bytes);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// Checks what Chromium drew of a document whose verdict is `verdict`: the
/// banner at the top in the verdict's colour (and in no other verdict's),
/// the right margin blank (nothing runs off the page), a PDF of `min_pages`
/// pages or more.
fn check_page(rendered: &Rendered, verdict: &str, min_pages: usize) {
    let image = Image::read(&rendered.png);
    assert_eq!(
        (image.width, image.height),
        A4,
        "{}",
        rendered.png.display()
    );
    for (name, colour) in COLOURS {
        let rows = image.banner_rows(colour);
        if name == verdict {
            assert!(
                rows >= 40,
                "{}: the {verdict} banner is {rows} rows high",
                rendered.png.display()
            );
        } else {
            assert_eq!(rows, 0, "{}: a {name} banner", rendered.png.display());
        }
    }
    for y in 0..image.height {
        for x in image.width - 24..image.width {
            let p = image.at(x, y);
            assert!(
                p.iter().all(|&c| c >= 245),
                "{}: drawn in the right margin at ({x}, {y}): {p:?}",
                rendered.png.display()
            );
        }
    }
    let pages = pdf_pages(&rendered.pdf);
    assert!(
        pages >= min_pages,
        "{}: {pages} pages",
        rendered.pdf.display()
    );
}

/// `recert check ARGS --format html`, written to `name`.html under the
/// artifacts, with its exit code; all inputs valid unless `invalid`.
fn html_report(name: &str, args: &[&str]) -> (PathBuf, String, i32) {
    html_report_of(name, args, false)
}

fn html_report_of(name: &str, args: &[&str], invalid: bool) -> (PathBuf, String, i32) {
    let path = artifacts().join(format!("{name}.html"));
    let mut all = vec!["check", "--format", "html", "-o", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = recert(&all);
    assert!(
        (run.code == 2) == invalid && path.is_file(),
        "{name}: exit {}: {}",
        run.code,
        run.stderr
    );
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html, run.code)
}

/// The verdict `recert check`'s exit code gives.
fn verdict_of(code: i32) -> &'static str {
    match code {
        0 => "pass",
        1 => "fail",
        3 => "incomplete",
        4 => "not-covered",
        _ => panic!("exit {code}"),
    }
}

/// Every example, in English and in Chinese by turns, renders in Chromium:
/// the banner in its verdict's colour, nothing off the page, a PDF written.
#[test]
fn the_html_report_of_every_example_renders_in_chromium() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    examples.sort();
    assert!(examples.len() >= 20, "{examples:?}");
    let jobs: Vec<(String, Vec<String>, &str)> = examples
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let lang = if i % 2 == 0 { "en" } else { "zh" };
            let file = format!("examples/{}", path.file_name().unwrap().to_str().unwrap());
            let stem = path.file_stem().unwrap().to_str().unwrap();
            let args = vec![
                file,
                "--at".to_owned(),
                AT.to_owned(),
                "--lang".to_owned(),
                lang.to_owned(),
            ];
            (format!("{stem}-{lang}"), args, lang)
        })
        .collect();
    let chromium = chromium();
    // Two at a time, each report written by recert then rendered by one Chromium.
    let chunks: Vec<_> = jobs.chunks(jobs.len().div_ceil(2)).collect();
    std::thread::scope(|scope| {
        for chunk in chunks {
            let chromium = chromium.as_deref();
            scope.spawn(move || {
                for (name, args, lang) in chunk {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let (path, html, code) = html_report(name, &args);
                    let tag = if *lang == "en" { "en" } else { "zh-Hans" };
                    assert!(
                        html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{tag}\">")),
                        "{name}"
                    );
                    if let Some(chromium) = chromium {
                        check_page(&render(chromium, &path), verdict_of(code), 1);
                    }
                }
            });
        }
    });
}

/// Several inputs make one document with a section per submission (an
/// invalid input's included), each starting a page of its own.
#[test]
fn several_inputs_make_one_document_with_a_page_per_submission() {
    let (path, html, _) = html_report_of(
        "batch",
        &[
            "examples/eee-wt-percent.yaml",
            "examples/eee-abs-housing.yaml",
            "tests/fixtures/invalid/hostile-unit.yaml",
            "--at",
            AT,
            "-j",
            "2",
        ],
        true,
    );
    assert_eq!(html.matches("<!DOCTYPE html>").count(), 1);
    assert_eq!(html.matches("<section class=\"submission\">").count(), 3);
    assert_eq!(html.matches("<section").count(), 3);
    assert!(html.ends_with("</section>\n</body>\n</html>\n"), "{html}");
    assert!(html.contains("<div class=\"verdict invalid\">"));
    let Some(chromium) = chromium() else {
        return;
    };
    // The first section's verdict is on the first page.
    check_page(&render(&chromium, &path), "fail", 3);

    // Two short sections would fit one page: each has its own.
    let (path, _, _) = html_report_of(
        "batch-short",
        &[
            "tests/fixtures/invalid/hostile-unit.yaml",
            "tests/fixtures/invalid/missing-mass.yaml",
        ],
        true,
    );
    let rendered = render(&chromium, &path);
    check_page(&rendered, "invalid", 2);
    assert_eq!(pdf_pages(&rendered.pdf), 2);
}

/// The HTML tags the report writes: any other `<` in the document would be
/// markup brought in by a submission, a pack or a plugin.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "section", "div", "table",
    "colgroup", "col", "thead", "tbody", "tr", "th", "td", "h2", "h3", "p", "ul", "li", "code",
    "span", "strong", "br",
];

/// Texts of a submission and a pack with markup that would close an
/// attribute, the style sheet or open a script, and control characters: the
/// document shows them as text; its only tags are its own.
#[test]
fn hostile_texts_stay_text_in_html() {
    let dir = artifacts().join("hostile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("packs")).unwrap();
    let evil = r#"\"><img src=x onerror=alert(1)></style><script>alert(1)</script>\e[2J\r\u202E\0"#;
    let submission = std::fs::read_to_string(repo().join("tests/fixtures/hostile/submission.yaml"))
        .unwrap()
        .replace("name: \"\\e[2J", &format!("name: \"{evil}\\e[2J"));
    assert!(submission.contains("</style>"));
    let submission = submission.replace(
        "    recycled: { post_consumer: 10 % }",
        &format!(
            "    recycled:\n      post_consumer: 10 %\n      certificate: {{ scheme: \"{evil}\", number: \"{evil}\" }}\n      lots: [\"{evil}\"]\nevidence:\n  - {{ id: \"{evil}\", kind: other, title: \"{evil}\" }}"
        ),
    );
    let pack = std::fs::read_to_string(repo().join("tests/fixtures/hostile/packs/hostile.yaml"))
        .unwrap()
        .replace("en: \"## Verdict", &format!("en: \"{evil}## Verdict"));
    assert!(pack.contains("</style>"));
    std::fs::write(dir.join("submission.yaml"), submission).unwrap();
    std::fs::write(dir.join("packs/hostile.yaml"), pack).unwrap();
    let (path, html, code) = html_report(
        "hostile",
        &[
            dir.join("submission.yaml").to_str().unwrap(),
            "--no-bundled",
            "--packs",
            dir.join("packs").to_str().unwrap(),
            "--at",
            AT,
        ],
    );
    assert_eq!(code, 1);
    // The texts are there, as text.
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/style&gt;&lt;script&gt;")
    );
    assert!(html.matches("&lt;script&gt;").count() >= 6, "{html}");
    assert!(
        !html
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'),
        "{html:?}"
    );
    assert_eq!(html.matches("<style>").count(), 1);
    assert_eq!(html.matches("</style>").count(), 1);
    for (i, _) in html.match_indices('<') {
        let tag = html[i + 1..]
            .trim_start_matches('/')
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '!'))
            .next()
            .unwrap();
        assert!(
            TAGS.contains(&tag),
            "<{tag} at {i}: {}",
            &html[i..(i + 80).min(html.len())]
        );
    }
    let Some(chromium) = chromium() else {
        return;
    };
    check_page(&render(&chromium, &path), "fail", 1);
}

/// The document of one example in each language, as written (digests,
/// version and revision redacted: `common::redact`).
#[test]
fn the_html_report_reads_well_in_both_languages() {
    for (lang, example) in [
        ("en", "eee-wt-percent"),
        ("zh", "eee-abs-housing-expired-certificate"),
    ] {
        let run = recert(&[
            "check",
            &format!("examples/{example}.yaml"),
            "--format",
            "html",
            "--at",
            AT,
            "--lang",
            lang,
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        insta::assert_snapshot!(
            format!("html-{lang}-{example}"),
            common::redact(&run.stdout)
        );
    }
}
