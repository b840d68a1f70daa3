//! `tcd account reset-password`: a new password for an account outside the API, e.g. the
//! first admin's lost one.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use tests::{TestApp, db_test, error_code, password_of};

const ME: &str = "{ me { username mustChangePassword } }";

/// The audit events of `action`, as (actor set, how it came, the unit's path).
async fn audit(app: &TestApp, action: &str) -> Vec<(bool, String, String)> {
    let backend = app.db.get_database_backend();
    let sql = match app.backend {
        tests::Backend::Postgres => {
            "SELECT actor_id IS NOT NULL, via, unit_path FROM audit_event WHERE action = $1"
        }
        tests::Backend::Sqlite => {
            "SELECT actor_id IS NOT NULL, via, unit_path FROM audit_event WHERE action = ?"
        }
    };
    app.db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [action.into()],
        ))
        .await
        .expect("query")
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<bool>(0).expect("actor"),
                row.try_get_by_index::<String>(1).expect("via"),
                row.try_get_by_index::<String>(2).expect("unit path"),
            )
        })
        .collect()
}

db_test! {
    async fn a_generated_password_ends_the_sessions_and_must_be_changed(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let old = app.token_for("tinh.quangnam").await;
        let (account, generated) = server::accounts::reset_password(&app.db, "Tinh.QuangNam", None)
            .await
            .expect("reset");
        assert!(account.must_change_password);
        let one_time = generated.expect("a generated password");
        assert_eq!(error_code(&app.graphql_as(Some(&old), ME, json!({})).await), "UNAUTHENTICATED");
        assert!(app.login("tinh.quangnam", &password_of("tinh.quangnam")).await["accessToken"].is_null());
        let payload = app.login("tinh.quangnam", &one_time).await;
        assert_eq!(payload["account"]["mustChangePassword"], true);
        assert_eq!(
            audit(&app, "account.reset_password").await,
            [(false, "cli".to_owned(), "/VN/49/".to_owned())],
            "by the operator, at the account's unit"
        );
    }
}

db_test! {
    async fn a_given_password_is_checked_and_set(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        for bad in ["ngắn", "tinh.quangnam"] {
            let error = server::accounts::reset_password(&app.db, "tinh.quangnam", Some(bad.to_owned()))
                .await
                .expect_err("refused");
            assert!(!error.to_string().is_empty());
        }
        assert!(audit(&app, "account.reset_password").await.is_empty(), "nothing happened");
        let (_, generated) = server::accounts::reset_password(&app.db, "tinh.quangnam", Some("mật khẩu mới của tỉnh".to_owned()))
            .await
            .expect("reset");
        assert_eq!(generated, None);
        let payload = app.login("tinh.quangnam", "mật khẩu mới của tỉnh").await;
        assert_eq!(payload["account"]["mustChangePassword"], false);
    }
}

db_test! {
    async fn an_unknown_username_is_a_clear_error(app: TestApp) {
        let error = server::accounts::reset_password(&app.db, "khong.co.ai", None).await.expect_err("refused");
        assert_eq!(error.to_string(), "không có tài khoản «khong.co.ai»");
    }
}
