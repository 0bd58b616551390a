//! The living barrier register (issue 23) through the API: a barrier keeps
//! its id across versions; its owning party updates its status, mitigation
//! and actions on an active agreement without an amendment (audited, seen
//! by every party, by no one else); an amendment coming into force keeps
//! those updates unless it changes the field itself; the register lists
//! what the caller may see, filtered, with a summary by category and
//! boundary; bad input is a 422 naming its field. SQLite and PostgreSQL.

use crate::common::{get_as, login, pin_clock, post_as, seeded_databases, spawn, who};
use serde_json::{Value, json};

async fn send(
    method: reqwest::Method,
    base: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let r = crate::common::client()
        .request(method, format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn patch_as(base: &str, path: &str, token: &str, body: Value) -> (u16, Value) {
    send(reqwest::Method::PATCH, base, path, token, body).await
}

async fn put_as(base: &str, path: &str, token: &str, body: Value) -> (u16, Value) {
    send(reqwest::Method::PUT, base, path, token, body).await
}

fn fields(body: &Value) -> Vec<String> {
    body["error"]["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn items(list: &Value) -> &Vec<Value> {
    list["items"].as_array().expect("items")
}

/// The id of agreement `reference`, as `token` finds it.
async fn agreement_id(base: &str, token: &str, reference: &str) -> i64 {
    let (_, list) = get_as(
        &format!("{base}/api/v1/agreements?q={reference}"),
        Some(token),
    )
    .await;
    list["items"][0]["id"].as_i64().expect("agreement")
}

/// The register's barriers of agreement `id` as `token` sees them.
async fn register_of(base: &str, token: &str, id: i64) -> Vec<Value> {
    let (status, list) = get_as(
        &format!("{base}/api/v1/barriers?agreement_id={id}"),
        Some(token),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    items(&list).clone()
}

fn owned_by<'a>(list: &'a [Value], code: &str) -> &'a Value {
    list.iter()
        .find(|b| b["owner_code"] == code)
        .unwrap_or_else(|| panic!("a barrier {code} owns in {list:?}"))
}

#[tokio::test]
async fn the_owning_party_updates_a_barrier_without_an_amendment_and_every_party_sees_it() {
    pin_clock();
    for t in seeded_databases().await {
        let (base, name) = (spawn(t.db.clone()).await, t.name);
        let owner = login(&base, who::EXEC_ACCESSNS).await;
        let other_party = login(&base, who::MANAGER_SC).await;
        let id = agreement_id(&base, &owner, "AGR-2023-0001").await;
        let (_, before) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&owner)).await;

        let list = register_of(&base, &owner, id).await;
        let b = owned_by(&list, "ACCESSNS").clone();
        assert_eq!(b["may_update"], true, "{name}: {b}");
        assert_eq!(b["status"], "open", "{name}");
        let bid = b["id"].as_i64().expect("id");

        let (status, updated) = patch_as(
            &base,
            &format!("/api/v1/barriers/{bid}"),
            &owner,
            json!({"status": "mitigated",
                   "actions": "Shared appointment system live at every counter.",
                   "actions_fr": "Système commun de rendez-vous en service à tous les comptoirs."}),
        )
        .await;
        assert_eq!(status, 200, "{name}: {updated}");
        assert_eq!(updated["id"], bid, "{name}");
        assert_eq!(updated["key"], b["key"], "{name}");
        assert_eq!(updated["status"], "mitigated", "{name}");
        assert_eq!(updated["progress"], "mitigated", "{name}");
        assert_eq!(
            updated["mitigation"], b["mitigation"],
            "{name}: unchanged when absent"
        );
        assert!(updated["updated_at"].is_string(), "{name}: {updated}");

        // No amendment: the same version, nothing pending, the register
        // changed, in the agreement as every party reads it.
        let (_, after) = get_as(
            &format!("{base}/api/v1/agreements/{id}"),
            Some(&other_party),
        )
        .await;
        assert_eq!(after["version"], before["version"], "{name}");
        assert!(after["pending_amendment"].is_null(), "{name}");
        let shown = after["barriers"]
            .as_array()
            .expect("barriers")
            .iter()
            .find(|x| x["id"] == bid)
            .expect("the barrier");
        assert_eq!(shown["status"], "mitigated", "{name}");
        assert_eq!(
            shown["actions"], "Shared appointment system live at every counter.",
            "{name}"
        );
        let seen = register_of(&base, &other_party, id).await;
        let seen = seen.iter().find(|x| x["id"] == bid).expect("seen");
        assert_eq!(seen["status"], "mitigated", "{name}");
        assert_eq!(seen["may_update"], false, "{name}: another party's barrier");

        // Audited, with before and after.
        let admin = login(&base, who::ADMIN).await;
        let (_, audit) = get_as(&format!("{base}/api/v1/audit?limit=500"), Some(&admin)).await;
        let event = items(&audit)
            .iter()
            .find(|e| e["action"] == "barrier.update" && e["entity_id"] == bid)
            .unwrap_or_else(|| panic!("{name}: an audit event"));
        assert_eq!(event["before"]["status"], "open", "{name}");
        assert_eq!(event["after"]["status"], "mitigated", "{name}");

        // An organisation not party to the agreement does not see it.
        let outsider = login(&base, "manager@servicensw.example").await;
        let (_, theirs) = get_as(&format!("{base}/api/v1/barriers"), Some(&outsider)).await;
        assert!(
            items(&theirs).iter().all(|x| x["agreement_id"] != id),
            "{name}: {theirs}"
        );
    }
}

