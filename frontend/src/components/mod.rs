//! Pieces shared by the pages.

mod breadcrumbs;
mod change_password_form;
pub mod chart;
mod confirm;
mod download;
mod field;
mod frame;
mod insecure;
mod more;
mod secret;
mod status;

pub use breadcrumbs::Breadcrumbs;
pub use change_password_form::ChangePasswordForm;
pub use confirm::Confirm;
pub use download::Download;
pub use field::{Field, FormErrors};
pub use frame::Frame;
pub use insecure::InsecureNotice;
pub use more::More;
pub use secret::OneTimeSecret;
pub use status::{Empty, ErrorBox, Loading};
