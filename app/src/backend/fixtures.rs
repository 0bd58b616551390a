//! Loading CSV files into the database: the demo portfolio (`server seed`)
//! and single tables (`server import --table T FILE`). A file is checked row
//! by row; every problem is reported with its file, line and column, and a
//! load with any problem writes nothing (one transaction). Rows refer to each
//! other by code or reference, never by database id.

use crate::backend::csv_table::{self, CsvRow, CsvTable};
use crate::backend::entities::*;
use crate::backend::exact::Exact;
use crate::backend::services::costs::{self, Books, check_entry, check_volume};
use crate::backend::services::negotiation;
use crate::backend::services::reports::{check_report, reportables_of};
use crate::backend::services::{Ctx, agreements as agreement_reads};
use crate::backend::stored::list_column;
use crate::backend::{FieldError, ServiceError};
use crate::domain::channel_shift::ChannelMinimum;
use crate::domain::{
    AgreementStatus, BarrierCategory, BarrierStatus, CalendarShift, Channel, ClientType,
    CostCategory, CostKind, CostModelKind, Currency, Frequency, GovernanceSection,
    JurisdictionLevel, KpiDirection, KpiUnit, Money, OnlineStage, OrganisationKind,
    PartnershipType, PartyFacts, PartyRole, Percent, Period, Purpose, ServiceType, Structure,
    check_parties, check_term, service,
};
use crate::wire::cost::{CostEntryParams, VolumeEntryParams};
use crate::wire::reports::{Num, ReportParams};
use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, QueryFilter,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Every table a CSV file can load, in dependency order.
pub const TABLES: &[&str] = &[
    "jurisdictions",
    "organisations",
    "kpis",
    "life_events",
    "holidays",
    "agreements",
    "agreement_parties",
    "agreement_services",
    "service_standards",
    "channel_minimums",
    "agreement_life_events",
    "propagation_terms",
    "barriers",
    "governance_sections",
    "cost_models",
    "cost_model_lines",
    "commitments",
    "service_level_reports",
    "cost_entries",
    "transaction_volumes",
    "satisfaction_results",
    "channel_journeys",
    "life_event_notices",
    "life_event_deliveries",
];

/// The tables whose files hold real days, which `seed` never moves.
const UNSHIFTED: &[&str] = &["holidays"];

/// An agreement, its parties as the structural rules see them, and the
/// first line that names it.
type AgreementParties = (AgreementInfo, Vec<(PartyFacts, PartyRole)>, u64);

/// One problem in one cell (or row) of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(
                f,
                "{}:{}: column '{}': {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("unknown table '{0}'; expected one of: {list}", list = TABLES.join(", "))]
    UnknownTable(String),
    #[error("cannot read {0}: {1}")]
    Io(String, String),
    #[error("{} problem(s); nothing was written", .0.len())]
    Problems(Vec<Problem>),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// A service's failure while loading: its database error as such, any
/// other (a rule the fixtures broke that no row names) as a database error
/// with its message.
impl From<ServiceError> for FixtureError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Db(e) => FixtureError::Db(e),
            other => FixtureError::Db(DbErr::Custom(other.to_string())),
        }
    }
}

/// What one file did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadReport {
    pub table: &'static str,
    pub inserted: usize,
    pub skipped: usize,
}

/// The file in which a fixtures directory states the day it was made.
pub const CALENDAR_FILE: &str = "calendar.csv";

/// Loads the demo portfolio from `dir` (one CSV per table) as if it were
/// made in `today`'s month. Idempotent: reference rows already present (same
/// code) and agreements already present (same reference) are skipped
/// together with everything that hangs off them.
///
/// When `dir` holds a `calendar.csv` naming the day the files were made
/// (`anchor_date`), every date and period is moved by whole months to
/// `today` ([`CalendarShift`]): three years of history end where the user
/// is, on whatever day the demo is seeded. Without it nothing moves.
///
/// Fails, writing nothing, when any file is missing or has a problem.
pub async fn seed(
    db: &DatabaseConnection,
    dir: &Path,
    today: NaiveDate,
) -> Result<Vec<LoadReport>, FixtureError> {
    let shift = match anchor_date(dir)? {
        Some(anchor) => CalendarShift::between(anchor, today),
        None => CalendarShift::NONE,
    };
    let tx = crate::backend::db::write_tx(db).await?;
    let mut loader = Loader::new(&tx, Mode::SkipExisting, dir.to_path_buf(), today).await?;
    let mut reports = Vec::new();
    for table in TABLES {
        let mut sheet = Sheet::read(&dir.join(format!("{table}.csv")))?;
        if !UNSHIFTED.contains(table) {
            sheet.shift = shift;
        }
        reports.push(loader.load(table, &sheet).await?);
    }
    loader.snapshot_new_agreements().await?;
    let derived = loader.derive_values().await?;
    rejudge_if_changed(&tx, &reports, derived > 0).await?;
    tx.commit().await?;
    Ok(reports)
}

/// The day the files in `dir` were made, from its `calendar.csv`; `None`
/// when there is no such file.
///
/// Fails when the file exists but does not hold exactly one valid date.
pub fn anchor_date(dir: &Path) -> Result<Option<NaiveDate>, FixtureError> {
    let path = dir.join(CALENDAR_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let sheet = Sheet::read(&path)?;
    let mut found = None;
    let mut problems = Vec::new();
    for cells in &sheet.table.rows {
        let mut row = Row::new(&sheet, cells);
        if found.is_some() {
            row.problem("", "only one anchor date may be given");
        } else {
            found = row.date("anchor_date");
        }
        problems.append(&mut row.problems);
    }
    if found.is_none() && problems.is_empty() {
        problems.push(Problem {
            file: sheet.file.clone(),
            line: 1,
            column: "anchor_date".into(),
            message: "the day the fixtures were made is missing".into(),
        });
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(FixtureError::Problems(problems))
    }
}

/// Re-judges every reported commitment-period when `loaded` wrote reports,
/// commitments or versions, or `derived` values were written (the results
/// are kept from those).
async fn rejudge_if_changed(
    tx: &DatabaseTransaction,
    loaded: &[LoadReport],
    derived: bool,
) -> Result<(), FixtureError> {
    let changed = derived
        || loaded.iter().any(|r| {
            r.inserted > 0
                && matches!(
                    r.table,
                    "service_level_reports" | "commitments" | "agreement_versions" | "agreements"
                )
        });
    if changed {
        crate::backend::services::results::rebuild_all(tx)
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    Ok(())
}

/// Loads one CSV `file` into `table`; rows that already exist are refused.
///
/// Fails, writing nothing, when the table is unknown, the file unreadable,
/// or any row has a problem.
pub async fn import_table(
    db: &DatabaseConnection,
    table: &str,
    file: &Path,
) -> Result<LoadReport, FixtureError> {
    let table = TABLES
        .iter()
        .find(|t| **t == table)
        .ok_or_else(|| FixtureError::UnknownTable(table.to_owned()))?;
    let sheet = Sheet::read(file)?;
    let tx = crate::backend::db::write_tx(db).await?;
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut loader = Loader::new(&tx, Mode::RefuseExisting, dir, crate::clock::today()).await?;
    let report = loader.load(table, &sheet).await?;
    loader.snapshot_new_agreements().await?;
    let derived = loader.derive_values().await?;
    rejudge_if_changed(&tx, std::slice::from_ref(&report), derived > 0).await?;
    tx.commit().await?;
    Ok(report)
}

/// A CSV file read whole by the one CSV reader (`csv_table::read_any`):
/// its cells by column and line.
struct Sheet {
    file: String,
    table: CsvTable,
    /// How far its dates and periods move as they are read.
    shift: CalendarShift,
}

impl Sheet {
    fn read(path: &Path) -> Result<Sheet, FixtureError> {
        let name = path.display().to_string();
        let bytes =
            std::fs::read(path).map_err(|e| FixtureError::Io(name.clone(), e.to_string()))?;
        Self::parse(&name, &bytes)
    }

    fn parse(name: &str, bytes: &[u8]) -> Result<Sheet, FixtureError> {
        match csv_table::read_any(bytes) {
            Ok(table) => Ok(Sheet {
                file: name.to_owned(),
                table,
                shift: CalendarShift::NONE,
            }),
            Err(ServiceError::Validation { message, details }) => {
                let problem = |line: Option<u64>, message: String| Problem {
                    file: name.to_owned(),
                    line: line.unwrap_or(1),
                    column: String::new(),
                    message,
                };
                Err(FixtureError::Problems(if details.is_empty() {
                    vec![problem(None, message)]
                } else {
                    details
                        .into_iter()
                        .map(|d| problem(d.line, d.message))
                        .collect()
                }))
            }
            Err(other) => Err(FixtureError::Io(name.to_owned(), other.to_string())),
        }
    }

    fn has_column(&self, name: &str) -> bool {
        self.table.has_column(name)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `seed`: what already exists is left alone.
    SkipExisting,
    /// `import`: what already exists is an error.
    RefuseExisting,
}

/// One row being read: reports problems against its file, line and column.
struct Row<'s> {
    sheet: &'s Sheet,
    line: u64,
    cells: &'s CsvRow,
    problems: Vec<Problem>,
}

impl<'s> Row<'s> {
    /// Line `line` of `sheet`, with no problem yet.
    fn new(sheet: &'s Sheet, cells: &'s CsvRow) -> Self {
        Row {
            sheet,
            line: cells.line,
            cells,
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, column: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.sheet.file.clone(),
            line: self.line,
            column: column.to_owned(),
            message: message.into(),
        });
    }

    /// The problems a service's check found, each under the column of this
    /// file that holds the field (`organisation_id` is `organisation_code`
    /// here).
    fn problems_of_service(&mut self, errors: Vec<FieldError>) {
        for e in errors {
            let column = match e.field.as_str() {
                "organisation_id" => "organisation_code",
                field => field,
            };
            self.problem(column, e.message);
        }
    }

    /// The trimmed cell, `None` when empty.
    fn opt(&self, column: &str) -> Option<&'s str> {
        self.sheet.table.get(self.cells, column)
    }

    /// A cell that must not be empty.
    fn req(&mut self, column: &str) -> Option<&'s str> {
        let v = self.opt(column);
        if v.is_none() {
            self.problem(column, "a value is required");
        }
        v
    }

    /// A required cell parsed as `T`.
    fn parse<T: FromStr>(&mut self, column: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        let text = self.req(column)?;
        self.convert(column, text)
    }

    /// An optional cell parsed as `T`: `Ok(None)` when empty, `Err` when wrong.
    fn parse_opt<T: FromStr>(&mut self, column: &str) -> Result<Option<T>, ()>
    where
        T::Err: fmt::Display,
    {
        match self.opt(column) {
            None => Ok(None),
            Some(text) => self.convert(column, text).map(Some).ok_or(()),
        }
    }

    fn convert<T: FromStr>(&mut self, column: &str, text: &str) -> Option<T>
    where
        T::Err: fmt::Display,
    {
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(column, format!("'{text}': {e}"));
                None
            }
        }
    }

    fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let text = self.req(column)?;
        self.date_from(column, text)
    }

    fn date_opt(&mut self, column: &str) -> Result<Option<NaiveDate>, ()> {
        match self.opt(column) {
            None => Ok(None),
            Some(text) => self.date_from(column, text).map(Some).ok_or(()),
        }
    }

    /// A date, moved by the sheet's shift.
    fn date_from(&mut self, column: &str, text: &str) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => {
                let moved = self.sheet.shift.date(d);
                if moved.is_none() {
                    self.problem(column, format!("'{text}' cannot be moved to today"));
                }
                moved
            }
            Err(_) => {
                self.problem(column, format!("'{text}' is not a date (YYYY-MM-DD)"));
                None
            }
        }
    }

    /// A `k=v;k=v` map keyed by channel, each value checked by `check`.
    fn channel_map(
        &mut self,
        column: &str,
        check: impl Fn(&str) -> Result<String, String>,
    ) -> Result<Option<serde_json::Value>, ()> {
        let Some(text) = self.opt(column) else {
            return Ok(None);
        };
        let mut map = serde_json::Map::new();
        for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((k, v)) = pair.split_once('=') else {
                self.problem(column, format!("'{pair}' is not channel=value"));
                return Err(());
            };
            let channel: Channel = self.convert(column, k.trim()).ok_or(())?;
            match check(v.trim()) {
                Ok(v) => {
                    map.insert(channel.as_str().to_owned(), serde_json::Value::String(v));
                }
                Err(e) => {
                    self.problem(column, format!("{channel}: {e}"));
                    return Err(());
                }
            }
        }
        Ok(Some(serde_json::Value::Object(map)))
    }
}

