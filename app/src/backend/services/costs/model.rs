//! Cost sharing: parsing a model as submitted (every problem by field) and
//! the what-if simulation. The arithmetic is `domain::cost`.

use crate::backend::services::Ctx;
use crate::backend::{FieldError, ServiceError, ServiceResult};
use crate::domain::cost::{CostLine, CostModel, MAX_COUNT, MAX_VOLUMES, Volume, split};
use crate::domain::{CostModelKind, Currency, Money, Percent};
use crate::wire::cost::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};

fn money(
    errors: &mut Vec<FieldError>,
    field: String,
    text: &str,
    currency: Currency,
) -> Option<Decimal> {
    match Money::parse_non_negative(text, currency) {
        Ok(m) => Some(m.amount()),
        Err(e) => {
            errors.push(FieldError::new(field, format!("'{text}': {e}")));
            None
        }
    }
}

/// A model as submitted, checked: known currency digits for money, percent
/// rules, positive weights, no party twice.
///
/// Fails with `Validation` listing every problem by field.
pub fn parse_model(params: &CostModelParams, currency: Currency) -> ServiceResult<CostModel> {
    let mut errors = Vec::new();
    let fixed_portion = match params.fixed_portion.as_deref() {
        None => None,
        Some(t) => match Percent::parse(t) {
            Ok(p) => Some(p.value()),
            Err(e) => {
                errors.push(FieldError::new("model.fixed_portion", e.to_string()));
                None
            }
        },
    };
    if params.kind == CostModelKind::Hybrid && params.fixed_portion.is_none() {
        errors.push(FieldError::new(
            "model.fixed_portion",
            "A hybrid model needs a fixed portion.",
        ));
    }
    let mut channel_weights = BTreeMap::new();
    for (c, w) in &params.channel_weights {
        match crate::domain::cost::parse_weight(w) {
            Ok(d) => {
                channel_weights.insert(*c, d);
            }
            Err(message) => errors.push(FieldError::new(
                format!("model.channel_weights.{c}"),
                message,
            )),
        }
    }
    let mut seen = HashSet::new();
    let mut lines = Vec::new();
    for (i, l) in params.lines.iter().enumerate() {
        if !seen.insert(l.organisation_id) {
            errors.push(FieldError::new(
                format!("model.lines[{i}].organisation_id"),
                "This party appears twice.",
            ));
        }
        let percent = match l.percent.as_deref() {
            None => None,
            Some(t) => match Percent::parse(t) {
                Ok(p) => Some(p.value()),
                Err(e) => {
                    errors.push(FieldError::new(
                        format!("model.lines[{i}].percent"),
                        e.to_string(),
                    ));
                    None
                }
            },
        };
        let cap = l
            .cap
            .as_deref()
            .and_then(|t| money(&mut errors, format!("model.lines[{i}].cap"), t, currency));
        let floor = l
            .floor
            .as_deref()
            .and_then(|t| money(&mut errors, format!("model.lines[{i}].floor"), t, currency));
        let mut rates = BTreeMap::new();
        for (c, r) in &l.rates {
            if let Some(v) = money(
                &mut errors,
                format!("model.lines[{i}].rates.{c}"),
                r,
                currency,
            ) {
                rates.insert(*c, v);
            }
        }
        lines.push(CostLine {
            organisation_id: l.organisation_id,
            percent,
            cap,
            floor,
            rates,
        });
    }
    if errors.is_empty() {
        Ok(CostModel {
            kind: params.kind,
            fixed_portion,
            channel_weights,
            lines,
        })
    } else {
        Err(ServiceError::validation(
            format!("{} problem(s) in the cost model.", errors.len()),
            errors,
        ))
    }
}

/// Each party's share of a projected total under a model (a pure
/// calculation: organisation ids are labels). Any person signed in; not an
/// API token, which acts only as its organisation's reporter system.
///
/// Fails with `Validation` for a bad currency, amount or model, or a split
/// the model cannot make (percentages not summing to 100, impossible caps
/// and floors, no volumes to share by).
pub fn simulate(ctx: &Ctx, params: &SimulateParams) -> ServiceResult<SplitView> {
    ctx.person()?;
    let currency = Currency::parse(params.currency.trim()).map_err(|e| {
        ServiceError::validation(
            e.to_string(),
            vec![FieldError::new("currency", e.to_string())],
        )
    })?;
    let mut errors = Vec::new();
    let total = match params.total_cost.as_deref() {
        Some(t) => money(&mut errors, "total_cost".into(), t, currency),
        None if params.model.kind == CostModelKind::FeeForService => Some(Decimal::ZERO),
        None => {
            errors.push(FieldError::new("total_cost", "A total cost is required."));
            None
        }
    };
    let model = parse_model(&params.model, currency);
    let (total, model) = match (total, model, errors.is_empty()) {
        (Some(t), Ok(m), true) => (t, m),
        (_, Err(ServiceError::Validation { details, .. }), _) => {
            errors.extend(details);
            return Err(ServiceError::validation(
                "The simulation could not be run.",
                errors,
            ));
        }
        _ => {
            return Err(ServiceError::validation(
                "The simulation could not be run.",
                errors,
            ));
        }
    };
    if params.volumes.len() > MAX_VOLUMES {
        errors.push(FieldError::new(
            "volumes",
            format!("At most {MAX_VOLUMES} volumes."),
        ));
    }
    for (i, v) in params.volumes.iter().enumerate() {
        if v.count > MAX_COUNT {
            errors.push(FieldError::new(
                format!("volumes[{i}].count"),
                "At most 1,000,000,000,000 transactions.",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::validation(
            "The simulation could not be run.",
            errors,
        ));
    }
    let volumes: Vec<Volume> = params
        .volumes
        .iter()
        .map(|v| Volume {
            organisation_id: v.organisation_id,
            channel: v.channel,
            count: v.count,
        })
        .collect();
    let result = split(&model, total, &volumes, currency).map_err(|e| {
        ServiceError::validation(e.to_string(), vec![FieldError::new("model", e.to_string())])
    })?;
    Ok(SplitView {
        currency: currency.code().to_owned(),
        total: currency.fixed(result.total),
        shares: result
            .shares
            .into_iter()
            .map(|(id, amount)| ShareView {
                organisation_id: id,
                amount: currency.fixed(amount),
            })
            .collect(),
    })
}
