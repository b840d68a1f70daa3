//! "Tổng quan": how far the rollout of a unit's subtree is, as the API measures it against
//! the rollout plan — per level against its target, the deadline, the progress week by
//! week, the units directly below worst first (each opening its own dashboard), and the
//! units still without a page. Whoever oversees the unit may set its plan here.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use crate::components::{Breadcrumbs, Download, Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::hooks::{use_fetch, use_list, use_session, use_title};
use crate::models::{FieldErrors, Level};
use crate::services::reports::{
    self as service, ChildFigures, DashboardView, HISTORY_DAYS, HistoryPoint, LevelFigures,
    PlanForm, target_field,
};
use crate::text::{format_day, percent, whole};

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    pub code: String,
}

/// "Còn 7 ngày", "Hôm nay là hạn cuối", "Quá hạn 3 ngày".
pub fn days_left_text(days: i64) -> String {
    match days {
        0 => "Hôm nay là hạn cuối".to_owned(),
        d if d > 0 => format!("Còn {d} ngày"),
        d => format!("Quá hạn {} ngày", -d),
    }
}

/// A target share as officers read it: "chỉ tiêu 100%".
fn target_text(target: Option<f64>) -> String {
    target.map_or_else(
        || "không đặt chỉ tiêu".to_owned(),
        |t| format!("chỉ tiêu {}", percent(t)),
    )
}

#[function_component]
pub fn Dashboard(props: &DashboardProps) -> Html {
    let session = use_session();
    let view = {
        let client = session.client();
        use_fetch(props.code.clone(), move |code| async move {
            let today = crate::text::vietnam_today(0);
            let from = crate::text::vietnam_today(-HISTORY_DAYS);
            service::dashboard(&client, &code, &from, &today).await
        })
    };
    let loaded = view.for_key(&props.code).cloned();
    let title = match &loaded {
        Some(Ok(v)) => format!("Tổng quan — {}", v.unit.full_name),
        _ => "Tổng quan".to_owned(),
    };
    use_title(&title);
    let home = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();

    let v = match loaded {
        None => return html! { <Loading text="Đang tải tổng quan…" /> },
        Some(Err(error)) => {
            return html! {
                <>
                    <ErrorBox error={error.clone()} on_retry={view.reload()} />
                    <Link<Route> to={Route::Dashboard { code: home }}>{ "Về tổng quan của đơn vị bạn" }</Link<Route>>
                </>
            };
        }
        Some(Ok(v)) => v,
    };
    let mut trail = v.ancestors.clone();
    trail.push(v.unit.clone());
    let subtitle = if v.plan.is_default {
        format!("{} · chỉ tiêu theo hướng dẫn chung", v.unit.full_name)
    } else {
        let by = v
            .plan
            .set_by
            .as_ref()
            .map(|(_, name)| format!(" (do {name} đặt)"))
            .unwrap_or_default();
        format!("{} · {}{by}", v.unit.full_name, v.plan.title)
    };
    let deadline = match (&v.deadline, v.days_left) {
        (Some(day), Some(left)) => html! {
            <p class={classes!("deadline", (left < 0).then_some("overdue"))}>
                { format!("Hạn hoàn thành: {} · ", format_day(day)) }
                <strong>{ days_left_text(left) }</strong>
            </p>
        },
        _ => html! { <p class="deadline">{ "Chưa đặt hạn hoàn thành." }</p> },
    };
    let levels = v.levels.iter().map(level_bar);
    let own_level = v.unit.level;
    html! {
        <section class="dashboard">
            <Breadcrumbs trail={trail} home_code={home} dashboard=true />
            <hgroup>
                <h1>{ "Tổng quan" }</h1>
                <p>{ subtitle }</p>
            </hgroup>
            { deadline }
            <div class="levels">{ for levels }</div>
            <p class="unit-link">
                <Link<Route> to={Route::Unit { code: v.unit.code.clone() }} classes="secondary">
                    { format!("Xem đơn vị {}", v.unit.full_name) }
                </Link<Route>>
            </p>
            if v.history.len() > 1 {
                <h2>{ "Tiến độ theo tuần" }</h2>
                { chart(&v.history, own_level) }
            }
            if !v.children.is_empty() {
                <h2>{ "Đơn vị trực thuộc" }</h2>
                <p class="export">
                    <Download url={format!("/export/coverage/{}.xlsx", v.unit.code)}
                        filename={format!("tong-quan-{}.xlsx", v.unit.code)} label="Tải bảng (XLSX)" />
                </p>
                { children(&v.children) }
            }
            <Missing code={v.unit.code.clone()} />
            if v.oversee {
                <PlanEditor key={v.unit.code.clone()} view={v.clone()} on_saved={view.reload()} />
            }
        </section>
    }
}

