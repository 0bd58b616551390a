//! In-app notifications on the wire, and their server functions.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i32,
    /// `approval_requested`, `new_comment`, `new_version`,
    /// `version_approved`, `agreement_activated`.
    pub kind: String,
    pub agreement_id: Option<i32>,
    /// Details (the agreement's reference and version) for the text.
    pub message: String,
    pub created_at: String,
    pub read: bool,
}
