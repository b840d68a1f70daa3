//! The CSV files that Meta Business Suite exports from a Page's Insights.
//!
//! Officers of small communes open Meta Business Suite → Insights for their Facebook Page,
//! press «Export data» and upload the files here, several at once. [`parse_file`] turns one
//! file's text into dated figures; [`merge`] joins the files of one page into one figure set
//! per day. Nothing here reads a file: the caller decodes it as UTF-8 and passes the text.
//!
//! Two layouts are read, with a comma, semicolon (Vietnamese Excel) or tab between fields,
//! detected from the header line (or named by a first line `sep=;`):
//!
//! 1. Meta's per-metric export: a line with the metric's title alone (`"Lượt xem"`,
//!    `"Facebook follows"`…), then `"Date","Primary"` (or `"Ngày","Chính"`), then one row
//!    per day, `"2026-11-01T00:00:00","123"`. The title names the metric.
//! 2. A table with a date column (`Date`, `Day`, `Ngày`, `Ngày tháng`) and one or more metric
//!    columns named in English or Vietnamese, as Insights' «Page data» or a spreadsheet an
//!    officer saved as CSV. Columns not recognised are ignored.
//!
//! Headers are matched folded (case, diacritics, punctuation and a trailing «trên Facebook»
//! do not count). A page column (`Page`, `Trang`, `Tên trang`…) or a line `Trang: …` before
//! the header names the page; a file naming another page is refused. Dates are ISO
//! (`2026-11-01`, `2026-11-01T00:00:00+07:00`) or written with slashes, day first when the
//! file speaks Vietnamese (or nothing), month first when it speaks English, the other order
//! when the whole file only makes sense that way.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::page_url::PageUrl;
use crate::text::{fold, has_hidden_characters};

/// Largest file text accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows one file may hold (a little under three years of days).
pub const MAX_ROWS: usize = 1_000;
/// Most digits of one figure.
const MAX_DIGITS: usize = 12;
/// Most non-empty lines read before the header line is given up on.
const MAX_PREAMBLE_LINES: usize = 20;
/// Longest value quoted back in a message, in characters.
const SHOWN_CHARS: usize = 60;
/// Most header names quoted back in a message.
const SHOWN_HEADERS: usize = 30;
/// Longest text (in bytes) worth matching as a column title or a title line.
const SHORT: usize = 200;
/// Years a figure may be dated in: Facebook Pages exist since 2007.
const YEARS: std::ops::RangeInclusive<i32> = 2004..=2099;

/// One figure a file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Everyone following the Page at the end of the day.
    Followers,
    /// People who started following the Page that day.
    NewFollows,
    /// Views (or reach, or impressions in older exports) that day.
    Views,
    /// Interactions with the Page's content that day.
    Engagements,
    /// Posts published that day.
    Posts,
}

impl Metric {
    /// Every metric, in the order figures are shown.
    pub const ALL: [Self; 5] = [
        Self::Followers,
        Self::NewFollows,
        Self::Views,
        Self::Engagements,
        Self::Posts,
    ];

    /// A machine-readable code for API clients.
    pub fn code(self) -> &'static str {
        match self {
            Self::Followers => "FOLLOWERS",
            Self::NewFollows => "NEW_FOLLOWS",
            Self::Views => "VIEWS",
            Self::Engagements => "ENGAGEMENTS",
            Self::Posts => "POSTS",
        }
    }

    /// The Vietnamese name an officer reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Followers => "Người theo dõi",
            Self::NewFollows => "Lượt theo dõi mới",
            Self::Views => "Lượt xem",
            Self::Engagements => "Lượt tương tác",
            Self::Posts => "Số bài viết",
        }
    }
}

/// One day's figures from the files of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub followers: Option<i64>,
    pub new_follows: Option<i64>,
    pub views: Option<i64>,
    pub engagements: Option<i64>,
    pub posts: Option<i64>,
}

impl DayFigures {
    /// A day with no figure yet.
    pub fn new(day: NaiveDate) -> Self {
        Self {
            day,
            followers: None,
            new_follows: None,
            views: None,
            engagements: None,
            posts: None,
        }
    }

    /// The figure for `metric`, if the files gave one.
    pub fn get(&self, metric: Metric) -> Option<i64> {
        match metric {
            Metric::Followers => self.followers,
            Metric::NewFollows => self.new_follows,
            Metric::Views => self.views,
            Metric::Engagements => self.engagements,
            Metric::Posts => self.posts,
        }
    }

    fn slot(&mut self, metric: Metric) -> &mut Option<i64> {
        match metric {
            Metric::Followers => &mut self.followers,
            Metric::NewFollows => &mut self.new_follows,
            Metric::Views => &mut self.views,
            Metric::Engagements => &mut self.engagements,
            Metric::Posts => &mut self.posts,
        }
    }

    /// Adds the figures of `other` (the same day); on a figure given twice with two values,
    /// changes nothing and names its metric.
    fn absorb(&mut self, other: &Self) -> Result<(), Metric> {
        for metric in Metric::ALL {
            if let (Some(mine), Some(theirs)) = (self.get(metric), other.get(metric))
                && mine != theirs
            {
                return Err(metric);
            }
        }
        for metric in Metric::ALL {
            if let Some(value) = other.get(metric) {
                *self.slot(metric) = Some(value);
            }
        }
        Ok(())
    }
}

/// One file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFile {
    /// The file's name, as uploaded.
    pub name: String,
    /// The figures it carries, in the order of its columns.
    pub metrics: Vec<Metric>,
    /// The page it names, if it names one (already checked against the page uploaded for).
    pub page_hint: Option<String>,
    /// One entry per day, oldest first.
    pub days: Vec<DayFigures>,
}

/// The page an upload is for, to refuse a file that names another page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageIdentity {
    /// Its name on Facebook.
    pub name: String,
    /// Its username, e.g. `mattranphuninh` (dots and case do not count).
    pub username: Option<String>,
    /// Its numeric id.
    pub facebook_id: Option<String>,
}

/// Why a file (or a set of files) cannot be read. [`CsvProblem::message`] is Vietnamese, for
/// the officer who uploaded it; [`CsvProblem::code`] is stable, for programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvProblem {
    /// Nothing but blanks.
    Empty,
    /// More than [`MAX_BYTES`].
    TooLarge,
    /// No header line with a date column (`detail` says what was missing, in Vietnamese).
    UnrecognisedLayout { detail: String },
    /// A header line with a date column but no column of a known metric.
    NoRecognisedColumn { headers: Vec<String> },
    /// A date that cannot be read, on line `line` (1-based) of the file.
    BadDate { line: usize, value: String },
    /// A figure that is not a whole number from 0 to 12 digits, on line `line`.
    BadNumber { line: usize, value: String },
    /// One day twice in one file, with different figures.
    DuplicateDay { day: NaiveDate },
    /// The file names another page.
    OtherPage { found: String },
    /// More than [`MAX_ROWS`] data rows.
    TooManyRows,
    /// Two files give different figures of `metric` for `day`.
    Conflict { day: NaiveDate, metric: Metric },
}