/// What an agreement's children need to know about it.
#[derive(Clone)]
struct AgreementInfo {
    id: i32,
    /// Inserted by this load (children of older agreements are skipped by `seed`).
    new: bool,
    /// The line of `agreements.csv` it was inserted from (0 when not new).
    line: u64,
    currency: Option<Currency>,
    fiscal_start: u32,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    status: String,
    structure: String,
}

#[derive(Clone, Copy)]
struct KpiInfo {
    id: i32,
    unit: KpiUnit,
}

/// What a notice's deliveries need to know about it.
#[derive(Clone)]
struct NoticeInfo {
    id: i32,
    received_on: NaiveDate,
    /// The targets of the agreement's propagation term for its life event.
    acknowledge_days: i32,
    act_days: i32,
    /// The parties that term tells.
    told: Vec<i32>,
    /// Where it was loaded from by this load (`None` when it was there before).
    source: Option<(String, u64)>,
}

/// A notice by agreement, life event and case reference.
type NoticeKey = (i32, i32, String);

/// The longest target, in working days, a propagation term may set (as
/// the API's `negotiation` checks).
const MAX_PROPAGATION_DAYS: i32 = 260;

/// The longest holiday name (as `services::notices::calendar`).
const MAX_HOLIDAY_NAME: usize = 200;

/// The longest outcome or reason of a delivery (as
/// `services::notices::deliveries`).
const MAX_DELIVERY_TEXT: usize = 2000;

/// Lookups by code, kept current as rows are inserted, inside one transaction.
struct Loader<'t> {
    tx: &'t DatabaseTransaction,
    mode: Mode,
    dir: PathBuf,
    jurisdictions: HashMap<String, i32>,
    organisations: HashMap<String, organisation::Model>,
    kpis: HashMap<String, KpiInfo>,
    life_events: HashMap<String, i32>,
    agreements: HashMap<String, AgreementInfo>,
    /// (agreement reference, fixture key) → commitment id and its KPI.
    commitments: HashMap<(String, String), (i32, KpiInfo)>,
    /// The notices this load inserted.
    notices: HashMap<NoticeKey, NoticeInfo>,
    /// Agreements whose derived values this load may have moved: it
    /// inserted deliveries or commitments on the derived KPIs.
    derive_for: BTreeSet<i32>,
    /// The day the load judges by (which periods have ended).
    today: NaiveDate,
}

type Outcome = Result<LoadReport, FixtureError>;

impl<'t> Loader<'t> {
    async fn new(
        tx: &'t DatabaseTransaction,
        mode: Mode,
        dir: PathBuf,
        today: NaiveDate,
    ) -> Result<Self, FixtureError> {
        let jurisdictions = jurisdiction::Entity::find()
            .all(tx)
            .await?
            .into_iter()
            .map(|j| (j.code, j.id))
            .collect();
        let organisations = organisation::Entity::find()
            .all(tx)
            .await?
            .into_iter()
            .map(|o| (o.code.clone(), o))
            .collect();
        let mut kpis = HashMap::new();
        for k in kpi::Entity::find().all(tx).await? {
            let unit = k.unit;
            kpis.insert(k.code, KpiInfo { id: k.id, unit });
        }
        let life_events = life_event::Entity::find()
            .all(tx)
            .await?
            .into_iter()
            .map(|e| (e.code, e.id))
            .collect();
        let agreements = agreement::Entity::find()
            .all(tx)
            .await?
            .into_iter()
            .map(|a| {
                let info = AgreementInfo {
                    id: a.id,
                    new: false,
                    line: 0,
                    currency: Currency::parse(&a.currency).ok(),
                    fiscal_start: u32::try_from(a.fiscal_year_start_month).unwrap_or(1),
                    starts_on: a.starts_on,
                    ends_on: a.ends_on,
                    status: a.status.as_str().to_owned(),
                    structure: a.structure.as_str().to_owned(),
                };
                (a.reference, info)
            })
            .collect();
        Ok(Loader {
            tx,
            mode,
            dir,
            jurisdictions,
            organisations,
            kpis,
            life_events,
            agreements,
            commitments: HashMap::new(),
            notices: HashMap::new(),
            derive_for: BTreeSet::new(),
            today,
        })
    }

    async fn load(&mut self, table: &'static str, sheet: &Sheet) -> Outcome {
        match table {
            "jurisdictions" => self.jurisdictions(sheet).await,
            "organisations" => self.organisations(sheet).await,
            "kpis" => self.kpis(sheet).await,
            "life_events" => self.life_events(sheet).await,
            "holidays" => self.holidays(sheet).await,
            "agreements" => self.agreements(sheet).await,
            "agreement_parties" => self.parties(sheet).await,
            "agreement_services" => self.services(sheet).await,
            "service_standards" => self.service_standards(sheet).await,
            "channel_minimums" => self.channel_minimums(sheet).await,
            "agreement_life_events" => self.agreement_life_events(sheet).await,
            "propagation_terms" => self.propagation_terms(sheet).await,
            "barriers" => self.barriers(sheet).await,
            "governance_sections" => self.governance(sheet).await,
            "cost_models" => self.cost_models(sheet).await,
            "cost_model_lines" => self.cost_model_lines(sheet).await,
            "commitments" => self.commitments(sheet).await,
            "service_level_reports" => self.reports(sheet).await,
            "cost_entries" => self.cost_entries(sheet).await,
            "transaction_volumes" => self.volumes(sheet).await,
            "channel_journeys" => self.journeys(sheet).await,
            "satisfaction_results" => self.satisfaction_results(sheet).await,
            "life_event_notices" => self.notices(sheet).await,
            "life_event_deliveries" => self.deliveries(sheet).await,
            other => Err(FixtureError::UnknownTable(other.to_owned())),
        }
    }

