//! One error type for every resolver.
//!
//! Policy: authentication, permission and lookup failures are GraphQL errors with a stable
//! `extensions.code`. Anything unexpected (a database error, corrupt data) is logged here with
//! its cause inside the request's span and returned as `INTERNAL` with the request id only, so
//! no SQL, table name or driver message ever reaches a client.

use async_graphql::{Context, ErrorExtensions};
use store::StoreError;

use crate::RequestContext;

/// The machine-readable codes of `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    Validation,
    PasswordChangeRequired,
    /// The request would run more SQL statements than one request may.
    QueryTooExpensive,
    /// The database is busy or out of reach for now; the same request may succeed later.
    Unavailable,
    /// Too many requests from one account or address; retry after a moment.
    RateLimited,
    /// The `Idempotency-Key` header is empty, too long, or not visible ASCII.
    IdempotencyKeyInvalid,
    /// An idempotency key was sent with an operation that does not take one.
    IdempotencyKeyNotSupported,
    /// The idempotency key was used before for a different request.
    IdempotencyKeyReused,
    /// A request with the same idempotency key is still being answered.
    IdempotencyKeyInUse,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Validation => "VALIDATION",
            Self::PasswordChangeRequired => "PASSWORD_CHANGE_REQUIRED",
            Self::QueryTooExpensive => "QUERY_TOO_EXPENSIVE",
            Self::Unavailable => "UNAVAILABLE",
            Self::RateLimited => "RATE_LIMITED",
            Self::IdempotencyKeyInvalid => "IDEMPOTENCY_KEY_INVALID",
            Self::IdempotencyKeyNotSupported => "IDEMPOTENCY_KEY_NOT_SUPPORTED",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::IdempotencyKeyInUse => "IDEMPOTENCY_KEY_IN_USE",
            Self::Internal => "INTERNAL",
        }
    }
}

/// A failed resolver.
#[derive(Debug)]
pub enum ApiError {
    Unauthenticated,
    Forbidden,
    NotFound,
    /// A bad argument: the message says what is wrong with it, in Vietnamese.
    Validation {
        field: String,
        message: String,
    },
    /// The account must change its one-time password before anything else.
    PasswordChangeRequired,
    /// The request used up its statement budget.
    QueryTooExpensive,
    /// The database is busy or down for now.
    Unavailable,
    /// Logged when created; the client only sees the request id.
    Internal {
        request_id: String,
    },
}

impl ApiError {
    /// Logs `cause` and returns the opaque error the client sees.
    pub fn internal(ctx: &Context<'_>, cause: &dyn std::error::Error) -> Self {
        Self::internal_in(ctx.data_opt::<RequestContext>(), cause)
    }

    /// Logs that stored data is not as it must be (`what`) and returns the opaque error.
    pub fn internal_message(ctx: &Context<'_>, what: &str) -> Self {
        Self::internal(ctx, &StoreError::Corrupt(what.to_owned()))
    }

    /// Like [`ApiError::internal`], where only the request's context is at hand.
    pub fn internal_in(request: Option<&RequestContext>, cause: &dyn std::error::Error) -> Self {
        let request_id = request.map(|r| r.request_id.clone()).unwrap_or_default();
        tracing::error!(error = %cause, request_id, "internal error while resolving");
        Self::Internal { request_id }
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::NotFound => ErrorCode::NotFound,
            Self::Validation { .. } => ErrorCode::Validation,
            Self::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            Self::QueryTooExpensive => ErrorCode::QueryTooExpensive,
            Self::Unavailable => ErrorCode::Unavailable,
            Self::Internal { .. } => ErrorCode::Internal,
        }
    }

    fn message(&self) -> String {
        match self {
            Self::Unauthenticated => "Cần đăng nhập.".to_owned(),
            Self::Forbidden => "Không có quyền thực hiện thao tác này.".to_owned(),
            Self::NotFound => "Không tìm thấy.".to_owned(),
            Self::Validation { message, .. } => message.clone(),
            Self::PasswordChangeRequired => "Cần đổi mật khẩu trước khi tiếp tục.".to_owned(),
            Self::QueryTooExpensive => format!(
                "Yêu cầu cần quá nhiều truy vấn cơ sở dữ liệu (tối đa {} cho một yêu cầu). Vui lòng chia nhỏ yêu cầu.",
                crate::STATEMENT_BUDGET
            ),
            Self::Unavailable => {
                "Hệ thống đang bận hoặc tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau giây lát.".to_owned()
            }
            Self::Internal { request_id } => {
                format!("Lỗi hệ thống. Mã yêu cầu: {request_id}.")
            }
        }
    }
}

