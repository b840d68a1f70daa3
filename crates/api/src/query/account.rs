use async_graphql::{Context, Object};
use domain::policy::{Action, can, read_scope};
use domain::{Actor, Unit as DomainUnit};
use store::Db;
use store::accounts::AccountFilter;
use uuid::Uuid;

use crate::error::StoreResultExt;
use crate::relay::{decode_cursor, encode_cursor, list_limit};
use crate::types::account::{Account, Role};
use crate::types::connection::{Listed, listed};
use crate::{ApiError, auth};

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account; `UNAUTHENTICATED` without a valid access token. Works while the
    /// account must change its password.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        Ok(Some(Account(
            auth::session_allowing_password_change(ctx).await?.account,
        )))
    }

    /// Accounts of the viewer's subtree, by username (admins only: others get `FORBIDDEN`).
    #[graphql(complexity = "crate::types::unit::list_complexity(first, child_complexity)")]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only accounts at this unit and below; an unknown code answers `NOT_FOUND`."
        )]
        unit_code: Option<String>,
        #[graphql(desc = "Only accounts with this role.")] role: Option<Role>,
        #[graphql(desc = "Text in the username or display name; case and diacritics are ignored.")]
        search: Option<String>,
        #[graphql(desc = "How many items, 1–100; 20 when omitted.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last item already fetched.")] after: Option<String>,
    ) -> async_graphql::Result<Listed<Account>> {
        let actor = auth::actor(ctx).await?;
        let db = ctx.data_unchecked::<Db>();
        let within = match unit_code {
            Some(code) => {
                store::units::by_code(db, code.trim())
                    .await
                    .or_internal(ctx)?
                    .ok_or(ApiError::NotFound)?
                    .path
            }
            None => read_scope(&actor).root().clone(),
        };
        can(&actor, Action::ReadAccounts, &within).map_err(ApiError::from)?;
        let filter = AccountFilter {
            within: Some(within),
            role: role.map(Into::into),
            search,
        };
        let slice = store::SliceRequest {
            first: list_limit(first)?,
            after: after.as_deref().map(decode_cursor).transpose()?,
        };
        let result = store::accounts::list(db, &filter, &slice)
            .await
            .or_internal(ctx)?;
        Ok(listed(
            ctx,
            result,
            slice.after.is_some(),
            |account| encode_cursor(account.username.as_str()),
            Account,
            move |db| {
                let filter = filter.clone();
                async move { store::accounts::count(&db, &filter).await }
            },
        ))
    }
}

/// The account with this id, if the actor may see it: itself, or an account of its subtree
/// when the actor may read accounts there. Anything else is `NOT_FOUND`, whether it exists
/// or not; a visible account the role may not read is `FORBIDDEN`.
pub async fn visible_account(
    ctx: &Context<'_>,
    actor: &Actor,
    id: Uuid,
) -> Result<(domain::Account, DomainUnit), ApiError> {
    let db = ctx.data_unchecked::<Db>();
    let (account, unit) = store::accounts::with_unit(db, id)
        .await
        .or_internal(ctx)?
        .ok_or(ApiError::NotFound)?;
    can(
        actor,
        Action::ReadAccount {
            account_id: account.id,
        },
        &unit.path,
    )?;
    Ok((account, unit))
}
