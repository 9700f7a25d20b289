//! `recert schema NAME`: print a JSON Schema.

use recert_engine::{load, pack, report};

use crate::cli::{SchemaArgs, SchemaName};
use crate::exit::Exit;
use crate::output::write_output;

pub fn run(args: &SchemaArgs) -> Exit {
    let text = match args.name {
        SchemaName::Submission => load::SUBMISSION_SCHEMA,
        SchemaName::Pack => pack::PACK_SCHEMA_JSON,
        SchemaName::PackTest => recert_engine::packtest::PACK_TEST_SCHEMA_JSON,
        SchemaName::Report => report::REPORT_SCHEMA_JSON,
    };
    write_output(None, text)
}
