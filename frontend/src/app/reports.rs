//! "Báo cáo": the reporting rounds of the officer's unit (those it issued and those it must
//! report in), a round with its reports, and a unit's report with its appendix — submitted
//! by the unit, accepted or returned (with a reason) by the level that asked for it. What
//! the viewer may do is the API's (`viewerCan`); every figure is the API's.

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use super::Route;
use super::dashboard::days_left_text;
use super::not_found::NotFound;
use crate::components::{Confirm, Download, Empty, ErrorBox, Field, FormErrors, Loading, More};
use crate::error::Error;
use crate::hooks::{use_fetch, use_list, use_session, use_title};
use crate::models::{FieldErrors, UserError};
use crate::services::reports::{
    self as service, Appendix, Officer, ReportRow, ReportStep, ReportView, Round, RoundForm,
};
use crate::text::{format_date, format_datetime, format_day, percent};

/// The outcome of the last step taken.
#[derive(Clone, PartialEq)]
struct Notice {
    ok: bool,
    text: String,
}

fn notice_of(step: ReportStep, result: Result<Result<(), FieldErrors>, Error>) -> Notice {
    match result {
        Ok(Ok(())) => Notice {
            ok: true,
            text: step.done().to_owned(),
        },
        Ok(Err(errors)) => Notice {
            ok: false,
            text: errors.general(&[]).join(" "),
        },
        Err(error) => Notice {
            ok: false,
            text: error.to_string(),
        },
    }
}

fn show_notice(notice: Option<&Notice>) -> Html {
    match notice {
        Some(n) => html! {
            <p class={classes!("notice", if n.ok { "success" } else { "error" })}
                role={if n.ok { "status" } else { "alert" }}>
                { &n.text }
            </p>
        },
        None => html! {},
    }
}

fn period(start: &str, end: &str) -> String {
    format!("{} – {}", format_day(start), format_day(end))
}