impl ApiError {
    /// The error as a GraphQL error of the whole request, with its `extensions.code`: for an
    /// answer given outside the schema's execution.
    pub fn into_server_error(self) -> async_graphql::ServerError {
        let error = async_graphql::Error::from(self);
        let mut server_error = async_graphql::ServerError::new(error.message, None);
        server_error.extensions = error.extensions;
        server_error
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", e.code().as_str());
            match &e {
                ApiError::Validation { field, .. } => ext.set("field", field.as_str()),
                ApiError::Internal { request_id } => ext.set("requestId", request_id.as_str()),
                _ => {}
            }
        })
    }
}

impl From<domain::policy::Denied> for ApiError {
    fn from(denied: domain::policy::Denied) -> Self {
        match denied {
            domain::policy::Denied::NotFound => Self::NotFound,
            domain::policy::Denied::Forbidden => Self::Forbidden,
        }
    }
}

/// Turns a store result into an API result, logging what the client must not see.
pub trait StoreResultExt<T> {
    fn or_internal(self, ctx: &Context<'_>) -> Result<T, ApiError>;
}

impl<T> StoreResultExt<T> for Result<T, StoreError> {
    fn or_internal(self, ctx: &Context<'_>) -> Result<T, ApiError> {
        self.map_err(|e| store_error(ctx, &e))
    }
}

/// The answer to a store failure in a resolver, with why no connection could be had logged.
fn store_error(ctx: &Context<'_>, e: &StoreError) -> ApiError {
    if let (true, Some(db)) = (e.is_no_connection(), ctx.data_opt::<store::Db>()) {
        let pool = db.pool_state();
        tracing::warn!(
            open = pool.open,
            idle = pool.idle,
            max = pool.max,
            "no database connection: {}",
            pool.diagnosis()
        );
    }
    ApiError::from_store(ctx.data_opt::<RequestContext>(), e)
}

impl ApiError {
    /// The answer to a store failure: not found, over budget and unavailable say so; anything
    /// else is logged and opaque.
    pub fn from_store(request: Option<&RequestContext>, e: &StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::BudgetExceeded => Self::QueryTooExpensive,
            StoreError::Unavailable(cause) => {
                let request_id = request.map(|r| r.request_id.as_str()).unwrap_or_default();
                tracing::warn!(error = %cause, request_id, "database unavailable");
                Self::Unavailable
            }
            other => Self::internal_in(request, other),
        }
    }
}

/// Turns a use case's result into a resolver's: the value, or the input's problems for the
/// payload's `userErrors`; any other failure is an [`ApiError`].
pub trait AppResultExt<T> {
    fn or_user_errors(
        self,
        ctx: &Context<'_>,
    ) -> Result<Result<T, Vec<crate::types::account::UserError>>, ApiError>;

    /// For a use case without field problems: any failure is an [`ApiError`] (a field problem
    /// all the same is `VALIDATION`).
    fn or_api(self, ctx: &Context<'_>) -> Result<T, ApiError>
    where
        Self: Sized,
    {
        self.or_user_errors(ctx)?.map_err(|errors| {
            let first = errors.into_iter().next();
            ApiError::Validation {
                field: first
                    .as_ref()
                    .and_then(|e| e.field.clone())
                    .unwrap_or_default(),
                message: first.map(|e| e.message).unwrap_or_default(),
            }
        })
    }
}

impl<T> AppResultExt<T> for Result<T, app::AppError> {
    fn or_user_errors(
        self,
        ctx: &Context<'_>,
    ) -> Result<Result<T, Vec<crate::types::account::UserError>>, ApiError> {
        match self {
            Ok(value) => Ok(Ok(value)),
            Err(app::AppError::Invalid(errors)) => {
                Ok(Err(errors.into_iter().map(Into::into).collect()))
            }
            Err(app::AppError::NotFound) => Err(ApiError::NotFound),
            Err(app::AppError::Forbidden) => Err(ApiError::Forbidden),
            Err(app::AppError::Store(e)) => Err(store_error(ctx, &e)),
            Err(app::AppError::Hash(e)) => Err(ApiError::internal(ctx, &e)),
        }
    }
}
