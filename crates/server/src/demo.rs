//! Demo data for `tcd serve --demo`: the pages of part of the demo province, so that the
//! dashboard shows a realistic picture on first start — every district but Phú Ninh (whose
//! officers create theirs in the walkthrough), about 60% of communes, a mix of statuses,
//! names, staffing, and a history spread over the past twelve weeks for the progress chart.
//!
//! Everything is decided by the units' codes, so every start draws the same picture.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::page::{Assignment, Duty, Page, PageEvent, PageStatus, Platform};
use domain::staff::Person;
use domain::{Unit, UnitLevel};
use store::DatabaseConnection;
use uuid::Uuid;

/// The district left without a page: the demo walkthrough creates it.
const WITHOUT_PAGE: &str = "518";
/// A commune that always has a page (Xã Tam Dân, in Phú Ninh): the walkthrough prints its
/// QR poster.
const WITH_PAGE: &str = "20392";

const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh"];
const GIVEN: [&str; 12] = [
    "An", "Bình", "Cường", "Dũng", "Hạnh", "Hoa", "Lan", "Long", "Nam", "Phương", "Tâm", "Vy",
];

/// FNV-1a: a stable hash of a unit's code, salted, to draw its demo facts.
fn draw(code: &str, salt: u8) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code.bytes().chain([salt]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn pick<'a>(list: &[&'a str], h: u64) -> &'a str {
    list[usize::try_from(h % list.len() as u64).unwrap_or(0)]
}

fn person(unit: &Unit, duty: Duty, at: DateTime<Utc>) -> Person {
    let h = draw(unit.code.as_str(), if duty == Duty::Leader { 7 } else { 8 });
    let position = match duty {
        Duty::Leader => format!(
            "Phó Chủ tịch Ủy ban MTTQ {}",
            unit.kind.as_str().to_lowercase()
        ),
        Duty::Operator => "Cán bộ Văn phòng Ủy ban MTTQ".to_owned(),
    };
    Person {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        full_name: format!(
            "{} {} {}",
            pick(&FAMILY, h),
            pick(&MIDDLE, h / 10),
            pick(&GIVEN, h / 100)
        ),
        position,
        phone: format!("09{:08}", h % 100_000_000),
        email: None,
        version: 1,
        removed_at: None,
        created_at: at,
        updated_at: at,
    }
}

/// What the demo says of one unit's page: its status and staffing.
struct Drawn {
    status: PageStatus,
    conforming_name: bool,
    leader: bool,
    operator: bool,
    /// Days before now the page was created.
    age_days: i64,
}

fn drawn(unit: &Unit) -> Option<Drawn> {
    let code = unit.code.as_str();
    let h = draw(code, 1);
    let has_page = match unit.level {
        UnitLevel::District => code != WITHOUT_PAGE,
        UnitLevel::Commune => h % 100 < 60 || code == WITH_PAGE,
        UnitLevel::Province => true,
        UnitLevel::Central => false,
    };
    if !has_page {
        return None;
    }
    let s = draw(code, 2) % 100;
    let status = match (unit.level, s) {
        // Nobody above a province verifies its page.
        (UnitLevel::Province, _) | (_, 70..88) => PageStatus::Established,
        (_, 0..45) => PageStatus::Verified,
        (_, 45..70) => PageStatus::Reported,
        (_, 88..94) => PageStatus::Returned,
        _ => PageStatus::Draft,
    };
    let staffing = draw(code, 3) % 100;
    Some(Drawn {
        status,
        conforming_name: draw(code, 4) % 100 >= 10,
        leader: staffing < 85,
        operator: staffing < 65,
        age_days: 14 + i64::try_from(draw(code, 5) % 70).unwrap_or(0),
    })
}

/// The steps a page in `status` went through: (action, from, to), after its creation.
fn steps(status: PageStatus) -> &'static [(&'static str, PageStatus, PageStatus)] {
    use PageStatus as S;
    match status {
        S::Reported => &[("report", S::Established, S::Reported)],
        S::Verified => &[
            ("report", S::Established, S::Reported),
            ("verify", S::Reported, S::Verified),
        ],
        S::Returned => &[
            ("report", S::Established, S::Reported),
            ("return", S::Reported, S::Returned),
        ],
        _ => &[],
    }
}

