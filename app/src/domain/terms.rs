//! An agreement's terms as each version records them: the one schema in
//! which version snapshots are stored, read back and compared. It belongs to
//! the domain, not to the wire: renaming a field of the API can never change
//! how a past period is judged or reconciled. `schema_version` names the
//! shape; [`Terms::from_stored`] also reads the shapes stored before it.
//!
//! What is derived (boundaries crossed), what is presentation (names of
//! organisations, KPIs, life events) and what is state (status, version
//! number, approvals) is not a term and is not here. A party keeps its
//! organisation's `code` beside its id: the record says who signed, and a
//! comparison names parties by code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use super::channel_shift::ChannelMinimum;
use super::cost::CostModel;
use super::enums::{
    BarrierCategory, BarrierStatus, Channel, Frequency, GovernanceSection, PartnershipType,
    PartyRole, Purpose, Structure,
};
use super::service::{ClientType, OnlineStage, ServiceType};
use rust_decimal::Decimal;

/// The shape [`Terms`] is stored in today.
pub const SCHEMA_VERSION: u32 = 3;

/// Everything the parties agreed to, as of one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub schema_version: u32,
    pub title: String,
    pub title_fr: Option<String>,
    pub summary: String,
    pub summary_fr: Option<String>,
    pub purpose: Purpose,
    pub structure: Structure,
    pub partnership_type: PartnershipType,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub renewal_notice_days: i32,
    pub currency: String,
    pub fiscal_year_start_month: i16,
    pub parent_id: Option<i32>,
    pub parties: Vec<Party>,
    pub services: Vec<Service>,
    /// Codes of the life events covered.
    pub life_events: Vec<String>,
    pub barriers: Vec<Barrier>,
    pub governance: Vec<Section>,
    pub cost_model: Option<CostModel>,
    pub commitments: Vec<Commitment>,
    /// Tell Us Once: who passes a citizen's notice of a life event to whom.
    /// Absent from terms recorded before it existed (none).
    #[serde(default)]
    pub propagation: Vec<Propagation>,
    /// Minimum service levels: the share of all transactions each channel
    /// named keeps, whatever volume moves to other channels. Absent from
    /// terms recorded before they existed (none).
    #[serde(default)]
    pub channel_minimums: Vec<ChannelMinimum>,
    /// Whether the parties publish the agreement as open contracting data
    /// (the public feed). Absent from terms recorded before it existed (no).
    #[serde(default)]
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub organisation_id: i32,
    /// The organisation's stable short code when the version was recorded.
    pub code: String,
    pub role: PartyRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// The service's stable id within the agreement (`SVC-0042`): it keeps
    /// the service's identity, and its inventory row, across versions.
    /// Terms recorded before ids existed read as `S-1`, `S-2`… in order.
    #[serde(default)]
    pub code: String,
    pub name: String,
    pub name_fr: Option<String>,
    /// The delivering party's organisation id.
    pub delivered_by: i32,
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub client_types: Vec<ClientType>,
    #[serde(default)]
    pub service_type: ServiceType,
    /// The fee a client pays per transaction, in the agreement's currency;
    /// `None` for a service without fee.
    #[serde(default)]
    pub fee: Option<Decimal>,
    /// The stages that can be done online end to end.
    #[serde(default)]
    pub online_stages: Vec<OnlineStage>,
    /// At most one per channel, on one of the service's channels.
    #[serde(default)]
    pub standards: Vec<Standard>,
}

/// A service standard on one channel: what is promised (`Decision within
/// 10 working days`) and the share of transactions that should meet it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    pub channel: Channel,
    pub standard: String,
    #[serde(default)]
    pub standard_fr: Option<String>,
    /// A percentage, 0 to 100.
    pub target: Decimal,
}

