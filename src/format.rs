//! `--format`: one [`Format`] for every command that writes a report or a
//! listing. Each command accepts the formats of its output, and says in its
//! own words what each looks like ([`Formats`]).

use std::ffi::OsStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Arg, Command};

pub use recert_engine::format::{Format, Render};

/// The formats one command's `--format` accepts, each with its help text:
/// `value_parser = FORMATS`. A format not in the list is refused by clap as
/// any invalid value is (`invalid value 'markdown' for '--format <FORMAT>'`,
/// with the possible values).
#[derive(Debug, Clone, Copy)]
pub struct Formats(pub &'static [(Format, &'static str)]);

impl Formats {
    /// The formats, without their help.
    #[cfg(test)]
    pub fn formats(&self) -> Vec<Format> {
        self.0.iter().map(|(format, _)| *format).collect()
    }

    fn possible_values(&self) -> impl Iterator<Item = PossibleValue> + '_ {
        self.0
            .iter()
            .map(|(format, help)| PossibleValue::new(format.name()).help(*help))
    }
}

impl TypedValueParser for Formats {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<Format, clap::Error> {
        // A value that is not UTF-8 is an invalid value too, shown lossily.
        let value = value.to_string_lossy();
        let name = PossibleValuesParser::new(self.possible_values()).parse_ref(
            cmd,
            arg,
            OsStr::new(value.as_ref()),
        )?;
        self.0
            .iter()
            .map(|(format, _)| *format)
            .find(|format| format.name().eq_ignore_ascii_case(&name))
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Formats::possible_values(self)))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use clap::error::ErrorKind;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::cmd;

    /// Each command's `--format` takes exactly the formats its output renders in.
    #[test]
    fn each_command_accepts_the_formats_of_its_output() {
        use recert_authoring::lint::LintReport;
        use recert_authoring::packtest::RunResult;
        use recert_engine::report::Report;
        use recert_engine::report::document::Document;
        // A report alone, or all of a run's reports as one document.
        let check: Vec<Format> = Report::FORMATS
            .iter()
            .chain(Document::FORMATS)
            .copied()
            .collect();
        assert_eq!(cmd::check::FORMATS.formats(), check);
        assert_eq!(cmd::lint::FORMATS.formats(), LintReport::FORMATS);
        assert_eq!(cmd::test::FORMATS.formats(), RunResult::FORMATS);
        assert_eq!(cmd::packs::FORMATS.formats(), cmd::packs::PackList::FORMATS);
        assert_eq!(cmd::plugin::FORMATS.formats(), cmd::plugin::Built::FORMATS);
        assert_eq!(
            cmd::plugin::FORMATS.formats(),
            cmd::plugin::Inspected::FORMATS
        );
    }

    #[test]
    fn a_format_is_parsed_or_refused_by_clap() {
        let cli = Cli::try_parse_from(["recert", "check", "x.yaml", "--format", "markdown"]);
        match cli.map(|c| c.command) {
            Ok(Command::Check(args)) => assert_eq!(args.format, Format::Markdown),
            other => panic!("{other:?}"),
        }
        let cli = Cli::try_parse_from(["recert", "lint"]);
        match cli.map(|c| c.command) {
            Ok(Command::Lint(args)) => assert_eq!(args.format, Format::Text),
            other => panic!("{other:?}"),
        }
        for (command, format) in [
            ("lint", "markdown"),
            ("packs", "junit"),
            ("test", "json"),
            ("test", "sarif"),
            ("lint", "junit"),
        ] {
            let error = Cli::try_parse_from(["recert", command, "--format", format])
                .err()
                .map(|e| e.kind());
            assert_eq!(error, Some(ErrorKind::InvalidValue), "{command} {format}");
        }
    }
}
