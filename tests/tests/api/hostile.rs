//! The attacks of issue 7, performed against the real server: each must be refused cheaply,
//! with a clear code, and the server must keep answering everyone else.

use std::collections::HashMap;
use std::fmt::Write as _;

use futures_util::future::join_all;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code, password_of};

const LOGIN: &str = "mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken userErrors { code message } } }";
const CHANGE_PASSWORD: &str = "mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { accessToken userErrors { field code message } } }";
const STRONG: &str = "Ngựa vằn ăn cỏ bên sông Thu Bồn";

async fn post(app: &TestApp, body: &Value, token: Option<&str>) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// The server still answers a plain request.
async fn still_answers(app: &TestApp) {
    let body = app.graphql_as(None, "{ __typename }", json!({})).await;
    assert_eq!(body["data"]["__typename"], "Query", "{body}");
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!(
        "{{__typename(a:{}1{})}}",
        open.repeat(depth),
        close.repeat(depth)
    )
}

fn count_codes(payloads: &[Value], at: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for payload in payloads {
        let code = payload
            .pointer(at)
            .and_then(Value::as_str)
            .unwrap_or("none")
            .to_owned();
        *counts.entry(code).or_default() += 1;
    }
    counts
}

db_test! {
    async fn deeply_nested_documents_are_refused_before_parsing(app: TestApp) {
        for query in [nested("[", "]", 2_000), nested("{a:", "}", 2_000), "{a".repeat(3_000)] {
            let body = app.graphql_as(None, &query, json!({})).await;
            assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED", "{body}");
        }
        let response = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", nested("[", "]", 2_000))])
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("json");
        assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED", "by GET too: {body}");
        // Variables nested as deep: refused by the JSON reader's own depth limit.
        let deep = format!("{{\"query\":\"{{ __typename }}\",\"variables\":{{\"v\":{}1{}}}}}", "[".repeat(2_000), "]".repeat(2_000));
        let response = app.client.post(format!("{}/graphql", app.address)).header("content-type", "application/json").body(deep).send().await.expect("sent");
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_REQUEST");
        still_answers(&app).await;
    }
}

