//! Every piece of UI text, in English and French. `Messages` is a struct so
//! that a string missing from one language is a compile error, not a blank
//! on the page; enum labels are exhaustive matches for the same reason.
//! No text is written anywhere else in the UI.

use crate::domain::{
    AgreementStatus, BarrierCategory, BarrierStatus, Boundary, Channel, CostModelKind, Frequency,
    GovernanceSection, JurisdictionLevel, OrganisationKind, PartnershipType, PartyRole, Purpose,
    Sector, Structure,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A UI language. The choice is kept in the `lang` cookie.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
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

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }

    pub fn t(self) -> &'static Messages {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }

    fn pick(self, en: &'static str, fr: &'static str) -> &'static str {
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

/// The UI strings of one language.
pub struct Messages {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_portfolio: &'static str,
    pub nav_organisations: &'static str,
    pub switch_language: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_to_portfolio: &'static str,
    pub sample_data_notice: &'static str,
    // portfolio
    pub portfolio_title: &'static str,
    pub portfolio_intro: &'static str,
    pub filters: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub any: &'static str,
    pub clear_filters: &'static str,
    pub agreements_shown: &'static str,
    pub no_agreements: &'static str,
    pub col_reference: &'static str,
    pub col_title: &'static str,
    pub col_purpose: &'static str,
    pub col_structure: &'static str,
    pub col_boundaries: &'static str,
    pub col_status: &'static str,
    pub col_term: &'static str,
    pub col_parties: &'static str,
    pub f_status: &'static str,
    pub f_structure: &'static str,
    pub f_purpose: &'static str,
    pub f_boundary: &'static str,
    pub none_crossed: &'static str,
    // agreement
    pub term: &'static str,
    pub term_to: &'static str,
    pub renewal_notice: &'static str,
    pub days: &'static str,
    pub currency: &'static str,
    pub fiscal_year_starts: &'static str,
    pub partnership_type: &'static str,
    pub parent_agreement: &'static str,
    pub version: &'static str,
    pub parties: &'static str,
    pub col_organisation: &'static str,
    pub col_role: &'static str,
    pub col_kind: &'static str,
    pub col_sector: &'static str,
    pub col_jurisdiction: &'static str,
    pub boundaries_crossed: &'static str,
    pub boundaries_note: &'static str,
    pub no_boundaries: &'static str,
    pub services: &'static str,
    pub col_service: &'static str,
    pub col_delivered_by: &'static str,
    pub col_channels: &'static str,
    pub no_services: &'static str,
    pub life_events: &'static str,
    pub no_life_events: &'static str,
    pub barriers: &'static str,
    pub col_category: &'static str,
    pub col_description: &'static str,
    pub col_severity: &'static str,
    pub col_mitigation: &'static str,
    pub col_owner: &'static str,
    pub no_barriers: &'static str,
    pub governance: &'static str,
    pub no_governance: &'static str,
    pub cost_sharing: &'static str,
    pub no_cost_model: &'static str,
    pub col_percent: &'static str,
    pub col_cap: &'static str,
    pub col_floor: &'static str,
    pub col_rates: &'static str,
    pub fixed_portion: &'static str,
    pub channel_weights: &'static str,
    pub commitments: &'static str,
    pub no_commitments: &'static str,
    pub col_kpi: &'static str,
    pub col_target: &'static str,
    pub col_warning_band: &'static str,
    pub col_channel: &'static str,
    pub col_frequency: &'static str,
    pub all_channels: &'static str,
    // organisations
    pub organisations_title: &'static str,
    pub organisations_intro: &'static str,
    pub col_code: &'static str,
    pub col_name: &'static str,
    pub organisations_count: &'static str,
    pub nav_admin_users: &'static str,
    pub nav_admin_organisations: &'static str,
    pub nav_admin_jurisdictions: &'static str,
    pub nav_admin_audit: &'static str,
    pub nav_api_tokens: &'static str,
    pub nav_account: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub there_is_a_problem: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub role_label: &'static str,
    pub scope_label: &'static str,
    pub scope_organisation: &'static str,
    pub scope_all: &'static str,
    pub role_admin: &'static str,
    pub role_manager: &'static str,
    pub role_executive: &'static str,
    pub role_reporter: &'static str,
    pub users_title: &'static str,
    pub users_intro: &'static str,
    pub create_user: &'static str,
    pub display_name: &'static str,
    pub organisation_code: &'static str,
    pub initial_password: &'static str,
    pub create: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub edit: &'static str,
    pub status_label: &'static str,
    pub enabled: &'static str,
    pub disabled: &'static str,
    pub locked_until: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub unlock: &'static str,
    pub reset_link: &'static str,
    pub reset_link_shown_once: &'static str,
    pub actions: &'static str,
    pub saved: &'static str,
    pub organisations_admin_title: &'static str,
    pub organisations_admin_intro: &'static str,
    pub new_organisation: &'static str,
    pub edit_organisation: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub jurisdiction_code: &'static str,
    pub jurisdictions_title: &'static str,
    pub jurisdictions_intro: &'static str,
    pub new_jurisdiction: &'static str,
    pub edit_jurisdiction: &'static str,
    pub level: &'static str,
    pub country_code: &'static str,
    pub parent_code: &'static str,
    pub tokens_title: &'static str,
    pub tokens_intro: &'static str,
    pub issue_token: &'static str,
    pub token_name: &'static str,
    pub token_days: &'static str,
    pub token_shown_once: &'static str,
    pub expires: &'static str,
    pub revoked: &'static str,
    pub revoke: &'static str,
    pub last_used: &'static str,
    pub no_tokens: &'static str,
    pub audit_title: &'static str,
    pub audit_intro: &'static str,
    pub action: &'static str,
    pub entity: &'static str,
    pub when: &'static str,
    pub who: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub filter: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub entries: &'static str,
    pub password_title: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub password_changed: &'static str,
    pub reset_title: &'static str,
    pub reset_done: &'static str,
    pub system: &'static str,
}

