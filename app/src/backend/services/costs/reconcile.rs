//! The reconciliation of a period: each party's due share under the model
//! in force each month, what it paid, its balance, the settling transfers,
//! and budget versus actual; and the costs of the whole portfolio.

use super::Books;
use super::ledger::span;
use super::{books, people_only, reading};
use crate::backend::entities::{cost_entry, organisation, transaction_volume};
use crate::backend::exact::Exact;
use crate::backend::services::{Ctx, stored};
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::cost::{CostModel, Volume, settle, split};
use crate::domain::{
    Channel, CostCategory, CostKind, Currency, Frequency, Period, Role, periods_between,
};
use crate::wire::cost::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// The reconciliation of agreement `id` for `period` (a month, quarter or
/// year, calendar or fiscal): each month's actual costs are split under the
/// model in force that month (caps and floors apply per month); each
/// party's due is the sum, what it paid is the actual costs it incurred,
/// its balance the difference; the transfers settle the balances.
///
/// Fails with `NotFound` if the caller may not see the agreement,
/// `Validation` for a malformed period, a period outside the term, a month
/// without a cost model in force, or a month the model cannot split (no
/// volumes to share by, caps below the total, floors above it).
#[tracing::instrument(skip(ctx, db))]
pub async fn reconcile(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    id: i32,
    period: &str,
) -> ServiceResult<ReconciliationView> {
    reading(ctx, db, id).await?;
    people_only(ctx)?;
    let b = books(db, id).await?;
    let (p, from, to) = span(period, &b)?;
    if to < b.agreement.starts_on || from > b.agreement.ends_on {
        let m = format!(
            "{p} lies outside the agreement's term ({} to {}).",
            b.agreement.starts_on, b.agreement.ends_on
        );
        return Err(ServiceError::validation(
            m.clone(),
            vec![FieldError::new("period", m)],
        ));
    }
    let (versions, provisional) =
        crate::backend::services::versions::governing(db, &b.agreement).await?;
    let r = recorded(db, &b, from, to).await?;
    let (due, months) = shares(&b, &versions, &r, p, from, to)?;
    let names: HashMap<i32, (String, Option<String>)> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(b.parties.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, (o.name, o.name_fr)))
        .collect();
    Ok(view(&b, p, from, to, provisional, months, &due, &r, &names))
}

/// What was recorded over a period, summed.
struct Recorded {
    /// Actual costs by month.
    actual_by_month: BTreeMap<NaiveDate, Decimal>,
    /// Actual costs by party (what each paid).
    paid: BTreeMap<i32, Decimal>,
    /// Budgets wholly within the period, by party.
    budget: BTreeMap<i32, Decimal>,
    /// Budget and actual by category.
    categories: BTreeMap<CostCategory, (Decimal, Decimal)>,
    volumes_by_month: BTreeMap<NaiveDate, Vec<Volume>>,
}

