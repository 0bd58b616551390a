//! Recording notices: one at a time (form, API, API token) or a CSV of
//! many, all rows or none. Each notice creates one delivery per party to
//! be told, whose reporters are told at once.

use super::intake::{Intake, reporter};
use super::{NOTICE, today};
use crate::backend::audit::{self, Event};
use crate::backend::entities::{life_event_delivery, life_event_notice, user};
use crate::backend::services::Ctx;
use crate::backend::services::notifications::{self, Said};
use crate::backend::{FieldError, ServiceError, ServiceResult, csv_table};
use crate::domain::propagation::case_reference_problem;
use crate::domain::{Channel, Role};
use crate::wire::cost::ImportOutcome;
use crate::wire::notices::{NoticeParams, NoticeView};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// A notice checked, ready to write, with the propagation term in force
/// on the day it was received.
struct Checked {
    agreement_id: i32,
    life_event_id: i32,
    intake_id: i32,
    told: Vec<i32>,
    acknowledge_days: i32,
    act_days: i32,
    received_on: NaiveDate,
    channel: Channel,
    case_reference: String,
}

fn push(errors: &mut Vec<FieldError>, line: Option<u64>, field: &str, message: impl Into<String>) {
    errors.push(match line {
        Some(l) => FieldError::at_line(l, field, message),
        None => FieldError::new(field, message),
    });
}

/// Checks one notice: the caller's organisation is the intake party of a
/// propagation term in force for that life event; received on a day within
/// the agreement's term and not after today; a known channel; an opaque
/// case reference. Every problem is pushed (with `line` for a CSV row).
fn check(
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    p: &NoticeParams,
    intake: &Intake,
    today: NaiveDate,
) -> Option<Checked> {
    let before = errors.len();
    let code = p.life_event.trim();
    let found = intake.terms.get(&(p.agreement_id, code.to_owned()));
    if found.is_none() {
        push(
            errors,
            line,
            "life_event",
            format!(
                "Your organisation takes no notices of '{code}' under agreement {}: it is not the intake party of an active agreement's propagation term for it.",
                p.agreement_id
            ),
        );
    }
    let received_on = match p.received_on.trim().parse::<NaiveDate>() {
        Err(_) => {
            push(errors, line, "received_on", "A day is written YYYY-MM-DD.");
            None
        }
        Ok(d) if d > today => {
            push(
                errors,
                line,
                "received_on",
                "A notice cannot be received in the future.",
            );
            None
        }
        Ok(d) => match found {
            Some((a, _)) if d < a.starts_on || d > a.ends_on => {
                push(
                    errors,
                    line,
                    "received_on",
                    format!(
                        "The agreement runs from {} to {}: a notice received on {d} is outside it.",
                        a.starts_on, a.ends_on
                    ),
                );
                None
            }
            _ => Some(d),
        },
    };
    let channel = match p.channel.trim().parse::<Channel>() {
        Ok(c) => Some(c),
        Err(e) => {
            push(errors, line, "channel", e.to_string());
            None
        }
    };
    if let Some(problem) = case_reference_problem(&p.case_reference) {
        push(errors, line, "case_reference", problem);
    }
    if errors.len() > before {
        return None;
    }
    let (a, term) = found?;
    Some(Checked {
        agreement_id: a.id,
        life_event_id: term.life_event_id,
        intake_id: term.intake_id,
        // Read from the terms in force on the day of receipt (`in_force_on`).
        told: Vec::new(),
        acknowledge_days: term.acknowledge_days,
        act_days: term.act_days,
        received_on: received_on?,
        channel: channel?,
        case_reference: p.case_reference.trim().to_owned(),
    })
}

/// The versions that governed each agreement, loaded once.
type Versions = HashMap<i32, Vec<crate::backend::services::versions::Governing>>;

