//! `server generate`: a large synthetic portfolio with the demo's shape, for
//! benchmarks — active agreements among the demo organisations, ten
//! commitments each on the catalogue's KPIs, and a report for most ended
//! periods. Deterministic for a given seed. Refuses to run twice on one
//! database (the generated references would collide).

use crate::backend::entities::{
    agreement, agreement_party, agreement_version, commitment, kpi, organisation,
    service_level_report,
};
use crate::backend::exact::Exact;
use crate::backend::services::Ctx;
use crate::domain::{
    AgreementStatus, Channel, Frequency, KpiDirection, KpiUnit, PartnershipType, PartyRole,
    Purpose, Structure, periods_between,
};
use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, TransactionSession, TransactionTrait,
};

/// What was generated.
#[derive(Debug, Default)]
pub struct Generated {
    pub agreements: usize,
    pub commitments: usize,
    pub reports: usize,
}

const PREFIX: &str = "AGR-2019-";

const STRUCTURES: [Structure; 4] = [
    Structure::Shared,
    Structure::CoLocated,
    Structure::ServiceAgent,
    Structure::IsdOrganisation,
];
const PURPOSES: [Purpose; 3] = [
    Purpose::InformationCentre,
    Purpose::SingleWindow,
    Purpose::IntegratedPortal,
];
const TYPES: [PartnershipType; 4] = [
    PartnershipType::Consultative,
    PartnershipType::Contributory,
    PartnershipType::Operational,
    PartnershipType::Collaborative,
];
const CHANNELS: [Channel; 5] = [
    Channel::InPerson,
    Channel::Phone,
    Channel::Online,
    Channel::Mail,
    Channel::Kiosk,
];

/// A commitment drawn for a generated agreement, with what its reports
/// are drawn from.
struct Drawn {
    commitment: commitment::Model,
    unit: KpiUnit,
    higher_is_better: bool,
    target: Decimal,
    frequency: Frequency,
    is_ratio: bool,
}

/// Generates `agreements` active agreements whose reports run over the
/// last `years` years (to last month), from `seed`; about 2 % of them
/// corrected by a second revision.
///
/// Fails when the demo organisations and KPIs are not loaded, or when a
/// generated portfolio is already there.
pub async fn generate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    agreements: usize,
    years: u32,
    seed: u64,
) -> Result<Generated, DbErr> {
    let (orgs, kpis) = ready(db, agreements).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let today = crate::clock::today();
    let last = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    let last_month = NaiveDate::from_ymd_opt(last.year(), last.month(), 1).unwrap_or(last);
    let first = last_month - chrono::Months::new(12 * years.max(1) - 1);
    let mut out = Generated::default();
    for n in 0..agreements {
        let tx = crate::backend::db::write_tx(db).await?;
        let structure = STRUCTURES[rng.random_range(0..STRUCTURES.len())];
        let starts_on = first - chrono::Months::new(rng.random_range(0..12));
        let a = insert_agreement(&tx, &mut rng, n, structure, starts_on, last).await?;
        let parties = insert_parties(&tx, &mut rng, a.id, structure, &orgs).await?;
        let commitments =
            insert_commitments(&tx, &mut rng, a.id, starts_on, &parties, &kpis).await?;
        let rows = report_rows(&mut rng, &commitments, starts_on.max(first), last);
        out.reports += rows.len();
        crate::backend::batch::insert_all(&tx, rows).await?;
        record_version(&tx, a.id, starts_on).await?;
        crate::backend::services::results::rebuild(&tx, &[a.id])
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        tx.commit().await?;
        out.agreements += 1;
        out.commitments += commitments.len();
    }
    Ok(out)
}

