//! Random secrets and their one-way hashes: API tokens, reset links, the
//! development JWT secret.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes as lowercase hex.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// SHA-256 of a high-entropy token, as hex. (Tokens are random, so a fast
/// hash is enough; passwords use argon2.)
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
