//! The audit trail's events, typed: what an operation records, in the same transaction as its
//! change, with the unit it concerns (so "the log of my subtree" is one indexed query) and the
//! same shape whether the API or the command line made the change.

use domain::page::{Duty, Page, PageStatus, Transition};
use domain::rollout::RolloutPlan;
use domain::staff::Person;
use domain::{Role, UnitCode, UnitPath};
use serde_json::{Value, json};
use store::ConnectionTrait;
use uuid::Uuid;

use crate::By;

tokio::task_local! {
    /// The id of the request being served, recorded with every event it causes.
    static REQUEST_ID: String;
}

/// Runs `f` with `request_id` as the request every event recorded inside it belongs to.
pub async fn in_request<F: std::future::Future>(request_id: String, f: F) -> F::Output {
    REQUEST_ID.scope(request_id, f).await
}

fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The details of a page an event records, before or after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFields {
    pub name: String,
    pub url: Option<String>,
    pub status: PageStatus,
    pub established_on: Option<chrono::NaiveDate>,
    pub supported_by: Option<String>,
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
}

impl PageFields {
    pub fn of(page: &Page) -> Self {
        Self {
            name: page.name.clone(),
            url: page.url.clone(),
            status: page.status,
            established_on: page.established_on,
            supported_by: page.supported_by.clone(),
            supporter_contact: page.supporter_contact.clone(),
            notes: page.notes.clone(),
        }
    }

    fn json(&self) -> Value {
        json!({
            "name": self.name,
            "url": self.url,
            "status": self.status.as_str(),
            "establishedOn": self.established_on.map(|d| d.to_string()),
            "supportedBy": self.supported_by,
            "supporterContact": self.supporter_contact,
            "notes": self.notes,
        })
    }
}

/// The details of a person an event records, before or after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: Option<String>,
}

impl PersonFields {
    pub fn of(person: &Person) -> Self {
        Self {
            full_name: person.full_name.clone(),
            position: person.position.clone(),
            phone: person.phone.clone(),
            email: person.email.clone(),
        }
    }

    fn json(&self) -> Value {
        json!({
            "fullName": self.full_name,
            "position": self.position,
            "phone": self.phone,
            "email": self.email,
        })
    }
}

fn plan_json(plan: &RolloutPlan) -> Value {
    json!({
        "title": plan.title,
        "deadline": plan.deadline.map(|d| d.to_string()),
        "targets": plan.targets.iter().map(|t| json!({
            "level": t.level.as_str(),
            "share": t.share.fraction(),
        })).collect::<Vec<_>>(),
        "countedStatuses": plan.counted.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}

/// Only the fields that differ between `before` and `after`, as `{ before, after }`.
fn changed(before: &Value, after: &Value) -> Value {
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return json!({ "before": before, "after": after });
    };
    let keys = before.keys().filter(|k| before.get(*k) != after.get(*k));
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    for key in keys {
        b.insert(key.clone(), before[key].clone());
        a.insert(key.clone(), after.get(key).cloned().unwrap_or(Value::Null));
    }
    json!({ "before": b, "after": a })
}

/// An account's name and role, before or after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    pub role: Role,
}

impl Profile {
    fn json(&self) -> Value {
        json!({ "displayName": self.display_name, "role": self.role.as_str() })
    }
}

