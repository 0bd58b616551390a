//! The authorization matrix (issue 16): every REST route and every server
//! function, crossed with every kind of caller, gives the status written in
//! [`MATRIX`] — on SQLite and PostgreSQL.
//!
//! The routes are not listed by hand: REST routes come from the router
//! itself (`server::rest::route_table`) and server functions from their
//! registry, so a route or server function added without its row in the
//! table fails the test, and so does a row whose route is gone.
//!
//! The requests are built to be refused *after* the authorization check
//! wherever they would write (an empty title, month 13, a version that does
//! not exist, an id that is no one's…): a caller who may act gets the
//! content's refusal (409, 404 or 422), one who may not gets 401, 403 or
//! 404, and nothing in the portfolio changes — which the test checks at the
//! end. Reads are made for real and answer 200.

use crate::common::{
    Credential, TEST_SECRET, count, get_as, login, seeded_databases, server_fn_as, spawn,
};
use app::backend::auth::session;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};

/// The callers, in the order of the columns of [`MATRIX`].
const CALLERS: [&str; 12] = [
    "anonymous",
    "admin",
    "manager of a party",
    "manager of a non-party",
    "executive of a party",
    "executive with scope all",
    "reporter of the responsible organisation",
    "reporter of another organisation",
    "API token of a party",
    "API token of a non-party",
    "expired session",
    "revoked session",
];

/// One row: the route as routed (`METHOD /path`), the request actually
/// made (its path with placeholders filled in, `""` for the route's own
/// path with `{id}` the agreement), what it carries (a query for GET, else
/// the body: JSON when it starts with `{`, CSV after `csv:`, a form for a
/// server function otherwise), and the expected status for each caller.
///
/// The agreement is AGR-2023-0001 (parties SC, ESDC, ACCESSNS and NS-CS,
/// in force). Placeholders: `{id}` the agreement, `{version}` its version,
/// `{commitment}` a commitment ACCESSNS is responsible for, `{barrier}` a
/// barrier SC (the manager's and executive's party) owns, `{org}`
/// ACCESSNS, `{jurisdiction}`, `{kpi}` and `{life_event}` the first of each,
/// `{terms}` draft terms with an empty title (so refused with 422), `{email}`
/// the caller's own address (or one nobody has).
type Row = (&'static str, &'static str, &'static str, &'static str);