impl CsvProblem {
    /// A machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "CSV_EMPTY",
            Self::TooLarge => "CSV_TOO_LARGE",
            Self::UnrecognisedLayout { .. } => "CSV_UNRECOGNISED_LAYOUT",
            Self::NoRecognisedColumn { .. } => "CSV_NO_RECOGNISED_COLUMN",
            Self::BadDate { .. } => "CSV_BAD_DATE",
            Self::BadNumber { .. } => "CSV_BAD_NUMBER",
            Self::DuplicateDay { .. } => "CSV_DUPLICATE_DAY",
            Self::OtherPage { .. } => "CSV_OTHER_PAGE",
            Self::TooManyRows => "CSV_TOO_MANY_ROWS",
            Self::Conflict { .. } => "CSV_CONFLICT",
        }
    }

    /// What is wrong and what to do, in Vietnamese, for an officer.
    pub fn message(&self) -> String {
        match self {
            Self::Empty => {
                "Tệp không có dữ liệu: hãy mở Meta Business Suite → Thông tin chi tiết, \
                bấm «Xuất dữ liệu», chọn định dạng CSV rồi tải lên tệp vừa tải về."
                    .to_owned()
            }
            Self::TooLarge => "Tệp lớn hơn 5 MB, không phải tệp số liệu của Meta Business Suite: \
                hãy chọn đúng tệp CSV đã xuất, hoặc xuất lại cho khoảng thời gian ngắn hơn."
                .to_owned(),
            Self::UnrecognisedLayout { detail } => format!(
                "Không đọc được tệp: {detail}. Hãy tải lên tệp CSV xuất từ Meta Business Suite \
                 (Thông tin chi tiết → Xuất dữ liệu), hoặc một bảng có cột «Ngày» và các cột số liệu."
            ),
            Self::NoRecognisedColumn { headers } => {
                let found = if headers.is_empty() {
                    "không có tên cột".to_owned()
                } else {
                    headers
                        .iter()
                        .map(|h| format!("«{h}»"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!(
                    "Tệp không có cột số liệu nào được nhận ra (các cột trong tệp: {found}). \
                     Hãy đặt tên cột là «Người theo dõi», «Lượt theo dõi mới», «Lượt xem», \
                     «Lượt tương tác» hoặc «Số bài viết», hoặc tải lên tệp CSV xuất nguyên từ \
                     Meta Business Suite."
                )
            }
            Self::BadDate { line, value } => format!(
                "Dòng {line}: «{value}» không phải một ngày hợp lệ. Hãy ghi ngày dạng 2026-11-01 \
                 hoặc 01/11/2026 (ngày/tháng/năm) rồi tải lên lại."
            ),
            Self::BadNumber { line, value } => format!(
                "Dòng {line}: «{value}» không phải số liệu hợp lệ: hãy ghi số nguyên không âm, tối \
                 đa 12 chữ số, ví dụ 1234 hoặc 1.234, hoặc để trống ô nếu không có số liệu."
            ),
            Self::DuplicateDay { day } => format!(
                "Ngày {} có hai dòng với số liệu khác nhau trong cùng một tệp: hãy giữ lại một dòng \
                 đúng rồi tải lên lại.",
                day.format("%d/%m/%Y")
            ),
            Self::OtherPage { found } => format!(
                "Tệp này là số liệu của trang «{found}», không phải của trang đang báo cáo: hãy \
                 xuất dữ liệu từ đúng trang của đơn vị rồi tải lên lại."
            ),
            Self::TooManyRows => "Tệp có hơn 1.000 dòng số liệu: hãy xuất dữ liệu cho khoảng thời \
                gian ngắn hơn rồi tải lên lại."
                .to_owned(),
            Self::Conflict { day, metric } => format!(
                "Số liệu «{}» ngày {} khác nhau giữa các tệp đã chọn: hãy bỏ tệp bị trùng hoặc xuất \
                 lại dữ liệu rồi tải lên lại.",
                metric.label(),
                day.format("%d/%m/%Y")
            ),
        }
    }
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CsvProblem {}

/// Metric column titles, folded ([`key`]), best first within each metric: when a file has
/// two columns for one metric (`Reach` and `Impressions`), the one listed first is read.
const COLUMNS: &[(&str, Metric)] = &[
    ("followers", Metric::Followers),
    ("facebook followers", Metric::Followers),
    ("page followers", Metric::Followers),
    ("total followers", Metric::Followers),
    ("lifetime total likes", Metric::Followers),
    ("total likes", Metric::Followers),
    ("page likes", Metric::Followers),
    ("nguoi theo doi", Metric::Followers),
    ("luot theo doi trang", Metric::Followers),
    ("tong so nguoi theo doi", Metric::Followers),
    ("tong nguoi theo doi", Metric::Followers),
    ("so nguoi theo doi", Metric::Followers),
    ("new follows", Metric::NewFollows),
    ("follows", Metric::NewFollows),
    ("new followers", Metric::NewFollows),
    ("page follows", Metric::NewFollows),
    ("new likes", Metric::NewFollows),
    ("luot theo doi moi", Metric::NewFollows),
    ("nguoi theo doi moi", Metric::NewFollows),
    ("luot theo doi", Metric::NewFollows),
    ("views", Metric::Views),
    ("page views", Metric::Views),
    ("luot xem", Metric::Views),
    ("reach", Metric::Views),
    ("page reach", Metric::Views),
    ("post reach", Metric::Views),
    ("total reach", Metric::Views),
    ("luot tiep can", Metric::Views),
    ("so nguoi tiep can", Metric::Views),
    ("tiep can", Metric::Views),
    ("impressions", Metric::Views),
    ("page impressions", Metric::Views),
    ("total impressions", Metric::Views),
    ("luot hien thi", Metric::Views),
    ("engagements", Metric::Engagements),
    ("post engagements", Metric::Engagements),
    ("page engagements", Metric::Engagements),
    ("interactions", Metric::Engagements),
    ("content interactions", Metric::Engagements),
    ("luot tuong tac", Metric::Engagements),
    ("tuong tac", Metric::Engagements),
    ("tuong tac voi bai viet", Metric::Engagements),
    ("luot tuong tac voi noi dung", Metric::Engagements),
    ("posts", Metric::Posts),
    ("number of posts", Metric::Posts),
    ("bai viet", Metric::Posts),
    ("so bai viet", Metric::Posts),
    ("so bai dang", Metric::Posts),
    ("bai dang", Metric::Posts),
    ("so luong bai viet", Metric::Posts),
];

/// Date column titles, folded.
const DATE_COLUMNS: &[&str] = &[
    "date",
    "day",
    "ngay",
    "ngay thang",
    "ngay thang nam",
    "thoi gian",
    "date time",
    "datetime",
];

/// Titles of the one value column of Meta's per-metric export, folded.
const VALUE_COLUMNS: &[&str] = &["primary", "chinh", "value", "gia tri", "so lieu"];

/// Titles of a column (or a `Title: …` line) naming the page, folded.
const PAGE_COLUMNS: &[&str] = &[
    "page",
    "page name",
    "page id",
    "facebook page",
    "trang",
    "ten trang",
    "fanpage",
];

/// Words that make a header Vietnamese or English, to choose the order of a slashed date.
const VIETNAMESE_WORDS: &[&str] = &[
    "ngay", "thang", "luot", "nguoi", "theo", "doi", "xem", "tiep", "can", "tuong", "tac", "bai",
    "viet", "dang", "trang", "tong", "chinh", "moi",
];
const ENGLISH_WORDS: &[&str] = &[
    "date",
    "day",
    "followers",
    "follows",
    "views",
    "reach",
    "impressions",
    "engagements",
    "interactions",
    "posts",
    "page",
    "primary",
    "likes",
    "new",
    "total",
];

/// First words of a row that sums the others up, not a day.
const SUMMARY_WORDS: &[&str] = &["total", "tong", "sum", "cong", "trung binh", "average"];

/// Parses one file. `page` identifies the page the upload is for: a file whose page column or
/// `Trang: …` line names another page is refused.
pub fn parse_file(name: &str, text: &str, page: &PageIdentity) -> Result<ParsedFile, CsvProblem> {
    if text.len() > MAX_BYTES {
        return Err(CsvProblem::TooLarge);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text
        .chars()
        .all(|c| c.is_whitespace() || c == '\0' || c == '\u{feff}')
    {
        return Err(CsvProblem::Empty);
    }
    // One line ending: `\r\n` and a lone `\r` (old Mac Excel) become `\n`.
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let head = find_header(&text)?;
    let layout = Layout::of(&head)?;
    let rows = read_rows(&text[head.offset..], head.line, head.delimiter, &layout)?;

    let page_hint = head.page_hint.clone().or_else(|| {
        rows.iter()
            .find_map(|row| row.page.clone().filter(|p| !p.is_empty()))
    });
    if let Some(found) = &page_hint
        && !same_page(found, page)
    {
        return Err(CsvProblem::OtherPage {
            found: shown(found),
        });
    }
    for row in &rows {
        if let Some(found) = &row.page
            && !found.is_empty()
            && !same_page(found, page)
        {
            return Err(CsvProblem::OtherPage {
                found: shown(found),
            });
        }
    }

    let order = date_order(&rows, head.prefer);
    let mut days: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
    for row in &rows {
        let day = parse_date(&row.date, order).ok_or_else(|| CsvProblem::BadDate {
            line: row.line,
            value: shown(&row.date),
        })?;
        let mut figures = DayFigures::new(day);
        for (metric, cell) in &row.values {
            let value = parse_number(cell).map_err(|NotANumber| CsvProblem::BadNumber {
                line: row.line,
                value: shown(cell),
            })?;
            *figures.slot(*metric) = value;
        }
        match days.get_mut(&day) {
            Some(known) => known
                .absorb(&figures)
                .map_err(|_| CsvProblem::DuplicateDay { day })?,
            None => {
                days.insert(day, figures);
            }
        }
    }
    Ok(ParsedFile {
        name: name.to_owned(),
        metrics: layout.columns.iter().map(|&(_, metric)| metric).collect(),
        page_hint,
        days: days.into_values().collect(),
    })
}

/// Merges several parsed files (of one page) into one figure set per day, oldest first. A
/// figure given twice for one day with two values is a [`CsvProblem::Conflict`].
pub fn merge(files: &[ParsedFile]) -> Result<Vec<DayFigures>, CsvProblem> {
    let mut days: BTreeMap<NaiveDate, DayFigures> = BTreeMap::new();
    for file in files {
        for figures in &file.days {
            match days.get_mut(&figures.day) {
                Some(known) => {
                    known
                        .absorb(figures)
                        .map_err(|metric| CsvProblem::Conflict {
                            day: figures.day,
                            metric,
                        })?;
                }
                None => {
                    days.insert(figures.day, figures.clone());
                }
            }
        }
    }
    Ok(days.into_values().collect())
}

/// The order of day and month in a date written with slashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    DayFirst,
    MonthFirst,
}

impl Order {
    fn other(self) -> Self {
        match self {
            Self::DayFirst => Self::MonthFirst,
            Self::MonthFirst => Self::DayFirst,
        }
    }
}

/// The header line and what comes before it.
struct Header {
    /// Byte offset of the header line in the text.
    offset: usize,
    /// Its line number, 1-based.
    line: usize,
    delimiter: u8,
    /// Its fields, cleaned.
    fields: Vec<String>,
    /// Index of the date column.
    date: usize,
    /// Metric named by a title line before the header.
    title: Option<Metric>,
    /// Page named by a `Trang: …` line before the header.
    page_hint: Option<String>,
    /// The order of slashed dates the file's language suggests.
    prefer: Order,
}

/// Finds the first line (within the first [`MAX_PREAMBLE_LINES`] non-empty ones) that has a
/// date column and at least two fields, and reads the lines before it.
fn find_header(text: &str) -> Result<Header, CsvProblem> {
    let mut named_sep: Option<u8> = None;
    let mut preamble: Vec<&str> = Vec::new();
    let mut offset = 0;
    let mut seen = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches('\n');
        if line.trim().is_empty() {
            continue;
        }
        seen += 1;
        if seen > MAX_PREAMBLE_LINES {
            break;
        }
        if seen == 1
            && let Some(sep) = sep_line(line)
        {
            named_sep = Some(sep);
            continue;
        }
        if let Some((delimiter, fields, date)) = header_fields(line, named_sep) {
            let mut title = None;
            let mut page_hint = None;
            let mut votes = (0, 0);
            for before in &preamble {
                let cells: Vec<String> = split_record(before, delimiter)
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .collect();
                if let Some(hint) = page_line(&cells) {
                    page_hint.get_or_insert(hint);
                    continue;
                }
                let joined = cells.join(" ");
                if title.is_none() && joined.len() <= SHORT {
                    title = title_metric(&joined);
                    if title.is_some() {
                        tally(&joined, &mut votes);
                    }
                }
            }
            for field in &fields {
                tally(field, &mut votes);
            }
            let prefer = if votes.1 > votes.0 {
                Order::MonthFirst
            } else {
                Order::DayFirst
            };
            return Ok(Header {
                offset: start,
                line: index + 1,
                delimiter,
                fields,
                date,
                title,
                page_hint,
                prefer,
            });
        }
        preamble.push(line);
    }
    Err(CsvProblem::UnrecognisedLayout {
        detail: "không tìm thấy dòng tiêu đề có cột ngày («Date» hoặc «Ngày»)".to_owned(),
    })
}

/// The delimiter a line `sep=;` names.
fn sep_line(line: &str) -> Option<u8> {
    let line = line.trim().trim_matches('"').trim();
    let rest = line
        .strip_prefix("sep=")
        .or_else(|| line.strip_prefix("SEP="))?;
    match rest.trim_end_matches('"') {
        "," => Some(b','),
        ";" => Some(b';'),
        "\t" => Some(b'\t'),
        "|" => Some(b'|'),
        _ => None,
    }
}

/// The line's fields and the index of its date column, split with the delimiter that makes
/// it a header (the named one, or whichever of `,` `;` tab gives the most fields).
fn header_fields(line: &str, named: Option<u8>) -> Option<(u8, Vec<String>, usize)> {
    let candidates: &[u8] = match named {
        Some(ref sep) => std::slice::from_ref(sep),
        None => b",;\t",
    };
    let mut best: Option<(u8, Vec<String>, usize)> = None;
    for &delimiter in candidates {
        let fields = split_record(line, delimiter);
        if fields.len() < 2 {
            continue;
        }
        let Some(date) = fields
            .iter()
            .position(|f| f.len() <= SHORT && DATE_COLUMNS.contains(&key(f).as_str()))
        else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|(_, known, _)| fields.len() > known.len())
        {
            best = Some((delimiter, fields, date));
        }
    }
    best
}

/// The page a preamble line `Trang: …` or `"Page","…"` names.
fn page_line(cells: &[String]) -> Option<String> {
    match cells {
        [one] => {
            let (label, value) = one.split_once(':')?;
            let value = clean(value);
            (PAGE_COLUMNS.contains(&key(label).as_str()) && !value.is_empty())
                .then(|| value.to_owned())
        }
        [label, value] => PAGE_COLUMNS
            .contains(&key(label.trim_end_matches(':')).as_str())
            .then(|| value.clone()),
        _ => None,
    }
}

/// Counts `text` as Vietnamese (`votes.0`) and/or English (`votes.1`).
fn tally(text: &str, votes: &mut (u32, u32)) {
    let folded = key(text);
    let words: Vec<&str> = folded.split(' ').collect();
    let marked = fold(text) != text.trim().to_lowercase();
    if marked || words.iter().any(|w| VIETNAMESE_WORDS.contains(w)) {
        votes.0 += 1;
    }
    if words.iter().any(|w| ENGLISH_WORDS.contains(w)) {
        votes.1 += 1;
    }
}

/// Which columns carry what.
struct Layout {
    date: usize,
    page: Option<usize>,
    /// Metric columns, in the order of the header.
    columns: Vec<(usize, Metric)>,
}

impl Layout {
    fn of(head: &Header) -> Result<Self, CsvProblem> {
        let mut page = None;
        // Per metric: (rank in COLUMNS, column index).
        let mut best: BTreeMap<Metric, (usize, usize)> = BTreeMap::new();
        let mut value = None;
        let mut others = Vec::new();
        for (index, field) in head.fields.iter().enumerate() {
            if index == head.date {
                continue;
            }
            let folded = key(field);
            if PAGE_COLUMNS.contains(&folded.as_str()) {
                page.get_or_insert(index);
            } else if let Some((rank, metric)) = column_metric(&folded) {
                let entry = best.entry(metric).or_insert((rank, index));
                if rank < entry.0 {
                    *entry = (rank, index);
                }
            } else if VALUE_COLUMNS.contains(&folded.as_str()) {
                value.get_or_insert(index);
            } else if !folded.is_empty() {
                others.push(index);
            }
        }
        let mut columns: Vec<(usize, Metric)> = best
            .into_iter()
            .map(|(metric, (_, index))| (index, metric))
            .collect();
        columns.sort_unstable();
        if columns.is_empty()
            && let Some(title) = head.title
        {
            let only = match others.as_slice() {
                [one] => Some(*one),
                _ => None,
            };
            if let Some(index) = value.or(only) {
                columns.push((index, title));
            }
        }
        if columns.is_empty() {
            return Err(CsvProblem::NoRecognisedColumn {
                headers: head
                    .fields
                    .iter()
                    .filter(|f| !f.is_empty())
                    .take(SHOWN_HEADERS)
                    .map(|f| shown(f))
                    .collect(),
            });
        }
        Ok(Self {
            date: head.date,
            page,
            columns,
        })
    }
}

/// One data row, as text.
struct Row {
    line: usize,
    date: String,
    page: Option<String>,
    values: Vec<(Metric, String)>,
}

/// Reads the rows after the header (`text` starts with the header line, line `first` of the
/// file), skipping blank rows, repeated headers and rows that sum up the others.
fn read_rows(
    text: &str,
    first: usize,
    delimiter: u8,
    layout: &Layout,
) -> Result<Vec<Row>, CsvProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut header_seen = false;
    // The line of the record read last, and the byte up to which lines are counted.
    let mut line = first;
    let mut counted = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                return Err(CsvProblem::UnrecognisedLayout {
                    detail: format!("phần sau dòng {line} không đúng định dạng CSV"),
                });
            }
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        // The reader does not count blank lines, and places a record after them at its first
        // blank line: count the line ends before the record itself.
        let mut at = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counted)
            .clamp(counted, text.len());
        while text.as_bytes().get(at) == Some(&b'\n') {
            at += 1;
        }
        line += text
            .get(counted..at)
            .map_or(0, |between| between.matches('\n').count());
        counted = at;
        let cell = |index: usize| clean(record.get(index).unwrap_or(""));
        let date = cell(layout.date);
        let values: Vec<(Metric, String)> = layout
            .columns
            .iter()
            .map(|&(index, metric)| (metric, cell(index).to_owned()))
            .collect();
        if date.is_empty() {
            // A blank row, or the row of descriptions under old exports' header.
            let figures = values
                .iter()
                .any(|(_, v)| v.starts_with(|c: char| c.is_ascii_digit()));
            if figures {
                return Err(CsvProblem::BadDate {
                    line,
                    value: String::new(),
                });
            }
            continue;
        }
        let folded = key(date);
        if DATE_COLUMNS.contains(&folded.as_str())
            || SUMMARY_WORDS
                .iter()
                .any(|w| folded == *w || folded.starts_with(&format!("{w} ")))
        {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(CsvProblem::TooManyRows);
        }
        rows.push(Row {
            line,
            date: date.to_owned(),
            page: layout.page.map(|index| cell(index).to_owned()),
            values,
        });
    }
    Ok(rows)
}

