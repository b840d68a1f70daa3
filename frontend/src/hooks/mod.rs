//! Hooks shared by the pages.

mod session;

pub use session::{SessionProvider, Status, use_session};
