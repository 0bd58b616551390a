//! Every piece of UI text, in English and French. `Messages` is a struct so
//! that a string missing from one language is a compile error, not a blank
//! on the page; enum labels are exhaustive matches for the same reason.
//! No text is written anywhere else in the UI.

mod en;
mod fr;
mod messages;

pub use en::EN;
pub use fr::FR;
pub use messages::Messages;

use crate::domain::{
    AgreementStatus, BarrierCategory, BarrierStatus, Boundary, Channel, CostModelKind, Frequency,
    GovernanceSection, JurisdictionLevel, OrganisationKind, PartnershipType, PartyRole, Purpose,
    Sector, Structure,
};
use leptos::prelude::*;

pub use crate::domain::Lang;

/// What the pages need of a language: its messages and its formats.
impl Lang {
    /// The name of language `v`, in this one.
    pub fn language_name(self, v: Lang) -> &'static str {
        match (self, v) {
            (Lang::En, Lang::En) => "English",
            (Lang::En, Lang::Fr) => "French",
            (Lang::Fr, Lang::En) => "anglais",
            (Lang::Fr, Lang::Fr) => "français",
        }
    }

    /// The language a `Cookie:` header asks for, if any.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_code(v.trim()))
    }

    pub fn t(self) -> &'static Messages {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    pub fn pick(self, en: &'static str, fr: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// Picks the French variant of a data field when there is one.
    pub fn pick_text<'a>(self, en: &'a str, fr: Option<&'a str>) -> &'a str {
        match (self, fr) {
            (Lang::Fr, Some(fr)) if !fr.is_empty() => fr,
            _ => en,
        }
    }

    pub fn purpose(self, v: Purpose) -> &'static str {
        match v {
            Purpose::InformationCentre => self.pick("Information centre", "Centre d'information"),
            Purpose::SingleWindow => self.pick("Single window", "Guichet unique"),
            Purpose::IntegratedPortal => self.pick("Integrated portal", "Portail intégré"),
        }
    }

    pub fn structure(self, v: Structure) -> &'static str {
        match v {
            Structure::Direct => self.pick("Direct delivery", "Prestation directe"),
            Structure::CoLocated => self.pick("Co-located", "Colocalisé"),
            Structure::Shared => self.pick("Shared", "Partagé"),
            Structure::ServiceAgent => self.pick("Service agent", "Agent de prestation"),
            Structure::IsdOrganisation => {
                self.pick("ISD organisation", "Organisation de prestation intégrée")
            }
        }
    }

    pub fn partnership_type(self, v: PartnershipType) -> &'static str {
        match v {
            PartnershipType::Consultative => self.pick("Consultative", "Consultatif"),
            PartnershipType::Contributory => self.pick("Contributory", "Contributif"),
            PartnershipType::Operational => self.pick("Operational", "Opérationnel"),
            PartnershipType::Collaborative => self.pick("Collaborative", "Collaboratif"),
        }
    }

    pub fn status(self, v: AgreementStatus) -> &'static str {
        match v {
            AgreementStatus::Draft => self.pick("Draft", "Ébauche"),
            AgreementStatus::Negotiation => self.pick("In negotiation", "En négociation"),
            AgreementStatus::PendingApproval => {
                self.pick("Pending approval", "En attente d'approbation")
            }
            AgreementStatus::Active => self.pick("Active", "En vigueur"),
            AgreementStatus::Suspended => self.pick("Suspended", "Suspendu"),
            AgreementStatus::Expired => self.pick("Expired", "Expiré"),
            AgreementStatus::Terminated => self.pick("Terminated", "Résilié"),
        }
    }

    pub fn boundary(self, v: Boundary) -> &'static str {
        match v {
            Boundary::Ministerial => self.pick("Ministerial", "Ministériel"),
            Boundary::Jurisdictional => self.pick("Jurisdictional", "Intergouvernemental"),
            Boundary::Sectoral => self.pick("Sectoral", "Intersectoriel"),
        }
    }

    /// One line saying what crossing this boundary means.
    pub fn boundary_explanation(self, v: Boundary) -> &'static str {
        match v {
            Boundary::Ministerial => self.pick(
                "Two or more public organisations of the same government work together.",
                "Deux organisations publiques ou plus d'un même gouvernement collaborent.",
            ),
            Boundary::Jurisdictional => self.pick(
                "Public parties from two or more governments (for example federal and provincial) work together.",
                "Des parties publiques de deux gouvernements ou plus (par exemple fédéral et provincial) collaborent.",
            ),
            Boundary::Sectoral => self.pick(
                "Public parties work with businesses or community organisations.",
                "Des parties publiques collaborent avec des entreprises ou des organismes communautaires.",
            ),
        }
    }

    pub fn role(self, v: PartyRole) -> &'static str {
        match v {
            PartyRole::Lead => self.pick("Lead", "Responsable"),
            PartyRole::Partner => self.pick("Partner", "Partenaire"),
            PartyRole::ServiceAgent => self.pick("Service agent", "Agent de prestation"),
            PartyRole::Funder => self.pick("Funder", "Bailleur de fonds"),
            PartyRole::Host => self.pick("Host", "Hôte"),
        }
    }

    pub fn channel(self, v: Channel) -> &'static str {
        match v {
            Channel::InPerson => self.pick("In person", "En personne"),
            Channel::Phone => self.pick("Phone", "Téléphone"),
            Channel::Online => self.pick("Online", "En ligne"),
            Channel::Kiosk => self.pick("Kiosk", "Borne"),
            Channel::Ivr => self.pick("Interactive voice response", "Réponse vocale interactive"),
            Channel::Mail => self.pick("Mail", "Courrier"),
            Channel::Mobile => self.pick("Mobile", "Mobile"),
        }
    }

    /// A minimum service level: `channel` keeps at least `share` (a
    /// percentage as text, `35`) of all transactions.
    pub fn minimum_line(self, channel: Channel, share: &str) -> String {
        let c = self.channel(channel);
        let p = self.percent_text(share);
        match self {
            Lang::En => format!("{c}: at least {p} of all transactions"),
            Lang::Fr => format!("{c}\u{a0}: au moins {p} de toutes les transactions"),
        }
    }

    /// A minimum a shift would breach: the channel's share after it and
    /// the minimum, both percentages.
    pub fn minimum_breach(
        self,
        channel: Channel,
        share: rust_decimal::Decimal,
        minimum: rust_decimal::Decimal,
    ) -> String {
        let c = self.channel(channel);
        let share = self.percent_text(&share.round_dp(2).normalize().to_string());
        let minimum = self.percent_text(&minimum.normalize().to_string());
        match self {
            Lang::En => format!("{c}: {share} of all transactions, below the minimum of {minimum}"),
            Lang::Fr => format!(
                "{c}\u{a0}: {share} de toutes les transactions, sous le minimum de {minimum}"
            ),
        }
    }

    /// A percentage given as text (`12.5`), written the language's way
    /// (`12.5 %`, `12,5 %`); the text itself when it is not a number.
    pub fn percent_text(self, value: &str) -> String {
        value.parse::<rust_decimal::Decimal>().map_or_else(
            |_| format!("{value}\u{a0}%"),
            |d| {
                let d = d.normalize();
                format!("{}\u{a0}%", self.amount(d, d.scale()))
            },
        )
    }

    /// Why a channel shift cannot be priced: `channel`, whose volume it
    /// changes, had no transaction in the period measured.
    pub fn unmeasured_channel(self, channel: Channel) -> String {
        let c = self.channel(channel);
        match self {
            Lang::En => format!(
                "No transaction was recorded on the channel “{c}” over the period, so its cost per transaction is unknown and this shift cannot be priced. Choose another channel or period."
            ),
            Lang::Fr => format!(
                "Aucune transaction n'a été inscrite pour le mode «\u{a0}{c}\u{a0}» sur la période\u{a0}: son coût par transaction est inconnu et ce virage ne peut pas être chiffré. Choisissez un autre mode ou une autre période."
            ),
        }
    }

    pub fn kind(self, v: OrganisationKind) -> &'static str {
        match v {
            OrganisationKind::Ministry => self.pick("Ministry", "Ministère"),
            OrganisationKind::Agency => self.pick("Agency", "Organisme"),
            OrganisationKind::Government => self.pick("Government", "Gouvernement"),
            OrganisationKind::Municipality => self.pick("Municipality", "Municipalité"),
            OrganisationKind::IndigenousGovernment => {
                self.pick("Indigenous government", "Gouvernement autochtone")
            }
            OrganisationKind::CrownCorporation => self.pick("Crown corporation", "Société d'État"),
            OrganisationKind::Business => self.pick("Business", "Entreprise"),
            OrganisationKind::CommunityOrganisation => {
                self.pick("Community organisation", "Organisme communautaire")
            }
        }
    }

    pub fn sector(self, v: Sector) -> &'static str {
        match v {
            Sector::Public => self.pick("Public", "Public"),
            Sector::Private => self.pick("Private", "Privé"),
            Sector::Community => self.pick("Community", "Communautaire"),
        }
    }

    pub fn level(self, v: JurisdictionLevel) -> &'static str {
        match v {
            JurisdictionLevel::International => self.pick("International", "International"),
            JurisdictionLevel::National => self.pick("National", "National"),
            JurisdictionLevel::ProvincialState => {
                self.pick("Provincial or state", "Provincial ou État")
            }
            JurisdictionLevel::Municipal => self.pick("Municipal", "Municipal"),
            JurisdictionLevel::Indigenous => self.pick("Indigenous", "Autochtone"),
        }
    }

    pub fn barrier_category(self, v: BarrierCategory) -> &'static str {
        match v {
            BarrierCategory::Political => self.pick("Political", "Politique"),
            BarrierCategory::Legal => self.pick("Legal", "Juridique"),
            BarrierCategory::Structural => self.pick("Structural", "Structurel"),
            BarrierCategory::Administrative => self.pick("Administrative", "Administratif"),
            BarrierCategory::Operational => self.pick("Operational", "Opérationnel"),
            BarrierCategory::Cultural => self.pick("Cultural", "Culturel"),
        }
    }

    pub fn barrier_status(self, v: BarrierStatus) -> &'static str {
        match v {
            BarrierStatus::Open => self.pick("Open", "Ouvert"),
            BarrierStatus::Mitigated => self.pick("Mitigated", "Atténué"),
            BarrierStatus::Closed => self.pick("Closed", "Fermé"),
        }
    }

    pub fn governance_section(self, v: GovernanceSection) -> &'static str {
        match v {
            GovernanceSection::Committee => self.pick("Governing committee", "Comité directeur"),
            GovernanceSection::ReviewCadence => {
                self.pick("Review cadence", "Fréquence des examens")
            }
            GovernanceSection::DisputeResolution => {
                self.pick("Dispute resolution", "Règlement des différends")
            }
            GovernanceSection::DataSharing => self.pick(
                "Data sharing and privacy",
                "Échange de données et protection des renseignements personnels",
            ),
            GovernanceSection::Termination => self.pick("Termination", "Résiliation"),
        }
    }

    pub fn cost_model_kind(self, v: CostModelKind) -> &'static str {
        match v {
            CostModelKind::Fixed => self.pick("Fixed percentages", "Pourcentages fixes"),
            CostModelKind::Proportional => self.pick(
                "Proportional to transactions",
                "Proportionnel aux transactions",
            ),
            CostModelKind::FeeForService => self.pick("Fee for service", "Rémunération à l'acte"),
            CostModelKind::Hybrid => self.pick("Hybrid", "Hybride"),
        }
    }

    pub fn frequency(self, v: Frequency) -> &'static str {
        match v {
            Frequency::Monthly => self.pick("Monthly", "Mensuelle"),
            Frequency::Quarterly => self.pick("Quarterly", "Trimestrielle"),
            Frequency::Annual => self.pick("Annual", "Annuelle"),
        }
    }

    pub fn role_name(self, v: crate::domain::Role) -> &'static str {
        use crate::domain::Role;
        let t = self.t();
        match v {
            Role::Admin => t.role_admin,
            Role::Manager => t.role_manager,
            Role::Executive => t.role_executive,
            Role::Reporter => t.role_reporter,
        }
    }

    pub fn scope_name(self, v: crate::domain::Scope) -> &'static str {
        use crate::domain::Scope;
        match v {
            Scope::Organisation => self.t().scope_organisation,
            Scope::All => self.t().scope_all,
        }
    }

    pub fn kpi_unit(self, v: crate::domain::KpiUnit) -> &'static str {
        use crate::domain::KpiUnit as U;
        match v {
            U::Percent => self.pick("Percent", "Pourcentage"),
            U::Seconds => self.pick("Seconds", "Secondes"),
            U::Minutes => self.pick("Minutes", "Minutes"),
            U::Days => self.pick("Days", "Jours"),
            U::Currency => self.pick("Currency", "Monnaie"),
            U::Count => self.pick("Count", "Nombre"),
        }
    }

    pub fn kpi_direction(self, v: crate::domain::KpiDirection) -> &'static str {
        use crate::domain::KpiDirection as D;
        match v {
            D::HigherIsBetter => self.pick("Higher is better", "Plus élevé est mieux"),
            D::LowerIsBetter => self.pick("Lower is better", "Plus bas est mieux"),
        }
    }

    pub fn cost_category(self, v: crate::domain::CostCategory) -> &'static str {
        use crate::domain::CostCategory as C;
        match v {
            C::Staff => self.pick("Staff", "Personnel"),
            C::Premises => self.pick("Premises", "Locaux"),
            C::Technology => self.pick("Technology", "Technologie"),
            C::Other => self.pick("Other", "Autre"),
        }
    }

    pub fn cost_kind(self, v: crate::domain::CostKind) -> &'static str {
        use crate::domain::CostKind as K;
        match v {
            K::Budget => self.pick("Budget", "Budget"),
            K::Actual => self.pick("Actual", "Réel"),
        }
    }

    /// An amount with `digits` decimals and this language's separators
    /// (60,000.00 / 60 000,00).
    pub fn amount(self, d: rust_decimal::Decimal, digits: u32) -> String {
        let text = format!("{:.*}", digits as usize, d.abs());
        let (whole, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let (group, point) = match self {
            Lang::En => (',', '.'),
            Lang::Fr => ('\u{202f}', ','),
        };
        let mut out = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(ch);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        if d.is_sign_negative() && !d.is_zero() {
            format!("−{out}")
        } else {
            out
        }
    }

    /// A whole number with this language's thousands separator.
    pub fn count(self, n: i64) -> String {
        let mut s = self.amount(rust_decimal::Decimal::from(n), 0);
        if n < 0 && !s.starts_with('−') {
            s.insert(0, '−');
        }
        s
    }

    /// A date as people in this language write it.
    pub fn date(self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let months_en = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let months_fr = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let m = d.month0() as usize;
        match self {
            Lang::En => format!("{} {} {}", d.day(), months_en[m], d.year()),
            Lang::Fr => format!("{} {} {}", d.day(), months_fr[m], d.year()),
        }
    }
}

/// The current language, provided once by `App`.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

/// The current language signal. Panics outside `App` (a wiring bug).
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
