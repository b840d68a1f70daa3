//! Importing an official unit list (CSV) into the unit tree.
//!
//! The file is checked whole before anything is written: a malformed line, an unknown level
//! or kind, a duplicate code or an unknown parent rejects the file with the line number and
//! changes nothing.
//!
//! A GSO code is not a stable identity across editions of the list: in July 2025 the code of
//! Xã Tam Dân (20392, under Huyện Phú Ninh, Quảng Nam) became that of Xã Phú Ninh under Thành
//! phố Đà Nẵng. So an import first computes an [`ImportPlan`] against the database — units
//! inserted, renamed, given another parent or level, and removed (in the database, not in the
//! file) — with the accounts each change carries along. Inserts and renames are written
//! freely; moves, level changes and removals only when [`ImportOptions`] allows them, and a
//! unit that still has accounts is never removed. The write is an upsert by code plus the
//! removals, in one transaction, batched so that the full list of 10,810 units takes a few
//! dozen statements, not one per row.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;

use chrono::Utc;
use domain::unit::{ROOT_NAME, UnitPath, full_name, search_key};
use domain::{Role, UnitCode, UnitKind, UnitLevel};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};
use thiserror::Error;
use uuid::Uuid;

use crate::StoreError;
use crate::entity::account;
use crate::entity::unit::{self, Column};

/// The header every unit list starts with.
pub const HEADER: [&str; 5] = ["code", "name", "kind", "level", "parent_code"];

/// Rows per statement: 10 values each stays far below both databases' bind limits.
const BATCH: usize = 500;

/// One valid line of a unit list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    /// 1-based line number in the file, the header being line 1.
    pub line: u64,
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
    pub level: UnitLevel,
    pub parent_code: Option<UnitCode>,
}

/// Why a unit list was not imported. Nothing was written.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("Dòng {line}: {message}")]
    Invalid { line: u64, message: String },
    #[error("Tệp không có dòng tiêu đề «{}».", HEADER.join(","))]
    MissingHeader,
    /// The file is valid, but applying it needs a permission the import was not given, or
    /// would remove units that have accounts. The plan says what it would have done.
    #[error("Không nhập: {}. Chưa ghi gì vào cơ sở dữ liệu.", join(refusals))]
    Refused {
        plan: Box<ImportPlan>,
        refusals: Vec<Refusal>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn join(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ImportError {
    fn at(line: u64, message: impl Into<String>) -> Self {
        Self::Invalid {
            line,
            message: message.into(),
        }
    }
}

impl From<sea_orm::DbErr> for ImportError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Store(e.into())
    }
}

/// What an import may do beyond inserting and renaming units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Give units another parent or another level; their accounts move with them.
    pub allow_moves: bool,
    /// Delete the units that are in the database but not in the file. A unit that has
    /// accounts, or whose removed descendants do, is never deleted.
    pub allow_removals: bool,
}

/// Why a plan may not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This many units get another parent or level, and moves were not allowed.
    Moves(usize),
    /// This many units would be removed, and removals were not allowed.
    Removals(usize),
    /// This many units to remove have accounts (at them or at descendants removed with them).
    RemovalsWithAccounts(usize),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Moves(n) => write!(
                f,
                "{n} đơn vị đổi đơn vị cấp trên hoặc đổi cấp mà chưa được phép chuyển"
            ),
            Self::Removals(n) => write!(
                f,
                "{n} đơn vị có trong cơ sở dữ liệu nhưng không có trong tệp mà chưa được phép xoá"
            ),
            Self::RemovalsWithAccounts(n) => write!(f, "{n} đơn vị cần xoá còn tài khoản"),
        }
    }
}

/// The counts of an import: what it did, or would do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: u64,
    /// Same parent and level, another name or kind.
    pub renamed: u64,
    /// Another parent, same level.
    pub moved: u64,
    /// Another level.
    pub relevelled: u64,
    /// In the database, not in the file.
    pub removed: u64,
    pub unchanged: u64,
    /// Units whose only change is their path, because an ancestor moved.
    pub carried: u64,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "thêm mới {}, đổi tên {}, chuyển {}, đổi cấp {}, xoá {}, không đổi {}",
            self.inserted, self.renamed, self.moved, self.relevelled, self.removed, self.unchanged
        )?;
        if self.carried > 0 {
            write!(f, ", {} đơn vị con đi theo đơn vị cấp trên", self.carried)?;
        }
        Ok(())
    }
}

