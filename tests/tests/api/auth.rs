use std::time::Duration;

use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code, password_of};

const ME: &str = "{ me { username role mustChangePassword unit { code } } }";
const UNITS: &str = "{ units(first: 1) { totalCount } }";
const REFRESH: &str = "mutation { refreshSession { accessToken account { username } } }";
const CHANGE_PASSWORD: &str = "mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken account { mustChangePassword } userErrors { field code message } } }";

fn user_error(payload: &Value) -> &str {
    payload["userErrors"][0]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no user error in {payload}"))
}

/// POSTs with a client that keeps cookies; returns the body and the Set-Cookie values.
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
    cookie: Option<&str>,
) -> (Value, Vec<String>) {
    let mut request = client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query }));
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("tcd_refresh={cookie}"));
    }
    let response = request.send().await.expect("sent");
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .collect();
    (response.json().await.expect("json"), cookies)
}

fn refresh_value(set_cookie: &[String]) -> String {
    set_cookie
        .iter()
        .find_map(|c| c.strip_prefix("tcd_refresh="))
        .and_then(|rest| rest.split(';').next())
        .expect("a refresh cookie")
        .to_owned()
}

async fn login_cookie(app: &TestApp, username: &str) -> (String, String) {
    let query = format!(
        r#"mutation {{ login(input: {{ username: "{username}", password: "{}" }}) {{ accessToken }} }}"#,
        password_of(username)
    );
    let (body, cookies) = post(app, &app.client, &query, None).await;
    let token = body["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    (token, refresh_value(&cookies))
}

db_test! {
    async fn login_returns_a_short_lived_token_and_an_http_only_refresh_cookie(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let query = r#"mutation { login(input: { username: "Huyen.PhuNinh", password: "PASSWORD" }) { accessToken expiresAt account { username role unit { code } } userErrors { code } } }"#
            .replace("PASSWORD", &password_of("huyen.phuninh"));
        let query = query.as_str();
        let (body, cookies) = post(&app, &app.client, query, None).await;
        let payload = &body["data"]["login"];
        assert_eq!(payload["userErrors"], json!([]));
        assert_eq!(payload["account"], json!({ "username": "huyen.phuninh", "role": "ADMIN", "unit": { "code": "518" } }));
        let expires: chrono::DateTime<chrono::Utc> = payload["expiresAt"].as_str().expect("expiresAt").parse().expect("RFC 3339");
        let minutes = (expires - chrono::Utc::now()).num_minutes();
        assert!((13..=15).contains(&minutes), "about 15 minutes: {minutes}");
        let cookie = cookies.iter().find(|c| c.starts_with("tcd_refresh=")).expect("refresh cookie");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/graphql"] {
            assert!(cookie.contains(part), "{part} in {cookie}");
        }
        let token = payload["accessToken"].as_str().expect("token");
        let me = app.data_as(token, ME, json!({})).await;
        assert_eq!(me["me"]["username"], "huyen.phuninh");
    }
}

db_test! {
    async fn unknown_users_and_wrong_passwords_get_the_same_answer(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let wrong = app.login("huyen.phuninh", "not the password").await;
        let unknown = app.login("khong.ton.tai", "not the password").await;
        assert_eq!(wrong["userErrors"], unknown["userErrors"]);
        assert_eq!(user_error(&wrong), "INVALID_CREDENTIALS");
        assert_eq!(wrong["accessToken"], json!(null));
        assert_eq!(wrong["userErrors"][0]["message"], "Tên đăng nhập hoặc mật khẩu không đúng.");
    }
}

