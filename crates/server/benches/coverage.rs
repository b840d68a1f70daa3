//! `cargo bench --bench coverage` (needs `TEST_DATABASE_URL`, a PostgreSQL server): the
//! rollout dashboard at national scale — the 10,810 units of the official list, a page for
//! 88% of them in a mix of statuses, each with its status history (created, reported,
//! verified or returned over the past twelve weeks) — on a fresh database it drops
//! afterwards. It times `coverage` over HTTP (whole country, a province, a past day) and
//! `coverageHistory`, and, side by side in the same run, the bare aggregate statement the
//! dashboard is built on, so the API's share shows as a ratio. Prints a Markdown table for
//! BENCHMARKS.md with the load average beside it. A benchmark, not a test.

mod common;

use std::time::{Duration, Instant};

use common::{create_database, drop_database, load_average, percentile, sign_in, time_requests};
use sea_orm::ConnectionTrait;
use server::{Application, Settings};

const RUNS: usize = 200;

/// 88% of units get a page (decided by a hash of the code): half verified, a quarter
/// reported, the rest established or returned; created 7–86 days ago, reported three days
/// later, verified or returned three days after that, each step in `page_event`.
const SEED: [&str; 6] = [
    "INSERT INTO page (id, unit_id, platform, name, name_conforms, url, status, established_on, \
     supported_by, supporter_contact, notes, search_key, version, reported_at, created_by, \
     created_at, updated_by, updated_at) \
     SELECT gen_random_uuid(), u.id, 'FACEBOOK', 'Mặt trận ' || u.kind || ' ' || u.name, \
     true, 'https://www.facebook.com/mattran.' || u.code, \
     CASE WHEN abs(hashtext(u.code || 's')) % 100 < 50 THEN 'VERIFIED' \
          WHEN abs(hashtext(u.code || 's')) % 100 < 75 THEN 'REPORTED' \
          WHEN abs(hashtext(u.code || 's')) % 100 < 92 THEN 'ESTABLISHED' ELSE 'RETURNED' END, \
     DATE '2021-12-20', NULL, NULL, NULL, lower(u.search_key), 1, NULL, NULL, \
     now() - (abs(hashtext(u.code || 'd')) % 80 + 7) * interval '1 day', NULL, now() \
     FROM unit u WHERE u.level <> 'central' AND abs(hashtext(u.code)) % 100 >= 12",
    "INSERT INTO page_event (id, page_id, occurred_at, actor_id, action, from_status, to_status, reason) \
     SELECT gen_random_uuid(), p.id, p.created_at, NULL, 'create', NULL, 'ESTABLISHED', NULL FROM page p",
    "INSERT INTO page_event (id, page_id, occurred_at, actor_id, action, from_status, to_status, reason) \
     SELECT gen_random_uuid(), p.id, p.created_at + interval '3 days', NULL, 'report', 'ESTABLISHED', \
     'REPORTED', NULL FROM page p WHERE p.status IN ('REPORTED', 'VERIFIED', 'RETURNED')",
    "INSERT INTO page_event (id, page_id, occurred_at, actor_id, action, from_status, to_status, reason) \
     SELECT gen_random_uuid(), p.id, p.created_at + interval '6 days', NULL, 'verify', 'REPORTED', \
     'VERIFIED', NULL FROM page p WHERE p.status = 'VERIFIED'",
    "INSERT INTO page_event (id, page_id, occurred_at, actor_id, action, from_status, to_status, reason) \
     SELECT gen_random_uuid(), p.id, p.created_at + interval '6 days', NULL, 'return', 'REPORTED', \
     'RETURNED', 'Sửa tên' FROM page p WHERE p.status = 'RETURNED'",
    "ANALYZE",
];

/// The bare aggregate behind the dashboard (`store::rollout::tally`), on the pool.
async fn time_tally(db: &sea_orm::DatabaseConnection, code: &str) -> Vec<Duration> {
    let unit = store::units::by_code(db, code)
        .await
        .expect("unit")
        .expect("known unit");
    let counting = store::rollout::Counting {
        counted: &domain::rollout::DEFAULT_COUNTED,
        as_of: None,
    };
    store::rollout::tally(db, &unit, &counting)
        .await
        .expect("tally");
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let groups = store::rollout::tally(db, &unit, &counting)
            .await
            .expect("tally");
        times.push(started.elapsed());
        assert!(!groups.is_empty());
    }
    times.sort();
    times
}

fn ms(times: &[Duration], p: f64) -> f64 {
    percentile(times, p).as_secs_f64() * 1e3
}

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
    for statement in SEED {
        db.execute_unprepared(statement).await.expect("seed");
    }
    let client = reqwest::Client::new();
    let national = sign_in(&client, &address, &db, "VN").await;
    let month_ago = domain::time::today_in_vietnam(chrono::Utc::now()) - chrono::Days::new(30);
    let twelve_weeks_ago = month_ago - chrono::Days::new(54);
    let dashboard = "levels { level units withPage share target met verified } children { unit { code fullName } units withPage share verified met } missing(first: 20) { totalCount nodes { code fullName } }";
    let queries = [
        (
            "`coverage(unitCode: \"VN\")`: 3 levels, 63 provinces, the first 20 missing",
            format!("{{ coverage(unitCode: \"VN\") {{ {dashboard} }} }}"),
        ),
        (
            "`coverage(unitCode: \"49\")`: Quảng Nam, 17 districts",
            format!("{{ coverage(unitCode: \"49\") {{ {dashboard} }} }}"),
        ),
        (
            "`coverage(unitCode: \"VN\", asOf: 30 days ago)`, from the status history",
            format!("{{ coverage(unitCode: \"VN\", asOf: \"{month_ago}\") {{ {dashboard} }} }}"),
        ),
        (
            "`coverageHistory(unitCode: \"VN\", every: WEEK)`, 13 points over 12 weeks",
            format!(
                "{{ coverageHistory(unitCode: \"VN\", from: \"{twelve_weeks_ago}\", to: \"{month_ago}\") {{ date levels {{ level units withPage verified }} }} }}"
            ),
        ),
    ];
    println!(
        "\n### PostgreSQL 15 (local, 127.0.0.1): 10,810 units, a page for 88%, 3 steps of history each; load average before {}\n",
        load_average()
    );
    println!("| measure | p50 | p99 |\n|---|---|---|");
    let bare = time_tally(&db, "VN").await;
    println!(
        "| the bare aggregate statement for the whole country (`store::rollout::tally`), {RUNS} runs | {:.2} ms | {:.2} ms |",
        ms(&bare, 0.5),
        ms(&bare, 0.99)
    );
    let mut whole_country = None;
    for (label, query) in &queries {
        let times = time_requests(&client, &address, &national, query, RUNS).await;
        whole_country.get_or_insert((ms(&times, 0.5), ms(&times, 0.99)));
        println!(
            "| {label}, {RUNS} sequential requests over HTTP | {:.2} ms | {:.2} ms |",
            ms(&times, 0.5),
            ms(&times, 0.99)
        );
    }
    if let Some((p50, _)) = whole_country {
        println!(
            "\nWhole-country dashboard over HTTP ÷ its bare statement (p50): {:.2}×; load average after {}",
            p50 / ms(&bare, 0.5),
            load_average()
        );
    }
}

#[tokio::main]
async fn main() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("coverage bench: set TEST_DATABASE_URL to a PostgreSQL server; skipped");
        return;
    };
    let (admin, name, url) = create_database(&admin_url).await;
    measure(&url).await;
    drop_database(&admin, &name).await;
}