/// A unit as a plan names it: "20392 Xã Tam Dân".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitLabel {
    pub code: String,
    /// The name with its kind.
    pub full_name: String,
}

impl fmt::Display for UnitLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.full_name)
    }
}

/// An account attached to a unit that an import moves or removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedAccount {
    pub username: String,
    pub role: Role,
    pub active: bool,
    /// The account's unit, as the database has it before the import.
    pub unit: UnitLabel,
}

/// A unit the file gives another parent or another level (or both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The unit before the import.
    pub unit: UnitLabel,
    /// Its full name after the import, when it changes too.
    pub new_name: Option<String>,
    pub old_parent: Option<UnitLabel>,
    pub new_parent: Option<UnitLabel>,
    pub old_level: UnitLevel,
    pub new_level: UnitLevel,
    /// The accounts at the unit or at its descendants that go along with it, by username.
    pub accounts: Vec<AffectedAccount>,
}

impl Move {
    pub fn changes_parent(&self) -> bool {
        self.old_parent != self.new_parent
    }

    pub fn changes_level(&self) -> bool {
        self.old_level != self.new_level
    }
}

/// A unit in the database that is not in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub unit: UnitLabel,
    pub level: UnitLevel,
    pub parent: Option<UnitLabel>,
    /// The accounts at the unit or at its descendants removed with it, by username: any of
    /// them forbids the removal.
    pub accounts: Vec<AffectedAccount>,
}

/// What importing a list would change, computed against the database.
#[derive(Debug)]
pub struct ImportPlan {
    pub report: ImportReport,
    /// Units with another parent or level, shallowest first, then by code.
    pub moves: Vec<Move>,
    /// Units to remove, shallowest first, then by code.
    pub removals: Vec<Removal>,
    /// Rows to upsert, with their depth.
    writes: Vec<(usize, unit::ActiveModel)>,
    /// Units to delete, with their depth.
    deletes: Vec<(usize, Uuid)>,
}

impl ImportPlan {
    /// Whether the import changes nothing.
    pub fn is_noop(&self) -> bool {
        self.writes.is_empty() && self.deletes.is_empty()
    }

    /// The removals that have accounts: never written.
    pub fn blocked_removals(&self) -> impl Iterator<Item = &Removal> {
        self.removals.iter().filter(|r| !r.accounts.is_empty())
    }

    /// Why this plan may not be written with `options`; empty when it may.
    pub fn refusals(&self, options: ImportOptions) -> Vec<Refusal> {
        let mut refusals = Vec::new();
        if !options.allow_moves && !self.moves.is_empty() {
            refusals.push(Refusal::Moves(self.moves.len()));
        }
        if !options.allow_removals && !self.removals.is_empty() {
            refusals.push(Refusal::Removals(self.removals.len()));
        }
        let blocked = self.blocked_removals().count();
        if blocked > 0 {
            refusals.push(Refusal::RemovalsWithAccounts(blocked));
        }
        refusals
    }
}

/// Progress of the write phase: rows written so far out of the rows to write.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub written: u64,
    pub total: u64,
}

/// Reads and checks a unit list. Every line must have the five columns of [`HEADER`], a
/// valid code, a non-empty name, a known level, a kind of that level, a parent code exactly
/// when the unit is not a province, and a code not seen on an earlier line.
pub fn parse_csv(reader: impl Read) -> Result<Vec<UnitRow>, ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header_ok = csv
        .headers()
        .is_ok_and(|h| h.iter().map(str::trim).eq(HEADER.iter().copied()));
    if !header_ok {
        return Err(ImportError::MissingHeader);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<UnitCode, u64> = HashMap::new();
    for (index, record) in csv.records().enumerate() {
        let line = index as u64 + 2;
        let record = record.map_err(|e| ImportError::at(line, format!("không đọc được ({e}).")))?;
        if record.len() != HEADER.len() {
            return Err(ImportError::at(
                line,
                format!("cần {} cột, có {} cột.", HEADER.len(), record.len()),
            ));
        }
        let field = |i: usize| record.get(i).unwrap_or_default().trim();
        let row = parse_row(line, [field(0), field(1), field(2), field(3), field(4)])?;
        if let Some(first) = seen.insert(row.code.clone(), line) {
            return Err(ImportError::at(
                line,
                format!("mã «{}» trùng với dòng {first}.", row.code),
            ));
        }
        rows.push(row);
    }
    Ok(rows)
}

