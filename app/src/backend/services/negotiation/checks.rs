//! What proposed terms must satisfy before they are saved: field by field,
//! with every problem named beside its field, and the `Terms` a checked
//! proposal becomes.

use super::access::may_see;
use crate::backend::entities::{agreement_service, barrier, life_event, organisation};
use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::channel_shift::ChannelMinimum;
use crate::domain::cost::{CostModel, check_model};
use crate::domain::{Channel, Terms, terms};
use crate::domain::{
    Currency, Money, OrganisationKind, PartyFacts, Percent, check_parties, check_term, service,
};
use crate::wire::cost::CostModelParams;
use crate::wire::negotiation::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// Longest title, name or short text.
pub(super) const SHORT_TEXT: usize = 200;

/// Longest summary, description or governance section.
pub(super) const LONG_TEXT: usize = 10_000;

/// Terms checked against the database, ready to write.
pub(crate) struct Checked {
    pub(super) terms: AgreementTermsParams,
    pub(super) currency: Currency,
    pub(super) fiscal: i16,
    pub(super) notice: i32,
    pub(super) cost_model: Option<CostModel>,
    /// Each party's organisation code, by id.
    pub(super) codes: HashMap<i32, String>,
}

pub(super) fn text_problem(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, "This field is required."));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, format!("At most {max} characters.")));
    }
}

/// An optional text, such as a translation: no longer than `max`.
fn optional_text(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>, max: usize) {
    text_problem(errors, field, value.unwrap_or(""), max, false);
}

/// Checks every rule of DOMAIN.md §2 on `terms`, collecting every problem.
///
/// Fails with `Validation` listing each problem by field.
pub(crate) async fn check(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    mut terms: AgreementTermsParams,
    agreement_id: Option<i32>,
) -> ServiceResult<Checked> {
    let mut errors = Vec::new();
    let (currency, fiscal, notice) = check_heading(&mut errors, &mut terms);
    let orgs = check_parties_of(db, &mut errors, &terms).await?;
    let party_ids: HashSet<i32> = terms.parties.iter().map(|p| p.organisation_id).collect();
    let recorded = recorded_services(db, agreement_id).await?;
    check_services(&mut errors, &mut terms, &party_ids, currency, &recorded);
    check_life_events(db, &mut errors, &terms).await?;
    check_barriers(&mut errors, &terms, &party_ids);
    let known = recorded_barriers(db, agreement_id).await?;
    key_barriers(&mut errors, &mut terms, &known);
    check_governance(&mut errors, &terms);
    check_propagation(&mut errors, &terms, &party_ids);
    check_channel_minimums(&mut errors, &terms);
    check_parent(ctx, db, &mut errors, terms.parent_id, agreement_id).await?;
    let cost_model = match (&terms.cost_model, currency) {
        (Some(params), Some(currency)) => {
            check_cost_model(&mut errors, params, currency, &party_ids)?
        }
        _ => None,
    };
    match (errors.is_empty(), currency) {
        (true, Some(currency)) => Ok(Checked {
            terms,
            currency,
            fiscal,
            notice,
            cost_model,
            codes: orgs.into_iter().map(|(id, o)| (id, o.code)).collect(),
        }),
        _ => Err(ServiceError::validation(
            format!(
                "{} problem(s) in the terms; nothing was saved.",
                errors.len()
            ),
            errors,
        )),
    }
}

