//! Community pages: registered by their unit's officers, reported to the level above, verified
//! or returned there, suspended, closed and reopened by admins (G1, G3–G6).

use chrono::{NaiveDate, Utc};
use domain::page::{Page, PageEvent, PageStatus, Platform, Transition};
use domain::page_name::{Named, PageName};
use domain::page_url::PageUrl;
use domain::policy::Action;
use domain::{DomainError, Unit};
use store::{Begin, ConnectionTrait, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event, PageFields};
use crate::error::Problems;
use crate::{AppError, By};

/// The longest notes on a page, in characters.
pub const NOTES_MAX: usize = 2000;
/// The longest reason given for a step, in characters.
pub const REASON_MAX: usize = 1000;
/// The longest supporting organisation or contact, in characters.
pub const SUPPORT_MAX: usize = 200;

/// A new page.
#[derive(Debug, Clone)]
pub struct NewPageInput {
    pub unit_code: String,
    pub platform: Platform,
    pub name: String,
    pub url: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub supported_by: Option<String>,
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
}

/// Changes to a page; `None` keeps a field, an empty text clears an optional one.
#[derive(Debug, Clone)]
pub struct PageChanges {
    pub page_id: Uuid,
    /// The version the officer edited: a page changed since is not overwritten.
    pub expected_version: i32,
    pub name: Option<String>,
    pub url: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub supported_by: Option<String>,
    pub supporter_contact: Option<String>,
    pub notes: Option<String>,
}

/// The prescribed name of `unit`'s page, from the unit and the units above it.
pub async fn prescribed_name(db: &impl ConnectionTrait, unit: &Unit) -> Result<PageName, AppError> {
    let ancestors = store::units::ancestors(db, unit).await?;
    Ok(page_name_of(unit, ancestors.iter().rev()))
}

/// The prescribed name of `unit`'s page, given the units above it, nearest first.
pub fn page_name_of<'a>(unit: &Unit, above: impl Iterator<Item = &'a Unit>) -> PageName {
    let above: Vec<Named<'_>> = above
        .map(|u| Named {
            kind: u.kind,
            name: &u.name,
        })
        .collect();
    PageName::of(
        Named {
            kind: unit.kind,
            name: &unit.name,
        },
        &above,
    )
}

/// The prescribed page name of the unit with this code, which the actor must read: to check
/// a proposed name against.
pub async fn prescribed_name_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
) -> Result<PageName, AppError> {
    let unit = store::units::by_code(db, unit_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::Read, &unit.path)?;
    prescribed_name(db, &unit).await
}

/// The link of a page on `platform`, in its canonical form.
pub fn parse_url(platform: Platform, url: &str) -> Result<String, DomainError> {
    match platform {
        Platform::Facebook => PageUrl::parse(url).map(|u| u.as_str().to_owned()),
        _ => domain::page::parse_web_url(url),
    }
}

fn conflict_error(what: &str) -> AppError {
    match what {
        "url" => AppError::invalid(
            Some("url"),
            "URL_TAKEN",
            "Đường dẫn này đã được đăng ký cho một trang khác.",
        ),
        "version" => stale(),
        _ => AppError::invalid(
            Some("unitCode"),
            "PAGE_EXISTS",
            "Đơn vị đã có một trang đang hoạt động trên nền tảng này.",
        ),
    }
}

/// A closed page is reopened before it is changed.
pub(crate) fn closed() -> AppError {
    AppError::invalid(
        None,
        "PAGE_CLOSED",
        "Trang đã đóng: hãy mở lại trang trước khi sửa hoặc phân công.",
    )
}

fn stale() -> AppError {
    AppError::invalid(
        Some("expectedVersion"),
        "STALE_VERSION",
        "Trang vừa được người khác thay đổi. Hãy tải lại để xem bản mới nhất rồi sửa lại.",
    )
}

fn event(
    page: &Page,
    by: By<'_>,
    action: &str,
    from: Option<PageStatus>,
    reason: Option<String>,
) -> PageEvent {
    PageEvent {
        id: Uuid::now_v7(),
        page_id: page.id,
        occurred_at: page.updated_at,
        actor_id: by.account_id(),
        action: action.to_owned(),
        from_status: from,
        to_status: page.status,
        reason,
    }
}

