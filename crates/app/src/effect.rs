//! How effective and far-reaching the pages are (G8): figures per page, rankings among sibling
//! units, the periodic review by the level above, and the outreach log (G7).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::effect::{Effectiveness, RankBy, Rating, ReviewPeriod, rank};
use domain::page::{Page, Platform};
use domain::policy::Action;
use domain::unit::UnitPath;
use domain::{Unit, UnitLevel};
use store::effect::{OutreachEntry, Review};
use store::units::UnitFilter;
use store::{Begin, ConnectionTrait, Slice, SliceRequest, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::error::Problems;
use crate::pages::{page_for, today};
use crate::rollout::unit_for;
use crate::{AppError, By};

/// The figures of pages, each given with its unit's path: one statement for the whole list.
pub async fn figures(
    db: &impl ConnectionTrait,
    pages: &[(Uuid, UnitPath)],
) -> Result<HashMap<Uuid, Effectiveness>, AppError> {
    let keyed: Vec<(Uuid, Vec<UnitPath>)> = pages
        .iter()
        .map(|(id, path)| (*id, path.ancestors()))
        .collect();
    Ok(store::effect::figures(db, &keyed, today(), Utc::now())
        .await?
        .into_iter()
        .collect())
}

/// The most units one ranking holds.
pub const RANKED_MAX: u64 = 2_000;

/// One line of a ranking.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// 1 for the best; equal figures share a rank; `None` without the figure.
    pub rank: Option<u32>,
    pub unit: Unit,
    pub page: Option<Page>,
    pub figures: Effectiveness,
}

/// The units directly below the one with `unit_code`, ranked by their pages' figure `by`.
pub async fn ranking(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    rank_by: RankBy,
    level: Option<UnitLevel>,
) -> Result<(Unit, Vec<Ranked>), AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let filter = match level {
        // The communes of a province, across its districts.
        Some(level) => UnitFilter {
            within: Some(unit.path.clone()),
            level: Some(level),
            ..UnitFilter::default()
        },
        None => UnitFilter {
            parent_id: Some(unit.id),
            ..UnitFilter::default()
        },
    };
    let children = store::units::list(
        db,
        &filter,
        &SliceRequest {
            first: RANKED_MAX + 1,
            after: None,
        },
    )
    .await?
    .items;
    if children.len() > usize::try_from(RANKED_MAX).unwrap_or(usize::MAX) {
        return Err(AppError::invalid(
            Some("level"),
            "TOO_MANY_UNITS",
            format!("Bảng xếp hạng tối đa {RANKED_MAX} đơn vị: hãy chọn một đơn vị nhỏ hơn."),
        ));
    }
    let ids: Vec<Uuid> = children.iter().map(|c| c.id).collect();
    let pages = store::pages::live_of_units(db, &ids, Platform::Facebook).await?;
    let pages: HashMap<Uuid, Page> = pages.into_iter().map(|p| (p.unit_id, p)).collect();
    let keyed: Vec<(Uuid, UnitPath)> = children
        .iter()
        .filter_map(|c| pages.get(&c.id).map(|p| (p.id, c.path.clone())))
        .collect();
    let computed = figures(db, &keyed).await?;
    let items: Vec<(Unit, Effectiveness)> = children
        .into_iter()
        .map(|c| {
            let e = pages
                .get(&c.id)
                .and_then(|p| computed.get(&p.id))
                .copied()
                .unwrap_or_default();
            (c, e)
        })
        .collect();
    let ranked = rank(items, rank_by)
        .into_iter()
        .map(|(rank, unit, figures)| Ranked {
            rank,
            page: pages.get(&unit.id).cloned(),
            unit,
            figures,
        })
        .collect();
    Ok((unit, ranked))
}

/// The longest comments or recommendations, in characters.
pub const REVIEW_TEXT_MAX: usize = 4_000;

/// A review to write.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub page_id: Uuid,
    pub period: String,
    pub rating: Rating,
    pub comments: Option<String>,
    pub recommendations: Option<String>,
}

