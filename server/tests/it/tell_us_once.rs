//! Tell Us Once (issue 21) through the API, on the demo portfolio: the
//! Leeds register office (intake party of AGR-2023-0006) records a notice
//! of a death, the DWP, the GRO and HMRC each receive a delivery timed in
//! working days (weekends and holidays skipped), act on it or decline it,
//! and the derived KPIs move by exactly what the deliveries say. Personal
//! data, other parties' deliveries and other organisations' tokens are
//! refused; a CSV of notices is all or nothing. SQLite and PostgreSQL.

use crate::common::{
    Credential, count, get_as, login, pin_clock, post_as, seeded_databases, server_fn_as, spawn,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

const LEEDS: &str = "reporter@leeds.example";
const DWP: &str = "reporter@dwp.example";
const GRO: &str = "reporter@gro.example";
const HMRC: &str = "reporter@hmrc.example";
/// A party to AGR-2023-0006 that no propagation term tells.
const CITADV: &str = "reporter@citizensadvice.example";

async fn csv_as(base: &str, path: &str, token: &str, body: &str) -> (u16, Value) {
    let r = crate::common::client()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The agreement's id and its commitment of `org` on `kpi`.
async fn derived_commitment(base: &str, token: &str, org: i64, kpi: &str) -> (i64, i64) {
    let (_, list) = get_as(
        &format!("{base}/api/v1/agreements?q=AGR-2023-0006"),
        Some(token),
    )
    .await;
    let id = list["items"][0]["id"].as_i64().expect("AGR-2023-0006");
    let (_, a) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(token)).await;
    let c = a["commitments"]
        .as_array()
        .expect("commitments")
        .iter()
        .find(|c| c["kpi"] == kpi && c["organisation_id"] == org)
        .unwrap_or_else(|| panic!("a commitment of {org} on {kpi}"))["id"]
        .as_i64()
        .unwrap();
    (id, c)
}

/// The latest (numerator, denominator) of a commitment's period.
async fn counts(base: &str, token: &str, commitment: i64, period: &str) -> (Decimal, Decimal) {
    let (status, revs) = get_as(
        &format!("{base}/api/v1/commitments/{commitment}/reports?period={period}"),
        Some(token),
    )
    .await;
    assert_eq!(status, 200, "{revs}");
    let latest = revs
        .as_array()
        .or_else(|| revs["items"].as_array())
        .and_then(|r| r.first().cloned())
        .unwrap_or(Value::Null);
    let d = |v: &Value| {
        v.as_str()
            .map_or(Decimal::ZERO, |s| s.parse().expect("decimal"))
    };
    (d(&latest["numerator"]), d(&latest["denominator"]))
}

fn one(n: i64) -> Decimal {
    Decimal::from(n)
}

#[tokio::test]
async fn a_notice_is_told_once_passed_on_timed_in_working_days_and_measured() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let all = login(&base, "oversight@concord.example").await;
        let leeds = login(&base, LEEDS).await;
        let (dwp, gro, hmrc) = (
            login(&base, DWP).await,
            login(&base, GRO).await,
            login(&base, HMRC).await,
        );
        let orgs = crate::common::organisation_ids(&base, &all).await;
        let (agreement, dwp_ack) = derived_commitment(
            &base,
            &all,
            orgs["DWP"],
            "life_event_acknowledged_in_target_pct",
        )
        .await;
        let (_, dwp_act) =
            derived_commitment(&base, &all, orgs["DWP"], "life_event_acted_in_target_pct").await;
        let (_, gro_ack) = derived_commitment(
            &base,
            &all,
            orgs["GRO"],
            "life_event_acknowledged_in_target_pct",
        )
        .await;
        let (_, gro_act) =
            derived_commitment(&base, &all, orgs["GRO"], "life_event_acted_in_target_pct").await;
        let (_, hmrc_act) =
            derived_commitment(&base, &all, orgs["HMRC"], "life_event_acted_in_target_pct").await;
        let before = [
            counts(&base, &all, dwp_ack, "2026-10").await,
            counts(&base, &all, dwp_act, "2026-10").await,
            counts(&base, &all, gro_ack, "2026-10").await,
            counts(&base, &all, gro_act, "2026-10").await,
            counts(&base, &all, hmrc_act, "2026-10").await,
        ];

        // Nothing personal goes in: not in the reference, not as a field.
        let notice = |case: &str| {
            json!({
                "agreement_id": agreement, "life_event": "death", "received_on": "2026-10-30",
                "channel": "phone", "case_reference": case
            })
        };
        for bad in [
            "Jane Doe",
            "jane@example.org",
            "LS1 4AP",
            "1949-03-02",
            "0113 496 0000",
        ] {
            let (status, body) =
                post_as(&base, "/api/v1/life-event-notices", &leeds, notice(bad)).await;
            assert_eq!(status, 422, "{}: {bad} refused: {body}", t.name);
            assert_eq!(
                body["error"]["details"][0]["field"], "case_reference",
                "{}: {body}",
                t.name
            );
        }
        let mut with_name = notice("LDS-TEST-0001");
        with_name["deceased_name"] = json!("Jane Doe");
        let (status, _) = post_as(&base, "/api/v1/life-event-notices", &leeds, with_name).await;
        assert!(
            (400..500).contains(&status),
            "{}: an unknown field is refused ({status})",
            t.name
        );
        // Only the intake party records notices.
        let (status, _) = post_as(
            &base,
            "/api/v1/life-event-notices",
            &dwp,
            notice("LDS-TEST-0001"),
        )
        .await;
        assert_eq!(status, 422, "{}: DWP is not the intake party", t.name);

        // Friday 30 October 2026: acknowledge within 2 working days
        // (Tuesday 3 November), act within 10 (Friday 13 November).
        let (status, n) = post_as(
            &base,
            "/api/v1/life-event-notices",
            &leeds,
            notice("LDS-TEST-0001"),
        )
        .await;
        assert_eq!(status, 201, "{}: {n}", t.name);
        let deliveries = n["deliveries"].as_array().expect("deliveries").clone();
        let told: Vec<i64> = deliveries
            .iter()
            .map(|d| d["organisation_id"].as_i64().unwrap())
            .collect();
        assert_eq!(told.len(), 3, "{}: one delivery per party told", t.name);
        for org in ["DWP", "GRO", "HMRC"] {
            assert!(told.contains(&orgs[org]), "{}: {org} is told", t.name);
        }
        for d in &deliveries {
            assert_eq!(d["acknowledge_by"], "2026-11-03", "{}: {d}", t.name);
            assert_eq!(d["act_by"], "2026-11-13", "{}: {d}", t.name);
            // Today (29 November) both deadlines have passed.
            assert_eq!(d["status"], "overdue", "{}: {d}", t.name);
        }
        let delivery_of = |org: &str| {
            deliveries
                .iter()
                .find(|d| d["organisation_id"] == orgs[org])
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let (dwp_d, gro_d, hmrc_d) = (delivery_of("DWP"), delivery_of("GRO"), delivery_of("HMRC"));
        // Sent twice by a partner's system: refused, not counted twice.
        let (status, _) = post_as(
            &base,
            "/api/v1/life-event-notices",
            &leeds,
            notice("LDS-TEST-0001"),
        )
        .await;
        assert_eq!(status, 409, "{}: the same case twice", t.name);

        // The parties told were notified.
        let (_, mine) = server_fn_as(
            &base,
            "/sfn/notifications/list",
            "",
            &Credential::Session(dwp.clone()),
        )
        .await;
        assert!(
            mine.to_string().contains("LDS-TEST-0001"),
            "{}: DWP's reporter is told: {mine}",
            t.name
        );

        // Who sees what: a party not told sees nothing; a party told, only
        // its own delivery; the intake party, all of its notice's.
        let citadv = login(&base, CITADV).await;
        for (who, token) in [("CITADV", &citadv), ("GRO", &gro)] {
            let (status, _) = get_as(
                &format!("{base}/api/v1/life-event-deliveries/{dwp_d}"),
                Some(token),
            )
            .await;
            assert_eq!(status, 404, "{}: {who} cannot see DWP's delivery", t.name);
            let (status, _) = post_as(
                &base,
                &format!("/api/v1/life-event-deliveries/{dwp_d}/acknowledge"),
                token,
                json!({}),
            )
            .await;
            assert_eq!(
                status, 404,
                "{}: {who} cannot acknowledge DWP's delivery",
                t.name
            );
        }
        let (_, list) = get_as(
            &format!("{base}/api/v1/life-event-deliveries"),
            Some(&citadv),
        )
        .await;
        assert_eq!(
            list["items"],
            json!([]),
            "{}: CITADV is told nothing",
            t.name
        );
        let (status, _) = get_as(
            &format!("{base}/api/v1/life-event-deliveries/{dwp_d}"),
            Some(&leeds),
        )
        .await;
        assert_eq!(
            status, 200,
            "{}: the intake party follows its notice",
            t.name
        );

        // An API token acts for its own organisation only.
        let (status, token) = server_fn_as(
            &base,
            "/sfn/admin/tokens/issue",
            "params[organisation_code]=DWP&params[name]=Casework&params[days]=30",
            &Credential::Session(login(&base, "admin@concord.example").await),
        )
        .await;
        assert_eq!(status, 200, "{}: {token}", t.name);
        let token = token["token"].as_str().unwrap().to_owned();
        let (status, _) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{gro_d}/acknowledge"),
            &token,
            json!({}),
        )
        .await;
        assert_eq!(
            status, 404,
            "{}: DWP's token cannot touch GRO's delivery",
            t.name
        );

        // DWP: acknowledged on Wednesday 4 November (a day late), acted on
        // Friday 13 November (the last day in target).
        let (status, d) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{dwp_d}/acknowledge"),
            &token,
            json!({"on": "2026-11-04"}),
        )
        .await;
        assert_eq!(status, 201, "{}: {d}", t.name);
        assert_eq!(
            d["status"], "overdue",
            "{}: acknowledged but not acted on by the 13th",
            t.name
        );
        let (status, _) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{dwp_d}/acknowledge"),
            &dwp,
            json!({}),
        )
        .await;
        assert_eq!(status, 409, "{}: acknowledged once", t.name);
        let (status, _) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{dwp_d}/act"),
            &dwp,
            json!({"outcome": "Paid", "on": "2026-11-03"}),
        )
        .await;
        assert_eq!(status, 422, "{}: acted before it was acknowledged", t.name);
        let (status, _) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{dwp_d}/act"),
            &dwp,
            json!({"outcome": "Paid", "declined": "No"}),
        )
        .await;
        assert_eq!(status, 422, "{}: an outcome or a reason, not both", t.name);
        let (status, d) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{dwp_d}/act"),
            &dwp,
            json!({"outcome": "Bereavement payment started", "on": "2026-11-13"}),
        )
        .await;
        assert_eq!(status, 201, "{}: {d}", t.name);
        assert_eq!(d["status"], "acted", "{}", t.name);
        // GRO: acknowledged on Monday 2 November, then declined.
        post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{gro_d}/acknowledge"),
            &gro,
            json!({"on": "2026-11-02"}),
        )
        .await;
        let (status, d) = post_as(
            &base,
            &format!("/api/v1/life-event-deliveries/{gro_d}/act"),
            &gro,
            json!({"declined": "No record held in our system", "on": "2026-11-20"}),
        )
        .await;
        assert_eq!(status, 201, "{}: {d}", t.name);
        assert_eq!(d["status"], "declined", "{}", t.name);
        // HMRC does nothing: overdue, and counted against it once the
        // hourly job re-derives what is still open.
        app::backend::services::notices::rederive_open(&t.db, app::clock::today())
            .await
            .expect("re-derive");

        // The derived values moved by exactly these deliveries: DWP late to
        // acknowledge (0 of 1) but in time to act (1 of 1); GRO in time to
        // acknowledge (1 of 1), its declined delivery not judged on acting;
        // HMRC late (0 of 1).
        let after = [
            counts(&base, &all, dwp_ack, "2026-10").await,
            counts(&base, &all, dwp_act, "2026-10").await,
            counts(&base, &all, gro_ack, "2026-10").await,
            counts(&base, &all, gro_act, "2026-10").await,
            counts(&base, &all, hmrc_act, "2026-10").await,
        ];
        let moved = [(0, 1), (1, 1), (1, 1), (0, 0), (0, 1)];
        for (i, ((b, a), (dn, dd))) in before.iter().zip(&after).zip(moved).enumerate() {
            assert_eq!(a.0 - b.0, one(dn), "{}: numerator of #{i}", t.name);
            assert_eq!(a.1 - b.1, one(dd), "{}: denominator of #{i}", t.name);
        }
        // Judged like any commitment: October's compliance shows the value.
        let (_, compliance) = get_as(
            &format!("{base}/api/v1/agreements/{agreement}/compliance"),
            Some(&all),
        )
        .await;
        let item = compliance["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["commitment_id"] == dwp_ack && i["period"] == "2026-10")
            .cloned()
            .expect("DWP's acknowledgements in October are judged");
        let value: Decimal = item["value"].as_str().unwrap().parse().unwrap();
        let expected = (after[0].0 * Decimal::ONE_HUNDRED / after[0].1).round_dp(2);
        assert_eq!(value.round_dp(2), expected, "{}: {item}", t.name);
        // Derived values are never typed in.
        let (status, _) = post_as(
            &base,
            "/api/v1/reports",
            &dwp,
            json!({"commitment_id": dwp_ack, "period": "2026-10", "value": "100"}),
        )
        .await;
        assert_eq!(status, 404, "{}: a derived KPI takes no report", t.name);

        // A holiday moves the deadlines: Monday 2 November off in GB, the
        // acknowledgement is due on Wednesday the 4th.
        let admin = login(&base, "admin@concord.example").await;
        let (_, gb) = get_as(&format!("{base}/api/v1/organisations"), Some(&admin)).await;
        let gb_id = gb
            .as_array()
            .or_else(|| gb["items"].as_array())
            .unwrap()
            .iter()
            .find(|o| o["code"] == "HMRC")
            .unwrap()["jurisdiction"]["id"]
            .as_i64()
            .unwrap();
        let (status, h) = post_as(
            &base,
            &format!("/api/v1/jurisdictions/{gb_id}/holidays"),
            &admin,
            json!({"day": "2026-11-02", "name": "Test day off"}),
        )
        .await;
        assert_eq!(status, 201, "{}: {h}", t.name);
        let (status, _) = post_as(
            &base,
            &format!("/api/v1/jurisdictions/{gb_id}/holidays"),
            &admin,
            json!({"day": "2026-11-02", "name": "Twice"}),
        )
        .await;
        assert_eq!(status, 409, "{}: one holiday a day", t.name);
        // The values move with it: DWP's acknowledgement of Wednesday the
        // 4th is now in time, judged on the same deliveries.
        let moved = counts(&base, &all, dwp_ack, "2026-10").await;
        assert_eq!(
            moved.1, after[0].1,
            "{}: the same deliveries judged",
            t.name
        );
        assert!(
            moved.0 > after[0].0,
            "{}: more in time once the 2nd is a holiday: {moved:?} after {:?}",
            t.name,
            after[0]
        );
        let (_, d) = get_as(
            &format!("{base}/api/v1/life-event-deliveries/{hmrc_d}"),
            Some(&hmrc),
        )
        .await;
        assert_eq!(d["acknowledge_by"], "2026-11-04", "{}: {d}", t.name);
        assert_eq!(d["act_by"], "2026-11-16", "{}: {d}", t.name);
    }
}

