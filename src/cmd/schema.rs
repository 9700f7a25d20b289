//! `recert schema NAME`: print a JSON Schema.

use clap::{Args, ValueEnum};
use recert_engine::{load, pack, report};

use crate::exit::Exit;
use crate::output::write_output;

/// `recert schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum)]
    pub name: SchemaName,
}

/// The schemas `recert schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaName {
    /// A product submission (`recert.submission/v1`).
    Submission,
    /// A rule pack (`recert.pack/v1`).
    Pack,
    /// A pack test file (`recert.pack-test/v1`).
    PackTest,
    /// A report (`recert.report/v1`), or the record of an invalid input of a batch.
    Report,
    /// The summary of a batch, `recert check --summary FILE` (`recert.batch-summary/v1`).
    Summary,
}

impl SchemaName {
    /// Every schema, by the name `recert schema` takes (also
    /// `recert serve`'s `GET /v1/schemas/{name}`).
    pub const ALL: [(&'static str, SchemaName); 5] = [
        ("submission", SchemaName::Submission),
        ("report", SchemaName::Report),
        ("pack", SchemaName::Pack),
        ("pack-test", SchemaName::PackTest),
        ("summary", SchemaName::Summary),
    ];

    /// The schema's JSON text.
    pub fn text(self) -> &'static str {
        match self {
            SchemaName::Submission => load::SUBMISSION_SCHEMA,
            SchemaName::Pack => pack::PACK_SCHEMA_JSON,
            SchemaName::PackTest => recert_authoring::packtest::PACK_TEST_SCHEMA_JSON,
            SchemaName::Report => report::REPORT_SCHEMA_JSON,
            SchemaName::Summary => report::batch::SUMMARY_SCHEMA_JSON,
        }
    }
}

pub fn run(args: &SchemaArgs) -> Exit {
    write_output(None, args.name.text())
}