/// Titles, summaries, the term, the currency, the fiscal year and the
/// renewal notice; trims the title. Returns the currency (when known),
/// the fiscal year's first month and the notice in days.
fn check_heading(
    errors: &mut Vec<FieldError>,
    terms: &mut AgreementTermsParams,
) -> (Option<Currency>, i16, i32) {
    text_problem(errors, "title", &terms.title, SHORT_TEXT, true);
    optional_text(errors, "title_fr", terms.title_fr.as_deref(), SHORT_TEXT);
    text_problem(errors, "summary", &terms.summary, LONG_TEXT, false);
    optional_text(errors, "summary_fr", terms.summary_fr.as_deref(), LONG_TEXT);
    terms.title = terms.title.trim().to_owned();
    for v in check_term(terms.starts_on, terms.ends_on) {
        errors.push(FieldError::new(v.field, v.message));
    }
    let currency = match Currency::parse(terms.currency.trim()) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(FieldError::new("currency", e.to_string()));
            None
        }
    };
    let fiscal = terms.fiscal_year_start_month.unwrap_or(1);
    if !(1..=12).contains(&fiscal) {
        errors.push(FieldError::new(
            "fiscal_year_start_month",
            "A month from 1 to 12.",
        ));
    }
    let notice = terms.renewal_notice_days.unwrap_or(90);
    if !(0..=730).contains(&notice) {
        errors.push(FieldError::new(
            "renewal_notice_days",
            "From 0 to 730 days.",
        ));
    }
    (currency, fiscal, notice)
}

/// Parties: known organisations, once each, and the structure's rules.
/// Returns the organisations named, by id.
async fn check_parties_of(
    db: &impl ConnectionTrait,
    errors: &mut Vec<FieldError>,
    terms: &AgreementTermsParams,
) -> ServiceResult<HashMap<i32, organisation::Model>> {
    let ids: Vec<i32> = terms.parties.iter().map(|p| p.organisation_id).collect();
    let orgs: HashMap<i32, organisation::Model> =
        crate::backend::services::organisations::organisations_by_id(db, Some(ids)).await?;
    let mut facts = Vec::new();
    for (i, p) in terms.parties.iter().enumerate() {
        match orgs.get(&p.organisation_id) {
            None => errors.push(FieldError::new(
                format!("parties[{i}].organisation_id"),
                format!("No organisation has id {}.", p.organisation_id),
            )),
            Some(o) => {
                let kind: OrganisationKind = o.kind;
                facts.push((
                    PartyFacts {
                        organisation_id: o.id,
                        sector: kind.sector(),
                        jurisdiction_id: o.jurisdiction_id,
                    },
                    p.role,
                ));
            }
        }
    }
    if terms.parties.is_empty() {
        errors.push(FieldError::new(
            "parties",
            "An agreement needs at least one party, its lead.",
        ));
    } else {
        for v in check_parties(terms.structure, &facts) {
            errors.push(FieldError::new(v.field, v.message));
        }
    }
    Ok(orgs)
}

