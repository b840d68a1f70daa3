use domain::policy::Denied;
use store::StoreError;

/// A problem with one input field, to show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    /// The input field (as the API names it), e.g. "password"; `None` when the problem is not
    /// about one field.
    pub field: Option<String>,
    /// Stable machine-readable code, e.g. `USERNAME_TAKEN`.
    pub code: String,
    /// What is wrong, in Vietnamese, ready to show.
    pub message: String,
}

impl UserError {
    pub fn new(field: Option<&str>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.map(str::to_owned),
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A domain rule broken by the value of `field`.
    pub fn from_domain(field: &str, error: &domain::DomainError) -> Self {
        Self::new(Some(field), error.code(), error.to_string())
    }
}

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// What it acts on does not exist, or is outside what the actor reads (the two are never
    /// told apart).
    #[error("not found")]
    NotFound,
    /// Visible, but the actor's role does not allow the operation.
    #[error("forbidden")]
    Forbidden,
    /// The input breaks a rule; nothing was written.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<UserError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] crate::password::HashError),
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotFound => Self::NotFound,
            Denied::Forbidden => Self::Forbidden,
        }
    }
}
