//! sea-orm entities, one per table; queries live in `services/`, not here.

pub mod agreement;
pub mod agreement_life_event;
pub mod agreement_party;
pub mod agreement_service;
pub mod agreement_version;
pub mod api_token;
pub mod approval;
pub mod audit_event;
pub mod barrier;
pub mod comment;
pub mod commitment;
pub mod cost_entry;
pub mod cost_model;
pub mod cost_model_line;
pub mod governance_section;
pub mod jurisdiction;
pub mod kpi;
pub mod life_event;
pub mod login_failure;
pub mod notification;
pub mod organisation;
pub mod password_reset;
pub mod revoked_token;
pub mod service_level_report;
pub mod transaction_volume;
pub mod user;
