//! The diagnostic codes: every code recert gives a [`Diagnostic`](crate::Diagnostic),
//! with its stable kebab-case name and what it means, in one list.
//!
//! The names are a contract: reports, `--format json` output, `recert lint`
//! lines and tests rely on them, so a name never changes once released.
//! `recert explain --codes` prints this list. The codes of `recert lint`
//! are here too: lint reports the codes of loading a pack as well as its own,
//! in one list of diagnostics.

use std::fmt;

macro_rules! codes {
    ($( $(#[$attr:meta])* $variant:ident = $name:literal : $description:literal, )*) => {
        /// A diagnostic code. Its [`name`](Code::name) is stable; its
        /// [`description`](Code::description) says what it means.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", $name, "`: ", $description)]
                $(#[$attr])*
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the list (grouped by what is read).
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name, e.g. `unknown-unit`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the code means, in one line.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }
        }
    };
}

codes! {
    // Reading files.
    FileNotFound = "file-not-found": "a file or folder that was named does not exist",
    FileUnreadable = "file-unreadable": "a file cannot be read (no permission, or a folder where a file was expected)",
    NotUtf8 = "not-utf8": "a file is not UTF-8 text",
    TooLarge = "too-large": "a file or document is larger than recert reads",
    JsonSyntax = "json-syntax": "the text is not valid JSON",
    YamlSyntax = "yaml-syntax": "the text is not valid YAML",
    DuplicateKey = "duplicate-key": "a mapping has the same key twice",
    TooDeep = "too-deep": "the document nests deeper than recert reads",
    AliasLimit = "alias-limit": "YAML aliases expand too much (an alias bomb?)",
    MultipleDocuments = "multiple-documents": "a YAML file holds more than one document",
    NonFinite = "non-finite": "a number is infinite or not a number (.inf, .nan)",

    // Submissions.
    Schema = "schema": "the document does not match its JSON Schema",
    MoreErrors = "more-errors": "more errors were found in a document than are shown (the first 100 are)",
    WrongSchemaVersion = "wrong-schema-version": "the document's `schema` names a version recert does not read",
    InvalidQuantity = "invalid-quantity": "a quantity is not a number with a unit",
    UnknownUnit = "unknown-unit": "a quantity has a unit recert does not know",
    WrongDimension = "wrong-dimension": "a quantity's unit measures the wrong thing (a mass where a share is due)",
    Negative = "negative": "a quantity is below zero",
    OutOfRange = "out-of-range": "a value is outside its possible range (a share above 100 %)",
    ShareAsFraction = "share-as-fraction": "a share below 1 % where every other share is above 1 %: a fraction (0.3) written for a percentage (30 %)? (a warning)",
    DuplicateId = "duplicate-id": "two components have the same id",
    UnknownName = "unknown-name": "a substance or property name that no loaded pack or plugin reads (a typo?); an error with `--strict`",
    InvalidCreditCode = "invalid-credit-code": "`applicant.credit_code` is not a valid unified social credit code",

    // Packs.
    InvalidVersion = "invalid-version": "a pack's version is not a semantic version",
    DuplicatePackId = "duplicate-pack-id": "two packs have the same id",
    DuplicateRuleId = "duplicate-rule-id": "two rules have the same id",
    DuplicateStandardId = "duplicate-standard-id": "a pack declares two standards with the same id",
    UnknownStandard = "unknown-standard": "a rule cites a standard its pack does not declare",
    UnknownParam = "unknown-param": "a param is used or set that its pack does not declare",
    InvalidParam = "invalid-param": "a param's value is not valid for its declaration",
    InvalidLimit = "invalid-limit": "a plugin memory or time limit cannot be read",
    CelSyntax = "cel-syntax": "a CEL expression does not parse",
    CelTooLarge = "cel-too-large": "a CEL expression is longer, nests deeper or has more operators than the limits",
    UnknownFunction = "unknown-function": "a CEL expression calls a function that neither CEL nor recert has",
    InvalidRegex = "invalid-regex": "a regular expression given to `matches` is not valid",
    RuleKind = "rule-kind": "a rule does not have exactly one of `check`, `assert` and `plugin`",
    UnknownPlugin = "unknown-plugin": "a rule names a plugin its pack does not declare",
    InvalidConfig = "invalid-config": "a plugin rule's config is not valid",
    MisplacedField = "misplaced-field": "a field is given where it has no effect (`actual` or `expected` without `assert`)",
    InvalidDate = "invalid-date": "a date is not a valid YYYY-MM-DD date",
    EmptyWindow = "empty-window": "a rule's effective window ends before it starts",
    CheckBounds = "check-bounds": "a rule's `check` bounds cannot be read or contradict each other",
    InvalidSeverity = "invalid-severity": "a rule's `severity` is not error, warning, info or `params.NAME`",

    // Params files.
    InvalidParams = "invalid-params": "a params file is not a mapping of packs to params",
    UnknownPack = "unknown-pack": "a params file names a pack that is not loaded",

    // Plugins.
    InvalidPlugin = "invalid-plugin": "a plugin is not a valid recert plugin component",
    PluginNotFound = "plugin-not-found": "a pack's plugin cannot be found or read",
    PluginPathRefused = "plugin-path-refused": "a pack's plugin path leads outside the pack's folder (absolute, `..` or a symlink) and no `--allow-plugin-path` allows it",
    PluginSha256Mismatch = "plugin-sha256-mismatch": "a plugin's sha256 differs from the one its pack pins",
    PluginIdMismatch = "plugin-id-mismatch": "a plugin reports an id other than the one its pack gives",
    UndeclaredPluginRule = "undeclared-plugin-rule": "a plugin rule names a rule its plugin does not declare",
    PluginHost = "plugin-host": "the WebAssembly plugin host cannot start",

    // Pack tests (`recert test`).
    NoTests = "no-tests": "a folder holds no pack test files",
    PackNotFound = "pack-not-found": "a pack test file tests a pack that is not loaded",
    DuplicateCaseName = "duplicate-case-name": "a pack test file has two cases with the same name",
    UnknownRule = "unknown-rule": "a rule id that no loaded pack has",
    ImpossibleOutcome = "impossible-outcome": "a pack test expects an outcome the rule can never give",

    // Lint (`recert lint`).
    NothingToLint = "nothing-to-lint": "a folder holds no packs or pack test files",
    PackNotLinted = "pack-not-linted": "a pack test file tests a pack that is not among the linted files",
    UnknownField = "unknown-field": "an expression reads a field the submission schema does not have",
    ComponentOutsideForEach = "component-outside-for-each": "an expression reads `component` in a rule without `for_each`",
    ForEachUnused = "for-each-unused": "a rule with `for_each` never reads `component`",
    UnusedParam = "unused-param": "a param is declared but never used",
    UnusedStandard = "unused-standard": "a standard is declared but never cited",
    UnusedPlugin = "unused-plugin": "a plugin is declared but no rule uses it",
    UnknownPlaceholder = "unknown-placeholder": "a rule's message names a placeholder that does not exist",
    UnfillablePlaceholder = "unfillable-placeholder": "a rule's message names a placeholder that this kind of rule cannot fill",
    UnfilledPlaceholder = "unfilled-placeholder": "a rule's message names a placeholder that shows only `—` or a stock phrase",
    PlaceholderMismatch = "placeholder-mismatch": "the English and Chinese message of a rule use different placeholders",
    EmptyText = "empty-text": "a text is blank in one language",
    Untranslated = "untranslated": "a text's Chinese is its English, or has no Chinese characters",
    WrongLanguage = "wrong-language": "a text's English and Chinese look swapped",
    DuplicatePluginId = "duplicate-plugin-id": "a pack declares two plugins with the same id",
    PluginUnreadable = "plugin-unreadable": "a plugin file cannot be read",
    PluginDigestMismatch = "plugin-digest-mismatch": "a plugin file's sha256 differs from the one its pack pins",
    NotAPlugin = "not-a-plugin": "a plugin file is not a recert plugin component",
    OverlappingWindows = "overlapping-windows": "two rules check the same value under the same guard on the same day",
    WhenTestsMeasurement = "when-tests-measurement": "a rule's `when` tests whether a measured value is present: missing data must be an `error`, not `not-applicable`",
    WindowGap = "window-gap": "rules that check one value in turn leave days on which none is in force",

    // Signed reports (`recert keygen`, `recert check --sign`, `recert verify`).
    InvalidKey = "invalid-key": "a key file is not an Ed25519 key in PEM (a PKCS#8 private key, a SubjectPublicKeyInfo public key)",
    KeyExists = "key-exists": "`recert keygen` would overwrite a key file (`--force` replaces it)",
    NotAReport = "not-a-report": "a file given to `recert verify` is not a recert JSON report",
    // Documentation (`recert docs`) and the command line.
    WriteFailed = "write-failed": "an output file cannot be written",
    NoPacks = "no-packs": "no packs are loaded",
    Internal = "internal": "an error in recert itself; please report it",
}

impl fmt::Display for Code {
    /// The name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Code {
    /// The name, as a string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn names_are_unique_kebab_case_and_described() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.name();
            assert!(seen.insert(name), "`{name}` is listed twice");
            assert!(
                !name.is_empty()
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "`{name}` is not kebab-case"
            );
            let description = code.description();
            assert!(
                !description.is_empty() && !description.contains('\n'),
                "`{name}` needs a one-line description"
            );
        }
    }

    #[test]
    fn a_code_serializes_as_its_name() {
        assert_eq!(
            serde_json::to_string(&Code::UnknownUnit).unwrap(),
            "\"unknown-unit\""
        );
        assert_eq!(Code::UnknownUnit.to_string(), "unknown-unit");
        assert_eq!(Code::UnknownUnit, "unknown-unit");
    }
}
