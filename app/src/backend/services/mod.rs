//! Services: the one place rules, permissions and queries meet. Each takes
//! the acting `Ctx` first. No HTTP here.

pub mod agreements;
pub mod organisations;

/// Who is acting, and on behalf of which request.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    /// The signed-in user's id; `None` for anonymous readers and system tasks.
    pub user_id: Option<i32>,
    /// Set for command-line tasks (seed, import), which act as the system.
    pub system: bool,
}

impl Ctx {
    /// A caller who has not signed in.
    pub fn anonymous() -> Self {
        Ctx::default()
    }

    /// The server itself (CLI tasks: migrate, seed, import).
    pub fn system() -> Self {
        Ctx {
            user_id: None,
            system: true,
        }
    }
}

/// A decimal as the API writes it: no trailing zeros ("80", "12.5").
pub(crate) fn plain_decimal(d: rust_decimal::Decimal) -> String {
    d.normalize().to_string()
}

/// Parses a value the database holds as text (an enum, a channel list).
///
/// Fails only when the database holds something the application never
/// writes: reported as a database error, never silently replaced.
pub(crate) fn stored<T: std::str::FromStr>(value: &str, column: &str) -> Result<T, sea_orm::DbErr> {
    value
        .parse()
        .map_err(|_| sea_orm::DbErr::Type(format!("unexpected value '{value}' in {column}")))
}