/// The demo's organisations and KPIs, when generating `agreements` can
/// begin: a number from 1 to 9,999, no generated portfolio yet, and the
/// demo loaded.
async fn ready(
    db: &impl ConnectionTrait,
    agreements: usize,
) -> Result<(Vec<organisation::Model>, Vec<kpi::Model>), DbErr> {
    if agreements == 0 || agreements > 9_999 {
        return Err(DbErr::Custom("--agreements must be from 1 to 9,999".into()));
    }
    if agreement::Entity::find()
        .filter(agreement::Column::Reference.starts_with(PREFIX))
        .one(db)
        .await?
        .is_some()
    {
        return Err(DbErr::Custom(format!(
            "a generated portfolio ({PREFIX}…) is already in this database"
        )));
    }
    let orgs: Vec<organisation::Model> = organisation::Entity::find().all(db).await?;
    let kpis: Vec<kpi::Model> = kpi::Entity::find().all(db).await?;
    if orgs.len() < 5 || kpis.is_empty() {
        return Err(DbErr::Custom(
            "load the demo portfolio first (`server seed`): generate draws on its organisations and KPIs"
                .into(),
        ));
    }
    Ok((orgs, kpis))
}

/// The `n`th generated agreement: active from `starts_on` to two years
/// after `last`.
async fn insert_agreement(
    tx: &impl ConnectionTrait,
    rng: &mut StdRng,
    n: usize,
    structure: Structure,
    starts_on: NaiveDate,
    last: NaiveDate,
) -> Result<agreement::Model, DbErr> {
    agreement::ActiveModel {
        reference: Set(format!("{PREFIX}{:04}", n + 1)),
        title: Set(format!("Generated partnership {}", n + 1)),
        title_fr: Set(Some(format!("Partenariat généré {}", n + 1))),
        summary: Set("Synthetic agreement for benchmarks (server generate).".into()),
        summary_fr: Set(None),
        purpose: Set(PURPOSES[rng.random_range(0..PURPOSES.len())]),
        structure: Set(structure),
        partnership_type: Set(TYPES[rng.random_range(0..TYPES.len())]),
        status: Set(AgreementStatus::Active),
        starts_on: Set(starts_on),
        ends_on: Set(last + chrono::Months::new(24)),
        renewal_notice_days: Set(90),
        currency: Set("CAD".into()),
        fiscal_year_start_month: Set(4),
        parent_id: Set(None),
        version: Set(1),
        in_force_version: Set(Some(1)),
        created_by: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await
}

/// Two to five distinct parties; the first leads, the second plays the
/// part the structure needs. Returns their organisation ids.
async fn insert_parties(
    tx: &impl ConnectionTrait,
    rng: &mut StdRng,
    agreement_id: i32,
    structure: Structure,
    orgs: &[organisation::Model],
) -> Result<Vec<i32>, DbErr> {
    let mut picked: Vec<i32> = Vec::new();
    let want = rng.random_range(2..=5);
    while picked.len() < want {
        let o = orgs[rng.random_range(0..orgs.len())].id;
        if !picked.contains(&o) {
            picked.push(o);
        }
    }
    for (i, o) in picked.iter().enumerate() {
        let role = match (i, structure) {
            (0, _) => PartyRole::Lead,
            (1, Structure::CoLocated) => PartyRole::Host,
            (1, Structure::ServiceAgent) => PartyRole::ServiceAgent,
            _ => PartyRole::Partner,
        };
        agreement_party::ActiveModel {
            agreement_id: Set(agreement_id),
            organisation_id: Set(*o),
            role: Set(role),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(picked)
}

/// Ten commitments on the catalogue's KPIs, mostly monthly, each owed by
/// one of `parties` from `starts_on`.
async fn insert_commitments(
    tx: &impl ConnectionTrait,
    rng: &mut StdRng,
    agreement_id: i32,
    starts_on: NaiveDate,
    parties: &[i32],
    kpis: &[kpi::Model],
) -> Result<Vec<Drawn>, DbErr> {
    let mut commitments = Vec::new();
    for _ in 0..10 {
        let k = &kpis[rng.random_range(0..kpis.len())];
        let target = match k.unit {
            KpiUnit::Percent => Decimal::from(rng.random_range(70..96)),
            KpiUnit::Seconds => Decimal::from(rng.random_range(60..300)),
            KpiUnit::Minutes => Decimal::from(rng.random_range(5..30)),
            KpiUnit::Days => Decimal::from(rng.random_range(2..30)),
            KpiUnit::Currency => Decimal::new(rng.random_range(300..2500), 2),
            KpiUnit::Count => Decimal::from(rng.random_range(2..15)),
        };
        let frequency = if rng.random_range(0..10) < 8 {
            Frequency::Monthly
        } else {
            Frequency::Quarterly
        };
        let commitment = commitment::ActiveModel {
            agreement_id: Set(agreement_id),
            organisation_id: Set(parties[rng.random_range(0..parties.len())]),
            kpi_id: Set(k.id),
            target: Set(Exact(target)),
            warning_band: Set(Some(Exact((target / Decimal::from(10)).round_dp(2)))),
            channel: Set((rng.random_range(0..3) == 0)
                .then(|| CHANNELS[rng.random_range(0..CHANNELS.len())])),
            frequency: Set(frequency),
            grace_days: Set(crate::domain::compliance::DEFAULT_GRACE_DAYS),
            effective_from: Set(starts_on),
            effective_to: Set(None),
            allowed_misses: Set(None),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        commitments.push(Drawn {
            commitment,
            unit: k.unit,
            higher_is_better: k.direction == KpiDirection::HigherIsBetter,
            target,
            frequency,
            is_ratio: k.is_ratio,
        });
    }
    Ok(commitments)
}

/// Reports for about 95 % of the periods that ended from `from` to `last`,
/// around each target; about 2 % corrected by a second revision.
fn report_rows(
    rng: &mut StdRng,
    commitments: &[Drawn],
    from: NaiveDate,
    last: NaiveDate,
) -> Vec<service_level_report::ActiveModel> {
    let now = crate::clock::now();
    let mut rows = Vec::new();
    for d in commitments {
        for period in periods_between(d.frequency, from, last) {
            if period.end_date(1) > last || rng.random_range(0..100) >= 95 {
                continue;
            }
            let spread: i64 = rng.random_range(-15..=12);
            let sign = if d.higher_is_better { 1 } else { -1 };
            let mut v = d.target + d.target * Decimal::new(spread * sign, 2);
            if d.unit == KpiUnit::Percent {
                v = v.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
            }
            let v = v.max(Decimal::ZERO).round_dp(2);
            let volume: i64 = rng.random_range(200..20_000);
            let (value, num, den) = if d.is_ratio {
                let den = Decimal::from(volume);
                (
                    None,
                    Some((v * den / Decimal::ONE_HUNDRED).round_dp(0)),
                    Some(den),
                )
            } else {
                (Some(v), None, None)
            };
            let row = service_level_report::ActiveModel {
                commitment_id: Set(d.commitment.id),
                period: Set(period.to_string()),
                period_start: Set(period.start_date(1)),
                revision: Set(1),
                value: Set(value.map(Exact)),
                numerator: Set(num.map(Exact)),
                denominator: Set(den.map(Exact)),
                volume: Set(Some(volume)),
                comment: Set(None),
                submitted_by: Set(None),
                api_token_id: Set(None),
                submitted_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            // About 2 % are corrected: a second revision, a little off the
            // first.
            if rng.random_range(0..100) < 2 {
                let mut corrected = row.clone();
                corrected.revision = Set(2);
                corrected.comment = Set(Some("Corrected".into()));
                if let Some(v) = value {
                    corrected.value = Set(Some(Exact((v * Decimal::new(98, 2)).round_dp(2))));
                } else if let Some(n) = num {
                    corrected.numerator = Set(Some(Exact((n * Decimal::new(98, 2)).round_dp(0))));
                }
                rows.push(corrected);
            }
            rows.push(row);
        }
    }
    rows
}

/// Version 1 of agreement `agreement_id`, in force from `starts_on`: the
/// terms as the views read them.
async fn record_version(
    tx: &impl ConnectionTrait,
    agreement_id: i32,
    starts_on: NaiveDate,
) -> Result<(), DbErr> {
    let view = crate::backend::services::agreements::get(&Ctx::system(), tx, agreement_id)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    let terms = crate::backend::services::versions::terms_of(&view)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_stored();
    agreement_version::ActiveModel {
        agreement_id: Set(agreement_id),
        number: Set(1),
        terms: Set(terms),
        change_summary: Set("Generated".into()),
        author_id: Set(None),
        effective_from: Set(starts_on),
        approved_at: Set(Some(crate::clock::now())),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}