db_test! {
    async fn exponential_fragment_spreads_are_refused(app: TestApp) {
        let mut query = String::from("query { ...F0 }\n");
        for i in 0..24 {
            writeln!(query, "fragment F{i} on Query {{ ...F{n} ...F{n} }}", n = i + 1).expect("write");
        }
        query.push_str("fragment F24 on Query { __typename }\n");
        let body = app.graphql_as(None, &query, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        let body = app.graphql_as(None, cycle, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        still_answers(&app).await;
    }
}

db_test! {
    async fn thousands_of_aliases_and_too_many_root_fields_are_refused(app: TestApp) {
        let mut aliases = String::from("{");
        for i in 0..2_400 {
            write!(aliases, " a{i}: units(first: 1, search: \"an\") {{ totalCount }}").expect("write");
        }
        aliases.push('}');
        let body = app.graphql(&aliases, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED", "{body}");

        let mut roots = String::from("{");
        for i in 0..21 {
            write!(roots, " a{i}: units(first: 1) {{ totalCount }}").expect("write");
        }
        roots.push('}');
        let body = app.graphql(&roots, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        assert_eq!(body["data"], Value::Null);
        still_answers(&app).await;
    }
}

db_test! {
    configure = |s| s.login_backoff_seconds = 60, fixture = true;
    async fn concurrent_wrong_passwords_get_no_more_checks_than_the_limit(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let guesses = (0..100).map(|i| {
            let app = &app;
            async move {
                let body = json!({ "query": LOGIN, "variables": { "u": "huyen.phuninh", "p": format!("sai-{i}") } });
                post(app, &body, None).await.1["data"]["login"].clone()
            }
        });
        let payloads = join_all(guesses).await;
        let codes = count_codes(&payloads, "/userErrors/0/code");
        let checked = codes.get("INVALID_CREDENTIALS").copied().unwrap_or(0);
        assert!(checked <= 5, "at most 5 passwords checked, then the lock: {codes:?}");
        assert_eq!(checked + codes.get("ACCOUNT_LOCKED").copied().unwrap_or(0), 100, "nothing else, never INTERNAL: {codes:?}");
        let right = app.login("huyen.phuninh", &password_of("huyen.phuninh")).await;
        assert_eq!(right["userErrors"][0]["code"], "ACCOUNT_LOCKED", "the right password sent last waits too: {right}");
        assert!(right["accessToken"].is_null());
    }
}

db_test! {
    configure = |s| s.login_backoff_seconds = 60, fixture = true;
    async fn concurrent_first_failures_from_one_address_never_answer_internal(app: TestApp) {
        let guesses = (0..40).map(|i| {
            let app = &app;
            async move {
                let body = json!({ "query": LOGIN, "variables": { "u": format!("khong.co.{i}"), "p": "sai" } });
                post(app, &body, None).await.1
            }
        });
        let bodies = join_all(guesses).await;
        for body in &bodies {
            assert!(body.get("errors").is_none(), "{body}");
        }
        let codes = count_codes(&bodies, "/data/login/userErrors/0/code");
        let checked = codes.get("INVALID_CREDENTIALS").copied().unwrap_or(0);
        assert!(checked <= 20, "the address allows 20: {codes:?}");
        assert_eq!(checked + codes.get("ACCOUNT_LOCKED").copied().unwrap_or(0), 40, "{codes:?}");
    }
}

db_test! {
    configure = |s| s.login_backoff_seconds = 60, fixture = true;
    async fn concurrent_change_password_guesses_get_no_more_checks_than_the_limit(app: TestApp) {
        app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        // The officer's own browser signed in before the token was stolen.
        let browser = app.browser();
        let body = json!({ "query": LOGIN, "variables": { "u": "xa.tamdan", "p": password_of("xa.tamdan") } });
        let signed_in: Value = browser.post(format!("{}/graphql", app.address)).json(&body).send().await.expect("sent").json().await.expect("json");
        assert!(signed_in["data"]["login"]["accessToken"].is_string(), "{signed_in}");

        let stolen = app.token_for("xa.tamdan").await;
        let guesses = (0..60).map(|i| {
            let (app, stolen) = (&app, stolen.clone());
            async move {
                let body = json!({ "query": CHANGE_PASSWORD, "variables": { "c": format!("sai-{i}"), "n": STRONG } });
                post(app, &body, Some(&stolen)).await.1["data"]["changePassword"].clone()
            }
        });
        let payloads = join_all(guesses).await;
        let codes = count_codes(&payloads, "/userErrors/0/code");
        let checked = codes.get("WRONG_PASSWORD").copied().unwrap_or(0);
        assert!(checked <= 5, "{codes:?}");
        assert_eq!(checked + codes.get("ACCOUNT_LOCKED").copied().unwrap_or(0), 60, "{codes:?}");
        let body = json!({ "query": CHANGE_PASSWORD, "variables": { "c": password_of("xa.tamdan"), "n": STRONG } });
        let last = post(&app, &body, Some(&stolen)).await.1;
        assert_eq!(last["data"]["changePassword"]["userErrors"][0]["code"], "ACCOUNT_LOCKED", "{last}");

        // The password did not change, and the officer's own browser still signs in.
        let again: Value = browser.post(format!("{}/graphql", app.address)).json(&body_for_login("xa.tamdan")).send().await.expect("sent").json().await.expect("json");
        assert!(again["data"]["login"]["accessToken"].is_string(), "{again}");
    }
}

fn body_for_login(username: &str) -> Value {
    json!({ "query": LOGIN, "variables": { "u": username, "p": password_of(username) } })
}

db_test! {
    configure = |s| s.login_backoff_seconds = 60, fixture = true;
    async fn a_browser_that_signed_in_before_is_not_locked_out_by_an_attacker(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let officer = app.browser();
        let url = format!("{}/graphql", app.address);
        let first: Value = officer.post(&url).json(&body_for_login("huyen.phuninh")).send().await.expect("sent").json().await.expect("json");
        assert!(first["data"]["login"]["accessToken"].is_string(), "{first}");

        // Someone else (here: on the same address, as behind an office NAT) guesses away.
        for i in 0..25 {
            app.login("huyen.phuninh", &format!("sai-{i}")).await;
        }
        let stranger = app.login("huyen.phuninh", &password_of("huyen.phuninh")).await;
        assert_eq!(stranger["userErrors"][0]["code"], "ACCOUNT_LOCKED", "unknown clients stay locked: {stranger}");
        let known: Value = officer.post(&url).json(&body_for_login("huyen.phuninh")).send().await.expect("sent").json().await.expect("json");
        assert!(known["data"]["login"]["accessToken"].is_string(), "the officer's browser signs in: {known}");

        // A device cookie is worth nothing for another account, or forged.
        let forged = app
            .client
            .post(&url)
            .header("cookie", "tcd_device=AAAAAAAAAAAAAAAAAAAAAA:huyen.phuninh:AAAA")
            .json(&body_for_login("huyen.phuninh"))
            .send()
            .await
            .expect("sent")
            .json::<Value>()
            .await
            .expect("json");
        assert_eq!(forged["data"]["login"]["userErrors"][0]["code"], "ACCOUNT_LOCKED", "{forged}");
    }
}

db_test! {
    async fn a_flood_of_list_fields_does_not_starve_other_officers(app: TestApp) {
        app.add_account("xa.tamthanh", domain::Role::Operator, "20365").await;
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let operator = app.token_for("xa.tamthanh").await;
        let officer = app.token_for("huyen.phuninh").await;
        let mut heavy = String::from("{");
        for i in 0..20 {
            write!(heavy, " a{i}: units(first: 1, search: \"an\") {{ totalCount }}").expect("write");
        }
        heavy.push('}');
        let flood = (0..6).map(|_| {
            let (app, operator, heavy) = (&app, operator.clone(), heavy.clone());
            async move {
                for _ in 0..5 {
                    let body = app.graphql_as(Some(&operator), &heavy, json!({})).await;
                    assert!(body.get("errors").is_none(), "the flood is legal, only bounded: {body}");
                }
            }
        });
        let probe = async {
            for _ in 0..10 {
                let body = app
                    .graphql_as(Some(&officer), "{ units(parentCode: \"518\", first: 20) { totalCount nodes { code } } }", json!({}))
                    .await;
                assert!(body.get("errors").is_none(), "another officer is served: {body}");
            }
        };
        tokio::join!(join_all(flood), probe);
    }
}

db_test! {
    // Every list loads what its items link to in one statement per kind, so no admitted query
    // reaches the default budget: a server with a small one shows the safety net at work.
    configure = |s| s.statement_budget = 12, fixture = true;
    async fn a_request_beyond_its_statement_budget_is_refused(app: TestApp) {
        let mut query = String::from("{");
        for i in 0..10 {
            write!(query, " a{i}: units(first: 5, level: PROVINCE) {{ totalCount nodes {{ code ancestors {{ code }} }} }}").expect("write");
        }
        query.push('}');
        let body = app.graphql(&query, json!({})).await;
        let codes: Vec<&str> = body["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["extensions"]["code"].as_str()).collect())
            .unwrap_or_default();
        assert!(!codes.is_empty() && codes.iter().all(|c| *c == "QUERY_TOO_EXPENSIVE"), "{codes:?}");
        let metrics = app.metrics().await;
        assert!(metrics.contains("graphql_sql_statements_bucket{operation=\"other\""), "counted");
        still_answers(&app).await;
    }
}

db_test! {
    configure = |s| {
        s.requests_per_second = std::num::NonZeroU32::new(1).expect("1");
        s.request_burst = std::num::NonZeroU32::new(3).expect("3");
    }, fixture = true;
    async fn requests_beyond_the_rate_limit_get_429(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let body = json!({ "query": "{ units(first: 1) { totalCount } }" });
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(post(&app, &body, Some(&token)).await);
        }
        let (status, refused) = statuses.last().expect("five");
        assert_eq!(*status, 429, "{statuses:?}");
        assert_eq!(error_code(refused), "RATE_LIMITED");
        let response = app.client.post(format!("{}/graphql", app.address)).bearer_auth(&token).json(&body).send().await.expect("sent");
        assert!(response.headers().get("retry-after").is_some());
        // Another account has a quota of its own.
        let other = app.token.clone().expect("national admin");
        assert_eq!(post(&app, &body, Some(&other)).await.0, 200);
    }
}

db_test! {
    async fn nul_bytes_and_hidden_characters_are_validation_errors(app: TestApp) {
        let body = app.graphql("query ($s: String) { units(search: $s) { totalCount } }", json!({ "s": "a\u{0}b" })).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
        let body = app.graphql_as(None, LOGIN, json!({ "u": "a\u{0}", "p": "x" })).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
        let create = "mutation ($i: CreateAccountInput!) { createAccount(input: $i) { account { displayName } userErrors { field code } } }";
        let input = |username: &str, name: &str| json!({ "i": { "unitCode": "20392", "username": username, "displayName": name, "role": "VIEWER" } });
        let bidi = app.data(create, input("xa.bidi", "Nguyễn\u{202E}Văn A")).await;
        assert_eq!(bidi["createAccount"]["userErrors"][0]["code"], "INVALID_DISPLAY_NAME", "{bidi}");
        let zero_width = app.data(create, input("xa.zwsp", "Nguyễn\u{200B}Văn A")).await;
        assert_eq!(zero_width["createAccount"]["userErrors"][0]["code"], "INVALID_DISPLAY_NAME");
        let hangul = "한".repeat(100);
        let created = app.data(create, input("xa.hangul", &hangul)).await;
        assert_eq!(created["createAccount"]["account"]["displayName"], hangul.as_str(), "{created}");
        let found = app.data("query ($s: String) { accounts(search: $s) { totalCount } }", json!({ "s": "한한" })).await;
        assert_eq!(found["accounts"]["totalCount"], 1);
    }
}

db_test! {
    async fn weak_passwords_are_refused_with_a_reason(app: TestApp) {
        let create = "mutation ($i: CreateAccountInput!) { createAccount(input: $i) { account { id } userErrors { field code message } } }";
        for weak in ["12345678", "password", "12345678910", "tamdan2026", "quangnam123"] {
            let data = app.data(create, json!({ "i": { "unitCode": "20392", "username": "xa.tamdan", "displayName": "Nguyễn Văn A", "role": "VIEWER", "password": weak } })).await;
            let error = &data["createAccount"]["userErrors"][0];
            assert_eq!(error["field"], "password", "{weak}: {data}");
            assert!(matches!(error["code"].as_str(), Some("PASSWORD_TOO_SHORT" | "PASSWORD_TOO_WEAK")), "{weak}: {data}");
            assert!(error["message"].as_str().is_some_and(|m| m.starts_with("Mật khẩu")), "{data}");
        }
    }
}

db_test! {
    async fn client_chosen_operation_names_do_not_grow_the_metrics(app: TestApp) {
        for i in 0..300 {
            app.graphql_as(None, &format!("query Probe{i} {{ __typename }}"), json!({})).await;
        }
        let metrics = app.metrics().await;
        assert!(!metrics.contains("Probe"), "no label per client name");
        let others: u64 = metrics
            .lines()
            .find_map(|l| l.strip_prefix(r#"graphql_requests_total{operation="other",outcome="ok"} "#))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(others >= 300, "every probe counted as `other`: {metrics}");
        assert!(metrics.len() < 64 * 1024, "{} bytes", metrics.len());
    }
}

db_test! {
    async fn peer_admins_cannot_take_each_other_over(app: TestApp) {
        let peer = app.add_account("huyen.phuninh.2", domain::Role::Admin, "518").await;
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let set = "mutation ($id: ID!, $a: Boolean!) { setAccountActive(input: { id: $id, active: $a }) { account { active } } }";
        let reset = "mutation ($id: ID!) { resetPassword(input: { id: $id }) { oneTimePassword } }";
        let demote = "mutation ($id: ID!) { updateAccount(input: { id: $id, role: VIEWER }) { account { role } } }";
        for (query, variables) in [(set, json!({ "id": peer, "a": false })), (reset, json!({ "id": peer })), (demote, json!({ "id": peer }))] {
            let body = app.graphql_as(Some(&token), query, variables).await;
            assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
        }
        // The province above may.
        let province = app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let _ = province;
        let above = app.token_for("tinh.quangnam").await;
        let body = app.graphql_as(Some(&above), set, json!({ "id": peer, "a": false })).await;
        assert_eq!(body["data"]["setAccountActive"]["account"]["active"], false, "{body}");
    }
}

db_test! {
    async fn a_disable_is_lifted_only_from_its_level_or_above(app: TestApp) {
        let operator = app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        app.add_account("xa.tamdan.admin", domain::Role::Admin, "20392").await;
        let district = app.token_for("huyen.phuninh").await;
        let commune = app.token_for("xa.tamdan.admin").await;
        let set = "mutation ($id: ID!, $a: Boolean!) { setAccountActive(input: { id: $id, active: $a }) { account { active } } }";
        let body = app.graphql_as(Some(&district), set, json!({ "id": operator, "a": false })).await;
        assert_eq!(body["data"]["setAccountActive"]["account"]["active"], false, "{body}");
        let body = app.graphql_as(Some(&commune), set, json!({ "id": operator, "a": true })).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "the commune cannot undo the district: {body}");
        let body = app.graphql_as(Some(&district), set, json!({ "id": operator, "a": true })).await;
        assert_eq!(body["data"]["setAccountActive"]["account"]["active"], true, "{body}");
        // Disabled by the commune's own admin: the commune may lift it again.
        let body = app.graphql_as(Some(&commune), set, json!({ "id": operator, "a": false })).await;
        assert_eq!(body["data"]["setAccountActive"]["account"]["active"], false, "{body}");
        let body = app.graphql_as(Some(&commune), set, json!({ "id": operator, "a": true })).await;
        assert_eq!(body["data"]["setAccountActive"]["account"]["active"], true, "{body}");
    }
}

db_test! {
    async fn a_used_refresh_token_is_honoured_once_within_the_grace(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let url = format!("{}/graphql", app.address);
        let response = app.client.post(&url).json(&body_for_login("huyen.phuninh")).send().await.expect("sent");
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("tcd_refresh="))
            .and_then(|rest| rest.split(';').next())
            .expect("refresh cookie")
            .to_owned();
        let refresh = || {
            app.client
                .post(&url)
                .header("cookie", format!("tcd_refresh={cookie}"))
                .json(&json!({ "query": "mutation { refreshSession { accessToken } }" }))
                .send()
        };
        let first: Value = refresh().await.expect("sent").json().await.expect("json");
        assert!(first["data"]["refreshSession"]["accessToken"].is_string(), "{first}");
        let second: Value = refresh().await.expect("sent").json().await.expect("json");
        assert!(second["data"]["refreshSession"]["accessToken"].is_string(), "another tab, within the grace: {second}");
        let third: Value = refresh().await.expect("sent").json().await.expect("json");
        assert_eq!(error_code(&third), "UNAUTHENTICATED", "a third use is a copy: {third}");
        let token = second["data"]["refreshSession"]["accessToken"].as_str().expect("token");
        let body = app.graphql_as(Some(token), "{ me { username } }", json!({})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "the whole session ended: {body}");
    }
}

db_test! {
    async fn an_access_token_ends_with_its_session(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let browser = app.browser();
        let url = format!("{}/graphql", app.address);
        let login: Value = browser.post(&url).json(&body_for_login("huyen.phuninh")).send().await.expect("sent").json().await.expect("json");
        let token = login["data"]["login"]["accessToken"].as_str().expect("token").to_owned();
        let other_session = app.token_for("huyen.phuninh").await;
        app.data_as(&token, "{ me { username } }", json!({})).await;
        browser.post(&url).json(&json!({ "query": "mutation { logout { ok } }" })).send().await.expect("sent");
        let body = app.graphql_as(Some(&token), "{ me { username } }", json!({})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "signed out: {body}");
        app.data_as(&other_session, "{ me { username } }", json!({})).await;
    }
}

db_test! {
    async fn the_web_apps_queries_fit_the_limits(app: TestApp) {
        let units = include_str!("../../../frontend/graphql/units.graphql");
        let accounts = include_str!("../../../frontend/graphql/accounts.graphql");
        let cases = [
            (units, "UnitScreen", json!({ "code": "49", "first": 50 })),
            (units, "UnitSearch", json!({ "code": "49", "search": "tam", "first": 50 })),
            (units, "UnitSummary", json!({ "code": "49" })),
            (accounts, "Accounts", json!({ "unitCode": "49", "first": 50 })),
        ];
        for (document, operation, variables) in cases {
            let body = json!({ "query": document, "operationName": operation, "variables": variables });
            let (status, response) = post(&app, &body, app.token.as_deref()).await;
            assert_eq!(status, 200);
            assert!(response.get("errors").is_none(), "{operation}: {response}");
        }
    }
}

db_test! {
    async fn graphiql_is_served_from_the_binary_under_a_strict_policy(app: TestApp) {
        let page = app.get("/graphiql").await;
        assert_eq!(page.status(), 200);
        let csp = page.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), "{csp}");
        let html = page.text().await.expect("html");
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//unpkg"), "no CDN: {html}");
        for asset in ["graphiql-3.8.3.min.js", "graphiql-3.8.3.min.css", "react-18.3.1.min.js", "react-dom-18.3.1.min.js", "init.js"] {
            assert!(html.contains(asset), "{asset}");
            let response = app.get(&format!("/graphiql/assets/{asset}")).await;
            assert_eq!(response.status(), 200, "{asset}");
        }
        assert_eq!(app.get("/graphiql/assets/..%2F..%2FCargo.toml").await.status(), 404);
    }
}

db_test! {
    configure = |s| s.trust_proxy = true, fixture = true;
    async fn a_forwarded_address_that_is_not_one_never_becomes_a_key(app: TestApp) {
        let long = "x".repeat(4_000);
        for forwarded in [long.as_str(), "not-an-ip", "1.2.3.4, '; DROP TABLE login_throttle; --"] {
            let body: Value = app
                .client
                .post(format!("{}/graphql", app.address))
                .header("x-forwarded-for", forwarded)
                .json(&json!({ "query": LOGIN, "variables": { "u": "ai.do", "p": "sai" } }))
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("json");
            assert!(body.get("errors").is_none(), "{forwarded:.40}: {body}");
            assert_eq!(body["data"]["login"]["userErrors"][0]["code"], "INVALID_CREDENTIALS");
        }
    }
}

db_test! {
    async fn a_request_cannot_count_the_whole_country_dozens_of_times(app: TestApp) {
        let mut aliases = String::from("{");
        for i in 0..15 {
            write!(aliases, " a{i}: coverage(unitCode: \"VN\") {{ levels {{ units withPage }} }}").expect("write");
        }
        aliases.push('}');
        let body = app.graphql(&aliases, json!({})).await;
        assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
        assert_eq!(body["data"], Value::Null);
        let series = app
            .graphql("{ a: coverageHistory(unitCode: \"VN\", from: \"2026-01-01\", to: \"2026-01-02\") { date } b: coverageHistory(unitCode: \"VN\", from: \"2026-01-01\", to: \"2026-01-02\") { date } c: coverageHistory(unitCode: \"VN\", from: \"2026-01-01\", to: \"2026-01-02\") { date levels { units withPage } } }", json!({}))
            .await;
        assert!(series.get("errors").is_none(), "three series are fine: {series}");
        still_answers(&app).await;
    }
}
