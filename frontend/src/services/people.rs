//! A unit's officers (cán bộ): listed, added, changed, taken off the list, and given a duty
//! on the unit's page.

use super::ops::{
    PageMutation, People, PersonMutation, Sent, assign_person, create_person, people,
    remove_person, update_person,
};
use super::pages::{Saved, page_saved};
use super::{Client, Slice};
use crate::error::Error;
use crate::models::{FieldErrors, Person, Unit, UserError};

/// How many officers one request asks for.
pub const LIST_LIMIT: i64 = 100;

/// A unit, whether the viewer may change its officers, and a slice of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub unit: Unit,
    pub ancestors: Vec<Unit>,
    pub can_write: bool,
    pub people: Slice<Person>,
}

pub async fn staff(
    client: &Client,
    code: &str,
    search: Option<&str>,
    after: Option<String>,
) -> Result<Staff, Error> {
    let data = client
        .execute::<People>(people::Variables {
            unit_code: code.to_owned(),
            search: search.map(str::to_owned),
            first: Some(LIST_LIMIT),
            after,
        })
        .await?;
    let unit = data.unit.ok_or(Error::NotFound)?;
    let list = data.people;
    Ok(Staff {
        ancestors: unit.ancestors.into_iter().map(Unit::from).collect(),
        can_write: unit.viewer_can.write,
        unit: unit.unit_fields.into(),
        people: Slice::new(
            list.nodes.into_iter().map(Person::from),
            list.total_count,
            list.page_info.has_next_page,
            list.page_info.end_cursor,
        ),
    })
}

/// How many officers a leader or operator picker offers at a time.
pub const PICK_LIMIT: i64 = 20;

/// The officers of a unit whose name, position, phone or e-mail has `search` in it (all
/// when empty), the first [`PICK_LIMIT`] of them: a picker's choices.
pub async fn pick(client: &Client, code: &str, search: &str) -> Result<Slice<Person>, Error> {
    let data = client
        .execute::<People>(people::Variables {
            unit_code: code.to_owned(),
            search: Some(search.trim().to_owned()).filter(|s| !s.is_empty()),
            first: Some(PICK_LIMIT),
            after: None,
        })
        .await?;
    let list = data.people;
    Ok(Slice::new(
        list.nodes.into_iter().map(Person::from),
        list.total_count,
        list.page_info.has_next_page,
        list.page_info.end_cursor,
    ))
}

/// The form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonForm {
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

impl PersonForm {
    pub fn of(person: &Person) -> Self {
        Self {
            full_name: person.full_name.clone(),
            position: person.position.clone(),
            phone: person.phone.clone(),
            email: person.email.clone().unwrap_or_default(),
        }
    }
}

/// The result of an officer mutation: the officer's name, or why it was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Done(String),
    Refused(FieldErrors),
}

fn change(name: Option<String>, errors: Vec<UserError>) -> Change {
    match name {
        Some(name) if errors.is_empty() => Change::Done(name),
        _ => Change::Refused(FieldErrors(errors)),
    }
}

pub async fn create(client: &Client, code: &str, form: &PersonForm) -> Result<Change, Error> {
    let email = form.email.trim();
    let data = client
        .execute_once::<PersonMutation<_>>(Sent::new(
            create_person::QUERY,
            create_person::OPERATION_NAME,
            create_person::Variables {
                input: create_person::CreatePersonInput {
                    unit_code: code.to_owned(),
                    full_name: form.full_name.trim().to_owned(),
                    position: form.position.trim().to_owned(),
                    phone: form.phone.trim().to_owned(),
                    email: (!email.is_empty()).then(|| email.to_owned()),
                },
            },
        ))
        .await?;
    Ok(person_saved(data))
}

/// The officer's name from an officer mutation's answer, or why it was refused.
fn person_saved(data: create_person::ResponseData) -> Change {
    let p = data.result;
    change(
        p.person.map(|p| p.full_name),
        p.user_errors.into_iter().map(UserError::from).collect(),
    )
}

pub async fn update(client: &Client, person: &Person, form: &PersonForm) -> Result<Change, Error> {
    let data = client
        .execute::<PersonMutation<_>>(Sent::new(
            update_person::QUERY,
            update_person::OPERATION_NAME,
            update_person::Variables {
                input: update_person::UpdatePersonInput {
                    person_id: person.id.clone(),
                    expected_version: Some(person.version),
                    full_name: Some(form.full_name.trim().to_owned()),
                    position: Some(form.position.trim().to_owned()),
                    phone: Some(form.phone.trim().to_owned()),
                    email: Some(form.email.trim().to_owned()),
                },
            },
        ))
        .await?;
    Ok(person_saved(data))
}

pub async fn remove(client: &Client, id: &str) -> Result<Change, Error> {
    let data = client
        .execute::<PersonMutation<_>>(Sent::new(
            remove_person::QUERY,
            remove_person::OPERATION_NAME,
            remove_person::Variables {
                input: remove_person::RemovePersonInput {
                    person_id: id.to_owned(),
                },
            },
        ))
        .await?;
    Ok(person_saved(data))
}

/// Gives the page's leader duty (`leader`) or operator duty to the officer, from today.
pub async fn assign(
    client: &Client,
    page_id: &str,
    person_id: &str,
    leader: bool,
) -> Result<Saved, Error> {
    let variables = assign_person::Variables {
        input: assign_person::AssignPersonInput {
            page_id: page_id.to_owned(),
            person_id: person_id.to_owned(),
            duty: if leader {
                assign_person::Duty::LEADER
            } else {
                assign_person::Duty::OPERATOR
            },
            from: None,
        },
    };
    let data = client
        .execute::<PageMutation<_>>(Sent::new(
            assign_person::QUERY,
            assign_person::OPERATION_NAME,
            variables,
        ))
        .await?;
    Ok(page_saved(data))
}
