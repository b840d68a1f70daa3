//! Accounts and their credentials.

use chrono::{DateTime, Utc};
use domain::text::fold;
use domain::unit::UnitPath;
use domain::{Account, DisplayName, Role, Unit, Username};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, SqlErr,
};
use uuid::Uuid;

use crate::entity::account::{self, Column};
use crate::entity::{refresh_token, unit};
use crate::filters::{count_rows, in_subtree, matches_search};
use crate::{Slice, SliceRequest, StoreError};

/// An account and the hash of its password, for signing in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub account: Account,
    pub password_hash: String,
}

/// What creating an account needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub display_name: DisplayName,
    pub unit_id: Uuid,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
}

/// Which accounts a list shows.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    /// Only accounts of units in this subtree.
    pub within: Option<UnitPath>,
    pub role: Option<Role>,
    /// Diacritics- and case-insensitive text in the username or display name.
    pub search: Option<String>,
}

fn search_key(username: &str, display_name: &str) -> String {
    fold(&format!("{username} {display_name}"))
}

impl TryFrom<account::Model> for Account {
    type Error = StoreError;

    fn try_from(m: account::Model) -> Result<Self, Self::Error> {
        let corrupt =
            |e: domain::DomainError| StoreError::Corrupt(format!("account {}: {e}", m.id));
        Ok(Account {
            id: m.id,
            username: Username::parse(&m.username).map_err(corrupt)?,
            display_name: m.display_name,
            unit_id: m.unit_id,
            role: m.role.parse().map_err(corrupt)?,
            active: m.active,
            must_change_password: m.must_change_password,
            token_version: m.token_version,
            created_at: m.created_at,
            last_login_at: m.last_login_at,
            disabled_by: m.disabled_by.map(UnitPath::from_stored),
        })
    }
}

/// Creates an account. A taken username is [`StoreError::Conflict`].
#[tracing::instrument(skip_all, fields(username = %new.username))]
pub async fn create(db: &impl ConnectionTrait, new: NewAccount) -> Result<Account, StoreError> {
    if by_username(db, &new.username).await?.is_some() {
        return Err(StoreError::Conflict("username".to_owned()));
    }
    let now = Utc::now();
    let model = account::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_key: Set(search_key(new.username.as_str(), new.display_name.as_str())),
        username: Set(new.username.as_str().to_owned()),
        display_name: Set(new.display_name.as_str().to_owned()),
        unit_id: Set(new.unit_id),
        role: Set(new.role.as_str().to_owned()),
        active: Set(true),
        must_change_password: Set(new.must_change_password),
        password_hash: Set(new.password_hash),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        disabled_by: Set(None),
    };
    match model.insert(db).await {
        Ok(m) => m.try_into(),
        // Two admins creating the same username at once: the unique index decides.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(StoreError::Conflict("username".to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

#[tracing::instrument(skip(db))]
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Account>, StoreError> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Account::try_from)
        .transpose()
}

/// The account with this id and the unit it belongs to.
#[tracing::instrument(skip(db))]
pub async fn with_unit(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Account, Unit)>, StoreError> {
    one_with_unit(db, id, Condition::all()).await
}

/// The account with this id and its unit, if it also meets `condition`. One statement.
async fn one_with_unit(
    db: &impl ConnectionTrait,
    id: Uuid,
    condition: Condition,
) -> Result<Option<(Account, Unit)>, StoreError> {
    let Some((account, unit)) = account::Entity::find_by_id(id)
        .find_also_related(unit::Entity)
        .filter(condition)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let unit = unit.ok_or_else(|| StoreError::Corrupt(format!("account {id} has no unit")))?;
    Ok(Some((account.try_into()?, unit.try_into()?)))
}

/// The account with this id and its unit, while the session `session_id` (a family of
/// refresh tokens) has not ended: what an access token stands for. One statement.
#[tracing::instrument(skip(db))]
pub async fn in_session(
    db: &impl ConnectionTrait,
    id: Uuid,
    session_id: Uuid,
) -> Result<Option<(Account, Unit)>, StoreError> {
    let live = Query::select()
        .expr(Expr::val(1))
        .from(refresh_token::Entity)
        .and_where(refresh_token::Column::FamilyId.eq(session_id))
        .and_where(refresh_token::Column::AccountId.eq(id))
        .and_where(refresh_token::Column::RevokedAt.is_null())
        .to_owned();
    one_with_unit(db, id, Condition::all().add(Expr::exists(live))).await
}