/// Splits one line into cleaned fields.
fn split_record(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|f| clean(f).to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// A field without the spaces and stray quotes around it.
fn clean(field: &str) -> &str {
    field.trim().trim_matches('"').trim()
}

/// A header folded for matching: no case, no diacritics, punctuation as spaces.
fn key(text: &str) -> String {
    let folded = fold(text);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The metric a column title names, and its rank in [`COLUMNS`]. A leading `Facebook`,
/// `Daily` or `Lifetime` and a trailing `Facebook`, `on Facebook` or `trên Facebook` do not
/// count.
fn column_metric(folded: &str) -> Option<(usize, Metric)> {
    let find = |k: &str| {
        COLUMNS
            .iter()
            .position(|(name, _)| *name == k)
            .map(|rank| (rank, COLUMNS[rank].1))
    };
    if let Some(found) = find(folded) {
        return Some(found);
    }
    let mut k = folded;
    for suffix in [" tren facebook", " on facebook", " facebook"] {
        k = k.strip_suffix(suffix).unwrap_or(k);
    }
    for prefix in ["facebook ", "daily ", "lifetime ", "hang ngay "] {
        k = k.strip_prefix(prefix).unwrap_or(k);
    }
    find(k)
}

/// The metric a title line names: its last part after ` - ` (the page's name may come first)
/// or the whole line, as a column title, else the longest column title it contains as words.
fn title_metric(title: &str) -> Option<Metric> {
    let parts = [title.rsplit(" - ").next().unwrap_or(title), title];
    for part in parts {
        if let Some((_, metric)) = column_metric(&key(part)) {
            return Some(metric);
        }
    }
    for part in parts {
        let words = format!(" {} ", key(part));
        let found = COLUMNS
            .iter()
            .filter(|(name, _)| words.contains(&format!(" {name} ")))
            .max_by_key(|(name, _)| name.len());
        if let Some((_, metric)) = found {
            return Some(*metric);
        }
    }
    None
}

/// Whether the page a file names is `page`: the same name (folded), username (dots, case and
/// a leading `@` do not count; a link to the page counts) or numeric id. What cannot be
/// checked is let through: a number (or a link by number) when `page` has no id, a username
/// (or a link by username) when `page` has no username.
fn same_page(found: &str, page: &PageIdentity) -> bool {
    let found = found.trim();
    if key(found) == key(&page.name) {
        return true;
    }
    let handle = |name: &str| {
        name.trim()
            .trim_start_matches('@')
            .replace('.', "")
            .to_ascii_lowercase()
    };
    let known = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let same_id = |id: &str| known(&page.facebook_id).is_none_or(|known| known == id);
    let same_username =
        |name: &str| known(&page.username).is_none_or(|known| handle(&known) == handle(name));
    if let Ok(url) = PageUrl::parse(found) {
        if let Some(id) = url.profile_id() {
            return same_id(id);
        }
        if let Some(name) = url.username() {
            return same_username(name);
        }
    }
    let bare = found.trim_start_matches('@');
    if !bare.is_empty() && bare.bytes().all(|b| b.is_ascii_digit()) {
        return same_id(bare);
    }
    let handle_like = !bare.is_empty()
        && bare.len() <= PageUrl::USERNAME_MAX
        && bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
    handle_like && same_username(bare)
}

/// The order to read slashed dates in: the one the language suggests, unless some date is
/// impossible that way and every date makes sense the other way.
fn date_order(rows: &[Row], prefer: Order) -> Order {
    let fails = |order: Order| rows.iter().any(|r| parse_date(&r.date, order).is_none());
    if fails(prefer) && !fails(prefer.other()) {
        prefer.other()
    } else {
        prefer
    }
}

/// Reads `2026-11-01`, `2026-11-01T00:00:00+07:00`, `2026/11/01`, `01/11/2026` (in `order`),
/// `1-11-2026 00:00`, `01.11.2026`: the date part only.
fn parse_date(raw: &str, order: Order) -> Option<NaiveDate> {
    let raw = raw.trim();
    let (date, time) = match raw.find(['T', 't', ' ']) {
        Some(at) => (&raw[..at], Some(raw[at + 1..].trim())),
        None => (raw, None),
    };
    if let Some(time) = time {
        let timelike = time.starts_with(|c: char| c.is_ascii_digit())
            && time.len() <= 40
            && time
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '+' | '-' | ' '));
        if !timelike {
            return None;
        }
    }
    let sep = date.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = date.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a, 4..=4)?, number(b, 1..=2)?, number(c, 1..=2)?)
    } else {
        let year = number(c, 4..=4)?;
        let (first, second) = (number(a, 1..=2)?, number(b, 1..=2)?);
        match order {
            Order::DayFirst => (year, second, first),
            Order::MonthFirst => (year, first, second),
        }
    };
    let day = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    YEARS.contains(&day.year()).then_some(day)
}

