//! The life-event catalogue kept by admins (issue 21): `GET`, `POST
//! /api/v1/life-events` and `PATCH /api/v1/life-events/{id}` — stable
//! codes, names in both languages, every change audited, and nobody but
//! an admin changing anything. On SQLite and (with `TEST_DATABASE_URL`)
//! PostgreSQL.

use crate::common::{
    Credential, count, get_as, login, post_as, seeded_databases, server_fn_as, spawn, who,
};
use serde_json::{Value, json};

/// PATCHes `body` to `path` with a bearer token (none when `token` is
/// `None`); the status and the JSON answer.
async fn patch_as(base: &str, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = crate::common::client()
        .patch(format!("{base}{path}"))
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The catalogue as `token` reads it, by code.
async fn catalogue(base: &str, token: &str) -> Vec<Value> {
    let (status, list) = get_as(&format!("{base}/api/v1/life-events"), Some(token)).await;
    assert_eq!(status, 200, "{list}");
    let items = list["items"].as_array().expect("items").clone();
    assert_eq!(list["total"], items.len());
    items
}

/// The field a 422 names.
fn field(body: &Value) -> &Value {
    &body["error"]["details"][0]["field"]
}

#[tokio::test]
async fn an_admin_adds_and_renames_a_life_event_and_each_change_is_audited() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let manager = login(&base, who::MANAGER_SC).await;

        // Anyone signed in reads the catalogue, by code, with how many
        // agreements cover each life event.
        let before = catalogue(&base, &manager).await;
        let codes: Vec<&str> = before.iter().map(|e| e["code"].as_str().unwrap()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "{}", t.name);
        let death = before.iter().find(|e| e["code"] == "death").expect("death");
        assert_eq!(death["name"], "Death of a loved one", "{}", t.name);
        assert!(
            death["agreements"].as_u64().unwrap() > 0,
            "{}: {death}",
            t.name
        );

        // Added, with both names.
        let (s, added) = post_as(
            &base,
            "/api/v1/life-events",
            &admin,
            json!({"code": "adoption", "name": "Adoption", "name_fr": "Adoption"}),
        )
        .await;
        assert_eq!(s, 201, "{}: {added}", t.name);
        assert_eq!(added["code"], "adoption");
        assert_eq!(added["agreements"], 0);
        let id = added["id"].as_i64().unwrap();
        let after = catalogue(&base, &manager).await;
        assert_eq!(after.len(), before.len() + 1, "{}", t.name);
        assert!(after.contains(&added), "{}", t.name);

        // Renamed: the code stays, given or not.
        let path = format!("/api/v1/life-events/{id}");
        let (s, renamed) = patch_as(
            &base,
            &path,
            Some(&admin),
            json!({"name": "Adoption of a child", "name_fr": "Adoption d'un enfant"}),
        )
        .await;
        assert_eq!(s, 200, "{}: {renamed}", t.name);
        assert_eq!(
            renamed,
            json!({"id": id, "code": "adoption", "name": "Adoption of a child",
                   "name_fr": "Adoption d'un enfant", "agreements": 0}),
            "{}",
            t.name
        );
        let (s, same) = patch_as(
            &base,
            &path,
            Some(&admin),
            json!({"code": "adoption", "name": "Adoption of a child", "name_fr": "Adoption d'un enfant"}),
        )
        .await;
        assert_eq!((s, same), (200, renamed.clone()), "{}", t.name);

        // A code never changes; names are required and bounded.
        for (body, wrong) in [
            (json!({"code": "adopting", "name": "Adoption"}), "code"),
            (json!({"name": "  "}), "name"),
            (json!({"name": "x".repeat(201)}), "name"),
            (
                json!({"name": "Adoption", "name_fr": "é".repeat(201)}),
                "name_fr",
            ),
        ] {
            let (s, e) = patch_as(&base, &path, Some(&admin), body.clone()).await;
            assert_eq!(s, 422, "{}: {body}: {e}", t.name);
            assert_eq!(e["error"]["code"], "validation_failed", "{}: {e}", t.name);
            assert_eq!(field(&e), wrong, "{}: {e}", t.name);
        }
        let (s, _) = patch_as(
            &base,
            "/api/v1/life-events/999999",
            Some(&admin),
            json!({"name": "X"}),
        )
        .await;
        assert_eq!(s, 404, "{}", t.name);
        let (s, _) = patch_as(
            &base,
            "/api/v1/life-events/abc",
            Some(&admin),
            json!({"name": "X"}),
        )
        .await;
        assert_eq!(s, 400, "{}", t.name);
        let (_, now) = get_as(&format!("{base}/api/v1/life-events"), Some(&admin)).await;
        let kept = now["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone();
        assert_eq!(
            kept, renamed,
            "{}: a refused rename changed nothing",
            t.name
        );

        // The page's own call: an emptied French name is removed.
        let (s, cleared) = server_fn_as(
            &base,
            "/sfn/admin/life-events/rename",
            &format!("id={id}&params[code]=adoption&params[name]=Adoption&params[name_fr]="),
            &Credential::Session(admin.clone()),
        )
        .await;
        assert_eq!(s, 200, "{}: {cleared}", t.name);
        assert_eq!(cleared["name"], "Adoption", "{}", t.name);
        assert_eq!(cleared["name_fr"], Value::Null, "{}", t.name);

        // Each change is in the audit log, before and after.
        let (s, log) = get_as(
            &format!("{base}/api/v1/audit?entity=life_event"),
            Some(&admin),
        )
        .await;
        assert_eq!(s, 200, "{log}");
        let mut events: Vec<&Value> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["entity_id"] == id)
            .collect();
        events.reverse();
        let actions: Vec<&str> = events
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "life_event.create",
                "life_event.rename",
                "life_event.rename",
                "life_event.rename"
            ],
            "{}: {log}",
            t.name
        );
        assert_eq!(events[0]["after"]["code"], "adoption");
        assert_eq!(events[1]["before"]["name"], "Adoption");
        assert_eq!(events[1]["after"]["name"], "Adoption of a child");
        assert_eq!(events[3]["after"]["name_fr"], Value::Null);
        assert_eq!(events[3]["actor_email"], who::ADMIN);
    }
}

