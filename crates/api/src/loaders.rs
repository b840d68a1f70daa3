//! DataLoaders, built per request so nothing is cached across viewers (or across a request's
//! own writes: a mutation reads through the store, never through these).
//!
//! Each turns the loads that the fields of one list make during a tick into one statement:
//! a list of 20 units asking for their parents, ancestors, children or children's count costs
//! one statement per kind, not one per unit.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use domain::Unit;
use domain::page::{Assignment, Page, PageEvent, Platform};
use domain::report::{Report, ReportingRound};
use domain::staff::Person;
use domain::unit::UnitPath;
use store::units::UnitCursor;
use store::{Db, Slice, SliceRequest, StoreError};
use uuid::Uuid;

/// Loads reporting rounds by id (`Report.round`).
pub struct RoundById {
    db: Db,
}

impl Loader<Uuid> for RoundById {
    type Value = ReportingRound;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rounds = store::reports::rounds_by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(rounds.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Loads the reports of many rounds that lie in a subtree (the viewer's), keyed by round id
/// and the subtree's path, with their units, in one statement per subtree.
pub struct ReportsOfRound {
    db: Db,
}

impl Loader<(Uuid, String)> for ReportsOfRound {
    type Value = Arc<Vec<(Report, Unit)>>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[(Uuid, String)],
    ) -> Result<HashMap<(Uuid, String), Self::Value>, Self::Error> {
        let mut by_scope: HashMap<&str, Vec<Uuid>> = HashMap::new();
        for (round, scope) in keys {
            by_scope.entry(scope.as_str()).or_default().push(*round);
        }
        let mut out: HashMap<(Uuid, String), Vec<(Report, Unit)>> =
            keys.iter().map(|key| (key.clone(), Vec::new())).collect();
        for (scope, rounds) in by_scope {
            let within = UnitPath::from_stored(scope.to_owned());
            for (report, unit) in store::reports::reports_of_rounds(&self.db, &rounds, &within)
                .await
                .map_err(Arc::new)?
            {
                if let Some(list) = out.get_mut(&(report.round_id, scope.to_owned())) {
                    list.push((report, unit));
                }
            }
        }
        Ok(out.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Loads units by id: the parents of a slice of units in one query.
pub struct UnitById {
    db: Db,
}

impl Loader<Uuid> for UnitById {
    type Value = Unit;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Unit>, Self::Error> {
        let units = store::units::by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(units.into_iter().map(|u| (u.id, u)).collect())
    }
}

/// Loads units by official code: the ancestors of a slice of units (read off their paths) in
/// one query, and the parent of a unit as one of them.
pub struct UnitByCode {
    db: Db,
}

impl Loader<String> for UnitByCode {
    type Value = Unit;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Unit>, Self::Error> {
        let units = store::units::by_codes(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(units
            .into_iter()
            .map(|u| (u.code.as_str().to_owned(), u))
            .collect())
    }
}

/// One parent's slice of children: which parent, within which scope, which slice.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChildrenKey {
    pub parent_id: Uuid,
    pub within: UnitPath,
    pub first: u64,
    pub after: Option<UnitCursor>,
}

/// Loads the children of many parents: one windowed statement per distinct slice asked for
/// (in practice one: every item of a list asks for the same `first`, without a cursor).
pub struct ChildrenOf {
    db: Db,
}

impl Loader<ChildrenKey> for ChildrenOf {
    /// Shared: a loader hands each value out by cloning it.
    type Value = Arc<Slice<Unit>>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[ChildrenKey],
    ) -> Result<HashMap<ChildrenKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(&UnitPath, u64, Option<&UnitCursor>), Vec<Uuid>> = HashMap::new();
        for key in keys {
            groups
                .entry((&key.within, key.first, key.after.as_ref()))
                .or_default()
                .push(key.parent_id);
        }
        let mut found = HashMap::with_capacity(keys.len());
        for ((within, first, after), parents) in groups {
            let slice = SliceRequest {
                first,
                after: after.cloned(),
            };
            let slices = store::units::children_of(&self.db, &parents, Some(within), &slice)
                .await
                .map_err(Arc::new)?;
            for (parent_id, children) in slices {
                let key = ChildrenKey {
                    parent_id,
                    within: within.clone(),
                    first,
                    after: after.cloned(),
                };
                found.insert(key, Arc::new(children));
            }
        }
        Ok(found)
    }
}

/// Loads how many children each of many parents has within a scope, in one statement per
/// scope (one per request).
pub struct ChildCount {
    db: Db,
}

impl Loader<(Uuid, UnitPath)> for ChildCount {
    type Value = u64;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[(Uuid, UnitPath)],
    ) -> Result<HashMap<(Uuid, UnitPath), u64>, Self::Error> {
        let mut groups: HashMap<&UnitPath, Vec<Uuid>> = HashMap::new();
        for (parent, within) in keys {
            groups.entry(within).or_default().push(*parent);
        }
        let mut found = HashMap::with_capacity(keys.len());
        for (within, parents) in groups {
            let counts = store::units::child_counts(&self.db, &parents, Some(within))
                .await
                .map_err(Arc::new)?;
            for parent in parents {
                let n = counts.get(&parent).copied().unwrap_or(0);
                found.insert((parent, within.clone()), n);
            }
        }
        Ok(found)
    }
}

/// Loads the live Facebook page of each of many units in one statement (`Unit.page`).
pub struct PageOfUnit {
    db: Db,
}

impl Loader<Uuid> for PageOfUnit {
    type Value = Page;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Page>, Self::Error> {
        let pages = store::pages::live_of_units(&self.db, keys, Platform::Facebook)
            .await
            .map_err(Arc::new)?;
        Ok(pages.into_iter().map(|p| (p.unit_id, p)).collect())
    }
}

/// Loads the assignments of many pages in one statement: only the current ones
/// (`Page.leader`, `Page.operator`), or the whole history (`Page.assignments`).
pub struct AssignmentsOf {
    db: Db,
    current_only: bool,
}

impl Loader<Uuid> for AssignmentsOf {
    type Value = Arc<Vec<Assignment>>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let all = store::pages::assignments_of(&self.db, keys, self.current_only)
            .await
            .map_err(Arc::new)?;
        let mut by_page: HashMap<Uuid, Vec<Assignment>> = HashMap::new();
        for a in all {
            by_page.entry(a.page_id).or_default().push(a);
        }
        Ok(by_page.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Loads the history of many pages in one statement.
pub struct HistoryOf {
    db: Db,
}

impl Loader<Uuid> for HistoryOf {
    type Value = Arc<Vec<PageEvent>>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let all = store::pages::events_of(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        let mut by_page: HashMap<Uuid, Vec<PageEvent>> = HashMap::new();
        for e in all {
            by_page.entry(e.page_id).or_default().push(e);
        }
        Ok(by_page.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

/// Loads people by id, removed ones included (they stay in the assignment history).
pub struct PersonById {
    db: Db,
}

impl Loader<Uuid> for PersonById {
    type Value = Person;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Person>, Self::Error> {
        let people = store::people::by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(people.into_iter().map(|p| (p.id, p)).collect())
    }
}

/// Loads the usernames and display names of accounts by id, for the histories and the
/// audit trail that name who acted.
pub struct AccountName {
    db: Db,
}

impl Loader<Uuid> for AccountName {
    type Value = (String, String);
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        store::accounts::names(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// Runs a loader's batch as a task of its own. It first lets every task that is ready run
/// (one yield), so that the loads the fields of a list make in the same poll all join the
/// batch, and the batch waits no timer: async-graphql's default waits 1 ms per batch, which
/// a chain of loads (`parent { parent }`) pays at each level.
fn spawn(batch: Pin<Box<dyn Future<Output = ()> + Send>>) {
    tokio::spawn(async move {
        tokio::task::yield_now().await;
        batch.await;
    });
}

/// A request's loaders. Units by id or code are remembered for the request (a list's units
/// share their ancestors); slices of children are not: each is asked for once.
/// Loads many objects by id in one statement each: pages, campaigns, posts (with their
/// campaigns), and the share requests of posts (keyed by post id).
pub struct ById<T> {
    db: Db,
    _kind: std::marker::PhantomData<T>,
}

impl<T> ById<T> {
    fn new(db: &Db) -> Self {
        Self {
            db: db.clone(),
            _kind: std::marker::PhantomData,
        }
    }
}

impl Loader<Uuid> for ById<domain::page::Page> {
    type Value = domain::page::Page;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let found = store::pages::by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|p| (p.id, p)).collect())
    }
}

impl Loader<Uuid> for ById<domain::campaign::Campaign> {
    type Value = domain::campaign::Campaign;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let found = store::campaigns::campaigns_by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|c| (c.id, c)).collect())
    }
}

impl Loader<Uuid> for ById<domain::campaign::Post> {
    type Value = domain::campaign::Post;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let found = store::campaigns::posts_by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|p| (p.id, p)).collect())
    }
}

