//! `cargo bench --bench operating` (needs `TEST_DATABASE_URL`, a PostgreSQL server): running
//! the pages at national scale — the 10,810 units of the official list, a page for every one,
//! 50 posts and 52 weekly snapshots per page (≈ 540,000 posts and 560,000 snapshots), ten
//! share requests per province with six pages in ten sharing each — on a fresh database it
//! drops afterwards. It times over HTTP the province's effectiveness ranking of its districts
//! and the share compliance of one request across a province, and side by side in the same
//! run the bare statements they are built on, so the API's share shows as a ratio. Prints a
//! Markdown table for BENCHMARKS.md with the load average beside it. A benchmark, not a test.

mod common;

use std::time::{Duration, Instant};

use common::{create_database, drop_database, load_average, percentile, sign_in, time_requests};
use sea_orm::{ConnectionTrait, Statement};
use server::{Application, Settings};

const RUNS: usize = 200;

const SEED: [&str; 6] = [
    "INSERT INTO page (id, unit_id, platform, name, name_conforms, url, status, established_on, \
     supported_by, supporter_contact, notes, search_key, version, reported_at, created_by, \
     created_at, updated_by, updated_at) \
     SELECT gen_random_uuid(), u.id, 'FACEBOOK', 'Mặt trận ' || u.kind || ' ' || u.name, true, \
     'https://www.facebook.com/mattran.' || u.code, 'VERIFIED', DATE '2021-12-20', NULL, NULL, \
     NULL, lower(u.search_key), 1, NULL, NULL, now() - interval '400 days', NULL, now() \
     FROM unit u WHERE u.level <> 'central'",
    // 50 posts a page, one every few days over the past months.
    "INSERT INTO post (id, page_id, unit_id, url, kind, shared_from_post_id, published_at, title, \
     logged_by, logged_at) \
     SELECT gen_random_uuid(), p.id, p.unit_id, p.url || '/posts/' || g, 'ORIGINAL', NULL, \
     now() - ((g * 3 + abs(hashtext(p.url)) % 5) || ' days')::interval, 'Bài ' || g, NULL, now() \
     FROM page p, generate_series(1, 50) g",
    // 52 weekly snapshots a page.
    "INSERT INTO page_stat (id, page_id, unit_id, day, period_start, followers, followers_source, \
     new_follows, new_follows_source, views, views_source, engagements, engagements_source, \
     posts, posts_source, updated_by, updated_at) \
     SELECT gen_random_uuid(), p.id, p.unit_id, current_date - g * 7, current_date - g * 7 - 6, \
     5000 - g * 20 + abs(hashtext(p.url)) % 3000, 'GRAPH_API', 20, 'GRAPH_API', \
     900 + g, 'GRAPH_API', 120 + g, 'GRAPH_API', 3, 'MANUAL', NULL, now() \
     FROM page p, generate_series(0, 51) g",
    // Ten share requests per province, on its ten latest posts, due over the past weeks.
    "INSERT INTO share_request (id, post_id, unit_id, deadline, message, created_by, created_at) \
     SELECT gen_random_uuid(), po.id, po.unit_id, po.published_at + interval '2 days', NULL, NULL, \
     po.published_at FROM post po JOIN unit u ON u.id = po.unit_id \
     WHERE u.level = 'province' AND po.title IN ('Bài 1','Bài 2','Bài 3','Bài 4','Bài 5','Bài 6', \
     'Bài 7','Bài 8','Bài 9','Bài 10')",
    // Six pages in ten below share each, a few of them late.
    "INSERT INTO post (id, page_id, unit_id, url, kind, shared_from_post_id, published_at, title, \
     logged_by, logged_at) \
     SELECT gen_random_uuid(), p.id, p.unit_id, p.url || '/posts/s' || sr.id, 'SHARE', sr.post_id, \
     sr.deadline - ((abs(hashtext(p.url || sr.id::text)) % 72 - 12) || ' hours')::interval, NULL, \
     NULL, now() FROM share_request sr JOIN unit ru ON ru.id = sr.unit_id \
     JOIN unit u ON u.path > ru.path AND u.path < substr(ru.path, 1, length(ru.path) - 1) || '0' \
     JOIN page p ON p.unit_id = u.id WHERE abs(hashtext(p.url || sr.id::text)) % 10 < 6",
    "ANALYZE",
];

fn ms(times: &[Duration], p: f64) -> f64 {
    percentile(times, p).as_secs_f64() * 1e3
}

async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get_by_index(0).expect("n")
}

/// Runs `f` `RUNS` times after one warm-up: the sorted times.
async fn time<F, Fut>(mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        f().await;
        times.push(started.elapsed());
    }
    times.sort();
    times
}

/// The units, then the pages, posts, snapshots and share requests: how many of each.
async fn seed(db: &sea_orm::DatabaseConnection) -> (i64, i64, i64) {
    let rows =
        store::import::parse_csv(server::seed::OFFICIAL_UNITS_2025_01.as_bytes()).expect("csv");
    store::import::import(db, &rows, store::import::ImportOptions::default(), |_| {})
        .await
        .expect("import");
    let seeding = Instant::now();
    for statement in SEED {
        db.execute_unprepared(statement).await.expect("seed");
    }
    let counts = (
        count(db, "post").await,
        count(db, "page_stat").await,
        count(db, "share_request").await,
    );
    eprintln!("seeded {counts:?} in {:.0?}", seeding.elapsed());
    counts
}

