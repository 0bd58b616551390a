//! The REST API, `/healthz`, headers and limits, through the real router on
//! a real port, against SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.

use crate::common::{get_as, login, seeded_databases, spawn, who};
use serde_json::Value;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let (status, body) = get_as(&format!("{base}/healthz"), None).await;
        assert_eq!(status, 200);
        assert_eq!(body, serde_json::json!({"status": "ok"}));
    }
}

#[tokio::test]
async fn organisations_are_listed_with_kind_sector_and_jurisdiction() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let (status, body) = get_as(
            &format!("{base}/api/v1/organisations?limit=1000"),
            Some(&token),
        )
        .await;
        assert_eq!(status, 200, "{}", t.name);
        assert_eq!(body["total"], 44);
        let items = body["items"].as_array().expect("items");
        let esdc = items.iter().find(|o| o["code"] == "ESDC").expect("ESDC");
        assert_eq!(esdc["kind"], "ministry");
        assert_eq!(esdc["sector"], "public");
        assert_eq!(esdc["jurisdiction"]["code"], "CA");
        assert!(items.iter().any(|o| o["sector"] == "community"));
        assert!(
            items
                .iter()
                .any(|o| o["sector"] == "private" && o["jurisdiction"].is_null())
        );
    }
}

#[tokio::test]
async fn the_agreement_list_filters_by_structure_boundary_status_and_text() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let (_, all) = get_as(&format!("{base}/api/v1/agreements"), Some(&token)).await;
        assert_eq!(all["total"], 12, "{}", t.name);

        let (_, co) = get_as(
            &format!("{base}/api/v1/agreements?structure=co_located"),
            Some(&token),
        )
        .await;
        let co = co["items"].as_array().expect("items").clone();
        assert!(!co.is_empty());
        assert!(co.iter().all(|a| a["structure"] == "co_located"));

        let (_, sectoral) = get_as(
            &format!("{base}/api/v1/agreements?boundary=sectoral&status=active"),
            Some(&token),
        )
        .await;
        for a in sectoral["items"].as_array().expect("items") {
            assert!(
                a["boundaries"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from("sectoral"))
            );
            assert_eq!(a["status"], "active");
        }

        // Text matches title, reference or a party's name.
        let (_, by_party) = get_as(
            &format!("{base}/api/v1/agreements?q=canada%20post"),
            Some(&token),
        )
        .await;
        assert!(by_party["total"].as_u64().unwrap() >= 1);
        let (_, by_ref) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
            Some(&token),
        )
        .await;
        assert_eq!(by_ref["total"], 1);
        assert_eq!(by_ref["items"][0]["reference"], "AGR-2023-0001");

        let (_, page) = get_as(
            &format!("{base}/api/v1/agreements?limit=5&offset=10"),
            Some(&token),
        )
        .await;
        assert_eq!(page["total"], 12);
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn an_unknown_filter_value_is_a_400_naming_the_allowed_ones() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let (status, body) = get_as(
            &format!("{base}/api/v1/agreements?structure=hub"),
            Some(&token),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "bad_request");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("co_located")
        );
        let (status, _) =
            get_as(&format!("{base}/api/v1/agreements?limit=abc"), Some(&token)).await;
        assert_eq!(status, 400);
        let (status, _) = get_as(&format!("{base}/api/v1/agreements?limit=0"), Some(&token)).await;
        assert_eq!(status, 400);
    }
}

#[tokio::test]
async fn one_agreement_carries_its_terms_parties_boundaries_and_commitments() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
            Some(&token),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().expect("id");
        let (status, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&token)).await;
        assert_eq!(status, 200, "{}", t.name);
        assert_eq!(a["reference"], "AGR-2023-0001");
        assert_eq!(a["version"], 1);
        assert_eq!(a["status"], "active");
        assert_eq!(a["currency"], "CAD");
        let parties = a["parties"].as_array().expect("parties");
        assert_eq!(parties.iter().filter(|p| p["role"] == "lead").count(), 1);
        assert_eq!(
            a["boundaries"],
            serde_json::json!(["ministerial", "jurisdictional"])
        );
        assert!(!a["services"].as_array().unwrap().is_empty());
        assert!(!a["commitments"].as_array().unwrap().is_empty());
        assert!(a["approvals"].is_array());
        let model = &a["cost_model"];
        assert_eq!(model["kind"], "hybrid");
        // Money keeps exactly the currency's minor digits.
        assert!(
            model["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["floor"] == "25000.00")
        );
    }
}

#[tokio::test]
async fn an_unknown_agreement_is_a_404_and_a_bad_id_a_400() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let (status, body) = get_as(&format!("{base}/api/v1/agreements/99999"), Some(&token)).await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = get_as(&format!("{base}/api/v1/agreements/abc"), Some(&token)).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "bad_request");
        let (status, _) = get_as(&format!("{base}/api/v1/nothing-here"), Some(&token)).await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        for path in [
            "/healthz",
            "/api/v1/agreements",
            "/",
            "/agreements/1",
            "/no-such-page",
            "/api/v1/nope",
        ] {
            let r = crate::common::client()
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("request");
            let h = r.headers();
            let csp = h
                .get("content-security-policy")
                .unwrap_or_else(|| panic!("{path}: no CSP"));
            assert!(
                csp.to_str().unwrap().contains("frame-ancestors 'none'"),
                "{path}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert!(h.contains_key("referrer-policy"), "{path}");
            assert!(h.contains_key("x-request-id"), "{path}");
        }
    }
}

