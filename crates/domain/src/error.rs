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
    #[error(
        "Đường dẫn không phải trang Facebook: hãy dán địa chỉ của Trang, ví dụ https://www.facebook.com/mattranphuninh."
    )]
    PageUrlNotFacebook,
    #[error(
        "Đường dẫn này trỏ tới một bài viết, ảnh, video, tin, thước phim, sự kiện hoặc liên kết chia sẻ, không phải Trang: hãy mở Trang rồi dán địa chỉ của Trang, ví dụ https://www.facebook.com/mattranphuninh."
    )]
    PageUrlIsPost,
    #[error(
        "Đường dẫn này trỏ tới một Nhóm Facebook, không phải Trang: hãy dán địa chỉ của Trang, ví dụ https://www.facebook.com/mattranphuninh."
    )]
    PageUrlIsGroup,
    #[error(
        "Đường dẫn này không trỏ tới một Trang Facebook (tên người dùng của Trang gồm 5 đến 50 chữ cái không dấu, chữ số hoặc dấu chấm): hãy dán địa chỉ của Trang, ví dụ https://www.facebook.com/mattranphuninh."
    )]
    PageUrlNotAPage,
    #[error(
        "Số điện thoại không hợp lệ: số di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09; số máy bàn gồm 11 chữ số, bắt đầu bằng 02 (có thể viết +84 thay cho số 0 đầu)."
    )]
    InvalidPhone,
    #[error(
        "Họ và tên gồm 2 đến 100 ký tự: chữ cái, dấu cách, dấu nháy đơn, gạch ngang hoặc dấu chấm; không chứa chữ số, ký tự điều khiển hay ký tự ẩn."
    )]
    InvalidPersonName,
    #[error(
        "Chức vụ không được để trống, dài tối đa 100 ký tự và không chứa ký tự điều khiển hay ký tự ẩn."
    )]
    InvalidPosition,
    #[error(
        "Địa chỉ thư điện tử không hợp lệ: cần có dạng ten@tenmien.vn, không dấu, không dấu cách, dài tối đa 254 ký tự."
    )]
    InvalidEmail,
    #[error(
        "Tên trang không được để trống, dài tối đa 200 ký tự và không chứa ký tự điều khiển hay ký tự ẩn."
    )]
    InvalidPageName,
    #[error("Nội dung dài tối đa {0} ký tự.")]
    TextTooLong(usize),
    #[error("Nội dung chứa ký tự điều khiển hoặc ký tự ẩn.")]
    HiddenCharacters,
    #[error("Đường dẫn không hợp lệ: hãy nhập địa chỉ đầy đủ, bắt đầu bằng https://.")]
    InvalidWebUrl,
    #[error("Ngày thành lập không được ở sau ngày hôm nay.")]
    DateInFuture,
    #[error(
        "Tiêu đề không được để trống, dài tối đa 200 ký tự và không chứa ký tự điều khiển hay ký tự ẩn."
    )]
    InvalidTitle,
    #[error("Tỷ lệ chỉ tiêu phải từ 0% đến 100%.")]
    InvalidShare,
    #[error("Mỗi cấp chỉ có một chỉ tiêu; chỉ tiêu đặt cho cấp tỉnh, huyện hoặc xã.")]
    InvalidTargets,
    #[error(
        "Hãy chọn ít nhất một trạng thái được tính là đã có trang (đã thành lập, đã báo cáo, đã xác nhận, bị trả lại hoặc tạm ngưng)."
    )]
    InvalidCountedStatuses,
    #[error("Ngày kết thúc kỳ báo cáo không được trước ngày bắt đầu.")]
    PeriodReversed,
    #[error("Hạn chót không được trước ngày hôm nay.")]
    DeadlinePassed,
    #[error(
        "Đường dẫn không phải một bài viết trên Facebook: hãy mở bài viết, bấm «Sao chép liên kết» rồi dán vào đây, ví dụ https://www.facebook.com/mattranphuninh/posts/pfbid0abc…"
    )]
    PostUrlInvalid,
    #[error("Bài viết này thuộc một trang khác, không phải trang của đơn vị.")]
    PostOfAnotherPage,
    #[error("Thời điểm đăng bài không được ở sau thời điểm hiện tại.")]
    PublishedInFuture,
    #[error("Ngày kết thúc không được trước ngày bắt đầu.")]
    EndsBeforeStart,
    #[error(
        "Thẻ hashtag gồm dấu # và 1 đến 100 chữ cái, chữ số hoặc gạch dưới, không có dấu cách, ví dụ #DaiDoanKet."
    )]
    InvalidHashtag,
    #[error("Hãy chọn ít nhất một cấp tham gia.")]
    NoLevels,
    #[error("Danh sách có quá nhiều mục (tối đa {0}).")]
    TooManyItems(usize),
    #[error("Số liệu phải là số nguyên từ 0 đến 1.000.000.000.000.")]
    InvalidFigure,
    #[error("Hãy nhập ít nhất một số liệu.")]
    NoFigures,
    #[error("Một kỳ số liệu dài tối đa 366 ngày.")]
    PeriodTooLong,
    #[error(
        "Kỳ đánh giá viết dạng 2026-11 (tháng), 2026-Q4 (quý), 2026-H2 (6 tháng) hoặc 2026 (năm)."
    )]
    InvalidPeriod,
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
            Self::PageUrlNotFacebook => "PAGE_URL_NOT_FACEBOOK",
            Self::PageUrlIsPost => "PAGE_URL_IS_POST",
            Self::PageUrlIsGroup => "PAGE_URL_IS_GROUP",
            Self::PageUrlNotAPage => "PAGE_URL_NOT_A_PAGE",
            Self::InvalidPhone => "INVALID_PHONE",
            Self::InvalidPersonName => "INVALID_PERSON_NAME",
            Self::InvalidPosition => "INVALID_POSITION",
            Self::InvalidEmail => "INVALID_EMAIL",
            Self::InvalidPageName => "INVALID_PAGE_NAME",
            Self::TextTooLong(_) => "TEXT_TOO_LONG",
            Self::HiddenCharacters => "HIDDEN_CHARACTERS",
            Self::InvalidWebUrl => "INVALID_URL",
            Self::DateInFuture => "DATE_IN_FUTURE",
            Self::InvalidTitle => "INVALID_TITLE",
            Self::InvalidShare => "INVALID_SHARE",
            Self::InvalidTargets => "INVALID_TARGETS",
            Self::InvalidCountedStatuses => "INVALID_COUNTED_STATUSES",
            Self::PeriodReversed => "PERIOD_REVERSED",
            Self::DeadlinePassed => "DEADLINE_PASSED",
            Self::PostUrlInvalid => "POST_URL_INVALID",
            Self::PostOfAnotherPage => "POST_OF_ANOTHER_PAGE",
            Self::PublishedInFuture => "PUBLISHED_IN_FUTURE",
            Self::EndsBeforeStart => "ENDS_BEFORE_START",
            Self::InvalidHashtag => "INVALID_HASHTAG",
            Self::NoLevels => "NO_LEVELS",
            Self::TooManyItems(_) => "TOO_MANY_ITEMS",
            Self::InvalidFigure => "INVALID_FIGURE",
            Self::NoFigures => "NO_FIGURES",
            Self::PeriodTooLong => "PERIOD_TOO_LONG",
            Self::InvalidPeriod => "INVALID_PERIOD",
        }
    }
}