/// Each service: an id (given, or the next free `S-n`), unique within the
/// agreement; a name, delivered by a party, on at least one channel; a fee
/// in the agreement's currency; standards on the service's own channels,
/// one per channel, each with a target percentage. Gives each service
/// without an id its id, and each fee and target its checked form.
fn check_services(
    errors: &mut Vec<FieldError>,
    terms: &mut AgreementTermsParams,
    party_ids: &HashSet<i32>,
    currency: Option<Currency>,
    recorded: &[(String, String)],
) {
    let mut taken: HashSet<String> = HashSet::new();
    for (i, s) in terms.services.iter_mut().enumerate() {
        s.code = s
            .code
            .take()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        if let Some(code) = &s.code {
            if let Some(problem) = service::code_problem(code) {
                errors.push(FieldError::new(format!("services[{i}].code"), problem));
            } else if !taken.insert(code.clone()) {
                errors.push(FieldError::new(
                    format!("services[{i}].code"),
                    format!("Two services have the id {code}."),
                ));
            }
        }
        text_problem(
            errors,
            &format!("services[{i}].name"),
            &s.name,
            SHORT_TEXT,
            true,
        );
        optional_text(
            errors,
            &format!("services[{i}].name_fr"),
            s.name_fr.as_deref(),
            SHORT_TEXT,
        );
        if !party_ids.contains(&s.delivered_by) {
            errors.push(FieldError::new(
                format!("services[{i}].delivered_by"),
                "The delivering organisation must be a party.",
            ));
        }
        if s.channels.is_empty() {
            errors.push(FieldError::new(
                format!("services[{i}].channels"),
                "Name at least one channel.",
            ));
        }
        s.fee = s
            .fee
            .take()
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty());
        if let (Some(fee), Some(currency)) = (&s.fee, currency) {
            match Money::parse_non_negative(fee, currency) {
                Ok(m) => s.fee = Some(m.amount().to_string()),
                Err(e) => errors.push(FieldError::new(format!("services[{i}].fee"), e.to_string())),
            }
        }
        let mut channels_with_standard = HashSet::new();
        for (j, st) in s.standards.iter_mut().enumerate() {
            let field = |f: &str| format!("services[{i}].standards[{j}].{f}");
            if !s.channels.contains(&st.channel) {
                errors.push(FieldError::new(
                    field("channel"),
                    "A standard is for one of the service's channels.",
                ));
            } else if !channels_with_standard.insert(st.channel) {
                errors.push(FieldError::new(
                    field("channel"),
                    "One standard per channel.",
                ));
            }
            text_problem(errors, &field("standard"), &st.standard, SHORT_TEXT, true);
            optional_text(
                errors,
                &field("standard_fr"),
                st.standard_fr.as_deref(),
                SHORT_TEXT,
            );
            match Percent::parse(st.target.trim()) {
                Ok(p) => st.target = p.value().normalize().to_string(),
                Err(e) => errors.push(FieldError::new(field("target"), e.to_string())),
            }
        }
    }
    // A service without an id keeps the id of the agreement's recorded
    // service of the same name (as a system that never sends ids expects);
    // any other gets the lowest `S-n` no service of the agreement ever had.
    for s in &mut terms.services {
        if s.code.is_some() {
            continue;
        }
        let name = s.name.trim();
        if let Some((code, _)) = recorded
            .iter()
            .find(|(code, n)| n == name && !taken.contains(code))
        {
            taken.insert(code.clone());
            s.code = Some(code.clone());
        }
    }
    let ever: HashSet<&str> = recorded.iter().map(|(code, _)| code.as_str()).collect();
    let mut n = 0;
    for s in &mut terms.services {
        if s.code.is_none() {
            let code = loop {
                let c = service::default_code(n);
                n += 1;
                if !taken.contains(&c) && !ever.contains(c.as_str()) {
                    break c;
                }
            };
            taken.insert(code.clone());
            s.code = Some(code);
        }
    }
}

/// The (id, name) of every service agreement `id` has recorded, those in
/// force first; none for a new agreement.
async fn recorded_services(
    db: &impl ConnectionTrait,
    id: Option<i32>,
) -> ServiceResult<Vec<(String, String)>> {
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    let mut rows = agreement_service::Entity::find()
        .filter(agreement_service::Column::AgreementId.eq(id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (!r.in_force, r.id));
    Ok(rows.into_iter().map(|r| (r.code, r.name)).collect())
}

/// Each life event: a known code, named once.
async fn check_life_events(
    db: &impl ConnectionTrait,
    errors: &mut Vec<FieldError>,
    terms: &AgreementTermsParams,
) -> ServiceResult<()> {
    let known: HashMap<String, i32> = life_event::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.code, e.id))
        .collect();
    let mut seen = HashSet::new();
    for (i, code) in terms.life_events.iter().enumerate() {
        match known.get(code.trim()) {
            Some(id) if seen.insert(*id) => {}
            Some(_) => errors.push(FieldError::new(format!("life_events[{i}]"), "Named twice.")),
            None => errors.push(FieldError::new(
                format!("life_events[{i}]"),
                format!("No life event has code '{code}'."),
            )),
        }
    }
    Ok(())
}

