//! `cargo bench --bench pages` (needs `TEST_DATABASE_URL`, a PostgreSQL server): the page
//! registry at national scale — a page for each of the 10,810 units of the official list, two
//! officers and two assignments (leader, operator) each, one page in ten waiting for
//! verification — and the latency of the page lists over HTTP, on a fresh database it drops
//! afterwards. Prints a Markdown table for BENCHMARKS.md. A benchmark, not a test.

mod common;

use std::time::Instant;

use common::{create_database, drop_database, percentile, sign_in, time_requests};
use sea_orm::ConnectionTrait;
use server::{Application, Settings};

const RUNS: usize = 300;

/// A page for every unit below the national root, two officers of each unit holding its two
/// duties; every tenth page REPORTED (oldest first by its code), the others VERIFIED.
const SEED: [&str; 4] = [
    "INSERT INTO page (id, unit_id, platform, name, name_conforms, url, status, established_on, \
     supported_by, supporter_contact, notes, search_key, version, reported_at, created_by, \
     created_at, updated_by, updated_at) \
     SELECT gen_random_uuid(), u.id, 'FACEBOOK', 'Mặt trận ' || u.kind || ' ' || u.name, \
     false, 'https://www.facebook.com/mattran.' || u.code, \
     CASE WHEN right(u.code, 1) = '7' THEN 'REPORTED' ELSE 'VERIFIED' END, DATE '2021-12-20', \
     NULL, NULL, NULL, lower(u.search_key), 3, \
     now() - (u.code::int % 1000) * interval '1 minute', NULL, now(), NULL, now() \
     FROM unit u WHERE u.level <> 'central'",
    "INSERT INTO person (id, unit_id, full_name, position, phone, email, search_key, version, \
     removed_at, created_at, updated_at) \
     SELECT gen_random_uuid(), u.id, n.name || ' ' || u.code, n.position, \
     '09' || lpad(u.code, 8, '0'), NULL, lower(n.name || ' ' || u.code), 1, NULL, now(), now() \
     FROM unit u CROSS JOIN (VALUES ('Nguyễn Văn An', 'Phó Chủ tịch'), \
     ('Trần Thị Bình', 'Cán bộ')) AS n(name, position) WHERE u.level <> 'central'",
    "INSERT INTO assignment (id, page_id, person_id, duty, starts_on, ends_on, created_by, \
     created_at) \
     SELECT gen_random_uuid(), p.id, pe.id, \
     CASE WHEN pe.position = 'Phó Chủ tịch' THEN 'LEADER' ELSE 'OPERATOR' END, \
     DATE '2022-01-01', NULL, NULL, now() \
     FROM page p JOIN person pe ON pe.unit_id = p.unit_id",
    "ANALYZE",
];

async fn measure(url: &str) {
    let mut settings = Settings::for_tests(url);
    settings.database.max_connections = 10;
    let app = Application::build(settings).await.expect("server");
    let db = app.db().clone();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let rows =
        store::import::parse_csv(server::seed::OFFICIAL_UNITS_2025_01.as_bytes()).expect("csv");
    store::import::import(&db, &rows, store::import::ImportOptions::default(), |_| {})
        .await
        .expect("import");
    let started = Instant::now();
    for statement in SEED {
        db.execute_unprepared(statement).await.expect("seed");
    }
    let seeded = started.elapsed();
    let started = Instant::now();
    app::pages::check_names_again(&db)
        .await
        .expect("names checked");
    let checked = started.elapsed();

    let client = reqwest::Client::new();
    let national = sign_in(&client, &address, &db, "VN").await;
    let province = sign_in(&client, &address, &db, "49").await;
    let nested = "{ totalCount nodes { id name url status unit { code fullName expectedPageName } nameCheck { conforms } leader { fullName phone } operator { fullName phone } staffingComplete viewerCan { verify } } }";
    let queries = [
        (
            "national admin: `pages(first: 100)` with unit, expected name, name check, leader, operator, permissions",
            &national,
            format!("{{ pages(first: 100) {nested} }}"),
        ),
        (
            "national admin: `pagesAwaitingVerification(first: 100)`, same fields",
            &national,
            format!("{{ pagesAwaitingVerification(first: 100) {nested} }}"),
        ),
        (
            "province admin (Quảng Nam): `pages(first: 100)`, same fields",
            &province,
            format!("{{ pages(first: 100) {nested} }}"),
        ),
        (
            "province admin: `pages(staffing: INCOMPLETE, first: 100)` (none)",
            &province,
            format!("{{ pages(staffing: INCOMPLETE, first: 100) {nested} }}"),
        ),
        (
            "national admin: `pages(search: \"tam\", first: 100)`",
            &national,
            format!("{{ pages(search: \"tam\", first: 100) {nested} }}"),
        ),
    ];
    println!(
        "\n### PostgreSQL 15 (local, 127.0.0.1): 10,810 pages, 21,620 officers and assignments\n"
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| seed (three `INSERT … SELECT` and `ANALYZE`) | {:.2} s |",
        seeded.as_secs_f64()
    );
    println!(
        "| every page's name checked again, as after an import | {:.2} s |",
        checked.as_secs_f64()
    );
    for (label, token, query) in &queries {
        let times = time_requests(&client, &address, token, query, RUNS).await;
        println!(
            "| {label}, {RUNS} sequential requests over HTTP | p50 {:.2} ms, p99 {:.2} ms |",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3
        );
    }
}

#[tokio::main]
async fn main() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("pages bench: set TEST_DATABASE_URL to a PostgreSQL server; skipped");
        return;
    };
    let (admin, name, url) = create_database(&admin_url).await;
    measure(&url).await;
    drop_database(&admin, &name).await;
}