#[tokio::test]
async fn a_bad_code_is_a_422_and_a_taken_code_a_409() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let rows = count(&db, "life_events").await;
        for code in [
            "",
            "a",
            "Adoption",
            "job loss",
            "job-loss",
            "décès",
            &"a".repeat(65),
        ] {
            let (s, e) = post_as(
                &base,
                "/api/v1/life-events",
                &admin,
                json!({"code": code, "name": "Something"}),
            )
            .await;
            assert_eq!(s, 422, "{}: '{code}': {e}", t.name);
            assert_eq!(field(&e), "code", "{}: {e}", t.name);
        }
        let (s, e) = post_as(
            &base,
            "/api/v1/life-events",
            &admin,
            json!({"code": "adoption", "name": ""}),
        )
        .await;
        assert_eq!((s, field(&e)), (422, &json!("name")), "{}: {e}", t.name);
        // A code the demo already has, whatever the names.
        let (s, e) = post_as(
            &base,
            "/api/v1/life-events",
            &admin,
            json!({"code": "death", "name": "Death, again"}),
        )
        .await;
        assert_eq!(s, 409, "{}: {e}", t.name);
        assert_eq!(e["error"]["code"], "conflict", "{}: {e}", t.name);
        assert!(e["error"]["message"].is_string(), "{}: {e}", t.name);
        assert_eq!(count(&db, "life_events").await, rows, "{}", t.name);

        // The longest and shortest codes allowed.
        for code in ["ab".to_owned(), "a_1".repeat(21) + "z"] {
            let (s, e) = post_as(
                &base,
                "/api/v1/life-events",
                &admin,
                json!({"code": code, "name": "Allowed"}),
            )
            .await;
            assert_eq!(s, 201, "{}: '{code}': {e}", t.name);
        }
        assert_eq!(count(&db, "life_events").await, rows + 2, "{}", t.name);
    }
}