db_test! {
    configure = |s| s.login_backoff_seconds = 1, fixture = true;
    async fn repeated_failures_lock_the_account_until_the_backoff_passes(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        for attempt in 1..=4 {
            let payload = app.login("huyen.phuninh", "sai").await;
            assert_eq!(user_error(&payload), "INVALID_CREDENTIALS", "attempt {attempt}");
        }
        let fifth = app.login("huyen.phuninh", "sai").await;
        assert_eq!(user_error(&fifth), "ACCOUNT_LOCKED");
        let sixth = app.login("huyen.phuninh", &password_of("huyen.phuninh")).await;
        assert_eq!(user_error(&sixth), "ACCOUNT_LOCKED", "even the right password waits");
        assert!(sixth["userErrors"][0]["message"].as_str().expect("message").contains("thử lại sau"));
        let retry_at: chrono::DateTime<chrono::Utc> = sixth["retryAt"].as_str().expect("retryAt").parse().expect("date");
        let wait = (retry_at - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait + Duration::from_millis(200)).await;
        let after = app.login("huyen.phuninh", &password_of("huyen.phuninh")).await;
        assert_eq!(after["userErrors"], json!([]), "{after}");
        assert!(after["accessToken"].is_string());
    }
}

db_test! {
    configure = |s| s.login_backoff_seconds = 60, fixture = true;
    async fn an_unknown_username_locks_like_a_real_one(app: TestApp) {
        for _ in 0..5 {
            app.login("khong.ton.tai", "sai").await;
        }
        assert_eq!(user_error(&app.login("khong.ton.tai", "sai").await), "ACCOUNT_LOCKED");
    }
}

db_test! {
    configure = |s| s.login_backoff_seconds = 60, fixture = true;
    async fn failures_are_also_counted_per_client_address(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        for i in 0..20 {
            app.login(&format!("doan.mo.{i}"), "sai").await;
        }
        let payload = app.login("huyen.phuninh", &password_of("huyen.phuninh")).await;
        assert_eq!(user_error(&payload), "ACCOUNT_LOCKED");
    }
}

db_test! {
    async fn one_login_per_request(app: TestApp) {
        let query = r#"mutation { a: login(input: { username: "x1", password: "y" }) { accessToken } b: login(input: { username: "x2", password: "y" }) { accessToken } }"#;
        let body = app.graphql_as(None, query, json!({})).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
    }
}

db_test! {
    async fn without_a_valid_token_everything_but_login_is_unauthenticated(app: TestApp) {
        for token in [None, Some("garbage"), Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")] {
            for query in [ME, UNITS, "{ unit(code: \"49\") { code } }", "{ accounts { totalCount } }"] {
                let body = app.graphql_as(token, query, json!({})).await;
                assert_eq!(error_code(&body), "UNAUTHENTICATED", "{token:?} {query}");
            }
        }
    }
}