fn parse_row(
    line: u64,
    [code, name, kind, level, parent]: [&str; 5],
) -> Result<UnitRow, ImportError> {
    let err = |e: domain::DomainError| ImportError::at(line, e.to_string());
    let code = UnitCode::parse(code).map_err(err)?;
    if name.is_empty() {
        return Err(ImportError::at(line, "thiếu tên đơn vị."));
    }
    if name.chars().count() > 100 || domain::text::has_hidden_characters(name) {
        return Err(ImportError::at(
            line,
            "tên đơn vị dài quá 100 ký tự hoặc chứa ký tự điều khiển hay ký tự ẩn.",
        ));
    }
    let level: UnitLevel = level.parse().map_err(err)?;
    if level == UnitLevel::Central {
        return Err(ImportError::at(
            line,
            "cấp trung ương do hệ thống tạo, không nhập từ tệp.",
        ));
    }
    let kind = UnitKind::parse_at(kind, level).map_err(err)?;
    let parent_code = match (level, parent) {
        (UnitLevel::Province, "") => None,
        (UnitLevel::Province, _) => {
            return Err(ImportError::at(
                line,
                "đơn vị cấp tỉnh không có mã đơn vị cha.",
            ));
        }
        (_, "") => return Err(ImportError::at(line, "thiếu mã đơn vị cha.")),
        (_, parent) => Some(UnitCode::parse(parent).map_err(err)?),
    };
    Ok(UnitRow {
        line,
        code,
        name: name.to_owned(),
        kind,
        level,
        parent_code,
    })
}

/// The state of one unit as the import computes it.
#[derive(Debug, Clone)]
struct Node {
    id: Uuid,
    name: String,
    kind: UnitKind,
    level: UnitLevel,
    parent: Option<String>,
    /// Line in the file, or `None` for a unit that is only in the database.
    line: Option<u64>,
}

/// An account, reduced to what a plan shows.
struct AccountRow {
    username: String,
    role: Role,
    active: bool,
    unit_id: Uuid,
}

/// Computes what importing `rows` would change, writing nothing. Run it inside the
/// transaction that will write, or on its own for a dry run.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn plan(db: &impl ConnectionTrait, rows: &[UnitRow]) -> Result<ImportPlan, ImportError> {
    let existing: HashMap<String, unit::Model> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    let accounts = account::Entity::find()
        .select_only()
        .columns([
            account::Column::Username,
            account::Column::Role,
            account::Column::Active,
            account::Column::UnitId,
        ])
        .into_tuple::<(String, String, bool, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(username, role, active, unit_id)| {
            let role = role
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("account {username}: {e}")))?;
            Ok(AccountRow {
                username,
                role,
                active,
                unit_id,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    compute_plan(&existing, &accounts, rows)
}

/// Plans the import of `rows` on `db` — a transaction — and writes it when `options` allow
/// every change in it; otherwise answers [`ImportError::Refused`] with the plan, having
/// written nothing.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn apply(
    db: &impl ConnectionTrait,
    rows: &[UnitRow],
    options: ImportOptions,
    mut progress: impl FnMut(Progress),
) -> Result<ImportPlan, ImportError> {
    let mut plan = plan(db, rows).await?;
    let refusals = plan.refusals(options);
    if !refusals.is_empty() {
        return Err(ImportError::Refused {
            plan: Box::new(plan),
            refusals,
        });
    }
    // Parents before children, so every foreign key points at a row that already exists;
    // removals after every upsert (a unit that stays may leave a removed parent), deepest
    // first.
    plan.writes
        .sort_by_key(|(depth, model)| (*depth, model.code.clone().unwrap()));
    plan.deletes
        .sort_by_key(|(depth, id)| (std::cmp::Reverse(*depth), *id));
    let total = (plan.writes.len() + plan.deletes.len()) as u64;
    let mut written = 0;
    for chunk in plan.writes.chunks(BATCH) {
        written += upsert(db, chunk.iter().map(|(_, m)| m.clone()).collect()).await?;
        progress(Progress { written, total });
    }
    for chunk in plan.deletes.chunks(BATCH) {
        let ids: Vec<Uuid> = chunk.iter().map(|(_, id)| *id).collect();
        unit::Entity::delete_many()
            .filter(Column::Id.is_in(ids))
            .exec(db)
            .await?;
        written += chunk.len() as u64;
        progress(Progress { written, total });
    }
    if total > 0 {
        // Statistics for the planner, in the same transaction: PostgreSQL's ANALYZE samples
        // the rows this transaction wrote, and the statistics commit (or roll back) with them.
        crate::units::analyze(db).await?;
        // Units renamed or moved change what the sessions of their accounts hold.
        crate::notify::everything_changed(db).await?;
    }
    Ok(plan)
}

