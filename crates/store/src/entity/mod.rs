//! sea-orm entities: private to this crate, converted to domain types at its edge.

pub mod account;
pub mod assignment;
pub mod audit_event;
pub mod campaign;
pub mod idempotent_request;
pub mod login_throttle;
pub mod outreach;
pub mod page;
pub mod page_event;
pub mod page_review;
pub mod page_stat;
pub mod page_token;
pub mod person;
pub mod post;
pub mod post_campaign;
pub mod refresh_token;
pub mod report;
pub mod reporting_round;
pub mod rollout_plan;
pub mod setting;
pub mod share_request;
pub mod unit;
