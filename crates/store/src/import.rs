//! Importing an official unit list (CSV) into the unit tree.
//!
//! The file is checked whole before anything is written: a malformed line, an unknown level
//! or kind, a duplicate code or an unknown parent rejects the file with the line number and
//! changes nothing. The write is an idempotent upsert by code in one transaction, batched so
//! that the full list of 10,810 units takes a few dozen statements, not one per row.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use chrono::Utc;
use domain::unit::{ROOT_NAME, UnitPath, search_key};
use domain::{UnitCode, UnitKind, UnitLevel};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait};
use thiserror::Error;
use uuid::Uuid;

use crate::StoreError;
use crate::entity::unit::{self, Column};

/// The header every unit list starts with.
pub const HEADER: [&str; 5] = ["code", "name", "kind", "level", "parent_code"];

/// Rows per INSERT statement: 10 values each stays far below both databases' bind limits.
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

/// Why a unit list was rejected. Nothing was written.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("Dòng {line}: {message}")]
    Invalid { line: u64, message: String },
    #[error("Tệp không có dòng tiêu đề «{}».", HEADER.join(","))]
    MissingHeader,
    #[error(transparent)]
    Store(#[from] StoreError),
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

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Units not in the file whose path changed because an ancestor moved.
    pub moved_descendants: u64,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "thêm mới {}, cập nhật {}, không đổi {}",
            self.inserted, self.updated, self.unchanged
        )?;
        if self.moved_descendants > 0 {
            write!(f, ", đổi đường dẫn {} đơn vị con", self.moved_descendants)?;
        }
        Ok(())
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

/// Upserts `rows` into the unit tree in one transaction and reports the counts. The national
/// root is created when missing; provinces hang under it.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn import(
    db: &DatabaseConnection,
    rows: &[UnitRow],
    mut progress: impl FnMut(Progress),
) -> Result<ImportReport, ImportError> {
    let txn = crate::begin(db).await?;
    let existing: HashMap<String, unit::Model> = unit::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();

    let mut nodes = current_tree(&existing)?;
    let root = UnitCode::root().into_inner();
    nodes.entry(root.clone()).or_insert_with(|| Node {
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
            .map_or_else(|| root.clone(), |p| p.as_str().to_owned());
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
    check_parents(&nodes)?;
    let paths = compute_paths(&nodes);

    let (report, mut writes) = plan_writes(&nodes, &paths, &existing)?;

    // Parents before children, so every foreign key points at a row that already exists.
    writes.sort_by_key(|(depth, model)| (*depth, model.code.clone().unwrap()));
    let total = writes.len() as u64;
    let mut written = 0;
    let mut batch = Vec::with_capacity(BATCH);
    for (_, model) in writes {
        batch.push(model);
        if batch.len() == BATCH {
            written += upsert(&txn, std::mem::take(&mut batch)).await?;
            progress(Progress { written, total });
        }
    }
    if !batch.is_empty() {
        written += upsert(&txn, batch).await?;
        progress(Progress { written, total });
    }
    txn.commit().await?;
    Ok(report)
}

/// Compares the computed tree with the stored one: what to write, and the counts.
fn plan_writes(
    nodes: &HashMap<String, Node>,
    paths: &HashMap<String, UnitPath>,
    existing: &HashMap<String, unit::Model>,
) -> Result<(ImportReport, Vec<(usize, unit::ActiveModel)>), StoreError> {
    let now = Utc::now();
    let mut report = ImportReport::default();
    let mut writes: Vec<(usize, unit::ActiveModel)> = Vec::new();
    for (code, node) in nodes {
        let path = &paths[code];
        let parent_id = node.parent.as_ref().map(|p| nodes[p].id);
        let depth = i16::try_from(path.depth()).unwrap_or(i16::MAX);
        let old = existing.get(code);
        let same = old.is_some_and(|m| {
            m.name == node.name
                && m.kind == node.kind.as_str()
                && m.level == node.level.as_str()
                && m.parent_id == parent_id
                && m.path == path.as_str()
        });
        match (node.line, old, same) {
            (_, Some(_), true) => {
                if node.line.is_some() {
                    report.unchanged += 1;
                }
                continue;
            }
            (Some(_), Some(_), false) => report.updated += 1,
            (Some(_), None, _) => report.inserted += 1,
            (None, Some(_), false) => report.moved_descendants += 1,
            (None, None, _) => {}
        }
        let unit_code = UnitCode::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        writes.push((
            path.depth(),
            unit::ActiveModel {
                id: Set(node.id),
                code: Set(code.clone()),
                name: Set(node.name.clone()),
                kind: Set(node.kind.as_str().to_owned()),
                level: Set(node.level.as_str().to_owned()),
                parent_id: Set(parent_id),
                path: Set(path.as_str().to_owned()),
                depth: Set(depth),
                search_key: Set(search_key(&unit_code, node.kind, &node.name)),
                created_at: Set(old.map_or(now, |m| m.created_at)),
                updated_at: Set(now),
            },
        ));
    }

    Ok((report, writes))
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