/// A barrier of the register. Its status, mitigation and actions are also
/// kept up to date by its owning party between versions (see
/// [`super::barrier`]); a version records them as they were agreed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Barrier {
    /// The barrier's stable id within the agreement (`B-3`): it keeps the
    /// barrier's identity, and its register row, across versions. Terms
    /// recorded before ids (schema 2 and before) read as `B-1`, `B-2`… in
    /// order, until the start-up upgrade gives them the ids of the register.
    #[serde(default)]
    pub key: String,
    pub category: BarrierCategory,
    pub description: String,
    pub description_fr: Option<String>,
    pub severity: i16,
    pub mitigation: Option<String>,
    pub mitigation_fr: Option<String>,
    /// What is being done about it, step by step (free text).
    #[serde(default)]
    pub actions: Option<String>,
    #[serde(default)]
    pub actions_fr: Option<String>,
    pub owner_id: Option<i32>,
    pub status: BarrierStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub section: GovernanceSection,
    pub body: String,
    pub body_fr: Option<String>,
}

/// For one life event the agreement covers: the party that receives the
/// citizen's notice, the parties it must pass it to, and the target times
/// to acknowledge and to act, in working days from its receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Propagation {
    /// The life event's code in the catalogue.
    pub life_event: String,
    /// The intake party's organisation id.
    pub intake: i32,
    /// The organisation ids of the parties that must be told.
    pub told: Vec<i32>,
    pub acknowledge_days: i32,
    pub act_days: i32,
}

/// A service-level commitment; its `id` stays the same across versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: i32,
    /// The responsible party's organisation id.
    pub organisation_id: i32,
    /// The KPI's code in the catalogue.
    pub kpi: String,
    pub target: Decimal,
    pub warning_band: Option<Decimal>,
    pub channel: Option<Channel>,
    /// The code of the service it is about (`S-1`), one of the agreement's;
    /// absent for the whole partnership (and in terms recorded before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub frequency: Frequency,
    pub grace_days: i32,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub allowed_misses: Option<i32>,
}

/// The id a barrier gets when none is given: `B-1` for the first of an
/// agreement's barriers, `B-2` for the second… The migration that gave
/// barriers their ids and terms recorded before them follow the same rule
/// (`domain::barrier` holds the rest of the register's rules).
pub fn default_barrier_key(position: usize) -> String {
    format!("B-{}", position + 1)
}

/// Why stored terms could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TermsError {
    #[error("terms of schema version {0} are newer than this program reads ({SCHEMA_VERSION})")]
    Newer(u64),
    #[error("stored terms do not have the expected shape: {0}")]
    Shape(String),
}

impl Terms {
    /// Reads terms as stored in a version, whatever shape they were stored
    /// in: this schema (`schema_version` 3; 2 lacked barrier ids and
    /// actions), or the first shape (no
    /// `schema_version`: the agreement as the API showed it, up to
    /// 2026-12), whose presentation fields are dropped.
    ///
    /// # Errors
    /// [`TermsError::Newer`] for a schema version above [`SCHEMA_VERSION`],
    /// [`TermsError::Shape`] when a field is missing or of the wrong type.
    pub fn from_stored(value: &Value) -> Result<Self, TermsError> {
        let shape = |e: serde_json::Error| TermsError::Shape(e.to_string());
        match value.get("schema_version").and_then(Value::as_u64) {
            Some(v) if v > u64::from(SCHEMA_VERSION) => Err(TermsError::Newer(v)),
            Some(_) => serde_json::from_value(value.clone()).map_err(shape),
            None => serde_json::from_value::<FirstShape>(value.clone())
                .map(Terms::from)
                .map_err(shape),
        }
        .map(Terms::with_service_ids)
    }

    /// Services recorded before they had ids get `S-1`, `S-2`… by position
    /// (the rule the migration that introduced ids followed); so do
    /// barriers, `B-1`, `B-2`…
    fn with_service_ids(mut self) -> Self {
        for (i, s) in self.services.iter_mut().enumerate() {
            if s.code.is_empty() {
                s.code = super::service::default_code(i);
            }
        }
        for (i, b) in self.barriers.iter_mut().enumerate() {
            if b.key.is_empty() {
                b.key = default_barrier_key(i);
            }
        }
        self
    }

