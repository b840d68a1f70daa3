//! What the benchmarks share.

use std::time::Duration;

use serde_json::{Value, json};

/// The `p`-quantile (0–1) of durations sorted in ascending order.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

/// POSTs a GraphQL query, with a bearer token when given, and returns the JSON answer.
#[allow(
    dead_code,
    reason = "not every benchmark sends GraphQL requests this way"
)]
pub async fn graphql(
    client: &reqwest::Client,
    address: &str,
    token: Option<&str>,
    query: &str,
) -> Value {
    let mut request = client
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json")
}

/// A fresh PostgreSQL database on the server of `admin_url` for one benchmark run: a
/// connection to the server, its name and its URL. Drop it with [`drop_database`].
#[allow(dead_code, reason = "only the PostgreSQL benchmarks create databases")]
pub async fn create_database(admin_url: &str) -> (sea_orm::DatabaseConnection, String, String) {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("postgres");
    let name = format!("tcd_bench_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create");
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, ""), |(b, q)| (b, q));
    let server_part = base.rsplit_once('/').map_or(base, |(s, _)| s);
    let url = if query.is_empty() {
        format!("{server_part}/{name}")
    } else {
        format!("{server_part}/{name}?{query}")
    };
    (admin, name, url)
}

/// Drops a database made by [`create_database`].
#[allow(dead_code, reason = "only the PostgreSQL benchmarks create databases")]
pub async fn drop_database(admin: &sea_orm::DatabaseConnection, name: &str) {
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .expect("drop");
}

/// Signs in a new admin of the unit with this code; its access token.
#[allow(dead_code, reason = "not every benchmark signs an admin in")]
pub async fn sign_in(
    client: &reqwest::Client,
    address: &str,
    db: &sea_orm::DatabaseConnection,
    unit: &str,
) -> String {
    let username = format!("bench.{}", unit.to_lowercase());
    let spec = server::accounts::Bootstrap {
        unit_code: unit.into(),
        username: username.clone(),
        display_name: None,
        role: domain::Role::Admin,
        password: Some("bench password of an admin".into()),
    };
    server::accounts::create(db, spec).await.expect("account");
    let login = graphql(
        client,
        address,
        None,
        &format!(
            r#"mutation {{ login(input: {{ username: "{username}", password: "bench password of an admin" }}) {{ accessToken }} }}"#
        ),
    )
    .await;
    login["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// `runs` sequential requests of `query` after one to warm up, each answered without errors;
/// their durations, sorted.
#[allow(
    dead_code,
    reason = "not every benchmark times GraphQL requests this way"
)]
pub async fn time_requests(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    query: &str,
    runs: usize,
) -> Vec<Duration> {
    let warm = graphql(client, address, Some(token), query).await;
    assert!(warm.get("errors").is_none(), "{warm}");
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let body = graphql(client, address, Some(token), query).await;
        times.push(started.elapsed());
        assert!(body.get("errors").is_none(), "{body}");
    }
    times.sort();
    times
}

/// The machine's load average over 1, 5 and 15 minutes, to print beside timings.
#[allow(dead_code, reason = "not every benchmark prints it")]
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let parts: Vec<&str> = l.split_whitespace().take(3).collect();
            (parts.len() == 3).then(|| parts.join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}
