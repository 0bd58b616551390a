//! Every page as a lazy route. Built with `cargo leptos --split` (as
//! `run.sh`, `test.sh` and `release.sh` build), each page's code is a wasm
//! file of its own that the browser fetches when the page is first shown;
//! the first load carries the shell (header, router, messages) and the page
//! asked for. A build without `--split` cannot load these pages.
//!
//! Who may see each page (`RequireUser` and its roles) is decided here, and
//! the header's links read the same role lists; which address shows a page,
//! in `ui::App`'s route table.

use crate::domain::Role;
use crate::ui::auth::{self, RequireUser};
use crate::ui::pages;
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// A lazy route named `$name` showing the page component `$page`, to
/// signed-in people of `$roles` (anyone signed in when empty) or, without
/// roles, to anyone. The page fetches its own data once shown, so the route
/// loads none.
macro_rules! lazy_page {
    ($name:ident, $page:path) => {
        lazy_page!(@route $name, $page().into_any());
    };
    ($name:ident, $roles:expr, $page:path) => {
        lazy_page!(@route $name, view! { <RequireUser roles={$roles}>{$page()}</RequireUser> }.into_any());
    };
    (@route $name:ident, $view:expr) => {
        pub struct $name;

        #[lazy_route]
        impl LazyRoute for $name {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $view
            }
        }
    };
}

/// Anyone signed in.
fn signed_in() -> Vec<Role> {
    Vec::new()
}

/// The roles that see the portfolio-wide pages (overview, benchmarks).
pub(super) fn portfolio_readers() -> Vec<Role> {
    vec![Role::Executive, Role::Manager, Role::Admin]
}

/// The roles that draft agreements and manage organisations and tokens.
pub(super) fn managing_roles() -> Vec<Role> {
    vec![Role::Manager, Role::Admin]
}

/// Administrators only.
pub(super) fn admins() -> Vec<Role> {
    vec![Role::Admin]
}

lazy_page!(Portfolio, signed_in(), pages::portfolio::PortfolioPage);
lazy_page!(
    NewAgreement,
    managing_roles(),
    pages::agreement_form::NewAgreementPage
);
lazy_page!(
    EditAgreement,
    managing_roles(),
    pages::agreement_form::EditAgreementPage
);
lazy_page!(History, signed_in(), pages::history::HistoryPage);
lazy_page!(Compliance, signed_in(), pages::compliance::CompliancePage);
lazy_page!(Overview, portfolio_readers(), pages::overview::OverviewPage);
lazy_page!(
    Benchmarks,
    portfolio_readers(),
    pages::benchmarks::BenchmarksPage
);
lazy_page!(Reporting, signed_in(), pages::reporting::ReportingPage);
lazy_page!(Costs, signed_in(), pages::costs::CostsPage);
lazy_page!(CostModel, signed_in(), pages::cost_model::CostModelPage);
lazy_page!(
    Notifications,
    signed_in(),
    pages::notifications::NotificationsPage
);
lazy_page!(Agreement, signed_in(), pages::agreement::AgreementPage);
lazy_page!(
    Organisations,
    signed_in(),
    pages::organisations::OrganisationsPage
);
lazy_page!(Coverage, portfolio_readers(), pages::coverage::CoveragePage);
lazy_page!(Notices, signed_in(), pages::notices::NoticesPage);
lazy_page!(Services, signed_in(), pages::services::ServicesPage);
lazy_page!(Barriers, signed_in(), pages::barriers::BarriersPage);
lazy_page!(
    Satisfaction,
    signed_in(),
    pages::satisfaction::SatisfactionPage
);
lazy_page!(Journeys, signed_in(), pages::journeys::JourneysPage);
lazy_page!(SignIn, auth::SignInPage);
lazy_page!(OpenData, pages::open_data::OpenDataPage);
lazy_page!(ChangePassword, auth::ChangePasswordPage);
lazy_page!(ResetPassword, auth::ResetPasswordPage);
lazy_page!(AdminUsers, admins(), pages::admin::UsersPage);
lazy_page!(
    AdminOrganisations,
    managing_roles(),
    pages::admin::OrganisationsAdminPage
);
lazy_page!(Jurisdictions, admins(), pages::admin::JurisdictionsPage);
lazy_page!(Tokens, managing_roles(), pages::admin::TokensPage);
lazy_page!(Kpis, admins(), pages::admin::KpisPage);
lazy_page!(AdminLifeEvents, admins(), pages::admin::LifeEventsAdminPage);
lazy_page!(Audit, admins(), pages::admin::AuditPage);
