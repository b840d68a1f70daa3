//! Which official unit list a database is seeded with, and that it stays the one it holds.

use serde_json::json;
use server::seed::{Holding, UnitEdition};
use server::{Application, Settings};
use tests::{TestApp, db_test};

async fn count_at(app: &TestApp, level: &str) -> u64 {
    let data = app
        .data(
            &format!("{{ units(level: {level}) {{ totalCount }} }}"),
            json!({}),
        )
        .await;
    data["units"]["totalCount"].as_u64().expect("count")
}

/// Starts a second server on the same database with `units`.
async fn start_again(app: &TestApp, units: Option<UnitEdition>) -> anyhow::Result<Application> {
    let mut settings = Settings::for_tests(&app.database_url);
    settings.no_seed = false;
    settings.units = units;
    Application::build(settings).await
}

db_test! {
    configure = |s| { s.no_seed = false; s.units = Some(UnitEdition::July2025); }, fixture = false;
    async fn units_2025_07_seeds_an_empty_database_with_the_two_tier_list(app: TestApp) {
        let mut app = app;
        app.become_national_admin().await;
        assert_eq!(count_at(&app, "PROVINCE").await, 34);
        assert_eq!(count_at(&app, "DISTRICT").await, 0);
        assert_eq!(count_at(&app, "COMMUNE").await, 3_321);
        let data = app.data("{ unit(code: \"20392\") { fullName ancestors { code } } }", json!({})).await;
        assert_eq!(data["unit"], json!({ "fullName": "Xã Phú Ninh", "ancestors": [{ "code": "48" }] }));
        assert_eq!(
            server::seed::holding(&app.db).await.expect("holding"),
            Holding::Edition(UnitEdition::July2025)
        );
    }
}

db_test! {
    configure = |s| { s.no_seed = false; s.units = Some(UnitEdition::July2025); }, fixture = false;
    async fn a_database_refuses_to_start_as_another_edition_than_it_holds(app: TestApp) {
        let error = start_again(&app, Some(UnitEdition::January2025)).await.err().expect("refused");
        let message = format!("{error:#}");
        assert!(message.contains("2025-07") && message.contains("2025-01"), "{message}");
        assert!(message.contains("không nạp chồng"), "{message}");
        assert_eq!(store::units::total(&app.db).await.expect("total"), 1 + 34 + 3_321, "nothing layered");
        start_again(&app, Some(UnitEdition::July2025)).await.expect("the same edition starts");
        start_again(&app, None).await.expect("no --units: whatever the database holds");
    }
}

db_test! {
    configure = |s| s.no_seed = false, fixture = false;
    async fn the_default_edition_is_2025_01_and_recorded(app: TestApp) {
        assert_eq!(
            server::seed::holding(&app.db).await.expect("holding"),
            Holding::Edition(UnitEdition::January2025)
        );
        let error = start_again(&app, Some(UnitEdition::July2025)).await.err().expect("refused");
        assert!(format!("{error:#}").contains("2025-01"), "{error:#}");
    }
}

db_test! {
    async fn an_imported_list_is_known_by_its_shape_and_by_its_content(app: TestApp) {
        // The fixture is part of the January list: three tiers, not an embedded edition.
        assert_eq!(server::seed::holding(&app.db).await.expect("holding"), Holding::Other { three_tier: true });
        start_again(&app, Some(UnitEdition::January2025)).await.expect("three tiers, like 2025-01");
        assert!(start_again(&app, Some(UnitEdition::July2025)).await.is_err());

        let rows = UnitEdition::July2025.rows().expect("rows");
        let options = store::import::ImportOptions { allow_moves: true, allow_removals: true };
        server::seed::import_list(&app.db, &rows, options, |_| {}).await.expect("imports");
        assert_eq!(
            server::seed::holding(&app.db).await.expect("holding"),
            Holding::Edition(UnitEdition::July2025),
            "the file is the 2025-07 list, so the database now holds it"
        );
    }
}

db_test! {
    configure = |s| { s.no_seed = false; s.units = Some(UnitEdition::July2025); s.demo = true; }, fixture = false;
    async fn demo_accounts_of_a_two_tier_database_are_in_da_nang(app: TestApp) {
        let mut app = app;
        app.become_national_admin().await;
        let data = app.data("{ accounts(first: 10) { nodes { username role unit { code } } } }", json!({})).await;
        let mut found: Vec<(String, String, String)> = data["accounts"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| (
                n["username"].as_str().expect("username").to_owned(),
                n["role"].as_str().expect("role").to_owned(),
                n["unit"]["code"].as_str().expect("unit").to_owned(),
            ))
            .filter(|(u, _, _)| u != tests::NATIONAL_ADMIN)
            .collect();
        found.sort();
        let expected: Vec<(String, String, String)> = [
            ("tp.danang", "ADMIN", "48"),
            ("vanhanh.phuninh", "OPERATOR", "20392"),
            ("xa.phuninh", "ADMIN", "20392"),
            ("xem.danang", "VIEWER", "48"),
        ]
        .map(|(u, r, c)| (u.to_owned(), r.to_owned(), c.to_owned()))
        .into();
        assert_eq!(found, expected);
    }
}
