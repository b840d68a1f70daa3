//! The officers of a unit, and who of them leads and runs each page (G10).

use chrono::{NaiveDate, Utc};
use domain::Unit;
use domain::page::{Assignment, Duty, Page};
use domain::person::{Email, PersonName, Position};
use domain::phone::PhoneNumber;
use domain::policy::Action;
use domain::staff::Person;
use store::{Begin, ConnectionTrait, StoreError};
use uuid::Uuid;

use crate::audit::{self, Event, PersonFields};
use crate::error::Problems;
use crate::{AppError, By};

/// A new officer of a unit.
#[derive(Debug, Clone)]
pub struct NewPersonInput {
    pub unit_code: String,
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: Option<String>,
}

/// Changes to an officer; `None` keeps a field, an empty e-mail clears it.
#[derive(Debug, Clone)]
pub struct PersonChanges {
    pub person_id: Uuid,
    /// The version the officer edited, when the client knows it: a person changed since is
    /// not overwritten.
    pub expected_version: Option<i32>,
    pub full_name: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An optional e-mail; `None` when absent, empty or wrong (then with its problem noted).
fn parse_email(problems: &mut Problems, email: Option<&str>) -> Option<String> {
    email
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .and_then(|email| problems.check("email", Email::parse(email)))
        .map(|e| e.as_str().to_owned())
}

/// Registers an officer of a unit: its own operators and admins do.
pub async fn create_person(
    db: &impl Begin,
    by: By<'_>,
    input: NewPersonInput,
) -> Result<Person, AppError> {
    let unit = store::units::by_code(db, input.unit_code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(Action::Write, &unit.path)?;
    let mut problems = Problems::default();
    let name = problems.check("fullName", PersonName::parse(&input.full_name));
    let position = problems.check("position", Position::parse(&input.position));
    let phone = problems.check("phone", PhoneNumber::parse(&input.phone));
    let email = parse_email(&mut problems, input.email.as_deref());
    problems.done()?;
    let (Some(name), Some(position), Some(phone)) = (name, position, phone) else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let now = Utc::now();
    let person = Person {
        id: Uuid::now_v7(),
        unit_id: unit.id,
        full_name: name.as_str().to_owned(),
        position: position.as_str().to_owned(),
        phone: phone.as_str().to_owned(),
        email,
        version: 1,
        removed_at: None,
        created_at: now,
        updated_at: now,
    };
    let txn = store::begin(db).await?;
    store::people::insert(&txn, &person).await?;
    let event = Event::PersonCreated {
        unit: unit.code.clone(),
        person: PersonFields::of(&person),
    };
    audit::record(&txn, by, &unit.path, Some(person.id), &event).await?;
    store::commit(txn).await?;
    Ok(person)
}

/// The person with this id (not removed) and its unit, if the actor may take `action` on it.
pub async fn person_for(
    db: &impl ConnectionTrait,
    by: By<'_>,
    person_id: Uuid,
    action: Action,
) -> Result<(Person, Unit), AppError> {
    let person = store::people::by_id(db, person_id)
        .await?
        .filter(|p| p.removed_at.is_none())
        .ok_or(AppError::NotFound)?;
    let unit = store::units::by_id(db, person.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    by.may(action, &unit.path)?;
    Ok((person, unit))
}

fn stale() -> AppError {
    AppError::invalid(
        Some("expectedVersion"),
        "STALE_VERSION",
        "Thông tin cán bộ vừa được người khác thay đổi. Hãy tải lại rồi sửa lại.",
    )
}

/// Changes an officer's details.
pub async fn update_person(
    db: &impl Begin,
    by: By<'_>,
    changes: PersonChanges,
) -> Result<Person, AppError> {
    let (person, unit) = person_for(db, by, changes.person_id, Action::Write).await?;
    if changes
        .expected_version
        .is_some_and(|v| v != person.version)
    {
        return Err(stale());
    }
    let mut problems = Problems::default();
    let name = changes
        .full_name
        .as_deref()
        .and_then(|n| problems.check("fullName", PersonName::parse(n)));
    let position = changes
        .position
        .as_deref()
        .and_then(|p| problems.check("position", Position::parse(p)));
    let phone = changes
        .phone
        .as_deref()
        .and_then(|p| problems.check("phone", PhoneNumber::parse(p)));
    let email = parse_email(&mut problems, changes.email.as_deref());
    problems.done()?;
    let mut updated = person.clone();
    if let Some(name) = name {
        name.as_str().clone_into(&mut updated.full_name);
    }
    if let Some(position) = position {
        position.as_str().clone_into(&mut updated.position);
    }
    if let Some(phone) = phone {
        phone.as_str().clone_into(&mut updated.phone);
    }
    if changes.email.is_some() {
        updated.email = email;
    }
    if updated == person {
        return Ok(person);
    }
    updated.version = person.version + 1;
    updated.updated_at = Utc::now();
    let txn = store::begin(db).await?;
    match store::people::save(&txn, &updated, person.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(stale()),
        Err(e) => return Err(e.into()),
    }
    let event = Event::PersonUpdated {
        before: PersonFields::of(&person),
        after: PersonFields::of(&updated),
    };
    audit::record(&txn, by, &unit.path, Some(person.id), &event).await?;
    store::commit(txn).await?;
    Ok(updated)
}

/// Takes an officer off the unit's list. One who holds a duty on a page is refused: assign
/// someone else first. The person stays in the assignment history.
pub async fn remove_person(
    db: &impl Begin,
    by: By<'_>,
    person_id: Uuid,
) -> Result<Person, AppError> {
    let (person, unit) = person_for(db, by, person_id, Action::Write).await?;
    let txn = store::begin(db).await?;
    // Locked, so that an assignment of this person waits for the removal or the other way.
    let person = store::people::lock(&txn, person.id)
        .await?
        .filter(|p| p.removed_at.is_none())
        .ok_or(AppError::NotFound)?;
    if store::pages::holds_a_duty(&txn, person.id).await? {
        return Err(AppError::invalid(
            Some("personId"),
            "PERSON_HOLDS_DUTY",
            "Cán bộ này đang phụ trách hoặc vận hành một trang: hãy phân công người khác trước khi xoá.",
        ));
    }
    let mut removed = person.clone();
    removed.removed_at = Some(Utc::now());
    removed.updated_at = Utc::now();
    removed.version = person.version + 1;
    match store::people::save(&txn, &removed, person.version).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(stale()),
        Err(e) => return Err(e.into()),
    }
    let event = Event::PersonRemoved {
        person: PersonFields::of(&person),
    };
    audit::record(&txn, by, &unit.path, Some(person.id), &event).await?;
    store::commit(txn).await?;
    Ok(removed)
}

/// An assignment of a duty on a page.
#[derive(Debug, Clone)]
pub struct AssignInput {
    pub page_id: Uuid,
    pub person_id: Uuid,
    pub duty: Duty,
    /// `None`: today.
    pub from: Option<NaiveDate>,
}

/// Gives a duty on a page to an officer of the page's unit, ending the current holder's.
pub async fn assign_person(
    db: &impl Begin,
    by: By<'_>,
    input: AssignInput,
) -> Result<(Page, Assignment), AppError> {
    let (page, unit) = crate::pages::page_for(db, by, input.page_id, Action::Write).await?;
    if !page.status.is_live() {
        return Err(crate::pages::closed());
    }
    // Someone the actor cannot read answers as one that does not exist.
    let (person, _) = person_for(db, by, input.person_id, Action::Read).await?;
    if person.unit_id != page.unit_id {
        return Err(AppError::invalid(
            Some("personId"),
            "PERSON_NOT_OF_UNIT",
            "Chỉ cán bộ của chính đơn vị mới được phân công cho trang của đơn vị.",
        ));
    }
    let from = input.from.unwrap_or_else(crate::pages::today);
    let txn = store::begin(db).await?;
    // Still on the unit's list, and kept there until this assignment is written.
    store::people::lock(&txn, person.id)
        .await?
        .filter(|p| p.removed_at.is_none())
        .ok_or(AppError::NotFound)?;
    let current = store::pages::assignments_of(&txn, &[page.id], true)
        .await?
        .into_iter()
        .find(|a| a.duty == input.duty);
    if let Some(current) = &current {
        if current.person_id == person.id {
            return Err(AppError::invalid(
                Some("personId"),
                "ALREADY_ASSIGNED",
                "Cán bộ này đang giữ nhiệm vụ này của trang.",
            ));
        }
        if from < current.starts_on {
            return Err(AppError::invalid(
                Some("from"),
                "BEFORE_CURRENT",
                format!(
                    "Ngày bắt đầu không được trước ngày người đang giữ nhiệm vụ bắt đầu ({}).",
                    current.starts_on.format("%d/%m/%Y")
                ),
            ));
        }
        store::pages::end_duty(&txn, page.id, input.duty, from).await?;
    }
    let assignment = Assignment {
        id: Uuid::now_v7(),
        page_id: page.id,
        person_id: person.id,
        duty: input.duty,
        starts_on: from,
        ends_on: None,
        created_by: by.account_id(),
        created_at: Utc::now(),
    };
    match store::pages::add_assignment(&txn, &assignment).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(AppError::invalid(
                Some("duty"),
                "STALE_VERSION",
                "Nhiệm vụ này vừa được phân công cho người khác. Hãy tải lại rồi thử lại.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let event = Event::PersonAssigned {
        page_id: page.id,
        duty: input.duty,
        person_id: person.id,
        previous: current.map(|c| c.person_id),
        from,
    };
    audit::record(&txn, by, &unit.path, Some(page.id), &event).await?;
    store::commit(txn).await?;
    Ok((page, assignment))
}
