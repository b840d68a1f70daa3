use async_graphql::{ID, Interface};

use super::account::Account;
use super::audit::AuditEvent;
use super::campaign::{Campaign, Post, ShareRequest};
use super::page::{Page, Person};
use super::report::{Report, ReportingRound};
use super::stats::{OutreachEntry, PageReview};
use super::unit::Unit;

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global id: opaque and stable."
))]
pub enum Node {
    Unit(Unit),
    Account(Account),
    Page(Page),
    Person(Person),
    AuditEvent(AuditEvent),
    ReportingRound(ReportingRound),
    Report(Report),
    Campaign(Campaign),
    Post(Post),
    ShareRequest(ShareRequest),
    PageReview(PageReview),
    OutreachEntry(OutreachEntry),
}
