//! The Leptos glue of the server functions (server side only): the
//! caller's context from the request, one answer per page render, and the
//! server-function form of a service error.

use crate::backend::request::{anonymous_ctx, ctx_from_parts};
use crate::backend::{AppState, Ctx, ServiceError, ServiceResult, services};
use crate::wire::error::AppError;
use leptos::prelude::*;

/// The server-function form of a service error: the error, status and
/// `Retry-After` of [`ServiceError::public`] (the REST API's mapping too).
pub fn server_error(e: ServiceError) -> AppError {
    let public = e.public();
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(public.status) {
            response.set_status(status);
        }
        if let Some(seconds) = public.retry_after {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
    }
    public.error
}

/// The server's own fault: the state it should have provided is missing
/// (a wiring bug). Logged; the caller is told only that it failed.
pub fn missing_state() -> AppError {
    tracing::error!("application state missing from the server-function context");
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    AppError::internal()
}

/// The state and acting context of the current server-function call (or
/// server render): the caller's credentials resolved exactly as the REST
/// API resolves them (once per server render).
///
/// Fails when the server did not provide `AppState` (a wiring bug), or the
/// credentials are invalid (an expired or revoked session).
pub async fn ctx_from_request() -> Result<(AppState, Ctx), AppError> {
    once_per_render("ctx", &(), async {
        let state = use_context::<AppState>().ok_or_else(missing_state)?;
        let Some(parts) = use_context::<http::request::Parts>() else {
            return Ok((state, Ctx::anonymous()));
        };
        let mut ctx = ctx_from_parts(&state, &parts).await.map_err(server_error)?;
        if render_shared().is_some() {
            ctx.visible = Some(services::VisibleOnce::default());
        }
        Ok((state, ctx))
    })
    .await
}

/// As [`ctx_from_request`], but a stale, revoked or forged credential
/// counts as none: signing in and out must work whatever cookie the
/// browser still holds.
pub async fn ctx_from_request_ignoring_stale() -> Result<(AppState, Ctx), AppError> {
    let state = use_context::<AppState>().ok_or_else(missing_state)?;
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok((state, Ctx::anonymous()));
    };
    match ctx_from_parts(&state, &parts).await {
        Ok(ctx) => Ok((state, ctx)),
        Err(ServiceError::Unauthenticated(_)) => {
            let ctx = anonymous_ctx(&state, &parts);
            Ok((state, ctx))
        }
        Err(e) => Err(server_error(e)),
    }
}

/// What one server render has already asked for: results by server
/// function and arguments. The router provides a fresh one to every
/// request; only page renders use it.
#[derive(Clone, Default)]
pub struct RenderShared(
    std::sync::Arc<
        std::sync::Mutex<
            std::collections::HashMap<String, std::sync::Arc<dyn std::any::Any + Send + Sync>>,
        >,
    >,
);

/// The current page render's shared results; `None` in a server function
/// called over HTTP (which the router gives a `RenderShared` too, but no
/// page URL): one call per request, and it may write.
fn render_shared() -> Option<RenderShared> {
    use_context::<leptos_router::location::RequestUrl>()?;
    use_context::<RenderShared>()
}

/// `fut`'s result, computed once per server render for `name` and `args`.
/// Leptos builds a page's view more than once while rendering it on the
/// server (first to find the resources it waits on), so a page's
/// resources — and their server functions — are created again each time;
/// the same call within one render shares one result instead of querying
/// the database again. Outside a server render (a server function called
/// over HTTP), `fut` simply runs. Nothing outlives the request.
pub fn once_per_render<'a, T, F, A>(
    name: &str,
    args: &A,
    fut: F,
) -> impl Future<Output = Result<T, AppError>> + Send + use<'a, T, F, A>
where
    A: serde::Serialize + ?Sized,
    T: Clone + Send + Sync + 'static,
    F: Future<Output = Result<T, AppError>> + Send + 'a,
{
    type Cell<T> = tokio::sync::OnceCell<Result<T, AppError>>;
    // Boxed: the caller's future stays small however large `fut` is.
    let fut = Box::pin(fut);
    let cell = render_shared().map(|shared| {
        let key = format!("{name} {}", serde_json::to_string(args).unwrap_or_default());
        let mut map = shared
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = map
            .entry(key)
            .or_insert_with(|| std::sync::Arc::new(Cell::<T>::new()));
        std::sync::Arc::clone(entry).downcast::<Cell<T>>().ok()
    });
    async move {
        match cell.flatten() {
            // The first caller runs its future; the others wait for its
            // result (and if it is dropped first, the next one runs its own).
            Some(cell) => cell.get_or_init(|| fut).await.clone(),
            None => fut.await,
        }
    }
}

/// A page loader's result: `call` with the request's state and acting
/// context (see [`ctx_from_request`]), asked once per server render for
/// `name` and `args` (see [`once_per_render`]), its error as a server
/// function's.
pub async fn read_once<T, A, F, Fut>(name: &str, args: &A, call: F) -> Result<T, AppError>
where
    A: serde::Serialize + ?Sized,
    T: Clone + Send + Sync + 'static,
    F: FnOnce(AppState, Ctx) -> Fut + Send,
    Fut: Future<Output = ServiceResult<T>> + Send,
{
    once_per_render(name, args, async move {
        let (state, ctx) = ctx_from_request().await?;
        call(state, ctx).await.map_err(server_error)
    })
    .await
}

/// Adds a `Set-Cookie` header to the current server-function response.
pub fn set_cookie(value: &str) {
    if let (Some(response), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_page_render_runs_each_call_once_a_server_function_call_every_time() {
        let owner = Owner::new();
        owner.set();
        provide_context(RenderShared::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let call = |n: i32| {
            let runs = Arc::clone(&runs);
            once_per_render("double", &n, async move {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok::<_, AppError>(n * 2)
            })
        };
        // A server function called over HTTP (no page URL): every time.
        assert_eq!(call(1).await, Ok(2));
        assert_eq!(call(1).await, Ok(2));
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        // A page render: once per arguments, however many ask.
        provide_context(leptos_router::location::RequestUrl::new("/overview"));
        let (a, b, c) = tokio::join!(call(1), call(1), call(2));
        assert_eq!((a, b, c), (Ok(2), Ok(2), Ok(4)));
        assert_eq!(call(2).await, Ok(4));
        assert_eq!(runs.load(Ordering::SeqCst), 4);
    }
}
