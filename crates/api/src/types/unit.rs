use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use domain::policy::{self, read_scope};
use store::Db;
use store::units::{UnitCursor, UnitFilter};

use super::account::Role;
use super::connection::{Listed, listed};
use crate::error::StoreResultExt;
use crate::loaders::{ChildrenKey, Loaders};
use crate::relay::{NodeKind, decode_cursor, encode_cursor, global_id, list_limit};
use crate::{ApiError, auth};

/// The tier of an administrative unit. Since July 2025 communes sit directly under provinces.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitLevel {
    /// The national root: the Central Committee of the Front.
    Central,
    /// Tỉnh or thành phố trực thuộc trung ương.
    Province,
    /// Huyện, quận, thị xã or thành phố thuộc tỉnh.
    District,
    /// Xã, phường, thị trấn or đặc khu.
    Commune,
}

impl From<domain::UnitLevel> for UnitLevel {
    fn from(level: domain::UnitLevel) -> Self {
        match level {
            domain::UnitLevel::Central => Self::Central,
            domain::UnitLevel::Province => Self::Province,
            domain::UnitLevel::District => Self::District,
            domain::UnitLevel::Commune => Self::Commune,
        }
    }
}

impl From<UnitLevel> for domain::UnitLevel {
    fn from(level: UnitLevel) -> Self {
        match level {
            UnitLevel::Central => Self::Central,
            UnitLevel::Province => Self::Province,
            UnitLevel::District => Self::District,
            UnitLevel::Commune => Self::Commune,
        }
    }
}

pub struct Unit(pub domain::Unit);

/// An administrative unit (tỉnh, huyện, xã, …) and so the Front committee at that unit.
#[Object]
impl Unit {
    /// Global id.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Unit, self.0.id)
    }

    /// Official GSO code: 2 digits for a province, 3 for a district, 5 for a commune; `VN` for
    /// the national root.
    async fn code(&self) -> &str {
        self.0.code.as_str()
    }

    /// Name without its kind, e.g. "An Mỹ".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Official kind, e.g. "Phường", "Thành phố", "Thành phố trực thuộc trung ương".
    async fn kind(&self) -> &str {
        self.0.kind.as_str()
    }

    /// Tier in the administrative tree.
    async fn level(&self) -> UnitLevel {
        self.0.level.into()
    }

    /// Name with its kind, as officers write it, e.g. "Phường An Mỹ".
    async fn full_name(&self) -> String {
        self.0.full_name()
    }

    /// The unit's Front committee, e.g. "Ban Thường trực UBMTTQ huyện Phú Ninh".
    async fn committee_name(&self) -> String {
        self.0.committee_name()
    }

    /// The unit directly above; null for the national root and for the viewer's own unit
    /// (what is above it is outside the viewer's subtree).
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Unit>> {
        let Some(above) = self.0.path.parent() else {
            return Ok(None);
        };
        if !read_scope(&auth::actor(ctx).await?).includes(&above) {
            return Ok(None);
        }
        let parent = ctx
            .data_unchecked::<Loaders>()
            .unit_by_code
            .load_one(above.code().to_owned())
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(parent.map(Unit))
    }

    /// The units above this one, from the province down (the national root and the unit
    /// itself left out), as far up as the viewer's own unit. For Phường An Mỹ seen from the
    /// province: Quảng Nam, Tam Kỳ.
    async fn ancestors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Unit>> {
        let scope = read_scope(&auth::actor(ctx).await?);
        let codes: Vec<String> = self
            .0
            .path
            .ancestors()
            .into_iter()
            .skip(1)
            .filter(|above| scope.includes(above))
            .map(|above| above.code().to_owned())
            .collect();
        let mut found = ctx
            .data_unchecked::<Loaders>()
            .unit_by_code
            .load_many(codes.iter().cloned())
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(codes
            .iter()
            .filter_map(|code| found.remove(code))
            .map(Unit)
            .collect())
    }

    /// The name the guideline prescribes for the unit's Community Page (G3, G4), e.g.
    /// "Mặt trận Phú Ninh (tỉnh Quảng Nam)"; computed from the unit tree, also where the
    /// viewer cannot see the units above.
    async fn expected_page_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(super::page::page_name(ctx, &self.0).await?.display())
    }

    /// A Facebook username to ask for beside the display name (ASCII, lower-case, letters,
    /// digits and dots), e.g. `mattran.phuninh.quangnam`.
    async fn suggested_page_username(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(super::page::page_name(ctx, &self.0).await?.username())
    }

    /// The unit's live Facebook page, or null while it has none — and for a unit above the
    /// viewer's own (reached through a round or a directive it issued): its page and staff
    /// are outside the viewer's subtree. The pages of every unit of a list are read
    /// together, in one statement.
    async fn page(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<super::page::Page>> {
        if !read_scope(&auth::actor(ctx).await?).includes(&self.0.path) {
            return Ok(None);
        }
        let page = ctx
            .data_unchecked::<Loaders>()
            .page_of_unit
            .load_one(self.0.id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        Ok(page.map(super::page::Page))
    }

    /// What the viewer may do at this unit, as the server will decide it: a client shows
    /// only these actions.
    async fn viewer_can(&self, ctx: &Context<'_>) -> async_graphql::Result<UnitPermissions> {
        let actor = auth::actor(ctx).await?;
        Ok(policy::unit_permissions(&actor, &self.0.path).into())
    }

    /// The units directly below, ordered by code. The children of every unit of a list are
    /// fetched together, in one statement, as is their `totalCount`.
    #[graphql(complexity = "super::unit::list_complexity(first, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<UnitList> {
        let within = read_scope(&auth::actor(ctx).await?).root().clone();
        let key = ChildrenKey {
            parent_id: self.0.id,
            within: within.clone(),
            first: list_limit(first)?,
            after: after.as_deref().map(decode_unit_cursor).transpose()?,
        };
        let loaders = ctx.data_unchecked::<Loaders>();
        let slice = loaders
            .children
            .load_one(key.clone())
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            // The loader has let go of it by now, as a rule: then it is not copied.
            .map_or_else(
                || store::Slice::empty(false),
                |shared| Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone()),
            );
        let counts = Arc::clone(&loaders.child_count);
        let parent = self.0.id;
        Ok(listed(
            ctx,
            slice,
            key.after.is_some(),
            UnitPosition::of,
            Unit,
            move |_| {
                let (counts, within) = (Arc::clone(&counts), within.clone());
                async move {
                    let n = counts.load_one((parent, within)).await?;
                    Ok::<_, Arc<store::StoreError>>(n.unwrap_or(0))
                }
            },
        ))
    }
}

