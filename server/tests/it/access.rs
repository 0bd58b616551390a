//! Identity and access beyond the matrix of `authorization.rs`: what each
//! caller sees, tokens, sign-in throttling,
//! token forgery, revocation and CSRF. Against SQLite and (with
//! `TEST_DATABASE_URL`) PostgreSQL.

use crate::common::{
    Credential, TEST_SECRET, get_as, login, seeded_databases, server_fn_as, spawn, who,
};
use app::backend::auth::session::{self, Claims};
use app::backend::fixtures::DEMO_PASSWORD;
use serde_json::{Value, json};

/// The callers of the matrix, by row.
const CALLERS: [(&str, Option<&str>); 7] = [
    ("anonymous", None),
    ("reporter of a party", Some(who::REPORTER_ACCESSNS)),
    ("reporter of another organisation", Some(who::REPORTER_SNSW)),
    ("manager", Some(who::MANAGER_SC)),
    ("executive (organisation)", Some(who::EXEC_ACCESSNS)),
    ("executive (all)", Some(who::OVERSIGHT)),
    ("admin", Some(who::ADMIN)),
];

async fn tokens(base: &str) -> Vec<(&'static str, Option<String>)> {
    let mut out = Vec::new();
    for (name, email) in CALLERS {
        out.push((
            name,
            match email {
                Some(e) => Some(login(base, e).await),
                None => None,
            },
        ));
    }
    out
}

/// Calls a server function the way the browser does: a form-encoded POST
/// with the session cookie, from this site's own origin.
async fn server_fn(base: &str, path: &str, body: &str, token: Option<&str>) -> (u16, Value) {
    let who = token.map_or(Credential::None, |t| Credential::Session(t.to_owned()));
    server_fn_as(base, &format!("/sfn/{path}"), body, &who).await
}

async fn agreement_id(base: &str, token: &str, reference: &str) -> i64 {
    let (_, body) = get_as(
        &format!("{base}/api/v1/agreements?q={reference}"),
        Some(token),
    )
    .await;
    body["items"][0]["id"].as_i64().expect("agreement id")
}

fn assert_row(what: &str, got: &[(&str, u16)], want: &[u16]) {
    let got_codes: Vec<u16> = got.iter().map(|(_, c)| *c).collect();
    assert_eq!(got_codes, want, "{what}: {got:?}");
}

#[tokio::test]
async fn each_caller_sees_only_the_agreements_of_their_organisation_unless_scope_is_all() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let callers = tokens(&base).await;
        let mut totals = Vec::new();
        for (name, token) in callers.iter().skip(1) {
            let (_, body) = get_as(&format!("{base}/api/v1/agreements"), token.as_deref()).await;
            totals.push((*name, body["total"].as_u64().expect("total")));
        }
        // ACCESSNS is a party to 2 agreements, SNSW to 2, SC to 3; TBS (oversight) sees all.
        let reporter = totals[0].1;
        let other = totals[1].1;
        assert!(reporter > 0 && reporter < 12, "{}: {totals:?}", t.name);
        assert!(other > 0 && other < 12, "{}: {totals:?}", t.name);
        assert_eq!(
            totals[4].1, 12,
            "{}: oversight sees all: {totals:?}",
            t.name
        );
        assert_eq!(totals[5].1, 12, "{}: admin sees all: {totals:?}", t.name);
        // Every agreement a reporter sees has their organisation as a party.
        let (_, me) = get_as(&format!("{base}/api/v1/me"), callers[1].1.as_deref()).await;
        let (_, mine) = get_as(
            &format!("{base}/api/v1/agreements"),
            callers[1].1.as_deref(),
        )
        .await;
        for a in mine["items"].as_array().expect("items") {
            assert!(
                a["parties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["organisation_id"] == me["organisation_id"]),
                "{}: {} is not theirs",
                t.name,
                a["reference"]
            );
        }
    }
}