/// Sets `c`'s parties told and targets from the propagation term of the
/// terms in force on the day the notice was received — what an amendment
/// agreed later says does not reach back, nor what one still proposes.
/// Pushes a problem when no term then made the caller's organisation the
/// intake party for that life event.
async fn in_force_on(
    db: &impl ConnectionTrait,
    errors: &mut Vec<FieldError>,
    line: Option<u64>,
    c: &mut Checked,
    code: &str,
    versions: &mut Versions,
) -> ServiceResult<bool> {
    if let std::collections::hash_map::Entry::Vacant(slot) = versions.entry(c.agreement_id) {
        let a = crate::backend::entities::agreement::Entity::find_by_id(c.agreement_id)
            .one(db)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let (governing, _) = crate::backend::services::versions::governing(db, &a).await?;
        slot.insert(governing);
    }
    let then =
        crate::backend::services::versions::in_force(&versions[&c.agreement_id], c.received_on);
    let term = then.and_then(|v| {
        v.terms
            .propagation
            .iter()
            .find(|p| p.life_event == code && p.intake == c.intake_id)
    });
    let Some(term) = term else {
        push(
            errors,
            line,
            "received_on",
            format!(
                "On {}, the terms in force did not make your organisation the intake party for '{code}'.",
                c.received_on
            ),
        );
        return Ok(false);
    };
    c.told = term.told.clone();
    c.acknowledge_days = term.acknowledge_days;
    c.act_days = term.act_days;
    Ok(true)
}