/// Each barrier: a description, a severity from 1 to 5, owned by a party.
fn check_barriers(
    errors: &mut Vec<FieldError>,
    terms: &AgreementTermsParams,
    party_ids: &HashSet<i32>,
) {
    for (i, b) in terms.barriers.iter().enumerate() {
        text_problem(
            errors,
            &format!("barriers[{i}].description"),
            &b.description,
            LONG_TEXT,
            true,
        );
        optional_text(
            errors,
            &format!("barriers[{i}].description_fr"),
            b.description_fr.as_deref(),
            LONG_TEXT,
        );
        optional_text(
            errors,
            &format!("barriers[{i}].mitigation"),
            b.mitigation.as_deref(),
            LONG_TEXT,
        );
        optional_text(
            errors,
            &format!("barriers[{i}].mitigation_fr"),
            b.mitigation_fr.as_deref(),
            LONG_TEXT,
        );
        optional_text(
            errors,
            &format!("barriers[{i}].actions"),
            b.actions.as_deref(),
            LONG_TEXT,
        );
        optional_text(
            errors,
            &format!("barriers[{i}].actions_fr"),
            b.actions_fr.as_deref(),
            LONG_TEXT,
        );
        if !(1..=5).contains(&b.severity) {
            errors.push(FieldError::new(
                format!("barriers[{i}].severity"),
                "A severity from 1 to 5.",
            ));
        }
        if b.owner_id.is_some_and(|o| !party_ids.contains(&o)) {
            errors.push(FieldError::new(
                format!("barriers[{i}].owner_id"),
                "The owner must be a party.",
            ));
        }
    }
}

/// The (id, description) of every barrier agreement `id` has recorded,
/// those in force first; none for a new agreement.
async fn recorded_barriers(
    db: &impl ConnectionTrait,
    id: Option<i32>,
) -> ServiceResult<Vec<(String, String)>> {
    let Some(id) = id else {
        return Ok(Vec::new());
    };
    let mut rows = barrier::Entity::find()
        .filter(barrier::Column::AgreementId.eq(id))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (!r.in_force, r.id));
    Ok(rows.into_iter().map(|r| (r.key, r.description)).collect())
}

/// Each barrier's id: well formed and named once. A barrier without one
/// keeps the id of the agreement's recorded barrier of the same
/// description (as a system that never sends ids expects); any other gets
/// the lowest `B-n` no barrier of the agreement ever had.
fn key_barriers(
    errors: &mut Vec<FieldError>,
    terms: &mut AgreementTermsParams,
    known: &[(String, String)],
) {
    let mut seen = HashSet::new();
    for (i, b) in terms.barriers.iter_mut().enumerate() {
        let Some(key) = &mut b.key else { continue };
        *key = key.trim().to_owned();
        if let Some(problem) = crate::domain::barrier::key_problem(key) {
            errors.push(FieldError::new(format!("barriers[{i}].key"), problem));
        } else if !seen.insert(key.clone()) {
            errors.push(FieldError::new(
                format!("barriers[{i}].key"),
                "Named twice.",
            ));
        }
    }
    let mut list: Vec<terms::Barrier> = terms
        .barriers
        .iter()
        .map(|b| terms::Barrier {
            key: b.key.clone().unwrap_or_default(),
            category: b.category,
            description: b.description.clone(),
            description_fr: None,
            severity: b.severity,
            mitigation: None,
            mitigation_fr: None,
            actions: None,
            actions_fr: None,
            owner_id: b.owner_id,
            status: b.status,
        })
        .collect();
    crate::domain::barrier::assign_keys(&mut list, known);
    for (b, keyed) in terms.barriers.iter_mut().zip(list) {
        b.key = Some(keyed.key);
    }
}

/// Governance: each section once, with a body.
fn check_governance(errors: &mut Vec<FieldError>, terms: &AgreementTermsParams) {
    let mut sections = HashSet::new();
    for (i, g) in terms.governance.iter().enumerate() {
        if !sections.insert(g.section) {
            errors.push(FieldError::new(
                format!("governance[{i}].section"),
                "This section appears twice.",
            ));
        }
        text_problem(
            errors,
            &format!("governance[{i}].body"),
            &g.body,
            LONG_TEXT,
            true,
        );
        optional_text(
            errors,
            &format!("governance[{i}].body_fr"),
            g.body_fr.as_deref(),
            LONG_TEXT,
        );
    }
}