#[tokio::test]
async fn nobody_but_an_admin_changes_the_catalogue() {
    for t in seeded_databases().await {
        let db = t.db.clone();
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        let (s, token) = server_fn_as(
            &base,
            "/sfn/admin/tokens/issue",
            "params[organisation_code]=ACCESSNS&params[name]=Catalogue&params[days]=30",
            &Credential::Session(admin.clone()),
        )
        .await;
        assert_eq!(s, 200, "{token}");
        let token = token["token"].as_str().unwrap().to_owned();
        let death = catalogue(&base, &admin)
            .await
            .into_iter()
            .find(|e| e["code"] == "death")
            .unwrap();
        let path = format!("/api/v1/life-events/{}", death["id"]);
        let rows = count(&db, "life_events").await;

        let mut callers: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
        for email in [
            who::MANAGER_SC,
            who::OVERSIGHT,
            who::EXEC_ACCESSNS,
            who::REPORTER_ACCESSNS,
        ] {
            callers.push((email, Some(login(&base, email).await)));
        }
        callers.push(("API token", Some(token)));
        for (caller, bearer) in &callers {
            let want = if bearer.is_none() { 401 } else { 403 };
            let mut req = crate::common::client()
                .post(format!("{base}/api/v1/life-events"))
                .json(&json!({"code": "adoption", "name": "Adoption"}));
            if let Some(b) = bearer {
                req = req.bearer_auth(b);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status().as_u16(), want, "{}: {caller} adds", t.name);
            let (s, e) =
                patch_as(&base, &path, bearer.as_deref(), json!({"name": "Renamed"})).await;
            assert_eq!(s, want, "{}: {caller} renames: {e}", t.name);
            assert!(e["error"]["code"].is_string(), "{}: {e}", t.name);
        }
        // Through the pages' server functions too.
        let manager = login(&base, who::MANAGER_SC).await;
        for (path, body) in [
            (
                "/sfn/admin/life-events/create",
                "params[code]=adoption&params[name]=Adoption".to_owned(),
            ),
            (
                "/sfn/admin/life-events/rename",
                format!("id={}&params[name]=Renamed", death["id"]),
            ),
        ] {
            let (s, e) =
                server_fn_as(&base, path, &body, &Credential::Session(manager.clone())).await;
            assert_eq!(s, 403, "{}: {path}: {e}", t.name);
        }
        assert_eq!(count(&db, "life_events").await, rows, "{}", t.name);
        let now = catalogue(&base, &admin)
            .await
            .into_iter()
            .find(|e| e["code"] == "death")
            .unwrap();
        assert_eq!(now, death, "{}", t.name);
    }
}

#[tokio::test]
async fn the_catalogue_page_shows_each_life_event_in_both_languages_to_an_admin() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, who::ADMIN).await;
        for (lang, title) in [
            ("en", "Life-event catalogue"),
            ("fr", "Catalogue des événements de la vie"),
        ] {
            let html = crate::common::client()
                .get(format!("{base}/admin/life-events"))
                .header("cookie", format!("lang={lang}; concord_session={admin}"))
                .send()
                .await
                .expect("request")
                .text()
                .await
                .expect("html");
            assert!(html.contains(title), "{}: {lang}: {html}", t.name);
            assert!(
                html.contains("data-testid=\"life-event-form\""),
                "{}",
                t.name
            );
            assert!(html.contains("change_of_address"), "{}: {lang}", t.name);
            assert!(
                html.contains("Changement d&#x27;adresse") || html.contains("Changement d'adresse"),
                "{}: {lang}",
                t.name
            );
        }
    }
}
