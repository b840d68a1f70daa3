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
}

impl DomainError {
    /// A machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidUnitCode(_) => "INVALID_UNIT_CODE",
            Self::UnknownLevel(_) => "UNKNOWN_LEVEL",
            Self::UnknownKind(_) => "UNKNOWN_KIND",
            Self::KindNotAtLevel { .. } => "KIND_NOT_AT_LEVEL",
        }
    }
}
