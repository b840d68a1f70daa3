use std::fmt::Write as _;
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

async fn post_raw(app: &TestApp, content_type: &str, body: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .expect("sent")
}

db_test! {
    async fn get_runs_queries(app: TestApp) {
        let response = app
            .client
            .get(format!("{}/graphql?query=%7Bunit(code%3A%2249%22)%7Bname%7D%7D", app.address))
            .bearer_auth(app.token.as_deref().expect("token"))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["data"]["unit"]["name"], "Quảng Nam");
    }
}

db_test! {
    async fn get_refuses_mutations_with_405(app: TestApp) {
        for query in ["mutation%7B__typename%7D", "query%20A%7B__typename%7D%20mutation%20B%7B__typename%7D&operationName=B"] {
            let response = app.get(&format!("/graphql?query={query}")).await;
            assert_eq!(response.status(), 405, "{query}");
            assert_eq!(response.headers()["allow"], "POST");
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "METHOD_NOT_ALLOWED");
        }
    }
}

db_test! {
    async fn posts_that_are_not_json_get_415(app: TestApp) {
        let query = r#"{"query":"{ __typename }"}"#;
        for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""] {
            let response = post_raw(&app, content_type, query).await;
            assert_eq!(response.status(), 415, "{content_type:?}");
        }
        let response = post_raw(&app, "application/json; charset=utf-8", query).await;
        assert_eq!(response.status(), 200);
    }
}

db_test! {
    async fn malformed_json_and_batches_get_400(app: TestApp) {
        for body in ["{", "[{\"query\":\"{ __typename }\"}]", "\"hello\""] {
            let response = post_raw(&app, "application/json", body).await;
            assert_eq!(response.status(), 400, "{body}");
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "BAD_REQUEST");
        }
    }
}

db_test! {
    async fn other_methods_get_405(app: TestApp) {
        let response = app.client.put(format!("{}/graphql", app.address)).send().await.expect("sent");
        assert_eq!(response.status(), 405);
    }
}