/// What happened. Never a secret: a password change is recorded, not the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    AccountCreated {
        username: String,
        role: Role,
        unit: UnitCode,
    },
    AccountUpdated {
        before: Profile,
        after: Profile,
    },
    AccountDisabled,
    AccountEnabled,
    /// An admin (or the operator) gave the account a new password.
    PasswordReset,
    /// The account changed its own password.
    PasswordChanged,
    PageCreated {
        unit: UnitCode,
        page: PageFields,
    },
    PageUpdated {
        before: PageFields,
        after: PageFields,
    },
    PageTransitioned {
        step: Transition,
        from: PageStatus,
        to: PageStatus,
        reason: Option<String>,
    },
    PersonCreated {
        unit: UnitCode,
        person: PersonFields,
    },
    PersonUpdated {
        before: PersonFields,
        after: PersonFields,
    },
    PersonRemoved {
        person: PersonFields,
    },
    /// A person now holds a duty on a page, in place of `previous` (if anyone held it).
    PersonAssigned {
        page_id: Uuid,
        duty: Duty,
        person_id: Uuid,
        previous: Option<Uuid>,
        from: chrono::NaiveDate,
    },
    /// A unit's rollout plan was set (`before` is `None` for its first plan).
    RolloutPlanSet {
        unit: UnitCode,
        before: Option<RolloutPlan>,
        after: RolloutPlan,
    },
    /// A unit asked the units below it for reports.
    ReportingRoundCreated {
        unit: UnitCode,
        title: String,
        deadline: chrono::NaiveDate,
        reports: usize,
    },
    ReportSubmitted {
        round_id: Uuid,
        /// Rows of the frozen appendix.
        rows: usize,
        /// Submitted again after being returned.
        resubmitted: bool,
    },
    ReportAccepted,
    ReportReturned {
        reason: Option<String>,
    },
    CampaignCreated {
        unit: UnitCode,
        title: String,
        starts_on: chrono::NaiveDate,
        ends_on: chrono::NaiveDate,
        levels: Vec<String>,
    },
    PostLogged {
        page_id: Uuid,
        url: String,
        kind: String,
        shared_from: Option<Uuid>,
        campaigns: usize,
        /// Logged as the share a request asked for.
        share_request_id: Option<Uuid>,
    },
    SharesRequested {
        post_id: Uuid,
        deadline: chrono::DateTime<chrono::Utc>,
    },
    /// Figures of a page were typed in, uploaded or pulled.
    StatsRecorded {
        page_id: Uuid,
        source: String,
        days: usize,
        first: Option<chrono::NaiveDate>,
        last: Option<chrono::NaiveDate>,
    },
    /// A Page access token was stored (sealed; never recorded here).
    PageTokenSet {
        graph_page_id: String,
    },
    PageTokenRemoved,
    /// The level above assessed a page for a period.
    PageReviewed {
        period: String,
        rating: String,
    },
    /// A unit told an organisation or a residential area about its page.
    OutreachLogged {
        audience: String,
        channel: String,
        informed_on: chrono::NaiveDate,
    },
    /// A unit list was imported; what it changed (units whose only change is their path are
    /// not counted).
    UnitsImported {
        /// The embedded edition the units now are, if they are one.
        edition: Option<String>,
        inserted: u64,
        renamed: u64,
        moved: u64,
        relevelled: u64,
        removed: u64,
    },
}

