//! A list costs the same number of SQL statements whatever its length: what each item links to
//! (its unit, what the viewer may do to it) is loaded for all items at once.

use serde_json::json;
use tests::{TestApp, db_test};

/// The SQL statements the server has run for requests so far, from its metrics.
async fn statements_so_far(app: &TestApp) -> u64 {
    app.metrics()
        .await
        .lines()
        .filter(|line| line.starts_with("graphql_sql_statements_sum"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// The statements one request runs.
async fn statements_of(app: &TestApp, token: &str, query: &str) -> u64 {
    let before = statements_so_far(app).await;
    app.data_as(token, query, json!({})).await;
    statements_so_far(app).await - before
}

const ACCOUNTS: &str = "{ accounts(unitCode: \"518\", first: 50) { totalCount nodes { username unit { code fullName } viewerCan { update changeRole assignableRoles disable enable resetPassword } } } }";

db_test! {
    async fn an_account_list_with_units_and_permissions_costs_the_same_for_3_or_30(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let communes = ["20392", "20395", "20365"];
        for (n, code) in communes.iter().enumerate() {
            app.add_account(&format!("xa.{n}"), domain::Role::Viewer, code).await;
        }
        let few = statements_of(&app, &token, ACCOUNTS).await;
        for n in 3..30 {
            let code = communes[n % communes.len()];
            app.add_account(&format!("xa.{n}"), domain::Role::Operator, code).await;
        }
        let many = statements_of(&app, &token, ACCOUNTS).await;
        let listed = app.data_as(&token, ACCOUNTS, json!({})).await;
        assert_eq!(listed["accounts"]["totalCount"], 31, "the admin and 30 in its communes");
        assert!(few > 0, "statements are counted");
        // The unit loader gathers the keys it is asked for during 1 ms; a long list can take
        // longer to resolve, and its loads then go out in two batches: one statement more,
        // never one per item.
        assert!(many <= few + 1, "4 accounts cost {few} statements, 31 cost {many}");
    }
}