/// What fetching one slice of a list costs, before its items: a statement of its own.
pub const LIST_COST: usize = 10;

/// The weight of a list field: a statement for the slice, and each requested item what its
/// selection costs.
pub fn list_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = first
        .unwrap_or(crate::relay::DEFAULT_LIST_LIMIT)
        .clamp(1, crate::relay::MAX_LIST_LIMIT);
    LIST_COST + usize::try_from(first).unwrap_or(1) * child_complexity.max(1)
}

/// The filter every unit list starts from: the viewer's read scope, applied in SQL.
pub async fn unit_scope(ctx: &Context<'_>) -> Result<UnitFilter, ApiError> {
    Ok(UnitFilter {
        within: Some(read_scope(&auth::actor(ctx).await?).root().clone()),
        ..UnitFilter::default()
    })
}

/// What the viewer may do at a unit (`Unit.viewerCan`).
#[derive(SimpleObject)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per action")]
pub struct UnitPermissions {
    /// See the accounts of this unit and below (the accounts screen).
    pub read_accounts: bool,
    /// See the audit trail of this unit and below (`auditEvents`).
    pub read_audit: bool,
    /// Create accounts at this unit.
    pub create_account: bool,
    /// The roles the viewer may give an account created here; empty when it may create none.
    pub assignable_roles: Vec<Role>,
    /// Change this unit's own records.
    pub write: bool,
    /// Approve what this unit submits.
    pub approve: bool,
    /// Set this unit's rollout plan and ask the units below it for reports
    /// (`setRolloutPlan`, `createReportingRound`).
    pub oversee: bool,
    /// Submit this unit's deployment reports (`submitReport`).
    pub submit_report: bool,
}

impl From<policy::UnitPermissions> for UnitPermissions {
    fn from(p: policy::UnitPermissions) -> Self {
        Self {
            read_accounts: p.read_accounts,
            read_audit: p.read_audit,
            create_account: !p.assignable_roles.is_empty(),
            assignable_roles: p.assignable_roles.into_iter().map(Role::from).collect(),
            write: p.write,
            approve: p.approve,
            oversee: p.oversee,
            submit_report: p.submit_report,
        }
    }
}

/// A unit's place in list order, as a connection's cursor: encoded only if asked for.
pub struct UnitPosition(UnitCursor);

impl UnitPosition {
    pub(crate) fn of(unit: &domain::Unit) -> Self {
        Self(UnitCursor::of(unit))
    }
}

impl async_graphql::connection::CursorType for UnitPosition {
    type Error = &'static str;

    /// Not used: a list reads its `after` argument with the rest of its arguments.
    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        decode_unit_cursor(s)
            .map(Self)
            .map_err(|_| "Con trỏ phân trang không hợp lệ.")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&format!("{}:{}", self.0.depth, self.0.code))
    }
}

/// A list of units as a connection.
pub type UnitList = Listed<Unit, UnitPosition>;

pub(crate) fn decode_unit_cursor(cursor: &str) -> Result<UnitCursor, ApiError> {
    let text = decode_cursor(cursor)?;
    text.split_once(':')
        .and_then(|(depth, code)| {
            Some(UnitCursor {
                depth: depth.parse().ok()?,
                code: code.to_owned(),
            })
        })
        .ok_or_else(|| ApiError::validation("after", "Con trỏ phân trang không hợp lệ."))
}

/// One slice of the units matching `filter`.
pub async fn list_units(
    ctx: &Context<'_>,
    filter: UnitFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<UnitList, ApiError> {
    let slice = store::SliceRequest {
        first: list_limit(first)?,
        after: after.as_deref().map(decode_unit_cursor).transpose()?,
    };
    let db = ctx.data_unchecked::<Db>();
    // A list that is small whatever the slice (one parent's children, a search) is counted in
    // the statement that reads it, when the client asks for its count: one round trip.
    let small = filter.parent_id.is_some()
        || filter.parent_code.is_some()
        || filter
            .search
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty());
    let result = if small && slice.after.is_none() && ctx.look_ahead().field("totalCount").exists()
    {
        store::units::list_counted(db, &filter, slice.first).await
    } else {
        store::units::list(db, &filter, &slice).await
    }
    .or_internal(ctx)?;
    Ok(listed(
        ctx,
        result,
        slice.after.is_some(),
        UnitPosition::of,
        Unit,
        move |db| {
            let filter = filter.clone();
            async move { store::units::count(&db, &filter).await }
        },
    ))
}
