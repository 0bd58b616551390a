//! Password hashing with argon2id at explicit OWASP-level parameters, on the
//! blocking pool so hashing never stalls the async workers.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted (long passphrases welcome; this only bounds work).
pub const MAX_LENGTH: usize = 1024;

/// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash verified when the email is unknown, so that the answer takes as
/// long as for a known email with a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("not a real password, only spends time").expect("hash"));

/// Why a new password is refused (`None` when acceptable).
pub fn weakness(password: &str) -> Option<String> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Some(format!(
            "A password needs at least {MIN_LENGTH} characters."
        ))
    } else if n > MAX_LENGTH {
        Some(format!(
            "A password may have at most {MAX_LENGTH} characters."
        ))
    } else {
        None
    }
}

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Hashes `password` (argon2id, PHC string). Fails only if hashing itself fails.
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password).map_err(|e| e.to_string()))
        .await
        .map_err(|e| e.to_string())?
}

/// Whether `password` matches `hash`; with `None`, verifies the dummy hash
/// and answers `false` after the same work.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored = hash.as_deref().unwrap_or(DUMMY_HASH.as_str());
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("correct horse battery".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify("correct horse batterY".into(), Some(h)).await);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify("not a real password, only spends time".into(), None).await);
    }

    #[test]
    fn a_password_shorter_than_twelve_characters_is_refused() {
        assert!(weakness("elevenchars").is_some());
        assert!(weakness("twelve chars").is_none());
        assert!(weakness(&"x".repeat(128)).is_none());
    }
}
