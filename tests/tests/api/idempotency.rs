//! Idempotency keys: a creating mutation sent again with the same `Idempotency-Key` gets the
//! first answer and does nothing twice, as when a proxy or a crash lost that answer.

use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

const CREATE: &str = "mutation Create($code: String!, $username: String!) { createAccount(input: { unitCode: $code, username: $username, displayName: \"Cán bộ xã\", role: OPERATOR }) { account { id username } generatedPassword userErrors { code } } }";

/// One answer: status, whether it was given again from the record, body.
struct Answer {
    status: u16,
    replayed: bool,
    body: Value,
}

async fn send(
    app: &TestApp,
    token: &str,
    key: Option<&str>,
    query: &str,
    variables: Value,
) -> Answer {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("request sent");
    Answer {
        status: response.status().as_u16(),
        replayed: response
            .headers()
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true"),
        body: response.json().await.expect("JSON body"),
    }
}

fn create(username: &str) -> Value {
    json!({ "code": "20392", "username": username })
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

async fn accounts_named(app: &TestApp, username: &str) -> i64 {
    count(
        app,
        &format!("SELECT COUNT(*) FROM account WHERE username = '{username}'"),
    )
    .await
}

db_test! {
    async fn a_retry_gets_the_first_answer_and_creates_nothing_more(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let key = "6f1c2a4e-0d2b-4f7a-9a51-3c8e2b7d9f10";

        let first = send(&app, &token, Some(key), CREATE, create("xa.tamdan")).await;
        assert_eq!(first.status, 200, "{}", first.body);
        assert!(!first.replayed);
        let payload = &first.body["data"]["createAccount"];
        assert_eq!(payload["userErrors"], json!([]), "{}", first.body);
        let one_time = payload["generatedPassword"].as_str().expect("a one-time password");

        // The answer was lost; the client retries, even from a renewed session.
        let renewed = app.token_for("huyen.phuninh").await;
        for token in [&token, &renewed] {
            let again = send(&app, token, Some(key), CREATE, create("xa.tamdan")).await;
            assert_eq!(again.status, 200);
            assert!(again.replayed, "given again from the record");
            assert_eq!(again.body, first.body, "the very same answer");
        }
        assert_eq!(accounts_named(&app, "xa.tamdan").await, 1);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM audit_event WHERE action = 'account.create' AND detail LIKE '%xa.tamdan%'").await,
            1,
            "one creation audited"
        );
        // The one-time password of the first answer is the account's.
        let login = app.login("xa.tamdan", one_time).await;
        assert_eq!(login["account"]["mustChangePassword"], true, "{login}");

        // Without a key, the same request is a new one.
        let unkeyed = send(&app, &token, None, CREATE, create("xa.tamdan")).await;
        assert_eq!(unkeyed.body["data"]["createAccount"]["userErrors"][0]["code"], "USERNAME_TAKEN");
    }
}

db_test! {
    async fn a_key_is_for_one_request_of_one_account(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let district = app.token_for("huyen.phuninh").await;
        let province = app.token_for("tinh.quangnam").await;
        let key = "key-shared-by-chance";

        let first = send(&app, &district, Some(key), CREATE, create("xa.tamdan")).await;
        assert_eq!(first.body["data"]["createAccount"]["userErrors"], json!([]));

        // Another request under the same key is refused, and does nothing.
        let other = send(&app, &district, Some(key), CREATE, create("xa.tamthanh")).await;
        assert_eq!(other.status, 422);
        assert_eq!(error_code(&other.body), "IDEMPOTENCY_KEY_REUSED");
        assert_eq!(accounts_named(&app, "xa.tamthanh").await, 0);
        let renamed = send(&app, &district, Some(key), &CREATE.replace("Create", "Tao"), create("xa.tamdan")).await;
        assert_eq!(error_code(&renamed.body), "IDEMPOTENCY_KEY_REUSED", "the document counts");

        // Another account's key of the same name is its own: the request runs.
        let theirs = send(&app, &province, Some(key), CREATE, create("xa.tamthanh")).await;
        assert!(!theirs.replayed);
        assert_eq!(theirs.body["data"]["createAccount"]["userErrors"], json!([]), "{}", theirs.body);
        assert_eq!(accounts_named(&app, "xa.tamthanh").await, 1);
    }
}