/// Writes a checked notice, one delivery per party to be told, and the
/// notifications of those parties' reporters. Returns the notice's id and
/// the (agreement, party, day) whose derived values move.
async fn write(
    tx: &impl ConnectionTrait,
    ctx: &Ctx,
    c: &Checked,
    code: &str,
    reference: &str,
) -> ServiceResult<(i32, Vec<(i32, i32, NaiveDate)>)> {
    let actor = ctx.actor.as_ref();
    let notice = match (life_event_notice::ActiveModel {
        agreement_id: Set(c.agreement_id),
        life_event_id: Set(c.life_event_id),
        intake_id: Set(c.intake_id),
        received_on: Set(c.received_on),
        channel: Set(c.channel.as_str().to_owned()),
        case_reference: Set(c.case_reference.clone()),
        recorded_by: Set(actor.and_then(|a| a.user_id())),
        api_token_id: Set(actor.and_then(|a| a.api_token_id())),
        ..Default::default()
    })
    .insert(tx)
    .await
    {
        Ok(n) => n,
        Err(e) if crate::backend::error::is_unique_violation(&e) => {
            return Err(ServiceError::Conflict(format!(
                "A notice of '{code}' with case reference '{}' is already recorded under this agreement.",
                c.case_reference
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let told = &c.told;
    let calendars = super::working_days::calendars_of(tx, told).await?;
    let mut moved = Vec::with_capacity(told.len());
    for org in told {
        life_event_delivery::ActiveModel {
            notice_id: Set(notice.id),
            agreement_id: Set(c.agreement_id),
            organisation_id: Set(*org),
            received_on: Set(c.received_on),
            acknowledge_days: Set(c.acknowledge_days),
            act_days: Set(c.act_days),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        moved.push((c.agreement_id, *org, c.received_on));
        let by = calendars
            .get(org)
            .and_then(|cal| {
                cal.deadline(
                    c.received_on,
                    u32::try_from(c.acknowledge_days).unwrap_or(0),
                )
            })
            .map(|d| d.to_string())
            .unwrap_or_default();
        let users: Vec<i32> = user::Entity::find()
            .filter(user::Column::OrganisationId.eq(*org))
            .filter(user::Column::Role.eq(Role::Reporter))
            .filter(user::Column::Disabled.eq(false))
            .all(tx)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let subject = format!("{reference} {code} {}", c.case_reference);
        notifications::notify_in_language(tx, &users, NOTICE, c.agreement_id, |lang| {
            notifications::about(lang, &subject, Said::AcknowledgeBy(&by))
        })
        .await?;
    }
    Ok((notice.id, moved))
}

/// Records one notice. Fails with `Forbidden` for a caller who is not a
/// reporter (or API token), `Validation` naming each bad field, and
/// `Conflict` when its case reference is already recorded for that life
/// event under that agreement (a partner's system sending it twice).
#[tracing::instrument(skip(ctx, db, p))]
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    p: NoticeParams,
) -> ServiceResult<NoticeView> {
    let org = reporter(ctx)?;
    let intake = Intake::of(db, org).await?;
    let mut errors = Vec::new();
    let mut checked = check(&mut errors, None, &p, &intake, today());
    if let Some(c) = checked.as_mut() {
        in_force_on(
            db,
            &mut errors,
            None,
            c,
            p.life_event.trim(),
            &mut Versions::new(),
        )
        .await?;
    }
    let Some(c) = checked.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::validation(
            format!(
                "{} problem(s) in the notice; nothing was saved.",
                errors.len()
            ),
            errors,
        ));
    };
    let reference = intake
        .terms
        .get(&(c.agreement_id, p.life_event.trim().to_owned()))
        .map(|(a, _)| a.reference.clone())
        .unwrap_or_default();
    let tx = crate::backend::db::write_tx(db).await?;
    let (id, moved) = write(&tx, ctx, &c, p.life_event.trim(), &reference).await?;
    super::derive::rederive(&tx, &moved, today()).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "notice.record",
            entity: "life_event_notice",
            entity_id: Some(id),
            before: None,
            after: Some(json!({
                "agreement_id": c.agreement_id, "life_event": p.life_event.trim(),
                "received_on": c.received_on, "channel": c.channel.as_str(),
                "case_reference": c.case_reference, "deliveries": moved.len()
            })),
        },
    )
    .await?;
    super::views::notice(ctx, db, id).await
}

/// The columns of a CSV of notices.
pub const COLUMNS: [&str; 5] = [
    "agreement_id",
    "life_event",
    "received_on",
    "channel",
    "case_reference",
];

/// Imports notices from CSV (`agreement_id,life_event,received_on,channel,
/// case_reference`): all rows or none. A case reference already recorded
/// for that life event and agreement, or named twice in the file, is
/// refused at its line.
///
/// Fails with `Forbidden` for callers who are not reporters and
/// `Validation` listing every bad row by line (the header is line 1);
/// nothing is written then.
#[tracing::instrument(skip(ctx, db, bytes))]
pub async fn import<C: ConnectionTrait + TransactionTrait>(
    ctx: &Ctx,
    db: &C,
    bytes: &[u8],
) -> ServiceResult<ImportOutcome> {
    let org = reporter(ctx)?;
    let t = csv_table::read(bytes, &COLUMNS, &[])?;
    let intake = Intake::of(db, org).await?;
    let agreements: Vec<i32> = intake.terms.keys().map(|(a, _)| *a).collect();
    // What is recorded already, to refuse it by line.
    let recorded: HashSet<(i32, i32, String)> = life_event_notice::Entity::find()
        .filter(life_event_notice::Column::AgreementId.is_in(agreements))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.agreement_id, n.life_event_id, n.case_reference))
        .collect();
    let today = today();
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<(i32, i32, String), u64> = HashMap::new();
    let mut versions = Versions::new();
    for row in &t.rows {
        let line = Some(row.line);
        let cell = |c: &str| t.get(row, c).unwrap_or_default().to_owned();
        let Ok(agreement_id) = cell("agreement_id").parse::<i32>() else {
            push(
                &mut errors,
                line,
                "agreement_id",
                "An agreement id is a whole number.",
            );
            continue;
        };
        let p = NoticeParams {
            agreement_id,
            life_event: cell("life_event"),
            received_on: cell("received_on"),
            channel: cell("channel"),
            case_reference: cell("case_reference"),
        };
        let Some(mut c) = check(&mut errors, line, &p, &intake, today) else {
            continue;
        };
        if !in_force_on(
            db,
            &mut errors,
            line,
            &mut c,
            p.life_event.trim(),
            &mut versions,
        )
        .await?
        {
            continue;
        }
        let key = (c.agreement_id, c.life_event_id, c.case_reference.clone());
        if recorded.contains(&key) {
            push(
                &mut errors,
                line,
                "case_reference",
                "This case reference is already recorded for this life event under this agreement.",
            );
            continue;
        }
        if let Some(first) = seen.insert(key, row.line) {
            push(
                &mut errors,
                line,
                "case_reference",
                format!("Line {first} already records this case reference for this life event."),
            );
            continue;
        }
        checked.push((p.life_event.trim().to_owned(), c));
    }
    if !errors.is_empty() {
        return Err(csv_table::refused(errors));
    }
    if checked.is_empty() {
        return Err(csv_table::empty());
    }
    let n = checked.len();
    let tx = crate::backend::db::write_tx(db).await?;
    let mut moved = Vec::new();
    let mut ids = Vec::with_capacity(n);
    for (code, c) in &checked {
        let reference = intake
            .terms
            .get(&(c.agreement_id, code.clone()))
            .map(|(a, _)| a.reference.clone())
            .unwrap_or_default();
        let (id, m) = write(&tx, ctx, c, code, &reference).await?;
        ids.push(id);
        moved.extend(m);
    }
    super::derive::rederive(&tx, &moved, today).await?;
    audit::commit(
        tx,
        ctx,
        Event {
            action: "notices.import",
            entity: "life_event_notice",
            entity_id: None,
            before: None,
            after: Some(json!({ "imported": n, "notices": ids })),
        },
    )
    .await?;
    Ok(ImportOutcome { imported: n })
}