/// The whole matrix of routes and callers is in `authorization.rs`; these
/// are the answers it cannot show by status alone.
#[tokio::test]
async fn server_functions_hide_what_is_not_visible_and_grant_only_what_the_role_allows() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let callers = tokens(&base).await;
        let admin = callers[6].1.clone().expect("admin");
        let shared = agreement_id(&base, &admin, "AGR-2023-0001").await;

        // An agreement another organisation cannot see reads as nothing at all.
        let (status, body) = server_fn(
            &base,
            "agreements/get",
            &format!("id={shared}"),
            callers[2].1.as_deref(),
        )
        .await;
        assert_eq!((status, body), (200, Value::Null), "{}", t.name);

        // Creating organisations: admins, and managers adding a partner.
        let mut got = Vec::new();
        for (i, (name, token)) in callers.iter().enumerate() {
            let body = format!(
                "params[code]=NEW{i}&params[name]=New+partner+{i}&params[kind]=community_organisation"
            );
            let (status, _) =
                server_fn(&base, "admin/organisations/create", &body, token.as_deref()).await;
            got.push((*name, status));
        }
        assert_row(
            &format!("{}: admin/organisations/create", t.name),
            &got,
            &[401, 403, 403, 200, 403, 403, 200],
        );

        // API tokens: a manager issues them for their own organisation
        // only — a token acts for its organisation, and naming one as a
        // party does not make a manager its keeper.
        let manager = callers[3].1.as_deref();
        let issue = |org: &str| {
            format!("params[organisation_code]={org}&params[name]=Case+system&params[days]=30")
        };
        let (own, _) = server_fn(&base, "admin/tokens/issue", &issue("SC"), manager).await;
        assert_eq!(own, 200, "{}: their own organisation", t.name);
        let (partner, _) =
            server_fn(&base, "admin/tokens/issue", &issue("ACCESSNS"), manager).await;
        let (stranger, _) = server_fn(&base, "admin/tokens/issue", &issue("SNSW"), manager).await;
        let (reporter, _) = server_fn(
            &base,
            "admin/tokens/issue",
            &issue("ACCESSNS"),
            callers[1].1.as_deref(),
        )
        .await;
        assert_eq!((partner, stranger, reporter), (403, 403, 403), "{}", t.name);
    }
}

/// A server function fails with the error of API.md's shape — code,
/// message and each field's problem — so that a form shows every problem
/// beside its field; a taken code is a 409 naming the field, and arguments
/// that do not parse are a 400 in the same shape.
#[tokio::test]
async fn server_functions_fail_with_the_code_message_and_field_details() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let callers = tokens(&base).await;
        let admin = callers[6].1.as_deref();

        let (status, body) = server_fn(
            &base,
            "admin/users/create",
            "params[email]=not-an-email&params[display_name]=A&params[role]=manager&params[scope]=organisation&params[organisation_code]=SC&params[password]=long-enough-password",
            admin,
        )
        .await;
        assert_eq!(status, 422, "{}: {body}", t.name);
        assert_eq!(body["code"], "validation_failed", "{}: {body}", t.name);
        assert_eq!(body["details"][0]["field"], "email", "{}: {body}", t.name);
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));

        let org = "params[code]=SC&params[name]=Again&params[kind]=community_organisation";
        let (status, body) = server_fn(&base, "admin/organisations/create", org, admin).await;
        assert_eq!(
            (status, &body["code"]),
            (409, &json!("conflict")),
            "{}: {body}",
            t.name
        );
        assert!(
            body["message"].as_str().is_some_and(|m| m.contains("code")),
            "{}: {body}",
            t.name
        );

        let (status, body) = server_fn(&base, "admin/tokens/issue", "params[days]=x", admin).await;
        assert_eq!(
            (status, &body["code"]),
            (400, &json!("bad_request")),
            "{}: {body}",
            t.name
        );
    }
}