#[tokio::test]
async fn only_the_owning_party_may_update_and_others_learn_nothing() {
    pin_clock();
    for t in seeded_databases().await {
        let (base, name) = (spawn(t.db.clone()).await, t.name);
        let owner = login(&base, who::EXEC_ACCESSNS).await;
        let id = agreement_id(&base, &owner, "AGR-2023-0001").await;
        let list = register_of(&base, &owner, id).await;
        let bid = owned_by(&list, "ACCESSNS")["id"].as_i64().expect("id");
        let path = format!("/api/v1/barriers/{bid}");
        let body = json!({"status": "closed"});

        // Another party, its reporter, an executive who sees everything:
        // they see the barrier, may not change it.
        for email in [who::MANAGER_SC, who::REPORTER_ACCESSNS, who::OVERSIGHT] {
            let token = login(&base, email).await;
            let (status, answer) = patch_as(&base, &path, &token, body.clone()).await;
            assert_eq!(status, 403, "{name}: {email}: {answer}");
            assert_eq!(answer["error"]["code"], "forbidden", "{name}");
        }
        // An organisation that is no party: as if it did not exist.
        let outsider = login(&base, "manager@servicensw.example").await;
        let (status, answer) = patch_as(&base, &path, &outsider, body.clone()).await;
        assert_eq!(status, 404, "{name}: {answer}");
        let (missing, _) = patch_as(&base, "/api/v1/barriers/999999", &owner, body.clone()).await;
        assert_eq!(missing, 404, "{name}");
        let (unsigned, _) = send(reqwest::Method::PATCH, &base, &path, "", body.clone()).await;
        assert_eq!(unsigned, 401, "{name}");

        let list = register_of(&base, &owner, id).await;
        let b = list.iter().find(|x| x["id"] == bid).expect("barrier");
        assert_eq!(b["status"], "open", "{name}: nothing changed");

        // A draft's barriers change with its terms, not in the register.
        let admin = login(&base, who::ADMIN).await;
        let draft = agreement_id(&base, &admin, "AGR-2026-0001").await;
        let drafted = register_of(&base, &admin, draft).await;
        let did = drafted[0]["id"].as_i64().expect("id");
        assert_eq!(drafted[0]["may_update"], false, "{name}");
        let (status, answer) = patch_as(
            &base,
            &format!("/api/v1/barriers/{did}"),
            &admin,
            body.clone(),
        )
        .await;
        assert_eq!(status, 409, "{name}: {answer}");
    }
}