pub static EN: Messages = Messages {
    app_name: "Concord",
    tagline: "Governing the partnerships behind integrated public services",
    skip_to_content: "Skip to main content",
    nav_label: "Main",
    nav_portfolio: "Portfolio",
    nav_organisations: "Organisations",
    switch_language: "Français",
    loading: "Loading…",
    load_failed: "This information could not be loaded. Please try again.",
    not_found_title: "Page not found",
    not_found_body: "We could not find that page. It may have moved, or you may not have access to it.",
    back_to_portfolio: "Back to the portfolio",
    sample_data_notice: "The demo portfolio is sample data: every organisation's figures are fictitious.",
    portfolio_title: "Partnership portfolio",
    portfolio_intro: "The agreements behind integrated service delivery: who the parties are, how they are structured, and which boundaries they cross.",
    filters: "Filter the agreements",
    search_label: "Search",
    search_hint: "Title, reference or party name",
    any: "Any",
    clear_filters: "Clear filters",
    agreements_shown: "agreements shown",
    no_agreements: "No agreement matches these filters.",
    col_reference: "Reference",
    col_title: "Title",
    col_purpose: "Purpose",
    col_structure: "Structure",
    col_boundaries: "Boundaries crossed",
    col_status: "Status",
    col_term: "Term",
    col_parties: "Parties",
    f_status: "Status",
    f_structure: "Structure",
    f_purpose: "Purpose",
    f_boundary: "Boundary crossed",
    none_crossed: "None",
    term: "Term",
    term_to: "to",
    renewal_notice: "Renewal notice",
    days: "days",
    currency: "Currency",
    fiscal_year_starts: "Fiscal year starts",
    partnership_type: "Partnership type",
    parent_agreement: "Parent agreement",
    version: "Version",
    parties: "Parties",
    col_organisation: "Organisation",
    col_role: "Role",
    col_kind: "Kind",
    col_sector: "Sector",
    col_jurisdiction: "Jurisdiction",
    boundaries_crossed: "Boundaries crossed",
    boundaries_note: "Derived from the parties. Integration across jurisdictions or sectors is usually harder than across ministries (Kernaghan).",
    no_boundaries: "This agreement crosses no boundary: its parties belong to one organisation.",
    services: "Services and channels",
    col_service: "Service",
    col_delivered_by: "Delivered by",
    col_channels: "Channels",
    no_services: "No service is in scope yet.",
    life_events: "Life events covered",
    no_life_events: "No life event is named.",
    barriers: "Barriers",
    col_category: "Category",
    col_description: "Description",
    col_severity: "Severity (1–5)",
    col_mitigation: "Mitigation",
    col_owner: "Owner",
    no_barriers: "No barrier is recorded.",
    governance: "Governance",
    no_governance: "No governance terms are written yet.",
    cost_sharing: "Cost sharing",
    no_cost_model: "No cost-sharing model is agreed yet.",
    col_percent: "Share (%)",
    col_cap: "Cap per period",
    col_floor: "Floor per period",
    col_rates: "Rates per transaction",
    fixed_portion: "Fixed portion",
    channel_weights: "Channel weights",
    commitments: "Service-level commitments",
    no_commitments: "No service level is committed yet.",
    col_kpi: "Measure",
    col_target: "Target",
    col_warning_band: "Warning band",
    col_channel: "Channel",
    col_frequency: "Reporting",
    all_channels: "All channels",
    organisations_title: "Organisations",
    organisations_intro: "Every party that can sign an agreement, with its kind, sector and jurisdiction.",
    col_code: "Code",
    col_name: "Name",
    organisations_count: "organisations",
    nav_admin_users: "Users",
    nav_admin_organisations: "Manage organisations",
    nav_admin_jurisdictions: "Jurisdictions",
    nav_admin_audit: "Audit log",
    nav_api_tokens: "API tokens",
    nav_account: "Change password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    sign_in_title: "Sign in to Concord",
    sign_in_intro: "Use the account your organisation's administrator gave you.",
    email: "Email address",
    password: "Password",
    there_is_a_problem: "There is a problem",
    forbidden_title: "You may not see this page",
    forbidden_body: "Your role does not include this page. Ask an administrator if you need it.",
    role_label: "Role",
    scope_label: "Scope",
    scope_organisation: "Own organisation",
    scope_all: "All agreements",
    role_admin: "Administrator",
    role_manager: "Partnership manager",
    role_executive: "Executive",
    role_reporter: "Reporter",
    users_title: "Users",
    users_intro: "Create accounts, change roles and scopes, disable accounts, unlock them and issue password-reset links.",
    create_user: "Create a user",
    display_name: "Name",
    organisation_code: "Organisation code",
    initial_password: "Initial password (12 characters or more)",
    create: "Create",
    save: "Save",
    cancel: "Cancel",
    edit: "Edit",
    status_label: "Status",
    enabled: "Enabled",
    disabled: "Disabled",
    locked_until: "Locked until",
    disable: "Disable",
    enable: "Enable",
    unlock: "Unlock",
    reset_link: "Reset link",
    reset_link_shown_once: "Give this one-time link to the user; it works once, for 24 hours:",
    actions: "Actions",
    saved: "Saved.",
    organisations_admin_title: "Manage organisations",
    organisations_admin_intro: "Add and correct the organisations that can sign agreements.",
    new_organisation: "New organisation",
    edit_organisation: "Edit organisation",
    name_en: "Name (English)",
    name_fr: "Name (French)",
    jurisdiction_code: "Jurisdiction code",
    jurisdictions_title: "Jurisdictions",
    jurisdictions_intro: "Governments' territories and levels.",
    new_jurisdiction: "New jurisdiction",
    edit_jurisdiction: "Edit jurisdiction",
    level: "Level",
    country_code: "Country code",
    parent_code: "Parent code",
    tokens_title: "API tokens",
    tokens_intro: "Partners' systems submit reports with an API token scoped to one organisation. A token is shown once and stored only as a hash.",
    issue_token: "Issue a token",
    token_name: "Name (what system uses it)",
    token_days: "Valid for (days)",
    token_shown_once: "Copy this token now: it will not be shown again.",
    expires: "Expires",
    revoked: "Revoked",
    revoke: "Revoke",
    last_used: "Last used",
    no_tokens: "No API token has been issued.",
    audit_title: "Audit log",
    audit_intro: "Every sign-in, failed sign-in and change, with who, what, when, before and after. Entries are never changed or removed.",
    action: "Action",
    entity: "Entity",
    when: "When",
    who: "Who",
    before: "Before",
    after: "After",
    filter: "Filter",
    previous: "Previous",
    next: "Next",
    entries: "entries",
    password_title: "Change your password",
    current_password: "Current password",
    new_password: "New password (12 characters or more)",
    password_changed: "Your password has been changed.",
    reset_title: "Choose a new password",
    reset_done: "Your password is set. You can sign in now.",
    system: "System",
};

