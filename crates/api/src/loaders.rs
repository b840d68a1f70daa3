//! DataLoaders, built per request so nothing is cached across viewers.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use domain::Unit;
use store::{Db, StoreError};
use uuid::Uuid;

/// Loads units by id, batching the parents of a slice of units into one query.
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

pub fn unit_loader(db: Db) -> DataLoader<UnitById> {
    DataLoader::new(UnitById { db }, tokio::spawn)
}