/// The account signing in as `username`, with its password hash.
#[tracing::instrument(skip_all)]
pub async fn by_username(
    db: &impl ConnectionTrait,
    username: &Username,
) -> Result<Option<Credentials>, StoreError> {
    let Some(model) = account::Entity::find()
        .filter(Column::Username.eq(username.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let password_hash = model.password_hash.clone();
    Ok(Some(Credentials {
        account: model.try_into()?,
        password_hash,
    }))
}

/// The usernames and display names of these accounts, by id; unknown ids are left out.
#[tracing::instrument(skip_all, fields(count = ids.len()))]
pub async fn names(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, (String, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(Uuid, String, String)> = account::Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::Username)
        .column(Column::DisplayName)
        .filter(Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, username, name)| (id, (username, name)))
        .collect())
}

/// The password hash of an account.
pub async fn password_hash(db: &impl ConnectionTrait, id: Uuid) -> Result<String, StoreError> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|m| m.password_hash)
        .ok_or(StoreError::NotFound)
}

fn condition(filter: &AccountFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(within) = &filter.within {
        cond = cond.add(in_subtree(unit::Column::Path, within));
    }
    if let Some(role) = filter.role {
        cond = cond.add(Column::Role.eq(role.as_str()));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .and_then(|s| matches_search(Column::SearchKey, s))
    {
        cond = cond.add(search);
    }
    cond
}

fn scoped(filter: &AccountFilter) -> sea_orm::Select<account::Entity> {
    account::Entity::find()
        .join(JoinType::InnerJoin, account::Relation::Unit.def())
        .filter(condition(filter))
}

/// One slice of the accounts matching `filter`, by username.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AccountFilter,
    slice: &SliceRequest<String>,
) -> Result<Slice<Account>, StoreError> {
    let mut query = scoped(filter);
    if let Some(after) = &slice.after {
        query = query.filter(Column::Username.gt(after.as_str()));
    }
    let models = query
        .order_by_asc(Column::Username)
        .limit(slice.first + 1)
        .all(db)
        .await?;
    Slice::from_rows(models, slice.first, Account::try_from)
}

/// How many accounts match `filter` (`SELECT COUNT(*)`, see [`count_rows`]).
pub async fn count(db: &impl ConnectionTrait, filter: &AccountFilter) -> Result<u64, StoreError> {
    count_rows(db, scoped(filter)).await
}

/// How many accounts exist.
pub async fn total(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    count_rows(db, account::Entity::find()).await
}

async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    change: impl FnOnce(&account::Model, &mut account::ActiveModel),
) -> Result<Account, StoreError> {
    let model = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut active: account::ActiveModel = model.clone().into();
    change(&model, &mut active);
    active.updated_at = Set(Utc::now());
    let account = active.update(db).await?.try_into()?;
    crate::notify::account_changed(db, id).await?;
    Ok(account)
}

/// Changes the display name and/or the role.
#[tracing::instrument(skip(db))]
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: Uuid,
    display_name: Option<&DisplayName>,
    role: Option<Role>,
) -> Result<Account, StoreError> {
    update(db, id, |m, a| {
        if let Some(name) = display_name {
            a.display_name = Set(name.as_str().to_owned());
            a.search_key = Set(search_key(&m.username, name.as_str()));
        }
        if let Some(role) = role {
            a.role = Set(role.as_str().to_owned());
        }
    })
    .await
}

/// Disables an account on behalf of an admin of the unit at `by`, and ends its sessions at
/// once: its access tokens and its refresh tokens.
#[tracing::instrument(skip(db))]
pub async fn disable(
    db: &impl ConnectionTrait,
    id: Uuid,
    by: &UnitPath,
) -> Result<Account, StoreError> {
    let account = update(db, id, |m, a| {
        a.active = Set(false);
        a.disabled_by = Set(Some(by.as_str().to_owned()));
        a.token_version = Set(m.token_version + 1);
    })
    .await?;
    crate::sessions::revoke_all(db, id, Utc::now()).await?;
    Ok(account)
}

/// Enables a disabled account again.
#[tracing::instrument(skip(db))]
pub async fn enable(db: &impl ConnectionTrait, id: Uuid) -> Result<Account, StoreError> {
    update(db, id, |_, a| {
        a.active = Set(true);
        a.disabled_by = Set(None);
    })
    .await
}

/// Replaces the password and ends every session of the account: the access and refresh
/// tokens issued before stop working.
#[tracing::instrument(skip_all, fields(%id))]
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: Uuid,
    password_hash: String,
    must_change_password: bool,
) -> Result<Account, StoreError> {
    let account = update(db, id, |m, a| {
        a.password_hash = Set(password_hash);
        a.must_change_password = Set(must_change_password);
        a.token_version = Set(m.token_version + 1);
    })
    .await?;
    crate::sessions::revoke_all(db, id, Utc::now()).await?;
    Ok(account)
}

/// Notes a successful sign-in.
pub async fn record_login(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    account::Entity::update_many()
        .col_expr(Column::LastLoginAt, Expr::value(at))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    crate::notify::account_changed(db, id).await
}