/// [`apply`] in a transaction of its own.
pub async fn import(
    db: &DatabaseConnection,
    rows: &[UnitRow],
    options: ImportOptions,
    progress: impl FnMut(Progress),
) -> Result<ImportPlan, ImportError> {
    let txn = crate::begin(db).await?;
    let plan = apply(&txn, rows, options, progress).await?;
    txn.commit().await?;
    Ok(plan)
}

/// The whole plan: the tree after the import, what changes, and who goes along.
fn compute_plan(
    existing: &HashMap<String, unit::Model>,
    accounts: &[AccountRow],
    rows: &[UnitRow],
) -> Result<ImportPlan, ImportError> {
    let old = current_tree(existing)?;
    let root = UnitCode::root().into_inner();
    let nodes = merged_tree(&old, existing, rows, &root);
    let kept = kept_units(&nodes, &root);
    let (kept_nodes, removed): (HashMap<String, Node>, HashMap<String, Node>) =
        nodes.into_iter().partition(|(code, _)| kept.contains(code));
    check_parents(&kept_nodes)?;
    let paths = compute_paths(&kept_nodes);

    let mut plan = ImportPlan {
        report: ImportReport::default(),
        moves: Vec::new(),
        removals: Vec::new(),
        writes: Vec::new(),
        deletes: Vec::new(),
    };
    plan_kept(&mut plan, &kept_nodes, &old, existing, &paths)?;
    for (code, node) in &removed {
        let Some(stored) = existing.get(code) else {
            continue;
        };
        plan.report.removed += 1;
        plan.deletes.push((depth(stored), node.id));
        plan.removals.push(Removal {
            unit: label(code, node),
            level: node.level,
            parent: node.parent.as_deref().map(|p| label(p, &old[p])),
            accounts: Vec::new(),
        });
    }
    attach_accounts(&mut plan, existing, &old, &paths, accounts);
    let depth_of = |label: &UnitLabel| existing.get(&label.code).map_or(0, depth);
    plan.moves
        .sort_by_cached_key(|m| (depth_of(&m.unit), m.unit.code.clone()));
    plan.removals
        .sort_by_cached_key(|r| (depth_of(&r.unit), r.unit.code.clone()));
    Ok(plan)
}

/// The stored tree with the file laid over it, and the national root created when missing.
fn merged_tree(
    old: &HashMap<String, Node>,
    existing: &HashMap<String, unit::Model>,
    rows: &[UnitRow],
    root: &str,
) -> HashMap<String, Node> {
    let mut nodes = old.clone();
    nodes.entry(root.to_owned()).or_insert_with(|| Node {
        id: Uuid::now_v7(),
        name: ROOT_NAME.to_owned(),
        kind: UnitKind::Central,
        level: UnitLevel::Central,
        parent: None,
        line: None,
    });
    for row in rows {
        let id = existing
            .get(row.code.as_str())
            .map_or_else(Uuid::now_v7, |m| m.id);
        let parent = row
            .parent_code
            .as_ref()
            .map_or_else(|| root.to_owned(), |p| p.as_str().to_owned());
        nodes.insert(
            row.code.as_str().to_owned(),
            Node {
                id,
                name: row.name.clone(),
                kind: row.kind,
                level: row.level,
                parent: Some(parent),
                line: Some(row.line),
            },
        );
    }
    nodes
}

