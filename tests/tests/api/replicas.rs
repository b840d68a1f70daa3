//! Several API servers on one database, as behind a load balancer: a session ended or
//! changed through one stops at once on every other, although each keeps the sessions it has
//! checked (PostgreSQL: announced with NOTIFY when the change commits). On SQLite the two
//! servers share one file and keep no sessions, so the same holds.

use sea_orm::ConnectionTrait;
use serde_json::json;
use tests::{TestApp, db_test, error_code, password_of};

const ME: &str = "{ me { username } }";
const SET_ACTIVE: &str = "mutation ($id: ID!, $active: Boolean!) { setAccountActive(input: { id: $id, active: $active }) { account { active } userErrors { code } } }";
const RESET: &str = "mutation ($id: ID!) { resetPassword(input: { id: $id }) { oneTimePassword userErrors { code } } }";
const RENAME: &str = "mutation ($id: ID!, $name: String!) { updateAccount(input: { id: $id, displayName: $name }) { account { displayName } userErrors { code } } }";

async fn refused(app: &TestApp, token: &str) -> bool {
    error_code(&app.graphql_as(Some(token), ME, json!({})).await) == "UNAUTHENTICATED"
}

/// Signs in with a client that keeps cookies, like a browser: its access token, and the
/// client holding its refresh cookie.
async fn browser_session(app: &TestApp, username: &str) -> (String, reqwest::Client) {
    let browser = app.browser();
    let body: serde_json::Value = browser
        .post(format!("{}/graphql", app.address))
        .json(&json!({
            "query": "mutation ($input: LoginInput!) { login(input: $input) { accessToken } }",
            "variables": { "input": { "username": username, "password": password_of(username) } },
        }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let token = body["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{username} signs in: {body}"))
        .to_owned();
    (token, browser)
}

/// A metric's value from `/metrics` (0 when absent).
async fn metric(app: &TestApp, series: &str) -> u64 {
    app.metrics()
        .await
        .lines()
        .filter(|line| line.starts_with(series))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

db_test! {
    async fn a_session_ended_through_one_replica_stops_at_once_on_the_other(a: TestApp) {
        let b = a.replica().await;
        let disabled = a.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let reset = a.add_account("xa.tamthanh", domain::Role::Operator, "20365").await;
        let renamed = a.add_account("xa.tamloc", domain::Role::Operator, "20368").await;
        let tokens = [
            a.token_for("xa.tamdan").await,
            a.token_for("xa.tamthanh").await,
            a.token_for("xa.tamloc").await,
        ];
        for token in &tokens {
            for _ in 0..2 {
                // The second time from each replica's cache, where it keeps them.
                b.data_as(token, ME, json!({})).await;
                a.data_as(token, ME, json!({})).await;
            }
        }

        let data = a.data(SET_ACTIVE, json!({ "id": disabled, "active": false })).await;
        assert_eq!(data["setAccountActive"]["account"]["active"], false);
        assert!(refused(&b, &tokens[0]).await, "disabled through A: refused by B at once");
        assert!(refused(&a, &tokens[0]).await, "and by A");

        let data = b.data(RESET, json!({ "id": reset })).await;
        assert!(data["resetPassword"]["oneTimePassword"].is_string(), "{data}");
        assert!(refused(&a, &tokens[1]).await, "password reset through B: refused by A at once");
        assert!(refused(&b, &tokens[1]).await, "and by B");

        let data = a.data(RENAME, json!({ "id": renamed, "name": "Ban Thường trực xã Tam Lộc" })).await;
        assert_eq!(data["updateAccount"]["account"]["displayName"], "Ban Thường trực xã Tam Lộc");
        let me = b.data_as(&tokens[2], "{ me { displayName } }", json!({})).await;
        assert_eq!(me["me"]["displayName"], "Ban Thường trực xã Tam Lộc", "B answers with the new name");

        // Enabled again through B: the old token stays dead (its version was bumped), a new
        // sign-in works on both.
        b.data(SET_ACTIVE, json!({ "id": disabled, "active": true })).await;
        assert!(refused(&a, &tokens[0]).await);
        let fresh = b.token_for("xa.tamdan").await;
        a.data_as(&fresh, ME, json!({})).await;
    }
}

db_test! {
    async fn a_replica_that_lost_its_listener_checks_sessions_against_the_database(a: TestApp) {
        if !a.is_postgres() {
            return; // SQLite servers keep no sessions: nothing to lose.
        }
        let b = a.replica().await;
        let id = a.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let token = a.token_for("xa.tamdan").await;
        b.data_as(&token, ME, json!({})).await;
        b.data_as(&token, ME, json!({})).await;
        // Every listening connection of this database is cut, and gone (terminating only
        // signals the backend). Between a connection's end and its server reading that end,
        // no server can know; from then on it must not trust what it kept.
        let cut = a
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND query LIKE 'LISTEN%'",
            ))
            .await
            .expect("cut");
        assert_eq!(cut.len(), 2, "each server listens on a connection of its own");
        let pids: Vec<i32> = cut.iter().map(|row| row.try_get("", "pid").expect("pid")).collect();
        let gone = format!(
            "SELECT pid FROM pg_stat_activity WHERE pid IN ({})",
            pids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        );
        for _ in 0..100 {
            let left = a
                .db
                .query_all_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, gone.clone()))
                .await
                .expect("listeners");
            if left.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        a.data(SET_ACTIVE, json!({ "id": id, "active": false })).await;
        assert!(refused(&b, &token).await, "B, deaf for now, reads the account");
        assert!(refused(&b, &token).await);

        // Listening again after a moment (B serves a session from its cache again), with
        // nothing stale kept, and announcements arrive again.
        a.data(SET_ACTIVE, json!({ "id": id, "active": true })).await;
        let fresh = a.token_for("xa.tamdan").await;
        let hits = "session_cache_lookups_total{outcome=\"hit\"}";
        let mut listening = false;
        for _ in 0..50 {
            let before = metric(&b, hits).await;
            b.data_as(&fresh, ME, json!({})).await;
            b.data_as(&fresh, ME, json!({})).await;
            if metric(&b, hits).await > before {
                listening = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(listening, "B keeps sessions again once it listens again");
        assert!(refused(&b, &token).await, "nothing stale kept");
        a.data(SET_ACTIVE, json!({ "id": id, "active": false })).await;
        assert!(refused(&b, &fresh).await, "announcements arrive again");
    }
}

db_test! {
    async fn signing_out_through_one_replica_ends_the_session_at_once_on_the_other(a: TestApp) {
        let b = a.replica().await;
        a.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let (token, browser) = browser_session(&a, "xa.tamdan").await;
        // Another session of the same account, which signing out does not end.
        let other = a.token_for("xa.tamdan").await;
        for _ in 0..2 {
            b.data_as(&token, ME, json!({})).await;
            b.data_as(&other, ME, json!({})).await;
        }
        let body: serde_json::Value = browser
            .post(format!("{}/graphql", a.address))
            .json(&json!({ "query": "mutation { logout { ok } }" }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        assert_eq!(body["data"]["logout"]["ok"], true, "{body}");
        assert!(refused(&b, &token).await, "signed out through A: refused by B at once");
        assert!(refused(&a, &token).await, "and by A");
        b.data_as(&other, ME, json!({})).await;
    }
}

db_test! {
    async fn a_server_reads_a_checked_session_once(app: TestApp) {
        app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let token = app.token_for("xa.tamdan").await;
        let statements = "graphql_sql_statements_sum";
        let hits = "session_cache_lookups_total{outcome=\"hit\"}";
        let before = metric(&app, statements).await;
        app.data_as(&token, ME, json!({})).await;
        let first = metric(&app, statements).await - before;
        let (hits_before, before) = (metric(&app, hits).await, metric(&app, statements).await);
        app.data_as(&token, ME, json!({})).await;
        let again = metric(&app, statements).await - before;
        let hit = metric(&app, hits).await - hits_before;
        assert_eq!(first, 1, "the account and its session, read once");
        if app.is_postgres() {
            assert_eq!((again, hit), (0, 1), "kept: no statement");
        } else {
            // SQLite servers keep no sessions: another process (`tcd account reset-password`) may
            // write the file unannounced.
            assert_eq!((again, hit), (1, 0));
        }
    }
}
