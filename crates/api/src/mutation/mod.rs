//! The root mutation, merged from one object per area.

mod account;
mod campaign;
mod page;
mod report;
mod session;
mod stats;

use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::{Context, MergedObject};

use crate::ApiError;

/// Every mutation the API answers.
#[derive(MergedObject, Default)]
pub struct Mutation(
    session::SessionMutation,
    account::AccountMutation,
    page::PageMutation,
    report::ReportMutation,
    campaign::CampaignMutation,
    stats::StatsMutation,
);

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
