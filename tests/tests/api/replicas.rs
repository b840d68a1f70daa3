//! Several API servers on one database, as behind a load balancer: a session ended or
//! changed through one stops at once on every other, although each keeps the sessions it has
//! checked (PostgreSQL: announced with NOTIFY when the change commits). On SQLite the two
//! servers share one file and keep no sessions, so the same holds.

use sea_orm::ConnectionTrait;
use serde_json::json;
use tests::{TestApp, db_test, error_code};

const ME: &str = "{ me { username } }";
const SET_ACTIVE: &str = "mutation ($id: ID!, $active: Boolean!) { setAccountActive(input: { id: $id, active: $active }) { account { active } userErrors { code } } }";
const RESET: &str = "mutation ($id: ID!) { resetPassword(input: { id: $id }) { oneTimePassword userErrors { code } } }";
const RENAME: &str = "mutation ($id: ID!, $name: String!) { updateAccount(input: { id: $id, displayName: $name }) { account { displayName } userErrors { code } } }";

async fn refused(app: &TestApp, token: &str) -> bool {
    error_code(&app.graphql_as(Some(token), ME, json!({})).await) == "UNAUTHENTICATED"
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
        // Every listening connection of this database is cut.
        let cut = a
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND query LIKE 'LISTEN%'",
            ))
            .await
            .expect("cut");
        assert_eq!(cut.len(), 2, "each server listens on a connection of its own");
        a.data(SET_ACTIVE, json!({ "id": id, "active": false })).await;
        assert!(refused(&b, &token).await, "B, deaf for now, reads the account");
        // Listening again after a moment, with nothing stale kept.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert!(refused(&b, &token).await);
        a.data(SET_ACTIVE, json!({ "id": id, "active": true })).await;
        let fresh = a.token_for("xa.tamdan").await;
        b.data_as(&fresh, ME, json!({})).await;
        b.data_as(&fresh, ME, json!({})).await;
        a.data(SET_ACTIVE, json!({ "id": id, "active": false })).await;
        assert!(refused(&b, &fresh).await, "announcements arrive again");
    }
}