#[tokio::test]
async fn an_api_token_reaches_nothing_but_its_organisations_reports() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let (status, issued) = server_fn(
            &base,
            "admin/tokens/issue",
            "params[organisation_code]=ACCESSNS&params[name]=Case+system&params[days]=30",
            Some(&admin),
        )
        .await;
        assert_eq!(status, 200, "{issued}");
        let token = issued["token"].as_str().expect("token").to_owned();
        assert!(token.starts_with("cnc_"));
        for path in [
            "/api/v1/agreements",
            "/api/v1/organisations",
            "/api/v1/me",
            "/api/v1/audit",
        ] {
            let (status, _) = get_as(&format!("{base}{path}"), Some(&token)).await;
            assert_eq!(status, 403, "{}: {path}", t.name);
        }
        // Of an agreement it is party to, it reads the compliance of its own
        // organisation's commitments, not the others', nor the books.
        let id = agreement_id(&base, &admin, "AGR-2023-0001").await;
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&admin)).await;
        let ours = a["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "ACCESSNS")
            .expect("ACCESSNS")["organisation_id"]
            .clone();
        let mine: Vec<Value> = a["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["organisation_id"] == ours)
            .map(|c| c["id"].clone())
            .collect();
        assert!(mine.len() < a["commitments"].as_array().unwrap().len());
        let (status, comp) = get_as(
            &format!("{base}/api/v1/agreements/{id}/compliance"),
            Some(&token),
        )
        .await;
        assert_eq!(status, 200, "{}: {comp}", t.name);
        let items = comp["items"].as_array().unwrap();
        assert!(!items.is_empty());
        assert!(
            items.iter().all(|i| mine.contains(&i["commitment_id"])),
            "{}: another organisation's commitment",
            t.name
        );
        for path in ["reconciliation?period=2026-Q2", "ledger"] {
            let (status, _) = get_as(
                &format!("{base}/api/v1/agreements/{id}/{path}"),
                Some(&token),
            )
            .await;
            assert_eq!(status, 403, "{}: {path}", t.name);
        }
        // Its last use is kept (to the minute).
        let (_, list) = server_fn(&base, "admin/tokens/list", "", Some(&admin)).await;
        let id = issued["api_token"]["id"].as_i64().expect("id");
        let row = list
            .as_array()
            .expect("tokens")
            .iter()
            .find(|k| k["id"] == json!(id))
            .cloned()
            .expect("the token is listed");
        assert!(row["last_used_at"].is_string(), "{}: {row}", t.name);
        // A partner's manager may not revoke it.
        let (status, _) = server_fn(
            &base,
            "admin/tokens/revoke",
            &format!("id={id}"),
            Some(&login(&base, "manager@novascotia.example").await),
        )
        .await;
        assert_eq!(status, 404, "{}", t.name);
        // Revoked: the token stops working at once.
        let (status, _) = server_fn(
            &base,
            "admin/tokens/revoke",
            &format!("id={id}"),
            Some(&admin),
        )
        .await;
        assert_eq!(status, 200);
        let (status, body) = get_as(&format!("{base}/api/v1/agreements"), Some(&token)).await;
        assert_eq!(status, 401, "{}", t.name);
        assert_eq!(body["error"]["code"], "unauthenticated");
    }
}

#[tokio::test]
async fn login_answers_as_api_md_says_and_a_wrong_email_reads_like_a_wrong_password() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let client = crate::common::client();
        let post = |body: Value| {
            client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&body)
                .send()
        };

        let ok: Value = post(json!({"email": who::MANAGER_SC, "password": DEMO_PASSWORD}))
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        assert_eq!(ok["token_type"], "Bearer");
        assert!(ok["expires_in"].as_i64().unwrap() > 0);
        assert_eq!(ok["user"]["email"], who::MANAGER_SC);
        assert_eq!(ok["user"]["role"], "manager");
        assert_eq!(ok["user"]["scope"], "organisation");
        assert!(ok["user"]["organisation_id"].is_i64());

        let wrong_password =
            post(json!({"email": who::MANAGER_SC, "password": "not the password"}))
                .await
                .expect("r");
        let wrong_email =
            post(json!({"email": "nobody@concord.example", "password": DEMO_PASSWORD}))
                .await
                .expect("r");
        assert_eq!(wrong_password.status(), 401);
        assert_eq!(wrong_email.status(), 401);
        let a: Value = wrong_password.json().await.expect("json");
        let b: Value = wrong_email.json().await.expect("json");
        assert_eq!(a, b, "{}: the two answers must not differ", t.name);

        let malformed = client
            .post(format!("{base}/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body("{\"email\": ")
            .send()
            .await
            .expect("r");
        assert_eq!(malformed.status(), 400);
        let wrong_type = post(json!({"email": 5, "password": []})).await.expect("r");
        assert_eq!(wrong_type.status(), 400);
    }
}

