//! Writes the benchmarks' generated corpus to files, for timing the CLI on it:
//!
//! ```sh
//! cargo run --release -p recert-engine --example generate-corpus -- 2000 corpus/
//! recert check corpus/ --format json > /dev/null
//! ```
//!
//! Arguments: how many submissions, the folder to write them to, and
//! optionally the seed (default 2026). The same seed gives the same files.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(folder)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
    ) else {
        eprintln!("usage: generate-corpus COUNT FOLDER [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2026);
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("generate-corpus: {}: {error}", folder.display());
        return ExitCode::from(2);
    }
    for generated in corpus::corpus(count, seed) {
        let path = folder.join(&generated.name);
        if let Err(error) = std::fs::write(&path, generated.text) {
            eprintln!("generate-corpus: {}: {error}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