/// Writes the level above's assessment of a page for a period, from its figures as they
/// stand: an admin of a unit above the page's. One review per page and period.
pub async fn review_page(
    db: &impl Begin,
    by: By<'_>,
    input: ReviewInput,
) -> Result<Review, AppError> {
    let (page, unit) = page_for(db, by, input.page_id, Action::Read).await?;
    by.may(Action::Approve, &unit.path)?;
    let mut problems = Problems::default();
    let period = problems.check("period", ReviewPeriod::parse(&input.period));
    let comments = problems.text("comments", input.comments.as_deref(), REVIEW_TEXT_MAX);
    let recommendations = problems.text(
        "recommendations",
        input.recommendations.as_deref(),
        REVIEW_TEXT_MAX,
    );
    if let Some(p) = &period
        && p.start > today()
    {
        problems.user_error("period", "PERIOD_NOT_STARTED", "Kỳ đánh giá chưa bắt đầu.");
    }
    problems.done()?;
    let Some(period) = period else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let computed = figures(db, &[(page.id, unit.path.clone())]).await?;
    let reviewer_unit_id = match by {
        By::Account(actor) => store::units::by_code(db, actor.unit_path.code())
            .await?
            .map_or(unit.id, |u| u.id),
        By::Operator => unit.parent_id.unwrap_or(unit.id),
    };
    let review = Review {
        id: Uuid::now_v7(),
        page_id: page.id,
        unit_id: unit.id,
        reviewer_unit_id,
        period: period.label.clone(),
        period_start: period.start,
        period_end: period.end,
        rating: input.rating,
        comments,
        recommendations,
        figures: computed.get(&page.id).copied().unwrap_or_default(),
        created_by: by.account_id(),
        created_at: Utc::now(),
    };
    let txn = store::begin(db).await?;
    match store::effect::insert_review(&txn, &review).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::invalid(
                Some("period"),
                "ALREADY_REVIEWED",
                format!("Trang đã được đánh giá cho {}.", period.label_vi()),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let audited = Event::PageReviewed {
        period: review.period.clone(),
        rating: review.rating.as_str().to_owned(),
    };
    audit::record(&txn, by, &unit.path, Some(page.id), &audited).await?;
    store::commit(txn).await?;
    Ok(review)
}

/// The subtree whose pages' reviews a list holds, and the period, checked.
pub async fn reviews_scope(
    db: &impl ConnectionTrait,
    by: By<'_>,
    unit_code: &str,
    period: Option<&str>,
) -> Result<(Unit, Option<ReviewPeriod>), AppError> {
    let unit = unit_for(db, by, unit_code, Action::Read).await?;
    let period = period
        .map(ReviewPeriod::parse)
        .transpose()
        .map_err(|e| AppError::Invalid(vec![crate::UserError::from_domain("period", &e)]))?;
    Ok((unit, period))
}

/// One slice of the reviews of the pages of `unit`'s subtree.
pub async fn reviews(
    db: &impl ConnectionTrait,
    unit: &Unit,
    period: Option<&ReviewPeriod>,
    slice: &SliceRequest<(chrono::DateTime<Utc>, Uuid)>,
) -> Result<Slice<Review>, AppError> {
    Ok(store::effect::reviews(db, &unit.path, period.map(|p| p.label.as_str()), slice).await?)
}

/// Whom a unit told about its page (G7).
#[derive(Debug, Clone)]
pub struct OutreachInput {
    pub unit_code: String,
    pub audience_kind: String,
    pub audience: String,
    pub channel: String,
    pub informed_on: NaiveDate,
    pub reached: Option<i32>,
    pub note: Option<String>,
}

/// The kinds of audience.
pub const AUDIENCE_KINDS: [&str; 3] = ["MEMBER_ORGANISATION", "RESIDENTIAL_AREA", "OTHER"];
/// The channels.
pub const CHANNELS: [&str; 6] = [
    "MEETING",
    "ZALO",
    "LOUDSPEAKER",
    "NOTICE_BOARD",
    "DOCUMENT",
    "OTHER",
];

/// Logs that a unit told an organisation or a residential area about its page: an operator
/// or admin of the unit.
pub async fn log_outreach(
    db: &impl Begin,
    by: By<'_>,
    input: OutreachInput,
) -> Result<OutreachEntry, AppError> {
    let unit = unit_for(db, by, &input.unit_code, Action::Write).await?;
    let mut problems = Problems::default();
    let audience = problems.check("audience", domain::rollout::parse_title(&input.audience));
    let note = problems.text("note", input.note.as_deref(), REVIEW_TEXT_MAX);
    if input.informed_on > today() {
        problems.check::<()>("informedOn", Err(domain::DomainError::DateInFuture));
    }
    if input.reached.is_some_and(|n| n < 0) {
        problems.check::<()>("reached", Err(domain::DomainError::InvalidFigure));
    }
    problems.done()?;
    let (Some(audience), true, true) = (
        audience,
        AUDIENCE_KINDS.contains(&input.audience_kind.as_str()),
        CHANNELS.contains(&input.channel.as_str()),
    ) else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let entry = OutreachEntry {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        audience_kind: input.audience_kind,
        audience,
        channel: input.channel,
        informed_on: input.informed_on,
        reached: input.reached,
        note,
        created_by: by.account_id(),
        created_at: Utc::now(),
    };
    let txn = store::begin(db).await?;
    store::effect::insert_outreach(&txn, &entry).await?;
    let audited = Event::OutreachLogged {
        audience: entry.audience.clone(),
        channel: entry.channel.clone(),
        informed_on: entry.informed_on,
    };
    audit::record(&txn, by, &unit.path, Some(entry.id), &audited).await?;
    store::commit(txn).await?;
    Ok(entry)
}