#[tokio::test]
async fn bad_updates_are_refused_field_by_field_and_nothing_is_saved() {
    pin_clock();
    for t in seeded_databases().await {
        let (base, name) = (spawn(t.db.clone()).await, t.name);
        let owner = login(&base, who::EXEC_ACCESSNS).await;
        let id = agreement_id(&base, &owner, "AGR-2023-0001").await;
        let list = register_of(&base, &owner, id).await;
        let b = owned_by(&list, "ACCESSNS").clone();
        let path = format!("/api/v1/barriers/{}", b["id"]);

        let (status, answer) = patch_as(
            &base,
            &path,
            &owner,
            json!({"status": "fixed", "actions": "x".repeat(10_001), "mitigation": "Fine"}),
        )
        .await;
        assert_eq!(status, 422, "{name}: {answer}");
        assert_eq!(answer["error"]["code"], "validation_failed", "{name}");
        assert_eq!(fields(&answer), ["status", "actions"], "{name}: {answer}");

        let (status, answer) = patch_as(&base, &path, &owner, json!({})).await;
        assert_eq!(status, 422, "{name}: nothing to update: {answer}");
        let (status, _) = patch_as(&base, &path, &owner, json!({"status": 3})).await;
        assert_eq!(status, 400, "{name}: a number is no text");

        let after = register_of(&base, &owner, id).await;
        let same = after.iter().find(|x| x["id"] == b["id"]).expect("barrier");
        assert_eq!(same, &b, "{name}: nothing was saved");
    }
}

/// Two parties, each owning one barrier; activated by both executives.
async fn two_party_agreement(base: &str) -> (i64, String, String) {
    let manager = login(base, who::MANAGER_SC).await;
    let orgs = crate::common::organisation_ids(base, &manager).await;
    let (sc, ns) = (orgs["SC"], orgs["ACCESSNS"]);
    let terms = json!({
        "title": "Halifax single window", "summary": "Counters shared.",
        "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
        "starts_on": "2025-04-01", "ends_on": "2030-03-31", "currency": "CAD",
        "parties": [{"organisation_id": sc, "role": "lead"},
                    {"organisation_id": ns, "role": "partner"}],
        "barriers": [
            {"category": "operational", "description": "Two case systems", "severity": 3,
             "mitigation": "Referral form", "owner_id": ns, "status": "open"},
            {"category": "legal", "description": "Two privacy laws", "severity": 4,
             "mitigation": "Consent at intake", "owner_id": sc, "status": "open"}
        ]
    });
    let (status, a) = post_as(base, "/api/v1/agreements", &manager, terms).await;
    assert_eq!(status, 201, "{a}");
    let id = a["id"].as_i64().expect("id");
    let path = format!("/api/v1/agreements/{id}/transitions");
    post_as(base, &path, &manager, json!({"to": "negotiation"})).await;
    post_as(base, &path, &manager, json!({"to": "pending_approval"})).await;
    approve_all(base, id, 1).await;
    (id, manager, format!("{sc} {ns}"))
}

async fn approve_all(base: &str, id: i64, version: i64) {
    for e in ["executive@servicecanada.example", who::EXEC_ACCESSNS] {
        let token = login(base, e).await;
        let (status, a) = post_as(
            base,
            &format!("/api/v1/agreements/{id}/approvals"),
            &token,
            json!({"version": version}),
        )
        .await;
        assert_eq!(status, 201, "{e}: {a}");
    }
}

