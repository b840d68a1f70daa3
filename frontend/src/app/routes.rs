//! Every screen's address, and which screen an address shows.

use yew::prelude::*;
use yew_router::prelude::*;

use super::{
    accounts, audit, campaigns, dashboard, my_account, not_found, outreach, page, page_form,
    page_list, poster, posts, rankings, reports, reviews, shares, staff, stats, units,
};

/// Every screen's address. Paths are Vietnamese without diacritics, as officers read them.
#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    /// The dashboard of the officer's own unit.
    #[at("/")]
    Home,
    #[at("/tong-quan/:code")]
    Dashboard { code: String },
    #[at("/bao-cao")]
    Rounds,
    #[at("/bao-cao/:id")]
    Round { id: String },
    #[at("/bao-cao/don-vi/:id")]
    Report { id: String },
    #[at("/don-vi/:code")]
    Unit { code: String },
    #[at("/don-vi/:code/tai-khoan")]
    UnitAccounts { code: String },
    #[at("/don-vi/:code/can-bo")]
    UnitPeople { code: String },
    #[at("/don-vi/:code/nhat-ky")]
    UnitAudit { code: String },
    #[at("/don-vi/:code/trang/tao")]
    CreatePage { code: String },
    #[at("/trang")]
    Pages,
    #[at("/xac-nhan")]
    Verification,
    #[at("/trang/:id")]
    Page { id: String },
    #[at("/trang/:id/sua")]
    EditPage { id: String },
    #[at("/trang/:id/ap-phich")]
    Poster { id: String },
    #[at("/trang/:id/so-lieu")]
    PageStats { id: String },
    #[at("/trang/:id/danh-gia")]
    ReviewPage { id: String },
    #[at("/xep-hang")]
    Rankings,
    #[at("/xep-hang/:code")]
    RankingsOf { code: String },
    #[at("/danh-gia")]
    Reviews,
    #[at("/gioi-thieu")]
    Outreach,
    #[at("/dot-tuyen-truyen")]
    Campaigns,
    #[at("/dot-tuyen-truyen/:id")]
    Campaign { id: String },
    #[at("/bai-viet")]
    Posts,
    #[at("/chia-se")]
    Shares,
    #[at("/chia-se/:id")]
    ShareRequest { id: String },
    #[at("/nhat-ky")]
    Audit,
    #[at("/tai-khoan")]
    Accounts,
    #[at("/ca-nhan")]
    MyAccount,
    #[not_found]
    #[at("/khong-tim-thay")]
    NotFound,
}

/// The screen of `route`; `home` is the code of the officer's own unit.
pub fn switch(route: Route, home: &str) -> Html {
    match route {
        Route::Home => html! { <dashboard::Dashboard code={home.to_owned()} /> },
        Route::Dashboard { code } => html! { <dashboard::Dashboard {code} /> },
        Route::Rounds => html! { <reports::Rounds /> },
        Route::Round { id } => html! { <reports::RoundScreen {id} /> },
        Route::Report { id } => html! { <reports::ReportScreen {id} /> },
        Route::Unit { code } => html! { <units::Units {code} /> },
        Route::UnitAccounts { code } => html! { <accounts::Accounts code={Some(code)} /> },
        Route::CreatePage { code } => html! { <page_form::CreatePage {code} /> },
        Route::UnitPeople { code } => html! { <staff::PeopleScreen {code} /> },
        Route::Pages => html! { <page_list::Pages /> },
        Route::Verification => html! { <page_list::Verification /> },
        Route::Page { id } => html! { <page::PageScreen {id} /> },
        Route::EditPage { id } => html! { <page_form::EditPage {id} /> },
        Route::Poster { id } => html! { <poster::Poster {id} /> },
        Route::PageStats { id } => html! { <stats::PageStatsScreen {id} /> },
        Route::ReviewPage { id } => html! { <reviews::ReviewPageScreen {id} /> },
        Route::Rankings => html! { <rankings::Rankings code={None::<String>} /> },
        Route::RankingsOf { code } => html! { <rankings::Rankings code={Some(code)} /> },
        Route::Reviews => html! { <reviews::Reviews /> },
        Route::Outreach => html! { <outreach::Outreach /> },
        Route::Campaigns => html! { <campaigns::Campaigns /> },
        Route::Campaign { id } => html! { <campaigns::CampaignScreen {id} /> },
        Route::Posts => html! { <posts::Posts /> },
        Route::Shares => html! { <shares::Shares /> },
        Route::ShareRequest { id } => html! { <shares::ShareRequestScreen {id} /> },
        Route::Audit => html! { <audit::AuditTrail code={None::<String>} /> },
        Route::UnitAudit { code } => html! { <audit::AuditTrail code={Some(code)} /> },
        Route::Accounts => html! { <accounts::Accounts code={None::<String>} /> },
        Route::MyAccount => html! { <my_account::MyAccount /> },
        Route::NotFound => html! { <not_found::NotFound /> },
    }
}