    /// The same terms written one way, so that two records of the same
    /// agreement compare equal however they were entered: optional texts
    /// that are blank are absent, life events are in code order, rates and
    /// amounts carry the currency's minor units (`1000.00` CAD), other
    /// decimals no trailing zeros (`60`, not `60.0`).
    pub fn normalised(mut self) -> Self {
        fn some_text(t: Option<String>) -> Option<String> {
            t.filter(|s| !s.trim().is_empty())
        }
        let currency = super::Currency::parse(&self.currency).unwrap_or(super::Currency::UNKNOWN);
        let money = |d: Decimal| currency.round(d);
        self.title_fr = some_text(self.title_fr);
        self.summary_fr = some_text(self.summary_fr);
        self.life_events.sort();
        self.life_events.dedup();
        for s in &mut self.services {
            s.name_fr = some_text(s.name_fr.take());
            s.client_types.sort_unstable();
            s.client_types.dedup();
            s.online_stages.sort_unstable();
            s.online_stages.dedup();
            s.fee = s.fee.map(money);
            for st in &mut s.standards {
                st.standard_fr = some_text(st.standard_fr.take());
                st.target = st.target.normalize();
            }
            s.standards.sort_by_key(|st| st.channel);
        }
        for b in &mut self.barriers {
            b.description_fr = some_text(b.description_fr.take());
            b.mitigation = some_text(b.mitigation.take());
            b.mitigation_fr = some_text(b.mitigation_fr.take());
            b.actions = some_text(b.actions.take());
            b.actions_fr = some_text(b.actions_fr.take());
        }
        for g in &mut self.governance {
            g.body_fr = some_text(g.body_fr.take());
        }
        self.governance.sort_by_key(|g| g.section);
        for p in &mut self.propagation {
            p.told.sort_unstable();
            p.told.dedup();
        }
        self.propagation
            .sort_by(|a, b| a.life_event.cmp(&b.life_event));
        for m in &mut self.channel_minimums {
            m.share = m.share.normalize();
        }
        self.channel_minimums.sort_by_key(|m| m.channel);
        if let Some(m) = &mut self.cost_model {
            m.fixed_portion = m.fixed_portion.map(|d| d.normalize());
            for w in m.channel_weights.values_mut() {
                *w = w.normalize();
            }
            for l in &mut m.lines {
                l.percent = l.percent.map(|d| d.normalize());
                l.cap = l.cap.map(money);
                l.floor = l.floor.map(money);
                for r in l.rates.values_mut() {
                    *r = money(*r);
                }
            }
            m.lines.sort_by_key(|l| l.organisation_id);
        }
        for c in &mut self.commitments {
            c.target = c.target.normalize();
            c.warning_band = c.warning_band.map(|d| d.normalize());
        }
        self.commitments.sort_by_key(|c| c.id);
        self
    }

    /// The commitments that name a service these terms do not have, or one
    /// not offered on the commitment's channel: (commitment id, what is
    /// wrong). A commitment names a service by its code.
    pub fn commitment_service_problems(&self) -> Vec<(i32, String)> {
        self.commitments
            .iter()
            .filter_map(|c| {
                let code = c.service.as_deref()?;
                let problem = match self.services.iter().find(|s| s.code == code) {
                    None => format!("The agreement has no service {code}."),
                    Some(s) => match c.channel {
                        Some(ch) if !s.channels.contains(&ch) => format!(
                            "Service {code} is not offered on the channel {}.",
                            ch.as_str()
                        ),
                        _ => return None,
                    },
                };
                Some((c.id, problem))
            })
            .collect()
    }

    /// The organisations named as parties.
    pub fn party_ids(&self) -> Vec<i32> {
        self.parties.iter().map(|p| p.organisation_id).collect()
    }