/// Counts the units that stay, lists their moves and collects the rows to write.
fn plan_kept(
    plan: &mut ImportPlan,
    kept: &HashMap<String, Node>,
    old: &HashMap<String, Node>,
    existing: &HashMap<String, unit::Model>,
    paths: &HashMap<String, UnitPath>,
) -> Result<(), StoreError> {
    let now = Utc::now();
    for (code, node) in kept {
        let path = &paths[code];
        let stored = existing.get(code);
        let change = classify(node, old.get(code), stored, path);
        let report = &mut plan.report;
        match change {
            Change::Unchanged => {
                if node.line.is_some() {
                    report.unchanged += 1;
                }
                continue;
            }
            // The national root, created when missing, is not in the file's counts.
            Change::Inserted if node.line.is_none() => {}
            Change::Inserted => report.inserted += 1,
            Change::Renamed => report.renamed += 1,
            Change::Carried => report.carried += 1,
            Change::Moved | Change::Relevelled => {
                if change == Change::Moved {
                    report.moved += 1;
                } else {
                    report.relevelled += 1;
                }
                let before = &old[code];
                let new_name = full_name(node.kind, &node.name);
                plan.moves.push(Move {
                    unit: label(code, before),
                    new_name: (new_name != full_name(before.kind, &before.name))
                        .then_some(new_name),
                    old_parent: before.parent.as_deref().map(|p| label(p, &old[p])),
                    new_parent: node.parent.as_deref().map(|p| label(p, &kept[p])),
                    old_level: before.level,
                    new_level: node.level,
                    accounts: Vec::new(),
                });
            }
        }
        let parent_id = node.parent.as_ref().map(|p| kept[p].id);
        plan.writes.push((
            path.depth(),
            active_model(code, node, parent_id, path, stored, now)?,
        ));
    }
    Ok(())
}

fn label(code: &str, node: &Node) -> UnitLabel {
    UnitLabel {
        code: code.to_owned(),
        full_name: full_name(node.kind, &node.name),
    }
}

/// Depth of a stored unit: 0 for the root.
fn depth(stored: &unit::Model) -> usize {
    UnitPath::from_stored(stored.path.clone()).depth()
}

/// How one unit that stays changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Inserted,
    Relevelled,
    Moved,
    Renamed,
    Carried,
    Unchanged,
}

fn classify(
    node: &Node,
    before: Option<&Node>,
    stored: Option<&unit::Model>,
    path: &UnitPath,
) -> Change {
    let (Some(before), Some(stored)) = (before, stored) else {
        return Change::Inserted;
    };
    if before.level != node.level {
        Change::Relevelled
    } else if before.parent != node.parent {
        Change::Moved
    } else if before.name != node.name || before.kind != node.kind {
        Change::Renamed
    } else if stored.path != path.as_str() {
        Change::Carried
    } else {
        Change::Unchanged
    }
}

fn active_model(
    code: &str,
    node: &Node,
    parent_id: Option<Uuid>,
    path: &UnitPath,
    stored: Option<&unit::Model>,
    now: chrono::DateTime<Utc>,
) -> Result<unit::ActiveModel, StoreError> {
    let unit_code = UnitCode::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(unit::ActiveModel {
        id: Set(node.id),
        code: Set(code.to_owned()),
        name: Set(node.name.clone()),
        kind: Set(node.kind.as_str().to_owned()),
        level: Set(node.level.as_str().to_owned()),
        parent_id: Set(parent_id),
        path: Set(path.as_str().to_owned()),
        depth: Set(i16::try_from(path.depth()).unwrap_or(i16::MAX)),
        search_key: Set(search_key(&unit_code, node.kind, &node.name)),
        created_at: Set(stored.map_or(now, |m| m.created_at)),
        updated_at: Set(now),
    })
}

/// The units that stay: the root, every unit in the file, and the units only in the database
/// that a unit in the file hangs under (its parent is not in the file but is kept, with its
/// own ancestors).
fn kept_units(nodes: &HashMap<String, Node>, root: &str) -> HashSet<String> {
    let mut kept: HashSet<String> = nodes
        .iter()
        .filter(|(_, n)| n.line.is_some())
        .map(|(code, _)| code.clone())
        .collect();
    kept.insert(root.to_owned());
    let in_file: Vec<String> = kept.iter().cloned().collect();
    for code in in_file {
        let mut next = nodes[&code].parent.as_deref();
        while let Some(parent) = next {
            match nodes.get(parent) {
                // The walk stops at a unit already kept, which walks (or walked) on its own.
                Some(node) if kept.insert(parent.to_owned()) => next = node.parent.as_deref(),
                _ => break,
            }
        }
    }
    kept
}

