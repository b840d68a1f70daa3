//! Downloads: the deployment report's appendix as a spreadsheet (XLSX, with the appendix
//! layout, Vietnamese headers, column widths and a frozen header row) or as CSV (UTF-8 with a
//! byte-order mark, so Excel reads Vietnamese correctly), and the dashboard's table as XLSX.

use chrono::{DateTime, NaiveDate, Utc};
use domain::report::{Appendix, AppendixRow, Officer};
use domain::time::VIETNAM;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// The appendix's columns: header and width (in characters).
const APPENDIX_COLUMNS: [(&str, f64); 17] = [
    ("STT", 5.0),
    ("Mã đơn vị", 9.0),
    ("Đơn vị", 28.0),
    ("Tên trang", 40.0),
    ("Đường dẫn", 40.0),
    ("Ngày thành lập", 13.0),
    ("Trạng thái", 14.0),
    ("Tên đúng quy định", 11.0),
    ("Lãnh đạo phụ trách", 24.0),
    ("Chức vụ", 22.0),
    ("Số điện thoại", 13.0),
    ("Cán bộ quản lý, vận hành", 24.0),
    ("Chức vụ", 22.0),
    ("Số điện thoại", 13.0),
    ("Tổ chức hỗ trợ", 28.0),
    ("Ghi chú", 30.0),
    ("Cấp", 8.0),
];

/// The row of the appendix's column headers, below the title lines.
const HEADER_ROW: u32 = 5;

/// The title of the appendix form.
pub const APPENDIX_TITLE: &str = "PHỤ LỤC: KẾT QUẢ TRIỂN KHAI TRANG CỘNG ĐỒNG MẶT TRẬN CÁC CẤP";

fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn moment(at: DateTime<Utc>) -> String {
    at.with_timezone(&VIETNAM)
        .format("%H:%M ngày %d/%m/%Y")
        .to_string()
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "Đúng",
        Some(false) => "Chưa đúng",
        None => "",
    }
}

fn status_label(row: &AppendixRow) -> &'static str {
    row.status
        .as_deref()
        .and_then(|s| s.parse::<domain::page::PageStatus>().ok())
        .map_or("Chưa có trang", domain::page::PageStatus::label)
}

fn level_label(level: &str) -> &'static str {
    level
        .parse::<domain::UnitLevel>()
        .map_or("", domain::UnitLevel::label)
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0).replace('.', ",")
}

/// The cells of one appendix row, in [`APPENDIX_COLUMNS`] order.
fn cells(index: usize, row: &AppendixRow) -> [String; 17] {
    let officer = |o: &Option<Officer>| {
        o.as_ref().map_or_else(
            || [String::new(), String::new(), String::new()],
            |o| [o.full_name.clone(), o.position.clone(), o.phone.clone()],
        )
    };
    let [leader, leader_position, leader_phone] = officer(&row.leader);
    let [operator, operator_position, operator_phone] = officer(&row.operator);
    [
        (index + 1).to_string(),
        row.unit_code.clone(),
        row.unit_name.clone(),
        row.page_name.clone().unwrap_or_default(),
        row.url.clone().unwrap_or_default(),
        row.established_on.map(day).unwrap_or_default(),
        status_label(row).to_owned(),
        yes_no(row.name_conforms).to_owned(),
        leader,
        leader_position,
        leader_phone,
        operator,
        operator_position,
        operator_phone,
        row.supported_by.clone().unwrap_or_default(),
        row.notes.clone().unwrap_or_default(),
        level_label(&row.level).to_owned(),
    ]
}

/// What a report download says about its report, above the table.
pub struct ReportHeading<'a> {
    pub round_title: &'a str,
    pub deadline: NaiveDate,
    pub status: &'a str,
    pub submitted_at: Option<DateTime<Utc>>,
    pub remarks: Option<&'a str>,
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7")
}

fn write_strings(
    sheet: &mut Worksheet,
    row: u32,
    values: &[String],
    format: &Format,
) -> Result<(), XlsxError> {
    for (col, value) in (0u16..).zip(values) {
        sheet.write_string_with_format(row, col, value, format)?;
    }
    Ok(())
}

