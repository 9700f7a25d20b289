//! The Unified Social Credit Code of Chinese organizations (GB 32100-2015).
//!
//! 18 characters from `0-9A-HJ-NPQRTUWXY` (31 characters: the Latin capitals
//! without I, O, S, V, Z). The 18th is a check character: with character
//! values `C1..C17` (`0`=0 … `9`=9, `A`=10 … `Y`=30) and weights
//! `Wi = 3^(i-1) mod 31`, the check value is `31 - (Σ Ci·Wi mod 31)`, where 31
//! stands for 0.

/// The code's character set, in value order.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of positions 1 to 17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value_of(c: u8) -> Option<u32> {
    CHARSET
        .iter()
        .position(|&x| x == c)
        .and_then(|i| u32::try_from(i).ok())
}

/// The check character the first 17 characters of `code` call for, or
/// `None` when one of them is outside the character set or fewer than 17.
pub fn check_character(code: &str) -> Option<char> {
    let bytes = code.as_bytes();
    let mut sum = 0u32;
    for (i, weight) in WEIGHTS.iter().enumerate() {
        sum += value_of(*bytes.get(i)?)? * weight;
    }
    let check = (31 - sum % 31) % 31;
    CHARSET
        .get(usize::try_from(check).ok()?)
        .map(|&b| char::from(b))
}

/// What is wrong with a Unified Social Credit Code, for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    /// Not 18 characters.
    #[error("a Unified Social Credit Code has 18 characters, `{code}` has {count}")]
    Length {
        /// The code as written.
        code: String,
        /// How many characters it has.
        count: usize,
    },
    /// A character outside the code's character set.
    #[error(
        "character `{found}` at position {position} is not allowed in a Unified Social Credit Code{hint}"
    )]
    Character {
        /// The character.
        found: char,
        /// Its 1-based position.
        position: usize,
        /// What is allowed, with a leading space.
        hint: &'static str,
    },
    /// No check character can be computed.
    #[error("`{0}` is not a valid code")]
    Invalid(String),
    /// The last character is not the one the first 17 call for.
    #[error(
        "the check character of `{code}` is `{found}`, but the first 17 characters call for `{expected}` (GB 32100-2015)"
    )]
    CheckCharacter {
        /// The code as written.
        code: String,
        /// Its last character.
        found: char,
        /// The check character of its first 17.
        expected: char,
    },
}

/// `Ok` when `code` is a well-formed Unified Social Credit Code with a valid
/// check character; otherwise what is wrong.
pub fn check(code: &str) -> Result<(), UsccError> {
    let count = code.chars().count();
    if count != 18 {
        return Err(UsccError::Length {
            code: code.to_owned(),
            count,
        });
    }
    if let Some((i, c)) = code
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii() || value_of(*c as u8).is_none())
    {
        let hint = if c.is_ascii_lowercase() {
            " (letters are upper case)"
        } else {
            " (allowed: digits and capital letters except I, O, S, V, Z)"
        };
        return Err(UsccError::Character {
            found: c,
            position: i + 1,
            hint,
        });
    }
    let expected = check_character(code).ok_or_else(|| UsccError::Invalid(code.to_owned()))?;
    let found = code.chars().last().unwrap_or(' ');
    if found == expected {
        Ok(())
    } else {
        Err(UsccError::CheckCharacter {
            code: code.to_owned(),
            found,
            expected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn the_standards_worked_example() {
        // GB 32100-2015's worked example: the sum is 1640, 1640 mod 31 = 28,
        // 31 - 28 = 3.
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(check("91350100M000100Y43"), Ok(()));
        let err = check("91350100M000100Y4A").unwrap_err().to_string();
        assert!(err.contains("`A`") && err.contains("`3`"), "{err}");
        // The standard's counter-example ends in Z, which is not even in the set.
        assert!(
            check("91350100M000100Y4Z")
                .unwrap_err()
                .to_string()
                .contains("`Z` at position 18")
        );
    }

    #[test]
    fn codes_computed_here_are_valid() {
        for prefix in [
            "91310115MA1K4B2C7",
            "91440300MA5FXY21Q",
            "91320500MA1MLP8E3",
        ] {
            let c = check_character(prefix).expect("valid characters");
            let code = format!("{prefix}{c}");
            assert_eq!(check(&code), Ok(()), "{code}");
            // Any other last character is rejected.
            let other = if c == '0' { '1' } else { '0' };
            assert!(check(&format!("{prefix}{other}")).is_err());
        }
        // A check value of 31 - 0 is written `0`: this prefix sums to a multiple of 31.
        let zero = (0..31u32)
            .filter_map(|d| {
                let prefix = format!("9131011{}MA1K4B2C7", CHARSET[d as usize] as char);
                (check_character(&prefix) == Some('0')).then_some(prefix)
            })
            .next();
        let prefix = zero.expect("some digit gives check 0");
        assert_eq!(check(&format!("{prefix}0")), Ok(()));
    }

    #[test]
    fn malformed_codes_are_rejected() {
        assert!(
            check("91350100M000100Y4")
                .unwrap_err()
                .to_string()
                .contains("18 characters")
        );
        assert!(
            check("91350100M000100Y433")
                .unwrap_err()
                .to_string()
                .contains("18 characters")
        );
        assert!(
            check("91350100I000100Y43")
                .unwrap_err()
                .to_string()
                .contains("`I` at position 9")
        );
        assert!(
            check("91350100m000100Y43")
                .unwrap_err()
                .to_string()
                .contains("upper case")
        );
        assert!(check("91350100М000100Y43").is_err()); // Cyrillic М
    }
}
