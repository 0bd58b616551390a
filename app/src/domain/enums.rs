//! The closed vocabularies of DOMAIN.md as `Copy` enums that travel as their
//! snake_case names (in JSON, CSV, URLs and the database alike). Only naming
//! lives here — plus the one derived fact `OrganisationKind::sector`; display
//! labels are translated in the UI, never here.

use thiserror::Error;

/// A text that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown {kind} '{value}'; expected one of: {allowed}")]
pub struct UnknownValue {
    /// What was being named, in words: "structure", "party role", …
    pub kind: &'static str,
    /// The text as given.
    pub value: String,
    /// Every accepted name, comma separated, in declaration order.
    pub allowed: String,
}

/// Defines a `Copy` enum whose values are named by fixed snake_case texts,
/// with `as_str`, `ALL`, `Display`, `FromStr` and serde all agreeing.
///
/// ```text
/// str_enum! {
///     /// Doc for the enum.
///     pub enum Scope("scope") { Organisation = "organisation", All = "all" }
/// }
/// ```
///
/// The texts are written out (rather than derived) so that they can be read
/// and searched for; serde's `rename_all` must produce the same names, which
/// the round-trip test of every enum checks.
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        // Stored as its name (a text column): entities hold the enum itself.
        #[cfg_attr(
            feature = "ssr",
            derive(sea_orm::DeriveValueType),
            sea_orm(value_type = "String")
        )]
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];

            /// The stable snake_case name used on the wire and in storage.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::enums::UnknownValue;

            /// Fails unless `s` is exactly one of the snake_case names.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == s)
                    .ok_or_else(|| $crate::domain::enums::UnknownValue {
                        kind: $kind,
                        value: s.to_owned(),
                        allowed: Self::ALL
                            .iter()
                            .map(|value| value.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
        }
    };
}
pub(crate) use str_enum;

str_enum! {
    /// A government's level.
    pub enum JurisdictionLevel("jurisdiction level") {
        International = "international",
        National = "national",
        ProvincialState = "provincial_state",
        Municipal = "municipal",
        Indigenous = "indigenous",
    }
}

str_enum! {
    /// What kind of body an organisation is; decides its [`Sector`].
    pub enum OrganisationKind("organisation kind") {
        /// A department of a government.
        Ministry = "ministry",
        Agency = "agency",
        /// A whole government acting as one.
        Government = "government",
        Municipality = "municipality",
        IndigenousGovernment = "indigenous_government",
        CrownCorporation = "crown_corporation",
        Business = "business",
        CommunityOrganisation = "community_organisation",
    }
}

impl OrganisationKind {
    /// The sector an organisation of this kind belongs to: every government
    /// kind is public, crown corporations included.
    pub const fn sector(self) -> Sector {
        match self {
            Self::Ministry
            | Self::Agency
            | Self::Government
            | Self::Municipality
            | Self::IndigenousGovernment
            | Self::CrownCorporation => Sector::Public,
            Self::Business => Sector::Private,
            Self::CommunityOrganisation => Sector::Community,
        }
    }
}

str_enum! {
    /// Public, private or community: derived from [`OrganisationKind`].
    pub enum Sector("sector") {
        Public = "public",
        Private = "private",
        Community = "community",
    }
}

str_enum! {
    /// Kernaghan's classification of integrated services by purpose.
    pub enum Purpose("purpose") {
        /// Information and referral: call centres, service centres, web sites.
        InformationCentre = "information_centre",
        /// One access point to many government services.
        SingleWindow = "single_window",
        /// A cluster of related services, or services for one clientele.
        IntegratedPortal = "integrated_portal",
    }
}

str_enum! {
    /// Kernaghan's classification of integrated services by organisational structure.
    pub enum Structure("structure") {
        /// One ministry or government delivers.
        Direct = "direct",
        /// Several deliver from shared premises.
        CoLocated = "co_located",
        /// A partnership integrates the services of several ministries or governments.
        Shared = "shared",
        /// An organisation delivers on behalf of others.
        ServiceAgent = "service_agent",
        /// A ministry or agency dedicated to integrated service delivery.
        IsdOrganisation = "isd_organisation",
    }
}

str_enum! {
    /// How deeply the parties share power and work (Kernaghan).
    pub enum PartnershipType("partnership type") {
        Consultative = "consultative",
        Contributory = "contributory",
        Operational = "operational",
        Collaborative = "collaborative",
    }
}

str_enum! {
    /// Where an agreement is in its lifecycle.
    pub enum AgreementStatus("agreement status") {
        Draft = "draft",
        Negotiation = "negotiation",
        PendingApproval = "pending_approval",
        Active = "active",
        Suspended = "suspended",
        Expired = "expired",
        Terminated = "terminated",
    }
}

str_enum! {
    /// The part an organisation plays in an agreement.
    pub enum PartyRole("party role") {
        Lead = "lead",
        Partner = "partner",
        ServiceAgent = "service_agent",
        Funder = "funder",
        /// Provides co-located premises.
        Host = "host",
    }
}

