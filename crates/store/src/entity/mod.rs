//! sea-orm entities: private to this crate, converted to domain types at its edge.

pub mod account;
pub mod audit_event;
pub mod idempotent_request;
pub mod login_throttle;
pub mod refresh_token;
pub mod setting;
pub mod unit;