#[tokio::test]
async fn five_failures_lock_the_account_for_everyone_and_are_audited() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let client = crate::common::client();
        let attempt = |email: &'static str, password: &'static str| {
            client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": email, "password": password}))
                .send()
        };
        for _ in 0..4 {
            assert_eq!(
                attempt(who::REPORTER_SNSW, "wrong password!")
                    .await
                    .expect("r")
                    .status(),
                401
            );
        }
        // The fifth failure locks the account…
        assert_eq!(
            attempt(who::REPORTER_SNSW, "wrong password!")
                .await
                .expect("r")
                .status(),
            429
        );
        // …so even the right password is refused for now,
        let locked = attempt(who::REPORTER_SNSW, DEMO_PASSWORD).await.expect("r");
        assert_eq!(locked.status(), 429);
        let body: Value = locked.json().await.expect("json");
        assert_eq!(body["error"]["code"], "too_many_requests");
        // while another account signs in as usual.
        assert_eq!(
            attempt(who::REPORTER_ACCESSNS, DEMO_PASSWORD)
                .await
                .expect("r")
                .status(),
            200
        );

        let admin = login(&base, who::ADMIN).await;
        let (_, audit) = get_as(
            &format!("{base}/api/v1/audit?action=auth.login_failed"),
            Some(&admin),
        )
        .await;
        assert_eq!(audit["total"], 5, "{}: {audit}", t.name);
        let first = &audit["items"][0];
        for field in [
            "id",
            "at",
            "actor_id",
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
        ] {
            assert!(
                first.get(field).is_some(),
                "{}: audit item lacks {field}",
                t.name
            );
        }

        // An admin unlocks it.
        let (_, users) = server_fn(&base, "admin/users/list", "", Some(&admin)).await;
        let id = users
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["email"] == who::REPORTER_SNSW)
            .expect("user")["id"]
            .as_i64()
            .expect("id");
        assert!(
            users
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["email"] == who::REPORTER_SNSW && u["locked_until"].is_string())
        );
        let (status, _) = server_fn(
            &base,
            "admin/users/unlock",
            &format!("id={id}"),
            Some(&admin),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            attempt(who::REPORTER_SNSW, DEMO_PASSWORD)
                .await
                .expect("r")
                .status(),
            200
        );
    }
}

fn forged(secret: &[u8], exp_offset: i64, sub: &str) -> String {
    let now = app::clock::now().timestamp();
    session::encode(
        secret,
        &Claims {
            sub: sub.to_owned(),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now - 10,
            exp: now + exp_offset,
            role: "admin".into(),
            scope: "all".into(),
            org: 1,
        },
    )
    .expect("encode")
}

#[tokio::test]
async fn forged_expired_malformed_and_revoked_tokens_are_refused_with_401() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let good = login(&base, who::ADMIN).await;
        let (_, me) = get_as(&format!("{base}/api/v1/me"), Some(&good)).await;
        assert_eq!(me["email"], who::ADMIN);
        // The subject of a real token, to forge around it.
        let claims_b64 = good.split('.').nth(1).expect("payload");
        let sub = {
            let real = session::decode(TEST_SECRET, &good).expect("decode");
            assert!(!claims_b64.is_empty());
            real.sub
        };
        let header_none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
        let mut tampered = good.clone();
        let last = tampered.pop().expect("char");
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        let cases = [
            (
                "wrong key",
                forged(b"another secret of thirty-two bytes!!", 600, &sub),
            ),
            ("expired by one second", forged(TEST_SECRET, -1, &sub)),
            ("alg none", format!("{header_none}.{claims_b64}.")),
            ("tampered signature", tampered),
            ("malformed", "not-a-token".to_owned()),
            ("unknown api token", "cnc_0123456789abcdef".to_owned()),
        ];
        for (what, token) in cases {
            let (status, body) = get_as(&format!("{base}/api/v1/me"), Some(&token)).await;
            assert_eq!(status, 401, "{}: {what}", t.name);
            assert_eq!(
                body["error"]["code"], "unauthenticated",
                "{}: {what}",
                t.name
            );
        }

        // Logout revokes the token at once.
        let r = crate::common::client()
            .post(format!("{base}/api/v1/auth/logout"))
            .bearer_auth(&good)
            .send()
            .await
            .expect("logout");
        assert_eq!(r.status(), 204);
        let (status, _) = get_as(&format!("{base}/api/v1/me"), Some(&good)).await;
        assert_eq!(status, 401, "{}: revoked", t.name);
    }
}

