use thiserror::Error;

/// A value that breaks one of the domain's rules. The message is Vietnamese, for the officer
/// who typed the value; `code()` is stable, for programs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("Mã đơn vị «{0}» không hợp lệ: chỉ gồm 2 đến 10 chữ số hoặc chữ in hoa.")]
    InvalidUnitCode(String),
    #[error("Cấp hành chính «{0}» không hợp lệ.")]
    UnknownLevel(String),
    #[error("Loại đơn vị «{0}» không hợp lệ.")]
    UnknownKind(String),
    #[error("Loại đơn vị «{kind}» không thuộc cấp «{level}».")]
    KindNotAtLevel { kind: String, level: String },
    #[error("Vai trò «{0}» không hợp lệ.")]
    UnknownRole(String),
    #[error(
        "Tên đăng nhập gồm 3 đến 64 ký tự: chữ thường không dấu a-z, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
    )]
    InvalidUsername,
    #[error(
        "Họ tên hiển thị không được để trống, dài tối đa 100 ký tự và không chứa ký tự điều khiển hay ký tự ẩn."
    )]
    InvalidDisplayName,
    #[error("Mật khẩu phải có ít nhất 10 ký tự.")]
    PasswordTooShort,
    #[error("Mật khẩu dài tối đa 128 ký tự.")]
    PasswordTooLong,
    #[error("Mật khẩu không được trùng với tên đăng nhập.")]
    PasswordIsUsername,
    #[error(
        "Mật khẩu quá dễ đoán: {0}. Hãy dùng một cụm từ dài hơn, ít gặp, có cả chữ, số và ký hiệu, không dùng tên đăng nhập hay tên đơn vị."
    )]
    PasswordTooWeak(String),
    #[error(
        "Khóa bí mật quá ngắn hoặc dễ đoán: cần ít nhất 32 byte ngẫu nhiên, ví dụ `openssl rand -hex 32`."
    )]
    WeakSecret,
}

impl DomainError {
    /// A machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUnitCode(_) => "INVALID_UNIT_CODE",
            Self::UnknownLevel(_) => "UNKNOWN_LEVEL",
            Self::UnknownKind(_) => "UNKNOWN_KIND",
            Self::KindNotAtLevel { .. } => "KIND_NOT_AT_LEVEL",
            Self::UnknownRole(_) => "UNKNOWN_ROLE",
            Self::InvalidUsername => "INVALID_USERNAME",
            Self::InvalidDisplayName => "INVALID_DISPLAY_NAME",
            Self::PasswordTooShort => "PASSWORD_TOO_SHORT",
            Self::PasswordTooLong => "PASSWORD_TOO_LONG",
            Self::PasswordIsUsername => "PASSWORD_IS_USERNAME",
            Self::PasswordTooWeak(_) => "PASSWORD_TOO_WEAK",
            Self::WeakSecret => "WEAK_SECRET",
        }
    }
}
