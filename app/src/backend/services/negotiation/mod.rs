//! Drafting and negotiating agreements (DOMAIN.md §2): creating a draft,
//! saving new terms as immutable versions under optimistic concurrency,
//! comparing versions, comments, lifecycle moves, approvals, amendments and
//! withdrawal. Every change is audited in its own transaction.

mod access;
mod approvals;
mod checks;
mod comments;
mod drafting;
mod history;
mod lifecycle;
mod service_rows;
mod store;

pub(crate) use access::managing;
pub use approvals::{approve, withdraw_amendment};
pub(crate) use checks::check as check_terms;
pub use comments::{add_comment, comments, comments_cached};
pub(crate) use drafting::{commitment_in_base, update_with};
pub use drafting::{create, set_cost_model, update};
pub(crate) use history::params_of;
pub use history::{compare, terms_of, versions};
pub use lifecycle::{
    expire_due, move_allowed, permissions, permissions_cached, transition, withdraw,
};
