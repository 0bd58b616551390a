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

/// Most argon2 computations at once. Each takes 19 MiB and a core for a
/// moment: a flood of sign-ins waits for a turn instead of exhausting the
/// memory.
pub const CONCURRENT_HASHES: usize = 4;
/// How long a request waits for a turn before it is asked to come back.
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// What the caller is told to wait before trying again, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 2;

static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(CONCURRENT_HASHES));

/// Every turn was taken for longer than a request waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the server is busy hashing passwords")]
pub struct Busy;

impl From<Busy> for crate::backend::ServiceError {
    fn from(_: Busy) -> Self {
        crate::backend::ServiceError::Busy(RETRY_AFTER_SECONDS)
    }
}

async fn turn(
    pool: &'static tokio::sync::Semaphore,
) -> Result<tokio::sync::SemaphorePermit<'static>, Busy> {
    match tokio::time::timeout(TURN_WAIT, pool.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(Busy),
    }
}

/// Hashes `password` (argon2id, PHC string) when a turn is free.
///
/// Fails with `Busy` when no turn came in time, or with the reason hashing
/// itself failed.
pub async fn hash(password: String) -> Result<String, crate::backend::ServiceError> {
    let _turn = turn(&HASHING).await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password).map_err(|e| e.to_string()))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r)
        .map_err(|e| crate::backend::ServiceError::Db(sea_orm::DbErr::Custom(e)))
}

/// Whether `password` matches `hash`, when a turn is free; with `None`,
/// verifies the dummy hash and answers `false` after the same work.
///
/// Fails with `Busy` when no turn came in time.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, Busy> {
    verify_in(&HASHING, password, hash).await
}

async fn verify_in(
    pool: &'static tokio::sync::Semaphore,
    password: String,
    hash: Option<String>,
) -> Result<bool, Busy> {
    let _turn = turn(pool).await?;
    Ok(tokio::task::spawn_blocking(move || {
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
    .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("correct horse battery".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            verify("correct horse battery".into(), Some(h.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify("correct horse batterY".into(), Some(h)).await,
            Ok(false)
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert_eq!(
            verify("not a real password, only spends time".into(), None).await,
            Ok(false)
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_of_hashes_waits_for_a_turn_or_is_told_to_come_back() {
        // A pool of its own, every turn taken for longer than a request waits.
        let pool: &'static tokio::sync::Semaphore =
            Box::leak(Box::new(tokio::sync::Semaphore::new(1)));
        let held = pool.acquire().await.expect("turn");
        let started = std::time::Instant::now();
        let text = || "anything at all here".to_owned();
        assert_eq!(verify_in(pool, text(), None).await, Err(Busy));
        assert!(started.elapsed() >= TURN_WAIT);
        drop(held);
        assert_eq!(verify_in(pool, text(), None).await, Ok(false));
    }

    #[test]
    fn a_password_shorter_than_twelve_characters_is_refused() {
        assert!(weakness("elevenchars").is_some());
        assert!(weakness("twelve chars").is_none());
        assert!(weakness(&"x".repeat(128)).is_none());
    }
}