db_test! {
    async fn a_keyed_request_that_fails_keeps_nothing_and_runs_again(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        // The first creation is in the admin's district, the second outside it.
        let both = "mutation { a: createAccount(input: { unitCode: \"20392\", username: \"xa.tamdan\", displayName: \"A\", role: VIEWER }) { account { id } } b: createAccount(input: { unitCode: \"20335\", username: \"xa.khac\", displayName: \"B\", role: VIEWER }) { account { id } } }";
        for _ in 0..2 {
            let answer = send(&app, &token, Some("all-or-nothing"), both, json!({})).await;
            assert_eq!(answer.status, 200);
            assert!(!answer.replayed, "a failed request is not recorded");
            assert_eq!(error_code(&answer.body), "NOT_FOUND");
            assert_eq!(accounts_named(&app, "xa.tamdan").await, 0, "the first creation rolled back too");
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM idempotent_request").await, 0);

        // Once the request can succeed, the same key runs it.
        let fixed = both.replace("20335", "20392");
        let answer = send(&app, &token, Some("all-or-nothing"), &fixed, json!({})).await;
        assert!(answer.body.get("errors").is_none(), "{}", answer.body);
        assert_eq!(accounts_named(&app, "xa.tamdan").await, 1);
    }
}

db_test! {
    async fn duplicates_sent_at_once_create_once(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let answers = join_all(
            (0..6).map(|_| send(&app, &token, Some("double-click"), CREATE, create("xa.tamdan"))),
        )
        .await;
        let first = answers
            .iter()
            .find(|a| !a.replayed)
            .expect("one request ran");
        for answer in &answers {
            assert_eq!(answer.status, 200, "{}", answer.body);
            assert_eq!(answer.body, first.body, "every duplicate gets the one answer");
        }
        assert_eq!(answers.iter().filter(|a| !a.replayed).count(), 1);
        assert_eq!(accounts_named(&app, "xa.tamdan").await, 1);
    }
}

db_test! {
    async fn bad_keys_and_operations_without_keys_are_refused_cheaply(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let long = "k".repeat(256);
        for bad in ["has space", long.as_str(), "dấu"] {
            let mut request = app
                .client
                .post(format!("{}/graphql", app.address))
                .bearer_auth(&token)
                .json(&json!({ "query": CREATE, "variables": create("xa.tamdan") }));
            request = request.header("Idempotency-Key", reqwest::header::HeaderValue::from_bytes(bad.as_bytes()).expect("header"));
            let response = request.send().await.expect("sent");
            assert_eq!(response.status(), 400, "{bad}");
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(error_code(&body), "IDEMPOTENCY_KEY_INVALID");
        }
        let login = "mutation { login(input: { username: \"huyen.phuninh\", password: \"x\" }) { accessToken } }";
        let refused = send(&app, &token, Some("k1"), login, json!({})).await;
        assert_eq!(refused.status, 400);
        assert_eq!(error_code(&refused.body), "IDEMPOTENCY_KEY_NOT_SUPPORTED");
        let mixed = "mutation { createAccount(input: { unitCode: \"20392\", username: \"xa.tamdan\", displayName: \"A\", role: VIEWER }) { account { id } } logout { ok } }";
        assert_eq!(error_code(&send(&app, &token, Some("k2"), mixed, json!({})).await.body), "IDEMPOTENCY_KEY_NOT_SUPPORTED");
        assert_eq!(accounts_named(&app, "xa.tamdan").await, 0, "nothing ran");

        // On a query a key changes nothing.
        let me = send(&app, &token, Some("k3"), "{ me { username } }", json!({})).await;
        assert_eq!(me.body["data"]["me"]["username"], "huyen.phuninh");
        // Without a valid token the mutation is refused as always, and nothing is recorded.
        let anonymous = send(&app, "not-a-token", Some("k4"), CREATE, create("xa.tamdan")).await;
        assert_eq!(error_code(&anonymous.body), "UNAUTHENTICATED");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM idempotent_request").await, 0);
    }
}

db_test! {
    async fn the_record_hides_the_key_and_the_answer_and_expires(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let key = "secret-looking-key-0001";
        let first = send(&app, &token, Some(key), CREATE, create("xa.tamdan")).await;
        let one_time = first.body["data"]["createAccount"]["generatedPassword"]
            .as_str()
            .expect("a one-time password")
            .to_owned();

        let row = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT key_id, response FROM idempotent_request",
            ))
            .await
            .expect("query")
            .expect("one record");
        let key_id: String = row.try_get_by_index(0).expect("key_id");
        let response: Vec<u8> = row.try_get_by_index(1).expect("response");
        assert!(!key_id.contains(key));
        let stored = String::from_utf8_lossy(&response);
        assert!(!stored.contains(&one_time) && !stored.contains("xa.tamdan"), "sealed");

        // A day later the key is forgotten: the same request runs again.
        let sql = match app.backend {
            tests::Backend::Postgres => "UPDATE idempotent_request SET created_at = $1",
            tests::Backend::Sqlite => "UPDATE idempotent_request SET created_at = ?",
        };
        let day_ago = chrono::Utc::now() - chrono::TimeDelta::hours(25);
        app.db
            .execute_raw(Statement::from_sql_and_values(
                app.db.get_database_backend(),
                sql,
                [day_ago.into()],
            ))
            .await
            .expect("backdate");
        let later = send(&app, &token, Some(key), CREATE, create("xa.tamdan")).await;
        assert!(!later.replayed);
        assert_eq!(later.body["data"]["createAccount"]["userErrors"][0]["code"], "USERNAME_TAKEN");
    }
}

db_test! {
    async fn a_retried_reporting_round_asks_for_the_reports_once(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let today = domain::time::today_in_vietnam(chrono::Utc::now()).to_string();
        let round = "mutation ($input: CreateReportingRoundInput!) { createReportingRound(input: $input) { round { id reportCount } userErrors { code } } }";
        let input = json!({ "input": {
            "unitCode": "49", "title": "Báo cáo triển khai", "periodStart": today,
            "periodEnd": today, "deadline": today,
        } });
        let answers = join_all(
            (0..4).map(|_| send(&app, &token, Some("round-1"), round, input.clone())),
        )
        .await;
        let first = answers.iter().find(|a| !a.replayed).expect("one request ran");
        assert_eq!(first.body["data"]["createReportingRound"]["round"]["reportCount"], 17, "{}", first.body);
        for answer in &answers {
            assert_eq!(answer.body, first.body, "every retry gets the one answer");
        }
        assert_eq!(count(&app, "SELECT COUNT(*) FROM reporting_round").await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM report").await, 17);
    }
}
