//! Filters and paging shared by every list: subtree scope, folded text search, and pages
//! fetched one row beyond their size.

use domain::text::fold;
use domain::unit::UnitPath;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QuerySelect, Select};

use crate::{Slice, StoreError};

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The first string after every string that starts with `prefix`, in byte order: `prefix`
/// with its last character raised by one (paths end in `/`, so `/VN/49/` → `/VN/490`).
fn past_prefix(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(u32::from(last) + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Only a prefix of nothing but `char::MAX` gets here: nothing sorts after its strings.
    String::from(char::MAX)
}

/// `path` lies in the subtree of the unit at `within` (the unit included): a range on the
/// materialised path, `within <= path < past(within)`. Unlike `LIKE 'prefix%'` with a
/// parameter, a range is served by an ordinary b-tree index in every plan PostgreSQL makes,
/// generic ones included. It needs paths compared byte by byte: SQLite's default collation
/// does, and on PostgreSQL the path columns are `COLLATE "C"` (a language collation would
/// skip the `/`).
pub fn in_subtree(path: impl ColumnTrait + Copy, within: &UnitPath) -> SimpleExpr {
    let (from, until) = subtree_range(within);
    path.gte(from).and(path.lt(until))
}

/// The bounds of [`in_subtree`]'s range: `from <= path < until`.
pub(crate) fn subtree_range(within: &UnitPath) -> (String, String) {
    let prefix = within.as_str();
    (prefix.to_owned(), past_prefix(prefix))
}

/// `path` lies strictly below the unit at `above` (the unit itself left out): longer than
/// the prefix, so greater than it.
pub fn below(path: impl ColumnTrait + Copy, above: &UnitPath) -> SimpleExpr {
    let prefix = above.as_str();
    path.gt(prefix).and(path.lt(past_prefix(prefix)))
}

/// `search_key` contains `search` folded (case and diacritics ignored, taken literally);
/// `None` when the search is blank.
pub fn matches_search(search_key: impl ColumnTrait, search: &str) -> Option<SimpleExpr> {
    let key = fold(search);
    (!key.is_empty())
        .then(|| search_key.like(LikeExpr::new(format!("%{}%", escape_like(&key))).escape('\\')))
}

/// How many rows `select` finds: `SELECT COUNT(*) … WHERE …`, not sea-orm's count over a
/// subquery selecting every column.
pub(crate) async fn count_rows<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<u64, StoreError> {
    let n: Option<i64> = counting(select).into_tuple().one(db).await?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// `select` turned into `SELECT COUNT(*)` over the same rows.
pub(crate) fn counting<E: EntityTrait>(select: Select<E>) -> Select<E> {
    select.select_only().column_as(Expr::cust("COUNT(*)"), "n")
}

impl<T> Slice<T> {
    /// A slice from rows fetched with `LIMIT first + 1`: the extra row only says that more
    /// follow.
    pub(crate) fn from_rows<R>(
        mut rows: Vec<R>,
        first: u64,
        convert: impl FnMut(R) -> Result<T, StoreError>,
    ) -> Result<Self, StoreError> {
        let has_next_page = rows.len() as u64 > first;
        rows.truncate(usize::try_from(first).unwrap_or(usize::MAX));
        Ok(Self {
            items: rows.into_iter().map(convert).collect::<Result<_, _>>()?,
            has_next_page,
            total: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{escape_like, past_prefix};

    #[test]
    fn the_end_of_a_subtree_is_its_prefix_raised_by_one() {
        assert_eq!(past_prefix("/VN/49/"), "/VN/490");
        assert_eq!(past_prefix("/VN/"), "/VN0");
        assert!("/VN/49/502/20341/" < past_prefix("/VN/49/").as_str());
        assert!(
            "/VN/490/" >= past_prefix("/VN/49/").as_str(),
            "no 49x sibling slips in"
        );
        assert_eq!(past_prefix("a\u{10FFFF}"), "b");
    }

    #[test]
    fn like_wildcards_in_user_text_are_escaped() {
        assert_eq!(escape_like("a%b_c\\d"), "a\\%b\\_c\\\\d");
        assert_eq!(escape_like("tam ky"), "tam ky");
    }
}
