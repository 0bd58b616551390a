//! The boundaries an agreement crosses, derived from its parties — never typed
//! in. Only the derivation lives here; what each boundary means to a reader is
//! translated text in the UI.

use super::Id;
use std::collections::{BTreeMap, BTreeSet};

use super::enums::{Sector, str_enum};

str_enum! {
    /// A line between organisations that an integrated service reaches across.
    pub enum Boundary("boundary") {
        /// Two or more public organisations of the same jurisdiction.
        Ministerial = "ministerial",
        /// Public parties from two or more jurisdictions.
        Jurisdictional = "jurisdictional",
        /// Public parties together with private or community parties.
        Sectoral = "sectoral",
    }
}

/// What the boundary and party rules need to know about one party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyFacts {
    pub organisation_id: Id,
    pub sector: Sector,
    /// The government a public organisation belongs to, or where another operates.
    pub jurisdiction_id: Option<Id>,
}

/// The boundaries crossed by an agreement with these parties, in
/// [`Boundary::ALL`] order, each once.
///
/// An organisation listed twice counts once; a public party without a
/// jurisdiction is counted for the sectoral boundary only.
pub fn boundaries_crossed(parties: &[PartyFacts]) -> Vec<Boundary> {
    let mut public_by_jurisdiction: BTreeMap<Id, BTreeSet<Id>> = BTreeMap::new();
    for party in parties
        .iter()
        .filter(|party| party.sector == Sector::Public)
    {
        if let Some(jurisdiction_id) = party.jurisdiction_id {
            public_by_jurisdiction
                .entry(jurisdiction_id)
                .or_default()
                .insert(party.organisation_id);
        }
    }
    let has_sector = |wanted: fn(Sector) -> bool| parties.iter().any(|party| wanted(party.sector));

    let ministerial = public_by_jurisdiction
        .values()
        .any(|organisations| organisations.len() >= 2);
    let jurisdictional = public_by_jurisdiction.len() >= 2;
    let sectoral = has_sector(|sector| sector == Sector::Public)
        && has_sector(|sector| sector != Sector::Public);

    [
        (ministerial, Boundary::Ministerial),
        (jurisdictional, Boundary::Jurisdictional),
        (sectoral, Boundary::Sectoral),
    ]
    .into_iter()
    .filter_map(|(crossed, boundary)| crossed.then_some(boundary))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANADA: Id = 1;
    const NOVA_SCOTIA: Id = 2;

    fn public(organisation_id: Id, jurisdiction_id: Id) -> PartyFacts {
        PartyFacts {
            organisation_id,
            sector: Sector::Public,
            jurisdiction_id: Some(jurisdiction_id),
        }
    }

    fn other(organisation_id: Id, sector: Sector) -> PartyFacts {
        PartyFacts {
            organisation_id,
            sector,
            jurisdiction_id: Some(NOVA_SCOTIA),
        }
    }

    #[test]
    fn a_single_party_crosses_no_boundary() {
        assert!(boundaries_crossed(&[public(1, CANADA)]).is_empty());
        assert!(boundaries_crossed(&[]).is_empty());
    }

    #[test]
    fn two_ministries_of_one_government_cross_the_ministerial_boundary() {
        let parties = [public(1, CANADA), public(2, CANADA)];

        assert_eq!(boundaries_crossed(&parties), [Boundary::Ministerial]);
    }

    #[test]
    fn the_same_organisation_twice_is_not_a_ministerial_partnership() {
        let parties = [public(1, CANADA), public(1, CANADA)];

        assert!(boundaries_crossed(&parties).is_empty());
    }

    #[test]
    fn public_parties_of_two_governments_cross_the_jurisdictional_boundary() {
        let parties = [public(1, CANADA), public(2, NOVA_SCOTIA)];

        assert_eq!(boundaries_crossed(&parties), [Boundary::Jurisdictional]);
    }

    #[test]
    fn public_with_private_or_community_parties_cross_the_sectoral_boundary() {
        for sector in [Sector::Private, Sector::Community] {
            let parties = [public(1, NOVA_SCOTIA), other(2, sector)];

            assert_eq!(
                boundaries_crossed(&parties),
                [Boundary::Sectoral],
                "{sector}"
            );
        }
    }

    #[test]
    fn private_and_community_parties_alone_cross_no_boundary() {
        let parties = [other(1, Sector::Private), other(2, Sector::Community)];

        assert!(boundaries_crossed(&parties).is_empty());
    }

    #[test]
    fn an_agreement_can_cross_every_boundary_at_once_listed_in_order() {
        let parties = [
            other(9, Sector::Community),
            public(3, NOVA_SCOTIA),
            public(1, CANADA),
            public(2, CANADA),
        ];

        assert_eq!(
            boundaries_crossed(&parties),
            [
                Boundary::Ministerial,
                Boundary::Jurisdictional,
                Boundary::Sectoral
            ]
        );
    }

    #[test]
    fn jurisdictions_of_non_public_parties_do_not_count() {
        let parties = [public(1, CANADA), other(2, Sector::Private)];

        assert_eq!(boundaries_crossed(&parties), [Boundary::Sectoral]);
    }
}
