//! sea-orm entities, one per table; queries live in `services/`, not here.

pub mod jurisdiction;
pub mod organisation;
pub mod user;
pub mod agreement;
pub mod agreement_version;
pub mod agreement_party;
pub mod agreement_service;
pub mod life_event;
pub mod agreement_life_event;
pub mod barrier;
pub mod governance_section;
pub mod comment;
pub mod approval;
pub mod cost_model;
pub mod cost_model_line;
pub mod cost_entry;
pub mod transaction_volume;
pub mod kpi;
pub mod commitment;
pub mod api_token;
pub mod service_level_report;
pub mod audit_event;
pub mod revoked_token;
pub mod notification;