/// Keyed by the post's id.
impl Loader<Uuid> for ById<domain::campaign::ShareRequest> {
    type Value = domain::campaign::ShareRequest;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let found = store::campaigns::share_requests_of_posts(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|r| (r.post_id, r)).collect())
    }
}

/// Loads the computed effectiveness of many pages, grouped by the units above them (one
/// statement per group of siblings).
pub struct EffectivenessOf {
    db: Db,
}

impl Loader<Uuid> for EffectivenessOf {
    type Value = domain::effect::Effectiveness;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let pages = store::pages::by_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        let unit_ids: Vec<Uuid> = pages.iter().map(|p| p.unit_id).collect();
        let units = store::units::by_ids(&self.db, &unit_ids)
            .await
            .map_err(Arc::new)?;
        let keyed: Vec<(Uuid, UnitPath)> = pages
            .iter()
            .filter_map(|p| {
                units
                    .iter()
                    .find(|u| u.id == p.unit_id)
                    .map(|u| (p.id, u.path.clone()))
            })
            .collect();
        app::effect::figures(&self.db, &keyed)
            .await
            .map_err(|e| match e {
                app::AppError::Store(e) => Arc::new(e),
                other => Arc::new(StoreError::Corrupt(other.to_string())),
            })
    }
}

/// Loads the Graph API connection state of many pages (never their tokens).
pub struct TokenOf {
    db: Db,
}

