//! Tỉnh → Huyện → Xã: where a unit sits, with links to the levels the officer may open.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::models::Unit;

#[derive(Properties, PartialEq)]
pub struct BreadcrumbsProps {
    /// From the province down, the current unit last.
    pub trail: Vec<Unit>,
    /// The officer's own unit: levels above it are shown but not linked (out of scope).
    pub home_code: AttrValue,
    /// Link each level to its dashboard instead of its unit screen.
    #[prop_or_default]
    pub dashboard: bool,
}

#[function_component]
pub fn Breadcrumbs(props: &BreadcrumbsProps) -> Html {
    let home = props
        .trail
        .iter()
        .position(|u| u.code == props.home_code.as_str());
    let last = props.trail.len().saturating_sub(1);
    let items = props.trail.iter().enumerate().map(|(i, unit)| {
        let label = unit.full_name.clone();
        let linked = home.is_some_and(|home| i >= home) && i < last;
        let content = if linked {
            let code = unit.code.clone();
            let to = if props.dashboard {
                Route::Dashboard { code }
            } else {
                Route::Unit { code }
            };
            html! { <Link<Route> {to}>{ label }</Link<Route>> }
        } else if i == last {
            html! { <span aria-current="page">{ label }</span> }
        } else {
            html! { <span>{ label }</span> }
        };
        html! { <li title={unit.level.label()}>{ content }</li> }
    });
    html! {
        <nav aria-label="breadcrumb" class="breadcrumbs">
            <ul>{ for items }</ul>
        </nav>
    }
}
