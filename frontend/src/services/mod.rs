//! Talking to the API: one typed async function per GraphQL operation, each returning the
//! app's own models or an [`Error`]. Every call goes through [`Client::execute`], which adds
//! the access token and signs the officer out on `UNAUTHENTICATED`, wherever it happens.

pub mod accounts;
mod convert;
mod ops;
pub mod session;
pub mod units;

use std::rc::Rc;

use gloo_net::http::Request;
use graphql_client::{GraphQLQuery, Response};
use yew::Callback;

use crate::error::Error;

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

    async fn send<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, Error> {
        let body = Q::build_query(variables);
        let mut request = Request::post(ENDPOINT).header("Accept", "application/json");
        if let Some(token) = &self.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let response = request
            .json(&body)
            .map_err(|_| Error::BadResponse { status: 0 })?
            .send()
            .await
            .map_err(|_| Error::Network)?;
        let status = response.status();
        let parsed: Response<Q::ResponseData> = response
            .json()
            .await
            .map_err(|_| Error::BadResponse { status })?;
        match (parsed.data, parsed.errors) {
            (_, Some(errors)) if !errors.is_empty() => Err(Error::from_graphql(&errors)),
            (Some(data), _) => Ok(data),
            (None, _) => Err(Error::BadResponse { status }),
        }
    }
}
