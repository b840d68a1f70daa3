//! Talking to the API: one typed async function per GraphQL operation, each returning the
//! app's own models or an [`Error`]. Every call goes through [`Client::execute`], which adds
//! the access token and signs the officer out on `UNAUTHENTICATED`, wherever it happens.

pub mod accounts;
pub mod audit;
pub mod campaigns;
mod convert;
mod ops;
pub mod pages;
pub mod people;
pub mod reports;
pub mod session;
pub mod stats;
pub mod units;

use std::rc::Rc;

use std::time::Duration;

use gloo_net::http::Request;
use graphql_client::{GraphQLQuery, QueryBody, Response};
use yew::Callback;

use crate::error::Error;

/// One slice of a list, as a cursor connection gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slice<T> {
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: i64,
    /// Where the next slice starts, when there is one.
    pub next: Option<String>,
}

impl<T> Slice<T> {
    /// A slice from a connection's nodes, `totalCount` and `pageInfo`.
    fn new(
        items: impl IntoIterator<Item = T>,
        total: i64,
        has_next: bool,
        end_cursor: Option<String>,
    ) -> Self {
        Self {
            items: items.into_iter().collect(),
            total,
            next: has_next.then_some(end_cursor).flatten(),
        }
    }
}

/// The GraphQL endpoint, on the app's own origin (the refresh cookie is scoped to it).
const ENDPOINT: &str = "/graphql";

/// What a service call needs: the current access token, and whom to tell when the session
/// turns out to be gone.
#[derive(Clone, PartialEq)]
pub struct Client {
    token: Option<Rc<str>>,
    on_unauthenticated: Callback<()>,
}

impl Client {
    pub fn new(token: Option<Rc<str>>, on_unauthenticated: Callback<()>) -> Self {
        Self {
            token,
            on_unauthenticated,
        }
    }

    /// Runs one operation and returns its data, or the first error classified.
    pub async fn execute<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, Error> {
        let result = self.send::<Q>(variables).await;
        if matches!(result, Err(Error::Unauthenticated)) {
            self.on_unauthenticated.emit(());
        }
        result
    }

    /// Runs a mutation that must not happen twice (creating an account, a new password):
    /// it carries an `Idempotency-Key`, and when no answer came back — the network, a proxy,
    /// a restarting server — it is sent again with the same key, so that if the first one got
    /// through the server answers with its result instead of doing it again.
    pub async fn execute_once<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, Error> {
        let body = Q::build_query(variables);
        let key = idempotency_key();
        let mut result = self.post::<Q>(&body, Some(&key)).await;
        for wait in RETRY_WAITS {
            if !matches!(&result, Err(e) if e.answer_was_lost()) {
                break;
            }
            gloo_timers::future::sleep(wait).await;
            result = self.post::<Q>(&body, Some(&key)).await;
        }
        if matches!(result, Err(Error::Unauthenticated)) {
            self.on_unauthenticated.emit(());
        }
        result
    }

    async fn send<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, Error> {
        self.post::<Q>(&Q::build_query(variables), None).await
    }

    /// Runs one operation: the typed half, which each operation gets a copy of, kept to
    /// (de)serializing; the request itself is [`Client::post_json`], shared by all.
    async fn post<Q: GraphQLQuery>(
        &self,
        body: &QueryBody<Q::Variables>,
        idempotency_key: Option<&str>,
    ) -> Result<Q::ResponseData, Error> {
        let body = serde_json::to_string(body).map_err(|_| Error::BadResponse { status: 0 })?;
        let (status, data) = self.post_json(body, idempotency_key).await?;
        serde_json::from_value(data).map_err(|_| Error::BadResponse { status })
    }

    /// Sends a GraphQL request body and returns the answer's status and `data`, or the
    /// first error classified.
    async fn post_json(
        &self,
        body: String,
        idempotency_key: Option<&str>,
    ) -> Result<(u16, serde_json::Value), Error> {
        let mut request = Request::post(ENDPOINT)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json");
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request
            .body(body)
            .map_err(|_| Error::BadResponse { status: 0 })?
            .send()
            .await
            .map_err(|_| Error::Network)?;
        let status = response.status();
        let parsed: Response<serde_json::Value> = response
            .json()
            .await
            .map_err(|_| Error::BadResponse { status })?;
        match (parsed.data, parsed.errors) {
            (_, Some(errors)) if !errors.is_empty() => Err(Error::from_graphql(&errors)),
            (Some(data), _) => Ok((status, data)),
            (None, _) => Err(Error::BadResponse { status }),
        }
    }
}

