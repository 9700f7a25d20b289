//! Signed reports: an Ed25519 signature over the canonical JSON (RFC 8785,
//! JCS) of a JSON report without its `signature` field.
//!
//! The signature covers the report's content, not its layout: the same
//! report indented, on one line (JSON Lines) or with its keys in another
//! order has the same canonical form, so the same signature; any change to
//! a key or a value breaks it. The report carries the [`Signature`], with
//! the public key; whether that key is the expected one is for the verifier
//! to say (`recert verify --key`).
//!
//! Keys are files in PEM: the private key as PKCS#8 (`BEGIN PRIVATE KEY`),
//! the public key as SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`), as
//! `openssl genpkey -algorithm ed25519` writes them. A key's id is the
//! lowercase hex SHA-256 of its 32-byte public key (RFC 8032 encoding).

use base64ct::{Base64, Encoding};
use ed25519_dalek::Signer;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::sha256::sha256_hex;

/// The value of [`Signature::algorithm`].
pub const ALGORITHM: &str = "Ed25519";

/// The value of [`Signature::canonicalization`].
pub const CANONICALIZATION: &str = "RFC8785";

/// The field of a JSON report that holds its [`Signature`].
pub const FIELD: &str = "signature";

/// The `signature` of a signed report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Always [`ALGORITHM`]: Ed25519 (RFC 8032), the pure variant.
    pub algorithm: String,
    /// Always [`CANONICALIZATION`]: what was signed is the report without
    /// this field, in the JSON Canonicalization Scheme (RFC 8785).
    pub canonicalization: String,
    /// The signing key's id: lowercase hex SHA-256 of `public_key`'s 32 bytes.
    pub key_id: String,
    /// The public key: its 32 bytes (RFC 8032), in base64 (RFC 4648, padded).
    pub public_key: String,
    /// The signature: 64 bytes, in base64 (RFC 4648, padded).
    pub value: String,
}

/// Why a key, a report or a signature could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// A key file is not an Ed25519 key in the PEM form expected.
    #[error("not an Ed25519 {0} key in PEM ({1})")]
    Key(&'static str, String),
    /// The report cannot be put in canonical form (it is not a JSON object,
    /// or holds a number JSON cannot write).
    #[error("the report cannot be put in canonical JSON: {0}")]
    Canonical(String),
}

/// What checking a report's signature found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The report has no `signature`.
    Unsigned,
    /// The `signature` is not a signature object (a field missing, unknown
    /// or not a string), or its key or value is not valid base64 of the
    /// right length, or its key id is not that of its key.
    Malformed(String),
    /// An algorithm or canonicalization other than those recert writes:
    /// the field and its value.
    Unsupported(&'static str, String),
    /// Signed with another key than the one given: the ids of both.
    WrongKey {
        /// The id of the key given to the verifier.
        expected: String,
        /// The id of the key the report was signed with.
        found: String,
    },
    /// The signature does not match the report's content: the report was
    /// changed after it was signed (or signed by another key under this one's name).
    Mismatch,
}

/// A signature that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The id of the key it was made with.
    pub key_id: String,
    /// Whether the key was given to the verifier (`true`) or only read
    /// from the report itself (`false`: anyone can sign with a key of
    /// their own; only a key known beforehand says who signed).
    pub key_given: bool,
}

/// A new signing key from 32 random bytes.
pub fn key_from_seed(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

/// The id of a public key: lowercase hex SHA-256 of its 32 bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    sha256_hex(key.as_bytes())
}

/// The private key as PKCS#8 PEM.
pub fn private_key_pem(key: &SigningKey) -> Result<String, SignError> {
    key.to_pkcs8_pem(Default::default())
        .map(|pem| pem.as_str().to_owned())
        .map_err(|e| SignError::Key("private", e.to_string()))
}

/// The public key as SubjectPublicKeyInfo PEM.
pub fn public_key_pem(key: &VerifyingKey) -> Result<String, SignError> {
    key.to_public_key_pem(Default::default())
        .map_err(|e| SignError::Key("public", e.to_string()))
}

/// Reads a PKCS#8 PEM private key (`BEGIN PRIVATE KEY`).
pub fn read_private_key(pem: &str) -> Result<SigningKey, SignError> {
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| SignError::Key("private", e.to_string()))
}