/// Registers a page of a unit: its own officers (operators and admins) do.
pub async fn create_page(
    db: &impl Begin,
    by: By<'_>,
    input: NewPageInput,
) -> Result<Page, AppError> {
    let unit = store::units::by_code(db, input.unit_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::Write, &unit.path)?;

    let mut problems = Problems::default();
    let name = problems.check("name", domain::page::parse_page_name(&input.name));
    let url = input
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .and_then(|url| problems.check("url", parse_url(input.platform, url)));
    let supported_by = problems.text("supportedBy", input.supported_by.as_deref(), SUPPORT_MAX);
    let supporter_contact = problems.text(
        "supporterContact",
        input.supporter_contact.as_deref(),
        SUPPORT_MAX,
    );
    let notes = problems.text("notes", input.notes.as_deref(), NOTES_MAX);
    if let Some(on) = input.established_on {
        problems.check(
            "establishedOn",
            domain::page::check_established_on(on, today()),
        );
    }
    problems.done()?;
    let Some(name) = name else {
        return Err(AppError::Invalid(Vec::new()));
    };

    let name_conforms = prescribed_name(db, &unit).await?.conforms(&name);
    let now = Utc::now();
    let page = Page {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        platform: input.platform,
        status: PageStatus::initial(url.is_some()),
        name,
        name_conforms,
        url,
        established_on: input.established_on,
        supported_by,
        supporter_contact,
        notes,
        version: 1,
        reported_at: None,
        created_by: by.account_id(),
        created_at: now,
        updated_by: by.account_id(),
        updated_at: now,
    };
    let txn = store::begin(db).await?;
    match store::pages::insert(&txn, &page).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) => return Err(conflict_error(&what)),
        Err(e) => return Err(e.into()),
    }
    store::pages::add_event(&txn, &event(&page, by, "create", None, None)).await?;
    let audited = Event::PageCreated {
        unit: unit.code.clone(),
        page: PageFields::of(&page),
    };
    audit::record(&txn, by, &unit.path, Some(page.id), &audited).await?;
    store::commit(txn).await?;
    Ok(page)
}

