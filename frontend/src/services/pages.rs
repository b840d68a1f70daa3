//! Community pages: a page with everything its screens show, the create and edit forms'
//! checks (the API's, not the app's), and each step of a page's life.

use super::ops::{
    AwaitingPages, CheckPageName, CheckPageUrl, PageDetail, PageDraft, PageList, PageMutation,
    PageStatuses, Sent, check_page_name, check_page_url, close_page, create_page, page_detail,
    page_draft, page_list, page_statuses, pages_awaiting_verification, reopen_page, report_page,
    return_page, suspend_page, update_page, verify_page,
};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{FieldErrors, NameCheck, Person, StatusOption, Unit, UserError};

/// The unit a page is of, with the names the guideline prescribes for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageUnit {
    pub unit: Unit,
    /// From the province down, the unit itself left out.
    pub ancestors: Vec<Unit>,
    /// "Mặt trận Phú Ninh (tỉnh Quảng Nam)".
    pub expected_name: String,
    /// "mattran.phuninh.quangnam".
    pub suggested_username: String,
}

/// What the viewer may do to a page, as the API decides it (`Page.viewerCan`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per action, as the API answers them"
)]
pub struct PagePermissions {
    pub update: bool,
    pub report: bool,
    pub verify: bool,
    pub return_page: bool,
    pub suspend: bool,
    pub close: bool,
    pub reopen: bool,
}

/// One assignment of a duty, current or past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub leader: bool,
    pub person: Person,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

/// One step of a page's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageEvent {
    pub occurred_at: String,
    /// The step, as the API words it ("Báo cáo lên cấp trên").
    pub action: String,
    /// The status after it, as the API words it.
    pub to_status: String,
    pub reason: Option<String>,
    pub actor: String,
}

/// A page with everything the detail and edit screens show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageView {
    pub id: String,
    pub of: PageUnit,
    pub name: String,
    pub url: Option<String>,
    pub status_label: String,
    pub established_on: Option<String>,
    pub supported_by: Option<String>,
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
    pub name_check: NameCheck,
    pub leader: Option<Person>,
    pub operator: Option<Person>,
    pub staffing_complete: bool,
    /// The latest first.
    pub assignments: Vec<Assignment>,
    /// The oldest first.
    pub history: Vec<PageEvent>,
    pub can: PagePermissions,
}

/// The form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageForm {
    pub name: String,
    pub url: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub established_on: String,
    pub supported_by: String,
    pub supporter_contact: String,
    pub notes: String,
}

impl PageForm {
    pub fn of(page: &PageView) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: page.name.clone(),
            url: text(&page.url),
            established_on: text(&page.established_on),
            supported_by: text(&page.supported_by),
            supporter_contact: text(&page.supporter_contact),
            notes: text(&page.notes),
        }
    }
}

/// The result of a page mutation: the page's id, or why it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    Done(String),
    Refused(FieldErrors),
}

fn saved(id: Option<String>, errors: Vec<UserError>) -> Saved {
    match id {
        Some(id) if errors.is_empty() => Saved::Done(id),
        _ => Saved::Refused(FieldErrors(errors)),
    }
}

/// A text typed, `None` when blank.
fn given(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The page with this id; `NotFound` when it is no page of the viewer's subtree.
pub async fn detail(client: &Client, id: &str) -> Result<PageView, Error> {
    let data = client
        .execute::<PageDetail>(page_detail::Variables { id: id.to_owned() })
        .await?;
    let Some(page_detail::PageDetailNode::Page(page)) = data.node else {
        return Err(Error::NotFound);
    };
    let can = page.viewer_can;
    let check = page.name_check;
    Ok(PageView {
        id: page.id,
        of: PageUnit {
            ancestors: page.unit.ancestors.into_iter().map(Unit::from).collect(),
            expected_name: page.unit.expected_page_name,
            suggested_username: page.unit.suggested_page_username,
            unit: page.unit.unit_fields.into(),
        },
        name: page.name,
        url: page.url,
        status_label: page.status_label,
        established_on: page.established_on,
        supported_by: page.supported_by,
        supporter_contact: page.supporter_contact,
        notes: page.notes,
        version: page.version,
        name_check: NameCheck {
            conforms: check.conforms,
            expected: check.expected,
            problems: check.problems,
        },
        leader: page.leader.map(Person::from),
        operator: page.operator.map(Person::from),
        staffing_complete: page.staffing_complete,
        assignments: page
            .assignments
            .into_iter()
            .map(|a| Assignment {
                leader: matches!(a.duty, page_detail::Duty::LEADER),
                person: Person::from(a.person),
                starts_on: a.starts_on,
                ends_on: a.ends_on,
            })
            .collect(),
        history: page
            .history
            .into_iter()
            .map(|e| PageEvent {
                occurred_at: e.occurred_at,
                action: e.action_label,
                to_status: e.to_status_label,
                reason: e.reason,
                actor: e.actor_name,
            })
            .collect(),
        can: PagePermissions {
            update: can.update,
            report: can.report,
            verify: can.verify,
            return_page: can.return_page,
            suspend: can.suspend,
            close: can.close,
            reopen: can.reopen,
        },
    })
}

/// What the create form starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub of: PageUnit,
    /// The unit's page, when it already has one.
    pub existing: Option<String>,
    pub can_write: bool,
}