impl Event {
    /// The stored action name, e.g. `account.create`.
    pub fn action(&self) -> &'static str {
        match self {
            Self::AccountCreated { .. } => "account.create",
            Self::AccountUpdated { .. } => "account.update",
            Self::AccountDisabled => "account.disable",
            Self::AccountEnabled => "account.enable",
            Self::PasswordReset => "account.reset_password",
            Self::PasswordChanged => "account.change_password",
            Self::UnitsImported { .. } => "units.import",
            Self::PageCreated { .. } => "page.create",
            Self::PageUpdated { .. } => "page.update",
            Self::PageTransitioned { step, .. } => match step {
                Transition::Report => "page.report",
                Transition::Verify => "page.verify",
                Transition::Return => "page.return",
                Transition::Suspend => "page.suspend",
                Transition::Close => "page.close",
                Transition::Reopen => "page.reopen",
            },
            Self::PersonCreated { .. } => "person.create",
            Self::PersonUpdated { .. } => "person.update",
            Self::PersonRemoved { .. } => "person.remove",
            Self::PersonAssigned { .. } => "page.assign",
            Self::RolloutPlanSet { .. } => "rollout.set_plan",
            Self::ReportingRoundCreated { .. } => "report.create_round",
            Self::ReportSubmitted { .. } => "report.submit",
            Self::ReportAccepted => "report.accept",
            Self::ReportReturned { .. } => "report.return",
            Self::CampaignCreated { .. } => "campaign.create",
            Self::PostLogged {
                share_request_id: Some(_),
                ..
            } => "post.record_share",
            Self::PostLogged { .. } => "post.log",
            Self::SharesRequested { .. } => "post.request_shares",
            Self::StatsRecorded { .. } => "stats.record",
            Self::PageTokenSet { .. } => "page.set_token",
            Self::PageTokenRemoved => "page.remove_token",
            Self::PageReviewed { .. } => "page.review",
            Self::OutreachLogged { .. } => "outreach.log",
        }
    }

    /// What kind of object the event is about.
    fn target_type(&self) -> &'static str {
        match self {
            Self::AccountCreated { .. }
            | Self::AccountUpdated { .. }
            | Self::AccountDisabled
            | Self::AccountEnabled
            | Self::PasswordReset
            | Self::PasswordChanged => "account",
            Self::UnitsImported { .. } => "unit",
            Self::PageCreated { .. }
            | Self::PageUpdated { .. }
            | Self::PageTransitioned { .. }
            | Self::PersonAssigned { .. }
            | Self::StatsRecorded { .. }
            | Self::PageTokenSet { .. }
            | Self::PageTokenRemoved
            | Self::PageReviewed { .. } => "page",
            Self::PersonCreated { .. }
            | Self::PersonUpdated { .. }
            | Self::PersonRemoved { .. } => "person",
            Self::RolloutPlanSet { .. } => "rollout_plan",
            Self::ReportingRoundCreated { .. } => "reporting_round",
            Self::ReportSubmitted { .. } | Self::ReportAccepted | Self::ReportReturned { .. } => {
                "report"
            }
            Self::CampaignCreated { .. } => "campaign",
            Self::PostLogged { .. } => "post",
            Self::SharesRequested { .. } => "share_request",
            Self::OutreachLogged { .. } => "outreach",
        }
    }

    /// The event's details as stored.
    #[expect(clippy::too_many_lines, reason = "one arm per kind of event")]
    fn detail(&self) -> Option<Value> {
        match self {
            Self::AccountCreated {
                username,
                role,
                unit,
            } => {
                Some(json!({ "unit": unit.as_str(), "role": role.as_str(), "username": username }))
            }
            Self::AccountUpdated { before, after } => {
                Some(json!({ "before": before.json(), "after": after.json() }))
            }
            Self::AccountDisabled => {
                Some(json!({ "before": { "active": true }, "after": { "active": false } }))
            }
            Self::AccountEnabled => {
                Some(json!({ "before": { "active": false }, "after": { "active": true } }))
            }
            // That the password changed is the event; the password never appears.
            Self::PasswordReset | Self::PasswordChanged => None,
            Self::UnitsImported {
                edition,
                inserted,
                renamed,
                moved,
                relevelled,
                removed,
            } => Some(json!({
                "edition": edition,
                "inserted": inserted,
                "renamed": renamed,
                "moved": moved,
                "relevelled": relevelled,
                "removed": removed,
            })),
            Self::PageCreated { unit, page } => Some(json!({
                "unit": unit.as_str(),
                "after": page.json(),
            })),
            Self::PageUpdated { before, after } => Some(changed(&before.json(), &after.json())),
            Self::PageTransitioned {
                from, to, reason, ..
            } => Some(json!({
                "before": { "status": from.as_str() },
                "after": { "status": to.as_str() },
                "reason": reason,
            })),
            Self::PersonCreated { unit, person } => Some(json!({
                "unit": unit.as_str(),
                "after": person.json(),
            })),
            Self::PersonUpdated { before, after } => Some(changed(&before.json(), &after.json())),
            Self::PersonRemoved { person } => Some(json!({ "before": person.json() })),
            Self::PersonAssigned {
                duty,
                person_id,
                previous,
                from,
                ..
            } => Some(json!({
                "duty": duty.as_str(),
                "before": { "personId": previous },
                "after": { "personId": person_id },
                "from": from.to_string(),
            })),
            Self::RolloutPlanSet {
                unit,
                before,
                after,
            } => Some(json!({
                "unit": unit.as_str(),
                "before": before.as_ref().map(plan_json),
                "after": plan_json(after),
            })),
            Self::ReportingRoundCreated {
                unit,
                title,
                deadline,
                reports,
            } => Some(json!({
                "unit": unit.as_str(),
                "title": title,
                "deadline": deadline.to_string(),
                "reports": reports,
            })),
            Self::ReportSubmitted {
                round_id,
                rows,
                resubmitted,
            } => Some(json!({
                "roundId": round_id,
                "rows": rows,
                "resubmitted": resubmitted,
                "after": { "status": "SUBMITTED" },
            })),
            Self::ReportAccepted => Some(json!({ "after": { "status": "ACCEPTED" } })),
            Self::ReportReturned { reason } => {
                Some(json!({ "after": { "status": "RETURNED" }, "reason": reason }))
            }
            Self::CampaignCreated { .. }
            | Self::PostLogged { .. }
            | Self::SharesRequested { .. }
            | Self::StatsRecorded { .. }
            | Self::PageTokenSet { .. }
            | Self::PageTokenRemoved
            | Self::PageReviewed { .. }
            | Self::OutreachLogged { .. } => self.operating_detail(),
        }
    }

    /// The details of running the pages: campaigns, posts and share requests.
    fn operating_detail(&self) -> Option<Value> {
        match self {
            Self::CampaignCreated {
                unit,
                title,
                starts_on,
                ends_on,
                levels,
            } => Some(json!({ "after": {
                "unit": unit.as_str(), "title": title, "startsOn": starts_on,
                "endsOn": ends_on, "levels": levels,
            } })),
            Self::PostLogged {
                page_id,
                url,
                kind,
                shared_from,
                campaigns,
                share_request_id,
            } => Some(json!({ "after": {
                "pageId": page_id, "url": url, "kind": kind, "sharedFrom": shared_from,
                "campaigns": campaigns, "shareRequestId": share_request_id,
            } })),
            Self::SharesRequested { post_id, deadline } => {
                Some(json!({ "after": { "postId": post_id, "deadline": deadline } }))
            }
            Self::StatsRecorded {
                page_id,
                source,
                days,
                first,
                last,
            } => Some(json!({ "after": {
                "pageId": page_id, "source": source, "days": days, "first": first, "last": last,
            } })),
            Self::PageTokenSet { graph_page_id } => {
                Some(json!({ "after": { "graphPageId": graph_page_id, "token": "(đã mã hóa)" } }))
            }
            Self::PageTokenRemoved => Some(json!({ "after": { "token": null } })),
            Self::PageReviewed { period, rating } => {
                Some(json!({ "after": { "period": period, "rating": rating } }))
            }
            Self::OutreachLogged {
                audience,
                channel,
                informed_on,
            } => Some(json!({ "after": {
                "audience": audience, "channel": channel, "informedOn": informed_on,
            } })),
            _ => None,
        }
    }
}

