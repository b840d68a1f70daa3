//! `cargo bench --bench units`: import time of the full official unit list and latency of a
//! `units` page query through HTTP, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
//! Prints a Markdown table for BENCHMARKS.md. A benchmark, not a test: nothing is asserted.

mod common;

use std::time::Instant;

use common::{create_database, drop_database, graphql, percentile};
use server::{Application, Settings};

const RUNS: usize = 300;

async fn measure(name: &str, url: &str) {
    let mut settings = Settings::for_tests(url);
    settings.database.max_connections = 10;
    let app = Application::build(settings).await.expect("server");
    let db = app.db().clone();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let rows =
        store::import::parse_csv(server::seed::OFFICIAL_UNITS_2025_01.as_bytes()).expect("csv");
    let started = Instant::now();
    let report = store::import::import(&db, &rows, store::import::ImportOptions::default(), |_| {})
        .await
        .expect("import");
    let first = started.elapsed();
    let started = Instant::now();
    store::import::import(&db, &rows, store::import::ImportOptions::default(), |_| {})
        .await
        .expect("reimport");
    let again = started.elapsed();
    assert_eq!(report.report.inserted, 10_810);

    let spec = server::accounts::Bootstrap {
        unit_code: "49".into(),
        username: "bench.admin".into(),
        display_name: None,
        role: domain::Role::Admin,
        password: Some("bench password".into()),
    };
    server::accounts::create(&db, spec).await.expect("account");
    let client = reqwest::Client::new();
    let started = Instant::now();
    let login = graphql(
        &client,
        &address,
        None,
        r#"mutation { login(input: { username: "bench.admin", password: "bench password" }) { accessToken } }"#,
    )
    .await;
    let login_time = started.elapsed();
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();

    let queries = [
        (
            "units(parentCode: \"49\", first: 20)",
            "{ units(parentCode: \"49\", first: 20) { totalCount edges { cursor node { id code fullName level } } pageInfo { hasNextPage endCursor } } }",
        ),
        (
            "units(search: \"tam\", first: 20)",
            "{ units(search: \"tam\", first: 20) { totalCount nodes { code fullName parent { fullName } } } }",
        ),
    ];
    println!("\n### {name}\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| import 10,810 units (empty database) | {:.2} s |",
        first.as_secs_f64()
    );
    println!(
        "| re-import, nothing changed | {:.2} s |",
        again.as_secs_f64()
    );
    println!(
        "| login (one argon2id verify) | {:.1} ms |",
        login_time.as_secs_f64() * 1e3
    );
    for (label, query) in queries {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let body = graphql(&client, &address, Some(&token), query).await;
            times.push(started.elapsed());
            assert!(body.get("errors").is_none(), "{body}");
        }
        times.sort();
        println!(
            "| `{label}` over HTTP, {RUNS} runs | p50 {:.2} ms, p95 {:.2} ms |",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("dir");
    measure(
        "SQLite (file, WAL)",
        &format!("sqlite://{}", dir.path().join("bench.db").display()),
    )
    .await;
    if let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") {
        let (admin, name, url) = create_database(&admin_url).await;
        measure("PostgreSQL 15 (local, 127.0.0.1)", &url).await;
        drop_database(&admin, &name).await;
    }
}