/// Lists under each move the accounts that go along with it, and under each removal the
/// accounts that forbid it.
fn attach_accounts(
    plan: &mut ImportPlan,
    existing: &HashMap<String, unit::Model>,
    old: &HashMap<String, Node>,
    new_paths: &HashMap<String, UnitPath>,
    accounts: &[AccountRow],
) {
    let by_id: HashMap<Uuid, &unit::Model> = existing.values().map(|m| (m.id, m)).collect();
    let moved: HashSet<String> = plan.moves.iter().map(|m| m.unit.code.clone()).collect();
    let move_at: HashMap<String, usize> = plan
        .moves
        .iter()
        .enumerate()
        .map(|(i, m)| (m.unit.code.clone(), i))
        .collect();
    let removal_at: HashMap<String, usize> = plan
        .removals
        .iter()
        .enumerate()
        .map(|(i, r)| (r.unit.code.clone(), i))
        .collect();
    let mut sorted: Vec<&AccountRow> = accounts.iter().collect();
    sorted.sort_by(|a, b| a.username.cmp(&b.username));
    for account in sorted {
        let Some(unit) = by_id.get(&account.unit_id) else {
            continue;
        };
        let affected = || AffectedAccount {
            username: account.username.clone(),
            role: account.role,
            active: account.active,
            unit: UnitLabel {
                code: unit.code.clone(),
                full_name: old
                    .get(&unit.code)
                    .map_or_else(String::new, |n| full_name(n.kind, &n.name)),
            },
        };
        let old_path = UnitPath::from_stored(unit.path.clone());
        match new_paths.get(&unit.code) {
            // The unit stays: the account goes along with every moved ancestor (or the unit
            // itself) that it was under before and is still under after.
            Some(new_path) => {
                for code in new_path.codes().filter(|c| moved.contains(*c)) {
                    let was_under = existing
                        .get(code)
                        .is_some_and(|m| old_path.as_str().starts_with(&m.path));
                    if was_under {
                        plan.moves[move_at[code]].accounts.push(affected());
                    }
                }
            }
            // The unit is removed, with every removed ancestor.
            None => {
                for code in old_path.codes() {
                    if let Some(&i) = removal_at.get(code) {
                        plan.removals[i].accounts.push(affected());
                    }
                }
            }
        }
    }
}