//  callers:  anonymous admin manager(party) manager(non-party)
//            executive(party) executive(all) reporter(responsible)
//            reporter(other) token(party) token(non-party) expired revoked
#[rustfmt::skip]
const MATRIX: &[Row] = &[
    // ── Public ─────────────────────────────────────────────────────────
    ("GET /healthz", "", "",
        "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("GET /api/v1/openapi.json", "", "",
        "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("POST /api/v1/auth/login", "", r#"{"email": "{email}", "password": "not the password at all"}"#,
        "401 401 401 401 401 401 401 401 401 401 401 401"),
    // ── Who am I, what is there ────────────────────────────────────────
    ("GET /api/v1/me", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    // Every caller reads in English already: nothing is written.
    ("PATCH /api/v1/me", "", r#"{"lang": "en"}"#,
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("GET /api/v1/organisations", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("GET /api/v1/life-events", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /api/v1/life-events", "", r#"{"code": "", "name": "X"}"#,
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("PATCH /api/v1/life-events/{id}", "/api/v1/life-events/{life_event}", r#"{"name": ""}"#,
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("GET /api/v1/life-events/coverage", "", "",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    // ── Tell Us Once: notices, deliveries, holidays ───────────────────
    // AGR-2023-0001 has no propagation term: nobody is its intake party.
    ("POST /api/v1/life-event-notices", "",
        r#"{"agreement_id": {id}, "life_event": "death", "received_on": "2024-13-01", "channel": "phone", "case_reference": "TUO-1"}"#,
        "401 403 403 403 403 403 422 422 422 422 401 401"),
    ("POST /api/v1/life-event-notices/import", "",
        "csv:agreement_id,life_event,received_on,channel,case_reference\n{id},death,2024-13-01,phone,TUO-1\n",
        "401 403 403 403 403 403 422 422 422 422 401 401"),
    ("POST /api/v1/life-event-deliveries/import", "",
        "csv:delivery_id,action,on,text\n999999,acknowledge,,\n",
        "401 403 403 403 403 403 422 422 422 422 401 401"),
    ("GET /api/v1/life-event-deliveries", "", "",
        "401 200 200 200 200 200 200 200 200 200 401 401"),
    ("GET /api/v1/life-event-deliveries/{id}", "/api/v1/life-event-deliveries/999999", "",
        "401 404 404 404 404 404 404 404 404 404 401 401"),
    ("POST /api/v1/life-event-deliveries/{id}/acknowledge", "/api/v1/life-event-deliveries/999999/acknowledge", "{}",
        "401 403 403 403 403 403 404 404 404 404 401 401"),
    ("POST /api/v1/life-event-deliveries/{id}/act", "/api/v1/life-event-deliveries/999999/act", r#"{"outcome": "Record updated"}"#,
        "401 403 403 403 403 403 404 404 404 404 401 401"),
    ("GET /api/v1/jurisdictions/{id}/holidays", "/api/v1/jurisdictions/{jurisdiction}/holidays", "",
        "401 200 200 200 200 200 200 200 200 200 401 401"),
    ("POST /api/v1/jurisdictions/{id}/holidays", "/api/v1/jurisdictions/{jurisdiction}/holidays", r#"{"day": "2024-13-01", "name": "X"}"#,
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("DELETE /api/v1/jurisdictions/{id}/holidays/{holiday_id}", "/api/v1/jurisdictions/{jurisdiction}/holidays/999999", "",
        "401 404 403 403 403 403 403 403 403 403 401 401"),
    ("GET /api/v1/audit", "", "",
        "401 200 403 403 403 403 403 403 403 403 401 401"),
    ("POST /api/v1/cost-sharing/simulate", "",
        r#"{"currency": "CAD", "total_cost": "100.00", "model": {"kind": "fixed", "lines": [{"organisation_id": {org}, "percent": "100", "cap": null, "floor": null}]}, "volumes": []}"#,
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    // ── Agreements ─────────────────────────────────────────────────────
    ("GET /api/v1/agreements", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /api/v1/agreements", "", "{terms}",
        "401 422 422 422 403 403 403 403 403 403 401 401"),
    ("GET /api/v1/agreements/{id}", "", "",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("PUT /api/v1/agreements/{id}", "", "{update}",
        "401 422 422 404 403 403 403 404 403 403 401 401"),
    ("DELETE /api/v1/agreements/{id}", "", "",
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("GET /api/v1/agreements/{id}/versions", "", "",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("GET /api/v1/agreements/{id}/versions/compare", "", "from=1&to={version}",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("GET /api/v1/agreements/{id}/comments", "", "",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /api/v1/agreements/{id}/comments", "", r#"{"body": ""}"#,
        "401 422 422 404 422 403 422 404 403 403 401 401"),
    ("POST /api/v1/agreements/{id}/transitions", "", r#"{"to": "draft"}"#,
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("POST /api/v1/agreements/{id}/approvals", "", r#"{"version": 999999}"#,
        "401 403 403 404 409 403 403 404 403 403 401 401"),
    ("DELETE /api/v1/agreements/{id}/amendment", "", "",
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("GET /api/v1/agreements/{id}/export/ocds", "", "",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    // ── Costs ──────────────────────────────────────────────────────────
    ("PUT /api/v1/agreements/{id}/cost-model", "", r#"{"model": null, "version": 999999, "change_summary": "x"}"#,
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("GET /api/v1/agreements/{id}/ledger", "", "period=2024-01",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("GET /api/v1/agreements/{id}/channel-costs", "", "from=2024-01&to=2024-12",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("POST /api/v1/agreements/{id}/cost-entries", "",
        r#"{"period": "2024-13", "kind": "actual", "category": "premises", "amount": "1.00", "organisation_id": {org}}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /api/v1/agreements/{id}/cost-entries/import", "",
        "csv:period,kind,category,amount,organisation_id\n2024-13,actual,premises,1.00,ACCESSNS\n",
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("DELETE /api/v1/agreements/{id}/cost-entries/{entry_id}", "/api/v1/agreements/{id}/cost-entries/999999", "",
        "401 404 404 404 403 403 404 404 404 404 401 401"),
    ("POST /api/v1/agreements/{id}/volumes", "",
        r#"{"period": "2024-13", "channel": "online", "organisation_id": {org}, "count": 1}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /api/v1/agreements/{id}/volumes/import", "",
        "csv:period,channel,organisation_id,count\n2024-13,online,ACCESSNS,1\n",
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("DELETE /api/v1/agreements/{id}/volumes/{volume_id}", "/api/v1/agreements/{id}/volumes/999999", "",
        "401 404 404 404 403 403 404 404 404 404 401 401"),
    // ── Journeys across channels: read as volumes are; recorded as
    // volumes are, only while the agreement is active ─────────────────
    ("GET /api/v1/agreements/{id}/journeys", "", "from=2024-01&to=2024-12",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("POST /api/v1/agreements/{id}/journeys", "",
        r#"{"period": "2024-13", "service_id": 0, "organisation_id": {org}, "started_on": "online", "ended_on": null, "count": 1}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /api/v1/agreements/{id}/journeys/import", "",
        "csv:period,service,organisation_id,started_on,ended_on,count\n2024-13,S-1,ACCESSNS,online,,1\n",
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("GET /api/v1/agreements/{id}/reconciliation", "", "period=2024-01",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("GET /api/v1/agreements/{id}/reconciliation.csv", "", "period=2024-01",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    // ── Commitments and reports ────────────────────────────────────────
    ("POST /api/v1/agreements/{id}/commitments", "",
        r#"{"organisation_id": {org}, "kpi": "no_such_kpi", "target": "1", "frequency": "monthly", "effective_from": "2024-01-01"}"#,
        "401 422 422 404 403 403 403 404 403 403 401 401"),
    ("PUT /api/v1/agreements/{id}/commitments/{commitment_id}", "/api/v1/agreements/{id}/commitments/{commitment}",
        r#"{"organisation_id": {org}, "kpi": "no_such_kpi", "target": "1", "frequency": "monthly", "effective_from": "2024-01-01"}"#,
        "401 422 422 404 403 403 403 404 403 403 401 401"),
    ("GET /api/v1/agreements/{id}/compliance", "", "",
        "401 200 200 404 200 200 200 404 200 404 401 401"),
    ("GET /api/v1/agreements/{id}/compliance.csv", "", "",
        "401 200 200 404 200 200 200 404 200 404 401 401"),
    ("GET /api/v1/agreements/{id}/export/openslo", "", "",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /api/v1/reports", "", r#"{"commitment_id": {commitment}, "period": "2024-13", "value": "1"}"#,
        "401 403 403 403 403 403 422 404 422 404 401 401"),
    ("POST /api/v1/reports/import", "",
        "csv:commitment_id,period,value,numerator,denominator,volume,comment\n{commitment},2024-13,1,,,,\n",
        "401 403 403 403 403 403 422 422 422 422 401 401"),
    ("GET /api/v1/reports/due", "", "",
        "401 200 200 200 200 200 200 200 200 200 401 401"),
    ("GET /api/v1/commitments/{id}/reports", "/api/v1/commitments/{commitment}/reports", "period=2024-01",
        "401 200 200 404 200 200 200 404 200 404 401 401"),
    // ── The service inventory: every user, over what they may see; API
    // tokens submit and do not read the portfolio ──────────────────────
    ("GET /api/v1/services", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("GET /api/v1/services.csv", "", "channel=online",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    // ── The barrier register: read as the inventory is; updated by the
    // owning party without an amendment ────────────────────────────────
    ("GET /api/v1/barriers", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("PATCH /api/v1/barriers/{id}", "/api/v1/barriers/{barrier}", r#"{"status": "no-such-status"}"#,
        "401 422 422 404 422 403 403 404 403 403 401 401"),
    // ── Citizen satisfaction: recorded as volumes are, read as the
    // ledger is; the portfolio's benchmarks as every benchmark ─────────
    ("POST /api/v1/agreements/{id}/satisfaction", "",
        r#"{"period": "2024-13", "service_id": 999999, "channel": "online", "organisation_id": {org}, "sample_size": 1, "overall": "50"}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /api/v1/agreements/{id}/satisfaction/import", "",
        "csv:period,service,channel,organisation_id,sample_size,overall\n2024-13,ANS-0310,online,ACCESSNS,1,50\n",
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("GET /api/v1/agreements/{id}/satisfaction", "", "from=2024-01&to=2024-12",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("GET /api/v1/satisfaction/benchmarks", "", "group_by=boundary",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("GET /api/v1/satisfaction/drivers", "", "",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    // ── Benchmarks ─────────────────────────────────────────────────────
    ("GET /api/v1/benchmarks", "", "",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("GET /api/v1/benchmarks.csv", "", "",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("GET /api/v1/benchmarks/channels", "", "from=2024-01-01&to=2024-12-31",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    // ── Server functions: the pages' own calls ─────────────────────────
    ("POST /sfn/auth/me", "", "",
        "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("POST /sfn/auth/sign-in", "", "email={email}&password=not+the+password+at+all",
        "401 401 401 401 401 401 401 401 401 401 401 401"),
    // Every caller reads in English already: nothing is written.
    ("POST /sfn/auth/language", "", "lang=en",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/auth/change-password", "", "current=not+the+password+at+all&new_password=a+new+password+long+enough",
        "401 422 422 422 422 422 422 422 403 403 401 401"),
    ("POST /sfn/auth/reset-password", "", "token=no-such-link&new_password=a+new+password+long+enough",
        "422 422 422 422 422 422 422 422 422 422 422 422"),
    // What anyone may read: the published agreements.
    ("POST /sfn/public/agreements", "", "",
        "200 200 200 200 200 200 200 200 200 200 401 401"),
    ("POST /sfn/organisations/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/life-events/coverage", "", "",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("POST /sfn/notifications/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/notifications/unread", "", "",
        "200 200 200 200 200 200 200 200 200 200 401 401"),
    ("POST /sfn/notifications/read", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/life-events/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/agreements/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/agreements/glance", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/agreements/get", "", "id={id}",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/agreements/create", "", r#"{"terms": {terms}}"#,
        "401 422 422 422 403 403 403 403 403 403 401 401"),
    ("POST /sfn/agreements/update", "", r#"{"id": {id}, "params": {update}}"#,
        "401 422 422 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/agreements/terms", "", "id={id}",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /sfn/agreements/versions", "", "id={id}",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /sfn/agreements/compare", "", "id={id}&from=1&to={version}",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /sfn/agreements/comments", "", "id={id}",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /sfn/agreements/comment", "", "id={id}&params[body]=",
        "401 422 422 404 422 403 422 404 403 403 401 401"),
    ("POST /sfn/agreements/transition", "", "id={id}&to=draft",
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/agreements/approve", "", "id={id}&version=999999",
        "401 403 403 404 409 403 403 404 403 403 401 401"),
    ("POST /sfn/agreements/withdraw", "", "id={id}",
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/agreements/withdraw-amendment", "", "id={id}",
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/agreements/permissions", "", "id={id}",
        "401 200 200 404 200 200 200 404 403 403 401 401"),
    ("POST /sfn/notices/page", "", "",
        "401 200 200 200 200 200 200 200 200 200 401 401"),
    ("POST /sfn/notices/record", "", r#"{"params": {"agreement_id": {id}, "life_event": "death", "received_on": "2024-13-01", "channel": "phone", "case_reference": "TUO-1"}}"#,
        "401 403 403 403 403 403 422 422 422 422 401 401"),
    ("POST /sfn/notices/acknowledge", "", r#"{"id": 999999, "params": {}}"#,
        "401 403 403 403 403 403 404 404 404 404 401 401"),
    ("POST /sfn/notices/act", "", r#"{"id": 999999, "params": {"outcome": "Record updated"}}"#,
        "401 403 403 403 403 403 404 404 404 404 401 401"),
    ("POST /sfn/holidays/list", "", "jurisdiction_id={jurisdiction}",
        "401 200 200 200 200 200 200 200 200 200 401 401"),
    ("POST /sfn/holidays/add", "", r#"{"jurisdiction_id": {jurisdiction}, "params": {"day": "2024-13-01", "name": "X"}}"#,
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/holidays/remove", "", r#"{"jurisdiction_id": {jurisdiction}, "id": 999999}"#,
        "401 404 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/reports/home", "", "",
        "401 200 200 200 200 200 200 200 200 200 401 401"),
    ("POST /sfn/reports/submit", "", r#"{"params": {"commitment_id": {commitment}, "period": "2024-13", "value": "1"}}"#,
        "401 403 403 403 403 403 422 404 422 404 401 401"),
    ("POST /sfn/reports/compliance", "", "id={id}",
        "401 200 200 404 200 200 200 404 200 404 401 401"),
    ("POST /sfn/reports/revisions", "", "commitment_id={commitment}&period=2024-01",
        "401 200 200 404 200 200 200 404 200 404 401 401"),
    ("POST /sfn/reports/commitment", "",
        r#"{"id": {id}, "params": {"organisation_id": {org}, "kpi": "no_such_kpi", "target": "1", "frequency": "monthly", "effective_from": "2024-01-01"}}"#,
        "401 422 422 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/reports/commitment-update", "",
        r#"{"id": {id}, "commitment_id": {commitment}, "params": {"organisation_id": {org}, "kpi": "no_such_kpi", "target": "1", "frequency": "monthly", "effective_from": "2024-01-01"}}"#,
        "401 422 422 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/services/inventory", "", r#"{"query": {}}"#,
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/barriers/register", "", r#"{"query": {}}"#,
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    // The owning party (SC's manager and executive) and admins reach the
    // checks (an unknown status: 422); other parties 403, others 404.
    ("POST /sfn/barriers/update", "", r#"{"id": {barrier}, "params": {"status": "no-such-status"}}"#,
        "401 422 422 404 422 403 403 404 403 403 401 401"),
    ("POST /sfn/satisfaction/benchmarks", "", r#"{"query": {"group_by": "structure"}}"#,
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("POST /sfn/satisfaction/drivers", "", r#"{"query": {}}"#,
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("POST /sfn/satisfaction/recordable", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/satisfaction/results", "", r#"{"id": {id}, "query": {}}"#,
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("POST /sfn/satisfaction/record", "",
        r#"{"id": {id}, "params": {"period": "2024-13", "service_id": 999999, "channel": "online", "organisation_id": {org}, "sample_size": 1, "overall": "50"}}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /sfn/benchmarks", "", r#"{"query": {}}"#,
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("POST /sfn/benchmarks/costs", "", "from=2024-01-01&to=2024-12-31",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("POST /sfn/benchmarks/channels", "", "from=2024-01-01&to=2024-12-31",
        "401 200 200 200 200 200 403 403 403 403 401 401"),
    ("POST /sfn/costs/ledger", "", "id={id}&period=2024-01",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("POST /sfn/costs/channels", "", r#"{"id": {id}, "query": {"from": "2024-01", "to": "2024-12"}}"#,
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("POST /sfn/costs/record", "",
        r#"{"id": {id}, "params": {"period": "2024-13", "kind": "actual", "category": "premises", "amount": "1.00", "organisation_id": {org}}}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /sfn/costs/volume", "",
        r#"{"id": {id}, "params": {"period": "2024-13", "channel": "online", "organisation_id": {org}, "count": 1}}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /sfn/journeys/flows", "", r#"{"id": {id}, "filters": {"from": "2024-01", "to": "2024-12"}}"#,
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    ("POST /sfn/journeys/record", "",
        r#"{"id": {id}, "params": {"period": "2024-13", "service_id": 0, "organisation_id": {org}, "started_on": "online", "ended_on": null, "count": 1}}"#,
        "401 422 422 404 403 403 422 404 422 404 401 401"),
    ("POST /sfn/costs/remove-entry", "", "id={id}&entry_id=999999",
        "401 404 404 404 403 403 404 404 404 404 401 401"),
    ("POST /sfn/costs/remove-volume", "", "id={id}&volume_id=999999",
        "401 404 404 404 403 403 404 404 404 404 401 401"),
    ("POST /sfn/costs/reconcile", "", "id={id}&period=2024-01",
        "401 200 200 404 200 200 200 404 403 404 401 401"),
    // As the agreement's own page: one who may not see it reads `None`.
    ("POST /sfn/costs/page", "", "id={id}&period=2024-01",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/costs/model", "", r#"{"id": {id}, "params": {"model": null, "version": 999999, "change_summary": "x"}}"#,
        "401 409 409 404 403 403 403 404 403 403 401 401"),
    ("POST /sfn/admin/users/list", "", "",
        "401 200 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/users/create", "",
        "params[email]=not-an-address&params[display_name]=X&params[role]=reporter&params[scope]=organisation&params[organisation_code]=ACCESSNS&params[password]=a+password+long+enough",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/users/update", "", "id=999999&params[display_name]=Someone",
        "401 404 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/users/reset-link", "", "id=999999",
        "401 404 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/users/unlock", "", "id=999999",
        "401 404 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/organisations/create", "", "params[code]=&params[name]=X&params[kind]=community_organisation",
        "401 422 422 422 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/organisations/update", "", "id={org}&params[code]=&params[name]=X&params[kind]=community_organisation",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/jurisdictions/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/admin/jurisdictions/create", "", "params[code]=&params[name]=X&params[level]=provincial_state&params[country_code]=CA",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/jurisdictions/update", "", "id={jurisdiction}&params[code]=&params[name]=X&params[level]=provincial_state&params[country_code]=CA",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/kpis/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/admin/kpis/create", "", "params[code]=&params[name]=X&params[unit]=days&params[direction]=lower_is_better&params[is_ratio]=false",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/kpis/update", "", "id={kpi}&params[code]=&params[name]=X&params[unit]=days&params[direction]=lower_is_better&params[is_ratio]=false",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/life-events/list", "", "",
        "401 200 200 200 200 200 200 200 403 403 401 401"),
    ("POST /sfn/admin/life-events/create", "", "params[code]=&params[name]=X",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/life-events/rename", "", "id={life_event}&params[name]=",
        "401 422 403 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/tokens/list", "", "",
        "401 200 200 200 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/tokens/issue", "", "params[organisation_code]=SC&params[name]=Case+system&params[days]=0",
        "401 422 422 403 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/tokens/revoke", "", "id=999999",
        "401 404 404 404 403 403 403 403 403 403 401 401"),
    ("POST /sfn/admin/audit", "", "filters[limit]=10",
        "401 200 403 403 403 403 403 403 403 403 401 401"),
    // ── Last: these end the callers' sessions ─────────────────────────
    ("POST /api/v1/auth/logout", "", "",
        "401 204 204 204 204 204 204 204 403 403 401 401"),
    ("POST /sfn/auth/sign-out", "", "",
        "200 200 200 200 200 200 200 200 403 403 200 200"),
];

/// The tables the portfolio lives in: the matrix must leave each as it was.
const PORTFOLIO: &[&str] = &[
    "agreements",
    "agreement_versions",
    "agreement_parties",
    "proposed_parties",
    "comments",
    "approvals",
    "cost_models",
    "cost_model_lines",
    "cost_entries",
    "transaction_volumes",
    "satisfaction_results",
    "channel_journeys",
    "commitments",
    "service_level_reports",
    "organisations",
    "jurisdictions",
    "kpis",
    "life_events",
    "users",
    "api_tokens",
    "life_event_notices",
    "life_event_deliveries",
    "holidays",
];

struct Caller {
    credential: Credential,
    email: String,
}

/// Issues an API token for `org` as the admin; returns the secret.
async fn api_token(base: &str, admin: &str, org: &str) -> String {
    let (status, body) = server_fn_as(
        base,
        "/sfn/admin/tokens/issue",
        &format!("params[organisation_code]={org}&params[name]=Matrix&params[days]=30"),
        &Credential::Session(admin.to_owned()),
    )
    .await;
    assert_eq!(status, 200, "issue a token for {org}: {body}");
    body["token"].as_str().expect("token").to_owned()
}

/// A REST call; the JSON body of an error must be in the error shape.
async fn rest(base: &str, method: &str, path: &str, body: &str, who: &Credential) -> (u16, Value) {
    let client = crate::common::client();
    let url = format!("{base}{path}");
    let mut req = match method {
        "GET" => client.get(&url),
        "POST" => client.post(&url),
        "PUT" => client.put(&url),
        "PATCH" => client.patch(&url),
        "DELETE" => client.delete(&url),
        other => panic!("no method {other} in the matrix"),
    };
    if method != "GET" && !body.is_empty() {
        req = match body.strip_prefix("csv:") {
            Some(csv) => req.header("content-type", "text/csv").body(csv.to_owned()),
            None => req
                .header("content-type", "application/json")
                .body(body.to_owned()),
        };
    }
    req = match who {
        Credential::None => req,
        Credential::Session(t) | Credential::Token(t) => req.bearer_auth(t),
    };
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Every route and server function there is, as `METHOD /path`.
fn routed() -> BTreeSet<String> {
    let mut out: BTreeSet<String> = server::rest::route_table()
        .into_iter()
        .map(|(method, path)| format!("{method} /api/v1{path}"))
        .collect();
    out.insert("GET /healthz".to_owned());
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        out.insert(format!("{method} {path}"));
    }
    out
}

#[test]
fn every_route_and_server_function_has_exactly_one_row() {
    let rows: Vec<&str> = MATRIX.iter().map(|r| r.0).collect();
    let in_table: BTreeSet<String> = rows.iter().map(|r| (*r).to_owned()).collect();
    assert_eq!(rows.len(), in_table.len(), "a route has two rows");
    let routed = routed();
    let missing: Vec<&String> = routed.difference(&in_table).collect();
    let stale: Vec<&String> = in_table.difference(&routed).collect();
    assert!(
        missing.is_empty(),
        "routed but not in the authorization matrix: {missing:#?}"
    );
    assert!(
        stale.is_empty(),
        "in the authorization matrix but not routed: {stale:#?}"
    );
    for (route, _, _, codes) in MATRIX {
        assert_eq!(
            codes.split_whitespace().count(),
            CALLERS.len(),
            "{route}: one status per caller"
        );
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    for t in seeded_databases().await {
        let base = spawn(t.db.clone()).await;
        let admin = login(&base, "admin@concord.example").await;

        // The agreement and what the requests name.
        let (_, list) = get_as(
            &format!("{base}/api/v1/agreements?q=AGR-2023-0001"),
            Some(&admin),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().expect("agreement");
        let (_, agreement) = get_as(&format!("{base}/api/v1/agreements/{id}"), Some(&admin)).await;
        let org = agreement["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .find(|p| p["code"] == "ACCESSNS")
            .expect("ACCESSNS is a party")["organisation_id"]
            .clone();
        let commitment = agreement["commitments"]
            .as_array()
            .expect("commitments")
            .iter()
            .find(|c| c["organisation_id"] == org)
            .expect("an ACCESSNS commitment")["id"]
            .clone();
        let sc = agreement["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .find(|p| p["code"] == "SC")
            .expect("SC is a party")["organisation_id"]
            .clone();
        let barrier = agreement["barriers"]
            .as_array()
            .expect("barriers")
            .iter()
            .find(|b| b["owner_id"] == sc)
            .expect("a barrier Service Canada owns")["id"]
            .clone();
        let (_, jurisdictions) = server_fn_as(
            &base,
            "/sfn/admin/jurisdictions/list",
            "",
            &Credential::Session(admin.clone()),
        )
        .await;
        let (_, kpis) = server_fn_as(
            &base,
            "/sfn/admin/kpis/list",
            "",
            &Credential::Session(admin.clone()),
        )
        .await;
        let (_, life_events) = get_as(&format!("{base}/api/v1/life-events"), Some(&admin)).await;
        let terms = json!({
            "title": "",
            "purpose": agreement["purpose"],
            "structure": agreement["structure"],
            "partnership_type": agreement["partnership_type"],
            "starts_on": "2025-01-01",
            "ends_on": "2027-12-31",
            "currency": "CAD",
            "parties": [{"organisation_id": org, "role": "partner"}],
        });
        let mut update = terms.clone();
        update["version"] = agreement["version"].clone();
        update["change_summary"] = json!("Matrix");
        let mut fill: HashMap<&str, String> = HashMap::new();
        fill.insert("{id}", id.to_string());
        fill.insert("{version}", agreement["version"].to_string());
        fill.insert("{org}", org.to_string());
        fill.insert("{commitment}", commitment.to_string());
        fill.insert("{barrier}", barrier.to_string());
        fill.insert("{jurisdiction}", jurisdictions[0]["id"].to_string());
        fill.insert("{kpi}", kpis[0]["id"].to_string());
        fill.insert("{life_event}", life_events["items"][0]["id"].to_string());
        fill.insert("{terms}", terms.to_string());
        fill.insert("{update}", update.to_string());

        // The callers.
        let session = |email: &str, token: String| Caller {
            credential: Credential::Session(token),
            email: email.to_owned(),
        };
        let nobody = |n: usize| format!("nobody-{n}@nowhere.example");
        let expired = {
            let live = login(&base, "manager@serviceontario.example").await;
            let mut claims = session::decode(TEST_SECRET, &live).expect("decode");
            claims.iat -= 7200;
            claims.exp = claims.iat + 3600;
            session::encode(TEST_SECRET, &claims).expect("encode")
        };
        let revoked = login(&base, "manager@novascotia.example").await;
        let r = crate::common::client()
            .post(format!("{base}/api/v1/auth/logout"))
            .bearer_auth(&revoked)
            .send()
            .await
            .expect("logout");
        assert_eq!(r.status(), 204);
        let mut callers = vec![Caller {
            credential: Credential::None,
            email: nobody(0),
        }];
        for email in [
            "admin@concord.example",
            "manager@servicecanada.example",
            "manager@dwp.example",
            "executive@servicecanada.example",
            "oversight@concord.example",
            "reporter@accessns.example",
            "reporter@canadapost.example",
        ] {
            callers.push(session(email, login(&base, email).await));
        }
        for (n, org) in [(8, "ACCESSNS"), (9, "CPC")] {
            callers.push(Caller {
                credential: Credential::Token(api_token(&base, &admin, org).await),
                email: nobody(n),
            });
        }
        callers.push(Caller {
            credential: Credential::Session(expired),
            email: nobody(10),
        });
        callers.push(Caller {
            credential: Credential::Session(revoked),
            email: nobody(11),
        });
        assert_eq!(callers.len(), CALLERS.len());

        let mut before = Vec::new();
        for table in PORTFOLIO {
            before.push(count(&t.db, table).await);
        }

        let mut wrong = Vec::new();
        let mut observed = Vec::new();
        for (route, call, carried, want) in MATRIX {
            let (method, path) = route.split_once(' ').expect("METHOD /path");
            let mut target = if call.is_empty() { path } else { call }.to_owned();
            let mut carried = (*carried).to_owned();
            for (k, v) in &fill {
                target = target.replace(k, v);
                carried = carried.replace(k, v);
            }
            let mut got = Vec::new();
            for caller in &callers {
                let carried = carried.replace("{email}", &caller.email);
                let (status, body) = if path.starts_with("/sfn/") {
                    server_fn_as(&base, &target, &carried, &caller.credential).await
                } else if method == "GET" && !carried.is_empty() {
                    rest(
                        &base,
                        method,
                        &format!("{target}?{carried}"),
                        "",
                        &caller.credential,
                    )
                    .await
                } else {
                    rest(&base, method, &target, &carried, &caller.credential).await
                };
                assert!(
                    status < 500,
                    "{}: {route} answered {status}: {body}",
                    t.name
                );
                if status >= 400 && !path.starts_with("/sfn/") {
                    assert!(
                        body["error"]["code"].is_string(),
                        "{}: {route}: {status} not in the error shape: {body}",
                        t.name
                    );
                }
                got.push(status.to_string());
            }
            let got = got.join(" ");
            if got != *want {
                wrong.push(format!("{route}\n    want {want}\n    got  {got}"));
            }
            observed.push(format!("{route}: {got}"));
        }
        assert!(
            wrong.is_empty(),
            "{}: {} of {} rows differ from the matrix:\n{}\n\nall rows:\n{}",
            t.name,
            wrong.len(),
            MATRIX.len(),
            wrong.join("\n"),
            observed.join("\n")
        );

        for (table, was) in PORTFOLIO.iter().zip(before) {
            assert_eq!(
                count(&t.db, table).await,
                was,
                "{}: the matrix changed {table}",
                t.name
            );
        }
    }
}