db_test! {
    async fn too_deep_queries_are_refused(app: TestApp) {
        let mut query = String::from("{ unit(code: \"20341\") { ");
        for _ in 0..16 {
            query.push_str("parent { ");
        }
        query.push_str("code");
        query.push_str(&" }".repeat(17));
        query.push_str(" }");
        let body = app.graphql(&query, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        assert_eq!(body["data"], json!(null));
    }
}

db_test! {
    async fn too_complex_queries_are_refused(app: TestApp) {
        let nested = "{ units(first: 100) { nodes { children(first: 100) { nodes { code fullName } } } } }";
        let body = app.graphql(nested, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");

        let mut aliased = String::from("{");
        for i in 0..30 {
            write!(aliased, " a{i}: unit(code: \"49\") {{ code name fullName parent {{ code }} }}").expect("write");
        }
        aliased.push_str(" }");
        let body = app.graphql(&aliased, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    }
}

db_test! {
    async fn the_standard_introspection_query_is_allowed(app: TestApp) {
        let body = app.graphql(INTROSPECTION, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
        assert!(body["data"]["__schema"]["types"].as_array().is_some_and(|t| t.len() > 10));
    }
}

db_test! {
    async fn development_suggests_field_names(app: TestApp) {
        let body = app.graphql("{ unitz(code: \"49\") { code } }", json!({})).await;
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains("Did you mean"), "{message}");
    }
}

db_test! {
    configure = |settings| settings.environment = server::Environment::Production, fixture = true;
    async fn production_does_not_suggest_field_names(app: TestApp) {
        let body = app.graphql("{ unitz(code: \"49\") { code } }", json!({})).await;
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(!message.contains("Did you mean"), "{message}");
        assert!(!message.contains("units"), "{message}");
    }
}

db_test! {
    async fn internal_errors_carry_a_request_id_and_hide_the_cause(app: TestApp) {
        app.db.execute_unprepared("ALTER TABLE unit RENAME TO unit_gone").await.expect("rename");
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(app.token.as_deref().expect("token"))
            .json(&json!({ "query": "{ unit(code: \"49\") { code } }" }))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 500, "an internal failure says so in its status");
        let header_id = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
        let body: Value = response.json().await.expect("json");
        assert_eq!(error_code(&body), "INTERNAL");
        assert_eq!(body["errors"][0]["extensions"]["requestId"], header_id.as_str());
        let text = body.to_string().to_lowercase();
        for leak in ["table", "relation", "sql", "select", "no such", "does not exist"] {
            assert!(!text.contains(leak), "{leak} leaked in {text}");
        }
    }
}

db_test! {
    async fn health_readiness_and_metrics_answer(app: TestApp) {
        assert_eq!(app.get("/healthz").await.status(), 200);
        assert_eq!(app.get("/readyz").await.status(), 200);
        app.data("query UnitSummary { unit(code: \"49\") { code } }", json!({})).await;
        let metrics = app.metrics().await;
        assert!(
            metrics.contains(r#"graphql_requests_total{operation="UnitSummary",outcome="ok"} 1"#),
            "{metrics}"
        );
        assert!(metrics.contains("graphql_request_duration_seconds_bucket{operation=\"UnitSummary\""));
        assert_eq!(app.get("/metrics").await.status(), 404, "not on the public listener");
        assert_eq!(app.get("/graphiql").await.status(), 200);
    }
}

db_test! {
    async fn responses_carry_security_headers(app: TestApp) {
        let response = app.get("/healthz").await;
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["x-frame-options"], "DENY");
    }
}

db_test! {
    async fn readiness_fails_fast_while_the_database_is_away_and_recovers(app: TestApp) {
        if !app.is_postgres() {
            return; // An embedded SQLite file cannot go away while the process holds it.
        }
        let name = app.database_url.rsplit('/').next().and_then(|s| s.split('?').next()).expect("db name").to_owned();
        let admin = sea_orm::Database::connect(tests::postgres_url().expect("pg url")).await.expect("admin");
        admin.execute_unprepared(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false")).await.expect("block");
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await
            .expect("kick");
        let started = Instant::now();
        assert_eq!(app.get("/readyz").await.status(), 503);
        assert!(started.elapsed() < Duration::from_secs(10), "fails fast, not after a long hang");
        let (status, body) = app.graphql_status(app.token.as_deref(), "{ unit(code: \"49\") { code } }", json!({})).await;
        assert_eq!(error_code(&body), "UNAVAILABLE", "{body}");
        assert_eq!(status, 503);

        admin.execute_unprepared(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true")).await.expect("unblock");
        assert_eq!(app.get("/readyz").await.status(), 200, "recovers by itself");
        app.data("{ unit(code: \"49\") { code } }", json!({})).await;
    }
}

const INTROSPECTION: &str = r"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}";

db_test! {
    configure = |settings| settings.static_dir = tests::sample_spa(), fixture = false;
    async fn the_web_app_is_served_with_client_side_routes(app: TestApp) {
        for path in ["/", "/don-vi/49", "/tai-khoan"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
            assert!(response.text().await.expect("text").contains("Trang Cộng Đồng"));
        }
        let index = app.get("/").await;
        let csp = index.headers()["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        let asset = app.get("/assets/app-0123abcd.js").await;
        assert_eq!(asset.status(), 200);
        assert!(asset.headers()["cache-control"].to_str().expect("ascii").contains("immutable"));
        assert_eq!(app.get("/assets/missing-1234.js").await.status(), 404);
        assert_eq!(app.get("/favicon.ico").await.status(), 404);
        assert_eq!(app.get("/healthz").await.status(), 200, "API routes win over the app");
    }
}

db_test! {
    configure = |s| s.database.max_connections = 1, fixture = true;
    async fn an_exhausted_pool_fails_fast_and_recovers(app: TestApp) {
        let held = store::begin(&app.db).await.expect("the only connection");
        let started = Instant::now();
        let (status, body) = app.graphql_status(app.token.as_deref(), "{ unit(code: \"49\") { code } }", json!({})).await;
        assert_eq!(error_code(&body), "UNAVAILABLE", "a busy database is worth a retry: {body}");
        assert_eq!(status, 503);
        assert!(started.elapsed() < Duration::from_secs(10), "fails within the acquire timeout");
        drop(held);
        app.data("{ unit(code: \"49\") { code } }", json!({})).await;
    }
}

db_test! {
    configure = |settings| settings.environment = server::Environment::Production, fixture = false;
    async fn production_serves_graphiql_only_when_asked(app: TestApp) {
        assert_eq!(app.get("/graphiql").await.status(), 404);
        assert_eq!(app.get("/graphiql/assets/init.js").await.status(), 404);
    }
}

db_test! {
    configure = |settings| {
        settings.environment = server::Environment::Production;
        settings.graphiql = Some(true);
    }, fixture = false;
    async fn production_serves_graphiql_when_configured(app: TestApp) {
        assert_eq!(app.get("/graphiql").await.status(), 200);
        assert_eq!(app.get("/graphiql/assets/init.js").await.status(), 200);
    }
}

/// A write while another transaction holds the database: `UNAVAILABLE` with 503 soon, never
/// a long hang; readiness notices; everything works again once it is released.
async fn a_locked_database_answers_unavailable(app: &TestApp) {
    let token = app.token.clone().expect("national admin");
    let me = app.data("{ me { id } }", json!({})).await;
    // On SQLite the transaction holds the write lock from its BEGIN IMMEDIATE.
    let held = store::begin(&app.db)
        .await
        .expect("a transaction of our own");
    if app.is_postgres() {
        held.execute_unprepared("LOCK TABLE account IN ACCESS EXCLUSIVE MODE")
            .await
            .expect("lock");
    }
    let started = Instant::now();
    let rename = "mutation ($id: ID!) { updateAccount(input: { id: $id, displayName: \"Tên mới\" }) { account { displayName } } }";
    let (status, body) = app
        .graphql_status(Some(&token), rename, json!({ "id": me["me"]["id"] }))
        .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(error_code(&body), "UNAVAILABLE", "{body}");
    assert!(started.elapsed() < Duration::from_secs(10), "no long hang");
    if app.is_postgres() {
        assert_eq!(
            app.get("/readyz").await.status(),
            503,
            "readiness sees the lock"
        );
    }
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    let data = app.data(rename, json!({ "id": me["me"]["id"] })).await;
    assert_eq!(data["updateAccount"]["account"]["displayName"], "Tên mới");
}

db_test! {
    configure = |s| {
        s.request_timeout_seconds = 30;
        s.database.lock_timeout_ms = 500;
    }, fixture = true;
    async fn a_lock_wait_ends_at_the_lock_timeout(app: TestApp) {
        a_locked_database_answers_unavailable(&app).await;
    }
}

db_test! {
    configure = |s| {
        s.request_timeout_seconds = 1;
        s.database.lock_timeout_ms = 30_000;
    }, fixture = true;
    async fn a_request_ends_at_its_deadline(app: TestApp) {
        a_locked_database_answers_unavailable(&app).await;
    }
}