async fn upsert(
    db: &impl ConnectionTrait,
    batch: Vec<unit::ActiveModel>,
) -> Result<u64, ImportError> {
    let n = batch.len() as u64;
    unit::Entity::insert_many(batch)
        .on_conflict(
            OnConflict::column(Column::Code)
                .update_columns([
                    Column::Name,
                    Column::Kind,
                    Column::Level,
                    Column::ParentId,
                    Column::Path,
                    Column::Depth,
                    Column::SearchKey,
                    Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(n)
}

/// The tree as stored, keyed by code.
fn current_tree(
    existing: &HashMap<String, unit::Model>,
) -> Result<HashMap<String, Node>, StoreError> {
    let code_of: HashMap<Uuid, &str> = existing.values().map(|m| (m.id, m.code.as_str())).collect();
    existing
        .values()
        .map(|m| {
            let corrupt =
                |e: domain::DomainError| StoreError::Corrupt(format!("unit {}: {e}", m.code));
            let level: UnitLevel = m.level.parse().map_err(corrupt)?;
            let kind = UnitKind::parse_at(&m.kind, level).map_err(corrupt)?;
            let parent = m
                .parent_id
                .and_then(|p| code_of.get(&p))
                .map(|c| (*c).to_owned());
            Ok((
                m.code.clone(),
                Node {
                    id: m.id,
                    name: m.name.clone(),
                    kind,
                    level,
                    parent,
                    line: None,
                },
            ))
        })
        .collect()
}

/// Every unit's parent must exist and sit at a level that may hold it. Since a parent's level
/// is always strictly above its child's, this also rules out cycles.
fn check_parents(nodes: &HashMap<String, Node>) -> Result<(), ImportError> {
    let mut problems: Vec<(u64, String)> = Vec::new();
    for (code, node) in nodes {
        let Some(parent_code) = &node.parent else {
            continue;
        };
        let message = match nodes.get(parent_code) {
            None => {
                format!("không có đơn vị cha mã «{parent_code}» trong tệp hay trong cơ sở dữ liệu.")
            }
            Some(parent) if !node.level.may_have_parent(parent.level) => format!(
                "đơn vị «{code}» cấp {} không thể trực thuộc «{parent_code}» cấp {}.",
                node.level.label(),
                parent.level.label()
            ),
            Some(_) => continue,
        };
        // A unit only in the database is reported at line 0: its parent changed level.
        problems.push((node.line.unwrap_or(0), message));
    }
    match problems.into_iter().min() {
        Some((line, message)) => Err(ImportError::at(line, message)),
        None => Ok(()),
    }
}

/// The path of every unit. Parents are checked to exist and to sit strictly higher, so the
/// walk up from any unit ends at a root.
fn compute_paths(nodes: &HashMap<String, Node>) -> HashMap<String, UnitPath> {
    let mut paths: HashMap<String, UnitPath> = HashMap::with_capacity(nodes.len());
    for code in nodes.keys() {
        let mut chain = vec![code.as_str()];
        while let Some(parent) = nodes[*chain.last().unwrap_or(&code.as_str())]
            .parent
            .as_deref()
        {
            if paths.contains_key(parent) {
                break;
            }
            chain.push(parent);
        }
        for c in chain.into_iter().rev() {
            if paths.contains_key(c) {
                continue;
            }
            let code = UnitCode::parse(c).unwrap_or_else(|_| UnitCode::root());
            let path = match nodes[c].parent.as_deref() {
                Some(parent) => paths[parent].child(&code),
                None => UnitPath::root(&code),
            };
            paths.insert(c.to_owned(), path);
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<UnitRow>, ImportError> {
        parse_csv(text.as_bytes())
    }

    fn line_of(err: ImportError) -> u64 {
        match err {
            ImportError::Invalid { line, .. } => line,
            other => panic!("expected a line error, got {other}"),
        }
    }

    #[test]
    fn a_valid_three_tier_file_parses() {
        let rows = parse(
            "code,name,kind,level,parent_code\n49,Quảng Nam,Tỉnh,province,\n502,Tam Kỳ,Thành phố,district,49\n20341,An Mỹ,Phường,commune,502\n",
        )
        .expect("valid");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].line, 4);
        assert_eq!(
            rows[2].parent_code.as_ref().map(UnitCode::as_str),
            Some("502")
        );
        assert_eq!(rows[0].parent_code, None);
    }

    #[test]
    fn bad_lines_are_rejected_with_their_line_number() {
        let head = "code,name,kind,level,parent_code\n49,Quảng Nam,Tỉnh,province,\n";
        let cases = [
            ("502,Tam Kỳ,Thành phố,town,49\n", "unknown level"),
            ("502,Tam Kỳ,Phố,district,49\n", "unknown kind"),
            ("502,Tam Kỳ,Xã,district,49\n", "kind of another level"),
            ("49,Quảng Nam,Tỉnh,province,\n", "duplicate code"),
            ("502,Tam Kỳ,Thành phố,district\n", "missing column"),
            ("5x2,Tam Kỳ,Thành phố,district,49\n", "bad code"),
            ("502,,Thành phố,district,49\n", "empty name"),
            ("502,Tam Kỳ,Thành phố,district,\n", "missing parent"),
            ("50,Khác,Tỉnh,province,49\n", "province with a parent"),
            (
                "502,Tam\u{202E}Kỳ,Thành phố,district,49\n",
                "bidi override in the name",
            ),
            (
                "502,Tam\u{200B}Kỳ,Thành phố,district,49\n",
                "zero-width space in the name",
            ),
        ];
        for (line, why) in cases {
            let err = parse(&format!("{head}{line}")).expect_err(why);
            assert_eq!(line_of(err), 3, "{why}");
        }
    }

    #[test]
    fn a_file_without_the_header_is_rejected() {
        assert!(matches!(
            parse("49,Quảng Nam,Tỉnh,province,\n"),
            Err(ImportError::MissingHeader)
        ));
    }
}