/// The rounds of the officer's own unit, and the form to start one for whom oversees it.
#[function_component]
pub fn Rounds() -> Html {
    use_title("Báo cáo");
    let session = use_session();
    let code = session
        .account()
        .map(|a| a.unit.code.clone())
        .unwrap_or_default();
    let list = {
        let client = session.client();
        use_list(code.clone(), String::new(), move |code: String, after| {
            let client = client.clone();
            async move { service::rounds(&client, &code, after).await }
        })
    };
    let Some((_, loaded)) = list.loaded() else {
        return match list.error() {
            Some(error) => html! { <ErrorBox error={error.clone()} on_retry={list.reload()} /> },
            None => html! { <Loading text="Đang tải các đợt báo cáo…" /> },
        };
    };
    let rows = loaded.rounds.items.iter().map(|r| {
        html! {
            <tr key={r.id.clone()}>
                <td><Link<Route> to={Route::Round { id: r.id.clone() }}>{ &r.title }</Link<Route>></td>
                <td>{ &r.unit.full_name }</td>
                <td class="time">{ period(&r.period_start, &r.period_end) }</td>
                <td class="time">
                    { format_day(&r.deadline) }
                    <br /><small>{ days_left_text(r.days_left) }</small>
                </td>
                <td class="number">{ format!("{}/{}", r.submitted_count, r.report_count) }</td>
            </tr>
        }
    });
    html! {
        <section class="rounds">
            <h1>{ "Báo cáo triển khai" }</h1>
            if loaded.oversee {
                <CreateRound code={code.clone()} />
            }
            if loaded.rounds.items.is_empty() {
                <Empty text="Chưa có đợt báo cáo nào." />
            } else {
                <div class="overflow-auto">
                    <table class="striped round-list">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đợt báo cáo" }</th>
                                <th scope="col">{ "Đơn vị yêu cầu" }</th>
                                <th scope="col">{ "Kỳ báo cáo" }</th>
                                <th scope="col">{ "Hạn nộp" }</th>
                                <th scope="col">{ "Đã nộp" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if let Some(error) = list.error() {
                <ErrorBox error={error.clone()} on_retry={list.reload()} />
            }
            if loaded.rounds.next.is_some() {
                <More shown={loaded.rounds.items.len()} total={loaded.rounds.total}
                    busy={list.loading_more()} on_more={list.more()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateRoundProps {
    code: String,
}

/// Asks every unit directly below for its report by a deadline.
#[function_component]
fn CreateRound(props: &CreateRoundProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let form = use_state(RoundForm::default);
    let errors = use_state(FieldErrors::default);
    let busy = use_state(|| false);
    let onsubmit = {
        let (form, errors, busy, client, code) = (
            form.clone(),
            errors.clone(),
            busy.clone(),
            session.client(),
            props.code.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            busy.set(true);
            let (form, errors, busy, client, code, navigator) = (
                (*form).clone(),
                errors.clone(),
                busy.clone(),
                client.clone(),
                code.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let result = service::create_round(&client, &code, &form).await;
                busy.set(false);
                match result {
                    Ok(Ok(id)) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Round { id });
                        }
                    }
                    Ok(Err(refused)) => errors.set(refused),
                    Err(error) => errors.set(FieldErrors(vec![UserError::new(
                        None,
                        &error.to_string(),
                        "ERROR",
                    )])),
                }
            });
        })
    };
    let set = |apply: fn(&mut RoundForm, String)| {
        let form = form.clone();
        Callback::from(move |value: String| {
            let mut next = (*form).clone();
            apply(&mut next, value);
            form.set(next);
        })
    };
    let day_help = Some(AttrValue::from("dd/mm/yyyy"));
    html! {
        <details class="create-round">
            <summary>{ "Tạo đợt báo cáo" }</summary>
            <form class="round-form" {onsubmit}>
                <p>{ "Mỗi đơn vị trực thuộc sẽ nhận một báo cáo cần nộp trước hạn." }</p>
                <FormErrors messages={errors.general(&["title", "periodStart", "periodEnd", "deadline"])} />
                <Field id="title" label="Tên đợt báo cáo" value={form.title.clone()}
                    oninput={set(|f, v| f.title = v)} error={errors.get("title")} required=true />
                <div class="grid">
                    <Field id="periodStart" label="Từ ngày" value={form.period_start.clone()}
                        oninput={set(|f, v| f.period_start = v)} error={errors.get("periodStart")}
                        help={day_help.clone()} required=true />
                    <Field id="periodEnd" label="Đến ngày" value={form.period_end.clone()}
                        oninput={set(|f, v| f.period_end = v)} error={errors.get("periodEnd")}
                        help={day_help.clone()} required=true />
                    <Field id="deadline" label="Hạn nộp" value={form.deadline.clone()}
                        oninput={set(|f, v| f.deadline = v)} error={errors.get("deadline")}
                        help={day_help} required=true />
                </div>
                <button type="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}>
                    { "Tạo đợt báo cáo" }
                </button>
            </form>
        </details>
    }
}

/// A round's figures: submitted of asked, late, rates.
fn round_figures(r: &Round) -> Html {
    html! {
        <dl class="facts round-figures">
            <dt>{ "Đơn vị yêu cầu" }</dt>
            <dd>{ &r.unit.full_name }</dd>
            <dt>{ "Kỳ báo cáo" }</dt>
            <dd>{ period(&r.period_start, &r.period_end) }</dd>
            <dt>{ "Hạn nộp" }</dt>
            <dd>{ format!("{} · {}", format_day(&r.deadline), days_left_text(r.days_left)) }</dd>
            <dt>{ "Đã nộp" }</dt>
            <dd class="submitted">{ format!("{}/{}", r.submitted_count, r.report_count) }</dd>
            <dt>{ "Đã tiếp nhận" }</dt>
            <dd class="accepted">{ r.accepted_count }</dd>
            <dt>{ "Bị trả lại" }</dt>
            <dd class="returned">{ r.returned_count }</dd>
            <dt>{ "Chưa nộp" }</dt>
            <dd class="not-started">{ r.not_started_count }</dd>
            <dt>{ "Muộn hạn" }</dt>
            <dd class="late">{ r.late_count }</dd>
            <dt>{ "Tỷ lệ nộp" }</dt>
            <dd class="reporting-rate">{ percent(r.reporting_rate) }</dd>
            <dt>{ "Tỷ lệ đúng hạn" }</dt>
            <dd class="on-time-rate">{ percent(r.on_time_rate) }</dd>
        </dl>
    }
}

/// "Đúng hạn", "Muộn", "Quá hạn", or nothing yet.
fn timeliness(on_time: Option<bool>, late: bool) -> &'static str {
    match (on_time, late) {
        (Some(true), _) => "Đúng hạn",
        (Some(false), _) => "Nộp muộn",
        (None, true) => "Quá hạn, chưa nộp",
        (None, false) => "—",
    }
}