/// The appendix as an XLSX workbook.
pub fn appendix_xlsx(
    appendix: &Appendix,
    heading: &ReportHeading<'_>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Phụ lục")?;
    let title = Format::new().set_bold().set_font_size(14);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    sheet.write_string_with_format(0, 0, APPENDIX_TITLE, &title)?;
    sheet.write_string(
        1,
        0,
        format!(
            "Đơn vị báo cáo: {} (mã {})",
            appendix.unit_name, appendix.unit_code
        ),
    )?;
    sheet.write_string(
        2,
        0,
        format!(
            "Đợt báo cáo: {} — hạn nộp {} — {}{}",
            heading.round_title,
            day(heading.deadline),
            heading.status,
            heading
                .submitted_at
                .map(|at| format!(", nộp lúc {}", moment(at)))
                .unwrap_or_default()
        ),
    )?;
    sheet.write_string(
        3,
        0,
        format!("Số liệu lúc {}", moment(appendix.generated_at)),
    )?;
    let header = header_format();
    for (col, (name, width)) in (0u16..).zip(APPENDIX_COLUMNS) {
        sheet.write_string_with_format(HEADER_ROW, col, name, &header)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_row_height(HEADER_ROW, 32)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    let mut row = HEADER_ROW + 1;
    for (index, line) in appendix.rows.iter().enumerate() {
        write_strings(sheet, row, &cells(index, line), &cell)?;
        row += 1;
    }
    sheet.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 16)?;
    write_summary(sheet, row + 1, appendix, heading.remarks, &header)?;
    workbook.save_to_buffer()
}

/// The totals, the coverage per level and the remarks, from `row` down.
fn write_summary(
    sheet: &mut Worksheet,
    mut row: u32,
    appendix: &Appendix,
    remarks: Option<&str>,
    header: &Format,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let t = appendix.totals;
    sheet.write_string_with_format(row, 0, "Tổng hợp", &bold)?;
    for (label, value) in [
        ("Số đơn vị", t.units),
        ("Đã có trang", t.with_page),
        ("Đã được xác nhận", t.verified),
        ("Tên trang đúng quy định", t.name_conforms),
        ("Đủ lãnh đạo phụ trách và cán bộ vận hành", t.fully_staffed),
    ] {
        row += 1;
        sheet.write_string(row, 2, label)?;
        #[expect(clippy::cast_precision_loss, reason = "unit counts are small")]
        sheet.write_number(row, 3, value as f64)?;
    }
    row += 2;
    sheet.write_string_with_format(row, 0, "Tỷ lệ triển khai theo cấp", &bold)?;
    row += 1;
    write_strings(
        sheet,
        row,
        &[
            String::new(),
            String::new(),
            "Cấp".into(),
            "Số đơn vị".into(),
            "Đã có trang".into(),
            "Tỷ lệ".into(),
            "Chỉ tiêu".into(),
            "Đạt".into(),
        ],
        header,
    )?;
    for level in &appendix.coverage {
        row += 1;
        sheet.write_string(row, 2, level_label(&level.level))?;
        #[expect(clippy::cast_precision_loss, reason = "unit counts are small")]
        {
            sheet.write_number(row, 3, level.units as f64)?;
            sheet.write_number(row, 4, level.with_page as f64)?;
        }
        sheet.write_string(row, 5, percent(level.share))?;
        sheet.write_string(row, 6, level.target.map(percent).unwrap_or_default())?;
        sheet.write_string(
            row,
            7,
            match level.met {
                Some(true) => "Đạt",
                Some(false) => "Chưa đạt",
                None => "",
            },
        )?;
    }
    if let Some(remarks) = remarks {
        row += 2;
        sheet.write_string_with_format(row, 0, "Ý kiến của đơn vị", &bold)?;
        sheet.write_string(row + 1, 0, remarks)?;
    }
    Ok(())
}