/// Reads a public key: SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`), or a
/// private key file, whose public key is taken.
pub fn read_public_key(pem: &str) -> Result<VerifyingKey, SignError> {
    let pem = pem.trim();
    match VerifyingKey::from_public_key_pem(pem) {
        Ok(key) => Ok(key),
        Err(e) => match read_private_key(pem) {
            Ok(private) => Ok(private.verifying_key()),
            Err(_) => Err(SignError::Key("public", e.to_string())),
        },
    }
}

/// The canonical JSON (RFC 8785) of `report` without its `signature`:
/// the bytes that are signed.
pub fn canonical(report: &Json) -> Result<Vec<u8>, SignError> {
    let Json::Object(fields) = report else {
        return Err(SignError::Canonical("not a JSON object".to_owned()));
    };
    let mut unsigned = fields.clone();
    unsigned.remove(FIELD);
    serde_json_canonicalizer::to_vec(&unsigned).map_err(|e| SignError::Canonical(e.to_string()))
}

/// The signature of `report` (a JSON report, with or without a
/// `signature`, which is left out of what is signed).
pub fn sign(report: &Json, key: &SigningKey) -> Result<Signature, SignError> {
    let message = canonical(report)?;
    let public = key.verifying_key();
    Ok(Signature {
        algorithm: ALGORITHM.to_owned(),
        canonicalization: CANONICALIZATION.to_owned(),
        key_id: key_id(&public),
        public_key: Base64::encode_string(public.as_bytes()),
        value: Base64::encode_string(&key.sign(&message).to_bytes()),
    })
}

/// Signs `report` in place: its `signature` is replaced by a new one.
pub fn sign_in_place(report: &mut Json, key: &SigningKey) -> Result<(), SignError> {
    let signature = sign(report, key)?;
    let value = serde_json::to_value(signature).map_err(|e| SignError::Canonical(e.to_string()))?;
    match report {
        Json::Object(fields) => {
            fields.insert(FIELD.to_owned(), value);
            Ok(())
        }
        _ => Err(SignError::Canonical("not a JSON object".to_owned())),
    }
}

/// Checks the signature of `report`: with `key` when given (the report
/// must have been signed with it), else with the key the report carries.
pub fn verify(report: &Json, key: Option<&VerifyingKey>) -> Result<Verified, Failure> {
    let Some(field) = report.get(FIELD) else {
        return Err(Failure::Unsigned);
    };
    let signature: Signature =
        serde_json::from_value(field.clone()).map_err(|e| Failure::Malformed(e.to_string()))?;
    if signature.algorithm != ALGORITHM {
        return Err(Failure::Unsupported("algorithm", signature.algorithm));
    }
    if signature.canonicalization != CANONICALIZATION {
        return Err(Failure::Unsupported(
            "canonicalization",
            signature.canonicalization,
        ));
    }
    let carried = decode::<32>(&signature.public_key, "public_key").and_then(|bytes| {
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Failure::Malformed("public_key is not an Ed25519 public key".into()))
    })?;
    if key_id(&carried) != signature.key_id {
        return Err(Failure::Malformed(
            "key_id is not the SHA-256 of public_key".to_owned(),
        ));
    }
    let key_given = key.is_some();
    let key = match key {
        Some(given) if given != &carried => {
            return Err(Failure::WrongKey {
                expected: key_id(given),
                found: signature.key_id,
            });
        }
        Some(given) => *given,
        None => carried,
    };
    let value = ed25519_dalek::Signature::from_bytes(&decode::<64>(&signature.value, "value")?);
    let message = canonical(report).map_err(|e| Failure::Malformed(e.to_string()))?;
    key.verify_strict(&message, &value)
        .map_err(|_| Failure::Mismatch)?;
    Ok(Verified {
        key_id: key_id(&key),
        key_given,
    })
}

