//! sea-orm entities, one per table; queries live in `services/`, not here.
//!
//! Every table has `created_at` and `updated_at`, and the ones edited under
//! optimistic concurrency a `lock_version`. A row inserted one at a time
//! gets whichever of them it leaves unset here, in one place: both times
//! from the clock, and version 1. Rows inserted in batches
//! (`backend::batch`) skip these hooks and set them themselves.

/// `impl ActiveModelBehavior` for an entity's `ActiveModel` that fills the
/// unset bookkeeping columns of a new row: `created_at` and `updated_at`
/// from the clock, and, when named, `lock_version` at 1.
macro_rules! stamped_when_inserted {
    ($($lock_version:ident)?) => {
        #[async_trait::async_trait]
        impl ActiveModelBehavior for ActiveModel {
            async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
            where
                C: ConnectionTrait,
            {
                if insert {
                    let now = crate::clock::now();
                    if self.created_at.is_not_set() {
                        self.created_at = sea_orm::ActiveValue::Set(now);
                    }
                    if self.updated_at.is_not_set() {
                        self.updated_at = sea_orm::ActiveValue::Set(now);
                    }
                    $(
                        if self.$lock_version.is_not_set() {
                            self.$lock_version = sea_orm::ActiveValue::Set(1);
                        }
                    )?
                }
                Ok(self)
            }
        }
    };
}
use stamped_when_inserted;

pub mod agreement;
pub mod agreement_life_event;
pub mod agreement_party;
pub mod agreement_period_total;
pub mod agreement_service;
pub mod agreement_version;
pub mod api_token;
pub mod approval;
pub mod audit_event;
pub mod barrier;
pub mod channel_journey;
pub mod channel_minimum;
pub mod comment;
pub mod commitment;
pub mod commitment_period;
pub mod cost_entry;
pub mod cost_model;
pub mod cost_model_line;
pub mod dimension_period_total;
pub mod governance_section;
pub mod holiday;
pub mod jurisdiction;
pub mod kpi;
pub mod life_event;
pub mod life_event_delivery;
pub mod life_event_notice;
pub mod login_failure;
pub mod notification;
pub mod organisation;
pub mod password_reset;
pub mod propagation_term;
pub mod proposed_party;
pub mod revoked_token;
pub mod satisfaction_result;
pub mod service_level_report;
pub mod service_standard;
pub mod transaction_volume;
pub mod user;
