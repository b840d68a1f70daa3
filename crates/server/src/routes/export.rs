//! Downloads, with the same bearer token and the same subtree rule as `/graphql`:
//! `GET /export/reports/{reportId}.xlsx` and `.csv` (a deployment report's appendix, as
//! submitted or as it would be now), and `GET /export/coverage/{unitCode}.xlsx` (the
//! dashboard's table). A report or unit the viewer does not read answers 404, exactly as one
//! that does not exist.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use api::{ApiError, NodeKind};
use app::By;
use domain::Actor;
use domain::policy::Action;
use tracing_actix_web::RequestId;

use super::graphql::{bearer, client_addr, internal, rate_limited};
use crate::exports;
use crate::limits::Client;
use crate::startup::AppState;

/// A refusal as a download answers it: the HTTP status says it (401, 403, 404, 503), the body
/// is in the shape GraphQL clients read, with the same message and code.
pub(super) fn api_error(error: ApiError, request_id: &RequestId) -> HttpResponse {
    let status = match error {
        ApiError::Unauthenticated | ApiError::PasswordChangeRequired => StatusCode::UNAUTHORIZED,
        ApiError::Forbidden => StatusCode::FORBIDDEN,
        ApiError::NotFound => StatusCode::NOT_FOUND,
        ApiError::Unavailable | ApiError::QueryTooExpensive => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error_response(status, error.into_server_error(), request_id)
}

/// A GraphQL-shaped error body with this HTTP status.
pub(super) fn error_response(
    status: StatusCode,
    error: async_graphql::ServerError,
    request_id: &RequestId,
) -> HttpResponse {
    let response = async_graphql::Response::from_errors(vec![error]);
    HttpResponse::build(status)
        .insert_header(("X-Request-Id", request_id.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(response)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The signed-in account of the request, counted against its rate limit.
pub(super) async fn actor(
    req: &HttpRequest,
    state: &AppState,
    request_id: &RequestId,
) -> Result<Actor, HttpResponse> {
    let Some(token) = bearer(req) else {
        return Err(api_error(ApiError::Unauthenticated, request_id));
    };
    let client = match state.keys.verify(&token) {
        Some(claims) => Client::Account(claims.sub),
        None => Client::Address(client_addr(req, state).parse().ok()),
    };
    if let Err(wait) = state.limits.check(&client) {
        state.metrics.refused("rate_limited");
        return Err(rate_limited(wait, request_id));
    }
    let db = api::request_db(&state.db, state.statement_budget);
    api::auth::actor_of_token(&state.keys, &state.sessions, &db, &token)
        .await
        .map_err(|e| api_error(e, request_id))
}

/// A use case's refusal as a download answers it: an invalid reference is an id of nothing.
pub(super) fn app_error(error: app::AppError, request_id: &RequestId) -> HttpResponse {
    match error {
        app::AppError::NotFound | app::AppError::Invalid(_) => {
            api_error(ApiError::NotFound, request_id)
        }
        app::AppError::Forbidden => api_error(ApiError::Forbidden, request_id),
        app::AppError::Store(e) => match e {
            store::StoreError::Unavailable(_) | store::StoreError::BudgetExceeded => {
                api_error(ApiError::from_store(None, &e), request_id)
            }
            other => internal(request_id, &other),
        },
        app::AppError::Hash(e) => internal(request_id, &e),
    }
}

fn download(content_type: &str, file_name: String, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body)
}

/// Splits `name.ext` into the name and a known extension.
pub(super) fn split_file<'a>(file: &'a str, known: &[&str]) -> Option<(&'a str, &'a str)> {
    let (name, ext) = file.rsplit_once('.')?;
    known.contains(&ext).then_some((name, ext))
}

/// `GET /export/reports/{reportId}.xlsx|.csv`.
pub async fn report(
    req: HttpRequest,
    file: web::Path<String>,
    state: web::Data<AppState>,
    request_id: RequestId,
) -> HttpResponse {
    let actor = match actor(&req, &state, &request_id).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let not_found = || api_error(ApiError::NotFound, &request_id);
    let Some((id, ext)) = split_file(&file, &["xlsx", "csv"]) else {
        return not_found();
    };
    let Some((NodeKind::Report, report_id)) = api::parse_global_id(id) else {
        return not_found();
    };
    let db = api::request_db(&state.db, state.statement_budget);
    let by = By::Account(&actor);
    let (report, unit, round) =
        match app::reports::report_for(&db, by, report_id, Action::Read).await {
            Ok(found) => found,
            Err(e) => return app_error(e, &request_id),
        };
    let appendix = match app::reports::appendix_of(&db, &report, &unit).await {
        Ok(appendix) => appendix,
        Err(e) => return app_error(e, &request_id),
    };
    let on = domain::time::today_in_vietnam(appendix.generated_at);
    let name = exports::file_name("bao-cao", unit.code.as_str(), &unit.full_name(), on, ext);
    if ext == "csv" {
        return match exports::appendix_csv(&appendix) {
            Ok(body) => download("text/csv; charset=utf-8", name, body),
            Err(e) => internal(&request_id, &e),
        };
    }
    let heading = exports::ReportHeading {
        round_title: &round.title,
        deadline: round.deadline,
        status: report.status.label(),
        submitted_at: report.submitted_at,
        remarks: report.remarks.as_deref(),
    };
    match exports::appendix_xlsx(&appendix, &heading) {
        Ok(body) => download(XLSX, name, body),
        Err(e) => internal(&request_id, &e),
    }
}

/// `GET /export/coverage/{unitCode}.xlsx`.
pub async fn coverage(
    req: HttpRequest,
    file: web::Path<String>,
    state: web::Data<AppState>,
    request_id: RequestId,
) -> HttpResponse {
    let actor = match actor(&req, &state, &request_id).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let Some((code, _)) = split_file(&file, &["xlsx"]) else {
        return api_error(ApiError::NotFound, &request_id);
    };
    if code.len() > 16 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return api_error(ApiError::NotFound, &request_id);
    }
    let db = api::request_db(&state.db, state.statement_budget);
    let coverage = match app::rollout::coverage(&db, By::Account(&actor), code, None).await {
        Ok(coverage) => coverage,
        Err(e) => return app_error(e, &request_id),
    };
    let name = exports::file_name(
        "tien-do",
        coverage.unit.code.as_str(),
        &coverage.unit.full_name(),
        app::pages::today(),
        "xlsx",
    );
    match exports::coverage_xlsx(&coverage) {
        Ok(body) => download(XLSX, name, body),
        Err(e) => internal(&request_id, &e),
    }
}