    /// The terms as they are stored.
    pub fn to_stored(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// How the first versions were stored: the API's agreement view. Only what
/// is a term is read; serde ignores the rest.
#[derive(Deserialize)]
struct FirstShape {
    title: String,
    title_fr: Option<String>,
    summary: String,
    summary_fr: Option<String>,
    purpose: Purpose,
    structure: Structure,
    partnership_type: PartnershipType,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    renewal_notice_days: i32,
    currency: String,
    fiscal_year_start_month: i16,
    parent: Option<FirstRef>,
    #[serde(default)]
    parties: Vec<Party>,
    #[serde(default)]
    services: Vec<Service>,
    #[serde(default)]
    life_events: Vec<FirstLifeEvent>,
    #[serde(default)]
    barriers: Vec<Barrier>,
    #[serde(default)]
    governance: Vec<Section>,
    cost_model: Option<CostModel>,
    #[serde(default)]
    commitments: Vec<Commitment>,
}

#[derive(Deserialize)]
struct FirstRef {
    id: i32,
}

#[derive(Deserialize)]
struct FirstLifeEvent {
    code: String,
}

impl From<FirstShape> for Terms {
    fn from(f: FirstShape) -> Self {
        Terms {
            schema_version: SCHEMA_VERSION,
            title: f.title,
            title_fr: f.title_fr,
            summary: f.summary,
            summary_fr: f.summary_fr,
            purpose: f.purpose,
            structure: f.structure,
            partnership_type: f.partnership_type,
            starts_on: f.starts_on,
            ends_on: f.ends_on,
            renewal_notice_days: f.renewal_notice_days,
            currency: f.currency,
            fiscal_year_start_month: f.fiscal_year_start_month,
            parent_id: f.parent.map(|p| p.id),
            parties: f.parties,
            services: f.services,
            life_events: f.life_events.into_iter().map(|e| e.code).collect(),
            barriers: f.barriers,
            governance: f.governance,
            cost_model: f.cost_model,
            commitments: f.commitments,
            propagation: Vec::new(),
            channel_minimums: Vec::new(),
            published: false,
        }
    }
}

/// How one field differs between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermChange {
    /// Where: `title`, `parties[SC].role`, `commitments[12].target`,
    /// `cost_model.lines[3].percent`…
    pub path: String,
    /// The value before, `None` when the field was added.
    pub before: Option<Value>,
    /// The value after, `None` when the field was removed.
    pub after: Option<Value>,
}

impl TermChange {
    /// `added`, `removed` or `changed`.
    pub fn kind(&self) -> &'static str {
        match (&self.before, &self.after) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        }
    }
}

/// Field-by-field differences from `before` to `after`, sorted by path. An
/// element of a list is named by what identifies it across versions (a
/// party by its code, a commitment by its id, a service by its name…), so
/// reordering a list changes nothing.
pub fn compare(before: &Terms, after: &Terms) -> Vec<TermChange> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten("", &before.to_stored(), &mut a);
    flatten("", &after.to_stored(), &mut b);
    let mut out = Vec::new();
    for (path, old) in &a {
        match b.get(path) {
            None => out.push(TermChange {
                path: path.clone(),
                before: Some(old.clone()),
                after: None,
            }),
            Some(new) if new != old => out.push(TermChange {
                path: path.clone(),
                before: Some(old.clone()),
                after: Some(new.clone()),
            }),
            Some(_) => {}
        }
    }
    for (path, new) in &b {
        if !a.contains_key(path) {
            out.push(TermChange {
                path: path.clone(),
                before: None,
                after: Some(new.clone()),
            });
        }
    }
    out.sort_by(|x, y| x.path.cmp(&y.path));
    out
}

