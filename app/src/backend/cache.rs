//! Answers kept until the data changes (issue 18).
//!
//! The database counts its changes: a trigger on every table a read may
//! show moves `data_versions.n` on, in the same transaction as the change
//! (migration `m20261206_000031_data_version`). An answer computed while
//! the count was `n` is kept, and given again, for as long as the count is
//! still `n`; the first request after any write, on any server, sees a new
//! count and computes afresh. So a cache never gives a stale answer, and
//! servers behind a load balancer need not tell each other anything.
//!
//! A request reads the count once (one indexed read of one row) and keeps
//! it for every answer it asks for. An answer is keyed by what it is, its
//! arguments, who may see what (the caller's kind, role, scope and
//! organisation: the whole of what visibility depends on) and today's date
//! (what is due or missing moves with the calendar). Errors are never kept.
//! Only reads made outside a transaction use it: a transaction's own
//! uncommitted count must never key an answer.

use crate::backend::ServiceResult;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// More answers than this at one count (arguments differ without end:
/// date ranges, filters): the cache starts again, empty.
const MAX_ANSWERS: usize = 4096;

type Answer = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Answers {
    version: i64,
    by_key: HashMap<String, Answer>,
}

/// The answers one server keeps; shared by its requests.
#[derive(Clone, Default)]
pub struct ReadCache(Arc<Mutex<Answers>>);

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadCache")
    }
}

/// A request's view of the cache: the cache and the count, read at most
/// once for the request.
#[derive(Clone, Debug, Default)]
pub struct RequestCache {
    cache: ReadCache,
    version: Arc<tokio::sync::OnceCell<i64>>,
}

impl ReadCache {
    /// The view of one request.
    pub fn for_request(&self) -> RequestCache {
        RequestCache {
            cache: self.clone(),
            version: Arc::default(),
        }
    }

    fn get(&self, version: i64, key: &str) -> Option<Answer> {
        let answers = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        (answers.version == version)
            .then(|| answers.by_key.get(key).cloned())
            .flatten()
    }

    fn put(&self, version: i64, key: String, answer: Answer) {
        let mut answers = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if version < answers.version {
            // Computed before a change that a later request already saw.
            return;
        }
        if version > answers.version || answers.by_key.len() >= MAX_ANSWERS {
            answers.by_key.clear();
            answers.version = version;
        }
        answers.by_key.insert(key, answer);
    }
}

/// The database's count of changes.
///
/// Fails when the database does not answer.
pub async fn data_version(db: &impl ConnectionTrait) -> ServiceResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT n FROM data_versions WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("data_versions".into()))?;
    Ok(row.try_get("", "n")?)
}

impl RequestCache {
    /// `compute`'s answer for `key`: kept from an earlier request while the
    /// data has not changed since, or computed now (and kept). `key` names
    /// the answer, its arguments, who asks (as far as the answer depends on
    /// it) and the day: `Ctx::kept` builds it.
    ///
    /// Fails as `compute` does, or when the count cannot be read.
    pub async fn read<T>(
        &self,
        db: &DatabaseConnection,
        key: String,
        compute: impl Future<Output = ServiceResult<T>>,
    ) -> ServiceResult<T>
    where
        T: Clone + Send + Sync + 'static,
    {
        let version = *self.version.get_or_try_init(|| data_version(db)).await?;
        if let Some(kept) = self.cache.get(version, &key)
            && let Some(answer) = kept.downcast_ref::<T>()
        {
            return Ok(answer.clone());
        }
        let answer = compute.await?;
        self.cache.put(version, key, Arc::new(answer.clone()));
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_given_again_only_at_its_own_count() {
        let cache = ReadCache::default();
        cache.put(3, "a".into(), Arc::new(1_u32));
        assert!(cache.get(3, "a").is_some());
        assert!(cache.get(4, "a").is_none(), "a newer count computes afresh");
        cache.put(4, "b".into(), Arc::new(2_u32));
        assert!(cache.get(3, "a").is_none(), "older answers are dropped");
        cache.put(3, "a".into(), Arc::new(1_u32));
        assert!(
            cache.get(4, "a").is_none(),
            "an answer computed before a change is not kept after it"
        );
    }

    #[test]
    fn the_cache_starts_again_when_it_holds_too_many_answers() {
        let cache = ReadCache::default();
        for i in 0..MAX_ANSWERS {
            cache.put(1, i.to_string(), Arc::new(i));
        }
        assert!(cache.get(1, "0").is_some());
        cache.put(1, "one more".into(), Arc::new(0_usize));
        assert!(cache.get(1, "0").is_none());
        assert!(cache.get(1, "one more").is_some());
    }
}
