//! Hooks shared by the pages.

mod session;

#[cfg(all(test, target_arch = "wasm32"))]
pub use session::refresh_delay_ms;
pub use session::{SessionProvider, Status, use_session};
