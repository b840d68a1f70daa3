//! The root mutation, merged from one object per area.

mod account;
mod session;

use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::{Context, MergedObject};
use chrono::{DateTime, FixedOffset, Utc};

use crate::ApiError;
use crate::error::StoreResultExt;

/// Every mutation the API answers.
#[derive(MergedObject, Default)]
pub struct Mutation(session::SessionMutation, account::AccountMutation);

/// Set once a request has tried a password: one try per request, so aliases cannot batch
/// hundreds of guesses into one HTTP request.
#[derive(Default)]
pub struct OncePerRequest(AtomicBool);

fn once_per_request(ctx: &Context<'_>) -> Result<(), ApiError> {
    let used = ctx
        .data_opt::<OncePerRequest>()
        .is_some_and(|o| o.0.swap(true, Ordering::SeqCst));
    if used {
        return Err(ApiError::validation(
            "input",
            "Mỗi yêu cầu chỉ được thử mật khẩu một lần (login hoặc changePassword).",
        ));
    }
    Ok(())
}

/// What an attacker would try first as a password of an account at `unit` named
/// `display_name`: the names, and the names of the units above.
async fn password_context(
    ctx: &Context<'_>,
    display_name: &str,
    unit: &domain::Unit,
) -> Result<Vec<String>, ApiError> {
    let db = ctx.data_unchecked::<store::Db>();
    let above = store::units::ancestors(db, unit).await.or_internal(ctx)?;
    let mut words = vec![display_name.to_owned(), unit.name.clone(), unit.full_name()];
    words.extend(above.iter().flat_map(|u| [u.name.clone(), u.full_name()]));
    Ok(words)
}

/// A moment as officers read it: "07:35 ngày 26/11/2026", in Vietnam's time zone (UTC+7, no
/// daylight saving).
fn vietnam_time(at: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    at.with_timezone(&offset)
        .format("%H:%M:%S ngày %d/%m/%Y")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::vietnam_time;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_vietnam() {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 20, 5, 9)
            .single()
            .expect("valid");
        assert_eq!(vietnam_time(at), "03:05:09 ngày 27/11/2026");
    }
}