str_enum! {
    /// A way a service reaches its clients.
    pub enum Channel("channel") {
        InPerson = "in_person",
        Phone = "phone",
        Online = "online",
        Kiosk = "kiosk",
        /// Interactive voice response.
        Ivr = "ivr",
        Mail = "mail",
        Mobile = "mobile",
    }
}

str_enum! {
    /// The kind of obstacle recorded in a barriers register.
    pub enum BarrierCategory("barrier category") {
        Political = "political",
        Legal = "legal",
        Structural = "structural",
        Administrative = "administrative",
        Operational = "operational",
        Cultural = "cultural",
    }
}

str_enum! {
    /// How far a barrier has been dealt with.
    pub enum BarrierStatus("barrier status") {
        Open = "open",
        Mitigated = "mitigated",
        Closed = "closed",
    }
}

str_enum! {
    /// A free-text section of an agreement's governance terms.
    pub enum GovernanceSection("governance section") {
        Committee = "committee",
        ReviewCadence = "review_cadence",
        DisputeResolution = "dispute_resolution",
        DataSharing = "data_sharing",
        Termination = "termination",
    }
}

str_enum! {
    /// What a KPI's values are measured in.
    pub enum KpiUnit("KPI unit") {
        Percent = "percent",
        Seconds = "seconds",
        Minutes = "minutes",
        Days = "days",
        Currency = "currency",
        Count = "count",
    }
}

str_enum! {
    /// Which way a KPI improves.
    pub enum KpiDirection("KPI direction") {
        HigherIsBetter = "higher_is_better",
        LowerIsBetter = "lower_is_better",
    }
}

str_enum! {
    /// How often a commitment is reported on.
    pub enum Frequency("frequency") {
        Monthly = "monthly",
        Quarterly = "quarterly",
        Annual = "annual",
    }
}

str_enum! {
    /// How a cost-sharing model splits a period's total cost.
    pub enum CostModelKind("cost model") {
        Fixed = "fixed",
        Proportional = "proportional",
        FeeForService = "fee_for_service",
        Hybrid = "hybrid",
    }
}

str_enum! {
    /// What a cost entry was spent on.
    pub enum CostCategory("cost category") {
        Staff = "staff",
        Premises = "premises",
        Technology = "technology",
        Other = "other",
    }
}

str_enum! {
    /// Whether a cost entry is an estimate or what was spent; never added together.
    pub enum CostKind("cost kind") {
        Budget = "budget",
        Actual = "actual",
    }
}

str_enum! {
    /// What a user may do.
    pub enum Role("role") {
        Admin = "admin",
        Manager = "manager",
        Executive = "executive",
        Reporter = "reporter",
    }
}

str_enum! {
    /// Which agreements a user sees: those of their organisation, or all.
    pub enum Scope("scope") {
        Organisation = "organisation",
        All = "all",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks, for each enum given, that every value survives text and JSON
    /// and that serde's names are the declared ones.
    macro_rules! assert_every_variant_round_trips {
        ($($name:ident),+ $(,)?) => {$(
            for &value in $name::ALL {
                let text = value.as_str();
                assert_eq!(text.parse::<$name>(), Ok(value), "{text}");
                assert_eq!(value.to_string(), text);
                let json = serde_json::to_string(&value).unwrap();
                assert_eq!(json, format!("\"{text}\""), "serde name of {value:?}");
                assert_eq!(serde_json::from_str::<$name>(&json).unwrap(), value);
            }
        )+};
    }

    #[test]
    fn every_variant_round_trips_through_its_name_and_json() {
        assert_every_variant_round_trips!(
            JurisdictionLevel,
            OrganisationKind,
            Sector,
            Purpose,
            Structure,
            PartnershipType,
            AgreementStatus,
            PartyRole,
            Channel,
            BarrierCategory,
            BarrierStatus,
            GovernanceSection,
            KpiUnit,
            KpiDirection,
            Frequency,
            CostModelKind,
            CostCategory,
            CostKind,
            Role,
            Scope,
        );
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_accepted_names() {
        let error = "hub".parse::<Structure>().unwrap_err();

        assert_eq!(
            error.to_string(),
            "unknown structure 'hub'; expected one of: \
             direct, co_located, shared, service_agent, isd_organisation"
        );
    }

    #[test]
    fn names_are_case_sensitive() {
        assert!("Direct".parse::<Structure>().is_err());
        assert!(serde_json::from_str::<Structure>("\"DIRECT\"").is_err());
    }

    #[test]
    fn every_government_kind_is_public_and_the_others_are_not() {
        let public: Vec<_> = OrganisationKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.sector() == Sector::Public)
            .collect();

        assert_eq!(
            public,
            [
                OrganisationKind::Ministry,
                OrganisationKind::Agency,
                OrganisationKind::Government,
                OrganisationKind::Municipality,
                OrganisationKind::IndigenousGovernment,
                OrganisationKind::CrownCorporation,
            ]
        );
        assert_eq!(OrganisationKind::Business.sector(), Sector::Private);
        assert_eq!(
            OrganisationKind::CommunityOrganisation.sector(),
            Sector::Community
        );
    }
}