/// `N` bytes from base64, or which field is not.
fn decode<const N: usize>(text: &str, field: &str) -> Result<[u8; N], Failure> {
    let bytes = Base64::decode_vec(text)
        .map_err(|_| Failure::Malformed(format!("{field} is not base64")))?;
    <[u8; N]>::try_from(bytes.as_slice())
        .map_err(|_| Failure::Malformed(format!("{field} is not {N} bytes")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(n: u8) -> SigningKey {
        key_from_seed(&[n; 32])
    }

    #[test]
    fn the_canonical_form_ignores_key_order_layout_and_number_forms() {
        let a: Json = serde_json::from_str(
            r#"{"b": [1, 2.50, 1e2, 0.000001, -0.0], "a": {"y": "é\u00e9", "x": 10E-1}, "signature": 1}"#,
        )
        .unwrap();
        let b: Json =
            serde_json::from_str(r#"{"a":{"x":1.0,"y":"éé"},"b":[1.0,2.5,100,1e-6,0]}"#).unwrap();
        let expected = r#"{"a":{"x":1,"y":"éé"},"b":[1,2.5,100,0.000001,0]}"#;
        assert_eq!(String::from_utf8(canonical(&a).unwrap()).unwrap(), expected);
        assert_eq!(canonical(&a).unwrap(), canonical(&b).unwrap());
    }

    #[test]
    fn numbers_are_written_as_rfc_8785_says() {
        // RFC 8785, Appendix B (a selection), and large and small magnitudes.
        for (given, written) in [
            ("333333333.33333329", "333333333.3333333"),
            ("1E30", "1e+30"),
            ("4.50", "4.5"),
            ("2e-3", "0.002"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("9007199254740992", "9007199254740992"),
            ("295147905179352830000", "295147905179352830000"),
            ("14.294117647058824", "14.294117647058824"),
        ] {
            let value: Json = serde_json::from_str(&format!(r#"{{"n": {given}}}"#)).unwrap();
            let canonical = String::from_utf8(canonical(&value).unwrap()).unwrap();
            assert_eq!(canonical, format!(r#"{{"n":{written}}}"#), "{given}");
        }
    }

    #[test]
    fn a_number_printed_and_read_back_has_the_same_canonical_form() {
        // What `check --sign` signs (the value) and what `verify` reads (its
        // text) give the same bytes, for doubles that need all 17 digits.
        let mut x = 0.1_f64;
        for _ in 0..2000 {
            x = (x * 7.31 + 0.123_456_789).fract() * 1000.0 / 3.0;
            let value = json!({ "x": x, "y": x / 1e9, "z": x * 1e15 });
            let text = serde_json::to_string_pretty(&value).unwrap();
            let read: Json = serde_json::from_str(&text).unwrap();
            assert_eq!(
                canonical(&value).unwrap(),
                canonical(&read).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_signed_report_verifies_and_any_change_does_not() {
        let mut report = json!({"verdict": "fail", "summary": {"total": 3}, "share": 14.29});
        sign_in_place(&mut report, &key(1)).unwrap();
        let ok = verify(&report, None).unwrap();
        assert!(!ok.key_given);
        assert_eq!(ok.key_id, key_id(&key(1).verifying_key()));
        assert!(
            verify(&report, Some(&key(1).verifying_key()))
                .unwrap()
                .key_given
        );

        let mut changed = report.clone();
        changed["verdict"] = json!("pass");
        assert_eq!(verify(&changed, None), Err(Failure::Mismatch));
        let mut changed = report.clone();
        changed["share"] = json!(14.3);
        assert_eq!(verify(&changed, None), Err(Failure::Mismatch));

        let wrong = key(2).verifying_key();
        assert!(matches!(
            verify(&report, Some(&wrong)),
            Err(Failure::WrongKey { expected, .. }) if expected == key_id(&wrong)
        ));
        // Another key put in the report in place of the signer's.
        let mut swapped = report.clone();
        swapped["signature"]["public_key"] = json!(Base64::encode_string(wrong.as_bytes()));
        swapped["signature"]["key_id"] = json!(key_id(&wrong));
        assert_eq!(verify(&swapped, None), Err(Failure::Mismatch));

        let mut unsigned = report.clone();
        unsigned.as_object_mut().unwrap().remove("signature");
        assert_eq!(verify(&unsigned, None), Err(Failure::Unsigned));
        let mut bad = report.clone();
        bad["signature"]["key_id"] = json!("00");
        assert!(matches!(verify(&bad, None), Err(Failure::Malformed(_))));
        let mut other = report;
        other["signature"]["algorithm"] = json!("RS256");
        assert!(matches!(
            verify(&other, None),
            Err(Failure::Unsupported("algorithm", _))
        ));
    }

    #[test]
    fn keys_round_trip_through_pem() {
        let private = key(7);
        let pem = private_key_pem(&private).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(read_private_key(&pem).unwrap(), private);
        let public = public_key_pem(&private.verifying_key()).unwrap();
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(read_public_key(&public).unwrap(), private.verifying_key());
        assert_eq!(read_public_key(&pem).unwrap(), private.verifying_key());
        assert!(read_private_key(&public).is_err());
        assert!(read_public_key("not a key").is_err());
    }
}
