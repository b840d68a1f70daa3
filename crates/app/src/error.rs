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

impl AppError {
    /// One problem with the input: `field`'s (or, with `None`, the input's as a whole).
    pub fn invalid(field: Option<&str>, code: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![UserError::new(field, code, message)])
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotFound => Self::NotFound,
            Denied::Forbidden => Self::Forbidden,
        }
    }
}

/// The problems of an input's fields, collected as they are parsed, so that an officer hears
/// of all of them at once.
#[derive(Default)]
pub(crate) struct Problems(Vec<UserError>);

impl Problems {
    /// The parsed value, or `None` with `field`'s problem noted.
    pub(crate) fn check<T>(
        &mut self,
        field: &str,
        result: Result<T, domain::DomainError>,
    ) -> Option<T> {
        result
            .map_err(|e| self.0.push(UserError::from_domain(field, &e)))
            .ok()
    }

    /// An optional free text of at most `max` characters; `None` when absent, empty or wrong
    /// (then with its problem noted).
    pub(crate) fn text(&mut self, field: &str, text: Option<&str>, max: usize) -> Option<String> {
        text.and_then(|t| {
            self.check(field, domain::page::parse_text(t, max))
                .flatten()
        })
    }

    /// A problem of `field` that no domain rule names (a reference not found, a conflict).
    pub(crate) fn user_error(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(UserError::new(Some(field), code, message));
    }

    /// Nothing wrong, or every problem noted.
    pub(crate) fn done(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