#[tokio::test]
async fn cookie_authenticated_writes_from_another_origin_are_refused() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::ADMIN).await;
        let client = crate::common::client();
        let call = |origin: Option<&str>| {
            let mut req = client
                .post(format!("{base}/sfn/admin/users/list"))
                .header("cookie", format!("concord_session={token}"))
                .header("content-type", "application/x-www-form-urlencoded");
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            req.send()
        };
        assert_eq!(
            call(Some("https://evil.example"))
                .await
                .expect("r")
                .status(),
            403,
            "{}",
            t.name
        );
        assert_eq!(call(None).await.expect("r").status(), 403, "{}", t.name);
        assert_eq!(
            call(Some(&base)).await.expect("r").status(),
            200,
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn a_sign_in_posted_from_another_site_is_refused() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let body = format!(
            "email={}&password={DEMO_PASSWORD}",
            who::MANAGER_SC.replace('@', "%40")
        );
        let post = |origin: Option<&str>| {
            let mut req = crate::common::client()
                .post(format!("{base}/sfn/auth/sign-in"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone());
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            req.send()
        };
        let status = |r: reqwest::Response| r.status().as_u16();
        assert_eq!(
            status(post(Some("https://evil.example")).await.unwrap()),
            403,
            "{}",
            t.name
        );
        assert_eq!(status(post(None).await.unwrap()), 403, "{}", t.name);
        assert_eq!(status(post(Some(&base)).await.unwrap()), 200, "{}", t.name);
    }
}

#[tokio::test]
async fn signing_in_and_out_work_with_a_revoked_cookie_still_in_the_browser() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let stale = login(&base, who::MANAGER_SC).await;
        let (status, _) = server_fn(&base, "auth/sign-out", "", Some(&stale)).await;
        assert_eq!(status, 200, "{}", t.name);
        let body = format!(
            "email={}&password={DEMO_PASSWORD}",
            who::MANAGER_SC.replace('@', "%40")
        );
        let (status, user) = server_fn(&base, "auth/sign-in", &body, Some(&stale)).await;
        assert_eq!(status, 200, "{}: {user}", t.name);
        let r = crate::common::client()
            .post(format!("{base}/sfn/auth/sign-out"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &base)
            .header("cookie", format!("concord_session={stale}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", t.name);
        let cleared = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cleared.contains("Max-Age=0"), "{}: {cleared}", t.name);
    }
}

#[tokio::test]
async fn only_the_latest_reset_link_works_once_and_a_password_change_ends_it() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let manager = login(&base, who::MANAGER_SC).await;
        let (_, me) = get_as(&format!("{base}/api/v1/me"), Some(&manager)).await;
        let id = me["id"].as_i64().expect("id");
        let older = reset_link(&base, &admin, id).await;
        let newer = reset_link(&base, &admin, id).await;
        assert_ne!(
            reset_with(&base, older, "a-new-long-passphrase-1").await,
            200,
            "{}: an older link",
            t.name
        );
        assert_eq!(
            reset_with(&base, newer.clone(), "a-new-long-passphrase-2").await,
            200,
            "{}",
            t.name
        );
        assert_ne!(
            reset_with(&base, newer, "a-new-long-passphrase-3").await,
            200,
            "{}: used",
            t.name
        );

        let open = reset_link(&base, &admin, id).await;
        let signed_in = login_with(&base, who::MANAGER_SC, "a-new-long-passphrase-2").await;
        let (status, body) = server_fn(
            &base,
            "auth/change-password",
            "current=a-new-long-passphrase-2&new_password=a-new-long-passphrase-4",
            Some(&signed_in),
        )
        .await;
        assert_eq!(status, 200, "{}: {body}", t.name);
        assert_ne!(
            reset_with(&base, open, "a-new-long-passphrase-5").await,
            200,
            "{}: ended by the change",
            t.name
        );
    }
}