/// The field that identifies an element of a list across versions.
fn element_key(list: &str, item: &Value) -> Option<String> {
    let field = match list {
        "parties" => "code",
        "services" => "code",
        "standards" => "channel",
        "barriers" => "key",
        "governance" => "section",
        "propagation" => "life_event",
        "channel_minimums" => "channel",
        "commitments" => "id",
        "lines" => "organisation_id",
        _ => return None,
    };
    item.get(field).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if prefix.is_empty() && k == "schema_version" {
                    continue; // how it is stored, not what was agreed
                }
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            let list = prefix.rsplit('.').next().unwrap_or(prefix);
            for (i, item) in items.iter().enumerate() {
                let key = element_key(list, item).unwrap_or_else(|| i.to_string());
                flatten(&format!("{prefix}[{key}]"), item, out);
            }
        }
        // A list of plain values (life events, channels) is a set.
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let mut sorted = items.clone();
            sorted.sort_by_key(Value::to_string);
            out.insert(prefix.to_owned(), Value::Array(sorted));
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CostModelKind;
    use crate::domain::cost::CostLine;
    use serde_json::json;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn terms() -> Terms {
        Terms {
            schema_version: SCHEMA_VERSION,
            title: "One window".into(),
            title_fr: Some("Guichet unique".into()),
            summary: "Sample.".into(),
            summary_fr: None,
            purpose: Purpose::SingleWindow,
            structure: Structure::Shared,
            partnership_type: PartnershipType::Collaborative,
            starts_on: "2025-01-01".parse().expect("date"),
            ends_on: "2027-12-31".parse().expect("date"),
            renewal_notice_days: 90,
            currency: "CAD".into(),
            fiscal_year_start_month: 4,
            parent_id: None,
            parties: vec![
                Party {
                    organisation_id: 2,
                    code: "SC".into(),
                    role: PartyRole::Lead,
                },
                Party {
                    organisation_id: 11,
                    code: "ACCESSNS".into(),
                    role: PartyRole::Partner,
                },
            ],
            services: vec![],
            life_events: vec!["birth_of_child".into()],
            barriers: vec![],
            governance: vec![],
            cost_model: Some(CostModel {
                kind: CostModelKind::Fixed,
                fixed_portion: None,
                channel_weights: BTreeMap::new(),
                lines: vec![
                    CostLine {
                        organisation_id: 2,
                        percent: Some(d("60")),
                        ..Default::default()
                    },
                    CostLine {
                        organisation_id: 11,
                        percent: Some(d("40")),
                        ..Default::default()
                    },
                ],
            }),
            commitments: vec![Commitment {
                id: 7,
                organisation_id: 11,
                kpi: "in_person_wait_min".into(),
                target: d("15"),
                warning_band: Some(d("5")),
                channel: Some(Channel::InPerson),
                service: None,
                frequency: Frequency::Monthly,
                grace_days: 15,
                effective_from: "2025-01-01".parse().expect("date"),
                effective_to: None,
                allowed_misses: None,
            }],
            propagation: vec![Propagation {
                life_event: "death".into(),
                intake: 2,
                told: vec![11],
                acknowledge_days: 2,
                act_days: 10,
            }],
            channel_minimums: vec![ChannelMinimum {
                channel: Channel::InPerson,
                share: d("30"),
            }],
            published: true,
        }
    }

    #[test]
    fn terms_are_stored_and_read_back_unchanged() {
        let t = terms();
        let stored = t.to_stored();
        assert_eq!(stored["schema_version"], json!(SCHEMA_VERSION));
        // Decimals are stored as text, exactly.
        assert_eq!(stored["commitments"][0]["target"], json!("15"));
        assert_eq!(Terms::from_stored(&stored), Ok(t));
    }

    /// A snapshot as versions were stored before the schema: the API's
    /// agreement view, with names, ids of rows and derived fields.
    fn first_shape() -> Value {
        json!({
            "title": "One window", "title_fr": "Guichet unique",
            "summary": "Sample.", "summary_fr": null,
            "purpose": "single_window", "structure": "shared",
            "partnership_type": "collaborative",
            "starts_on": "2025-01-01", "ends_on": "2027-12-31",
            "renewal_notice_days": 90, "currency": "CAD", "fiscal_year_start_month": 4,
            "parent": null,
            "parties": [
                {"organisation_id": 2, "code": "SC", "name": "Service Canada", "name_fr": null,
                 "kind": "agency", "sector": "public", "role": "lead",
                 "jurisdiction_id": 1, "jurisdiction": "Canada", "jurisdiction_fr": "Canada"},
                {"organisation_id": 11, "code": "ACCESSNS", "name": "Access Nova Scotia",
                 "name_fr": null, "kind": "agency", "sector": "public", "role": "partner",
                 "jurisdiction_id": 2, "jurisdiction": "Nova Scotia", "jurisdiction_fr": null}
            ],
            "services": [],
            "life_events": [{"code": "birth_of_child", "name": "Birth of a child", "name_fr": null}],
            "barriers": [], "governance": [],
            "cost_model": {"kind": "fixed", "fixed_portion": null, "channel_weights": {},
                           "lines": [
                               {"organisation_id": 2, "percent": "60", "cap": null, "floor": null, "rates": {}},
                               {"organisation_id": 11, "percent": "40", "cap": null, "floor": null, "rates": {}}
                           ]},
            "commitments": [
                {"id": 7, "organisation_id": 11, "kpi": "in_person_wait_min",
                 "kpi_name": "In-person wait time", "kpi_name_fr": null,
                 "target": "15", "warning_band": "5", "channel": "in_person",
                 "frequency": "monthly", "grace_days": 15, "effective_from": "2025-01-01",
                 "effective_to": null, "allowed_misses": null}
            ]
        })
    }

    /// The terms of [`terms`] as the first shape could record them: it had
    /// no propagation terms, no minimum service levels and no publication.
    fn first_shape_terms() -> Terms {
        Terms {
            propagation: Vec::new(),
            channel_minimums: Vec::new(),
            published: false,
            ..terms()
        }
    }

    #[test]
    fn a_snapshot_in_the_first_shape_is_read_as_the_same_terms() {
        assert_eq!(Terms::from_stored(&first_shape()), Ok(first_shape_terms()));
    }

    #[test]
    fn a_snapshot_in_the_first_shape_names_its_parent_by_id() {
        let mut v = first_shape();
        v["parent"] = json!({"id": 3, "reference": "AGR-2023-0001", "title": "MOU"});
        assert_eq!(Terms::from_stored(&v).expect("reads").parent_id, Some(3));
    }

    #[test]
    fn a_first_shape_and_this_shape_compare_as_equal() {
        let old = Terms::from_stored(&first_shape()).expect("reads");
        assert_eq!(compare(&old, &first_shape_terms()), vec![]);
    }

    #[test]
    fn identical_terms_have_no_differences() {
        assert_eq!(compare(&terms(), &terms()), vec![]);
    }

    #[test]
    fn a_newer_schema_is_refused_rather_than_misread() {
        let mut v = terms().to_stored();
        v["schema_version"] = json!(4);
        assert_eq!(Terms::from_stored(&v), Err(TermsError::Newer(4)));
    }

    #[test]
    fn barriers_recorded_without_ids_or_actions_still_read_and_get_ids_by_position() {
        let mut v = terms().to_stored();
        v["schema_version"] = json!(2);
        v["barriers"] = json!([
            {"category": "legal", "description": "Privacy law", "description_fr": null,
             "severity": 4, "mitigation": null, "mitigation_fr": null, "owner_id": 2,
             "status": "open"},
            {"category": "cultural", "description": "Norms", "description_fr": null,
             "severity": 2, "mitigation": null, "mitigation_fr": null, "owner_id": 11,
             "status": "mitigated"}
        ]);
        let t = Terms::from_stored(&v).expect("reads");
        let keys: Vec<&str> = t.barriers.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["B-1", "B-2"]);
        assert_eq!(t.barriers[0].actions, None);
    }

    #[test]
    fn a_barrier_is_named_by_its_id_so_a_new_description_is_one_change() {
        let mut before = terms();
        before.barriers = vec![Barrier {
            key: "B-1".into(),
            category: BarrierCategory::Legal,
            description: "Privacy law".into(),
            description_fr: None,
            severity: 4,
            mitigation: None,
            mitigation_fr: None,
            actions: None,
            actions_fr: None,
            owner_id: Some(2),
            status: BarrierStatus::Open,
        }];
        let mut after = before.clone();
        after.barriers[0].description = "Privacy laws of two governments".into();
        let changes = compare(&before, &after);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].path, "barriers[B-1].description");
    }

    #[test]
    fn a_snapshot_missing_a_term_is_refused_with_its_name() {
        let mut v = terms().to_stored();
        v.as_object_mut().expect("object").remove("starts_on");
        match Terms::from_stored(&v) {
            Err(TermsError::Shape(m)) => assert!(m.contains("starts_on"), "{m}"),
            other => panic!("expected a shape error, got {other:?}"),
        }
    }

    #[test]
    fn changes_name_list_elements_by_what_identifies_them() {
        let before = terms();
        let mut after = terms();
        after.parties[1].role = PartyRole::Funder;
        after.commitments[0].target = d("12");
        after.propagation[0].act_days = 5;
        after.channel_minimums[0].share = d("25.5");
        after.parties.reverse(); // order is not a change
        let changes = compare(&before, &after);
        let paths: Vec<(&str, &str)> = changes
            .iter()
            .map(|c| (c.path.as_str(), c.kind()))
            .collect();
        assert_eq!(
            paths,
            [
                ("channel_minimums[in_person].share", "changed"),
                ("commitments[7].target", "changed"),
                ("parties[ACCESSNS].role", "changed"),
                ("propagation[death].act_days", "changed"),
            ]
        );
        assert_eq!(changes[0].before, Some(json!("30")));
        assert_eq!(changes[0].after, Some(json!("25.5")));
        assert_eq!(changes[1].before, Some(json!("15")));
        assert_eq!(changes[1].after, Some(json!("12")));
    }

    #[test]
    fn a_party_added_or_removed_shows_each_of_its_fields() {
        let before = terms();
        let mut after = terms();
        after.parties.remove(1);
        after.parties.push(Party {
            organisation_id: 30,
            code: "TOR".into(),
            role: PartyRole::Partner,
        });
        let changes = compare(&before, &after);
        assert!(
            changes
                .iter()
                .any(|c| c.path == "parties[ACCESSNS].role" && c.kind() == "removed")
        );
        assert!(
            changes
                .iter()
                .any(|c| c.path == "parties[TOR].code" && c.kind() == "added")
        );
    }

    #[test]
    fn a_cost_model_removed_is_one_change_per_field() {
        let before = terms();
        let mut after = terms();
        after.cost_model = None;
        let changes = compare(&before, &after);
        assert!(changes.iter().all(|c| c.path.starts_with("cost_model")));
        assert!(
            changes
                .iter()
                .any(|c| c.path == "cost_model.lines[2].percent" && c.kind() == "removed")
                || changes.iter().any(|c| c.path == "cost_model")
        );
    }

    #[test]
    fn the_same_terms_entered_two_ways_are_normalised_alike_and_compare_equal() {
        let mut typed = terms();
        typed.title_fr = Some("Guichet unique".into());
        typed.summary_fr = Some("  ".into());
        typed.life_events = vec!["moving".into(), "birth_of_child".into()];
        if let Some(m) = &mut typed.cost_model {
            m.lines[0].percent = Some(d("60.00"));
            m.lines[0].cap = Some(d("1000"));
            m.lines.reverse();
        }
        typed.commitments[0].target = d("15.0");
        let mut shown = terms();
        shown.life_events = vec!["birth_of_child".into(), "moving".into()];
        if let Some(m) = &mut shown.cost_model {
            m.lines[0].cap = Some(d("1000.00"));
        }
        let (a, b) = (typed.normalised(), shown.normalised());
        assert_eq!(a, b);
        assert_eq!(a.summary_fr, None);
        assert_eq!(
            a.cost_model
                .as_ref()
                .and_then(|m| m.lines[0].cap)
                .map(|c| c.to_string()),
            Some("1000.00".to_owned()),
            "money carries the currency's two digits"
        );
        assert_eq!(a.commitments[0].target.to_string(), "15");
    }

    #[test]
    fn reordering_a_list_of_plain_values_is_no_change() {
        let mut before = terms();
        before.life_events = vec!["a".into(), "b".into()];
        let mut after = terms();
        after.life_events = vec!["b".into(), "a".into()];
        assert_eq!(compare(&before, &after), vec![]);
        after.life_events.push("c".into());
        let changes = compare(&before, &after);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, "life_events");
    }
}