/// A level's figures and its bar, with the target marked on it.
fn level_bar(l: &LevelFigures) -> Html {
    let share = (l.share * 100.0).clamp(0.0, 100.0);
    let (met_class, met_text) = match l.met {
        Some(true) => ("met yes", "Đạt".to_owned()),
        Some(false) => ("met no", format!("Chưa đạt — còn thiếu {}", l.short_by)),
        None => ("met", String::new()),
    };
    let key = service::level_key(l.level).to_owned();
    html! {
        <div class="level-coverage" data-level={key.clone()} key={key.clone()}>
            <p>
                <strong>{ format!("{}: ", l.label) }</strong>
                <span class="figures">{ format!("{}/{} ({})", l.with_page, l.units, percent(l.share)) }</span>
                <span class="target-text">{ format!(" — {}", target_text(l.target)) }</span>
                if !met_text.is_empty() {
                    { " " }<span class={met_class}>{ met_text }</span>
                }
            </p>
            // An SVG, not styled spans: the site's policy allows no inline styles.
            <svg class="bar" viewBox="0 0 1000 16" preserveAspectRatio="none" role="img"
                aria-label={format!("{}: {} có trang, {}", l.label, percent(l.share), target_text(l.target))}>
                <rect class="track" x="0" y="2" width="1000" height="12" rx="6" />
                <rect class={classes!("fill", (l.met == Some(false)).then_some("short"))}
                    x="0" y="2" width={whole(share * 10.0).to_string()} height="12" rx="6" />
                if let Some(target) = l.target {
                    <rect class="target" x={(whole((target * 1000.0).clamp(0.0, 1000.0)) - 3).max(0).to_string()}
                        y="0" width="6" height="16">
                        <title>{ target_text(Some(target)) }</title>
                    </rect>
                }
            </svg>
            <small class="level-more">
                { format!("Đã xác nhận: {} · Chưa có trang: {}", l.verified, l.missing) }
            </small>
        </div>
    }
}

/// Each level's share week by week, a line per level below the unit's own.
fn chart(history: &[HistoryPoint], own: Level) -> Html {
    const W: f64 = 600.0;
    const H: f64 = 180.0;
    const TOP: f64 = 10.0;
    const LEFT: f64 = 40.0;
    // Colours per series are the style sheet's (`.series-0` …).
    const SERIES: usize = 4;
    let mut series: Vec<(Level, String)> = Vec::new();
    for point in history {
        for (level, label, _) in &point.levels {
            if *level != own && !series.iter().any(|(l, _)| l == level) {
                series.push((*level, label.clone()));
            }
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "at most 400 points")]
    let step = (W - LEFT - 10.0) / (history.len().saturating_sub(1).max(1)) as f64;
    let y = |share: f64| whole(TOP + H - share.clamp(0.0, 1.0) * H);
    let lines = series.iter().enumerate().map(|(i, (level, _))| {
        let points = history
            .iter()
            .enumerate()
            .filter_map(|(x, p)| {
                let share = p.levels.iter().find(|(l, _, _)| l == level)?.2;
                #[expect(clippy::cast_precision_loss, reason = "at most 400 points")]
                let x = LEFT + x as f64 * step;
                Some(format!("{},{}", whole(x), y(share)))
            })
            .collect::<Vec<_>>()
            .join(" ");
        html! {
            <polyline points={points} class={format!("series series-{}", i % SERIES)} />
        }
    });
    let grid = [0.0, 0.5, 1.0].into_iter().map(|share| {
        let at = y(share).to_string();
        html! {
            <>
                <line x1={whole(LEFT).to_string()} x2={whole(W - 10.0).to_string()} y1={at.clone()} y2={at.clone()}
                    stroke="#ccc" stroke-width="1" />
                <text x="0" y={(y(share) + 4).to_string()} font-size="12" fill="#666">{ percent(share) }</text>
            </>
        }
    });
    let first = history
        .first()
        .map(|p| format_day(&p.date))
        .unwrap_or_default();
    let last = history
        .last()
        .map(|p| format_day(&p.date))
        .unwrap_or_default();
    let legend = series.iter().enumerate().map(|(i, (_, label))| {
        html! {
            <li><span class={format!("swatch series-{}", i % SERIES)}></span>{ label }</li>
        }
    });
    html! {
        <figure class="progress-chart">
            <svg viewBox={format!("0 0 {} {}", whole(W), whole(H + TOP + 24.0))} role="img"
                aria-label={format!("Tỷ lệ đơn vị có trang theo tuần, từ {first} đến {last}")}>
                { for grid }
                { for lines }
                <text x={whole(LEFT).to_string()} y={whole(H + TOP + 18.0).to_string()} font-size="12" fill="#666">{ first }</text>
                <text x={whole(W - 10.0).to_string()} y={whole(H + TOP + 18.0).to_string()} font-size="12" fill="#666"
                    text-anchor="end">{ last }</text>
            </svg>
            <figcaption><ul class="legend">{ for legend }</ul></figcaption>
        </figure>
    }
}

