//! The statements that scope lists to a subtree are served by indexes on PostgreSQL, in the
//! plans it makes for parameters it knows (custom plans) and for any parameters (the generic
//! plans a prepared statement switches to after five runs): `EXPLAIN` of exactly what the
//! store runs, on the whole official list. Searches (`LIKE '%…%'` over a folded key) are
//! served by a trigram index.

use domain::unit::UnitPath;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;
use store::SliceRequest;
use store::units::{UnitCursor, UnitFilter};
use tests::db_test;

/// Every node of a plan, depth first.
fn nodes(plan: &Value) -> Vec<&Value> {
    let mut out = vec![plan];
    if let Some(children) = plan["Plans"].as_array() {
        for child in children {
            out.extend(nodes(child));
        }
    }
    out
}

async fn plan_of(db: &DatabaseConnection, statement: &Statement) -> Value {
    let explain = Statement::from_sql_and_values(
        db.get_database_backend(),
        format!("EXPLAIN (FORMAT JSON) {}", statement.sql),
        statement.values.clone().map(|v| v.0).unwrap_or_default(),
    );
    let row = db
        .query_one_raw(explain)
        .await
        .expect("explain")
        .expect("a plan");
    let text: Value = row.try_get_by_index(0).expect("json");
    text[0]["Plan"].clone()
}

db_test! {
    configure = |_| {}, fixture = false;
    async fn subtree_statements_use_indexes_in_custom_and_generic_plans(app: TestApp) {
        if !app.is_postgres() {
            return; // SQLite's planner has no generic plans; its paths compare as bytes by default.
        }
        app.import_csv(server::seed::OFFICIAL_UNITS_2025_01).await.expect("the official list");
        let mut options = ConnectOptions::new(app.database_url.clone());
        options.max_connections(1).sqlx_logging(false);
        let db = Database::connect(options).await.expect("one connection");
        let quang_nam = store::units::by_code(&db, "49").await.expect("read").expect("49");
        let districts: Vec<uuid::Uuid> = store::units::list(
            &db,
            &UnitFilter { parent_id: Some(quang_nam.id), ..UnitFilter::default() },
            &SliceRequest { first: 100, after: None },
        )
        .await
        .expect("districts")
        .items
        .iter()
        .map(|u| u.id)
        .collect();
        let within = UnitPath::from_stored(quang_nam.path.as_str().to_owned());
        let filters = [
            ("the province's subtree", UnitFilter { within: Some(within.clone()), ..UnitFilter::default() }),
            ("a parent by code, within the subtree", UnitFilter {
                within: Some(within.clone()),
                parent_code: Some("49".to_owned()),
                ..UnitFilter::default()
            }),
            ("a search in the subtree (a trigram index)", UnitFilter {
                within: Some(within.clone()),
                search: Some("tam".to_owned()),
                ..UnitFilter::default()
            }),
            ("a search of the whole country", UnitFilter {
                within: Some(UnitPath::from_stored("/VN/".to_owned())),
                search: Some("tam ky".to_owned()),
                ..UnitFilter::default()
            }),
            ("below a district", UnitFilter {
                within: Some(within.clone()),
                below: Some(UnitPath::from_stored(format!("{}502/", within.as_str()))),
                ..UnitFilter::default()
            }),
        ];
        let slices = [
            SliceRequest { first: 20, after: None },
            SliceRequest { first: 20, after: Some(UnitCursor { depth: 2, code: "502".to_owned() }) },
        ];
        for mode in ["force_custom_plan", "force_generic_plan"] {
            db.execute_unprepared(&format!("SET plan_cache_mode = {mode}")).await.expect("mode");
            for (what, filter) in &filters {
                for slice in &slices {
                    let statements = store::units::statements(db.get_database_backend(), filter, slice, &districts);
                    for statement in &statements {
                        let plan = plan_of(&db, statement).await;
                        let scans: Vec<&Value> = nodes(&plan)
                            .into_iter()
                            .filter(|n| n["Relation Name"] == "unit")
                            .collect();
                        assert!(!scans.is_empty(), "{what}: the plan reads unit: {plan}");
                        for scan in scans {
                            assert_ne!(scan["Node Type"], "Seq Scan", "{mode}, {what}: {}\n{plan:#}", statement.sql);
                        }
                    }
                }
            }
        }
        // The subtree's own count is answered from the path index, by its range.
        db.execute_unprepared("SET plan_cache_mode = force_generic_plan").await.expect("mode");
        let statements = store::units::statements(
            db.get_database_backend(),
            &filters[0].1,
            &slices[0],
            &districts,
        );
        let count = plan_of(&db, &statements[1]).await;
        let on_path = nodes(&count)
            .into_iter()
            .any(|n| n["Index Name"] == "idx_unit_path" && n["Index Cond"].as_str().is_some_and(|c| c.contains("path")));
        assert!(on_path, "the count ranges over idx_unit_path: {count:#}");
    }
}
