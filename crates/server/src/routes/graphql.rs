//! `/graphql`, hardened: out of the box a GraphQL server would run mutations sent by GET
//! (so a link or an image tag could change data) and accept `text/plain` or form POSTs (which
//! browsers send cross-site without a preflight). Here only JSON POSTs may carry a mutation,
//! GET carries queries only, and anything else is refused before the schema sees it.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, web};
use api::auth::device::DEVICE_COOKIE;
use api::auth::tokens::REFRESH_COOKIE;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use serde_json::json;
use tracing_actix_web::RequestId;

use api::idempotency::{self, BeginError, Begun, KeyRefusal, Keyed};
use store::StoreError;

use crate::limits::Client;
use crate::startup::AppState;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// A JSON error in the shape GraphQL clients read, for requests refused before execution.
fn refuse(
    response: &mut actix_web::HttpResponseBuilder,
    code: &str,
    message: &str,
) -> HttpResponse {
    response.content_type(ContentType::json()).json(json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    }))
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// `POST /graphql` with an `application/json` body of one request.
pub async fn post(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    request_id: RequestId,
) -> HttpResponse {
    if !is_json(&req) {
        return refuse(
            &mut HttpResponse::UnsupportedMediaType(),
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json.",
        );
    }
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        // Boxed: the execution's future is large, and actix moves its handler's future a few
        // times before it runs.
        Ok(request) => Box::pin(execute(&req, &state, request, request_id, Method::Post)).await,
        Err(e) => refuse(
            &mut HttpResponse::BadRequest(),
            "BAD_REQUEST",
            &format!("The body is not one GraphQL request in JSON: {e}"),
        ),
    }
}

/// `GET /graphql?query=…`: queries only.
pub async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    request_id: RequestId,
) -> HttpResponse {
    let request = match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) => request,
        Err(e) => {
            return refuse(
                &mut HttpResponse::BadRequest(),
                "BAD_REQUEST",
                &e.to_string(),
            );
        }
    };
    Box::pin(execute(&req, &state, request, request_id, Method::Get)).await
}

/// How a request arrived: GET may only carry queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

/// Any other method on `/graphql`.
pub async fn method_not_allowed() -> HttpResponse {
    refuse(
        HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "GET, POST")),
        "METHOD_NOT_ALLOWED",
        "Use POST (or GET for queries).",
    )
}

/// Whether the operation the request would run is anything but a query. The request has been
/// admitted, so its document is parsed already.
fn changes_data(request: &mut async_graphql::Request) -> bool {
    let operation_name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    match api::chosen_operation(document, operation_name.as_deref()) {
        Some(op) => op.ty != OperationType::Query,
        // Several operations and no name: validation refuses it, but not before a GET is
        // refused if any of them would change data.
        None => match &document.operations {
            DocumentOperations::Multiple(ops) if operation_name.is_none() => {
                ops.values().any(|op| op.node.ty != OperationType::Query)
            }
            _ => false,
        },
    }
}

/// The bearer token of the request, if any.
pub(super) fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned())
}

/// The client's address. Behind a proxy, the last X-Forwarded-For entry is the address the
/// proxy itself saw; earlier entries (and a `Forwarded` header) come from the client and
/// prove nothing.
pub(super) fn client_addr(req: &HttpRequest, state: &AppState) -> String {
    let forwarded = state
        .trust_proxy
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        // Only an address: anything else (a misconfigured proxy) must not become a key.
        .filter(|last| last.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_owned);
    forwarded
        .or_else(|| req.peer_addr().map(|a| a.ip().to_string()))
        .unwrap_or_default()
}

/// What the schema needs to know of the HTTP request.
fn request_context(
    req: &HttpRequest,
    request_id: &RequestId,
    bearer: Option<String>,
    client_addr: String,
) -> api::RequestContext {
    api::RequestContext {
        request_id: request_id.to_string(),
        bearer,
        claims: None,
        refresh_cookie: req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()),
        device_cookie: req.cookie(DEVICE_COOKIE).map(|c| c.value().to_owned()),
        client_addr,
    }
}

/// The codes of a response's errors.
fn error_codes(response: &async_graphql::Response) -> impl Iterator<Item = String> + '_ {
    response
        .errors
        .iter()
        .filter_map(|e| match e.extensions.as_ref()?.get("code")? {
            async_graphql::Value::String(code) => Some(code.clone()),
            _ => None,
        })
}

