//! The root mutation, merged from one object per area.

mod account;
mod session;

use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::{Context, MergedObject};
use chrono::{DateTime, FixedOffset, Utc};

use crate::ApiError;

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