/// The units directly below, worst first, each opening its own dashboard.
fn children(children: &[ChildFigures]) -> Html {
    let rows = children.iter().map(|c| {
        let met = match c.met {
            Some(true) => html! { <span class="met yes">{ "Đạt" }</span> },
            Some(false) => html! { <span class="met no">{ "Chưa đạt" }</span> },
            None => html! { { "—" } },
        };
        html! {
            <tr key={c.unit.code.clone()} data-code={c.unit.code.clone()}>
                <td>
                    <Link<Route> to={Route::Dashboard { code: c.unit.code.clone() }}>{ &c.unit.full_name }</Link<Route>>
                </td>
                <td class="number">{ format!("{}/{}", c.with_page, c.units) }</td>
                <td class="number">{ percent(c.share) }</td>
                <td class="number">{ c.verified }</td>
                <td>{ met }</td>
            </tr>
        }
    });
    html! {
        <div class="overflow-auto">
            <table class="striped coverage-children">
                <thead>
                    <tr>
                        <th scope="col">{ "Đơn vị" }</th>
                        <th scope="col">{ "Có trang" }</th>
                        <th scope="col">{ "Tỷ lệ" }</th>
                        <th scope="col">{ "Đã xác nhận" }</th>
                        <th scope="col">{ "Chỉ tiêu" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MissingProps {
    code: String,
}

/// The units of the subtree still without a page, "Xem thêm" for the next ones.
#[function_component]
fn Missing(props: &MissingProps) -> Html {
    let session = use_session();
    let list = {
        let client = session.client();
        use_list(
            props.code.clone(),
            String::new(),
            move |code: String, after| {
                let client = client.clone();
                async move { service::missing(&client, &code, after).await }
            },
        )
    };
    let Some((_, slice)) = list.loaded().filter(|(code, _)| **code == props.code) else {
        return match list.error() {
            Some(error) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
            None => html! { <Loading text="Đang tải các đơn vị chưa có trang…" /> },
        };
    };
    let items = slice.items.iter().map(|unit| {
        html! {
            <li key={unit.code.clone()}>
                <Link<Route> to={Route::Unit { code: unit.code.clone() }}>{ &unit.full_name }</Link<Route>>
                <small>{ format!(" · {} · mã {}", unit.level.label(), unit.code) }</small>
            </li>
        }
    });
    html! {
        <section class="missing">
            <h2>{ format!("Đơn vị chưa có trang ({})", slice.total) }</h2>
            if slice.items.is_empty() {
                <Empty text="Mọi đơn vị đều đã có trang." />
            } else {
                <ul class="missing-units">{ for items }</ul>
            }
            if let Some(error) = list.error() {
                <ErrorBox error={error.clone()} on_retry={list.reload()} />
            }
            if slice.next.is_some() {
                <More shown={slice.items.len()} total={slice.total} busy={list.loading_more()}
                    on_more={list.more()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PlanEditorProps {
    view: DashboardView,
    on_saved: Callback<()>,
}

/// The plan form: a title, a deadline and a target per level below the unit.
#[function_component]
fn PlanEditor(props: &PlanEditorProps) -> Html {
    let session = use_session();
    let v = &props.view;
    let own_plan = !v.plan.is_default
        && v.plan
            .set_by
            .as_ref()
            .is_some_and(|(code, _)| *code == v.unit.code);
    let levels: Vec<Level> = v
        .levels
        .iter()
        .map(|l| l.level)
        .filter(|l| *l != v.unit.level)
        .collect();
    let form = {
        let (plan, levels) = (v.plan.clone(), levels.clone());
        use_state(move || PlanForm {
            title: plan.title.clone(),
            deadline: plan.deadline.as_deref().map(format_day).unwrap_or_default(),
            targets: levels
                .iter()
                .map(|level| {
                    let typed = plan
                        .targets
                        .iter()
                        .find(|(l, _)| l == level)
                        .map(|(_, share)| percent(*share).trim_end_matches('%').to_owned())
                        .unwrap_or_default();
                    (*level, typed)
                })
                .collect(),
        })
    };
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let saved = use_state(|| false);

    let onsubmit = {
        let (form, errors, busy, saved, client) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            saved.clone(),
            session.client(),
        );
        let (code, on_saved) = (v.unit.code.clone(), props.on_saved.clone());
        let expected = own_plan.then_some(v.plan.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            saved.set(false);
            let (form, errors, busy, saved, client, code, on_saved) = (
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                saved.clone(),
                client.clone(),
                code.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                let result = service::set_plan(&client, &code, &form, expected).await;
                busy.set(false);
                match result {
                    Ok(Ok(())) => {
                        errors.set(FieldErrors::default());
                        saved.set(true);
                        on_saved.emit(());
                    }
                    Ok(Err(refused)) => errors.set(refused),
                    Err(error) => errors.set(FieldErrors(vec![crate::models::UserError::new(
                        None,
                        &error.to_string(),
                        "ERROR",
                    )])),
                }
            });
        })
    };
    let set = |apply: fn(&mut PlanForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let target_inputs = form.targets.iter().enumerate().map(|(i, (level, typed))| {
        let id = target_field(*level);
        let form = form.clone();
        let oninput = Callback::from(move |value: String| {
            let mut next = (*form).clone();
            next.targets[i].1 = value;
            form.set(next);
        });
        html! {
            <Field id={id.clone()} label={format!("Chỉ tiêu cấp {} (%)", level.label().to_lowercase())}
                value={typed.clone()} {oninput} error={errors.get(&id)} r#type="text"
                help={Some(AttrValue::from("Để trống: không đặt chỉ tiêu cho cấp này."))} />
        }
    });
    let mut fields = vec!["title", "deadline", "targets"];
    let target_ids: Vec<String> = levels.iter().map(|l| target_field(*l)).collect();
    fields.extend(target_ids.iter().map(String::as_str));
    html! {
        <details class="plan-editor">
            <summary>{ "Đặt kế hoạch triển khai" }</summary>
            <form class="plan-form" {onsubmit}>
                <FormErrors messages={errors.general(&fields)} />
                if *saved {
                    <p class="notice success" role="status">{ "Đã lưu kế hoạch triển khai." }</p>
                }
                <Field id="title" label="Tên kế hoạch" value={form.title.clone()}
                    oninput={set(|f, v| f.title = v)} error={errors.get("title")} required=true />
                <Field id="deadline" label="Hạn hoàn thành (dd/mm/yyyy)" value={form.deadline.clone()}
                    oninput={set(|f, v| f.deadline = v)} error={errors.get("deadline")} />
                { for target_inputs }
                if let Some(error) = errors.get("targets") {
                    <p class="field-error">{ error }</p>
                }
                <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                    { "Lưu kế hoạch" }
                </button>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_reads_as_days_left_or_overdue() {
        assert_eq!(days_left_text(7), "Còn 7 ngày");
        assert_eq!(days_left_text(0), "Hôm nay là hạn cuối");
        assert_eq!(days_left_text(-3), "Quá hạn 3 ngày");
        assert_eq!(target_text(Some(1.0)), "chỉ tiêu 100%");
        assert_eq!(target_text(None), "không đặt chỉ tiêu");
    }
}
