//! The audit trail: one typed event per change, in the change's transaction, with the unit it
//! concerns and the same shape whether the API or the command line made it.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use tests::{TestApp, db_test};

/// (action, actor set, via, unit path, detail) of every event about accounts named `like`.
async fn events(app: &TestApp, like: &str) -> Vec<(String, bool, String, String, Option<String>)> {
    let sql = format!(
        "SELECT action, actor_id IS NOT NULL, via, unit_path, detail FROM audit_event \
         WHERE target_id IN (SELECT id FROM account WHERE username LIKE '{like}') \
         ORDER BY occurred_at, action"
    );
    app.db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("query")
        .iter()
        .map(|row| {
            (
                row.try_get_by_index(0).expect("action"),
                row.try_get_by_index(1).expect("actor"),
                row.try_get_by_index(2).expect("via"),
                row.try_get_by_index(3).expect("unit path"),
                row.try_get_by_index(4).expect("detail"),
            )
        })
        .collect()
}

db_test! {
    async fn the_api_and_the_command_line_record_the_same_event(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        app.data_as(
            &token,
            "mutation { createAccount(input: { unitCode: \"20392\", username: \"xa.tamdan\", displayName: \"Cán bộ\", role: OPERATOR }) { account { id } } }",
            json!({}),
        )
        .await;
        server::accounts::create(
            &app.db,
            server::accounts::Bootstrap {
                unit_code: "20392".to_owned(),
                username: "xa.tamdan2".to_owned(),
                display_name: None,
                role: domain::Role::Operator,
                password: None,
            },
        )
        .await
        .expect("created");
        let created = events(&app, "xa.tamdan%").await;
        assert_eq!(
            created,
            [
                (
                    "account.create".to_owned(),
                    true,
                    "api".to_owned(),
                    "/VN/49/518/20392/".to_owned(),
                    Some(r#"{"unit":"20392","role":"operator","username":"xa.tamdan"}"#.to_owned()),
                ),
                (
                    "account.create".to_owned(),
                    false,
                    "cli".to_owned(),
                    "/VN/49/518/20392/".to_owned(),
                    Some(r#"{"unit":"20392","role":"operator","username":"xa.tamdan2"}"#.to_owned()),
                ),
            ]
        );
    }
}

db_test! {
    async fn a_subtree_s_events_are_one_prefix_query(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        for (unit, username) in [("20392", "xa.tamdan"), ("20335", "xa.tanthanh"), ("518", "huyen.moi")] {
            app.data_as(
                &token,
                "mutation ($u: String!, $n: String!) { createAccount(input: { unitCode: $u, username: $n, displayName: \"Cán bộ\", role: VIEWER }) { account { id } } }",
                json!({ "u": unit, "n": username }),
            )
            .await;
        }
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) FROM audit_event WHERE unit_path LIKE '/VN/49/518/%' AND action = 'account.create'",
            ))
            .await
            .expect("query")
            .expect("a row");
        assert_eq!(row.try_get_by_index::<i64>(0).expect("count"), 2, "Phú Ninh and Tam Dân, not Tam Kỳ");
    }
}