impl Loader<Uuid> for TokenOf {
    type Value = store::stats::StoredToken;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let found = store::stats::tokens_of(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|t| (t.page_id, t)).collect())
    }
}

pub struct Loaders {
    pub unit_by_id: DataLoader<UnitById, HashMapCache>,
    pub unit_by_code: DataLoader<UnitByCode, HashMapCache>,
    pub children: DataLoader<ChildrenOf>,
    pub child_count: Arc<DataLoader<ChildCount, HashMapCache>>,
    pub page_of_unit: DataLoader<PageOfUnit, HashMapCache>,
    pub current_staff: DataLoader<AssignmentsOf, HashMapCache>,
    pub assignments: DataLoader<AssignmentsOf, HashMapCache>,
    pub history: DataLoader<HistoryOf, HashMapCache>,
    pub person_by_id: DataLoader<PersonById, HashMapCache>,
    pub account_name: DataLoader<AccountName, HashMapCache>,
    pub round_by_id: DataLoader<RoundById, HashMapCache>,
    pub reports_of_round: DataLoader<ReportsOfRound, HashMapCache>,
    pub page_by_id: DataLoader<ById<domain::page::Page>, HashMapCache>,
    pub campaign_by_id: DataLoader<ById<domain::campaign::Campaign>, HashMapCache>,
    pub post_by_id: DataLoader<ById<domain::campaign::Post>, HashMapCache>,
    pub share_request_of_post: DataLoader<ById<domain::campaign::ShareRequest>, HashMapCache>,
    pub effectiveness: DataLoader<EffectivenessOf, HashMapCache>,
    pub token_of: DataLoader<TokenOf, HashMapCache>,
}

impl Loaders {
    pub fn new(db: &Db) -> Self {
        fn loader<T: Loader<K>, K>(inner: T) -> DataLoader<T, HashMapCache>
        where
            K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        {
            DataLoader::with_cache(inner, spawn, HashMapCache::default()).delay(Duration::ZERO)
        }
        Self {
            unit_by_id: loader(UnitById { db: db.clone() }),
            unit_by_code: loader(UnitByCode { db: db.clone() }),
            children: DataLoader::new(ChildrenOf { db: db.clone() }, spawn).delay(Duration::ZERO),
            child_count: Arc::new(loader(ChildCount { db: db.clone() })),
            page_of_unit: loader(PageOfUnit { db: db.clone() }),
            current_staff: loader(AssignmentsOf {
                db: db.clone(),
                current_only: true,
            }),
            assignments: loader(AssignmentsOf {
                db: db.clone(),
                current_only: false,
            }),
            history: loader(HistoryOf { db: db.clone() }),
            person_by_id: loader(PersonById { db: db.clone() }),
            account_name: loader(AccountName { db: db.clone() }),
            round_by_id: loader(RoundById { db: db.clone() }),
            reports_of_round: loader(ReportsOfRound { db: db.clone() }),
            page_by_id: loader(ById::new(db)),
            campaign_by_id: loader(ById::new(db)),
            post_by_id: loader(ById::new(db)),
            share_request_of_post: loader(ById::new(db)),
            effectiveness: loader(EffectivenessOf { db: db.clone() }),
            token_of: loader(TokenOf { db: db.clone() }),
        }
    }
}
