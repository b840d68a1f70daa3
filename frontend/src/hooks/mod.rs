//! Hooks shared by the pages.

mod fetch;
mod list;
mod load;
mod session;
mod title;

pub use fetch::use_fetch;
pub use list::{ListHandle, Listing, use_list};
pub use load::{Cancelled, use_search_load};
#[cfg(all(test, target_arch = "wasm32"))]
pub use session::refresh_delay_ms;
pub use session::{SessionProvider, Status, use_session};
pub use title::use_title;
