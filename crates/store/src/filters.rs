//! Filters and paging shared by every list: subtree scope, folded text search, and pages
//! fetched one row beyond their size.

use domain::text::fold;
use domain::unit::UnitPath;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{LikeExpr, SimpleExpr};

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

/// `path` lies in the subtree of the unit at `within` (the unit included): a prefix test on
/// the materialised path, which both databases index.
pub fn in_subtree(path: impl ColumnTrait, within: &UnitPath) -> SimpleExpr {
    path.like(LikeExpr::new(format!("{}%", escape_like(within.as_str()))).escape('\\'))
}

/// `path` lies strictly below the unit at `above` (the unit itself left out): its path is
/// longer than the prefix.
pub fn below(path: impl ColumnTrait, above: &UnitPath) -> SimpleExpr {
    path.like(LikeExpr::new(format!("{}_%", escape_like(above.as_str()))).escape('\\'))
}

/// `search_key` contains `search` folded (case and diacritics ignored, taken literally);
/// `None` when the search is blank.
pub fn matches_search(search_key: impl ColumnTrait, search: &str) -> Option<SimpleExpr> {
    let key = fold(search);
    (!key.is_empty())
        .then(|| search_key.like(LikeExpr::new(format!("%{}%", escape_like(&key))).escape('\\')))
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_in_user_text_are_escaped() {
        assert_eq!(escape_like("a%b_c\\d"), "a\\%b\\_c\\\\d");
        assert_eq!(escape_like("tam ky"), "tam ky");
    }
}
