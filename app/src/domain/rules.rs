//! Structural rules of an agreement — its parties and its term — reporting
//! every problem at once so that a form can show them all. Rules that need
//! stored data (who may approve, what changed between versions) do not belong
//! here.

use super::Id;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::boundary::PartyFacts;
use super::enums::{PartyRole, Structure};

/// One broken rule: the field it concerns, a stable machine code (for the UI
/// to translate) and an English message (for logs and the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl RuleViolation {
    fn new(field: &'static str, code: &'static str, message: String) -> Self {
        Self {
            field,
            code,
            message,
        }
    }
}

/// Checks an agreement's parties against its structure; empty when all is well.
///
/// Reports, on field `parties`: `lead_count` unless exactly one party leads;
/// `duplicate_party` for each organisation listed more than once;
/// `service_agent_missing` for a `service_agent` structure without a
/// service-agent party; `host_missing` for a `co_located` structure without a
/// host; `direct_multiple_governments` for a `direct` structure whose parties
/// do not all belong to one and the same jurisdiction.
pub fn check_parties(
    structure: Structure,
    parties: &[(PartyFacts, PartyRole)],
) -> Vec<RuleViolation> {
    let mut violations = Vec::new();
    let has_role = |role: PartyRole| parties.iter().any(|&(_, party_role)| party_role == role);

    let leads = parties
        .iter()
        .filter(|&&(_, role)| role == PartyRole::Lead)
        .count();
    if leads != 1 {
        violations.push(RuleViolation::new(
            "parties",
            "lead_count",
            format!("an agreement has exactly one lead party; this one has {leads}"),
        ));
    }

    let mut listings: BTreeMap<Id, usize> = BTreeMap::new();
    for (facts, _) in parties {
        *listings.entry(facts.organisation_id).or_default() += 1;
    }
    for (organisation_id, count) in listings {
        if count > 1 {
            violations.push(RuleViolation::new(
                "parties",
                "duplicate_party",
                format!("organisation {organisation_id} is listed {count} times; an organisation is a party once"),
            ));
        }
    }

    match structure {
        Structure::ServiceAgent if !has_role(PartyRole::ServiceAgent) => {
            violations.push(RuleViolation::new(
                "parties",
                "service_agent_missing",
                "a service-agent agreement needs a party with the role service_agent".to_owned(),
            ));
        }
        Structure::CoLocated if !has_role(PartyRole::Host) => {
            violations.push(RuleViolation::new(
                "parties",
                "host_missing",
                "a co-located agreement needs a party with the role host, who provides the premises".to_owned(),
            ));
        }
        Structure::Direct => {
            let first = parties.first().and_then(|(facts, _)| facts.jurisdiction_id);
            let one_government = first.is_some()
                && parties
                    .iter()
                    .all(|(facts, _)| facts.jurisdiction_id == first);
            if !one_government {
                violations.push(RuleViolation::new(
                    "parties",
                    "direct_multiple_governments",
                    "a direct agreement has parties from one government only, each with that jurisdiction".to_owned(),
                ));
            }
        }
        _ => {}
    }

    violations
}