/// The HTTP status of a GraphQL answer: what the server owes the client shows in the status,
/// so proxies, monitoring and retrying clients see it without reading the body — 500 when a
/// resolver failed (`INTERNAL`), 503 when the database is busy or away (`UNAVAILABLE`), 200
/// otherwise (refusals and userErrors are answers).
fn status_of(response: &async_graphql::Response) -> StatusCode {
    let mut status = StatusCode::OK;
    for code in error_codes(response) {
        match code.as_str() {
            "INTERNAL" => return StatusCode::INTERNAL_SERVER_ERROR,
            "UNAVAILABLE" => status = StatusCode::SERVICE_UNAVAILABLE,
            _ => {}
        }
    }
    status
}

/// A `429` in the shape GraphQL clients read, saying when to come back.
pub(super) fn rate_limited(wait: Duration, request_id: &RequestId) -> HttpResponse {
    let seconds = wait.as_secs() + 1;
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, seconds.to_string()))
        .insert_header(("X-Request-Id", request_id.to_string()))
        .json(json!({
            "errors": [{
                "message": format!("Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau {seconds} giây."),
                "extensions": { "code": api::ErrorCode::RateLimited.as_str(), "retryAfterSeconds": seconds },
            }]
        }))
}

/// The `Idempotency-Key` of a mutation by a signed-in account, if one was sent: a key on a
/// query is pointless and ignored; without a valid token the schema refuses the mutation
/// anyway, and nothing is recorded.
fn idempotency_key(
    req: &HttpRequest,
    request: &mut async_graphql::Request,
    account: Option<uuid::Uuid>,
    state: &AppState,
) -> Result<Option<Keyed>, KeyRefusal> {
    let Some(value) = req.headers().get(idempotency::HEADER) else {
        return Ok(None);
    };
    let key = idempotency::parse_key(value.as_bytes())?;
    if !changes_data(request) {
        return Ok(None);
    }
    idempotency::accepts_key(request)?;
    Ok(account.map(|account| {
        let fingerprint = idempotency::fingerprint(request);
        Keyed::new(&state.idempotency, account, key, fingerprint)
    }))
}

/// A refused idempotency key, in the shape GraphQL clients read.
fn key_refused(refusal: &KeyRefusal, request_id: &RequestId) -> HttpResponse {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = HttpResponse::build(status);
    response.insert_header(("X-Request-Id", request_id.to_string()));
    if status == StatusCode::CONFLICT {
        response.insert_header((header::RETRY_AFTER, "1"));
    }
    refuse(&mut response, refusal.code.as_str(), &refusal.message)
}

/// The answer when the request ran past its deadline.
fn unavailable(request_id: &RequestId) -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header((header::RETRY_AFTER, "1"))
        .insert_header(("X-Request-Id", request_id.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({
            "errors": [{
                "message": "Hệ thống đang bận hoặc cơ sở dữ liệu trả lời quá chậm. Vui lòng thử lại sau giây lát.",
                "extensions": { "code": api::ErrorCode::Unavailable.as_str() },
            }]
        }))
}

/// The schema's answer for an error met outside its execution.
pub(super) fn api_error(error: api::ApiError, request_id: &RequestId) -> HttpResponse {
    let response = async_graphql::Response::from_errors(vec![error.into_server_error()]);
    Answer::of(&response).into_response(request_id)
}

/// An `INTERNAL` answer for a failure outside the schema, logged with its cause.
pub(super) fn internal(request_id: &RequestId, cause: &dyn std::error::Error) -> HttpResponse {
    tracing::error!(error = %cause, "request failed");
    let internal = api::ApiError::Internal {
        request_id: request_id.to_string(),
    };
    api_error(internal, request_id)
}

/// The answer of a GraphQL response, as sent and as recorded for an idempotency key.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    cookies: Vec<actix_web::http::header::HeaderValue>,
    replayed: bool,
}

impl Answer {
    fn of(response: &async_graphql::Response) -> Self {
        Self {
            status: status_of(response),
            body: serde_json::to_vec(response).unwrap_or_else(|_| b"{}".to_vec()),
            // Cookies set by the schema (the refresh token); nothing else may be set there.
            cookies: response
                .http_headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| actix_web::http::header::HeaderValue::from_bytes(v.as_bytes()).ok())
                .collect(),
            replayed: false,
        }
    }

    fn into_response(self, request_id: &RequestId) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        builder.insert_header(("X-Request-Id", request_id.to_string()));
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            builder.insert_header((header::RETRY_AFTER, "1"));
        }
        if self.replayed {
            builder.insert_header((idempotency::REPLAYED_HEADER, "true"));
        }
        for value in self.cookies {
            builder.append_header((header::SET_COOKIE, value));
        }
        builder.insert_header((header::CACHE_CONTROL, "no-store"));
        builder.content_type(ContentType::json()).body(self.body)
    }
}