#[tokio::test]
async fn barriers_keep_their_ids_through_an_amendment_and_it_keeps_the_owners_updates() {
    pin_clock();
    for t in seeded_databases().await {
        let (base, name) = (spawn(t.db.clone()).await, t.name);
        let (id, manager, orgs) = two_party_agreement(&base).await;
        let (sc, ns) = orgs.split_once(' ').expect("orgs");
        let (sc, ns): (i64, i64) = (sc.parse().expect("sc"), ns.parse().expect("ns"));
        let owner = login(&base, who::EXEC_ACCESSNS).await;
        let first = register_of(&base, &owner, id).await;
        let cases = owned_by(&first, "ACCESSNS").clone();
        let privacy = owned_by(&first, "SC").clone();
        assert_eq!(cases["key"], "B-1", "{name}");
        assert_eq!(privacy["key"], "B-2", "{name}");

        // The owner's update, without an amendment.
        let (status, answer) = patch_as(
            &base,
            &format!("/api/v1/barriers/{}", cases["id"]),
            &owner,
            json!({"status": "mitigated", "actions": "Shared calendar in place."}),
        )
        .await;
        assert_eq!(status, 200, "{name}: {answer}");

        // An amendment, written from the terms as agreed (B-1 still
        // "open" there), changes B-2's mitigation and adds a barrier.
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&manager)).await;
        let amended = json!({
            "version": a["version"], "change_summary": "A new barrier",
            "title": "Halifax single window", "summary": "Counters shared.",
            "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
            "starts_on": "2025-04-01", "ends_on": "2030-03-31", "currency": "CAD",
            "parties": [{"organisation_id": sc, "role": "lead"},
                        {"organisation_id": ns, "role": "partner"}],
            "barriers": [
                {"key": "B-1", "category": "operational", "description": "Two case systems",
                 "severity": 3, "mitigation": "Referral form", "owner_id": ns, "status": "open"},
                {"key": "B-2", "category": "legal", "description": "Two privacy laws",
                 "severity": 4, "mitigation": "A data-sharing annex", "owner_id": sc,
                 "status": "open"},
                {"category": "cultural", "description": "Different opening hours",
                 "severity": 2, "owner_id": ns, "status": "open"}
            ]
        });
        let (status, saved) = put_as(
            &base,
            &format!("/api/v1/agreements/{id}"),
            &manager,
            amended,
        )
        .await;
        assert_eq!(status, 200, "{name}: {saved}");
        let version = saved["version"].as_i64().expect("version");
        assert!(
            !saved["pending_amendment"].is_null(),
            "{name}: an amendment"
        );
        let pending = register_of(&base, &owner, id).await;
        assert_eq!(
            pending.len(),
            2,
            "{name}: nothing proposed is read before approval"
        );
        let changes: Vec<&str> = saved["pending_amendment"]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["path"].as_str().expect("path"))
            .collect();
        assert!(
            changes.contains(&"barriers[B-2].mitigation"),
            "{name}: {changes:?}"
        );
        assert!(
            changes.iter().any(|p| p.starts_with("barriers[B-3]")),
            "{name}: {changes:?}"
        );
        assert!(
            !changes.iter().any(|p| p.starts_with("barriers[B-1]")),
            "{name}: {changes:?}"
        );

        approve_all(&base, id, version).await;
        let now = register_of(&base, &owner, id).await;
        assert_eq!(now.len(), 3, "{name}");
        let b1 = now.iter().find(|b| b["key"] == "B-1").expect("B-1");
        let b2 = now.iter().find(|b| b["key"] == "B-2").expect("B-2");
        let b3 = now.iter().find(|b| b["key"] == "B-3").expect("B-3");
        assert_eq!(b1["id"], cases["id"], "{name}: the same barrier");
        assert_eq!(b2["id"], privacy["id"], "{name}: the same barrier");
        assert_ne!(b3["id"], b1["id"], "{name}");
        assert_eq!(
            b1["status"], "mitigated",
            "{name}: the owner's update stands"
        );
        assert_eq!(b1["actions"], "Shared calendar in place.", "{name}");
        assert_eq!(
            b2["mitigation"], "A data-sharing annex",
            "{name}: the amendment's change"
        );
        assert_eq!(b3["recorded_on"], "2026-11-29", "{name}: recorded today");
        assert_eq!(b3["age_days"], 0, "{name}");

        // Removing a barrier is a change of terms too: it leaves the
        // register once in force; the others keep their ids.
        let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&manager)).await;
        let mut less = json!({
            "version": a["version"], "change_summary": "Hours aligned",
            "title": "Halifax single window", "summary": "Counters shared.",
            "purpose": "single_window", "structure": "shared", "partnership_type": "collaborative",
            "starts_on": "2025-04-01", "ends_on": "2030-03-31", "currency": "CAD",
            "parties": [{"organisation_id": sc, "role": "lead"},
                        {"organisation_id": ns, "role": "partner"}]
        });
        less["barriers"] = json!(
            a["barriers"]
                .as_array()
                .expect("barriers")
                .iter()
                .filter(|b| b["key"] != "B-3")
                .cloned()
                .collect::<Vec<_>>()
        );
        let (status, saved) =
            put_as(&base, &format!("/api/v1/agreements/{id}"), &manager, less).await;
        assert_eq!(status, 200, "{name}: {saved}");
        approve_all(&base, id, saved["version"].as_i64().expect("version")).await;
        let last = register_of(&base, &owner, id).await;
        let keys: Vec<(&Value, &Value)> = last.iter().map(|b| (&b["key"], &b["id"])).collect();
        assert_eq!(keys.len(), 2, "{name}: {last:?}");
        assert!(
            last.iter()
                .any(|b| b["id"] == cases["id"] && b["status"] == "mitigated"),
            "{name}"
        );
        assert!(last.iter().any(|b| b["id"] == privacy["id"]), "{name}");
    }
}