#[derive(Properties, PartialEq)]
pub struct RoundScreenProps {
    pub id: String,
}

/// A round and the reports of it the viewer reads, each accepted or returned in place.
#[function_component]
pub fn RoundScreen(props: &RoundScreenProps) -> Html {
    let session = use_session();
    let round = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::round(&client, &id).await
        })
    };
    let asking = use_state(|| None::<(ReportStep, ReportRow)>);
    let busy = use_state(|| false);
    let notice = use_state(|| None::<Notice>);
    let loaded = round.for_key(&props.id).cloned();
    let title = match &loaded {
        Some(Ok(v)) => v.round.title.clone(),
        _ => "Đợt báo cáo".to_owned(),
    };
    use_title(&title);
    let v = match loaded {
        None => return html! { <Loading text="Đang tải đợt báo cáo…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={round.reload()} /> },
        Some(Ok(v)) => v,
    };

    let take = {
        let (asking, busy, notice, reload, client) = (
            asking.clone(),
            busy.clone(),
            notice.clone(),
            round.reload(),
            session.client(),
        );
        Callback::from(
            move |(step, id, reason): (ReportStep, String, Option<String>)| {
                asking.set(None);
                busy.set(true);
                notice.set(None);
                let (busy, notice, reload, client) =
                    (busy.clone(), notice.clone(), reload.clone(), client.clone());
                spawn_local(async move {
                    let result = service::review(&client, step, &id, reason).await;
                    busy.set(false);
                    notice.set(Some(notice_of(step, result)));
                    reload.emit(());
                });
            },
        )
    };
    let dialog = (*asking).clone().map(|(step, report)| {
        let cancel = {
            let asking = asking.clone();
            Callback::from(move |()| asking.set(None))
        };
        let (take, with_reason, id) = (take.clone(), take.clone(), report.id.clone());
        let id2 = id.clone();
        let on_reason = (step == ReportStep::Return).then(|| {
            Callback::from(move |reason: String| {
                with_reason.emit((step, id2.clone(), Some(reason)));
            })
        });
        let question = match step {
            ReportStep::Return => format!(
                "Trả lại báo cáo của {} để đơn vị sửa và nộp lại?",
                report.unit.full_name
            ),
            _ => format!("Tiếp nhận báo cáo của {}?", report.unit.full_name),
        };
        html! {
            <Confirm {question} confirm_label={step.label()}
                on_confirm={Callback::from(move |()| take.emit((step, id.clone(), None)))}
                {on_reason} on_cancel={cancel} />
        }
    });
    let rows = v.reports.iter().map(|r| {
        let ask = |step: ReportStep| {
            let (asking, report) = (asking.clone(), r.clone());
            Callback::from(move |_| asking.set(Some((step, report.clone()))))
        };
        html! {
            <tr key={r.id.clone()} data-code={r.unit.code.clone()}>
                <td>
                    <Link<Route> to={Route::Report { id: r.id.clone() }}>{ &r.unit.full_name }</Link<Route>>
                </td>
                <td class="report-status">{ &r.status_label }</td>
                <td class="time">{ r.submitted_at.as_deref().map_or_else(|| "—".to_owned(), format_datetime) }</td>
                <td class={classes!("timeliness", r.late.then_some("late"))}>{ timeliness(r.on_time, r.late) }</td>
                <td>
                    <div class="row-actions">
                        if r.can.accept {
                            <button type="button" class="accept" disabled={*busy}
                                onclick={ask(ReportStep::Accept)}>{ ReportStep::Accept.label() }</button>
                        }
                        if r.can.return_report {
                            <button type="button" class="secondary return" disabled={*busy}
                                onclick={ask(ReportStep::Return)}>{ ReportStep::Return.label() }</button>
                        }
                    </div>
                </td>
            </tr>
        }
    });
    html! {
        <section class="round">
            <p><Link<Route> to={Route::Rounds}>{ "‹ Các đợt báo cáo" }</Link<Route>></p>
            <hgroup>
                <h1>{ &v.round.title }</h1>
                <p>{ format!("Đợt báo cáo của {}", v.round.unit.full_name) }</p>
            </hgroup>
            { round_figures(&v.round) }
            { show_notice((*notice).as_ref()) }
            { for dialog }
            <h2>{ "Báo cáo của các đơn vị" }</h2>
            if v.reports.is_empty() {
                <Empty text="Không có báo cáo nào bạn được xem trong đợt này." />
            } else {
                <div class="overflow-auto">
                    <table class="striped report-list">
                        <thead>
                            <tr>
                                <th scope="col">{ "Đơn vị" }</th>
                                <th scope="col">{ "Trạng thái" }</th>
                                <th scope="col">{ "Nộp lúc" }</th>
                                <th scope="col">{ "Thời hạn" }</th>
                                <th scope="col">{ "Xử lý" }</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReportScreenProps {
    pub id: String,
}

/// A unit's report: where it stands, its appendix, and the steps the viewer may take.
#[function_component]
pub fn ReportScreen(props: &ReportScreenProps) -> Html {
    let session = use_session();
    let report = {
        let client = session.client();
        use_fetch(props.id.clone(), move |id| async move {
            service::report(&client, &id).await
        })
    };
    let remarks = use_state(|| None::<String>);
    let asking = use_state(|| None::<ReportStep>);
    let busy = use_state(|| false);
    let notice = use_state(|| None::<Notice>);
    let loaded = report.for_key(&props.id).cloned();
    let title = match &loaded {
        Some(Ok(r)) => format!("Báo cáo của {}", r.unit.full_name),
        _ => "Báo cáo".to_owned(),
    };
    use_title(&title);
    let r = match loaded {
        None => return html! { <Loading text="Đang tải báo cáo…" /> },
        Some(Err(Error::NotFound)) => return html! { <NotFound /> },
        Some(Err(error)) => return html! { <ErrorBox {error} on_retry={report.reload()} /> },
        Some(Ok(r)) => r,
    };
    let typed = (*remarks)
        .clone()
        .unwrap_or_else(|| r.remarks.clone().unwrap_or_default());

    let take = {
        let (asking, busy, notice, reload, client, remarks) = (
            asking.clone(),
            busy.clone(),
            notice.clone(),
            report.reload(),
            session.client(),
            remarks.clone(),
        );
        let (id, round_id, unit_code, typed) = (
            r.id.clone(),
            r.round_id.clone(),
            r.unit.code.clone(),
            typed.clone(),
        );
        Callback::from(move |(step, reason): (ReportStep, Option<String>)| {
            asking.set(None);
            busy.set(true);
            notice.set(None);
            let (busy, notice, reload, client, remarks) = (
                busy.clone(),
                notice.clone(),
                reload.clone(),
                client.clone(),
                remarks.clone(),
            );
            let (id, round_id, unit_code, typed) = (
                id.clone(),
                round_id.clone(),
                unit_code.clone(),
                typed.clone(),
            );
            spawn_local(async move {
                let result = match step {
                    ReportStep::Submit => {
                        service::submit(&client, &round_id, &unit_code, &typed).await
                    }
                    _ => service::review(&client, step, &id, reason).await,
                };
                busy.set(false);
                if matches!(result, Ok(Ok(()))) {
                    remarks.set(None);
                }
                notice.set(Some(notice_of(step, result)));
                reload.emit(());
            });
        })
    };
    let dialog = asking.map(|step| {
        let cancel = {
            let asking = asking.clone();
            Callback::from(move |()| asking.set(None))
        };
        let (take, with_reason) = (take.clone(), take.clone());
        let on_reason = (step == ReportStep::Return)
            .then(|| Callback::from(move |reason: String| with_reason.emit((step, Some(reason)))));
        let question = match step {
            ReportStep::Submit => format!(
                "Nộp báo cáo của {} cho {}? Phụ lục sẽ được chốt theo số liệu hiện tại.",
                r.unit.full_name, r.round_unit.full_name
            ),
            ReportStep::Accept => format!("Tiếp nhận báo cáo của {}?", r.unit.full_name),
            ReportStep::Return => format!(
                "Trả lại báo cáo của {} để đơn vị sửa và nộp lại?",
                r.unit.full_name
            ),
        };
        html! {
            <Confirm {question} confirm_label={step.label()}
                on_confirm={Callback::from(move |()| take.emit((step, None)))}
                {on_reason} on_cancel={cancel} />
        }
    });
    let ask = |step: ReportStep| {
        let asking = asking.clone();
        Callback::from(move |_| asking.set(Some(step)))
    };
    let oninput = {
        let remarks = remarks.clone();
        Callback::from(move |e: InputEvent| {
            remarks.set(Some(
                e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value(),
            ));
        })
    };
    let print = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    let file = format!("bao-cao-{}", r.unit.code);
    html! {
        <section class="report">
            <p class="no-print">
                <Link<Route> to={Route::Round { id: r.round_id.clone() }}>{ format!("‹ {}", r.round_title) }</Link<Route>>
            </p>
            <hgroup>
                <h1>{ format!("Báo cáo của {}", r.unit.full_name) }</h1>
                <p>{ format!("{} · {} · kỳ {}", r.round_title, r.round_unit.full_name, period(&r.period_start, &r.period_end)) }</p>
            </hgroup>
            { facts(&r) }
            if let Some(reason) = &r.returned_reason {
                <div class="notice error returned-reason" role="alert">
                    <p><strong>{ "Báo cáo bị trả lại. Lý do: " }</strong>{ reason }</p>
                </div>
            }
            { show_notice((*notice).as_ref()) }
            { for dialog }
            if r.can.submit {
                <div class="submit-report no-print">
                    <label for="remarks">
                        { "Ý kiến, kiến nghị của đơn vị (không bắt buộc)" }
                        <textarea id="remarks" name="remarks" rows="3" value={typed.clone()} {oninput} />
                    </label>
                    <button type="button" class="submit" disabled={*busy} aria-busy={(*busy).then_some("true")}
                        onclick={ask(ReportStep::Submit)}>{ ReportStep::Submit.label() }</button>
                </div>
            } else if let Some(remarks) = &r.remarks {
                <p class="remarks"><strong>{ "Ý kiến, kiến nghị: " }</strong>{ remarks }</p>
            }
            <div class="actions no-print">
                if r.can.accept {
                    <button type="button" class="accept" disabled={*busy} onclick={ask(ReportStep::Accept)}>
                        { ReportStep::Accept.label() }
                    </button>
                }
                if r.can.return_report {
                    <button type="button" class="secondary return" disabled={*busy} onclick={ask(ReportStep::Return)}>
                        { ReportStep::Return.label() }
                    </button>
                }
                <Download url={r.xlsx_url.clone()} filename={format!("{file}.xlsx")} label="Tải XLSX" />
                <Download url={r.csv_url.clone()} filename={format!("{file}.csv")} label="Tải CSV" />
                <button type="button" class="secondary outline print" onclick={print}>{ "In" }</button>
            </div>
            { appendix(&r.appendix) }
        </section>
    }
}

fn facts(r: &ReportView) -> Html {
    let or_dash = |v: Option<&str>, f: fn(&str) -> String| v.map_or_else(|| "—".to_owned(), f);
    html! {
        <dl class="facts report-facts">
            <dt>{ "Trạng thái" }</dt>
            <dd class="report-status">{ &r.status_label }</dd>
            <dt>{ "Hạn nộp" }</dt>
            <dd>{ format_day(&r.deadline) }</dd>
            <dt>{ "Nộp lúc" }</dt>
            <dd>{ or_dash(r.submitted_at.as_deref(), format_datetime) }</dd>
            <dt>{ "Thời hạn" }</dt>
            <dd>{ timeliness(r.on_time, r.late) }</dd>
            if let Some(by) = &r.submitted_by {
                <dt>{ "Người nộp" }</dt>
                <dd>{ by }</dd>
            }
            if let Some(at) = &r.reviewed_at {
                <dt>{ "Xử lý lúc" }</dt>
                <dd>{ format_datetime(at) }</dd>
            }
        </dl>
    }
}

fn officer(o: Option<&Officer>) -> Html {
    match o {
        Some(o) => {
            html! { <>{ &o.full_name }<br /><small>{ format!("{} · {}", o.position, o.phone) }</small></> }
        }
        None => html! { { "—" } },
    }
}

/// The appendix as the form lays it out, with its totals and coverage.
fn appendix(a: &Appendix) -> Html {
    let rows = a.rows.iter().enumerate().map(|(i, row)| {
        let conforms = match row.name_conforms {
            Some(true) => "Đúng",
            Some(false) => "Chưa đúng",
            None => "—",
        };
        html! {
            <tr key={row.unit_code.clone()}>
                <td class="number">{ i + 1 }</td>
                <td>{ &row.unit_name }</td>
                <td>{ row.page_name.clone().unwrap_or_else(|| "—".to_owned()) }</td>
                <td class="page-url">{ row.url.clone().unwrap_or_else(|| "—".to_owned()) }</td>
                <td class="time">{ row.established_on.as_deref().map_or_else(|| "—".to_owned(), format_day) }</td>
                <td>{ &row.status_label }</td>
                <td>{ conforms }</td>
                <td>{ officer(row.leader.as_ref()) }</td>
                <td>{ officer(row.operator.as_ref()) }</td>
                <td>{ row.supported_by.clone().unwrap_or_default() }</td>
                <td>{ row.notes.clone().unwrap_or_default() }</td>
            </tr>
        }
    });
    let coverage = a.coverage.iter().map(|c| {
        let level = c.level.map_or("Tổng", |l| l.label());
        let target = c.target.map_or_else(|| "—".to_owned(), percent);
        let met = match c.met {
            Some(true) => "Đạt",
            Some(false) => "Chưa đạt",
            None => "—",
        };
        html! {
            <tr>
                <td>{ level }</td>
                <td class="number">{ format!("{}/{}", c.with_page, c.units) }</td>
                <td class="number">{ percent(c.share) }</td>
                <td class="number">{ target }</td>
                <td>{ met }</td>
            </tr>
        }
    });
    let t = a.totals;
    html! {
        <section class="appendix">
            <h2>{ "Phụ lục: danh sách trang cộng đồng" }</h2>
            <p class="appendix-note">
                { if a.frozen {
                    format!("Số liệu đã chốt khi nộp ({}).", format_datetime(&a.generated_at))
                } else {
                    format!("Số liệu hiện tại của {} ({}); sẽ được chốt khi nộp.", a.unit_name, format_date(&a.generated_at))
                } }
            </p>
            <div class="overflow-auto">
                <table class="striped appendix-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "STT" }</th>
                            <th scope="col">{ "Đơn vị" }</th>
                            <th scope="col">{ "Tên trang" }</th>
                            <th scope="col">{ "Đường dẫn" }</th>
                            <th scope="col">{ "Ngày thành lập" }</th>
                            <th scope="col">{ "Trạng thái" }</th>
                            <th scope="col">{ "Tên đúng quy định" }</th>
                            <th scope="col">{ "Lãnh đạo phụ trách (họ tên, chức vụ, SĐT)" }</th>
                            <th scope="col">{ "Cán bộ vận hành (họ tên, chức vụ, SĐT)" }</th>
                            <th scope="col">{ "Tổ chức hỗ trợ" }</th>
                            <th scope="col">{ "Ghi chú" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <h3>{ "Tổng hợp" }</h3>
            <dl class="facts appendix-totals">
                <dt>{ "Số đơn vị" }</dt><dd>{ t.units }</dd>
                <dt>{ "Có trang" }</dt><dd>{ t.with_page }</dd>
                <dt>{ "Đã xác nhận" }</dt><dd>{ t.verified }</dd>
                <dt>{ "Tên đúng quy định" }</dt><dd>{ t.name_conforms }</dd>
                <dt>{ "Đủ lãnh đạo và cán bộ vận hành" }</dt><dd>{ t.fully_staffed }</dd>
            </dl>
            <div class="overflow-auto">
                <table class="striped appendix-coverage">
                    <thead>
                        <tr>
                            <th scope="col">{ "Cấp" }</th>
                            <th scope="col">{ "Có trang" }</th>
                            <th scope="col">{ "Tỷ lệ" }</th>
                            <th scope="col">{ "Chỉ tiêu" }</th>
                            <th scope="col">{ "Kết quả" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for coverage }</tbody>
                </table>
            </div>
        </section>
    }
}