async fn execute(
    req: &HttpRequest,
    state: &AppState,
    mut request: async_graphql::Request,
    request_id: RequestId,
    method: Method,
) -> HttpResponse {
    let bearer = bearer(req);
    let client_addr = client_addr(req, state);
    let claims = bearer.as_deref().and_then(|t| state.keys.verify(t));
    let account = claims.as_ref().map(|claims| claims.sub);
    let client = match account {
        Some(account) => Client::Account(account),
        None => Client::Address(client_addr.parse().ok()),
    };
    if let Err(wait) = state.limits.check(&client) {
        state.metrics.refused("rate_limited");
        return rate_limited(wait, &request_id);
    }
    if let Err(refusal) = api::admit(&mut request) {
        state.metrics.refused(refusal.reason);
        let response = async_graphql::Response::from_errors(vec![refusal.into_server_error()]);
        return HttpResponse::Ok()
            .insert_header(("X-Request-Id", request_id.to_string()))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(response);
    }
    let mutation = changes_data(&mut request);
    if method == Method::Get && mutation {
        return refuse(
            HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "POST")),
            "METHOD_NOT_ALLOWED",
            "Mutations must be sent with POST.",
        );
    }
    let keyed = match idempotency_key(req, &mut request, account, state) {
        Ok(keyed) => keyed,
        Err(refusal) => {
            state.metrics.refused("idempotency_key");
            return key_refused(&refusal, &request_id);
        }
    };
    let mut context = request_context(req, &request_id, bearer, client_addr);
    context.claims = claims;
    let announced = store::notify::announced();
    let run = async {
        let answer = match keyed {
            None => {
                let db = api::request_db(&state.db, state.statement_budget);
                let response =
                    api::execute(&state.schema, &state.metrics, request, db, context).await;
                Ok(Answer::of(&response))
            }
            Some(keyed) => execute_keyed(state, request, context, keyed).await,
        };
        if mutation {
            // What it changed is committed: stopped here and sent to every other replica
            // before the client hears of it.
            api::settle_sessions(&state.db, &state.sessions, announced).await;
        }
        answer
    };
    // What the request changes is audited with its id.
    let run = app::audit::in_request(request_id.to_string(), run);
    // Dropping the execution at its deadline rolls back any transaction it had open.
    match tokio::time::timeout(state.request_timeout, run).await {
        Ok(Ok(answer)) => answer.into_response(&request_id),
        Ok(Err(Refused::Key(refusal))) => key_refused(&refusal, &request_id),
        Ok(Err(Refused::Unavailable)) => api_error(api::ApiError::Unavailable, &request_id),
        Ok(Err(Refused::Internal(cause))) => internal(&request_id, cause.as_ref()),
        Err(_) => {
            state.metrics.refused("deadline");
            tracing::warn!(timeout = ?state.request_timeout, "request abandoned at its deadline");
            unavailable(&request_id)
        }
    }
}

/// Why a keyed request got no answer from the schema.
enum Refused {
    Key(KeyRefusal),
    Unavailable,
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        if matches!(e, StoreError::Unavailable(_)) {
            tracing::warn!(error = %e, "idempotent request: database unavailable");
            Self::Unavailable
        } else {
            Self::Internal(Box::new(e))
        }
    }
}

/// Runs a mutation sent with an idempotency key (see [`api::idempotency`]): the first time
/// in one transaction that records its answer, later times from the record.
async fn execute_keyed(
    state: &AppState,
    request: async_graphql::Request,
    context: api::RequestContext,
    keyed: Keyed,
) -> Result<Answer, Refused> {
    let run = match idempotency::begin(&state.db, &state.idempotency, keyed, state.statement_budget)
        .await
    {
        Ok(Begun::Run(run)) => run,
        Ok(Begun::Replay { status, answer }) => {
            return Ok(Answer {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body: answer,
                cookies: Vec::new(),
                replayed: true,
            });
        }
        Ok(Begun::Refused(refusal)) => return Err(Refused::Key(refusal)),
        Err(BeginError::Store(e)) => return Err(e.into()),
        Err(e @ BeginError::Unreadable) => return Err(Refused::Internal(Box::new(e))),
    };
    let response = api::execute(&state.schema, &state.metrics, request, run.db(), context).await;
    let answer = Answer::of(&response);
    // Only a complete answer is kept: with any error the whole request is rolled back (and
    // its retry runs afresh), and answers that set cookies are never replayed.
    if response.errors.is_empty() && answer.cookies.is_empty() {
        run.finish(&state.idempotency, answer.status.as_u16(), &answer.body)
            .await?;
    }
    Ok(answer)
}