/// A cell that is not a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NotANumber;

/// Reads a figure: digits with `,` `.` or space between thousands, or with a decimal part of
/// zeros only (`12.0`). `Ok(None)` for an empty cell.
fn parse_number(raw: &str) -> Result<Option<i64>, NotANumber> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // Groups of digits and the separators between them (any space counts as one).
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        let sep = match c {
            ',' | '.' => c,
            c if c.is_whitespace() => ' ',
            _ => return Err(NotANumber),
        };
        groups.push(&text[start..at]);
        seps.push(sep);
        start = at + c.len_utf8();
    }
    groups.push(&text[start..]);
    if groups.iter().any(|g| g.is_empty()) {
        return Err(NotANumber);
    }
    let thousands = |groups: &[&str], seps: &[char]| {
        seps.windows(2).all(|w| w[0] == w[1])
            && groups
                .first()
                .is_some_and(|g| g.len() <= 3 || groups.len() == 1)
            && groups.iter().skip(1).all(|g| g.len() == 3)
    };
    let digits: String = if thousands(&groups, &seps) {
        groups.concat()
    } else {
        // A decimal part, of zeros only, after a separator no other one repeats.
        let (last, whole) = groups.split_last().ok_or(NotANumber)?;
        let (point, others) = seps.split_last().ok_or(NotANumber)?;
        let integral = *point != ' '
            && last.bytes().all(|b| b == b'0')
            && !others.contains(point)
            && thousands(whole, others);
        if !integral {
            return Err(NotANumber);
        }
        whole.concat()
    };
    let digits = digits.trim_start_matches('0');
    if digits.len() > MAX_DIGITS {
        return Err(NotANumber);
    }
    if digits.is_empty() {
        return Ok(Some(0));
    }
    digits.parse::<i64>().map(Some).map_err(|_| NotANumber)
}