/// Checks an agreement's term; empty when all is well.
///
/// Reports `term_order` on field `ends_on` unless the term ends strictly after
/// it starts.
pub fn check_term(starts_on: NaiveDate, ends_on: NaiveDate) -> Vec<RuleViolation> {
    if ends_on > starts_on {
        return Vec::new();
    }
    vec![RuleViolation::new(
        "ends_on",
        "term_order",
        format!(
            "the term must end after it starts; it starts on {starts_on} and ends on {ends_on}"
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Sector;

    const CANADA: Id = 1;
    const NOVA_SCOTIA: Id = 2;

    fn party(organisation_id: Id, jurisdiction_id: Id, role: PartyRole) -> (PartyFacts, PartyRole) {
        let facts = PartyFacts {
            organisation_id,
            sector: Sector::Public,
            jurisdiction_id: Some(jurisdiction_id),
        };
        (facts, role)
    }

    fn codes(violations: &[RuleViolation]) -> Vec<&'static str> {
        violations.iter().map(|violation| violation.code).collect()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_well_formed_shared_agreement_has_no_violations() {
        let parties = [
            party(1, CANADA, PartyRole::Lead),
            party(2, NOVA_SCOTIA, PartyRole::Partner),
        ];

        assert!(check_parties(Structure::Shared, &parties).is_empty());
    }

    #[test]
    fn an_agreement_without_a_lead_is_rejected() {
        let parties = [
            party(1, CANADA, PartyRole::Partner),
            party(2, CANADA, PartyRole::Funder),
        ];

        let violations = check_parties(Structure::Shared, &parties);

        assert_eq!(
            violations,
            [RuleViolation {
                field: "parties",
                code: "lead_count",
                message: "an agreement has exactly one lead party; this one has 0".into(),
            }]
        );
    }

    #[test]
    fn an_agreement_with_two_leads_is_rejected() {
        let parties = [
            party(1, CANADA, PartyRole::Lead),
            party(2, CANADA, PartyRole::Lead),
        ];

        assert_eq!(
            codes(&check_parties(Structure::Shared, &parties)),
            ["lead_count"]
        );
    }

    #[test]
    fn an_organisation_listed_twice_is_rejected() {
        let parties = [
            party(1, CANADA, PartyRole::Lead),
            party(1, CANADA, PartyRole::Funder),
        ];

        let violations = check_parties(Structure::Shared, &parties);

        assert_eq!(codes(&violations), ["duplicate_party"]);
        assert!(
            violations[0]
                .message
                .starts_with("organisation 1 is listed 2 times")
        );
    }

    #[test]
    fn a_service_agent_structure_without_a_service_agent_party_is_rejected() {
        let without = [
            party(1, CANADA, PartyRole::Lead),
            party(2, CANADA, PartyRole::Partner),
        ];
        let with = [
            party(1, CANADA, PartyRole::Lead),
            party(2, CANADA, PartyRole::ServiceAgent),
        ];

        assert_eq!(
            codes(&check_parties(Structure::ServiceAgent, &without)),
            ["service_agent_missing"]
        );
        assert!(check_parties(Structure::ServiceAgent, &with).is_empty());
    }

    #[test]
    fn a_co_located_agreement_without_a_host_is_rejected() {
        let without = [
            party(1, CANADA, PartyRole::Lead),
            party(2, CANADA, PartyRole::Partner),
        ];
        let with = [
            party(1, CANADA, PartyRole::Lead),
            party(2, CANADA, PartyRole::Host),
        ];

        assert_eq!(
            codes(&check_parties(Structure::CoLocated, &without)),
            ["host_missing"]
        );
        assert!(check_parties(Structure::CoLocated, &with).is_empty());
    }

    #[test]
    fn a_direct_agreement_with_parties_of_two_governments_is_rejected() {
        let two = [
            party(1, CANADA, PartyRole::Lead),
            party(2, NOVA_SCOTIA, PartyRole::Partner),
        ];
        let one = [
            party(1, CANADA, PartyRole::Lead),
            party(2, CANADA, PartyRole::Partner),
        ];

        assert_eq!(
            codes(&check_parties(Structure::Direct, &two)),
            ["direct_multiple_governments"]
        );
        assert!(check_parties(Structure::Direct, &one).is_empty());
    }

    #[test]
    fn a_direct_agreement_with_a_party_of_no_jurisdiction_is_rejected() {
        let (mut facts, role) = party(1, CANADA, PartyRole::Lead);
        facts.jurisdiction_id = None;

        assert_eq!(
            codes(&check_parties(Structure::Direct, &[(facts, role)])),
            ["direct_multiple_governments"]
        );
    }

    #[test]
    fn every_problem_with_the_parties_is_reported_at_once() {
        let parties = [
            party(1, CANADA, PartyRole::Partner),
            party(1, NOVA_SCOTIA, PartyRole::Partner),
            party(2, NOVA_SCOTIA, PartyRole::Funder),
            party(2, NOVA_SCOTIA, PartyRole::Partner),
        ];

        assert_eq!(
            codes(&check_parties(Structure::Direct, &parties)),
            [
                "lead_count",
                "duplicate_party",
                "duplicate_party",
                "direct_multiple_governments"
            ]
        );
    }

    #[test]
    fn a_term_that_ends_before_it_starts_is_rejected() {
        let violations = check_term(date("2026-04-01"), date("2026-03-31"));

        assert_eq!(
            violations,
            [RuleViolation {
                field: "ends_on",
                code: "term_order",
                message: "the term must end after it starts; it starts on 2026-04-01 and ends on 2026-03-31".into(),
            }]
        );
    }

    #[test]
    fn a_term_that_ends_the_day_it_starts_is_rejected() {
        assert_eq!(
            codes(&check_term(date("2026-04-01"), date("2026-04-01"))),
            ["term_order"]
        );
    }

    #[test]
    fn a_term_that_ends_after_it_starts_is_accepted() {
        assert!(check_term(date("2026-04-01"), date("2026-04-02")).is_empty());
    }
}