/// The share request of `province` due last.
async fn latest_request(
    db: &sea_orm::DatabaseConnection,
    province: &domain::Unit,
) -> domain::campaign::ShareRequest {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT id FROM share_request WHERE unit_id = $1 ORDER BY deadline DESC LIMIT 1",
            [province.id.into()],
        ))
        .await
        .expect("request")
        .expect("a request of Quảng Nam");
    let id: uuid::Uuid = row.try_get_by_index(0).expect("id");
    store::campaigns::share_requests_by_ids(db, &[id])
        .await
        .expect("request")
        .pop()
        .expect("found")
}

/// The pages of the districts of `province`, each with the paths of the units above it.
async fn district_pages(
    db: &sea_orm::DatabaseConnection,
    province: &domain::Unit,
) -> Vec<(uuid::Uuid, Vec<domain::UnitPath>)> {
    let units = store::units::list(
        db,
        &store::units::UnitFilter {
            parent_id: Some(province.id),
            ..store::units::UnitFilter::default()
        },
        &store::SliceRequest {
            first: 100,
            after: None,
        },
    )
    .await
    .expect("districts")
    .items;
    let ids: Vec<uuid::Uuid> = units.iter().map(|u| u.id).collect();
    store::pages::live_of_units(db, &ids, domain::page::Platform::Facebook)
        .await
        .expect("pages")
        .into_iter()
        .filter_map(|p| {
            units
                .iter()
                .find(|u| u.id == p.unit_id)
                .map(|u| (p.id, u.path.ancestors()))
        })
        .collect()
}

async fn measure(url: &str) {
    let mut settings = Settings::for_tests(url);
    settings.database.max_connections = 10;
    let app = Application::build(settings).await.expect("server");
    let db = app.db().clone();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let (posts, snapshots, requests) = seed(&db).await;
    let client = reqwest::Client::new();
    let national = sign_in(&client, &address, &db, "VN").await;
    let province = store::units::by_code(&db, "49")
        .await
        .expect("unit")
        .expect("Quảng Nam");
    let request = latest_request(&db, &province).await;
    let request_id = api::global_id(api::NodeKind::ShareRequest, request.id);
    let queries = [
        (
            "`rankings(unitCode: \"49\", by: GROWTH_30_DAYS)`: Quảng Nam's 17 districts with every figure",
            "{ rankings(unitCode: \"49\", by: GROWTH_30_DAYS) { items { rank unit { code name } effectiveness { followers growth30Days growth90Days postsPerWeek lastPostAt inactive shareCompliance engagementPerPost } } } }".to_owned(),
        ),
        (
            "one share request's compliance across Quảng Nam: totals, 17 districts, the first 20 late",
            format!(
                "{{ node(id: \"{}\") {{ ... on ShareRequest {{ compliance {{ shared notYet late pages rate }} children {{ unit {{ code }} shared notYet late pages }} units(status: LATE, first: 20) {{ totalCount nodes {{ unit {{ code }} sharedAt }} }} }} }} }}",
                request_id.as_str()
            ),
        ),
    ];
    println!(
        "\n### PostgreSQL 15 (local, 127.0.0.1): 10,810 units, a page each, {posts} posts, {snapshots} snapshots, {requests} share requests; load average before {}\n",
        load_average()
    );
    println!("| measure | p50 | p99 |\n|---|---|---|");
    let district_pages = district_pages(&db, &province).await;
    let today = domain::time::today_in_vietnam(chrono::Utc::now());
    let bare_figures = time(|| async {
        let found = store::effect::figures(&db, &district_pages, today, chrono::Utc::now())
            .await
            .expect("figures");
        assert_eq!(found.len(), district_pages.len());
    })
    .await;
    println!(
        "| the bare figures statement for the 17 district pages (`store::effect::figures`), {RUNS} runs | {:.2} ms | {:.2} ms |",
        ms(&bare_figures, 0.5),
        ms(&bare_figures, 0.99)
    );
    let asked = domain::campaign::LIVE;
    let bare_compliance = time(|| async {
        let groups = store::campaigns::compliance(&db, &request, &asked, &province)
            .await
            .expect("compliance");
        assert!(!groups.is_empty());
    })
    .await;
    println!(
        "| the bare compliance statement across the province (`store::campaigns::compliance`), {RUNS} runs | {:.2} ms | {:.2} ms |",
        ms(&bare_compliance, 0.5),
        ms(&bare_compliance, 0.99)
    );
    let bare = [bare_figures, bare_compliance];
    for ((label, query), bare) in queries.iter().zip(&bare) {
        let times = time_requests(&client, &address, &national, query, RUNS).await;
        println!(
            "| {label}, {RUNS} sequential requests over HTTP | {:.2} ms | {:.2} ms |",
            ms(&times, 0.5),
            ms(&times, 0.99)
        );
        println!(
            "| … over HTTP ÷ its bare statement (p50) | {:.2}× | |",
            ms(&times, 0.5) / ms(bare, 0.5)
        );
    }
    println!("\nLoad average after {}", load_average());
}

#[tokio::main]
async fn main() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("operating bench: set TEST_DATABASE_URL to a PostgreSQL server; skipped");
        return;
    };
    let (admin, name, url) = create_database(&admin_url).await;
    measure(&url).await;
    drop_database(&admin, &name).await;
}
