//! The server functions of `admin`: each checks nothing itself and calls
//! one service (`backend::services`); its arguments and answers are the
//! wire types of [`crate::wire::admin`].

#[allow(unused_imports)]
use crate::wire::admin::*;
use crate::wire::error::AppError;
use leptos::prelude::*;

macro_rules! service_fn {
    // A read: asked once per page render (see `once_per_render`).
    ($(#[$m:meta])* read $name:ident ($($arg:ident : $ty:ty),*) -> $out:ty => $path:literal, $svc:path) => {
        $(#[$m])*
        #[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = $path)]
        pub async fn $name($($arg: $ty),*) -> Result<$out, AppError> {
            $(let $arg = &$arg;)*
            crate::server_fns::glue::read_once(stringify!($name), &($($arg,)*), |state, ctx| async move {
                $svc(&ctx, &state.db $(, $arg.clone())*).await
            })
            .await
        }
    };
    ($(#[$m:meta])* $name:ident ($($arg:ident : $ty:ty),*) -> $out:ty => $path:literal, $svc:path) => {
        $(#[$m])*
        #[server(prefix = "/sfn", output = crate::server_fns::codec::JsonAnswer, endpoint = $path)]
        pub async fn $name($($arg: $ty),*) -> Result<$out, AppError> {
            use crate::server_fns::glue::{ctx_from_request, server_error};
            let (state, ctx) = ctx_from_request().await?;
            $svc(&ctx, &state.db $(, $arg)*).await.map_err(server_error)
        }
    };
}

service_fn!(
    /// Every user (admins).
    read list_users() -> Vec<UserAdminView> => "admin/users/list", crate::backend::services::admin::list_users
);

service_fn!(
    /// Creates a user (admins).
    create_user(params: CreateUserParams) -> UserAdminView => "admin/users/create", crate::backend::services::admin::create_user
);

service_fn!(
    /// Changes a user's role, scope, name or disabled flag (admins).
    update_user(id: i32, params: UpdateUserParams) -> UserAdminView => "admin/users/update", crate::backend::services::admin::update_user
);

service_fn!(
    /// Issues a one-time password-reset link (admins).
    issue_reset_link(id: i32) -> ResetLinkView => "admin/users/reset-link", crate::backend::services::admin::issue_reset_link
);

service_fn!(
    /// Unlocks an account locked by failed sign-ins (admins).
    unlock_user(id: i32) -> UserAdminView => "admin/users/unlock", crate::backend::services::admin::unlock_user
);

service_fn!(
    /// Creates an organisation (admins; managers adding a partner).
    create_organisation(params: OrganisationParams) -> crate::wire::organisations::OrganisationView => "admin/organisations/create", crate::backend::services::admin::create_organisation
);

service_fn!(
    /// Edits an organisation (admins).
    update_organisation(id: i32, params: OrganisationParams) -> crate::wire::organisations::OrganisationView => "admin/organisations/update", crate::backend::services::admin::update_organisation
);

service_fn!(
    /// Every jurisdiction (signed in).
    read list_jurisdictions() -> Vec<crate::wire::organisations::JurisdictionView> => "admin/jurisdictions/list", crate::backend::services::admin::list_jurisdictions
);

service_fn!(
    /// Creates a jurisdiction (admins).
    create_jurisdiction(params: JurisdictionParams) -> crate::wire::organisations::JurisdictionView => "admin/jurisdictions/create", crate::backend::services::admin::create_jurisdiction
);

service_fn!(
    /// Edits a jurisdiction (admins).
    update_jurisdiction(id: i32, params: JurisdictionParams) -> crate::wire::organisations::JurisdictionView => "admin/jurisdictions/update", crate::backend::services::admin::update_jurisdiction
);

service_fn!(
    /// The API tokens the caller may manage.
    read list_api_tokens() -> Vec<ApiTokenView> => "admin/tokens/list", crate::backend::services::admin::list_api_tokens
);

service_fn!(
    /// Issues an API token for an organisation (admins; managers for their own).
    issue_api_token(params: IssueTokenParams) -> IssuedTokenView => "admin/tokens/issue", crate::backend::services::admin::issue_api_token
);

service_fn!(
    /// Revokes an API token at once.
    revoke_api_token(id: i32) -> ApiTokenView => "admin/tokens/revoke", crate::backend::services::admin::revoke_api_token
);

service_fn!(
    /// The audit log, newest first (admins).
    read list_audit(filters: AuditFilters) -> AuditPage => "admin/audit", crate::backend::services::admin::list_audit
);

service_fn!(
    /// The KPI catalogue (signed in).
    read list_kpis() -> Vec<KpiView> => "admin/kpis/list", crate::backend::services::admin::list_kpis
);

service_fn!(
    /// Adds a KPI (admins).
    create_kpi(params: KpiParams) -> KpiView => "admin/kpis/create", crate::backend::services::admin::create_kpi
);

service_fn!(
    /// Edits a KPI (admins).
    update_kpi(id: i32, params: KpiParams) -> KpiView => "admin/kpis/update", crate::backend::services::admin::update_kpi
);

service_fn!(
    /// The life-event catalogue, with how many agreements cover each (signed in).
    read list_life_event_catalogue() -> Vec<LifeEventAdminView> => "admin/life-events/list", crate::backend::services::admin::list_life_events
);

service_fn!(
    /// Adds a life event (admins).
    create_life_event(params: LifeEventParams) -> LifeEventAdminView => "admin/life-events/create", crate::backend::services::admin::create_life_event
);

service_fn!(
    /// Renames a life event; its code stays (admins).
    rename_life_event(id: i32, params: RenameLifeEventParams) -> LifeEventAdminView => "admin/life-events/rename", crate::backend::services::admin::rename_life_event
);
