//! What can go wrong talking to the API, and what an officer is told about it.

use std::fmt;

/// A failed request, classified by the `extensions.code` the API puts on its errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The request never got an answer: offline, or the server is down.
    Network,
    /// No session, or it expired: the app signs out.
    Unauthenticated,
    Forbidden,
    NotFound,
    /// The account must change its one-time password before anything else.
    PasswordChangeRequired,
    /// The request was refused as invalid; the server's message.
    Validation(String),
    /// The database is busy or out of reach for a moment.
    Busy,
    /// Too many requests from this account in a short time.
    RateLimited,
    /// The request asks for more than the server does in one request; the server's message.
    TooExpensive(String),
    /// The server failed; the id to quote to support, when it gave one.
    Internal {
        request_id: Option<String>,
    },
    /// An answer that is not a GraphQL response (e.g. a proxy's error page).
    BadResponse {
        status: u16,
    },
}

impl Error {
    /// Classifies the first error of a GraphQL response.
    pub fn from_graphql(errors: &[graphql_client::Error]) -> Self {
        let Some(first) = errors.first() else {
            return Self::BadResponse { status: 200 };
        };
        let extension = |key: &str| {
            first
                .extensions
                .as_ref()
                .and_then(|ext| ext.get(key))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        match extension("code").as_deref() {
            Some("UNAUTHENTICATED") => Self::Unauthenticated,
            Some("FORBIDDEN") => Self::Forbidden,
            Some("NOT_FOUND") => Self::NotFound,
            Some("PASSWORD_CHANGE_REQUIRED") => Self::PasswordChangeRequired,
            Some("VALIDATION") => Self::Validation(first.message.clone()),
            Some("UNAVAILABLE") => Self::Busy,
            Some("RATE_LIMITED") => Self::RateLimited,
            Some("QUERY_TOO_EXPENSIVE") => Self::TooExpensive(first.message.clone()),
            _ => Self::Internal {
                request_id: extension("requestId"),
            },
        }
    }

    /// Whether the request may have been done without its answer arriving: no answer at
    /// all, or a gateway's or busy server's instead of the API's.
    pub fn answer_was_lost(&self) -> bool {
        matches!(
            self,
            Self::Network | Self::Busy | Self::BadResponse { status: 502..=504 }
        )
    }

    /// Whether trying again later may help (so the error box offers "Thử lại").
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Network
                | Self::Busy
                | Self::RateLimited
                | Self::Internal { .. }
                | Self::BadResponse { .. }
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network => {
                f.write_str("Không kết nối được với máy chủ. Kiểm tra kết nối mạng rồi thử lại.")
            }
            Self::Unauthenticated => {
                f.write_str("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")
            }
            Self::Forbidden => f.write_str("Tài khoản của bạn không có quyền thực hiện việc này."),
            Self::NotFound => {
                f.write_str("Không tìm thấy dữ liệu này, hoặc nó nằm ngoài phạm vi đơn vị của bạn.")
            }
            Self::PasswordChangeRequired => f.write_str("Bạn cần đổi mật khẩu trước khi tiếp tục."),
            Self::Validation(message) | Self::TooExpensive(message) => f.write_str(message),
            Self::Busy => f.write_str(
                "Hệ thống đang bận hoặc tạm thời không truy cập được dữ liệu. Vui lòng thử lại sau giây lát.",
            ),
            Self::RateLimited => f.write_str(
                "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ vài giây rồi thử lại.",
            ),
            Self::Internal {
                request_id: Some(id),
            } => write!(
                f,
                "Máy chủ gặp lỗi. Vui lòng thử lại; nếu vẫn lỗi, báo cho quản trị mã yêu cầu {id}."
            ),
            Self::Internal { request_id: None } => {
                f.write_str("Máy chủ gặp lỗi. Vui lòng thử lại sau.")
            }
            Self::BadResponse { status } => write!(
                f,
                "Máy chủ trả lời không đúng định dạng (mã {status}). Vui lòng thử lại sau."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: Option<&str>, extra: &[(&str, &str)]) -> graphql_client::Error {
        let mut extensions = std::collections::HashMap::new();
        if let Some(code) = code {
            extensions.insert("code".to_owned(), serde_json::json!(code));
        }
        for (k, v) in extra {
            extensions.insert((*k).to_owned(), serde_json::json!(v));
        }
        graphql_client::Error {
            message: "boom".to_owned(),
            locations: None,
            path: None,
            extensions: Some(extensions),
        }
    }

    #[test]
    fn each_api_code_maps_to_its_error() {
        let cases = [
            ("UNAUTHENTICATED", Error::Unauthenticated),
            ("FORBIDDEN", Error::Forbidden),
            ("NOT_FOUND", Error::NotFound),
            ("PASSWORD_CHANGE_REQUIRED", Error::PasswordChangeRequired),
            ("VALIDATION", Error::Validation("boom".to_owned())),
            ("UNAVAILABLE", Error::Busy),
            ("RATE_LIMITED", Error::RateLimited),
            (
                "QUERY_TOO_EXPENSIVE",
                Error::TooExpensive("boom".to_owned()),
            ),
        ];
        for (code, expected) in cases {
            assert_eq!(Error::from_graphql(&[error(Some(code), &[])]), expected);
        }
    }

    #[test]
    fn internal_errors_keep_the_request_id_for_support() {
        let mapped = Error::from_graphql(&[error(Some("INTERNAL"), &[("requestId", "abc-123")])]);
        assert_eq!(
            mapped,
            Error::Internal {
                request_id: Some("abc-123".to_owned())
            }
        );
        assert!(mapped.to_string().contains("abc-123"));
        assert!(mapped.is_retryable());
    }

    #[test]
    fn unknown_or_missing_codes_are_internal() {
        assert_eq!(
            Error::from_graphql(&[error(None, &[])]),
            Error::Internal { request_id: None }
        );
        assert_eq!(
            Error::from_graphql(&[error(Some("GRAPHQL_VALIDATION_FAILED"), &[])]),
            Error::Internal { request_id: None }
        );
    }

    #[test]
    fn messages_are_vietnamese() {
        assert!(Error::Network.to_string().starts_with("Không kết nối được"));
        assert!(Error::Unauthenticated.to_string().contains("đăng nhập lại"));
        assert!(!Error::Forbidden.is_retryable());
        assert!(Error::Busy.is_retryable() && Error::RateLimited.is_retryable());
        assert!(Error::RateLimited.to_string().contains("thử lại"));
    }
}
