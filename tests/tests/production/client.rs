//! HTTPS requests to the site by its name, through nginx, trusting the test's authority.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};

/// Longer than the API's own request deadline (30 s): a request that outlives it hung.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(45);

#[derive(Clone)]
pub struct Site {
    pub host: String,
    pub tls_port: u16,
    pub plain_port: u16,
    ca: reqwest::Certificate,
}

/// A client of the site, and the `X-Forwarded-For` it sends, if any.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    url: String,
    forwarded_for: Option<String>,
}

/// What the API answered: the HTTP status and the JSON body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub set_cookies: Vec<String>,
    /// Given again from an idempotency key's record (`Idempotent-Replayed: true`).
    pub replayed: bool,
}

impl Answer {
    /// The first error's `extensions.code`, if any.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    /// `data.FIELD.userErrors[0].code`, if any.
    pub fn user_error(&self, field: &str) -> Option<&str> {
        self.body["data"][field]["userErrors"][0]["code"].as_str()
    }

    /// The access token `login` returned.
    pub fn token(&self) -> Result<String> {
        self.body["data"]["login"]["accessToken"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no access token: {self:?}"))
    }
}

impl Site {
    pub fn new(host: &str, plain_port: u16, tls_port: u16, ca_pem: &[u8]) -> Result<Self> {
        Ok(Self {
            host: host.to_owned(),
            tls_port,
            plain_port,
            ca: reqwest::Certificate::from_pem(ca_pem)?,
        })
    }

    pub fn https_url(&self, path: &str) -> String {
        format!("https://{}:{}{path}", self.host, self.tls_port)
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}:{}{path}", self.host, self.plain_port)
    }

    /// A client connecting from `local` (127.0.0.1 is the trusted front proxy), without
    /// cookies and without following redirects.
    pub fn client(&self, local: IpAddr, forwarded_for: Option<&str>) -> Result<Client> {
        let http = reqwest::Client::builder()
            .add_root_certificate(self.ca.clone())
            .tls_built_in_root_certs(false)
            .resolve(
                &self.host,
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            )
            .local_address(local)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(Client {
            http,
            url: self.https_url("/graphql"),
            forwarded_for: forwarded_for.map(str::to_owned),
        })
    }
}

impl Client {
    pub fn raw(&self) -> &reqwest::Client {
        &self.http
    }

    /// One GraphQL request; `Err` only when no answer came (refused, reset, timed out).
    pub async fn graphql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Result<Answer> {
        self.graphql_keyed(token, None, query, variables).await
    }

    /// Like [`Client::graphql`], with an `Idempotency-Key` when given.
    pub async fn graphql_keyed(
        &self,
        token: Option<&str>,
        key: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Result<Answer> {
        let mut request = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(address) = &self.forwarded_for {
            request = request.header("X-Forwarded-For", address);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true");
        let set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer {
            status,
            body,
            set_cookies,
            replayed,
        })
    }

    pub async fn login(&self, username: &str, password: &str) -> Result<Answer> {
        self.graphql(
            None,
            "mutation ($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }",
            json!({ "i": { "username": username, "password": password } }),
        )
        .await
    }

    /// Signs in and returns the access token.
    pub async fn token(&self, username: &str, password: &str) -> Result<String> {
        self.login(username, password).await?.token()
    }
}