#[tokio::test]
async fn a_page_allows_exactly_its_own_hydration_script() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let r = crate::common::client()
            .get(format!("{base}/"))
            .header("cookie", format!("concord_session={token}"))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 200);
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = r.text().await.expect("html");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .expect("a nonce");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the hydration script carries the nonce"
        );
        assert!(!csp.contains("unsafe-inline"));
        // Server-rendered with real data.
        assert!(html.contains("AGR-2023-0001"));
    }
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_with_413_in_the_error_shape() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let client = crate::common::client();
        let big = vec![b' '; 1024 * 1024 + 1];
        let r = client
            .post(format!("{base}/api/v1/agreements"))
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status().as_u16(), 413);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"]["code"], "payload_too_large");
    }
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_gzip() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let r = crate::common::client()
            .get(format!("{base}/api/v1/agreements"))
            .bearer_auth(&token)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("request");
        assert_eq!(
            r.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            Some("gzip")
        );
    }
}

#[tokio::test]
async fn the_portfolio_page_is_server_rendered_in_french_when_the_cookie_asks() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let html = crate::common::client()
            .get(format!("{base}/"))
            .header("cookie", format!("lang=fr; concord_session={token}"))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("html");
        assert!(html.contains("Portefeuille de partenariats"));
        assert!(html.contains("lang=\"fr\""));
    }
}

#[tokio::test]
async fn the_openapi_document_is_public_and_describes_every_endpoint() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let (status, doc) = get_as(&format!("{base}/api/v1/openapi.json"), None).await;
        assert_eq!(status, 200);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().expect("paths");
        for (method, path) in [
            ("get", "/healthz"),
            ("post", "/api/v1/auth/login"),
            ("post", "/api/v1/auth/logout"),
            ("get", "/api/v1/me"),
            ("get", "/api/v1/audit"),
            ("get", "/api/v1/organisations"),
            ("get", "/api/v1/agreements"),
            ("get", "/api/v1/agreements/{id}"),
            ("put", "/api/v1/agreements/{id}"),
            ("post", "/api/v1/agreements/{id}/approvals"),
            ("get", "/api/v1/agreements/{id}/export/ocds"),
            ("post", "/api/v1/cost-sharing/simulate"),
        ] {
            let op = &paths
                .get(path)
                .unwrap_or_else(|| panic!("{path} is not described"))[method];
            assert!(op.is_object(), "{method} {path} is not described");
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}: no responses"
            );
        }
        // Every route of the router is described, with its method.
        for (method, path) in server::rest::route_table() {
            if path == "/openapi.json" {
                continue;
            }
            let full = format!("/api/v1{path}");
            let method = method.as_str().to_ascii_lowercase();
            assert!(
                paths.get(&full).is_some_and(|p| p[&method].is_object()),
                "{method} {full} is routed but not described"
            );
        }
        // Every described path is a real route (no stale entries): each
        // answers something other than the API's own 404 for unknown paths.
        for path in paths.keys() {
            let url = format!("{base}{}", path.replace("{id}", "1"));
            let r = crate::common::client()
                .get(&url)
                .send()
                .await
                .expect("request");
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_ne!(
                body["error"]["message"], "There is nothing here.",
                "{path} is described but not routed"
            );
        }
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for s in [
            "AgreementView",
            "AgreementSummary",
            "OrganisationView",
            "UserView",
            "ErrorBody",
            "Structure",
        ] {
            assert!(schemas.contains_key(s), "schema {s} missing");
        }
    }
}

#[tokio::test]
async fn the_simulator_splits_the_api_md_example_and_refuses_bad_money() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let token = login(&base, who::OVERSIGHT).await;
        let client = crate::common::client();
        let post = |body: Value| {
            client
                .post(format!("{base}/api/v1/cost-sharing/simulate"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let example = serde_json::json!({"currency": "CAD", "total_cost": "100000.00",
            "model": {"kind": "hybrid", "fixed_portion": "40",
                      "channel_weights": {"in_person": "8", "online": "1"},
                      "lines": [{"organisation_id": 3, "percent": "60", "cap": null, "floor": null},
                                {"organisation_id": 7, "percent": "40", "cap": null, "floor": null}]},
            "volumes": [{"organisation_id": 3, "channel": "online", "count": 1200},
                        {"organisation_id": 7, "channel": "in_person", "count": 100}]});
        let r = post(example.clone()).await.expect("request");
        assert_eq!(r.status(), 200, "{}", t.name);
        let body: Value = r.json().await.expect("json");
        assert_eq!(
            body,
            serde_json::json!({"currency": "CAD", "total": "100000.00",
            "shares": [{"organisation_id": 3, "amount": "60000.00"}, {"organisation_id": 7, "amount": "40000.00"}]})
        );

        // More digits than the currency allows: refused, never rounded.
        let mut bad = example.clone();
        bad["total_cost"] = serde_json::json!("100000.005");
        let r = post(bad).await.expect("request");
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"]["details"][0]["field"], "total_cost");
        // Percentages not summing to 100.
        let mut bad = example.clone();
        bad["model"]["lines"][1]["percent"] = serde_json::json!("39");
        assert_eq!(post(bad).await.expect("request").status(), 422);
        // An unknown kind is a 400; anonymous callers a 401.
        let mut bad = example.clone();
        bad["model"]["kind"] = serde_json::json!("lottery");
        assert_eq!(post(bad).await.expect("request").status(), 400);
        let anon = crate::common::client()
            .post(format!("{base}/api/v1/cost-sharing/simulate"))
            .json(&example)
            .send()
            .await
            .expect("request");
        assert_eq!(anon.status(), 401);
    }
}