#[tokio::test]
async fn a_csv_of_notices_is_recorded_whole_or_not_at_all() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let leeds = login(&base, LEEDS).await;
        let all = login(&base, "oversight@concord.example").await;
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0006"),
            Some(&all),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (notices, deliveries) = (
            count(&t.db, "life_event_notices").await,
            count(&t.db, "life_event_deliveries").await,
        );
        let bad = format!(
            "agreement_id,life_event,received_on,channel,case_reference\n\
             {id},death,2026-11-02,in_person,LDS-CSV-0001\n\
             {id},death,2026-11-03,in_person,Jane Doe\n\
             {id},marriage,2026-11-03,in_person,LDS-CSV-0002\n\
             {id},birth_of_child,2026-12-03,in_person,LDS-CSV-0003\n"
        );
        let (status, body) = csv_as(&base, "/api/v1/life-event-notices/import", &leeds, &bad).await;
        assert_eq!(status, 422, "{}: {body}", t.name);
        let lines: Vec<i64> = body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["line"].as_i64().unwrap())
            .collect();
        assert_eq!(
            lines,
            vec![3, 4, 5],
            "{}: every bad row by line: {body}",
            t.name
        );
        assert_eq!(
            count(&t.db, "life_event_notices").await,
            notices,
            "{}: nothing written",
            t.name
        );
        assert_eq!(
            count(&t.db, "life_event_deliveries").await,
            deliveries,
            "{}",
            t.name
        );

        let good = format!(
            "agreement_id,life_event,received_on,channel,case_reference\n\
             {id},death,2026-11-02,in_person,LDS-CSV-0001\n\
             {id},birth_of_child,2026-11-03,online,LDS-CSV-0002\n"
        );
        let (status, body) =
            csv_as(&base, "/api/v1/life-event-notices/import", &leeds, &good).await;
        assert_eq!(status, 201, "{}: {body}", t.name);
        assert_eq!(body["imported"], 2, "{}", t.name);
        assert_eq!(
            count(&t.db, "life_event_notices").await,
            notices + 2,
            "{}",
            t.name
        );
        // A death tells three parties, a birth two.
        assert_eq!(
            count(&t.db, "life_event_deliveries").await,
            deliveries + 5,
            "{}",
            t.name
        );
        // The same file again: every row is a duplicate, nothing written.
        let (status, _) = csv_as(&base, "/api/v1/life-event-notices/import", &leeds, &good).await;
        assert_eq!(status, 422, "{}: recorded already", t.name);
        assert_eq!(
            count(&t.db, "life_event_notices").await,
            notices + 2,
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn a_month_no_notice_reached_reads_as_pending_not_missing() {
    use app::backend::entities::{agreement, commitment, kpi, organisation};
    use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    pin_clock();
    for t in seeded_databases().await {
        // Citizens Advice commits to acknowledging in target, but no
        // propagation term tells it anything.
        let a = agreement::Entity::find()
            .filter(agreement::Column::Reference.eq("AGR-2023-0006"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let org = organisation::Entity::find()
            .filter(organisation::Column::Code.eq("CITADV"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let k = kpi::Entity::find()
            .filter(kpi::Column::Code.eq("life_event_acknowledged_in_target_pct"))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        let now = app::clock::now();
        let c = commitment::Entity::insert(commitment::ActiveModel {
            agreement_id: Set(a.id),
            organisation_id: Set(org.id),
            kpi_id: Set(k.id),
            target: Set(app::backend::exact::Exact(Decimal::from(95))),
            warning_band: Set(None),
            channel: Set(None),
            frequency: Set(app::domain::Frequency::Monthly),
            grace_days: Set(15),
            effective_from: Set(a.starts_on),
            effective_to: Set(None),
            allowed_misses: Set(Some(1)),
            created_at: Set(now),
            updated_at: Set(now),
            lock_version: Set(1),
            ..Default::default()
        })
        .exec(&t.db)
        .await
        .unwrap()
        .last_insert_id;
        let written = app::backend::services::notices::rederive_open(&t.db, app::clock::today())
            .await
            .unwrap();
        // October 2023 to October 2026: 37 ended months, each quiet.
        assert!(written >= 37, "{}: {written} written", t.name);
        let reports = count(&t.db, "service_level_reports").await;
        let again = app::backend::services::notices::rederive_open(&t.db, app::clock::today())
            .await
            .unwrap();
        assert_eq!(again, 0, "{}: nothing new the second time", t.name);
        assert_eq!(
            count(&t.db, "service_level_reports").await,
            reports,
            "{}",
            t.name
        );

        let base = spawn(t.db.clone()).await;
        let all = login(&base, "oversight@concord.example").await;
        let (_, compliance) = get_as(
            &format!("{base}/api/v1/agreements/{}/compliance", a.id),
            Some(&all),
        )
        .await;
        let mine: Vec<&Value> = compliance["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["commitment_id"] == c)
            .collect();
        assert_eq!(mine.len(), 37, "{}: every ended month of the term", t.name);
        for i in &mine {
            assert_eq!(i["status"], "pending", "{}: {i}", t.name);
            assert_eq!(i["value"], Value::Null, "{}: {i}", t.name);
        }
        for b in compliance["error_budgets"].as_array().unwrap() {
            if b["commitment_id"] == c {
                assert_eq!(
                    b["spent"], 0,
                    "{}: a quiet month spends nothing: {b}",
                    t.name
                );
            }
        }
    }
}

#[tokio::test]
async fn a_csv_of_what_a_party_did_is_recorded_whole_or_not_at_all() {
    pin_clock();
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let (leeds, dwp) = (login(&base, LEEDS).await, login(&base, DWP).await);
        let all = login(&base, "oversight@concord.example").await;
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0006"),
            Some(&all),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let mut deliveries = Vec::new();
        for case in ["LDS-ACT-0001", "LDS-ACT-0002"] {
            let (status, n) = post_as(
                &base,
                "/api/v1/life-event-notices",
                &leeds,
                json!({"agreement_id": id, "life_event": "death", "received_on": "2026-11-20",
                       "channel": "online", "case_reference": case}),
            )
            .await;
            assert_eq!(status, 201, "{}: {n}", t.name);
            let mine = n["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["organisation"] == "Department for Work and Pensions")
                .unwrap()["id"]
                .as_i64()
                .unwrap();
            let gro = n["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["organisation"] == "General Register Office")
                .unwrap()["id"]
                .as_i64()
                .unwrap();
            deliveries.push((mine, gro));
        }
        let ((a, gro_a), (b, _)) = (deliveries[0], deliveries[1]);
        // Line 3 acts on a delivery acknowledged on line 2; line 4 is GRO's;
        // line 5 acts before the notice came; line 6 names no action.
        let bad = format!(
            "delivery_id,action,on,text\n\
             {a},acknowledge,2026-11-23,\n\
             {a},act,2026-11-24,Record updated\n\
             {gro_a},acknowledge,,\n\
             {b},act,2026-11-19,Record updated\n\
             {b},forget,,\n"
        );
        let (status, body) =
            csv_as(&base, "/api/v1/life-event-deliveries/import", &dwp, &bad).await;
        assert_eq!(status, 422, "{}: {body}", t.name);
        let lines: Vec<i64> = body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["line"].as_i64().unwrap())
            .collect();
        assert_eq!(lines, vec![4, 5, 6], "{}: {body}", t.name);
        let (_, d) = get_as(
            &format!("{base}/api/v1/life-event-deliveries/{a}"),
            Some(&dwp),
        )
        .await;
        assert_eq!(
            d["acknowledged_on"],
            Value::Null,
            "{}: nothing written",
            t.name
        );

        let good = format!(
            "delivery_id,action,on,text\n\
             {a},acknowledge,2026-11-23,\n\
             {a},act,2026-11-24,Record updated\n\
             {b},decline,2026-11-25,No record held in our system\n"
        );
        let (status, body) =
            csv_as(&base, "/api/v1/life-event-deliveries/import", &dwp, &good).await;
        assert_eq!(status, 201, "{}: {body}", t.name);
        assert_eq!(body["imported"], 3, "{}", t.name);
        let (_, d) = get_as(
            &format!("{base}/api/v1/life-event-deliveries/{a}"),
            Some(&dwp),
        )
        .await;
        assert_eq!(
            (d["status"].as_str(), d["acted_on"].as_str()),
            (Some("acted"), Some("2026-11-24")),
            "{}: {d}",
            t.name
        );
        let (_, d) = get_as(
            &format!("{base}/api/v1/life-event-deliveries/{b}"),
            Some(&dwp),
        )
        .await;
        assert_eq!(d["status"], "declined", "{}: {d}", t.name);
        // Again: acted on and declined already, refused by line.
        let (status, _) = csv_as(&base, "/api/v1/life-event-deliveries/import", &dwp, &good).await;
        assert_eq!(status, 422, "{}", t.name);
    }
}
