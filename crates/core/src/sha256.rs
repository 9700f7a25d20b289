//! SHA-256 digests as recert writes them everywhere (submissions, packs,
//! plugins): lowercase hex.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a digest's bytes.
pub(crate) fn hex(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digit = |n: u8| char::from(HEX.get(usize::from(n)).copied().unwrap_or(b'0'));
    let mut hex = String::with_capacity(64);
    for &byte in digest {
        hex.push(digit(byte >> 4));
        hex.push(digit(byte & 0x0f));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_hex_of_the_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sha256_hex(b"").len(), 64);
    }
}
