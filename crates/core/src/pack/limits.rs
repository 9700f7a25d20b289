//! Plugin call limits as packs and the command line write them: a memory
//! size (`64 MiB`) and a time (`1 s`). Parsed here so that a pack's `limits`
//! are checked when the pack compiles, with or without a plugin host.

use std::time::Duration;

/// Why a limit cannot be read; the text names the limit as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// A memory limit with a unit other than B, KiB, MiB or GiB.
    #[error("unknown size unit `{unit}` in `{text}`; use B, KiB, MiB or GiB (e.g. 64MiB)")]
    UnknownSizeUnit {
        /// The unit found.
        unit: String,
        /// The limit as written.
        text: String,
    },
    /// A time limit with a unit other than s or ms.
    #[error("unknown time unit `{unit}` in `{text}`; use s or ms (e.g. 1s, 250ms)")]
    UnknownTimeUnit {
        /// The unit found.
        unit: String,
        /// The limit as written.
        text: String,
    },
    /// A memory limit below 1 B or above 4 GiB.
    #[error("`{0}` is out of range (1 B to 4 GiB)")]
    MemoryOutOfRange(String),
    /// A time limit below 1 ms or above 600 s.
    #[error("`{0}` is out of range (1 ms to 600 s)")]
    TimeOutOfRange(String),
    /// A limit that does not start with a number.
    #[error("`{0}` does not start with a number")]
    NotANumber(String),
}

/// Parses a memory limit as packs and the command line write it: `64 MiB`,
/// `512KiB`, `1 GiB`, or a number of bytes.
pub fn parse_memory(text: &str) -> Result<u64, LimitError> {
    let (number, unit) = split_number(text)?;
    let factor: f64 = match unit {
        "" | "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(LimitError::UnknownSizeUnit {
                unit: other.to_owned(),
                text: text.to_owned(),
            });
        }
    };
    let bytes = number * factor;
    if !(1.0..=4.0 * 1024.0 * 1024.0 * 1024.0).contains(&bytes) {
        return Err(LimitError::MemoryOutOfRange(text.to_owned()));
    }
    Ok(bytes as u64)
}

/// Parses a time limit: `1s`, `250ms`, `1.5 s`.
pub fn parse_time(text: &str) -> Result<Duration, LimitError> {
    let (number, unit) = split_number(text)?;
    let seconds = match unit {
        "s" => number,
        "ms" => number / 1000.0,
        other => {
            return Err(LimitError::UnknownTimeUnit {
                unit: other.to_owned(),
                text: text.to_owned(),
            });
        }
    };
    if !(0.001..=600.0).contains(&seconds) {
        return Err(LimitError::TimeOutOfRange(text.to_owned()));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn split_number(text: &str) -> Result<(f64, &str), LimitError> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(end);
    let number: f64 = number
        .parse()
        .map_err(|_| LimitError::NotANumber(text.to_owned()))?;
    Ok((number, unit.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_like_packs_write_them() {
        assert_eq!(parse_memory("64MiB"), Ok(64 << 20));
        assert_eq!(parse_memory("64 MiB"), Ok(64 << 20));
        assert_eq!(parse_memory("1.5 KiB"), Ok(1536));
        assert_eq!(parse_memory("4096"), Ok(4096));
        assert!(
            parse_memory("64MB")
                .unwrap_err()
                .to_string()
                .contains("unknown size unit")
        );
        assert!(
            parse_memory("8 GiB")
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        assert!(
            parse_memory("lots")
                .unwrap_err()
                .to_string()
                .contains("number")
        );
        assert_eq!(parse_time("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_time("250 ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_time("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(
            parse_time("1 min")
                .unwrap_err()
                .to_string()
                .contains("unknown time unit")
        );
        assert!(
            parse_time("0ms")
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
    }
}