pub static FR: Messages = Messages {
    app_name: "Concord",
    tagline: "La gouvernance des partenariats derrière les services publics intégrés",
    skip_to_content: "Passer au contenu principal",
    nav_label: "Principal",
    nav_portfolio: "Portefeuille",
    nav_organisations: "Organisations",
    switch_language: "English",
    loading: "Chargement…",
    load_failed: "Ces renseignements n'ont pas pu être chargés. Veuillez réessayer.",
    not_found_title: "Page introuvable",
    not_found_body: "Nous n'avons pas trouvé cette page. Elle a peut-être été déplacée, ou vous n'y avez pas accès.",
    back_to_portfolio: "Retour au portefeuille",
    sample_data_notice: "Le portefeuille de démonstration contient des données fictives.",
    portfolio_title: "Portefeuille de partenariats",
    portfolio_intro: "Les ententes qui soutiennent la prestation intégrée des services : les parties, leur structure et les frontières qu'elles franchissent.",
    filters: "Filtrer les ententes",
    search_label: "Rechercher",
    search_hint: "Titre, référence ou nom d'une partie",
    any: "Tous",
    clear_filters: "Effacer les filtres",
    agreements_shown: "ententes affichées",
    no_agreements: "Aucune entente ne correspond à ces filtres.",
    col_reference: "Référence",
    col_title: "Titre",
    col_purpose: "Objet",
    col_structure: "Structure",
    col_boundaries: "Frontières franchies",
    col_status: "État",
    col_term: "Durée",
    col_parties: "Parties",
    f_status: "État",
    f_structure: "Structure",
    f_purpose: "Objet",
    f_boundary: "Frontière franchie",
    none_crossed: "Aucune",
    term: "Durée",
    term_to: "au",
    renewal_notice: "Préavis de renouvellement",
    days: "jours",
    currency: "Devise",
    fiscal_year_starts: "Début de l'exercice",
    partnership_type: "Type de partenariat",
    parent_agreement: "Entente mère",
    version: "Version",
    parties: "Parties",
    col_organisation: "Organisation",
    col_role: "Rôle",
    col_kind: "Type",
    col_sector: "Secteur",
    col_jurisdiction: "Administration",
    boundaries_crossed: "Frontières franchies",
    boundaries_note: "Déduites des parties. L'intégration entre gouvernements ou entre secteurs est habituellement plus difficile qu'entre ministères (Kernaghan).",
    no_boundaries: "Cette entente ne franchit aucune frontière : ses parties relèvent d'une seule organisation.",
    services: "Services et modes de prestation",
    col_service: "Service",
    col_delivered_by: "Fourni par",
    col_channels: "Modes de prestation",
    no_services: "Aucun service n'est encore visé.",
    life_events: "Événements de la vie visés",
    no_life_events: "Aucun événement de la vie n'est nommé.",
    barriers: "Obstacles",
    col_category: "Catégorie",
    col_description: "Description",
    col_severity: "Gravité (1 à 5)",
    col_mitigation: "Atténuation",
    col_owner: "Responsable",
    no_barriers: "Aucun obstacle n'est consigné.",
    governance: "Gouvernance",
    no_governance: "Aucune modalité de gouvernance n'est encore rédigée.",
    cost_sharing: "Partage des coûts",
    no_cost_model: "Aucun modèle de partage des coûts n'est encore convenu.",
    col_percent: "Part (%)",
    col_cap: "Plafond par période",
    col_floor: "Plancher par période",
    col_rates: "Tarifs par transaction",
    fixed_portion: "Portion fixe",
    channel_weights: "Pondération des modes",
    commitments: "Engagements de niveau de service",
    no_commitments: "Aucun niveau de service n'est encore convenu.",
    col_kpi: "Mesure",
    col_target: "Cible",
    col_warning_band: "Marge d'alerte",
    col_channel: "Mode",
    col_frequency: "Rapports",
    all_channels: "Tous les modes",
    organisations_title: "Organisations",
    organisations_intro: "Toutes les parties pouvant signer une entente, avec leur type, leur secteur et leur administration.",
    col_code: "Code",
    col_name: "Nom",
    organisations_count: "organisations",
    nav_admin_users: "Utilisateurs",
    nav_admin_organisations: "Gérer les organisations",
    nav_admin_jurisdictions: "Administrations",
    nav_admin_audit: "Journal d'audit",
    nav_api_tokens: "Jetons d'API",
    nav_account: "Changer le mot de passe",
    sign_in: "Se connecter",
    sign_out: "Se déconnecter",
    signed_in_as: "Connecté en tant que",
    sign_in_title: "Connexion à Concord",
    sign_in_intro: "Utilisez le compte fourni par l'administrateur de votre organisation.",
    email: "Adresse courriel",
    password: "Mot de passe",
    there_is_a_problem: "Il y a un problème",
    forbidden_title: "Vous n'avez pas accès à cette page",
    forbidden_body: "Votre rôle ne donne pas accès à cette page. Adressez-vous à un administrateur au besoin.",
    role_label: "Rôle",
    scope_label: "Portée",
    scope_organisation: "Propre organisation",
    scope_all: "Toutes les ententes",
    role_admin: "Administrateur",
    role_manager: "Gestionnaire de partenariats",
    role_executive: "Cadre",
    role_reporter: "Déclarant",
    users_title: "Utilisateurs",
    users_intro: "Créez des comptes, modifiez les rôles et la portée, désactivez ou déverrouillez des comptes et émettez des liens de réinitialisation.",
    create_user: "Créer un utilisateur",
    display_name: "Nom",
    organisation_code: "Code de l'organisation",
    initial_password: "Mot de passe initial (12 caractères ou plus)",
    create: "Créer",
    save: "Enregistrer",
    cancel: "Annuler",
    edit: "Modifier",
    status_label: "État",
    enabled: "Actif",
    disabled: "Désactivé",
    locked_until: "Verrouillé jusqu'à",
    disable: "Désactiver",
    enable: "Activer",
    unlock: "Déverrouiller",
    reset_link: "Lien de réinitialisation",
    reset_link_shown_once: "Remettez ce lien à usage unique à l'utilisateur; il fonctionne une fois, pendant 24 heures :",
    actions: "Actions",
    saved: "Enregistré.",
    organisations_admin_title: "Gérer les organisations",
    organisations_admin_intro: "Ajoutez et corrigez les organisations qui peuvent signer des ententes.",
    new_organisation: "Nouvelle organisation",
    edit_organisation: "Modifier l'organisation",
    name_en: "Nom (anglais)",
    name_fr: "Nom (français)",
    jurisdiction_code: "Code de l'administration",
    jurisdictions_title: "Administrations",
    jurisdictions_intro: "Territoires et ordres de gouvernement.",
    new_jurisdiction: "Nouvelle administration",
    edit_jurisdiction: "Modifier l'administration",
    level: "Ordre",
    country_code: "Code du pays",
    parent_code: "Code de l'administration mère",
    tokens_title: "Jetons d'API",
    tokens_intro: "Les systèmes des partenaires transmettent leurs rapports avec un jeton d'API propre à une organisation. Le jeton n'est affiché qu'une fois et seul son hachage est conservé.",
    issue_token: "Émettre un jeton",
    token_name: "Nom (système qui l'utilise)",
    token_days: "Validité (jours)",
    token_shown_once: "Copiez ce jeton maintenant : il ne sera plus affiché.",
    expires: "Expiration",
    revoked: "Révoqué",
    revoke: "Révoquer",
    last_used: "Dernière utilisation",
    no_tokens: "Aucun jeton d'API n'a été émis.",
    audit_title: "Journal d'audit",
    audit_intro: "Chaque connexion, tentative échouée et modification : qui, quoi, quand, avant et après. Les entrées ne sont jamais modifiées ni supprimées.",
    action: "Action",
    entity: "Entité",
    when: "Quand",
    who: "Qui",
    before: "Avant",
    after: "Après",
    filter: "Filtrer",
    previous: "Précédent",
    next: "Suivant",
    entries: "entrées",
    password_title: "Changer votre mot de passe",
    current_password: "Mot de passe actuel",
    new_password: "Nouveau mot de passe (12 caractères ou plus)",
    password_changed: "Votre mot de passe a été changé.",
    reset_title: "Choisir un nouveau mot de passe",
    reset_done: "Votre mot de passe est défini. Vous pouvez maintenant vous connecter.",
    system: "Système",
};

/// The current language, provided once by `App`.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

/// The current language signal. Panics outside `App` (a wiring bug).
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