db_test! {
    configure = |s| s.access_token_ttl_seconds = 1, fixture = true;
    async fn an_expired_access_token_stops_working(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        app.data_as(&token, ME, json!({})).await;
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let body = app.graphql_as(Some(&token), ME, json!({})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
}

db_test! {
    configure = |s| s.refresh_reuse_grace_seconds = 1, fixture = true;
    async fn refresh_rotates_the_cookie_and_reuse_revokes_the_session(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let (_, first) = login_cookie(&app, "huyen.phuninh").await;
        let (body, cookies) = post(&app, &app.client, REFRESH, Some(&first)).await;
        let token = body["data"]["refreshSession"]["accessToken"].as_str().expect("new token").to_owned();
        let second = refresh_value(&cookies);
        assert_ne!(first, second, "rotated");
        app.data_as(&token, ME, json!({})).await;

        // The first cookie again, after the grace period: someone replayed it.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let (body, _) = post(&app, &app.client, REFRESH, Some(&first)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
        // Now the whole family is revoked, the legitimate cookie too.
        let (body, _) = post(&app, &app.client, REFRESH, Some(&second)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
}

db_test! {
    async fn tabs_renewing_at_the_same_moment_both_stay_signed_in(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let (_, shared) = login_cookie(&app, "huyen.phuninh").await;
        let (tab_a, tab_b) = tokio::join!(
            post(&app, &app.client, REFRESH, Some(&shared)),
            post(&app, &app.client, REFRESH, Some(&shared)),
        );
        let mut next = Vec::new();
        for (body, cookies) in [tab_a, tab_b] {
            let token = body["data"]["refreshSession"]["accessToken"].as_str().unwrap_or_else(|| panic!("{body}"));
            app.data_as(token, ME, json!({})).await;
            next.push(refresh_value(&cookies));
        }
        assert_ne!(next[0], next[1]);
        for cookie in &next {
            let (body, _) = post(&app, &app.client, REFRESH, Some(cookie)).await;
            assert!(body.get("errors").is_none(), "{body}");
        }
    }
}

db_test! {
    async fn a_browser_stays_signed_in_through_the_cookie(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let browser = app.browser();
        let query = r#"mutation { login(input: { username: "huyen.phuninh", password: "PASSWORD" }) { accessToken } }"#
            .replace("PASSWORD", &password_of("huyen.phuninh"));
        let query = query.as_str();
        post(&app, &browser, query, None).await;
        for _ in 0..3 {
            let (body, _) = post(&app, &browser, REFRESH, None).await;
            assert_eq!(body["data"]["refreshSession"]["account"]["username"], "huyen.phuninh", "{body}");
        }
        let (body, cookies) = post(&app, &browser, "mutation { logout { ok } }", None).await;
        assert_eq!(body["data"]["logout"]["ok"], true);
        assert!(cookies.iter().any(|c| c.contains("Max-Age=0")), "cookie cleared: {cookies:?}");
        let (body, _) = post(&app, &browser, REFRESH, None).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
}

db_test! {
    async fn logout_revokes_the_session_even_if_the_cookie_was_copied(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let (_, cookie) = login_cookie(&app, "huyen.phuninh").await;
        post(&app, &app.client, "mutation { logout { ok } }", Some(&cookie)).await;
        let (body, _) = post(&app, &app.client, REFRESH, Some(&cookie)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
}

db_test! {
    async fn disabling_an_account_ends_its_sessions_at_once(app: TestApp) {
        let id = app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let (token, cookie) = login_cookie(&app, "xa.tamdan").await;
        app.data_as(&token, ME, json!({})).await;
        let set = "mutation ($id: ID!, $active: Boolean!) { setAccountActive(input: { id: $id, active: $active }) { account { active } userErrors { code } } }";
        let data = app.data(set, json!({ "id": id, "active": false })).await;
        assert_eq!(data["setAccountActive"]["account"]["active"], false);

        assert_eq!(error_code(&app.graphql_as(Some(&token), ME, json!({})).await), "UNAUTHENTICATED");
        let (body, _) = post(&app, &app.client, REFRESH, Some(&cookie)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
        let payload = app.login("xa.tamdan", &password_of("xa.tamdan")).await;
        assert_eq!(user_error(&payload), "ACCOUNT_DISABLED");

        app.data(set, json!({ "id": id, "active": true })).await;
        assert!(app.login("xa.tamdan", &password_of("xa.tamdan")).await["accessToken"].is_string());
    }
}

db_test! {
    async fn changing_the_password_ends_the_other_sessions(app: TestApp) {
        app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let (phone, phone_cookie) = login_cookie(&app, "xa.tamdan").await;
        let desk = app.token_for("xa.tamdan").await;
        let input = json!({ "input": { "currentPassword": password_of("xa.tamdan"), "newPassword": "Ngựa vằn ăn cỏ bên sông Thu Bồn" } });
        let data = app.data_as(&desk, CHANGE_PASSWORD, input).await;
        let payload = &data["changePassword"];
        assert_eq!(payload["userErrors"], json!([]));
        let fresh = payload["accessToken"].as_str().expect("new token");
        app.data_as(fresh, ME, json!({})).await;
        for old in [&phone, &desk] {
            assert_eq!(error_code(&app.graphql_as(Some(old), ME, json!({})).await), "UNAUTHENTICATED");
        }
        let (body, _) = post(&app, &app.client, REFRESH, Some(&phone_cookie)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
        assert_eq!(user_error(&app.login("xa.tamdan", &password_of("xa.tamdan")).await), "INVALID_CREDENTIALS");
        assert!(app.login("xa.tamdan", "Ngựa vằn ăn cỏ bên sông Thu Bồn").await["accessToken"].is_string());
    }
}

db_test! {
    async fn change_password_checks_both_passwords(app: TestApp) {
        app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let token = app.token_for("xa.tamdan").await;
        let current = password_of("xa.tamdan");
        let cases = [
            ("sai", "Ngựa vằn ăn cỏ bên sông Thu Bồn", "currentPassword", "WRONG_PASSWORD"),
            (current.as_str(), "ngan", "newPassword", "PASSWORD_TOO_SHORT"),
            (current.as_str(), "XA.TAMDAN", "newPassword", "PASSWORD_TOO_SHORT"),
            (current.as_str(), "  XA.TAMDAN ", "newPassword", "PASSWORD_IS_USERNAME"),
            (current.as_str(), "tamdan2024", "newPassword", "PASSWORD_TOO_WEAK"),
            (current.as_str(), "quangnam123", "newPassword", "PASSWORD_TOO_WEAK"),
            (current.as_str(), current.as_str(), "newPassword", "PASSWORD_UNCHANGED"),
        ];
        for (current, new, field, code) in cases {
            let input = json!({ "input": { "currentPassword": current, "newPassword": new } });
            let data = app.data_as(&token, CHANGE_PASSWORD, input).await;
            let error = &data["changePassword"]["userErrors"][0];
            assert_eq!((error["field"].as_str(), error["code"].as_str()), (Some(field), Some(code)), "{new}");
        }
        app.data_as(&token, ME, json!({})).await;
    }
}

db_test! {
    async fn a_reset_password_works_once_and_must_be_changed(app: TestApp) {
        let id = app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let old = app.token_for("xa.tamdan").await;
        let reset = "mutation ($id: ID!) { resetPassword(input: { id: $id }) { oneTimePassword account { mustChangePassword } } }";
        let data = app.data(reset, json!({ "id": id })).await;
        let one_time = data["resetPassword"]["oneTimePassword"].as_str().expect("otp").to_owned();
        assert_eq!(data["resetPassword"]["account"]["mustChangePassword"], true);
        assert_eq!(error_code(&app.graphql_as(Some(&old), ME, json!({})).await), "UNAUTHENTICATED");

        let payload = app.login("xa.tamdan", &one_time).await;
        assert_eq!(payload["account"]["mustChangePassword"], true);
        let token = payload["accessToken"].as_str().expect("token").to_owned();
        assert_eq!(error_code(&app.graphql_as(Some(&token), UNITS, json!({})).await), "PASSWORD_CHANGE_REQUIRED");
        assert_eq!(app.data_as(&token, ME, json!({})).await["me"]["mustChangePassword"], true);

        let input = json!({ "input": { "currentPassword": one_time, "newPassword": "mật khẩu của tôi" } });
        let data = app.data_as(&token, CHANGE_PASSWORD, input).await;
        assert_eq!(data["changePassword"]["account"]["mustChangePassword"], false);
        let fresh = data["changePassword"]["accessToken"].as_str().expect("token");
        app.data_as(fresh, UNITS, json!({})).await;
    }
}

#[tokio::test]
async fn production_refuses_to_start_without_a_token_secret() {
    let dir = tempfile::tempdir().expect("dir");
    let mut settings =
        server::Settings::for_tests(&format!("sqlite://{}", dir.path().join("t.db").display()));
    settings.environment = server::Environment::Production;
    settings.jwt_secret = None;
    let error = server::Application::build(settings)
        .await
        .err()
        .expect("refuses");
    assert!(error.to_string().contains("TCD_JWT_SECRET"), "{error}");
}

#[tokio::test]
async fn development_keeps_its_generated_secret_across_restarts() {
    let dir = tempfile::tempdir().expect("dir");
    let mut settings =
        server::Settings::for_tests(&format!("sqlite://{}", dir.path().join("t.db").display()));
    settings.jwt_secret = None;
    settings.data_dir = dir.path().to_owned();
    let first = settings.resolve_jwt_secret().expect("generated");
    let second = settings.resolve_jwt_secret().expect("kept");
    assert_eq!(first.expose(), second.expose());
    assert!(first.expose().len() >= 32);
    assert!(format!("{first:?}").find("…").is_some(), "never printed");
}

db_test! {
    async fn absurd_credentials_are_refused_not_crashed_on(app: TestApp) {
        let long = "x".repeat(100_000);
        let payload = app.login(&long, &long).await;
        assert_eq!(user_error(&payload), "INVALID_CREDENTIALS");
        let payload = app.login("", "").await;
        assert_eq!(user_error(&payload), "INVALID_CREDENTIALS");
    }
}

db_test! {
    configure = |s| { s.trust_proxy = true; s.login_backoff_seconds = 60; }, fixture = true;
    async fn behind_a_proxy_failures_count_against_the_address_the_proxy_saw(app: TestApp) {
        let attempt = |username: String, forwarded: String| {
            let client = app.client.clone();
            let address = app.address.clone();
            async move {
                let body: Value = client
                    .post(format!("{address}/graphql"))
                    .header("x-forwarded-for", forwarded)
                    .json(&json!({
                        "query": "mutation ($u: String!) { login(input: { username: $u, password: \"sai\" }) { userErrors { code } } }",
                        "variables": { "u": username },
                    }))
                    .send()
                    .await
                    .expect("sent")
                    .json()
                    .await
                    .expect("json");
                body["data"]["login"]["userErrors"][0]["code"].as_str().expect("code").to_owned()
            }
        };
        // A client varying the spoofable first entry still counts against the proxy's entry.
        for i in 0..20 {
            attempt(format!("doan.{i}"), format!("10.0.0.{i}, 203.0.113.7")).await;
        }
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let locked = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", "203.0.113.7")
            .json(&json!({
                "query": "mutation ($p: String!) { login(input: { username: \"huyen.phuninh\", password: $p }) { userErrors { code } } }",
                "variables": { "p": password_of("huyen.phuninh") },
            }))
            .send()
            .await
            .expect("sent")
            .json::<Value>()
            .await
            .expect("json");
        assert_eq!(locked["data"]["login"]["userErrors"][0]["code"], "ACCOUNT_LOCKED");
        // Another office, behind the same proxy, is not affected.
        let other = app.login("huyen.phuninh", &password_of("huyen.phuninh")).await;
        assert!(other["accessToken"].is_string(), "{other}");
        assert_eq!(attempt("ai.khac".to_owned(), "198.51.100.9".to_owned()).await, "INVALID_CREDENTIALS");
    }
}

db_test! {
    async fn concurrent_sign_ins_and_renewals_all_succeed(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        // Within the account's five attempts: every attempt in flight counts until it succeeds.
        let password = password_of("huyen.phuninh");
        let logins = (0..4).map(|_| app.login("huyen.phuninh", &password));
        for payload in futures_util::future::join_all(logins).await {
            assert!(payload["accessToken"].is_string(), "{payload}");
        }
        let mut cookies = Vec::new();
        for _ in 0..6 {
            cookies.push(login_cookie(&app, "huyen.phuninh").await.1);
        }
        let renewals = cookies.iter().map(|c| post(&app, &app.client, REFRESH, Some(c)));
        for (body, _) in futures_util::future::join_all(renewals).await {
            assert!(body.get("errors").is_none(), "{body}");
        }
    }
}