/// A reset link's token for user `id`, issued by `admin`.
async fn reset_link(base: &str, admin: &str, id: i64) -> String {
    let (status, v) = server_fn(
        base,
        "admin/users/reset-link",
        &format!("id={id}"),
        Some(admin),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    v["path"]
        .as_str()
        .and_then(|p| p.split("token=").nth(1))
        .expect("token")
        .to_owned()
}

/// The status of setting `password` with reset token `token`.
async fn reset_with(base: &str, token: String, password: &str) -> u16 {
    server_fn(
        base,
        "auth/reset-password",
        &format!("token={token}&new_password={password}"),
        None,
    )
    .await
    .0
}

async fn login_with(base: &str, email: &str, password: &str) -> String {
    let r = crate::common::client()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    v["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_browser_session_cookie_is_http_only_and_strict() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let r = crate::common::client()
            .post(format!("{base}/sfn/auth/sign-in"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &base)
            .body(format!(
                "email={}&password={DEMO_PASSWORD}",
                who::MANAGER_SC.replace('@', "%40")
            ))
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status(), 200, "{}", t.name);
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_owned();
        assert!(cookie.starts_with("concord_session="), "{cookie}");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
    }
}

#[tokio::test]
async fn pages_that_need_a_user_send_anonymous_visitors_to_sign_in_and_back() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("accept", "text/html".parse().expect("header"));
        let client = reqwest::Client::builder()
            .timeout(crate::common::REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client");
        let r = client
            .get(format!("{base}/organisations"))
            .send()
            .await
            .expect("r");
        assert_eq!(r.status().as_u16(), 302, "{}", t.name);
        assert_eq!(r.headers()["location"], "/sign-in?next=/organisations");

        let token = login(&base, who::REPORTER_ACCESSNS).await;
        let page = client
            .get(format!("{base}/admin/users"))
            .header("cookie", format!("concord_session={token}"))
            .send()
            .await
            .expect("r");
        assert_eq!(
            page.status().as_u16(),
            403,
            "{}: a reporter on an admin page",
            t.name
        );
        let ok = client
            .get(format!("{base}/organisations"))
            .header("cookie", format!("concord_session={token}"))
            .send()
            .await
            .expect("r");
        assert_eq!(ok.status().as_u16(), 200);
        assert!(ok.text().await.expect("html").contains("ACCESSNS"));
    }
}

#[tokio::test]
async fn a_server_function_given_malformed_arguments_answers_400_not_500() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let (status, _) = server_fn(&base, "admin/users/unlock", "id=abc", Some(&admin)).await;
        assert_eq!(status, 400, "{}", t.name);
        let (status, _) = server_fn(&base, "admin/users/unlock", "id=99999", Some(&admin)).await;
        assert_eq!(status, 404, "{}", t.name);
    }
}

/// A code or email already taken is a 409 naming it — decided by the
/// database's unique constraint, so two requests racing for one code get
/// one success and one 409, never a 500.
#[tokio::test]
async fn a_taken_code_or_email_is_a_409_even_when_two_requests_race() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let org = |code: &str| {
            format!(
                "params[code]={code}&params[name]=Partner+{code}&params[kind]=community_organisation"
            )
        };
        let (status, body) = server_fn(
            &base,
            "admin/organisations/create",
            &org("ACCESSNS"),
            Some(&admin),
        )
        .await;
        assert_eq!(status, 409, "{}: {body}", t.name);
        assert!(
            body.to_string().contains("already has this code"),
            "{}: {body}",
            t.name
        );
        let user = "params[email]=reporter%40accessns.example&params[display_name]=X&params[role]=reporter&params[scope]=organisation&params[organisation_code]=ACCESSNS&params[password]=a+password+long+enough";
        let (status, body) = server_fn(&base, "admin/users/create", user, Some(&admin)).await;
        assert_eq!(status, 409, "{}: {body}", t.name);
        assert!(body.to_string().contains("email"), "{}: {body}", t.name);

        let race = org("RACE1");
        let (a, b) = tokio::join!(
            server_fn(&base, "admin/organisations/create", &race, Some(&admin)),
            server_fn(&base, "admin/organisations/create", &race, Some(&admin)),
        );
        let mut got = [a.0, b.0];
        got.sort_unstable();
        assert_eq!(got, [200, 409], "{}: {a:?} {b:?}", t.name);
    }
}