pub async fn draft(client: &Client, code: &str) -> Result<Draft, Error> {
    let data = client
        .execute::<PageDraft>(page_draft::Variables {
            code: code.to_owned(),
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    Ok(Draft {
        of: PageUnit {
            ancestors: unit.ancestors.into_iter().map(Unit::from).collect(),
            expected_name: unit.expected_page_name,
            suggested_username: unit.suggested_page_username,
            unit: unit.unit_fields.into(),
        },
        existing: unit.page.map(|p| p.id),
        can_write: unit.viewer_can.write,
    })
}

/// The API's check of a proposed name for the unit.
pub async fn check_name(client: &Client, code: &str, name: &str) -> Result<NameCheck, Error> {
    let data = client
        .execute::<CheckPageName>(check_page_name::Variables {
            unit_code: code.to_owned(),
            name: name.to_owned(),
        })
        .await?;
    let check = data.check_page_name;
    Ok(NameCheck {
        conforms: check.conforms,
        expected: check.expected,
        problems: check.problems,
    })
}

/// The link as it would be stored (`Ok`), or what is wrong with it (`Err`).
pub async fn check_url(client: &Client, url: &str) -> Result<Result<String, String>, Error> {
    let data = client
        .execute::<CheckPageUrl>(check_page_url::Variables {
            url: url.to_owned(),
        })
        .await?;
    let check = data.check_page_url;
    Ok(match (check.valid, check.url) {
        (true, Some(url)) => Ok(url),
        _ => Err(check
            .problem
            .unwrap_or_else(|| "Đường dẫn không hợp lệ.".to_owned())),
    })
}

pub async fn create(client: &Client, code: &str, form: &PageForm) -> Result<Saved, Error> {
    let variables = create_page::Variables {
        input: create_page::CreatePageInput {
            unit_code: code.to_owned(),
            platform: None,
            name: form.name.trim().to_owned(),
            url: given(&form.url),
            established_on: given(&form.established_on),
            supported_by: given(&form.supported_by),
            supporter_contact: given(&form.supporter_contact),
            notes: given(&form.notes),
        },
    };
    let data = client
        .execute_once::<PageMutation<_>>(Sent::new(
            create_page::QUERY,
            create_page::OPERATION_NAME,
            variables,
        ))
        .await?;
    Ok(page_saved(data))
}

/// The page's id from a page mutation's answer, or why it was refused.
pub fn page_saved(data: report_page::ResponseData) -> Saved {
    let p = data.result;
    saved(
        p.page.map(|p| p.id),
        p.user_errors.into_iter().map(UserError::from).collect(),
    )
}

/// Saves the form over `version`; an optional field left blank is cleared.
pub async fn update(
    client: &Client,
    id: &str,
    version: i64,
    form: &PageForm,
) -> Result<Saved, Error> {
    let text = |v: &str| Some(v.trim().to_owned());
    let variables = update_page::Variables {
        input: update_page::UpdatePageInput {
            page_id: id.to_owned(),
            expected_version: version,
            name: text(&form.name),
            url: given(&form.url),
            established_on: given(&form.established_on),
            supported_by: text(&form.supported_by),
            supporter_contact: text(&form.supporter_contact),
            notes: text(&form.notes),
        },
    };
    let data = client
        .execute::<PageMutation<_>>(Sent::new(
            update_page::QUERY,
            update_page::OPERATION_NAME,
            variables,
        ))
        .await?;
    Ok(page_saved(data))
}

/// A step in a page's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Report,
    Verify,
    Return,
    Suspend,
    Close,
    Reopen,
}

impl Step {
    /// The button that takes the step.
    pub fn label(self) -> &'static str {
        match self {
            Self::Report => "Báo cáo lên cấp trên",
            Self::Verify => "Xác nhận",
            Self::Return => "Trả lại",
            Self::Suspend => "Tạm ngưng",
            Self::Close => "Đóng trang",
            Self::Reopen => "Mở lại",
        }
    }
}