impl Client {
    /// Downloads a file the API serves to this session (`GET` with the bearer token, as
    /// `Report.xlsxUrl` and the coverage export are) and hands it to the browser to save
    /// as `filename`.
    pub async fn download(&self, url: &str, filename: &str) -> Result<(), Error> {
        let response = self.get(url).await?;
        let status = response.status();
        // The server names the file (unit and day); `filename` when it does not.
        let named = response
            .headers()
            .get("content-disposition")
            .and_then(|header| attachment_name(&header));
        let bytes = response
            .binary()
            .await
            .map_err(|_| Error::BadResponse { status })?;
        save_file(&bytes, named.as_deref().unwrap_or(filename)).ok_or(Error::BadResponse { status })
    }

    /// Fetches a text file the API serves to this session (an SVG image such as a page's QR
    /// code) as a `data:` URL the page can show: the site's policy lets images come from
    /// the app's origin and `data:` only, and this one needs the bearer token.
    pub async fn text_data_url(&self, url: &str, mime: &str) -> Result<String, Error> {
        let response = self.get(url).await?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|_| Error::BadResponse { status })?;
        let encoded = String::from(js_sys::encode_uri_component(&text));
        Ok(format!("data:{mime};charset=utf-8,{encoded}"))
    }

    /// `GET url` with the bearer token; the response when it is a success, else its error
    /// classified (signing out on `401`).
    async fn get(&self, url: &str) -> Result<gloo_net::http::Response, Error> {
        let mut request = Request::get(url);
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let response = request.send().await.map_err(|_| Error::Network)?;
        let status = response.status();
        let error = match status {
            200..=299 => None,
            401 => Some(Error::Unauthenticated),
            403 => Some(Error::Forbidden),
            404 => Some(Error::NotFound),
            429 => Some(Error::RateLimited),
            503 => Some(Error::Busy),
            500..=599 => Some(Error::Internal { request_id: None }),
            _ => Some(Error::BadResponse { status }),
        };
        if let Some(error) = error {
            if error == Error::Unauthenticated {
                self.on_unauthenticated.emit(());
            }
            return Err(error);
        }
        Ok(response)
    }
}

/// The `filename="…"` of a `Content-Disposition` header.
fn attachment_name(header: &str) -> Option<String> {
    let (_, rest) = header.split_once("filename=\"")?;
    let (name, _) = rest.split_once('"')?;
    (!name.is_empty() && !name.contains(['/', '\\'])).then(|| name.to_owned())
}

/// Offers `bytes` to the browser as a file download named `filename`.
fn save_file(bytes: &[u8], filename: &str) -> Option<()> {
    use wasm_bindgen::JsCast as _;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    let href = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link = document.create_element("a").ok()?;
    link.set_attribute("href", &href).ok()?;
    link.set_attribute("download", filename).ok()?;
    link.dyn_ref::<web_sys::HtmlElement>()?.click();
    // Freed once the browser has had time to start saving it.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&href);
    })
    .forget();
    Some(())
}

/// How long to wait before each resend of a mutation whose answer was lost.
const RETRY_WAITS: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];

/// A new random idempotency key: 128 bits from the browser's cryptographic generator, which
/// (unlike `crypto.randomUUID`) also exists on a page served without TLS.
fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No generator: a key still unique enough for one officer's retries.
        let now = js_sys::Date::now().to_bits().to_be_bytes();
        let noise = (js_sys::Math::random().to_bits()).to_be_bytes();
        bytes[..8].copy_from_slice(&now);
        bytes[8..].copy_from_slice(&noise);
    }
    bytes.iter().fold(String::with_capacity(32), |mut key, b| {
        use std::fmt::Write as _;
        let _ = write!(key, "{b:02x}");
        key
    })
}

#[cfg(test)]
mod tests {
    use super::attachment_name;

    #[test]
    fn the_servers_file_name_is_kept() {
        assert_eq!(
            attachment_name("attachment; filename=\"tien-do-49-tinh-quang-nam-2026-11-27.xlsx\"")
                .as_deref(),
            Some("tien-do-49-tinh-quang-nam-2026-11-27.xlsx")
        );
        assert_eq!(attachment_name("attachment"), None);
        assert_eq!(attachment_name("attachment; filename=\"../x\""), None);
    }
}