#[tokio::test]
async fn the_register_lists_what_the_caller_may_see_filtered_with_a_summary() {
    pin_clock();
    for t in seeded_databases().await {
        let (base, name) = (spawn(t.db.clone()).await, t.name);
        let oversight = login(&base, who::OVERSIGHT).await;
        let (status, all) = get_as(&format!("{base}/api/v1/barriers"), Some(&oversight)).await;
        assert_eq!(status, 200, "{name}: {all}");
        let total = all["total"].as_u64().expect("total");
        assert_eq!(total as usize, items(&all).len(), "{name}");
        assert!(
            total >= 20,
            "{name}: the demo portfolio's barriers: {total}"
        );
        for i in items(&all) {
            assert!(i["age_days"].as_i64().expect("age") >= 0, "{name}: {i}");
            assert!(i["boundaries"].is_array(), "{name}");
        }
        // The summary counts every barrier under each boundary crossed.
        let summary = all["summary"].as_array().expect("summary");
        let mut expected = 0u64;
        for i in items(&all) {
            expected += i["boundaries"].as_array().expect("b").len().max(1) as u64;
        }
        let mut counted = 0;
        for row in summary {
            let n = row["total"].as_u64().expect("total");
            assert_eq!(
                n,
                row["open"].as_u64().unwrap()
                    + row["mitigated"].as_u64().unwrap()
                    + row["closed"].as_u64().unwrap(),
                "{name}: {row}"
            );
            counted += n;
        }
        assert_eq!(counted, expected, "{name}");

        // Filters.
        let (_, legal) = get_as(
            &format!(
                "{base}/api/v1/barriers?category=legal&boundary=jurisdictional&status=mitigated"
            ),
            Some(&oversight),
        )
        .await;
        assert!(!items(&legal).is_empty(), "{name}: {legal}");
        for i in items(&legal) {
            assert_eq!(i["category"], "legal", "{name}");
            assert_eq!(i["status"], "mitigated", "{name}");
            assert!(
                i["boundaries"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("jurisdictional")),
                "{name}: {i}"
            );
        }
        let (_, paged) = get_as(
            &format!("{base}/api/v1/barriers?limit=5&offset=5"),
            Some(&oversight),
        )
        .await;
        assert_eq!(items(&paged).len(), 5, "{name}");
        assert_eq!(paged["total"], all["total"], "{name}");
        assert_eq!(items(&paged)[0], items(&all)[5], "{name}");
        let (_, words) = get_as(
            &format!("{base}/api/v1/barriers?q=broadband"),
            Some(&oversight),
        )
        .await;
        assert_eq!(items(&words).len(), 1, "{name}: {words}");
        let (status, _) = get_as(
            &format!("{base}/api/v1/barriers?category=weather"),
            Some(&oversight),
        )
        .await;
        assert_eq!(status, 400, "{name}: an unknown category");

        // A party sees the barriers of its agreements only.
        let exec = login(&base, who::EXEC_ACCESSNS).await;
        let (_, mine) = get_as(&format!("{base}/api/v1/barriers"), Some(&exec)).await;
        let (_, agreements) = get_as(&format!("{base}/api/v1/agreements"), Some(&exec)).await;
        let visible: Vec<&Value> = items(&agreements).iter().map(|a| &a["id"]).collect();
        assert!(!items(&mine).is_empty(), "{name}");
        assert!(items(&mine).len() < items(&all).len(), "{name}");
        for i in items(&mine) {
            assert!(visible.contains(&&i["agreement_id"]), "{name}: {i}");
        }
        let (_, none) = get_as(
            &format!(
                "{base}/api/v1/barriers?agreement_id={}",
                items(&all)
                    .iter()
                    .find(|i| !visible.contains(&&i["agreement_id"]))
                    .expect("another's")["agreement_id"]
            ),
            Some(&exec),
        )
        .await;
        assert_eq!(none["total"], 0, "{name}: {none}");
    }
}
