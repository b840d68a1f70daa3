//! The GraphQL API over plain HTTP, as another client would use it: what the browser tests
//! check the screens against.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

pub struct Api {
    http: reqwest::Client,
    url: String,
}

impl Api {
    pub fn new(address: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            url: format!("{address}/graphql"),
        }
    }

    /// The data of a query or mutation; any GraphQL error is an error.
    pub async fn query(&self, token: Option<&str>, query: &str, variables: Value) -> Result<Value> {
        let mut request = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let body: Value = request.send().await?.json().await?;
        ensure!(body.get("errors").is_none(), "the API refused: {body}");
        Ok(body["data"].clone())
    }

    /// An access token for the account.
    pub async fn token(&self, username: &str, password: &str) -> Result<String> {
        let data = self
            .query(
                None,
                "mutation ($i: LoginInput!) { login(input: $i) { accessToken } }",
                json!({ "i": { "username": username, "password": password } }),
            )
            .await?;
        data["login"]["accessToken"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("no access token for {username}: {data}"))
    }

    /// The unit's live page: `{ id name url }`.
    pub async fn page(&self, token: &str, code: &str) -> Result<Value> {
        let data = self
            .query(
                Some(token),
                "query ($code: String!) { unit(code: $code) { page { id name url } } }",
                json!({ "code": code }),
            )
            .await?;
        let page = data["unit"]["page"].clone();
        ensure!(page.is_object(), "{code} has no live page: {data}");
        Ok(page)
    }
}