/// The Vietnamese name of a recorded action, for the audit trail's readers.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "account.create" => "Tạo tài khoản",
        "account.update" => "Sửa tài khoản",
        "account.disable" => "Khoá tài khoản",
        "account.enable" => "Mở khoá tài khoản",
        "account.reset_password" => "Cấp lại mật khẩu",
        "account.change_password" => "Đổi mật khẩu",
        "units.import" => "Nhập danh sách đơn vị",
        "page.create" => "Tạo trang",
        "page.update" => "Sửa trang",
        "page.report" => "Báo cáo trang lên cấp trên",
        "page.verify" => "Xác nhận trang",
        "page.return" => "Trả lại trang",
        "page.suspend" => "Tạm ngưng trang",
        "page.close" => "Đóng trang",
        "page.reopen" => "Mở lại trang",
        "page.assign" => "Phân công phụ trách, vận hành trang",
        "person.create" => "Thêm cán bộ",
        "person.update" => "Sửa thông tin cán bộ",
        "person.remove" => "Xoá cán bộ",
        "rollout.set_plan" => "Đặt chỉ tiêu triển khai",
        "report.create_round" => "Yêu cầu báo cáo kết quả triển khai",
        "report.submit" => "Nộp báo cáo",
        "report.accept" => "Tiếp nhận báo cáo",
        "report.return" => "Trả lại báo cáo",
        "campaign.create" => "Phát động đợt tuyên truyền",
        "post.log" => "Ghi nhận bài viết",
        "post.record_share" => "Ghi nhận chia sẻ bài viết",
        "post.request_shares" => "Đề nghị chia sẻ bài viết",
        "stats.record" => "Cập nhật số liệu trang",
        "page.set_token" => "Kết nối Graph API cho trang",
        "page.remove_token" => "Gỡ kết nối Graph API của trang",
        "page.review" => "Đánh giá hiệu quả trang",
        "outreach.log" => "Ghi nhận tuyên truyền, giới thiệu trang",
        _ => "Thay đổi khác",
    }
}

/// Records `event` about `target_id` (when it is about one object), at the unit at `unit`,
/// done by `by`.
pub async fn record(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit: &UnitPath,
    target_id: Option<Uuid>,
    event: &Event,
) -> Result<(), store::StoreError> {
    store::audit::record(
        db,
        store::audit::Event {
            actor_id: by.account_id(),
            via: match by {
                By::Account(_) => store::audit::Via::Api,
                By::Operator => store::audit::Via::Cli,
            },
            action: event.action(),
            target_type: event.target_type(),
            target_id,
            unit_path: Some(unit),
            actor_unit_path: match by {
                By::Account(actor) => Some(&actor.unit_path),
                By::Operator => None,
            },
            request_id: request_id().as_deref(),
            detail: event.detail(),
        },
    )
    .await
}
