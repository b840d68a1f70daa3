use domain::Role;
use serde_json::{Value, json};
use store::import::{ImportError, ImportOptions, ImportPlan, Refusal};
use tests::{TestApp, db_test, fixture_csv, fixture_csv_two_tier, password_of};

async fn total(app: &TestApp) -> u64 {
    store::units::total(&app.db).await.expect("count")
}

const MOVES: ImportOptions = ImportOptions {
    allow_moves: true,
    allow_removals: false,
};
const MOVES_AND_REMOVALS: ImportOptions = ImportOptions {
    allow_moves: true,
    allow_removals: true,
};

/// Every unit as (code, full name, parent code), by code: the whole tree, to compare.
async fn tree(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .data(
                "query ($after: String) { units(first: 100, after: $after) { nodes { code fullName parent { code } } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        for node in data["units"]["nodes"].as_array().expect("nodes") {
            all.push((
                node["code"].as_str().expect("code").to_owned(),
                node["fullName"].as_str().expect("name").to_owned(),
                node["parent"]["code"].as_str().map(str::to_owned),
            ));
        }
        if data["units"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = data["units"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    all.sort();
    all
}

/// The full name of the unit of `code` as the account `username` sees it (null when out of
/// its sight).
async fn seen_by(app: &TestApp, username: &str, code: &str) -> Value {
    let token = app.token_for(username).await;
    let body = app
        .graphql_as(
            Some(&token),
            "query ($code: String!) { unit(code: $code) { fullName } }",
            json!({ "code": code }),
        )
        .await;
    body["data"]["unit"]["fullName"].clone()
}

/// The codes of the ancestors of `code`, as the national admin sees them.
async fn ancestors(app: &TestApp, code: &str) -> Value {
    let data = app
        .data(
            "query ($code: String!) { unit(code: $code) { ancestors { code } } }",
            json!({ "code": code }),
        )
        .await;
    data["unit"]["ancestors"].clone()
}

fn refused(result: Result<ImportPlan, ImportError>) -> (ImportPlan, Vec<Refusal>) {
    match result {
        Err(ImportError::Refused { plan, refusals }) => (*plan, refusals),
        Err(other) => panic!("expected a refusal, got {other}"),
        Ok(plan) => panic!(
            "expected a refusal, the import was written: {:?}",
            plan.report
        ),
    }
}

fn usernames(accounts: &[store::import::AffectedAccount]) -> Vec<&str> {
    accounts.iter().map(|a| a.username.as_str()).collect()
}

db_test! {
    async fn reimporting_the_same_list_changes_nothing(app: TestApp) {
        let before = total(&app).await;
        let report = app.import_csv(&fixture_csv()).await.expect("imports");
        assert_eq!(report, store::import::ImportReport {
            unchanged: before - 1,
            ..Default::default()
        }, "every unit but the national root unchanged, nothing else");
        assert_eq!(total(&app).await, before);
    }
}

db_test! {
    async fn a_renamed_unit_is_updated_in_place(app: TestApp) {
        let id_before = app.data("{ unit(code: \"518\") { id } }", json!({})).await;
        let renamed = fixture_csv().replace("518,Phú Ninh,Huyện", "518,Phú Ninh Mới,Huyện");
        let report = app.import_csv(&renamed).await.expect("imports");
        assert_eq!((report.inserted, report.renamed, report.moved), (0, 1, 0));
        let data = app.data("{ unit(code: \"518\") { id fullName } }", json!({})).await;
        assert_eq!(data["unit"]["fullName"], "Huyện Phú Ninh Mới");
        assert_eq!(data["unit"]["id"], id_before["unit"]["id"], "same unit, same id");
        let found = app.data("{ units(search: \"phu ninh moi\") { totalCount } }", json!({})).await;
        assert_eq!(found["units"]["totalCount"], 1, "the search key follows the name");
    }
}

db_test! {
    async fn moving_a_district_is_refused_unless_allowed_and_then_carries_communes_and_accounts(app: TestApp) {
        app.add_account("huyen.phuninh", Role::Admin, "518").await;
        app.add_account("xa.tamdan", Role::Operator, "20392").await;
        app.add_account("tinh.quangnam", Role::Admin, "49").await;
        // Phú Ninh (518) moves from Quảng Nam (49) to Đà Nẵng (48).
        let moved = fixture_csv().replace("518,Phú Ninh,Huyện,district,49", "518,Phú Ninh,Huyện,district,48");
        let before = tree(&app).await;
        let (plan, refusals) = refused(app.import_csv_with(&moved, ImportOptions::default()).await);
        assert_eq!(refusals, vec![Refusal::Moves(1)]);
        assert_eq!(tree(&app).await, before, "nothing was written");

        let plan_again = app.import_csv_with(&moved, MOVES).await.expect("imports");
        for plan in [&plan, &plan_again] {
            assert_eq!(plan.report.moved, 1);
            assert_eq!(plan.report.carried, 10, "its 10 communes follow it");
            assert_eq!(plan.moves.len(), 1);
            let m = &plan.moves[0];
            assert_eq!(m.unit.to_string(), "518 Huyện Phú Ninh");
            assert_eq!(m.old_parent.as_ref().map(|p| p.code.as_str()), Some("49"));
            assert_eq!(m.new_parent.as_ref().map(|p| p.code.as_str()), Some("48"));
            assert_eq!(usernames(&m.accounts), ["huyen.phuninh", "xa.tamdan"], "they move along, listed");
            assert_eq!(m.accounts[1].unit.to_string(), "20392 Xã Tam Dân");
        }
        assert_eq!(ancestors(&app, "20392").await, json!([{ "code": "48" }, { "code": "518" }]));
        assert_eq!(seen_by(&app, "xa.tamdan", "20392").await, "Xã Tam Dân");
        assert_eq!(seen_by(&app, "tinh.quangnam", "20392").await, Value::Null, "out of Quảng Nam's sight now");
    }
}

db_test! {
    async fn the_july_2025_list_over_the_january_one_is_refused_and_changes_nothing(app: TestApp) {
        app.add_account("tinh.quangnam", Role::Admin, "49").await;
        app.add_account("xa.tamdan", Role::Operator, "20392").await;
        let before = tree(&app).await;
        for options in [ImportOptions::default(), MOVES, MOVES_AND_REMOVALS] {
            let (plan, refusals) = refused(
                app.import_csv_with(server::seed::OFFICIAL_UNITS_2025_07, options).await,
            );
            assert!(refusals.contains(&Refusal::RemovalsWithAccounts(1)), "{refusals:?}");
            assert_eq!(refusals.contains(&Refusal::Moves(plan.moves.len())), !options.allow_moves);
            assert_eq!(refusals.iter().any(|r| matches!(r, Refusal::Removals(_))), !options.allow_removals);

            // The code of Xã Tam Dân is Xã Phú Ninh of Đà Nẵng's in the new list.
            let tam_dan = plan.moves.iter().find(|m| m.unit.code == "20392").expect("20392 moves");
            assert_eq!(tam_dan.unit.full_name, "Xã Tam Dân");
            assert_eq!(tam_dan.new_name.as_deref(), Some("Xã Phú Ninh"));
            assert_eq!(tam_dan.new_parent.as_ref().map(ToString::to_string).as_deref(), Some("48 Thành phố Đà Nẵng"));
            assert_eq!(usernames(&tam_dan.accounts), ["xa.tamdan"]);
            let blocked: Vec<_> = plan.blocked_removals().collect();
            assert_eq!(blocked.len(), 1);
            assert_eq!(blocked[0].unit.to_string(), "49 Tỉnh Quảng Nam");
            assert_eq!(usernames(&blocked[0].accounts), ["tinh.quangnam"]);
            assert!(plan.removals.iter().any(|r| r.unit.code == "518"), "districts are gone in July 2025");
        }
        assert_eq!(tree(&app).await, before, "units as before");
        assert_eq!(seen_by(&app, "xa.tamdan", "20392").await, "Xã Tam Dân");
        assert_eq!(ancestors(&app, "20392").await, json!([{ "code": "49" }, { "code": "518" }]), "still under Phú Ninh");
        assert_eq!(seen_by(&app, "tinh.quangnam", "20392").await, "Xã Tam Dân");
    }
}

db_test! {
    async fn a_dry_run_plans_everything_and_writes_nothing(app: TestApp) {
        app.add_account("xa.tamdan", Role::Operator, "20392").await;
        let before = tree(&app).await;
        let plan = app.plan_csv(&fixture_csv_two_tier()).await.expect("plans");
        assert_eq!(plan.report.inserted, 1, "Đặc khu Hoàng Sa, a district without communes before");
        assert_eq!(plan.report.moved, 93, "every other commune now hangs under the city");
        assert_eq!(plan.report.unchanged, 1, "the city itself");
        assert_eq!(plan.report.removed, plan.removals.len() as u64);
        assert!(plan.removals.iter().any(|r| r.unit.code == "49"));
        assert_eq!(plan.blocked_removals().count(), 0);
        assert_eq!(
            plan.refusals(ImportOptions::default()),
            vec![Refusal::Moves(93), Refusal::Removals(plan.removals.len())]
        );
        assert!(plan.refusals(MOVES_AND_REMOVALS).is_empty());
        assert_eq!(tree(&app).await, before, "nothing was written");
    }
}

db_test! {
    async fn allowed_removals_delete_units_without_accounts_and_accounts_follow_their_unit(app: TestApp) {
        app.add_account("tp.danang", Role::Admin, "48").await;
        app.add_account("xa.tamdan", Role::Operator, "20392").await;
        let two_tier = fixture_csv_two_tier();
        let (_, refusals) = refused(app.import_csv_with(&two_tier, MOVES).await);
        assert!(matches!(refusals[..], [Refusal::Removals(_)]), "{refusals:?}");

        let plan = app.import_csv_with(&two_tier, MOVES_AND_REMOVALS).await.expect("imports");
        assert!(!plan.is_noop());
        let tam_dan = plan.moves.iter().find(|m| m.unit.code == "20392").expect("20392 moves");
        assert_eq!(usernames(&tam_dan.accounts), ["xa.tamdan"]);
        assert_eq!(total(&app).await, 1 + 1 + 94, "the root, the city and its communes");
        let data = app.data("{ units(level: DISTRICT) { totalCount } }", json!({})).await;
        assert_eq!(data["units"]["totalCount"], 0);
        let body = app.graphql("{ unit(code: \"49\") { code } }", json!({})).await;
        assert_eq!(tests::error_code(&body), "NOT_FOUND");
        assert_eq!(seen_by(&app, "xa.tamdan", "20392").await, "Xã Phú Ninh");
        assert_eq!(ancestors(&app, "20392").await, json!([{ "code": "48" }]));
        assert_eq!(seen_by(&app, "tp.danang", "20392").await, "Xã Phú Ninh");

        let again = app.import_csv_with(&two_tier, ImportOptions::default()).await.expect("a no-op needs no flag");
        assert!(again.is_noop());
        assert_eq!(again.report.unchanged, 95);
    }
}

db_test! {
    async fn a_unit_with_accounts_is_never_removed(app: TestApp) {
        app.add_account("huyen.phuninh", Role::Admin, "518").await;
        app.add_account("xa.tamthanh", Role::Operator, "20365").await;
        let before = tree(&app).await;
        let (plan, refusals) = refused(app.import_csv_with(&fixture_csv_two_tier(), MOVES_AND_REMOVALS).await);
        assert_eq!(refusals, vec![Refusal::RemovalsWithAccounts(3)], "Quảng Nam, Phú Ninh, Tam Thành");
        let blocked: Vec<_> = plan.blocked_removals().map(|r| r.unit.code.as_str()).collect();
        assert_eq!(blocked, ["49", "518", "20365"], "shallowest first");
        let quang_nam = plan.blocked_removals().next().expect("49");
        assert_eq!(usernames(&quang_nam.accounts), ["huyen.phuninh", "xa.tamthanh"], "accounts of descendants count");
        assert_eq!(quang_nam.accounts[1].role, Role::Operator);
        assert_eq!(tree(&app).await, before, "nothing was written");
        assert!(app.login("xa.tamthanh", &password_of("xa.tamthanh")).await["accessToken"].is_string());
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
        assert_eq!((again.inserted, again.renamed, again.unchanged), (0, 0, 10_810));
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