/// A value fit to quote back in a message: no hidden characters, at most [`SHOWN_CHARS`].
fn shown(value: &str) -> String {
    let mut buf = [0; 4];
    let visible: String = value
        .chars()
        .filter(|c| !has_hidden_characters(c.encode_utf8(&mut buf)))
        .collect();
    let visible = visible.trim();
    if visible.chars().count() > SHOWN_CHARS {
        let cut: String = visible.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        visible.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::fmt::Write as _;

    fn page() -> PageIdentity {
        PageIdentity {
            name: "Mặt trận Phú Ninh".to_owned(),
            username: Some("mattranphuninh".to_owned()),
            facebook_id: Some("100089123456789".to_owned()),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn parse(text: &str) -> ParsedFile {
        match parse_file("test.csv", text, &page()) {
            Ok(file) => file,
            Err(e) => panic!("{}: {}\n{text}", e.code(), e.message()),
        }
    }

    fn problem(text: &str) -> CsvProblem {
        match parse_file("test.csv", text, &page()) {
            Ok(file) => panic!("parsed: {file:?}\n{text}"),
            Err(e) => e,
        }
    }

    /// `(day, metric, value)` for every figure, for short comparisons.
    fn figures(days: &[DayFigures]) -> Vec<(NaiveDate, Metric, i64)> {
        days.iter()
            .flat_map(|d| {
                Metric::ALL
                    .iter()
                    .filter_map(move |&m| d.get(m).map(|v| (d.day, m, v)))
            })
            .collect()
    }

    /// Meta Business Suite, Vietnamese interface, per-metric export with BOM and `sep=,`.
    const MBS_VI_VIEWS: &str = "\u{feff}sep=,\r\n\"Lượt xem\"\r\n\"Ngày\",\"Chính\"\r\n\
        \"2026-11-01T00:00:00\",\"123\"\r\n\"2026-11-02T00:00:00\",\"1,045\"\r\n\
        \"2026-11-03T00:00:00\",\"0\"\r\n";

    /// The same, English interface, followers, no BOM.
    const MBS_EN_FOLLOWS: &str = "sep=,\n\"Facebook follows\"\n\"Date\",\"Primary\"\n\
        \"2026-11-01T00:00:00\",\"4\"\n\"2026-11-02T00:00:00\",\"7\"\n\
        \"2026-11-03T00:00:00\",\"\"\n";

    /// Vietnamese interface, total followers, offset in the timestamps, title with the page.
    const MBS_VI_FOLLOWERS: &str = "\u{feff}\"Mặt trận Phú Ninh - Người theo dõi trên Facebook\"\n\
        \"Ngày\",\"Primary\"\n\"2026-11-01T00:00:00+07:00\",\"2.310\"\n\
        \"2026-11-02T00:00:00Z\",\"2.317\"\n\"2026-11-03\",\"2.317\"\n";

    /// English interactions, a trailing blank line.
    const MBS_EN_INTERACTIONS: &str = "sep=,\n\"Interactions\"\n\"Date\",\"Primary\"\n\
        \"2026-11-02T00:00:00\",\"31\"\n\"2026-11-03T00:00:00\",\"12\"\n\n";

    /// An officer's spreadsheet saved by Vietnamese Excel: semicolons, DD/MM/YYYY, a page
    /// column, a total row, a column nobody asked for.
    const SHEET_VI: &str = "Ngày;Trang;Người theo dõi;Lượt tiếp cận;Lượt tương tác;Số bài viết;Ghi chú\n\
        01/11/2026;Mặt trận Phú Ninh;2 310;1.200;45;2;\"Tuần lễ; đại đoàn kết\"\n\
        02/11/2026;Mặt trận Phú Ninh;2 317;980;31;1;\n\
        13/11/2026;Mặt Trận Phú Ninh;2 350;1.005;;0;\n\
        Tổng cộng;;;3.185;76;3;\n";

    /// Insights «Page data» style, English, month first, tab separated.
    const PAGE_DATA_EN: &str = "Date\tPage\tLifetime Total Likes\tDaily New Likes\tDaily Total Reach\tDaily Total Impressions\tPosts\n\
        \tLifetime: The total number of people who have liked your Page.\tDaily: new likes\tDaily: reach\tDaily: impressions\t\n\
        11/01/2026\tmattranphuninh\t2,310\t4\t1,200\t3,000\t2\n\
        11/02/2026\tmattranphuninh\t2,317\t7\t980\t2,500\t1\n";

    #[test]
    fn reads_meta_per_metric_exports() {
        let views = parse(MBS_VI_VIEWS);
        assert_eq!(views.metrics, vec![Metric::Views]);
        assert_eq!(views.page_hint, None);
        assert_eq!(
            figures(&views.days),
            vec![
                (date(2026, 11, 1), Metric::Views, 123),
                (date(2026, 11, 2), Metric::Views, 1045),
                (date(2026, 11, 3), Metric::Views, 0),
            ]
        );
        let follows = parse(MBS_EN_FOLLOWS);
        assert_eq!(follows.metrics, vec![Metric::NewFollows]);
        assert_eq!(follows.days.len(), 3);
        assert_eq!(follows.days[2].new_follows, None);
        let followers = parse(MBS_VI_FOLLOWERS);
        assert_eq!(followers.metrics, vec![Metric::Followers]);
        assert_eq!(
            figures(&followers.days),
            vec![
                (date(2026, 11, 1), Metric::Followers, 2310),
                (date(2026, 11, 2), Metric::Followers, 2317),
                (date(2026, 11, 3), Metric::Followers, 2317),
            ]
        );
        let interactions = parse(MBS_EN_INTERACTIONS);
        assert_eq!(interactions.metrics, vec![Metric::Engagements]);
        assert_eq!(interactions.days.len(), 2);
    }

    #[test]
    fn reads_titles_in_both_languages() {
        for (title, metric) in [
            ("Lượt xem", Metric::Views),
            ("Views", Metric::Views),
            ("Reach", Metric::Views),
            ("Lượt tiếp cận", Metric::Views),
            ("Facebook Page reach", Metric::Views),
            ("Người theo dõi trên Facebook", Metric::Followers),
            ("Facebook followers", Metric::Followers),
            ("Facebook follows", Metric::NewFollows),
            ("Lượt theo dõi trên Facebook", Metric::NewFollows),
            ("Người theo dõi mới", Metric::NewFollows),
            ("Lượt tương tác", Metric::Engagements),
            ("Interactions", Metric::Engagements),
            ("Content interactions", Metric::Engagements),
        ] {
            let text =
                format!("\"{title}\"\n\"Date\",\"Primary\"\n\"2026-11-01T00:00:00\",\"5\"\n");
            assert_eq!(parse(&text).metrics, vec![metric], "{title}");
        }
    }

    #[test]
    fn reads_a_vietnamese_spreadsheet() {
        let file = parse(SHEET_VI);
        assert_eq!(
            file.metrics,
            vec![
                Metric::Followers,
                Metric::Views,
                Metric::Engagements,
                Metric::Posts
            ]
        );
        assert_eq!(file.page_hint.as_deref(), Some("Mặt trận Phú Ninh"));
        assert_eq!(file.days.len(), 3);
        assert_eq!(
            file.days[0],
            DayFigures {
                day: date(2026, 11, 1),
                followers: Some(2310),
                new_follows: None,
                views: Some(1200),
                engagements: Some(45),
                posts: Some(2),
            }
        );
        assert_eq!(file.days[2].day, date(2026, 11, 13));
        assert_eq!(file.days[2].engagements, None);
        assert_eq!(file.days[2].posts, Some(0));
    }

    #[test]
    fn reads_an_english_page_data_export() {
        let file = parse(PAGE_DATA_EN);
        assert_eq!(
            file.metrics,
            vec![
                Metric::Followers,
                Metric::NewFollows,
                Metric::Views,
                Metric::Posts
            ]
        );
        assert_eq!(file.page_hint.as_deref(), Some("mattranphuninh"));
        // Month first, and reach is read rather than impressions.
        assert_eq!(
            file.days[1],
            DayFigures {
                day: date(2026, 11, 2),
                followers: Some(2317),
                new_follows: Some(7),
                views: Some(980),
                engagements: None,
                posts: Some(1),
            }
        );
    }

    #[test]
    fn chooses_the_order_of_slashed_dates() {
        // Vietnamese headers: day first.
        let vi = parse("Ngày,Lượt xem\n03/11/2026,5\n");
        assert_eq!(vi.days[0].day, date(2026, 11, 3));
        // English headers: month first.
        let en = parse("Date,Views\n03/11/2026,5\n");
        assert_eq!(en.days[0].day, date(2026, 3, 11));
        // English headers, but only day first makes sense.
        let swapped = parse("Date,Views\n03/11/2026,5\n25/11/2026,6\n");
        assert_eq!(swapped.days[1].day, date(2026, 11, 25));
        assert_eq!(swapped.days[0].day, date(2026, 11, 3));
        // Vietnamese headers, but only month first makes sense.
        let other = parse("Ngày;Lượt xem\n11/25/2026;5\n");
        assert_eq!(other.days[0].day, date(2026, 11, 25));
        // No hint either way (a value column under a title nobody recognised is not a
        // layout; an unmarked spreadsheet is): day first.
        let neutral = parse("Ngay,Views,Luot xem\n03/11/2026,5,5\n");
        assert_eq!(neutral.days[0].day, date(2026, 11, 3));
        // ISO with slashes, single digits, a time after a space.
        let loose = parse("Ngày,Lượt xem\n2026/11/01,1\n2/11/2026 00:00:00,2\n3.11.2026,3\n");
        assert_eq!(
            loose.days.iter().map(|d| d.day).collect::<Vec<_>>(),
            vec![date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
        );
    }

    #[test]
    fn reads_numbers() {
        for (raw, want) in [
            ("0", Some(0)),
            ("1234", Some(1234)),
            ("1,234", Some(1234)),
            ("1.234", Some(1234)),
            ("1 234", Some(1234)),
            ("1\u{a0}234\u{a0}567", Some(1_234_567)),
            ("12.0", Some(12)),
            ("1,234.00", Some(1234)),
            ("1.234,0", Some(1234)),
            ("999999999999", Some(999_999_999_999)),
            ("000012", Some(12)),
        ] {
            assert_eq!(parse_number(raw), Ok(want), "{raw}");
        }
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("  "), Ok(None));
        for bad in [
            "-5",
            "12.5",
            "1,23",
            "1.234.5",
            "1234,567.890",
            "1000000000000",
            "abc",
            "12a",
            ".5",
            "5.",
            "1,,234",
            "(5)",
            "+5",
            "1 2",
            "1e5",
            "٣",
        ] {
            assert_eq!(parse_number(bad), Err(NotANumber), "{bad}");
        }
    }

    #[test]
    fn merges_three_per_metric_files() {
        let files = [
            parse(MBS_VI_VIEWS),
            parse(MBS_EN_FOLLOWS),
            parse(MBS_EN_INTERACTIONS),
        ];
        let days = merge(&files).expect("no conflict");
        assert_eq!(
            days,
            vec![
                DayFigures {
                    day: date(2026, 11, 1),
                    followers: None,
                    new_follows: Some(4),
                    views: Some(123),
                    engagements: None,
                    posts: None,
                },
                DayFigures {
                    day: date(2026, 11, 2),
                    followers: None,
                    new_follows: Some(7),
                    views: Some(1045),
                    engagements: Some(31),
                    posts: None,
                },
                DayFigures {
                    day: date(2026, 11, 3),
                    followers: None,
                    new_follows: None,
                    views: Some(0),
                    engagements: Some(12),
                    posts: None,
                },
            ]
        );
        // The same file twice agrees with itself.
        assert_eq!(
            merge(&[parse(MBS_VI_VIEWS), parse(MBS_VI_VIEWS)]).expect("same"),
            merge(&[parse(MBS_VI_VIEWS)]).expect("one")
        );
        assert_eq!(merge(&[]), Ok(Vec::new()));
    }

    #[test]
    fn merge_refuses_two_values_for_one_figure() {
        let other = parse("\"Views\"\n\"Date\",\"Primary\"\n\"2026-11-02T00:00:00\",\"99\"\n");
        let e = merge(&[parse(MBS_VI_VIEWS), other]).expect_err("conflict");
        assert_eq!(
            e,
            CsvProblem::Conflict {
                day: date(2026, 11, 2),
                metric: Metric::Views
            }
        );
        assert_eq!(e.code(), "CSV_CONFLICT");
        assert!(e.message().contains("02/11/2026"), "{}", e.message());
        assert!(e.message().contains("Lượt xem"), "{}", e.message());
    }

    #[test]
    fn refuses_empty_and_oversized_files() {
        for text in ["", "\u{feff}", "  \r\n\n\t", "\0\0"] {
            assert_eq!(problem(text), CsvProblem::Empty, "{text:?}");
        }
        let big = "a".repeat(MAX_BYTES + 1);
        assert_eq!(problem(&big), CsvProblem::TooLarge);
    }

    #[test]
    fn refuses_files_without_a_date_header() {
        for text in [
            "hello world",
            "Lượt xem,Người theo dõi\n5,6\n",
            "\"Lượt xem\"\n\"Primary\"\n\"5\"\n",
            "{\"json\": true}",
            &"\n\"x\"".repeat(40),
        ] {
            let e = problem(text);
            assert_eq!(e.code(), "CSV_UNRECOGNISED_LAYOUT", "{text:?}");
            assert!(e.message().contains("Ngày"), "{}", e.message());
        }
    }

    #[test]
    fn refuses_files_without_a_known_metric() {
        let e = problem("Ngày,Ghi chú,Thời tiết\n01/11/2026,a,b\n");
        assert_eq!(
            e,
            CsvProblem::NoRecognisedColumn {
                headers: vec!["Ngày".into(), "Ghi chú".into(), "Thời tiết".into()]
            }
        );
        assert_eq!(e.code(), "CSV_NO_RECOGNISED_COLUMN");
        assert!(e.message().contains("«Ghi chú»"), "{}", e.message());
        // A per-metric export whose title is unknown.
        let e = problem("\"Link clicks\"\n\"Date\",\"Primary\"\n\"2026-11-01T00:00:00\",\"5\"\n");
        assert_eq!(e.code(), "CSV_NO_RECOGNISED_COLUMN");
    }

    #[test]
    fn refuses_bad_dates_with_their_line() {
        let e = problem(
            "sep=,\n\"Lượt xem\"\n\"Ngày\",\"Chính\"\n\"2026-11-01\",\"1\"\n\n\"2026-13-01\",\"2\"\n",
        );
        assert_eq!(
            e,
            CsvProblem::BadDate {
                line: 6,
                value: "2026-13-01".into()
            }
        );
        assert_eq!(e.code(), "CSV_BAD_DATE");
        assert!(
            e.message().starts_with("Dòng 6: «2026-13-01»"),
            "{}",
            e.message()
        );
        for bad in [
            "31/02/2026",
            "yesterday",
            "46327",
            "1899-01-01",
            "2026-11-01Tnoon",
            "01/11/26",
            "13/13/2026",
        ] {
            let e = problem(&format!("Ngày,Lượt xem\n{bad},5\n"));
            assert_eq!(
                e,
                CsvProblem::BadDate {
                    line: 2,
                    value: bad.into()
                },
                "{bad}"
            );
        }
        // A figure without a date.
        let e = problem("Ngày,Lượt xem\n01/11/2026,5\n,6\n");
        assert_eq!(
            e,
            CsvProblem::BadDate {
                line: 3,
                value: String::new()
            }
        );
    }

    #[test]
    fn refuses_bad_numbers_with_their_line() {
        let e = problem("Ngày;Lượt xem;Người theo dõi\n01/11/2026;5;10\n02/11/2026;-3;10\n");
        assert_eq!(
            e,
            CsvProblem::BadNumber {
                line: 3,
                value: "-3".into()
            }
        );
        assert_eq!(e.code(), "CSV_BAD_NUMBER");
        assert!(e.message().contains("Dòng 3"), "{}", e.message());
        // Lines count as an editor shows them: blank lines, Windows line ends and line
        // breaks inside quotes.
        assert_eq!(
            problem("Ngày,Ghi chú,Lượt xem\r\n\r\n01/11/2026,\"a\r\nb\",5\r\n02/11/2026,x,1/2\r\n"),
            CsvProblem::BadNumber {
                line: 5,
                value: "1/2".into()
            }
        );
        assert_eq!(
            problem("Date,Views\n2026-11-01,12.5\n"),
            CsvProblem::BadNumber {
                line: 2,
                value: "12.5".into()
            }
        );
    }

    #[test]
    fn refuses_one_day_twice_with_two_values() {
        let e = problem("Ngày,Lượt xem\n01/11/2026,5\n2026-11-01,6\n");
        assert_eq!(
            e,
            CsvProblem::DuplicateDay {
                day: date(2026, 11, 1)
            }
        );
        assert_eq!(e.code(), "CSV_DUPLICATE_DAY");
        assert!(e.message().contains("01/11/2026"), "{}", e.message());
        // Twice with one value, or filling each other's gaps, is one day.
        let file = parse("Ngày,Lượt xem,Số bài viết\n01/11/2026,5,\n01/11/2026,5,2\n");
        assert_eq!(file.days.len(), 1);
        assert_eq!(file.days[0].posts, Some(2));
    }

    #[test]
    fn refuses_files_of_another_page() {
        let e = problem("Ngày;Trang;Lượt xem\n01/11/2026;Mặt trận Tam Kỳ;5\n");
        assert_eq!(
            e,
            CsvProblem::OtherPage {
                found: "Mặt trận Tam Kỳ".into()
            }
        );
        assert_eq!(e.code(), "CSV_OTHER_PAGE");
        assert!(e.message().contains("«Mặt trận Tam Kỳ»"), "{}", e.message());
        // A second page further down.
        let e = problem(
            "Ngày;Trang;Lượt xem\n01/11/2026;mattranphuninh;5\n02/11/2026;mattrantamky;5\n",
        );
        assert_eq!(
            e,
            CsvProblem::OtherPage {
                found: "mattrantamky".into()
            }
        );
        // A `Trang:` line before the header.
        let e = problem(
            "Trang: Mặt trận Tam Kỳ\n\"Lượt xem\"\n\"Ngày\",\"Chính\"\n\"2026-11-01\",\"1\"\n",
        );
        assert_eq!(e.code(), "CSV_OTHER_PAGE");
        let e = problem(
            "\"Page\",\"987654321\"\n\"Views\"\n\"Date\",\"Primary\"\n\"2026-11-01\",\"1\"\n",
        );
        assert_eq!(
            e,
            CsvProblem::OtherPage {
                found: "987654321".into()
            }
        );
        // Hidden characters do not reach the message.
        let e = problem("Ngày,Trang,Lượt xem\n01/11/2026,Tam\u{202e}Kỳ,5\n");
        assert_eq!(
            e,
            CsvProblem::OtherPage {
                found: "TamKỳ".into()
            }
        );
    }

    #[test]
    fn recognises_the_page_many_ways() {
        for hint in [
            "Mặt trận Phú Ninh",
            "MAT TRAN PHU NINH",
            "mattranphuninh",
            "@Mat.Tran.PhuNinh",
            "https://www.facebook.com/mattranphuninh",
            "100089123456789",
            "https://www.facebook.com/profile.php?id=100089123456789",
        ] {
            let text =
                format!("Page: {hint}\n\"Views\"\n\"Date\",\"Primary\"\n\"2026-11-01\",\"1\"\n");
            assert_eq!(parse(&text).page_hint.as_deref(), Some(hint), "{hint}");
        }
        // A number cannot be checked against a page whose number is unknown.
        let no_id = PageIdentity {
            facebook_id: None,
            ..page()
        };
        let text = "Ngày,Trang,Lượt xem\n01/11/2026,123456,5\n";
        assert!(parse_file("a.csv", text, &no_id).is_ok());
        assert!(parse_file("a.csv", text, &page()).is_err());
        // Nor a username against a page whose username is unknown; a name is always checked.
        let no_username = PageIdentity {
            username: None,
            ..page()
        };
        let text = "Ngày,Trang,Lượt xem\n01/11/2026,mat.tran.phu.ninh,5\n";
        assert!(parse_file("a.csv", text, &no_username).is_ok());
        assert!(parse_file("a.csv", text, &page()).is_ok());
        let text = "Ngày,Trang,Lượt xem\n01/11/2026,Mặt trận Tam Kỳ,5\n";
        assert!(parse_file("a.csv", text, &no_username).is_err());
    }

    #[test]
    fn refuses_too_many_rows() {
        let mut text = String::from("Date,Views\n");
        let start = date(2024, 1, 1);
        for n in 0..=MAX_ROWS {
            let day = start + chrono::Days::new(n as u64);
            writeln!(text, "{day},1").expect("write");
        }
        let e = problem(&text);
        assert_eq!(e, CsvProblem::TooManyRows);
        assert_eq!(e.code(), "CSV_TOO_MANY_ROWS");
        // Exactly the limit is fine.
        let cut = text.trim_end().rsplit_once('\n').expect("lines").0;
        assert_eq!(parse(cut).days.len(), MAX_ROWS);
    }

    #[test]
    fn every_problem_has_a_code_and_a_vietnamese_message() {
        let day = date(2026, 11, 1);
        let all = [
            CsvProblem::Empty,
            CsvProblem::TooLarge,
            CsvProblem::UnrecognisedLayout { detail: "x".into() },
            CsvProblem::NoRecognisedColumn { headers: vec![] },
            CsvProblem::BadDate {
                line: 1,
                value: "x".into(),
            },
            CsvProblem::BadNumber {
                line: 1,
                value: "x".into(),
            },
            CsvProblem::DuplicateDay { day },
            CsvProblem::OtherPage { found: "x".into() },
            CsvProblem::TooManyRows,
            CsvProblem::Conflict {
                day,
                metric: Metric::Posts,
            },
        ];
        let mut codes: Vec<&str> = all.iter().map(CsvProblem::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for p in &all {
            let message = p.message();
            assert!(
                message.contains("hãy") || message.contains("Hãy"),
                "{message}"
            );
            assert_eq!(p.to_string(), message);
        }
    }

    #[test]
    fn tolerates_hostile_input() {
        let long_line = format!("Date,Views\n2026-11-01,{}\n", "9".repeat(1 << 20));
        assert_eq!(problem(&long_line).code(), "CSV_BAD_NUMBER");
        let one_line = "\"".repeat(1 << 20);
        assert_eq!(problem(&one_line).code(), "CSV_UNRECOGNISED_LAYOUT");
        let commas = ",".repeat(1 << 20);
        assert_eq!(problem(&commas).code(), "CSV_UNRECOGNISED_LAYOUT");
        let header_then_garbage = format!("Date,Views\n{}", "\"a\"\"".repeat(10_000));
        assert!(parse_file("x", &header_then_garbage, &page()).is_err());
        let nul = "Date\0,Views\n2026-11-01,\u{0}5\n";
        let _ = parse_file("x", nul, &page());
        // Invisible characters in a header count as the spaces they stand in for.
        let bidi = "Ngày,Lượt\u{202e} xem\n01/11/2026,5\n";
        assert_eq!(parse(bidi).metrics, vec![Metric::Views]);
        let bidi_date = "Ngày,Lượt xem\n\u{202e}01/11/2026,5\n";
        assert_eq!(problem(bidi_date).code(), "CSV_BAD_DATE");
        let many_columns = format!("Date{}\n2026-11-01,1\n", ",Views".repeat(100_000));
        assert_eq!(parse(&many_columns).days[0].views, Some(1));
    }

    proptest! {
        #[test]
        fn never_panics_on_anything(text in any::<String>()) {
            let _ = parse_file("x.csv", &text, &page());
        }

        #[test]
        fn never_panics_on_csv_like_input(
            text in "(\u{feff})?(sep=[,;\t]\n)?(\"?(Ngày|Date|Lượt xem|Views|Trang|Page|Primary|[a-z0-9/:.\\- ]{0,12})\"?[,;\t\n\r]){0,40}"
        ) {
            let _ = parse_file("x.csv", &text, &page());
        }

        #[test]
        fn reads_back_what_it_is_given(values in proptest::collection::vec(0_i64..1_000_000_000_000, 1..50)) {
            let mut text = String::from("Ngày;Lượt xem\n");
            let start = date(2026, 1, 1);
            for (n, v) in values.iter().enumerate() {
                let day = start + chrono::Days::new(n as u64);
                writeln!(text, "{};{v}", day.format("%d/%m/%Y")).expect("write");
            }
            let file = parse_file("x.csv", &text, &page()).expect("valid");
            let read: Vec<i64> = file.days.iter().filter_map(|d| d.views).collect();
            prop_assert_eq!(read, values);
        }
    }
}