    /// Checks that `sheet` has every column in `required`.
    fn columns(sheet: &Sheet, required: &[&str]) -> Result<(), FixtureError> {
        let missing: Vec<Problem> = required
            .iter()
            .filter(|c| !sheet.has_column(c))
            .map(|c| Problem {
                file: sheet.file.clone(),
                line: 1,
                column: (*c).to_owned(),
                message: "this column is missing from the header".to_owned(),
            })
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(FixtureError::Problems(missing))
        }
    }

    /// Reads every row with `read`, collecting all problems before anything
    /// is inserted; `read` returns `None` for a row to skip or that failed.
    fn rows<T>(
        &self,
        sheet: &Sheet,
        mut read: impl FnMut(&Self, &mut Row<'_>) -> Option<T>,
    ) -> Result<Vec<T>, FixtureError> {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for cells in &sheet.table.rows {
            let mut row = Row::new(sheet, cells);
            let value = read(self, &mut row);
            if row.problems.is_empty() {
                out.extend(value);
            } else {
                problems.append(&mut row.problems);
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(FixtureError::Problems(problems))
        }
    }

    fn exists(&self, row: &mut Row<'_>, column: &str, what: &str) -> bool {
        if self.mode == Mode::RefuseExisting {
            row.problem(column, format!("{what} already exists"));
        }
        true
    }

    fn organisation_id(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = row.req(column)?;
        match self.organisations.get(code) {
            Some(o) => Some(o.id),
            None => {
                row.problem(column, format!("no organisation has code '{code}'"));
                None
            }
        }
    }

    /// The agreement named in `agreement_reference`; `None` (and no problem)
    /// for an agreement that `seed` found already loaded.
    fn agreement(&self, row: &mut Row<'_>) -> Option<AgreementInfo> {
        let reference = row.req("agreement_reference")?;
        match self.agreements.get(reference) {
            Some(a) if a.new || self.mode == Mode::RefuseExisting => Some(a.clone()),
            Some(_) => None,
            None => {
                row.problem(
                    "agreement_reference",
                    format!("no agreement has reference '{reference}'"),
                );
                None
            }
        }
    }

    /// The row's period, moved by the sheet's shift, within `a`'s term.
    fn period(&self, row: &mut Row<'_>, a: &AgreementInfo) -> Option<(Period, NaiveDate)> {
        let written: Period = row.parse("period")?;
        let Some(period) = row.sheet.shift.period(written, a.fiscal_start) else {
            row.problem("period", format!("{written} cannot be moved to today"));
            return None;
        };
        let start = period.start_date(a.fiscal_start);
        if period.end_date(a.fiscal_start) < a.starts_on || start > a.ends_on {
            row.problem(
                "period",
                format!("{period} lies outside the agreement's term"),
            );
            return None;
        }
        Some((period, start))
    }

    fn money(
        &self,
        row: &mut Row<'_>,
        column: &str,
        a: &AgreementInfo,
        required: bool,
    ) -> Result<Option<Decimal>, ()> {
        let text = if required {
            row.req(column).ok_or(())?
        } else {
            match row.opt(column) {
                Some(t) => t,
                None => return Ok(None),
            }
        };
        let Some(currency) = a.currency else {
            row.problem(column, "the agreement's currency is unknown");
            return Err(());
        };
        match Money::parse_non_negative(text, currency) {
            Ok(m) => Ok(Some(m.amount())),
            Err(e) => {
                row.problem(column, format!("'{text}': {e}"));
                Err(())
            }
        }
    }

    async fn jurisdictions(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["code", "name", "level", "country_code"])?;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let code = row.req("code")?;
            if !seen.insert(code.to_owned()) {
                row.problem("code", format!("'{code}' appears twice in this file"));
                return None;
            }
            if me.jurisdictions.contains_key(code) && me.exists(row, "code", code) {
                return None;
            }
            let name = row.req("name");
            let level: Option<JurisdictionLevel> = row.parse("level");
            let country = row.req("country_code");
            if let Some(c) = country
                && (c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
            {
                row.problem(
                    "country_code",
                    format!("'{c}' is not a two-letter ISO 3166 code"),
                );
            }
            let parent = row.opt("parent_code").map(str::to_owned);
            Some((
                code.to_owned(),
                name?.to_owned(),
                row.opt("name_fr").map(str::to_owned),
                level?,
                country?.to_owned(),
                parent,
                row.line,
            ))
        })?;
        let mut problems = Vec::new();
        let mut inserted = 0;
        for (code, name, name_fr, level, country, parent, line) in rows {
            let parent_id = match parent {
                None => None,
                Some(p) => match self.jurisdictions.get(&p) {
                    Some(id) => Some(*id),
                    None => {
                        problems.push(Problem {
                            file: sheet.file.clone(),
                            line,
                            column: "parent_code".into(),
                            message: format!("no jurisdiction has code '{p}' (parents come first)"),
                        });
                        continue;
                    }
                },
            };
            let m = jurisdiction::ActiveModel {
                code: Set(code.clone()),
                name: Set(name),
                name_fr: Set(name_fr),
                level: Set(level),
                country_code: Set(country),
                parent_id: Set(parent_id),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.jurisdictions.insert(code, m.id);
            inserted += 1;
        }
        if !problems.is_empty() {
            return Err(FixtureError::Problems(problems));
        }
        Ok(LoadReport {
            table: "jurisdictions",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    async fn organisations(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["code", "name", "kind", "jurisdiction_code"])?;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let code = row.req("code")?;
            if !seen.insert(code.to_owned()) {
                row.problem("code", format!("'{code}' appears twice in this file"));
                return None;
            }
            if me.organisations.contains_key(code) && me.exists(row, "code", code) {
                return None;
            }
            let name = row.req("name");
            let kind: Option<OrganisationKind> = row.parse("kind");
            let jurisdiction_id = match row.opt("jurisdiction_code") {
                None => None,
                Some(j) => match me.jurisdictions.get(j) {
                    Some(id) => Some(*id),
                    None => {
                        row.problem(
                            "jurisdiction_code",
                            format!("no jurisdiction has code '{j}'"),
                        );
                        return None;
                    }
                },
            };
            if let Some(k) = kind
                && k.sector() == crate::domain::Sector::Public
                && jurisdiction_id.is_none()
            {
                row.problem(
                    "jurisdiction_code",
                    "a public organisation belongs to a jurisdiction",
                );
            }
            Some((
                code.to_owned(),
                name?.to_owned(),
                row.opt("name_fr").map(str::to_owned),
                kind?,
                jurisdiction_id,
            ))
        })?;
        let inserted = rows.len();
        for (code, name, name_fr, kind, jurisdiction_id) in rows {
            let m = organisation::ActiveModel {
                code: Set(code.clone()),
                name: Set(name),
                name_fr: Set(name_fr),
                kind: Set(kind),
                jurisdiction_id: Set(jurisdiction_id),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.organisations.insert(code, m);
        }
        Ok(LoadReport {
            table: "organisations",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    async fn kpis(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["code", "name", "unit", "direction", "is_ratio"])?;
        let rows = self.rows(sheet, |me, row| {
            let code = row.req("code")?;
            if me.kpis.contains_key(code) && me.exists(row, "code", code) {
                return None;
            }
            let name = row.req("name");
            let unit: Option<KpiUnit> = row.parse("unit");
            let direction: Option<KpiDirection> = row.parse("direction");
            let is_ratio: Option<bool> = row.parse("is_ratio");
            Some((
                code.to_owned(),
                name?.to_owned(),
                row.opt("name_fr").map(str::to_owned),
                unit?,
                direction?,
                is_ratio?,
            ))
        })?;
        let inserted = rows.len();
        for (code, name, name_fr, unit, direction, is_ratio) in rows {
            let m = kpi::ActiveModel {
                code: Set(code.clone()),
                name: Set(name),
                name_fr: Set(name_fr),
                unit: Set(unit),
                direction: Set(direction),
                is_ratio: Set(is_ratio),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.kpis.insert(code, KpiInfo { id: m.id, unit });
        }
        Ok(LoadReport {
            table: "kpis",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    async fn life_events(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["code", "name"])?;
        let rows = self.rows(sheet, |me, row| {
            let code = row.req("code")?;
            if me.life_events.contains_key(code) && me.exists(row, "code", code) {
                return None;
            }
            let name = row.req("name")?;
            Some((
                code.to_owned(),
                name.to_owned(),
                row.opt("name_fr").map(str::to_owned),
            ))
        })?;
        let inserted = rows.len();
        for (code, name, name_fr) in rows {
            let m = life_event::ActiveModel {
                code: Set(code.clone()),
                name: Set(name),
                name_fr: Set(name_fr),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.life_events.insert(code, m.id);
        }
        Ok(LoadReport {
            table: "life_events",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    async fn agreements(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "reference",
                "title",
                "summary",
                "purpose",
                "structure",
                "partnership_type",
                "status",
                "starts_on",
                "ends_on",
                "currency",
            ],
        )?;
        let rows = self.rows(sheet, |me, row| {
            let reference = row.req("reference")?;
            if me.agreements.contains_key(reference) && me.exists(row, "reference", reference) {
                return None;
            }
            if !is_reference(reference) {
                row.problem(
                    "reference",
                    format!("'{reference}' is not of the form AGR-2026-0042"),
                );
            }
            let title = row.req("title");
            let summary = row.req("summary");
            let purpose: Option<Purpose> = row.parse("purpose");
            let structure: Option<Structure> = row.parse("structure");
            let ptype: Option<PartnershipType> = row.parse("partnership_type");
            let status: Option<AgreementStatus> = row.parse("status");
            let starts_on = row.date("starts_on");
            let ends_on = row.date("ends_on");
            if let (Some(s), Some(e)) = (starts_on, ends_on) {
                for v in check_term(s, e) {
                    row.problem("ends_on", v.message);
                }
            }
            let currency: Option<Currency> = row.parse("currency");
            let notice = row
                .parse_opt::<i32>("renewal_notice_days")
                .ok()?
                .unwrap_or(90);
            let fiscal: u32 = row
                .parse_opt::<u32>("fiscal_year_start_month")
                .ok()?
                .unwrap_or(1);
            if !(1..=12).contains(&fiscal) {
                row.problem(
                    "fiscal_year_start_month",
                    format!("{fiscal} is not a month (1–12)"),
                );
            }
            let published = row.parse_opt::<bool>("published").ok()?.unwrap_or(false);
            let parent = row.opt("parent_reference").map(str::to_owned);
            Some((
                parent,
                row.line,
                agreement::ActiveModel {
                    reference: Set(reference.to_owned()),
                    title: Set(title?.to_owned()),
                    title_fr: Set(row.opt("title_fr").map(str::to_owned)),
                    summary: Set(summary?.to_owned()),
                    summary_fr: Set(row.opt("summary_fr").map(str::to_owned)),
                    purpose: Set(purpose?),
                    structure: Set(structure?),
                    partnership_type: Set(ptype?),
                    status: Set(status?),
                    starts_on: Set(starts_on?),
                    ends_on: Set(ends_on?),
                    renewal_notice_days: Set(notice),
                    currency: Set(currency?.code().to_owned()),
                    fiscal_year_start_month: Set(i16::try_from(fiscal).ok()?),
                    parent_id: Set(None),
                    published: Set(published),
                    version: Set(1),
                    in_force_version: Set(None),
                    created_by: Set(None),
                    ..Default::default()
                },
            ))
        })?;
        let inserted = rows.len();
        for (parent, line, mut m) in rows {
            // Parents come earlier in the file (or are already loaded).
            if let Some(p) = parent {
                match self.agreements.get(&p) {
                    Some(a) => m.parent_id = Set(Some(a.id)),
                    None => {
                        return Err(FixtureError::Problems(vec![Problem {
                            file: sheet.file.clone(),
                            line,
                            column: "parent_reference".into(),
                            message: format!(
                                "no agreement has reference '{p}' (parents come first)"
                            ),
                        }]));
                    }
                }
            }
            let m = m.insert(self.tx).await?;
            let info = AgreementInfo {
                id: m.id,
                new: true,
                line,
                currency: Currency::parse(&m.currency).ok(),
                fiscal_start: u32::try_from(m.fiscal_year_start_month).unwrap_or(1),
                starts_on: m.starts_on,
                ends_on: m.ends_on,
                status: m.status.as_str().to_owned(),
                structure: m.structure.as_str().to_owned(),
            };
            self.agreements.insert(m.reference, info);
        }
        Ok(LoadReport {
            table: "agreements",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    async fn parties(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["agreement_reference", "organisation_code", "role"])?;
        let mut seen = HashSet::new();
        let existing: HashSet<(i32, i32)> = if self.mode == Mode::RefuseExisting {
            agreement_party::Entity::find()
                .all(self.tx)
                .await?
                .into_iter()
                .map(|p| (p.agreement_id, p.organisation_id))
                .collect()
        } else {
            HashSet::new()
        };
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let org = me.organisation_id(row, "organisation_code");
            let role: Option<PartyRole> = row.parse("role");
            let org = org?;
            if !seen.insert((a.id, org)) || existing.contains(&(a.id, org)) {
                row.problem(
                    "organisation_code",
                    "this organisation is already a party to the agreement",
                );
                return None;
            }
            Some((a, org, role?, row.line))
        })?;
        // The structural rules of DOMAIN.md §2, per agreement.
        let mut by_agreement: HashMap<i32, AgreementParties> = HashMap::new();
        for (a, org, role, line) in &rows {
            let o = self
                .organisations
                .values()
                .find(|o| o.id == *org)
                .ok_or_else(|| DbErr::RecordNotFound(format!("organisation {org}")))?;
            let kind: OrganisationKind = o.kind;
            let facts = PartyFacts {
                organisation_id: *org,
                sector: kind.sector(),
                jurisdiction_id: o.jurisdiction_id,
            };
            by_agreement
                .entry(a.id)
                .or_insert_with(|| (a.clone(), Vec::new(), *line))
                .1
                .push((facts, *role));
        }
        let mut problems = Vec::new();
        for (a, parties, line) in by_agreement.values() {
            let structure: Structure = a
                .structure
                .parse()
                .map_err(|_| DbErr::Type(a.structure.clone()))?;
            for v in check_parties(structure, parties) {
                problems.push(Problem {
                    file: sheet.file.clone(),
                    line: *line,
                    column: "role".into(),
                    message: v.message,
                });
            }
        }
        if !problems.is_empty() {
            return Err(FixtureError::Problems(problems));
        }
        let inserted = rows.len();
        let now = crate::clock::now();
        let models: Vec<agreement_party::ActiveModel> = rows
            .into_iter()
            .map(|(a, org, role, _)| agreement_party::ActiveModel {
                agreement_id: Set(a.id),
                organisation_id: Set(org),
                role: Set(role),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        crate::backend::batch::insert_all(self.tx, models).await?;
        Ok(LoadReport {
            table: "agreement_parties",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    async fn party_set(&self) -> Result<HashSet<(i32, i32)>, DbErr> {
        Ok(agreement_party::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|p| (p.agreement_id, p.organisation_id))
            .collect())
    }

    async fn services(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &["agreement_reference", "name", "delivered_by", "channels"],
        )?;
        let parties = self.party_set().await?;
        let mut positions: HashMap<i32, usize> = HashMap::new();
        let mut codes: HashSet<(i32, String)> = self.service_ids().await?.into_keys().collect();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let name = row.req("name");
            let by = me.organisation_id(row, "delivered_by")?;
            if !parties.contains(&(a.id, by)) {
                row.problem(
                    "delivered_by",
                    "the delivering organisation is not a party to the agreement",
                );
            }
            let channels = row.req("channels")?;
            let mut list = Vec::new();
            for c in channels.split(';').map(str::trim).filter(|c| !c.is_empty()) {
                list.push(row.convert::<Channel>("channels", c)?.as_str());
            }
            // The service id: given, or S-n by its place among the
            // agreement's services in the file.
            let n = positions.entry(a.id).or_insert(0usize);
            let code = match row.opt("code") {
                Some(c) => {
                    if let Some(p) = service::code_problem(c) {
                        row.problem("code", p);
                    }
                    c.to_owned()
                }
                None => service::default_code(*n),
            };
            *n += 1;
            if !codes.insert((a.id, code.clone())) {
                row.problem(
                    "code",
                    format!("the agreement already has a service {code}"),
                );
            }
            let client_types = Self::list::<ClientType>(row, "client_types")?;
            let online_stages = Self::list::<OnlineStage>(row, "online_stages")?;
            let service_type = row.parse_opt::<ServiceType>("service_type").ok()?;
            let fee = match row.opt("fee") {
                None => None,
                Some(f) => {
                    let currency = a.currency?;
                    match Money::parse_non_negative(f, currency) {
                        Ok(m) => Some(Exact(m.amount())),
                        Err(e) => {
                            row.problem("fee", e.to_string());
                            return None;
                        }
                    }
                }
            };
            Some(agreement_service::ActiveModel {
                agreement_id: Set(a.id),
                name: Set(name?.to_owned()),
                name_fr: Set(row.opt("name_fr").map(str::to_owned)),
                delivered_by: Set(by),
                channels: Set(list.join(";")),
                code: Set(code),
                client_types: Set(list_column(&client_types)),
                service_type: Set(service_type.unwrap_or_default()),
                fee: Set(fee),
                online_stages: Set(list_column(&online_stages)),
                in_force: Set(true),
                ..Default::default()
            })
        })?;
        self.insert_all("agreement_services", sheet, rows).await
    }

    /// A `;` list of values of `T` in `column` (empty when blank).
    fn list<T: FromStr>(row: &mut Row<'_>, column: &str) -> Option<Vec<T>>
    where
        T::Err: fmt::Display,
    {
        let mut out = Vec::new();
        for v in row
            .opt(column)
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            out.push(row.convert::<T>(column, v)?);
        }
        Some(out)
    }

    /// The services of each agreement, by id within the agreement.
    async fn service_ids(&self) -> Result<HashMap<(i32, String), agreement_service::Model>, DbErr> {
        Ok(agreement_service::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|s| ((s.agreement_id, s.code.clone()), s))
            .collect())
    }

    async fn service_standards(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "service_code",
                "channel",
                "standard",
                "target",
            ],
        )?;
        let services = self.service_ids().await?;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let code = row.req("service_code")?;
            let Some(s) = services.get(&(a.id, code.to_owned())) else {
                row.problem(
                    "service_code",
                    format!("the agreement has no service {code}"),
                );
                return None;
            };
            let channel: Channel = row.parse("channel")?;
            if !s.channels.split(';').any(|c| c == channel.as_str()) {
                row.problem("channel", "the service is not offered on this channel");
            }
            if !seen.insert((s.id, channel)) {
                row.problem("channel", "one standard per service and channel");
            }
            let standard = row.req("standard")?.to_owned();
            let target = row.req("target")?;
            let target = match Percent::parse(target) {
                Ok(p) => p.value(),
                Err(e) => {
                    row.problem("target", e.to_string());
                    return None;
                }
            };
            Some(service_standard::ActiveModel {
                service_id: Set(s.id),
                channel: Set(channel),
                standard: Set(standard),
                standard_fr: Set(row.opt("standard_fr").map(str::to_owned)),
                target: Set(Exact(target)),
                ..Default::default()
            })
        })?;
        self.insert_all("service_standards", sheet, rows).await
    }

    /// Minimum service levels: each on a channel one of the agreement's
    /// services is offered through, once, with a share the API would
    /// accept; an agreement's together at most 100 %.
    async fn channel_minimums(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["agreement_reference", "channel", "share"])?;
        let mut offered: HashMap<i32, HashSet<String>> = HashMap::new();
        for s in self.service_ids().await?.into_values() {
            offered
                .entry(s.agreement_id)
                .or_default()
                .extend(s.channels.split(';').map(str::to_owned));
        }
        let mut seen = HashSet::new();
        let mut shares: HashMap<i32, Vec<Decimal>> = HashMap::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let channel: Channel = row.parse("channel")?;
            if !offered
                .get(&a.id)
                .is_some_and(|o| o.contains(channel.as_str()))
            {
                row.problem("channel", "no service of the agreement is offered on it");
            } else if !seen.insert((a.id, channel)) {
                row.problem("channel", "one minimum per agreement and channel");
            }
            let share = match ChannelMinimum::parse_share(row.req("share")?) {
                Ok(s) => s,
                Err(e) => {
                    row.problem("share", e);
                    return None;
                }
            };
            let all = shares.entry(a.id).or_default();
            all.push(share);
            if !ChannelMinimum::all_keepable(all.iter().copied()) {
                row.problem("share", "the agreement's minimums together pass 100 %");
            }
            Some(channel_minimum::ActiveModel {
                agreement_id: Set(a.id),
                channel: Set(channel),
                share: Set(Exact(share)),
                lock_version: Set(1),
                ..Default::default()
            })
        })?;
        self.insert_all("channel_minimums", sheet, rows).await
    }

    async fn agreement_life_events(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["agreement_reference", "life_event_code"])?;
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let code = row.req("life_event_code")?;
            let Some(id) = me.life_events.get(code) else {
                row.problem(
                    "life_event_code",
                    format!("no life event has code '{code}'"),
                );
                return None;
            };
            Some(agreement_life_event::ActiveModel {
                agreement_id: Set(a.id),
                life_event_id: Set(*id),
                ..Default::default()
            })
        })?;
        self.insert_all("agreement_life_events", sheet, rows).await
    }

    async fn barriers(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "category",
                "description",
                "severity",
                "status",
            ],
        )?;
        let parties = self.party_set().await?;
        let mut positions: HashMap<i32, usize> = HashMap::new();
        let mut keys: HashSet<(i32, String)> = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            // The barrier id: given, or B-n by its place among the
            // agreement's barriers in the file.
            let n = positions.entry(a.id).or_insert(0usize);
            let key = match row.opt("key") {
                Some(k) => {
                    if let Some(p) = crate::domain::barrier::key_problem(k) {
                        row.problem("key", p);
                    }
                    k.to_owned()
                }
                None => crate::domain::barrier::default_key(*n),
            };
            *n += 1;
            if !keys.insert((a.id, key.clone())) {
                row.problem("key", format!("the agreement already has a barrier {key}"));
            }
            // Recorded when the partnership started, unless the file says.
            let recorded_on = row.date_opt("recorded_on").ok()?.unwrap_or(a.starts_on);
            let category: Option<BarrierCategory> = row.parse("category");
            let description = row.req("description");
            let severity: Option<i16> = row.parse("severity");
            if let Some(s) = severity
                && !(1..=5).contains(&s)
            {
                row.problem("severity", format!("{s} is not a severity from 1 to 5"));
            }
            let status: Option<BarrierStatus> = row.parse("status");
            let owner = match row.opt("owner_code") {
                None => None,
                Some(_) => {
                    let id = me.organisation_id(row, "owner_code")?;
                    if !parties.contains(&(a.id, id)) {
                        row.problem("owner_code", "the owner is not a party to the agreement");
                    }
                    Some(id)
                }
            };
            Some(barrier::ActiveModel {
                agreement_id: Set(a.id),
                key: Set(key),
                recorded_on: Set(recorded_on),
                in_force: Set(true),
                register_version: Set(None),
                register_updated_at: Set(None),
                register_updated_by: Set(None),
                actions: Set(row.opt("actions").map(str::to_owned)),
                actions_fr: Set(row.opt("actions_fr").map(str::to_owned)),
                category: Set(category?),
                description: Set(description?.to_owned()),
                severity: Set(severity?),
                description_fr: Set(row.opt("description_fr").map(str::to_owned)),
                mitigation: Set(row.opt("mitigation").map(str::to_owned)),
                mitigation_fr: Set(row.opt("mitigation_fr").map(str::to_owned)),
                owner_id: Set(owner),
                status: Set(status?),
                lock_version: Set(1),
                ..Default::default()
            })
        })?;
        self.insert_all("barriers", sheet, rows).await
    }

    async fn governance(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["agreement_reference", "section", "body"])?;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let section: GovernanceSection = row.parse("section")?;
            if !seen.insert((a.id, section)) {
                row.problem(
                    "section",
                    format!("the agreement already has a {section} section"),
                );
            }
            let body = row.req("body")?;
            Some(governance_section::ActiveModel {
                agreement_id: Set(a.id),
                section: Set(section),
                body: Set(body.to_owned()),
                body_fr: Set(row.opt("body_fr").map(str::to_owned)),
                lock_version: Set(1),
                ..Default::default()
            })
        })?;
        self.insert_all("governance_sections", sheet, rows).await
    }

    async fn cost_models(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["agreement_reference", "kind"])?;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            if !seen.insert(a.id) {
                row.problem(
                    "agreement_reference",
                    "the agreement already has a cost model",
                );
            }
            let kind: CostModelKind = row.parse("kind")?;
            let fixed = row.parse_opt::<Percent>("fixed_portion").ok()?;
            if kind == CostModelKind::Hybrid && fixed.is_none() {
                row.problem("fixed_portion", "a hybrid model needs a fixed portion");
            }
            let weights = row
                .channel_map("channel_weights", |v| {
                    crate::domain::cost::parse_weight(v).map(|d| d.normalize().to_string())
                })
                .ok()?;
            Some(cost_model::ActiveModel {
                agreement_id: Set(a.id),
                kind: Set(kind),
                fixed_portion: Set(fixed.map(|p| Exact(p.value()))),
                channel_weights: Set(weights),
                lock_version: Set(1),
                ..Default::default()
            })
        })?;
        if self.mode == Mode::RefuseExisting {
            for m in &rows {
                if let Set(id) = m.agreement_id
                    && cost_model::Entity::find()
                        .filter(cost_model::Column::AgreementId.eq(id))
                        .one(self.tx)
                        .await?
                        .is_some()
                {
                    return Err(FixtureError::Problems(vec![Problem {
                        file: sheet.file.clone(),
                        line: 0,
                        column: "agreement_reference".into(),
                        message: "an agreement in this file already has a cost model".into(),
                    }]));
                }
            }
        }
        self.insert_all("cost_models", sheet, rows).await
    }

    async fn cost_model_lines(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["agreement_reference", "organisation_code"])?;
        let models: HashMap<i32, (i32, CostModelKind)> = cost_model::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|m| (m.agreement_id, (m.id, m.kind)))
            .collect();
        let parties = self.party_set().await?;
        let mut percents: HashMap<i32, (Decimal, u64, String)> = HashMap::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let Some((model_id, kind)) = models.get(&a.id) else {
                row.problem("agreement_reference", "the agreement has no cost model yet");
                return None;
            };
            let org = me.organisation_id(row, "organisation_code")?;
            if !parties.contains(&(a.id, org)) {
                row.problem(
                    "organisation_code",
                    "this organisation is not a party to the agreement",
                );
            }
            let percent = row.parse_opt::<Percent>("percent").ok()?;
            if matches!(kind.as_str(), "fixed" | "hybrid") {
                match percent {
                    None => row.problem(
                        "percent",
                        format!("a {kind} model needs a percentage per party"),
                    ),
                    Some(p) => {
                        let e = percents.entry(a.id).or_insert((
                            Decimal::ZERO,
                            row.line,
                            String::new(),
                        ));
                        e.0 += p.value();
                        e.1 = row.line;
                    }
                }
            }
            let cap = me.money(row, "cap", &a, false).ok()?;
            let floor = me.money(row, "floor", &a, false).ok()?;
            if let (Some(c), Some(f)) = (cap, floor)
                && c < f
            {
                row.problem("floor", "the floor is above the cap");
            }
            let currency = a.currency;
            let rates = row
                .channel_map("rates", |v| {
                    match currency.map(|c| Money::parse_non_negative(v, c)) {
                        Some(Ok(m)) => Ok(m.to_string_fixed()),
                        Some(Err(e)) => Err(format!("rate '{v}': {e}")),
                        None => Err("the agreement's currency is unknown".into()),
                    }
                })
                .ok()?;
            if *kind == CostModelKind::FeeForService && rates.is_none() {
                row.problem("rates", "a fee-for-service model needs rates per channel");
            }
            Some(cost_model_line::ActiveModel {
                cost_model_id: Set(*model_id),
                organisation_id: Set(org),
                percent: Set(percent.map(|p| Exact(p.value()))),
                cap: Set(cap.map(Exact)),
                floor: Set(floor.map(Exact)),
                rates: Set(rates),
                ..Default::default()
            })
        })?;
        let wrong: Vec<Problem> = percents
            .values()
            .filter(|(sum, _, _)| *sum != Decimal::ONE_HUNDRED)
            .map(|(sum, line, _)| Problem {
                file: sheet.file.clone(),
                line: *line,
                column: "percent".into(),
                message: format!("the agreement's percentages sum to {sum}, not exactly 100"),
            })
            .collect();
        if !wrong.is_empty() {
            return Err(FixtureError::Problems(wrong));
        }
        self.insert_all("cost_model_lines", sheet, rows).await
    }

    async fn commitments(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "key",
                "organisation_code",
                "kpi_code",
                "target",
                "frequency",
                "effective_from",
            ],
        )?;
        let parties = self.party_set().await?;
        let services = self.service_ids().await?;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let reference = row.req("agreement_reference")?.to_owned();
            let key = row.req("key")?.to_owned();
            if !seen.insert((reference.clone(), key.clone())) {
                row.problem("key", format!("'{key}' appears twice for {reference}"));
            }
            let org = me.organisation_id(row, "organisation_code")?;
            if !parties.contains(&(a.id, org)) {
                row.problem(
                    "organisation_code",
                    "the responsible organisation is not a party to the agreement",
                );
            }
            let kpi_code = row.req("kpi_code")?;
            let Some(kpi) = me.kpis.get(kpi_code).copied() else {
                row.problem("kpi_code", format!("no KPI has code '{kpi_code}'"));
                return None;
            };
            let target: Decimal = row.parse("target")?;
            let band = row.parse_opt::<Decimal>("warning_band").ok()?;
            if band.is_some_and(|b| b < Decimal::ZERO) {
                row.problem("warning_band", "the warning band cannot be negative");
            }
            if kpi.unit == KpiUnit::Percent
                && !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&target)
            {
                row.problem(
                    "target",
                    format!("{target} is not a percentage from 0 to 100"),
                );
            }
            let channel = row.parse_opt::<Channel>("channel").ok()?;
            let frequency: Frequency = row.parse("frequency")?;
            let grace = row
                .parse_opt::<i32>("grace_days")
                .ok()?
                .unwrap_or(crate::domain::compliance::DEFAULT_GRACE_DAYS);
            if grace < 0 {
                row.problem("grace_days", "grace days cannot be negative");
            }
            let from = row.date("effective_from")?;
            let to = row.date_opt("effective_to").ok()?;
            if to.is_some_and(|t| t < from) {
                row.problem("effective_to", "the commitment ends before it starts");
            }
            let misses = row.parse_opt::<i32>("allowed_misses").ok()?;
            // The service it is about, optional: one of the agreement's,
            // offered on the commitment's channel.
            let service = row.opt("service_code").map(str::to_owned);
            if let Some(code) = &service {
                match services.get(&(a.id, code.clone())) {
                    None => row.problem(
                        "service_code",
                        format!("the agreement has no service {code}"),
                    ),
                    Some(s)
                        if channel
                            .is_some_and(|c| !s.channels.split(';').any(|x| x == c.as_str())) =>
                    {
                        row.problem(
                            "service_code",
                            "the service is not offered on the commitment's channel",
                        );
                    }
                    Some(_) => {}
                }
            }
            Some((
                (reference, key, kpi),
                commitment::ActiveModel {
                    agreement_id: Set(a.id),
                    organisation_id: Set(org),
                    kpi_id: Set(kpi.id),
                    target: Set(Exact(target)),
                    warning_band: Set(band.map(Exact)),
                    channel: Set(channel),
                    service_code: Set(service),
                    frequency: Set(frequency),
                    grace_days: Set(grace),
                    effective_from: Set(from),
                    effective_to: Set(to),
                    allowed_misses: Set(misses),
                    lock_version: Set(1),
                    ..Default::default()
                },
            ))
        })?;
        let inserted = rows.len();
        let derived = self.derived_kpi_ids();
        for ((reference, key, kpi), m) in rows {
            let m = m.insert(self.tx).await?;
            if derived.contains_key(&kpi.id) {
                self.derive_for.insert(m.agreement_id);
            }
            self.commitments.insert((reference, key), (m.id, kpi));
        }
        Ok(LoadReport {
            table: "commitments",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    /// Commitment keys are local to the fixture files: when reports are
    /// imported on their own, `commitments.csv` beside them says which
    /// commitment each key names (by agreement, party, KPI and channel).
    async fn resolve_commitment_keys(&mut self) -> Result<(), FixtureError> {
        if !self.commitments.is_empty() {
            return Ok(());
        }
        let path = self.dir.join("commitments.csv");
        let Ok(sheet) = Sheet::read(&path) else {
            return Ok(());
        };
        let all = commitment::Entity::find().all(self.tx).await?;
        for cells in &sheet.table.rows {
            let get = |c: &str| sheet.table.raw(cells, c).unwrap_or("");
            let (Some(a), Some(o), Some(k)) = (
                self.agreements.get(get("agreement_reference")),
                self.organisations.get(get("organisation_code")),
                self.kpis.get(get("kpi_code")).copied(),
            ) else {
                continue;
            };
            let channel = Some(get("channel")).filter(|c| !c.is_empty());
            if let Some(c) = all.iter().find(|c| {
                c.agreement_id == a.id
                    && c.organisation_id == o.id
                    && c.kpi_id == k.id
                    && c.channel.map(Channel::as_str) == channel
            }) {
                self.commitments.insert(
                    (get("agreement_reference").to_owned(), get("key").to_owned()),
                    (c.id, k),
                );
            }
        }
        Ok(())
    }

    async fn reports(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "commitment_key",
                "period",
                "revision",
            ],
        )?;
        self.resolve_commitment_keys().await?;
        // The rows are checked as the API checks a report, with the same
        // rules and messages (services::reports::Reportable); only the
        // revision, which the API assigns itself, is the file's.
        let commitments = commitment::Entity::find().all(self.tx).await?;
        let reportables = reportables_of(self.tx, commitments).await?;
        let existing: HashSet<(i32, String, i32)> = if self.mode == Mode::RefuseExisting {
            service_level_report::Entity::find()
                .all(self.tx)
                .await?
                .into_iter()
                .map(|r| (r.commitment_id, r.period, r.revision))
                .collect()
        } else {
            HashSet::new()
        };
        let today = self.today;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let reference = row.req("agreement_reference")?;
            let key = row.req("commitment_key")?;
            let Some((cid, _)) = me
                .commitments
                .get(&(reference.to_owned(), key.to_owned()))
                .copied()
            else {
                row.problem(
                    "commitment_key",
                    format!("no commitment '{key}' for {reference}"),
                );
                return None;
            };
            let r = reportables.get(&cid)?;
            if crate::domain::propagation::is_derived_kpi(&r.code) {
                row.problem(
                    "commitment_key",
                    format!(
                        "'{key}' is a commitment on {}, whose values are derived from the \
                         life-event deliveries, never typed in",
                        r.code
                    ),
                );
                return None;
            }
            let (period, _) = me.period(row, &a)?;
            let revision: i32 = row.parse("revision")?;
            if revision < 1 {
                row.problem("revision", "revisions start at 1");
            }
            let volume = row.parse_opt::<i64>("volume").ok()?;
            let number = |column: &str| row.opt(column).map(|v| Num::Text(v.to_owned()));
            let params = ReportParams {
                commitment_id: cid,
                period: period.to_string(),
                value: number("value"),
                numerator: number("numerator"),
                denominator: number("denominator"),
                volume,
                comment: row.opt("comment").map(str::to_owned),
            };
            let mut errors = Vec::new();
            let checked = match check_report(&mut errors, None, &params, r, today) {
                Ok(checked) => checked,
                Err(e) => {
                    row.problem("commitment_key", e.to_string());
                    None
                }
            };
            row.problems_of_service(errors);
            let checked = checked?;
            let period = checked.period.to_string();
            if !seen.insert((cid, period.clone(), revision))
                || existing.contains(&(cid, period.clone(), revision))
            {
                row.problem(
                    "revision",
                    format!("revision {revision} of {period} already exists"),
                );
            }
            Some(service_level_report::ActiveModel {
                commitment_id: Set(cid),
                period: Set(period),
                period_start: Set(checked.period.start_date(1)),
                revision: Set(revision),
                value: Set(checked.reading.value.map(Exact)),
                numerator: Set(checked.reading.numerator.map(Exact)),
                denominator: Set(checked.reading.denominator.map(Exact)),
                volume: Set(checked.reading.volume),
                comment: Set(checked.comment),
                submitted_by: Set(None),
                api_token_id: Set(None),
                submitted_at: Set(crate::clock::now()),
                ..Default::default()
            })
        })?;
        self.insert_all("service_level_reports", sheet, rows).await
    }

    async fn cost_entries(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "period",
                "kind",
                "category",
                "amount",
                "organisation_code",
            ],
        )?;
        // Checked as the API checks an entry (services::costs), for any
        // party of the agreement.
        let books = self.books(sheet).await?;
        let today = self.today;
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let (period, _) = me.period(row, &a)?;
            let kind: Option<CostKind> = row.parse("kind");
            let category: Option<CostCategory> = row.parse("category");
            let amount = row.req("amount")?;
            let org = me.organisation_id(row, "organisation_code")?;
            let b = books.get(&a.id)?;
            let params = CostEntryParams {
                period: period.to_string(),
                kind: kind?,
                category: category?,
                amount: amount.to_owned(),
                organisation_id: org,
            };
            let mut errors = Vec::new();
            let entry = check_entry(&mut errors, None, &params, b, &b.parties, today);
            row.problems_of_service(errors);
            entry
        })?;
        self.insert_all("cost_entries", sheet, rows).await
    }

    async fn volumes(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "period",
                "channel",
                "organisation_code",
                "count",
            ],
        )?;
        // Checked as the API checks a volume (services::costs), for any
        // party of the agreement.
        let books = self.books(sheet).await?;
        let today = self.today;
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let (period, _) = me.period(row, &a)?;
            let channel: Option<Channel> = row.parse("channel");
            let org = me.organisation_id(row, "organisation_code")?;
            let count: i64 = row.parse("count")?;
            let b = books.get(&a.id)?;
            let service_id = match row.opt("service_code") {
                None => None,
                Some(code) => match b.services.iter().find(|(_, s)| s.code == code) {
                    Some((id, _)) => Some(*id),
                    None => {
                        row.problem(
                            "service_code",
                            format!("the agreement has no service {code}"),
                        );
                        return None;
                    }
                },
            };
            let params = VolumeEntryParams {
                period: period.to_string(),
                channel: channel?,
                organisation_id: org,
                count,
                service_id,
                meeting_standard: row.parse_opt::<i64>("meeting_standard").ok()?,
            };
            let mut errors = Vec::new();
            let volume = check_volume(&mut errors, None, &params, b, &b.parties, today);
            row.problems_of_service(errors);
            volume
        })?;
        self.insert_all("transaction_volumes", sheet, rows).await
    }

    async fn journeys(&mut self, sheet: &Sheet) -> Outcome {
        use crate::backend::services::journeys;
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "period",
                "service_code",
                "organisation_code",
                "started_on",
                "ended_on",
                "count",
            ],
        )?;
        // Checked as the API checks a count (services::journeys), for any
        // party of the agreement.
        let mut books = HashMap::new();
        for a in self.agreements.values().filter(|a| a.new) {
            books.insert(a.id, journeys::book(self.tx, a.id).await?);
        }
        let today = self.today;
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let (period, _) = me.period(row, &a)?;
            let org = me.organisation_id(row, "organisation_code")?;
            let b = books.get(&a.id)?;
            let code = row.req("service_code")?;
            let Some(service_id) = b.service_by_code(code) else {
                row.problem(
                    "service_code",
                    format!("the agreement has no service {code}"),
                );
                return None;
            };
            let started_on: Channel = row.parse("started_on")?;
            let ended_on: Option<Channel> = row.parse_opt("ended_on").ok()?;
            let params = crate::wire::journeys::JourneyParams {
                period: period.to_string(),
                service_id,
                organisation_id: org,
                started_on,
                ended_on,
                count: row.parse("count")?,
            };
            let mut errors = Vec::new();
            let journey = journeys::check(&mut errors, None, &params, b, &b.parties, today);
            row.problems_of_service(errors);
            journey
        })?;
        self.insert_all("channel_journeys", sheet, rows).await
    }

    /// Citizen satisfaction results, each checked as the API checks one
    /// (`services::satisfaction::check`) for any party of its agreement: a
    /// service in force offered on the row's channel, a month that has
    /// begun, numbers in bounds.
    async fn satisfaction_results(&mut self, sheet: &Sheet) -> Outcome {
        use crate::backend::services::satisfaction;
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "period",
                "service_code",
                "channel",
                "organisation_code",
                "sample_size",
                "overall",
            ],
        )?;
        let mut facts = HashMap::new();
        for id in self.books(sheet).await?.into_keys() {
            let f = match satisfaction::loading_facts(self.tx, id).await {
                Ok(f) => Ok(f),
                Err(ServiceError::Conflict(m)) => Err(m),
                Err(e) => return Err(e.into()),
            };
            facts.insert(id, f);
        }
        let today = self.today;
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let (period, _) = me.period(row, &a)?;
            let f = match facts.get(&a.id)? {
                Ok(f) => f,
                Err(m) => {
                    row.problem("agreement_reference", m.clone());
                    return None;
                }
            };
            let code = row.req("service_code")?;
            let Some(service_id) = f
                .services
                .iter()
                .find(|(_, s)| s.code == code)
                .map(|(id, _)| *id)
            else {
                row.problem(
                    "service_code",
                    format!("the agreement has no service {code} in force"),
                );
                return None;
            };
            let channel: Channel = row.parse("channel")?;
            let org = me.organisation_id(row, "organisation_code")?;
            let sample_size: i64 = row.parse("sample_size")?;
            let text = |row: &Row<'_>, c: &str| row.opt(c).map(str::to_owned);
            let params = crate::wire::satisfaction::SatisfactionParams {
                period: period.to_string(),
                service_id,
                channel,
                organisation_id: org,
                sample_size,
                overall: row.req("overall")?.to_owned(),
                margin_of_error: text(row, "margin_of_error"),
                timeliness: text(row, "timeliness"),
                knowledge: text(row, "knowledge"),
                courtesy: text(row, "courtesy"),
                fairness: text(row, "fairness"),
                outcome: text(row, "outcome"),
            };
            let mut errors = Vec::new();
            let result = satisfaction::check(&mut errors, None, &params, f, today);
            row.problems_of_service(errors);
            result.map(|mut m| {
                m.recorded_by = Set(None);
                m.api_token_id = Set(None);
                m
            })
        })?;
        self.insert_all("satisfaction_results", sheet, rows).await
    }

    async fn holidays(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(sheet, &["jurisdiction_code", "day", "name"])?;
        let existing: HashSet<(i32, NaiveDate)> = holiday::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|h| (h.jurisdiction_id, h.day))
            .collect();
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let code = row.req("jurisdiction_code");
            let jurisdiction = code.and_then(|c| me.jurisdictions.get(c).copied());
            if let (Some(c), None) = (code, jurisdiction) {
                row.problem(
                    "jurisdiction_code",
                    format!("no jurisdiction has code '{c}'"),
                );
            }
            let day = row.date("day");
            let name = row.req("name");
            let name_fr = row.opt("name_fr");
            for (column, text) in [("name", name), ("name_fr", name_fr)] {
                if text.is_some_and(|t| t.chars().count() > MAX_HOLIDAY_NAME) {
                    row.problem(
                        column,
                        format!("a holiday's name has 1 to {MAX_HOLIDAY_NAME} characters"),
                    );
                }
            }
            let (code, jurisdiction, day) = (code?, jurisdiction?, day?);
            if !seen.insert((jurisdiction, day)) {
                row.problem(
                    "day",
                    format!("{day} appears twice for {code} in this file"),
                );
                return None;
            }
            if existing.contains(&(jurisdiction, day))
                && me.exists(row, "day", &format!("the holiday of {code} on {day}"))
            {
                return None;
            }
            Some(holiday::ActiveModel {
                jurisdiction_id: Set(jurisdiction),
                day: Set(day),
                name: Set(name?.to_owned()),
                name_fr: Set(name_fr.map(str::to_owned)),
                ..Default::default()
            })
        })?;
        self.insert_all("holidays", sheet, rows).await
    }

    /// The life event named in `column`.
    fn life_event_id(&self, row: &mut Row<'_>, column: &str) -> Option<i32> {
        let code = row.req(column)?;
        let id = self.life_events.get(code).copied();
        if id.is_none() {
            row.problem(column, format!("no life event has code '{code}'"));
        }
        id
    }

    /// Tell Us Once: the terms that say, for a life event an agreement
    /// covers, who takes the citizen's notice, who is told and how soon
    /// they acknowledge and act (DOMAIN.md §8). Checked as the API checks
    /// an agreement's propagation terms.
    async fn propagation_terms(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "life_event",
                "intake_code",
                "told_codes",
                "acknowledge_days",
                "act_days",
            ],
        )?;
        let parties = self.party_set().await?;
        let covered: HashSet<(i32, i32)> = agreement_life_event::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|e| (e.agreement_id, e.life_event_id))
            .collect();
        let existing: HashSet<(i32, i32)> = propagation_term::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|t| (t.agreement_id, t.life_event_id))
            .collect();
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let event = me.life_event_id(row, "life_event");
            if let Some(e) = event {
                if !covered.contains(&(a.id, e)) {
                    row.problem("life_event", "the agreement does not cover this life event");
                } else if !seen.insert((a.id, e)) || existing.contains(&(a.id, e)) {
                    row.problem(
                        "life_event",
                        "the agreement has a propagation term for this life event already",
                    );
                }
            }
            let intake = me.organisation_id(row, "intake_code");
            if let Some(i) = intake
                && !parties.contains(&(a.id, i))
            {
                row.problem(
                    "intake_code",
                    "the intake party is not a party to the agreement",
                );
            }
            let mut told = Vec::new();
            if let Some(codes) = row.req("told_codes") {
                for code in codes.split(';').map(str::trim).filter(|c| !c.is_empty()) {
                    let problem = match me.organisations.get(code) {
                        None => Some(format!("no organisation has code '{code}'")),
                        Some(o) if !parties.contains(&(a.id, o.id)) => {
                            Some(format!("'{code}' is not a party to the agreement"))
                        }
                        Some(o) if Some(o.id) == intake => Some(format!(
                            "'{code}' is the intake party: it knows already, do not tell it"
                        )),
                        Some(o) if told.contains(&o.id) => Some(format!("'{code}' is told twice")),
                        Some(o) => {
                            told.push(o.id);
                            None
                        }
                    };
                    if let Some(p) = problem {
                        row.problem("told_codes", p);
                    }
                }
                if told.is_empty() && codes.split(';').all(|c| c.trim().is_empty()) {
                    row.problem("told_codes", "name at least one party to tell");
                }
            }
            let acknowledge: Option<i32> = row.parse("acknowledge_days");
            let act: Option<i32> = row.parse("act_days");
            for (column, days) in [("acknowledge_days", acknowledge), ("act_days", act)] {
                if let Some(d) = days
                    && !(0..=MAX_PROPAGATION_DAYS).contains(&d)
                {
                    row.problem(
                        column,
                        format!("{d} is not from 0 to {MAX_PROPAGATION_DAYS} working days"),
                    );
                }
            }
            if let (Some(k), Some(t)) = (acknowledge, act)
                && t < k
            {
                row.problem("act_days", "acting cannot be due before acknowledging");
            }
            Some(propagation_term::ActiveModel {
                agreement_id: Set(a.id),
                life_event_id: Set(event?),
                intake_id: Set(intake?),
                told: Set(serde_json::json!(told)),
                acknowledge_days: Set(acknowledge?),
                act_days: Set(act?),
                lock_version: Set(1),
                ..Default::default()
            })
        })?;
        self.insert_all("propagation_terms", sheet, rows).await
    }

    /// Every propagation term, by agreement and life event.
    async fn terms_by_event(
        &self,
    ) -> Result<HashMap<(i32, i32), (propagation_term::Model, Vec<i32>)>, FixtureError> {
        let mut out = HashMap::new();
        for t in propagation_term::Entity::find().all(self.tx).await? {
            let told: Vec<i32> = serde_json::from_value(t.told.clone()).map_err(|e| {
                DbErr::Custom(format!("propagation term {}: parties told: {e}", t.id))
            })?;
            out.insert((t.agreement_id, t.life_event_id), (t, told));
        }
        Ok(out)
    }

    /// Notices of life events received by an agreement's intake party, each
    /// under an opaque case reference (never personal data), checked as
    /// the API checks a notice.
    async fn notices(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "life_event",
                "intake_code",
                "received_on",
                "channel",
                "case_reference",
            ],
        )?;
        let terms = self.terms_by_event().await?;
        let existing: HashSet<NoticeKey> = life_event_notice::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|n| (n.agreement_id, n.life_event_id, n.case_reference))
            .collect();
        let today = self.today;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let event = me.life_event_id(row, "life_event")?;
            let Some((term, told)) = terms.get(&(a.id, event)) else {
                row.problem(
                    "life_event",
                    "the agreement has no propagation term for this life event",
                );
                return None;
            };
            let intake = me.organisation_id(row, "intake_code");
            if intake.is_some_and(|i| i != term.intake_id) {
                row.problem(
                    "intake_code",
                    "another party takes the notices of this life event under the agreement",
                );
            }
            let received = row.date("received_on");
            if let Some(d) = received {
                if d < a.starts_on || d > a.ends_on {
                    row.problem(
                        "received_on",
                        format!(
                            "the agreement runs from {} to {}: a notice received on {d} is \
                             outside it",
                            a.starts_on, a.ends_on
                        ),
                    );
                } else if d > today {
                    row.problem("received_on", "a notice cannot be received in the future");
                }
            }
            let channel: Option<Channel> = row.parse("channel");
            let case = row.req("case_reference")?;
            if let Some(p) = crate::domain::propagation::case_reference_problem(case) {
                row.problem("case_reference", p);
            }
            let key = (a.id, event, case.to_owned());
            if !seen.insert(key.clone()) {
                row.problem(
                    "case_reference",
                    format!("'{case}' appears twice for this agreement and life event"),
                );
                return None;
            }
            if existing.contains(&key)
                && me.exists(row, "case_reference", &format!("the notice '{case}'"))
            {
                return None;
            }
            let info = NoticeInfo {
                id: 0,
                received_on: received?,
                acknowledge_days: term.acknowledge_days,
                act_days: term.act_days,
                told: told.clone(),
                source: Some((sheet.file.clone(), row.line)),
            };
            let model = life_event_notice::ActiveModel {
                agreement_id: Set(a.id),
                life_event_id: Set(event),
                intake_id: Set(term.intake_id),
                received_on: Set(info.received_on),
                channel: Set(channel?.as_str().to_owned()),
                case_reference: Set(case.to_owned()),
                recorded_by: Set(None),
                api_token_id: Set(None),
                ..Default::default()
            };
            Some((key, info, model))
        })?;
        // One by one: their deliveries name them by id.
        let inserted = rows.len();
        for (key, mut info, model) in rows {
            info.id = model.insert(self.tx).await?.id;
            self.notices.insert(key, info);
        }
        Ok(LoadReport {
            table: "life_event_notices",
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    /// What each party told did with a notice: acknowledged, then acted on
    /// or declined (or nothing yet). A delivery's notice is found by
    /// agreement, life event and case reference; its targets are its
    /// propagation term's.
    async fn deliveries(&mut self, sheet: &Sheet) -> Outcome {
        Self::columns(
            sheet,
            &[
                "agreement_reference",
                "life_event",
                "case_reference",
                "organisation_code",
                "acknowledged_on",
                "acted_on",
                "outcome",
                "declined_on",
                "decline_reason",
            ],
        )?;
        // The notices of this load, and those loaded before it.
        let mut notices = self.notices.clone();
        if self.mode == Mode::RefuseExisting {
            let terms = self.terms_by_event().await?;
            for n in life_event_notice::Entity::find().all(self.tx).await? {
                let Some((term, told)) = terms.get(&(n.agreement_id, n.life_event_id)) else {
                    continue;
                };
                notices
                    .entry((n.agreement_id, n.life_event_id, n.case_reference))
                    .or_insert(NoticeInfo {
                        id: n.id,
                        received_on: n.received_on,
                        acknowledge_days: term.acknowledge_days,
                        act_days: term.act_days,
                        told: told.clone(),
                        source: None,
                    });
            }
        }
        let existing: HashSet<(i32, i32)> = life_event_delivery::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|d| (d.notice_id, d.organisation_id))
            .collect();
        let today = self.today;
        let mut seen = HashSet::new();
        let rows = self.rows(sheet, |me, row| {
            let a = me.agreement(row)?;
            let event = me.life_event_id(row, "life_event")?;
            let case = row.req("case_reference")?;
            let Some(n) = notices.get(&(a.id, event, case.to_owned())) else {
                row.problem(
                    "case_reference",
                    format!(
                        "no notice of this life event has case reference '{case}' under the \
                         agreement (notices come first)"
                    ),
                );
                return None;
            };
            let org = me.organisation_id(row, "organisation_code")?;
            if !n.told.contains(&org) {
                row.problem(
                    "organisation_code",
                    "the agreement's propagation term does not tell this organisation",
                );
            } else if !seen.insert((n.id, org)) || existing.contains(&(n.id, org)) {
                row.problem(
                    "organisation_code",
                    "the notice has a delivery to this organisation already",
                );
            }
            let acknowledged = row.date_opt("acknowledged_on").ok()?;
            let acted = row.date_opt("acted_on").ok()?;
            let declined = row.date_opt("declined_on").ok()?;
            for (column, day) in [
                ("acknowledged_on", acknowledged),
                ("acted_on", acted),
                ("declined_on", declined),
            ] {
                match day {
                    Some(d) if d < n.received_on => row.problem(
                        column,
                        format!("{d} is before the notice was received ({})", n.received_on),
                    ),
                    Some(d) if d > today => {
                        row.problem(column, format!("{d} has not come yet"));
                    }
                    _ => {}
                }
            }
            if acted.is_some() && declined.is_some() {
                row.problem(
                    "declined_on",
                    "a delivery is acted on or declined, not both",
                );
            }
            for (column, day) in [("acted_on", acted), ("declined_on", declined)] {
                match (day, acknowledged) {
                    (Some(_), None) => row.problem(
                        column,
                        "acting or declining acknowledges: acknowledged_on is required",
                    ),
                    (Some(d), Some(k)) if d < k => {
                        row.problem(column, format!("{d} is before it was acknowledged ({k})"));
                    }
                    _ => {}
                }
            }
            let outcome = row.opt("outcome");
            let reason = row.opt("decline_reason");
            for (column, text, day, done) in [
                ("outcome", outcome, acted, "acted on (acted_on)"),
                ("decline_reason", reason, declined, "declined (declined_on)"),
            ] {
                if text.is_some() != day.is_some() {
                    row.problem(
                        column,
                        format!("required when the delivery is {done}, and only then"),
                    );
                }
                if text.is_some_and(|t| t.chars().count() > MAX_DELIVERY_TEXT) {
                    row.problem(column, format!("at most {MAX_DELIVERY_TEXT} characters"));
                }
            }
            Some(life_event_delivery::ActiveModel {
                notice_id: Set(n.id),
                agreement_id: Set(a.id),
                organisation_id: Set(org),
                received_on: Set(n.received_on),
                acknowledge_days: Set(n.acknowledge_days),
                act_days: Set(n.act_days),
                acknowledged_on: Set(acknowledged),
                acted_on: Set(acted),
                outcome: Set(outcome.map(str::to_owned)),
                declined_on: Set(declined),
                decline_reason: Set(reason.map(str::to_owned)),
                lock_version: Set(1),
                ..Default::default()
            })
        })?;
        // Every notice this load inserted has one delivery per party told,
        // as the API creates them.
        let mut delivered: HashSet<(i32, i32)> = existing;
        delivered.extend(
            rows.iter()
                .filter_map(|d| match (&d.notice_id, &d.organisation_id) {
                    (Set(n), Set(o)) => Some((*n, *o)),
                    _ => None,
                }),
        );
        let mut missing: Vec<Problem> = Vec::new();
        for info in self.notices.values() {
            let Some((file, line)) = &info.source else {
                continue;
            };
            let absent = info
                .told
                .iter()
                .filter(|o| !delivered.contains(&(info.id, **o)))
                .filter_map(|o| {
                    self.organisations
                        .values()
                        .find(|m| m.id == *o)
                        .map(|m| m.code.clone())
                })
                .collect::<Vec<_>>();
            if !absent.is_empty() {
                missing.push(Problem {
                    file: file.clone(),
                    line: *line,
                    column: "case_reference".into(),
                    message: format!(
                        "the notice has no delivery to {} in {}",
                        absent.join(", "),
                        sheet.file
                    ),
                });
            }
        }
        if !missing.is_empty() {
            missing.sort_by_key(|p| p.line);
            return Err(FixtureError::Problems(missing));
        }
        for d in &rows {
            if let Set(a) = d.agreement_id {
                self.derive_for.insert(a);
            }
        }
        self.insert_all("life_event_deliveries", sheet, rows).await
    }

    /// The catalogue's derived KPIs, by id: `true` for the share acted on
    /// in target, `false` for the share acknowledged in target.
    fn derived_kpi_ids(&self) -> HashMap<i32, bool> {
        use crate::domain::propagation::{ACKNOWLEDGED_KPI, ACTED_KPI};
        [(ACKNOWLEDGED_KPI, false), (ACTED_KPI, true)]
            .into_iter()
            .filter_map(|(code, acted)| self.kpis.get(code).map(|k| (k.id, acted)))
            .collect()
    }

    /// Writes the values of the derived KPIs of every agreement whose
    /// deliveries or derived commitments this load inserted: for each
    /// commitment on them and each period with deliveries of its party,
    /// the share in target as known on the load's day, as the next
    /// revision of the period's report (by nobody), as
    /// `services::notices::derive` does when a delivery moves. Returns how
    /// many values were written.
    async fn derive_values(&self) -> Result<usize, FixtureError> {
        if self.derive_for.is_empty() || self.derived_kpi_ids().is_empty() {
            return Ok(0);
        }
        let agreements: Vec<i32> = self.derive_for.iter().copied().collect();
        Ok(
            crate::backend::services::notices::derive::rederive_all(
                self.tx, agreements, self.today,
            )
            .await?,
        )
    }

    /// The books of every agreement `sheet` names, by agreement id, for the
    /// services' checks of costs and volumes.
    async fn books(&self, sheet: &Sheet) -> Result<HashMap<i32, Books>, FixtureError> {
        let mut ids: Vec<i32> = sheet
            .table
            .rows
            .iter()
            .filter_map(|r| {
                self.agreements
                    .get(sheet.table.get(r, "agreement_reference")?)
            })
            .map(|a| a.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = HashMap::new();
        for id in ids {
            out.insert(id, costs::books(self.tx, id).await?);
        }
        Ok(out)
    }

    /// Inserts checked rows in batches, stamping `created_at`/`updated_at`.
    async fn insert_all<A>(&self, table: &'static str, sheet: &Sheet, rows: Vec<A>) -> Outcome
    where
        A: ActiveModelTrait + Stamped + Send,
    {
        let inserted = rows.len();
        let now = crate::clock::now();
        let rows = rows.into_iter().map(|mut r| {
            r.stamp(now);
            r
        });
        crate::backend::batch::insert_all(self.tx, rows.collect()).await?;
        Ok(LoadReport {
            table,
            inserted,
            skipped: sheet.table.rows.len() - inserted,
        })
    }

    /// Records version 1 of every agreement this load created: the immutable
    /// snapshot of its terms. Agreements past negotiation have it in force.
    async fn snapshot_new_agreements(&self) -> Result<(), FixtureError> {
        let ctx = Ctx::system();
        let mut problems = Vec::new();
        for info in self.agreements.values().filter(|a| a.new) {
            let view = agreement_reads::get(&ctx, self.tx, info.id).await?;
            let terms = crate::backend::services::versions::terms_of(&view)?;
            // The terms as loaded must satisfy every rule the API applies
            // to an agreement's terms (DOMAIN.md §2), with its messages.
            match negotiation::check_terms(
                &ctx,
                self.tx,
                negotiation::params_of(&terms),
                Some(info.id),
            )
            .await
            {
                Ok(_) => {}
                Err(ServiceError::Validation { details, .. }) => {
                    problems.extend(details.into_iter().map(|d| Problem {
                        file: self.dir.join("agreements.csv").display().to_string(),
                        line: info.line,
                        column: d.field,
                        message: d.message,
                    }));
                    continue;
                }
                Err(other) => return Err(other.into()),
            }
            let terms = terms.to_stored();
            // An agreement past negotiation was approved as loaded: its
            // version 1 has governed, and keeps governing its past once an
            // amendment is in force.
            let approved = matches!(
                info.status.as_str(),
                "active" | "suspended" | "expired" | "terminated"
            );
            agreement_version::ActiveModel {
                agreement_id: Set(info.id),
                number: Set(1),
                terms: Set(terms),
                change_summary: Set("Loaded from the demo portfolio".to_owned()),
                author_id: Set(None),
                effective_from: Set(info.starts_on),
                approved_at: Set(approved.then(crate::clock::now)),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            if approved {
                let mut a: agreement::ActiveModel = agreement::Entity::find_by_id(info.id)
                    .one(self.tx)
                    .await?
                    .ok_or_else(|| DbErr::RecordNotFound(info.id.to_string()))?
                    .into();
                a.in_force_version = Set(Some(1));
                a.update(self.tx).await?;
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            problems.sort_by_key(|p| p.line);
            Err(FixtureError::Problems(problems))
        }
    }
}

/// Active models that carry `created_at`/`updated_at`.
trait Stamped {
    fn stamp(&mut self, now: chrono::DateTime<Utc>);
}

macro_rules! stamped {
    ($($m:ident),+) => {$(
        impl Stamped for $m::ActiveModel {
            fn stamp(&mut self, now: chrono::DateTime<Utc>) {
                self.created_at = Set(now);
                self.updated_at = Set(now);
            }
        }
    )+};
}
stamped!(
    holiday,
    propagation_term,
    channel_minimum,
    life_event_delivery,
    agreement_service,
    service_standard,
    agreement_life_event,
    barrier,
    governance_section,
    cost_model,
    cost_model_line,
    service_level_report,
    cost_entry,
    transaction_volume,
    satisfaction_result,
    channel_journey
);

/// `AGR-2026-0042`: the year of creation and a four-digit sequence.
pub fn is_reference(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 13
        && s.starts_with("AGR-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// The password of every demo account (documented in the README; demo only).
pub const DEMO_PASSWORD: &str = "concord-demo-2026";

/// Creates the demo accounts of `dir/users.csv` that do not exist yet, each
/// with `password`. Idempotent.
///
/// Fails, creating none, when a row is invalid.
pub async fn seed_users(
    db: &DatabaseConnection,
    dir: &Path,
    password: &str,
) -> Result<LoadReport, FixtureError> {
    use crate::backend::services::admin::create_user_unchecked;
    use crate::domain::{Role, Scope};
    use crate::wire::admin::CreateUserParams;
    let sheet = Sheet::read(&dir.join("users.csv"))?;
    Loader::columns(
        &sheet,
        &[
            "email",
            "display_name",
            "role",
            "scope",
            "organisation_code",
        ],
    )?;
    let mut wanted = Vec::new();
    let mut problems = Vec::new();
    for cells in &sheet.table.rows {
        let mut row = Row::new(&sheet, cells);
        let email = row.req("email").map(str::to_owned);
        let name = row.req("display_name").map(str::to_owned);
        let role: Option<Role> = row.parse("role");
        let scope: Option<Scope> = row.parse("scope");
        let org = row.req("organisation_code").map(str::to_owned);
        let lang = match row.opt("lang") {
            None => Some(crate::domain::Lang::default()),
            Some(code) => {
                let lang = crate::domain::Lang::from_code(code);
                if lang.is_none() {
                    row.problem("lang", "en or fr");
                }
                lang
            }
        };
        problems.append(&mut row.problems);
        if let (
            Some(email),
            Some(display_name),
            Some(role),
            Some(scope),
            Some(organisation_code),
            Some(lang),
        ) = (email, name, role, scope, org, lang)
        {
            wanted.push(CreateUserParams {
                email,
                display_name,
                role,
                scope,
                organisation_code,
                password: password.to_owned(),
                lang,
            });
        }
    }
    if !problems.is_empty() {
        return Err(FixtureError::Problems(problems));
    }
    let existing: HashSet<String> = user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    let tx = crate::backend::db::write_tx(db).await?;
    let ctx = Ctx::system();
    let mut inserted = 0;
    for params in wanted
        .into_iter()
        .filter(|p| !existing.contains(&p.email.to_lowercase()))
    {
        let email = params.email.clone();
        create_user_unchecked(&ctx, &tx, params)
            .await
            .map_err(|e| {
                FixtureError::Problems(vec![Problem {
                    file: sheet.file.clone(),
                    line: 0,
                    column: "email".into(),
                    message: format!("{email}: {e}"),
                }])
            })?;
        inserted += 1;
    }
    tx.commit().await?;
    Ok(LoadReport {
        table: "users",
        inserted,
        skipped: sheet.table.rows.len() - inserted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ragged_row_is_reported_with_its_line() {
        let Err(FixtureError::Problems(p)) = Sheet::parse("x.csv", b"a,b\n1,2\n3\n") else {
            panic!("expected problems");
        };
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 3);
        assert!(
            p[0].message
                .contains("has 1 field(s) where the header has 2"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let Ok(sheet) = Sheet::parse("x.csv", b"\xEF\xBB\xBFcode,name\nA,B\n") else {
            panic!("expected a sheet");
        };
        assert!(sheet.has_column("code"));
    }

    #[test]
    fn references_have_the_agreement_form() {
        assert!(is_reference("AGR-2026-0042"));
        assert!(!is_reference("AGR-26-0042"));
        assert!(!is_reference("agr-2026-0042"));
        assert!(!is_reference("AGR-2026-042"));
    }
}
