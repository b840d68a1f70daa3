use serde_json::json;
use store::import::ImportError;
use tests::{TestApp, db_test, fixture_csv};

async fn total(app: &TestApp) -> u64 {
    store::units::total(&app.db).await.expect("count")
}

db_test! {
    async fn reimporting_the_same_list_changes_nothing(app: TestApp) {
        let before = total(&app).await;
        let report = app.import_csv(&fixture_csv()).await.expect("imports");
        assert_eq!(report.inserted, 0);
        assert_eq!(report.updated, 0);
        assert_eq!(report.unchanged, before - 1, "every unit but the national root");
        assert_eq!(total(&app).await, before);
    }
}

db_test! {
    async fn a_renamed_unit_is_updated_in_place(app: TestApp) {
        let id_before = app.data("{ unit(code: \"518\") { id } }", json!({})).await;
        let renamed = fixture_csv().replace("518,Phú Ninh,Huyện", "518,Phú Ninh Mới,Huyện");
        let report = app.import_csv(&renamed).await.expect("imports");
        assert_eq!((report.inserted, report.updated), (0, 1));
        let data = app.data("{ unit(code: \"518\") { id fullName } }", json!({})).await;
        assert_eq!(data["unit"]["fullName"], "Huyện Phú Ninh Mới");
        assert_eq!(data["unit"]["id"], id_before["unit"]["id"], "same unit, same id");
        let found = app.data("{ units(search: \"phu ninh moi\") { totalCount } }", json!({})).await;
        assert_eq!(found["units"]["totalCount"], 1, "the search key follows the name");
    }
}

db_test! {
    async fn moving_a_district_moves_its_communes(app: TestApp) {
        // Phú Ninh (518) moves from Quảng Nam (49) to Đà Nẵng (48).
        let moved = fixture_csv().replace("518,Phú Ninh,Huyện,district,49", "518,Phú Ninh,Huyện,district,48");
        let report = app.import_csv(&moved).await.expect("imports");
        assert_eq!(report.updated, 11, "the district and, with their new paths, its 10 communes");
        assert_eq!(report.moved_descendants, 0, "its communes are in the file");
        let data = app.data("{ unit(code: \"20392\") { ancestors { code } } }", json!({})).await;
        assert_eq!(data["unit"]["ancestors"], json!([{ "code": "48" }, { "code": "518" }]));
    }
}

db_test! {
    configure = |_| {}, fixture = false;
    async fn a_bad_file_is_rejected_whole_with_its_line(app: TestApp) {
        let header = "code,name,kind,level,parent_code\n";
        let cases = [
            (format!("{header}49,Quảng Nam,Tỉnh,province,\n518,Phú Ninh,Huyện,district,77\n"), 3, "unknown parent"),
            (format!("{header}49,Quảng Nam,Tỉnh,province,\n20392,Tam Dân,Xã,commune,518\n"), 3, "parent not in file"),
            (format!("{header}49,Quảng Nam,Tỉnh,province,\n518,Phú Ninh,Huyện,district,49\n519,Khác,Huyện,district,518\n"), 4, "district under district"),
        ];
        for (csv, line, why) in cases {
            match app.import_csv(&csv).await {
                Err(ImportError::Invalid { line: got, .. }) => assert_eq!(got, line, "{why}"),
                other => panic!("{why}: expected a rejection, got {other:?}"),
            }
            assert_eq!(total(&app).await, 0, "{why}: nothing was written");
        }
    }
}

db_test! {
    configure = |_| {}, fixture = false;
    async fn the_full_official_list_imports_and_reimports(app: TestApp) {
        let report = app.import_csv(server::seed::OFFICIAL_UNITS_2025_01).await.expect("imports");
        assert_eq!(report.inserted, 10_810);
        let mut app = app;
        app.become_national_admin().await;
        assert_eq!(total(&app).await, 10_811, "with the national root");
        let again = app.import_csv(server::seed::OFFICIAL_UNITS_2025_01).await.expect("reimports");
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 10_810));
        let data = app.data("{ units(level: DISTRICT) { totalCount } }", json!({})).await;
        assert_eq!(data["units"]["totalCount"], 696);
    }
}

db_test! {
    configure = |_| {}, fixture = false;
    async fn the_two_tier_list_imports_with_communes_under_provinces(app: TestApp) {
        let report = app.import_csv(server::seed::OFFICIAL_UNITS_2025_07).await.expect("imports");
        assert_eq!(report.inserted, 3_355);
        let mut app = app;
        app.become_national_admin().await;
        let data = app.data("{ units(parentCode: \"01\", first: 1) { totalCount nodes { level } } }", json!({})).await;
        assert_eq!(data["units"]["nodes"][0]["level"], "COMMUNE");
    }
}

db_test! {
    configure = |settings| settings.no_seed = false, fixture = false;
    async fn an_empty_database_gets_the_official_list_on_first_start(app: TestApp) {
        assert_eq!(total(&app).await, 10_811);
        let mut app = app;
        app.become_national_admin().await;
        let data = app.data("{ unit(code: \"20341\") { fullName } }", json!({})).await;
        assert_eq!(data["unit"]["fullName"], "Phường An Mỹ");
    }
}