/// Minimum service levels: each on a channel some service of the agreement
/// is offered through, once, keeping a share above 0 and at most 100 %
/// ([`ChannelMinimum::parse_share`]); all of them keepable at once.
fn check_channel_minimums(errors: &mut Vec<FieldError>, terms: &AgreementTermsParams) {
    let offered: HashSet<Channel> = terms
        .services
        .iter()
        .flat_map(|s| s.channels.iter().copied())
        .collect();
    let mut seen = HashSet::new();
    let mut shares = Vec::new();
    for (i, m) in terms.channel_minimums.iter().enumerate() {
        let at = |field: &str| format!("channel_minimums[{i}].{field}");
        if !offered.contains(&m.channel) {
            errors.push(FieldError::new(
                at("channel"),
                "Name a channel one of the agreement's services is offered through.",
            ));
        } else if !seen.insert(m.channel) {
            errors.push(FieldError::new(at("channel"), "One minimum a channel."));
        }
        match ChannelMinimum::parse_share(&m.share) {
            Ok(share) => shares.push(share),
            Err(e) => errors.push(FieldError::new(at("share"), e)),
        }
    }
    if !ChannelMinimum::all_keepable(shares) {
        errors.push(FieldError::new(
            "channel_minimums",
            "The minimums together keep more than all transactions (100 %).",
        ));
    }
}

/// The longest target, in working days, a propagation term may set (a
/// year of working days).
const MAX_PROPAGATION_DAYS: i32 = 260;

/// Tell Us Once: each term for a life event the agreement covers, once;
/// its intake and every party told are parties, the intake not among those
/// told, at least one told; its targets from 0 to a year of working days,
/// acting no sooner than acknowledging.
fn check_propagation(
    errors: &mut Vec<FieldError>,
    terms: &AgreementTermsParams,
    party_ids: &HashSet<i32>,
) {
    let covered: HashSet<&str> = terms.life_events.iter().map(|e| e.trim()).collect();
    let mut seen = HashSet::new();
    for (i, p) in terms.propagation.iter().enumerate() {
        let at = |field: &str| format!("propagation[{i}].{field}");
        let event = p.life_event.trim();
        if !covered.contains(event) {
            errors.push(FieldError::new(
                at("life_event"),
                "Name a life event the agreement covers.",
            ));
        } else if !seen.insert(event) {
            errors.push(FieldError::new(
                at("life_event"),
                "One propagation term a life event.",
            ));
        }
        if !party_ids.contains(&p.intake_organisation_id) {
            errors.push(FieldError::new(
                at("intake_organisation_id"),
                "The intake party must be a party.",
            ));
        }
        let mut told = HashSet::new();
        if p.told_organisation_ids.is_empty() {
            errors.push(FieldError::new(
                at("told_organisation_ids"),
                "Name at least one party to tell.",
            ));
        }
        for o in &p.told_organisation_ids {
            let problem = if !party_ids.contains(o) {
                Some("Every party told must be a party.")
            } else if *o == p.intake_organisation_id {
                Some("The intake party already knows: do not tell it.")
            } else if !told.insert(*o) {
                Some("A party is told once.")
            } else {
                None
            };
            if let Some(m) = problem {
                errors.push(FieldError::new(at("told_organisation_ids"), m));
            }
        }
        for (field, days) in [
            ("acknowledge_days", p.acknowledge_days),
            ("act_days", p.act_days),
        ] {
            if !(0..=MAX_PROPAGATION_DAYS).contains(&days) {
                errors.push(FieldError::new(
                    at(field),
                    format!("From 0 to {MAX_PROPAGATION_DAYS} working days."),
                ));
            }
        }
        if p.act_days < p.acknowledge_days {
            errors.push(FieldError::new(
                at("act_days"),
                "Acting cannot be due before acknowledging.",
            ));
        }
    }
}

/// The parent: another agreement the caller may see.
async fn check_parent(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    errors: &mut Vec<FieldError>,
    parent_id: Option<i32>,
    agreement_id: Option<i32>,
) -> ServiceResult<()> {
    let Some(parent) = parent_id else {
        return Ok(());
    };
    if Some(parent) == agreement_id {
        errors.push(FieldError::new(
            "parent_id",
            "An agreement cannot be its own parent.",
        ));
    } else if !may_see(ctx, db, parent).await? {
        // The same answer whether it does not exist or the caller may
        // not see it: no reference, no title, no oracle.
        errors.push(FieldError::new(
            "parent_id",
            format!("No agreement has id {parent}."),
        ));
    }
    Ok(())
}

