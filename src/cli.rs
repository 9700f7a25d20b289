//! The command line, as clap reads it: the program and its subcommands. Each
//! subcommand's arguments are in its own file under `cmd/`, the ones several
//! share in `args.rs`. Help texts are the user's manual.

use clap::{Parser, Subcommand};

/// Checks products against the standards for recycled materials.
///
/// recert reads a product submission (a bill of materials with recycled-content
/// claims, lab results and evidence), runs the applicable rule packs and writes a
/// report: pass, fail, incomplete or not covered, and for every rule the value found, the
/// requirement and the clause of the standard.
#[derive(Debug, Parser)]
#[command(
    name = "recert",
    version,
    propagate_version = true,
    after_help = "Examples:
  recert check examples/eee-abs-housing.yaml
  recert check product.yaml --at 2031-09-01 --lang zh
  recert check batch/*.json --format json -o reports.jsonl
  recert validate product.yaml
  recert packs
  recert keygen lab.key && recert check product.yaml --format json --sign lab.key -o report.json
  recert verify report.json --key lab.key.pub --submission product.yaml

Exit codes: 0 pass, 1 fail, 2 invalid input or usage, 3 incomplete, 4 not covered."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate submissions against the rule packs and write a report.
    ///
    /// Every bundled pack is loaded; each applies only to the products it is
    /// written for (e.g. packaging placed on the EU market). The verdict is
    /// `fail` if any error-severity rule fails, else `incomplete` if anything
    /// could not be evaluated (missing data, a plugin failure), else
    /// `not-covered` if no rule of any pack applies to the product (nothing
    /// was checked), else `pass`. The report's coverage says which of the
    /// product's markets each pack covers, and which none does.
    #[command(after_help = "Examples:
  recert check examples/packaging-pet-bottle-pass.yaml
  recert check examples/battery-ev-pass.yaml --at 2032-01-01
  recert check product.yaml --format markdown --lang zh -o report.md
  recert check product.yaml --format json -o report.json
  recert check submissions/ --format sarif -o recert.sarif
  recert check submissions/ --format junit -o recert-junit.xml
  recert check product.yaml --format html --lang zh -o report.html
  recert check product.yaml --params stricter-limits.yaml
  recert check product.yaml --plugin-time 250ms --plugin-memory 32MiB
  recert check batch/ more.jsonl --format json --summary summary.json > reports.jsonl
  find incoming -name '*.json' | recert check --files-from - -j 2 --quiet

A batch (several inputs, a folder, a stream, a list) gives one record per input, in
input order: an input that cannot be read or is not a valid submission gets one with
verdict `invalid` and its diagnostics. SARIF and JUnit are one document for the whole
batch (every input, the invalid ones included), written once every input is checked.
verdict `invalid` and its diagnostics. With --format html the batch is one document,
written as the reports come: a section per input, each starting a new page when printed.

Exit codes: 0 pass, 1 fail, 2 invalid input or usage, 3 incomplete, 4 not covered
(no rule of any pack applies to the product).
With several inputs the worst wins: 2, then 1, then 3, then 4, then 0.")]
    Check(crate::cmd::check::CheckArgs),

    /// Check submissions against the submission schema and units, without rules.
    #[command(after_help = "Exit codes: 0 all valid, 2 at least one is invalid.")]
    Validate(crate::cmd::validate::ValidateArgs),

    /// Print a JSON Schema (2020-12): submission, pack, pack-test, report or summary.
    ///
    /// Point your editor at them for completion and validation, e.g. with a
    /// first line `# yaml-language-server: $schema=schemas/submission.schema.json`.
    Schema(crate::cmd::schema::SchemaArgs),

    /// List the packs and their rules.
    Packs(crate::cmd::packs::PacksArgs),

    /// Run pack tests (`*.test.yaml`): what each pack must decide for given submissions.
    Test(crate::cmd::test::TestArgs),

    /// Check packs for mistakes before they run: schema, CEL, params, references, field names.
    Lint(crate::cmd::lint::LintArgs),

    /// Generate Markdown documentation for packs, in English and Chinese.
    Docs(crate::cmd::docs::DocsArgs),

    /// Print the documentation of one rule.
    Explain(crate::cmd::explain::ExplainArgs),

    /// Write, build and inspect WebAssembly plugins.
    #[command(subcommand)]
    Plugin(crate::cmd::plugin::PluginCommand),

    /// Make an Ed25519 key pair for signing reports (`recert check --sign`).
    ///
    /// The private key goes to FILE as PKCS#8 PEM, readable by its owner only
    /// (mode 0600 on Unix); the public key to FILE.pub as SubjectPublicKeyInfo
    /// PEM, to hand to whoever verifies reports. A key's id is the sha256 of
    /// its 32-byte public key, in hex. Existing files are never overwritten
    /// without --force.
    #[command(after_help = "Examples:
  recert keygen lab-2026.key        # writes lab-2026.key and lab-2026.key.pub
  recert check product.yaml --format json --sign lab-2026.key -o report.json

Exit codes: 0 written, 2 a key file exists (without --force) or cannot be written.")]
    Keygen(crate::cmd::keygen::KeygenArgs),

    /// Check a signed report: its signature and, given the files, the digests
    /// of its submission, packs and plugins.
    ///
    /// The signature is Ed25519 over the canonical JSON (RFC 8785) of the
    /// report without its `signature` field, so it covers every key and value
    /// but not the layout (indentation, key order). With --key it must be that
    /// key's; without, the key the report carries is used, which shows that
    /// the report is unchanged since it was signed, not who signed it.
    #[command(after_help = "Examples:
  recert verify report.json --key lab-2026.key.pub
  recert verify report.json --key lab-2026.key.pub --submission product.yaml --packs my-packs/
  recert verify reports.jsonl --key lab-2026.key.pub --lang zh

Exit codes: 0 verified, 1 not verified (unsigned, a signature that does not hold, a wrong
key, a digest that differs), 2 bad input (unreadable file, not a PEM key, not a recert
JSON report, an invalid submission).")]
    Verify(crate::cmd::verify::VerifyArgs),

    /// Serve the engine over HTTP, with a self-check web page at `/`.
    ///
    /// Packs, params and plugins are loaded once, at start; every request
    /// evaluates with them and nothing else is kept between requests, so
    /// replicas behind a load balancer give the same reports.
    #[command(after_help = "Examples:
  recert serve
  recert serve --listen 127.0.0.1:0
  curl --data-binary @examples/eee-abs-housing.yaml 'http://127.0.0.1:8080/v1/evaluate?at=2026-12-01&format=json'

Stops on Ctrl-C or SIGTERM, after the requests in flight finish.")]
    Serve(crate::cmd::serve::ServeArgs),
}