/// The period's cost entries and volumes, in one pass over its rows,
/// summed exactly in Rust (SQLite keeps decimals as text, so SUM in SQL
/// would go through floats).
async fn recorded(
    db: &impl ConnectionTrait,
    b: &Books,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<Recorded> {
    let id = b.agreement.id;
    let entries: Vec<(NaiveDate, String, CostKind, CostCategory, i32, Exact)> =
        cost_entry::Entity::find()
            .filter(cost_entry::Column::AgreementId.eq(id))
            .filter(cost_entry::Column::PeriodStart.gte(from))
            .filter(cost_entry::Column::PeriodStart.lte(to))
            .select_only()
            .column(cost_entry::Column::PeriodStart)
            .column(cost_entry::Column::Period)
            .column(cost_entry::Column::Kind)
            .column(cost_entry::Column::Category)
            .column(cost_entry::Column::OrganisationId)
            .column(cost_entry::Column::Amount)
            .into_tuple()
            .all(db)
            .await?;
    let volumes: Vec<(NaiveDate, Channel, i32, i64)> = transaction_volume::Entity::find()
        .filter(transaction_volume::Column::AgreementId.eq(id))
        .filter(transaction_volume::Column::PeriodStart.gte(from))
        .filter(transaction_volume::Column::PeriodStart.lte(to))
        .select_only()
        .column(transaction_volume::Column::PeriodStart)
        .column(transaction_volume::Column::Channel)
        .column(transaction_volume::Column::OrganisationId)
        .column(transaction_volume::Column::Count)
        .into_tuple()
        .all(db)
        .await?;

    let zero = Decimal::ZERO;
    let mut actual_by_month: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    let mut paid: BTreeMap<i32, Decimal> = b.parties.iter().map(|o| (*o, zero)).collect();
    let mut budget: BTreeMap<i32, Decimal> = paid.clone();
    let mut categories: BTreeMap<CostCategory, (Decimal, Decimal)> = CostCategory::ALL
        .iter()
        .map(|c| (*c, (zero, zero)))
        .collect();
    for (start, period, kind, category, org, amount) in &entries {
        let slot = categories.entry(*category).or_insert((zero, zero));
        match *kind {
            // Actual costs are recorded by month.
            CostKind::Actual => {
                *actual_by_month.entry(*start).or_default() += amount.0;
                *paid.entry(*org).or_default() += amount.0;
                slot.1 += amount.0;
            }
            // A budget counts when its whole period lies within P.
            CostKind::Budget
                if stored::<Period>(period, "cost_entries.period")?.end_date(b.fiscal) > to => {}
            CostKind::Budget => {
                *budget.entry(*org).or_default() += amount.0;
                slot.0 += amount.0;
            }
        }
    }
    let mut volumes_by_month: BTreeMap<NaiveDate, Vec<Volume>> = BTreeMap::new();
    for (start, channel, org, count) in &volumes {
        volumes_by_month.entry(*start).or_default().push(Volume {
            organisation_id: *org,
            channel: *channel,
            count: u64::try_from(*count).unwrap_or(0),
        });
    }

    Ok(Recorded {
        actual_by_month,
        paid,
        budget,
        categories,
        volumes_by_month,
    })
}

/// Each party's due share of every month of the period, under the cost
/// model of the version in force that month; and the months shared.
/// Fails, naming every month, when a month has no version or no model.
fn shares(
    b: &Books,
    versions: &[crate::backend::services::versions::Governing],
    r: &Recorded,
    p: Period,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<(BTreeMap<i32, Decimal>, Vec<MonthView>)> {
    let zero = Decimal::ZERO;
    let models: HashMap<i32, Option<&CostModel>> = versions
        .iter()
        .map(|v| (v.number, v.terms.cost_model.as_ref()))
        .collect();
    let mut due: BTreeMap<i32, Decimal> = b.parties.iter().map(|o| (*o, zero)).collect();
    let mut months = Vec::new();
    let mut problems = Vec::new();
    for m in periods_between(
        Frequency::Monthly,
        from.max(b.agreement.starts_on),
        to.min(b.agreement.ends_on),
    ) {
        let start = m.start_date(1);
        let total = r.actual_by_month.get(&start).copied().unwrap_or(zero);
        let vols = r
            .volumes_by_month
            .get(&start)
            .map_or(&[][..], Vec::as_slice);
        let transactions: i64 = vols.iter().fold(0i64, |sum, v| {
            sum.saturating_add(i64::try_from(v.count).unwrap_or(i64::MAX))
        });
        let Some(v) = crate::backend::services::versions::in_force(versions, start) else {
            problems.push(FieldError::new(
                "period",
                format!("{m}: no version of the terms exists."),
            ));
            continue;
        };
        let Some(Some(model)) = models.get(&v.number) else {
            problems.push(FieldError::new(
                "period",
                format!("{m}: version {} has no cost-sharing model.", v.number),
            ));
            continue;
        };
        // A month with nothing recorded has nothing to share: no costs (or,
        // for fee for service, no transactions).
        let empty = if model.kind == crate::domain::CostModelKind::FeeForService {
            transactions == 0
        } else {
            total.is_zero()
        };
        if empty {
            continue;
        }
        match split(model, total, vols, b.currency) {
            Ok(s) => {
                for (org, amount) in s.shares {
                    *due.entry(org).or_default() += amount;
                }
                months.push(MonthView {
                    period: m.to_string(),
                    version: v.number,
                    kind: model.kind,
                    total_cost: b.currency.fixed(total),
                    transactions,
                });
            }
            Err(e) => problems.push(FieldError::new("period", format!("{m}: {e}."))),
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::validation(
            format!("{p} cannot be reconciled: {}", problems[0].message),
            problems,
        ));
    }

    Ok((due, months))
}

/// The reconciliation as shown: totals, each party's due, paid and
/// balance, the settling transfers, and budget versus actual by category.
#[allow(clippy::too_many_arguments)]
fn view(
    b: &Books,
    p: Period,
    from: NaiveDate,
    to: NaiveDate,
    provisional: bool,
    months: Vec<MonthView>,
    due: &BTreeMap<i32, Decimal>,
    r: &Recorded,
    names: &HashMap<i32, (String, Option<String>)>,
) -> ReconciliationView {
    let zero = Decimal::ZERO;
    let (paid, budget) = (&r.paid, &r.budget);
    let balances: Vec<(i32, Decimal)> = due
        .iter()
        .map(|(org, d)| (*org, *d - paid.get(org).copied().unwrap_or(zero)))
        .collect();
    let transfers = settle(&balances);
    let total_cost: Decimal = paid.values().copied().sum();
    let total_due: Decimal = due.values().copied().sum();
    let total_budget: Decimal = budget.values().copied().sum();
    let f = |d: Decimal| b.currency.fixed(d);
    ReconciliationView {
        agreement_id: b.agreement.id,
        reference: b.agreement.reference.clone(),
        period: p.to_string(),
        from,
        to,
        currency: b.currency.code().to_owned(),
        total_cost: f(total_cost),
        total_due: f(total_due),
        budget: f(total_budget),
        variance: f(total_cost - total_budget),
        unsettled: f(total_due - total_cost),
        provisional,
        months,
        parties: due
            .iter()
            .map(|(org, d)| {
                let paid = paid.get(org).copied().unwrap_or(zero);
                let (name, name_fr) = names.get(org).cloned().unwrap_or_default();
                PartyBalanceView {
                    organisation_id: *org,
                    organisation_name: name,
                    organisation_name_fr: name_fr,
                    due: f(*d),
                    paid: f(paid),
                    balance: f(*d - paid),
                    budget: f(budget.get(org).copied().unwrap_or(zero)),
                }
            })
            .collect(),
        transfers: transfers
            .into_iter()
            .map(|t| TransferView {
                from: t.from,
                to: t.to,
                amount: f(t.amount),
            })
            .collect(),
        categories: r
            .categories
            .iter()
            .map(|(category, (budget, actual))| CategoryView {
                category: *category,
                budget: f(*budget),
                actual: f(*actual),
                variance: f(*actual - *budget),
            })
            .collect(),
    }
}

/// A reconciliation as CSV: one row per party, then the transfers and
/// budget versus actual by category, each section with its own header.
/// Each organisation is named in both languages (`organisation`,
/// `organisation_fr`; `from`, `from_fr`…), the French name empty when it
/// has none.
pub fn reconciliation_csv(r: &ReconciliationView) -> String {
    let names: HashMap<i32, (&str, &str)> = r
        .parties
        .iter()
        .map(|p| {
            (
                p.organisation_id,
                (
                    p.organisation_name.as_str(),
                    p.organisation_name_fr.as_deref().unwrap_or(""),
                ),
            )
        })
        .collect();
    let name = |id: i32| names.get(&id).copied().unwrap_or(("", ""));
    let line = |cells: &[&str]| -> Vec<String> {
        let mut row: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        row.resize(8, String::new());
        row
    };
    let mut rows: Vec<Vec<String>> = vec![line(&[
        "section",
        "organisation_id",
        "organisation",
        "organisation_fr",
        "due",
        "paid",
        "balance",
        "budget",
    ])];
    for p in &r.parties {
        let (en, fr) = name(p.organisation_id);
        rows.push(line(&[
            "party",
            &p.organisation_id.to_string(),
            en,
            fr,
            &p.due,
            &p.paid,
            &p.balance,
            &p.budget,
        ]));
    }
    rows.push(line(&[
        "total",
        "",
        &format!("{} {} ({})", r.reference, r.period, r.currency),
        "",
        &r.total_due,
        &r.total_cost,
        &r.unsettled,
        &r.budget,
    ]));
    rows.push(line(&[
        "section", "from_id", "from", "from_fr", "to_id", "to", "to_fr", "amount",
    ]));
    for t in &r.transfers {
        let ((from, from_fr), (to, to_fr)) = (name(t.from), name(t.to));
        rows.push(line(&[
            "transfer",
            &t.from.to_string(),
            from,
            from_fr,
            &t.to.to_string(),
            to,
            to_fr,
            &t.amount,
        ]));
    }
    rows.push(line(&[
        "section", "category", "budget", "actual", "variance",
    ]));
    for c in &r.categories {
        rows.push(line(&[
            "category",
            c.category.as_str(),
            &c.budget,
            &c.actual,
            &c.variance,
        ]));
    }
    crate::backend::csv_out::to_csv(rows)
}

/// [`portfolio_costs`] for a request: kept until the data changes
/// (`backend::cache`).
///
/// Fails as [`portfolio_costs`] does.
pub async fn portfolio_costs_cached(
    ctx: &Ctx,
    db: &sea_orm::DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<Vec<crate::wire::benchmarks::CurrencyCosts>> {
    let compute = portfolio_costs(ctx, db, from, to);
    ctx.kept(db, "portfolio_costs", &(from, to), compute).await
}

/// Budget and actual costs of the agreements the caller may see whose
/// entries start within `from..=to`, summed per currency (never across).
///
/// Fails with `Forbidden` for reporters and API tokens.
pub async fn portfolio_costs(
    ctx: &Ctx,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> ServiceResult<Vec<crate::wire::benchmarks::CurrencyCosts>> {
    ctx.require(&[Role::Executive, Role::Manager, Role::Admin])?;
    let visible =
        crate::backend::services::agreements::list_as_party(ctx, db, &Default::default()).await?;
    let currency: HashMap<i32, String> =
        visible.iter().map(|a| (a.id, a.currency.clone())).collect();
    let rows: Vec<(i32, String, Exact)> = cost_entry::Entity::find()
        .filter(cost_entry::Column::PeriodStart.gte(from))
        .filter(cost_entry::Column::PeriodStart.lte(to))
        .select_only()
        .column(cost_entry::Column::AgreementId)
        .column(cost_entry::Column::Kind)
        .column(cost_entry::Column::Amount)
        .into_tuple()
        .all(db)
        .await?;
    let mut sums: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for (agreement_id, kind, amount) in rows {
        let Some(c) = currency.get(&agreement_id) else {
            continue;
        };
        let slot = sums.entry(c.clone()).or_default();
        if kind == CostKind::Budget.as_str() {
            slot.0 += amount.0;
        } else {
            slot.1 += amount.0;
        }
    }
    Ok(sums
        .into_iter()
        .map(
            |(code, (budget, actual))| crate::wire::benchmarks::CurrencyCosts {
                budget: Currency::fixed_by_code(&code, budget),
                actual: Currency::fixed_by_code(&code, actual),
                currency: code,
            },
        )
        .collect())
}