/// The page with this id and its unit, if the actor may take `action` on it; otherwise
/// `NotFound` or `Forbidden` as the policy decides (never telling an unreadable page from a
/// missing one).
pub async fn page_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    page_id: Uuid,
    action: Action,
) -> Result<(Page, Unit), AppError> {
    let page = store::pages::by_id(db, page_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = store::units::by_id(db, page.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(action, &unit.path)?;
    Ok((page, unit))
}

/// Changes a page's details. A verified page whose name or link changes goes back to the
/// level above for verification; a draft that gets its link is established.
pub async fn update_page(
    db: &impl Begin,
    by: By<'_>,
    changes: PageChanges,
) -> Result<Page, AppError> {
    let (page, unit) = page_for(db, by, changes.page_id, Action::Write).await?;
    if page.version != changes.expected_version {
        return Err(stale());
    }
    if !page.status.is_live() {
        return Err(closed());
    }
    let mut problems = Problems::default();
    let name = changes
        .name
        .as_deref()
        .and_then(|n| problems.check("name", domain::page::parse_page_name(n)));
    let url = changes
        .url
        .as_deref()
        .and_then(|u| problems.check("url", parse_url(page.platform, u.trim())));
    let supported_by = problems.text("supportedBy", changes.supported_by.as_deref(), SUPPORT_MAX);
    let supporter_contact = problems.text(
        "supporterContact",
        changes.supporter_contact.as_deref(),
        SUPPORT_MAX,
    );
    let notes = problems.text("notes", changes.notes.as_deref(), NOTES_MAX);
    if let Some(on) = changes.established_on {
        problems.check(
            "establishedOn",
            domain::page::check_established_on(on, today()),
        );
    }
    problems.done()?;
    let mut updated = page.clone();
    if let Some(name) = name {
        updated.name = name;
    }
    if let Some(url) = url {
        updated.url = Some(url);
    }
    if changes.established_on.is_some() {
        updated.established_on = changes.established_on;
    }
    if changes.supported_by.is_some() {
        updated.supported_by = supported_by;
    }
    if changes.supporter_contact.is_some() {
        updated.supporter_contact = supporter_contact;
    }
    if changes.notes.is_some() {
        updated.notes = notes;
    }
    let renamed = updated.name != page.name || updated.url != page.url;
    if updated.name != page.name {
        updated.name_conforms = prescribed_name(db, &unit)
            .await?
            .check(&updated.name)
            .conforms;
    }
    updated.status = page.status.after_edit(updated.url.is_some(), renamed);
    let now = Utc::now();
    if updated.status == PageStatus::Reported && page.status != PageStatus::Reported {
        updated.reported_at = Some(now);
    }
    if updated == page {
        return Ok(page);
    }
    updated.version = page.version + 1;
    updated.updated_by = by.account_id();
    updated.updated_at = now;

    let txn = store::begin(db).await?;
    match store::pages::save(&txn, &updated, page.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) => return Err(conflict_error(&what)),
        Err(e) => return Err(e.into()),
    }
    let from = (updated.status != page.status).then_some(page.status);
    store::pages::add_event(&txn, &event(&updated, by, "update", from, None)).await?;
    let audited = Event::PageUpdated {
        before: PageFields::of(&page),
        after: PageFields::of(&updated),
    };
    audit::record(&txn, by, &unit.path, Some(page.id), &audited).await?;
    store::commit(txn).await?;
    Ok(updated)
}

/// Takes a step in a page's life: report, verify, return, suspend, close, reopen. Who may
/// take which step is the policy's ([`Transition::action`]); nobody verifies or returns its
/// own unit's page.
pub async fn transition(
    db: &impl Begin,
    by: By<'_>,
    page_id: Uuid,
    step: Transition,
    reason: Option<&str>,
) -> Result<Page, AppError> {
    let (page, unit) = page_for(db, by, page_id, step.action()).await?;
    let mut problems = Problems::default();
    let reason = problems.text("reason", reason, REASON_MAX);
    problems.done()?;
    if step.needs_reason() && reason.is_none() {
        return Err(AppError::invalid(
            Some("reason"),
            "REASON_REQUIRED",
            "Hãy ghi rõ lý do trả lại để đơn vị biết cần sửa gì.",
        ));
    }
    let status = page
        .status
        .apply(step, page.url.is_some())
        .map_err(|e| AppError::invalid(None, e.code(), e.to_string()))?;
    let now = Utc::now();
    let mut updated = page.clone();
    updated.status = status;
    updated.version = page.version + 1;
    updated.updated_by = by.account_id();
    updated.updated_at = now;
    if status == PageStatus::Reported {
        updated.reported_at = Some(now);
    }
    let txn = store::begin(db).await?;
    match store::pages::save(&txn, &updated, page.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) if what == "version" => {
            // Another officer took a step first: the page is no longer where this one began.
            return Err(AppError::invalid(
                None,
                "STALE_VERSION",
                "Trang vừa được người khác thay đổi. Hãy tải lại rồi thử lại.",
            ));
        }
        // Reopening while the unit registered another page in the meantime.
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::invalid(
                None,
                "PAGE_EXISTS",
                "Đơn vị đã có một trang khác đang hoạt động trên nền tảng này: hãy đóng trang đó trước khi mở lại trang này.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    store::pages::add_event(
        &txn,
        &event(
            &updated,
            by,
            step.as_str(),
            Some(page.status),
            reason.clone(),
        ),
    )
    .await?;
    let audited = Event::PageTransitioned {
        step,
        from: page.status,
        to: status,
        reason,
    };
    audit::record(&txn, by, &unit.path, Some(page.id), &audited).await?;
    store::commit(txn).await?;
    Ok(updated)
}

/// Checks every live page's name against the unit tree as it now is, and records which
/// conform: after an import renamed or moved units, the prescribed names change with them.
pub async fn check_names_again(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    let pages = store::pages::live_names(db).await?;
    if pages.is_empty() {
        return Ok(());
    }
    let units: std::collections::HashMap<Uuid, Unit> = store::units::all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let (mut now_conform, mut now_not) = (Vec::new(), Vec::new());
    for (id, unit_id, name, conformed) in pages {
        let Some(unit) = units.get(&unit_id) else {
            continue;
        };
        let above = std::iter::successors(unit.parent_id.and_then(|p| units.get(&p)), |u| {
            u.parent_id.and_then(|p| units.get(&p))
        })
        // A corrupt cycle of parents cannot loop: no tree is deeper than this.
        .take(8);
        let conforms = page_name_of(unit, above).conforms(&name);
        match (conformed, conforms) {
            (false, true) => now_conform.push(id),
            (true, false) => now_not.push(id),
            _ => {}
        }
    }
    store::pages::set_name_conforms(db, &now_conform, true).await?;
    store::pages::set_name_conforms(db, &now_not, false).await
}

/// Today in Việt Nam.
pub fn today() -> NaiveDate {
    domain::time::today_in_vietnam(Utc::now())
}