/// The appendix as CSV: UTF-8 with a byte-order mark, one header line, one line per unit.
pub fn appendix_csv(appendix: &Appendix) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(APPENDIX_COLUMNS.iter().map(|(name, _)| *name))?;
        for (index, row) in appendix.rows.iter().enumerate() {
            writer.write_record(cells(index, row))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// The dashboard's table as an XLSX workbook: per level, then per child unit.
pub fn coverage_xlsx(coverage: &app::rollout::Coverage) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Tiến độ")?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = header_format();
    let cell = Format::new().set_border(FormatBorder::Thin);
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "TIẾN ĐỘ TRIỂN KHAI TRANG CỘNG ĐỒNG — {}",
            coverage.unit.full_name()
        ),
        &title,
    )?;
    let as_of = coverage
        .as_of
        .map_or_else(|| moment(Utc::now()), |d| format!("cuối ngày {}", day(d)));
    sheet.write_string(
        1,
        0,
        format!(
            "Số liệu {as_of}; {}{}",
            coverage.plan.title,
            coverage
                .plan
                .deadline
                .map(|d| format!(", hạn {}", day(d)))
                .unwrap_or_default()
        ),
    )?;
    let columns: [(&str, f64); 8] = [
        ("STT", 5.0),
        ("Đơn vị", 30.0),
        ("Số đơn vị", 10.0),
        ("Đã có trang", 11.0),
        ("Tỷ lệ", 9.0),
        ("Đã xác nhận", 11.0),
        ("Chỉ tiêu", 9.0),
        ("Đạt", 9.0),
    ];
    let mut row = 3;
    for (col, (name, width)) in (0u16..).zip(columns) {
        sheet.write_string_with_format(row, col, name, &header)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    let met = |m: Option<bool>| match m {
        Some(true) => "Đạt",
        Some(false) => "Chưa đạt",
        None => "",
    };
    for level in &coverage.levels {
        row += 1;
        let t = level.tally;
        write_strings(
            sheet,
            row,
            &[
                String::new(),
                format!("Cấp {}", level.level.label().to_lowercase()),
                t.units.to_string(),
                t.with_page.to_string(),
                percent(t.share()),
                t.verified.to_string(),
                level
                    .target
                    .map(|s| percent(s.fraction()))
                    .unwrap_or_default(),
                met(level.met()).to_owned(),
            ],
            &cell,
        )?;
    }
    for (index, child) in coverage.children.iter().enumerate() {
        row += 1;
        let t = child.tally;
        let all_met = child
            .levels
            .iter()
            .filter_map(domain::rollout::LevelCoverage::met)
            .reduce(|a, b| a && b);
        write_strings(
            sheet,
            row,
            &[
                (index + 1).to_string(),
                child.unit.full_name(),
                t.units.to_string(),
                t.with_page.to_string(),
                percent(t.share()),
                t.verified.to_string(),
                String::new(),
                met(all_met).to_owned(),
            ],
            &cell,
        )?;
    }
    workbook.save_to_buffer()
}

/// A download's file name: what it is, the unit's code and folded name, and the day, in
/// ASCII, e.g. `bao-cao-518-huyen-phu-ninh-2026-11-27.xlsx`.
pub fn file_name(what: &str, unit_code: &str, unit_name: &str, on: NaiveDate, ext: &str) -> String {
    let name: String = domain::text::fold(unit_name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{what}-{unit_code}-{name}-{}.{ext}", on.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_ascii_with_the_unit_and_the_day() {
        let on: NaiveDate = "2026-11-27".parse().expect("date");
        assert_eq!(
            file_name("bao-cao", "518", "Huyện Phú Ninh", on, "xlsx"),
            "bao-cao-518-huyen-phu-ninh-2026-11-27.xlsx"
        );
        assert_eq!(
            file_name("tien-do", "49", "Tỉnh Quảng Nam \"x\"/..", on, "xlsx"),
            "tien-do-49-tinh-quang-nam-x-2026-11-27.xlsx"
        );
    }

    #[test]
    fn the_csv_starts_with_a_byte_order_mark_and_keeps_diacritics() {
        let appendix = Appendix {
            unit_code: "518".into(),
            unit_name: "Huyện Phú Ninh".into(),
            generated_at: Utc::now(),
            rows: vec![AppendixRow {
                unit_code: "20365".into(),
                unit_name: "Xã Tam Thành".into(),
                level: "commune".into(),
                page_name: Some("Mặt trận Xã Tam Thành (huyện Phú Ninh, tỉnh Quảng Nam)".into()),
                url: None,
                established_on: None,
                status: Some("REPORTED".into()),
                name_conforms: Some(true),
                leader: None,
                operator: None,
                supported_by: None,
                notes: Some("a, \"b\"".into()),
            }],
            totals: domain::report::AppendixTotals::default(),
            coverage: Vec::new(),
        };
        let csv = String::from_utf8(appendix_csv(&appendix).expect("csv")).expect("utf-8");
        assert!(csv.starts_with("\u{feff}STT,Mã đơn vị,Đơn vị,Tên trang"));
        assert!(csv.contains("Xã Tam Thành"));
        assert!(csv.contains("Đã báo cáo"));
        assert!(csv.contains("\"a, \"\"b\"\"\""), "quoted: {csv}");
    }
}
