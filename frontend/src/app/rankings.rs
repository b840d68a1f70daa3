//! "Xếp hạng": the units directly below a unit (the officer's own, or the one in the
//! address) ranked by a figure of their pages, the best first; units without the figure
//! last. Each unit opens the ranking of its own units below.

use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::stats::{count, growth};
use crate::components::chart::{Chart, bar_chart, line_chart};
use crate::components::{Empty, ErrorBox, Loading};
use crate::hooks::{use_fetch, use_session, use_title};
use crate::services::stats::{self as service, RankBy, RankedUnit, StatsPoint};
use crate::text::{day_month, decimal, percent, thousands, vietnam_today};

#[derive(Properties, PartialEq)]
pub struct RankingsProps {
    /// The unit whose units below are ranked; the officer's own when `None`.
    pub code: Option<String>,
}

#[function_component]
pub fn Rankings(props: &RankingsProps) -> Html {
    use_title("Xếp hạng");
    let session = use_session();
    let code = props.code.clone().unwrap_or_else(|| {
        session
            .account()
            .map(|a| a.unit.code.clone())
            .unwrap_or_default()
    });
    let by = use_state(|| RankBy::Followers);
    let key = (code.clone(), *by);
    let ranking = {
        let client = session.client();
        use_fetch(key.clone(), move |(code, by)| async move {
            service::rankings(&client, &code, by).await
        })
    };
    let onchange = {
        let by = by.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(chosen) = RankBy::from_key(&value) {
                by.set(chosen);
            }
        })
    };
    let options = RankBy::ALL.into_iter().map(|b| {
        html! { <option value={b.key()} selected={b == *by}>{ b.label() }</option> }
    });
    let body = match ranking.for_key(&key).cloned() {
        None => html! { <Loading text="Đang tải xếp hạng…" /> },
        Some(Err(error)) => html! { <ErrorBox {error} on_retry={ranking.reload()} /> },
        Some(Ok(r)) => html! {
            <>
                <p class="subtitle">{ format!("Các đơn vị trực thuộc {}", r.full_name) }</p>
                if r.items.is_empty() {
                    <Empty text="Không có đơn vị trực thuộc để xếp hạng." />
                } else {
                    { table(&r.items) }
                }
            </>
        },
    };
    html! {
        <section class="rankings">
            <h1>{ "Xếp hạng" }</h1>
            if !code.is_empty() {
                <SubtreeCharts {code} />
            }
            <label for="rank-by">
                { "Xếp theo" }
                <select id="rank-by" name="rank-by" {onchange}>{ for options }</select>
            </label>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SubtreeProps {
    code: String,
}

/// "Toàn địa bàn": the followers of every page of the unit's subtree, summed, as a line,
/// and their posts week by week as bars, over the last 12 weeks.
#[function_component]
fn SubtreeCharts(props: &SubtreeProps) -> Html {
    let session = use_session();
    let history = {
        let client = session.client();
        use_fetch(props.code.clone(), move |code| async move {
            service::stats_history(&client, &code, vietnam_today(-84), vietnam_today(0)).await
        })
    };
    let body = match history.for_key(&props.code) {
        None => html! { <Loading text="Đang tải số liệu toàn địa bàn…" /> },
        Some(Err(error)) => {
            html! { <ErrorBox error={error.clone()} on_retry={history.reload()} /> }
        }
        Some(Ok(points)) => subtree_charts(points),
    };
    html! {
        <section class="subtree-stats">
            <h2>{ "Toàn địa bàn" }</h2>
            { body }
        </section>
    }
}

fn subtree_charts(points: &[StatsPoint]) -> Html {
    let followers: Vec<(&str, i64)> = points
        .iter()
        .filter_map(|p| Some((p.date.as_str(), p.followers?)))
        .collect();
    let posts: Vec<(&str, i64)> = points.iter().map(|p| (p.date.as_str(), p.posts)).collect();
    if posts.is_empty() {
        return html! { <Empty text="Chưa có số liệu của các trang trong địa bàn." /> };
    }
    let total: i64 = posts.iter().map(|(_, v)| v).sum();
    html! {
        <>
            <p class="subtitle">
                { format!(
                    "12 tuần gần nhất, cộng mọi trang trong địa bàn: {} người theo dõi, {} bài viết.",
                    followers.last().map_or_else(|| "—".to_owned(), |(_, v)| thousands(*v)),
                    thousands(total),
                ) }
            </p>
            <div class="grid">
                <div>
                    <h3>{ "Người theo dõi" }</h3>
                    if followers.is_empty() {
                        <p class="empty">{ "Chưa có số người theo dõi." }</p>
                    } else {
                        { line_chart(&followers, Chart {
                            label: "Người theo dõi toàn địa bàn",
                            class: "subtree-followers-chart",
                            day: day_month,
                        }) }
                    }
                </div>
                <div>
                    <h3>{ "Bài viết theo tuần" }</h3>
                    { bar_chart(&posts, Chart {
                        label: "Bài viết theo tuần toàn địa bàn",
                        class: "subtree-posts-chart",
                        day: day_month,
                    }) }
                </div>
            </div>
        </>
    }
}

fn table(items: &[RankedUnit]) -> Html {
    let rows = items.iter().map(|i| {
        let e = &i.effectiveness;
        html! {
            <tr key={i.code.clone()} data-code={i.code.clone()}>
                <td class="number rank">{ i.rank.map_or_else(|| "—".to_owned(), |r| r.to_string()) }</td>
                <td>
                    <Link<Route> to={Route::RankingsOf { code: i.code.clone() }}>{ &i.full_name }</Link<Route>>
                    if let Some((id, name)) = &i.page {
                        <br />
                        <small>
                            <Link<Route> to={Route::PageStats { id: id.clone() }}>{ name }</Link<Route>>
                        </small>
                        if e.inactive {
                            { " " }<mark class="badge inactive">{ "Không hoạt động" }</mark>
                        }
                    } else {
                        <br /><small>{ "Chưa có trang" }</small>
                    }
                </td>
                <td class="number">{ count(e.followers) }</td>
                <td class="number">{ growth(e.growth_30_days) }</td>
                <td class="number">{ growth(e.growth_90_days) }</td>
                <td class="number">{ decimal(e.posts_per_week) }</td>
                <td class="number">{ e.share_compliance.map_or_else(|| "—".to_owned(), percent) }</td>
                <td class="number">{ e.engagement_per_post.map_or_else(|| "—".to_owned(), decimal) }</td>
                <td>
                    if let (true, Some((id, _))) = (i.approve, &i.page) {
                        <Link<Route> to={Route::ReviewPage { id: id.clone() }} classes="review-link">
                            { "Đánh giá" }
                        </Link<Route>>
                    }
                </td>
            </tr>
        }
    });
    html! {
        <div class="overflow-auto">
            <table class="striped ranking-table">
                <thead>
                    <tr>
                        <th scope="col" class="number">{ "Hạng" }</th>
                        <th scope="col">{ "Đơn vị" }</th>
                        <th scope="col" class="number">{ "Người theo dõi" }</th>
                        <th scope="col" class="number">{ "Tăng 30 ngày" }</th>
                        <th scope="col" class="number">{ "Tăng 90 ngày" }</th>
                        <th scope="col" class="number">{ "Bài/tuần" }</th>
                        <th scope="col" class="number">{ "Chia sẻ đúng hạn" }</th>
                        <th scope="col" class="number">{ "Tương tác/bài" }</th>
                        <th scope="col"></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