/// Takes `step` on the page, with the reason given (required to return it).
pub async fn take(
    client: &Client,
    step: Step,
    id: &str,
    reason: Option<String>,
) -> Result<Saved, Error> {
    let (query, name) = match step {
        Step::Report => (report_page::QUERY, report_page::OPERATION_NAME),
        Step::Verify => (verify_page::QUERY, verify_page::OPERATION_NAME),
        Step::Return => (return_page::QUERY, return_page::OPERATION_NAME),
        Step::Suspend => (suspend_page::QUERY, suspend_page::OPERATION_NAME),
        Step::Close => (close_page::QUERY, close_page::OPERATION_NAME),
        Step::Reopen => (reopen_page::QUERY, reopen_page::OPERATION_NAME),
    };
    let variables = report_page::Variables {
        input: report_page::PageTransitionInput {
            page_id: id.to_owned(),
            reason,
        },
    };
    let data = client
        .execute::<PageMutation<_>>(Sent::new(query, name, variables))
        .await?;
    Ok(page_saved(data))
}

/// How many pages one request asks for.
pub const LIST_LIMIT: i64 = 50;

/// A page in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "what the API answers of the page, one flag each"
)]
pub struct PageRow {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
    pub status_label: String,
    pub staffing_complete: bool,
    pub conforms: bool,
    pub reported_at: Option<String>,
    pub unit: Unit,
    pub can_verify: bool,
    pub can_return: bool,
}

macro_rules! row_from {
    ($($module:ident),*) => {$(
        impl From<$module::PageRow> for PageRow {
            fn from(p: $module::PageRow) -> Self {
                Self {
                    id: p.id,
                    name: p.name,
                    url: p.url,
                    status_label: p.status_label,
                    staffing_complete: p.staffing_complete,
                    conforms: p.name_check.conforms,
                    reported_at: p.reported_at,
                    unit: p.unit.into(),
                    can_verify: p.viewer_can.verify,
                    can_return: p.viewer_can.return_page,
                }
            }
        }
    )*};
}

row_from!(page_list);

/// The page list's filters; `None`: any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// A status's name as the API spells it ("REPORTED").
    pub status: Option<String>,
    pub conforms: Option<bool>,
    /// Only pages with a vacant duty.
    pub incomplete: bool,
    pub search: Option<String>,
}

pub async fn list(
    client: &Client,
    filters: &Filters,
    after: Option<String>,
) -> Result<Slice<PageRow>, Error> {
    // The name as `pageStatuses` gave it; the generated enum reads any name it is given.
    let status = filters
        .status
        .clone()
        .and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok());
    let data = client
        .execute::<PageList>(page_list::Variables {
            status,
            conforms: filters.conforms,
            staffing: filters
                .incomplete
                .then_some(page_list::Staffing::INCOMPLETE),
            search: filters.search.clone(),
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let list = data.pages;
    Ok(Slice::new(
        list.nodes.into_iter().map(PageRow::from),
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}

/// Every page status with its label, in life order.
pub async fn statuses(client: &Client) -> Result<Vec<StatusOption>, Error> {
    let data = client
        .execute::<PageStatuses>(page_statuses::Variables {})
        .await?;
    Ok(data
        .page_statuses
        .into_iter()
        .filter_map(|s| {
            let status = serde_json::to_value(&s.status).ok()?.as_str()?.to_owned();
            Some(StatusOption {
                status,
                label: s.label,
            })
        })
        .collect())
}

/// The reported pages the viewer has to verify or return.
pub async fn awaiting(client: &Client, after: Option<String>) -> Result<Slice<PageRow>, Error> {
    let data = client
        .execute::<AwaitingPages>(pages_awaiting_verification::Variables {
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let list = data.pages;
    Ok(Slice::new(
        list.nodes.into_iter().map(PageRow::from),
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}
