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
use domain::unit::UnitPath;
use store::units::UnitCursor;
use store::{Db, Slice, SliceRequest, StoreError};
use uuid::Uuid;

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
pub struct Loaders {
    pub unit_by_id: DataLoader<UnitById, HashMapCache>,
    pub unit_by_code: DataLoader<UnitByCode, HashMapCache>,
    pub children: DataLoader<ChildrenOf>,
    pub child_count: Arc<DataLoader<ChildCount, HashMapCache>>,
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
        }
    }
}