/// The cost model: well formed, sharing among the parties only. Returns it
/// when it has no problem.
fn check_cost_model(
    errors: &mut Vec<FieldError>,
    params: &CostModelParams,
    currency: Currency,
    party_ids: &HashSet<i32>,
) -> ServiceResult<Option<CostModel>> {
    match crate::backend::services::costs::parse_model(params, currency) {
        Ok(m) => {
            let parties: Vec<i32> = party_ids.iter().copied().collect();
            let problems = check_model(&m, &parties);
            let ok = problems.is_empty();
            for p in problems {
                errors.push(FieldError::new(
                    format!("cost_model.{}", p.field),
                    p.message,
                ));
            }
            Ok(ok.then_some(m))
        }
        Err(ServiceError::Validation { details, .. }) => {
            for d in details {
                let field = d.field.strip_prefix("model.").unwrap_or(&d.field);
                errors.push(FieldError::new(format!("cost_model.{field}"), d.message));
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The terms `c` proposes, with `commitments`, as a version records them.
pub(super) fn proposal(c: &Checked, commitments: Vec<terms::Commitment>) -> Terms {
    let t = &c.terms;
    Terms {
        schema_version: terms::SCHEMA_VERSION,
        title: t.title.trim().to_owned(),
        title_fr: t.title_fr.clone(),
        summary: t.summary.trim().to_owned(),
        summary_fr: t.summary_fr.clone(),
        purpose: t.purpose,
        structure: t.structure,
        partnership_type: t.partnership_type,
        starts_on: t.starts_on,
        ends_on: t.ends_on,
        renewal_notice_days: c.notice,
        currency: c.currency.code().to_owned(),
        fiscal_year_start_month: c.fiscal,
        parent_id: t.parent_id,
        published: t.published,
        parties: t
            .parties
            .iter()
            .map(|p| terms::Party {
                organisation_id: p.organisation_id,
                code: c.codes.get(&p.organisation_id).cloned().unwrap_or_default(),
                role: p.role,
            })
            .collect(),
        services: t
            .services
            .iter()
            .map(|s| terms::Service {
                code: s.code.clone().unwrap_or_default(),
                name: s.name.trim().to_owned(),
                name_fr: s.name_fr.clone(),
                delivered_by: s.delivered_by,
                channels: s.channels.clone(),
                client_types: s.client_types.clone(),
                service_type: s.service_type,
                fee: s.fee.as_deref().and_then(|f| f.parse().ok()),
                online_stages: s.online_stages.clone(),
                standards: s
                    .standards
                    .iter()
                    .map(|st| terms::Standard {
                        channel: st.channel,
                        standard: st.standard.trim().to_owned(),
                        standard_fr: st.standard_fr.clone(),
                        target: st.target.parse().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
        life_events: t.life_events.iter().map(|e| e.trim().to_owned()).collect(),
        barriers: t
            .barriers
            .iter()
            .map(|b| terms::Barrier {
                key: b.key.clone().unwrap_or_default(),
                category: b.category,
                description: b.description.trim().to_owned(),
                description_fr: b.description_fr.clone(),
                severity: b.severity,
                mitigation: b.mitigation.clone(),
                mitigation_fr: b.mitigation_fr.clone(),
                actions: b.actions.clone(),
                actions_fr: b.actions_fr.clone(),
                owner_id: b.owner_id,
                status: b.status,
            })
            .collect(),
        governance: t
            .governance
            .iter()
            .map(|g| terms::Section {
                section: g.section,
                body: g.body.trim().to_owned(),
                body_fr: g.body_fr.clone(),
            })
            .collect(),
        cost_model: c.cost_model.clone(),
        commitments,
        propagation: t.propagation.iter().map(|p| p.to_terms()).collect(),
        channel_minimums: t.channel_minimums.iter().map(|m| m.to_terms()).collect(),
    }
    .normalised()
}