/// The page `d` draws for `unit` (with the units above it, nearest first) and its history.
fn demo_page<'a>(
    unit: &Unit,
    d: &Drawn,
    above: impl Iterator<Item = &'a Unit>,
    now: DateTime<Utc>,
) -> (Page, Vec<PageEvent>) {
    let prescribed = app::pages::page_name_of(unit, above);
    let name = if d.conforming_name {
        prescribed.display()
    } else {
        format!("Mặt trận {}", unit.name)
    };
    let created_at = now - Duration::days(d.age_days);
    let has_url = d.status != PageStatus::Draft;
    let established_on: Option<NaiveDate> =
        has_url.then(|| domain::time::today_in_vietnam(created_at));
    let mut page = Page {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        platform: Platform::Facebook,
        name_conforms: prescribed.conforms(&name),
        name,
        url: has_url.then(|| {
            format!(
                "https://www.facebook.com/{}.{}",
                prescribed.username(),
                unit.code.as_str()
            )
        }),
        status: PageStatus::initial(has_url),
        established_on,
        supported_by: (unit.level == UnitLevel::District)
            .then(|| format!("Huyện đoàn {}", unit.name)),
        supporter_contact: None,
        notes: None,
        version: 1,
        reported_at: None,
        created_by: None,
        created_at,
        updated_by: None,
        updated_at: created_at,
    };
    let mut events = vec![PageEvent {
        id: Uuid::now_v7(),
        page_id: page.id,
        occurred_at: created_at,
        actor_id: None,
        action: "create".to_owned(),
        from_status: None,
        to_status: page.status,
        reason: None,
    }];
    let mut at = created_at;
    for (i, &(action, from, to)) in steps(d.status).iter().enumerate() {
        let gap = 2 + i64::try_from(draw(unit.code.as_str(), 6 + u8::try_from(i).unwrap_or(0)) % 8)
            .unwrap_or(0);
        at = (at + Duration::days(gap)).min(now - Duration::hours(1));
        events.push(PageEvent {
            id: Uuid::now_v7(),
            page_id: page.id,
            occurred_at: at,
            actor_id: None,
            action: action.to_owned(),
            from_status: Some(from),
            to_status: to,
            reason: (action == "return")
                .then(|| "Tên trang chưa đúng quy định, đề nghị sửa lại.".to_owned()),
        });
        page.version += 1;
        page.updated_at = at;
        if to == PageStatus::Reported {
            page.reported_at = Some(at);
        }
    }
    page.status = d.status;
    page.status = d.status;
    (page, events)
}

/// On a database started with `--demo`: the demo accounts (if it has no accounts yet) and the
/// demo pages of the demo province of the unit list it holds (if its subtree has none yet).
pub async fn prepare(db: &DatabaseConnection) -> anyhow::Result<()> {
    crate::accounts::create_demo_accounts(db).await?;
    let province = if crate::seed::holding(db).await?.three_tier() {
        "49"
    } else {
        "48"
    };
    let registered = register_demo_pages(db, province).await?;
    if registered > 0 {
        tracing::info!(pages = registered, province, "demo pages registered");
    }
    Ok(())
}

/// Registers the demo pages of the province with this code, unless its subtree has pages
/// already. Returns how many it registered.
pub async fn register_demo_pages(
    db: &DatabaseConnection,
    province_code: &str,
) -> anyhow::Result<usize> {
    let province = store::units::by_code(db, province_code)
        .await?
        .with_context(|| format!("no unit {province_code} for the demo pages"))?;
    if !store::reports::live_pages_in(db, &province.path)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let units = store::units::subtree(db, &province.path).await?;
    let mut known: HashMap<Uuid, Unit> = store::units::ancestors(db, &province)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    known.extend(units.iter().map(|u| (u.id, u.clone())));
    let now = Utc::now();
    let txn = store::begin(db).await?;
    let mut registered = 0;
    for unit in &units {
        let Some(d) = drawn(unit) else {
            continue;
        };
        let above = std::iter::successors(unit.parent_id.and_then(|p| known.get(&p)), |u| {
            u.parent_id.and_then(|p| known.get(&p))
        })
        .take(8);
        let (page, events) = demo_page(unit, &d, above, now);
        let created_at = page.created_at;
        store::pages::insert(&txn, &page).await?;
        for event in &events {
            store::pages::add_event(&txn, event).await?;
        }
        for (duty, held) in [(Duty::Leader, d.leader), (Duty::Operator, d.operator)] {
            if !held {
                continue;
            }
            let officer = person(unit, duty, created_at);
            store::people::insert(&txn, &officer).await?;
            store::pages::add_assignment(
                &txn,
                &Assignment {
                    id: Uuid::now_v7(),
                    page_id: page.id,
                    person_id: officer.id,
                    duty,
                    starts_on: domain::time::today_in_vietnam(created_at),
                    ends_on: None,
                    created_by: None,
                    created_at,
                },
            )
            .await?;
        }
        registered += 1;
    }
    store::commit(txn).await?;
    Ok(registered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_is_stable_and_spread() {
        assert_eq!(draw("20365", 1), draw("20365", 1));
        assert_ne!(draw("20365", 1), draw("20365", 2));
        let with_page = (20_000..21_000)
            .filter(|c| draw(&c.to_string(), 1) % 100 < 60)
            .count();
        assert!((520..680).contains(&with_page), "{with_page} of 1,000");
    }
}
