use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use domain::policy;

use super::unit::Unit;
use crate::loaders::Loaders;
use crate::relay::{NodeKind, global_id};
use crate::{ApiError, auth};

/// What an account may do at its unit.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Quản trị: reads the subtree, writes its unit's objects, manages the subtree's accounts
    /// and approves what the units below submit.
    Admin,
    /// Cán bộ vận hành: reads the subtree and writes its own unit's objects.
    Operator,
    /// Chỉ xem: reads the subtree.
    Viewer,
}

impl From<domain::Role> for Role {
    fn from(role: domain::Role) -> Self {
        match role {
            domain::Role::Admin => Self::Admin,
            domain::Role::Operator => Self::Operator,
            domain::Role::Viewer => Self::Viewer,
        }
    }
}

impl From<Role> for domain::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => Self::Admin,
            Role::Operator => Self::Operator,
            Role::Viewer => Self::Viewer,
        }
    }
}

pub struct Account(pub domain::Account);

/// A person's sign-in at a Front committee (a unit).
#[Object]
impl Account {
    /// Global id.
    pub async fn id(&self) -> ID {
        global_id(NodeKind::Account, self.0.id)
    }

    /// Sign-in name, lower-case.
    async fn username(&self) -> &str {
        self.0.username.as_str()
    }

    /// Name shown in the app.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// A disabled account cannot sign in, and its sessions ended when it was disabled.
    async fn active(&self) -> bool {
        self.0.active
    }

    /// The account signs in with a one-time password and must choose its own before
    /// anything else.
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
    }

    /// The unit the account acts at; it reads that unit's whole subtree.
    async fn unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Unit> {
        let loader = &ctx.data_unchecked::<Loaders>().unit_by_id;
        let unit = loader
            .load_one(self.0.unit_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?;
        unit.map(Unit).ok_or_else(|| ApiError::NotFound.into())
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The last successful sign-in.
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_login_at
    }

    /// What the viewer may do to this account, as the server will decide it: a client shows
    /// only these actions.
    async fn viewer_can(&self, ctx: &Context<'_>) -> async_graphql::Result<AccountPermissions> {
        let actor = auth::actor(ctx).await?;
        let loader = &ctx.data_unchecked::<Loaders>().unit_by_id;
        let unit = loader
            .load_one(self.0.unit_id)
            .await
            .map_err(|e| ApiError::from_store(ctx.data_opt(), &e))?
            .ok_or(ApiError::NotFound)?;
        Ok(AccountPermissions::of(
            policy::account_permissions(&actor, &self.0, &unit.path),
            self.0.role,
        ))
    }
}

/// What the viewer may do to an account (`Account.viewerCan`).
#[derive(SimpleObject)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per action")]
pub struct AccountPermissions {
    /// Change its display name.
    pub update: bool,
    /// Give it another role (one of `assignableRoles`).
    pub change_role: bool,
    /// The roles the viewer may set, its current one included when it may be kept.
    pub assignable_roles: Vec<Role>,
    /// Disable it; false while it is disabled.
    pub disable: bool,
    /// Enable it again; false while it is active.
    pub enable: bool,
    /// Replace its password with a one-time password.
    pub reset_password: bool,
}

impl AccountPermissions {
    fn of(p: policy::AccountPermissions, current: domain::Role) -> Self {
        Self {
            update: p.update,
            change_role: p.assignable_roles.iter().any(|&r| r != current),
            assignable_roles: p.assignable_roles.into_iter().map(Role::from).collect(),
            disable: p.disable,
            enable: p.enable,
            reset_password: p.reset_password,
        }
    }
}

/// A problem with one input field of a mutation, to show beside that field.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserError {
    /// The input field, e.g. "password"; null when the problem is not about one field.
    pub field: Option<String>,
    /// What is wrong, in Vietnamese, ready to show.
    pub message: String,
    /// Stable machine-readable code, e.g. `USERNAME_TAKEN`.
    pub code: String,
}

impl UserError {
    pub fn new(field: Option<&str>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.map(str::to_owned),
            message: message.into(),
            code: code.to_owned(),
        }
    }
}

impl From<app::UserError> for UserError {
    fn from(e: app::UserError) -> Self {
        Self {
            field: e.field,
            message: e.message,
            code: e.code,
        }
    }
}
