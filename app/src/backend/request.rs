//! The acting context of an HTTP request — who calls (from the session
//! cookie, a bearer session or an API token), from which address, under
//! which request id — for the REST API and the server functions alike.

use super::{AppState, Ctx, ServiceResult, auth};

/// The acting context of a request: its actor, address and request id.
///
/// Fails with `Unauthenticated` for invalid credentials.
pub async fn ctx_from_parts(state: &AppState, parts: &http::request::Parts) -> ServiceResult<Ctx> {
    let actor = auth::resolve(&state.db, &state.auth, &parts.headers).await?;
    Ok(Ctx {
        actor,
        ..anonymous_ctx(state, parts)
    })
}

/// The context of a request that acts as no one, with its address and
/// request id.
pub(crate) fn anonymous_ctx(state: &AppState, parts: &http::request::Parts) -> Ctx {
    Ctx {
        visible: None,
        cache: Some(state.cache.for_request()),
        actor: None,
        system: false,
        ip: client_ip(parts, &state.auth.trusted_proxies),
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

/// The address a request comes from, used to throttle sign-ins per
/// address: the connection's peer (`ConnectInfo`) or, when that peer is a
/// trusted proxy, the nearest address in `X-Forwarded-For` that is not one.
fn client_ip(parts: &http::request::Parts, trusted: &[std::net::IpAddr]) -> Option<String> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())?;
    Some(forwarded_client(peer, &parts.headers, trusted).to_string())
}

/// The client behind `peer`: `peer` itself unless it is in `trusted`; then,
/// reading `X-Forwarded-For` from the right, the first address not in
/// `trusted` (a client cannot choose what a trusted proxy appended).
fn forwarded_client(
    peer: std::net::IpAddr,
    headers: &http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<std::net::IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    hops.into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;

    #[test]
    fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let proxy = ip("10.0.0.2");
        let mut headers = http::HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        // From a stranger the header means nothing.
        assert_eq!(
            forwarded_client(ip("198.51.100.1"), &headers, &[proxy]),
            ip("198.51.100.1")
        );
        // From the proxy, the address it appended (the client's forged
        // entries to its left are not believed).
        assert_eq!(
            forwarded_client(proxy, &headers, &[proxy]),
            ip("203.0.113.7")
        );
        // No trusted proxies: the peer, always.
        assert_eq!(forwarded_client(proxy, &headers, &[]), proxy);
        // A malformed header: the peer.
        headers.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(forwarded_client(proxy, &headers, &[proxy]), proxy);
    }
}
