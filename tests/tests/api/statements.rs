//! A list costs the same number of SQL statements whatever its length: what each item links to
//! (its unit, what the viewer may do to it) is loaded for all items at once.

use serde_json::json;
use tests::{TestApp, db_test};

/// The SQL statements the server has run for requests so far, from its metrics.
async fn statements_so_far(app: &TestApp) -> u64 {
    app.metrics()
        .await
        .lines()
        .filter(|line| line.starts_with("graphql_sql_statements_sum"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// The statements one request runs.
async fn statements_of(app: &TestApp, token: &str, query: &str) -> u64 {
    let before = statements_so_far(app).await;
    app.data_as(token, query, json!({})).await;
    statements_so_far(app).await - before
}

const ACCOUNTS: &str = "{ accounts(unitCode: \"518\", first: 50) { totalCount nodes { username unit { code fullName } viewerCan { update changeRole assignableRoles disable enable resetPassword } } } }";

db_test! {
    async fn an_account_list_with_units_and_permissions_costs_the_same_for_3_or_30(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let communes = ["20392", "20395", "20365"];
        for (n, code) in communes.iter().enumerate() {
            app.add_account(&format!("xa.{n}"), domain::Role::Viewer, code).await;
        }
        // Once, so that both counts find the session checked already (or both not).
        statements_of(&app, &token, ACCOUNTS).await;
        let few = statements_of(&app, &token, ACCOUNTS).await;
        for n in 3..30 {
            let code = communes[n % communes.len()];
            app.add_account(&format!("xa.{n}"), domain::Role::Operator, code).await;
        }
        let many = statements_of(&app, &token, ACCOUNTS).await;
        let listed = app.data_as(&token, ACCOUNTS, json!({})).await;
        assert_eq!(listed["accounts"]["totalCount"], 31, "the admin and 30 in its communes");
        assert!(few > 0, "statements are counted");
        // The loaders gather every key the items ask for before their batch runs.
        assert_eq!(many, few, "4 accounts cost {few} statements, 31 cost {many}");
    }
}

/// The statements a request costs beyond finding out who asks (`{ me { username } }`).
async fn data_statements(app: &TestApp, token: &str, query: &str) -> u64 {
    let asking = statements_of(app, token, "{ me { username } }").await;
    statements_of(app, token, query)
        .await
        .saturating_sub(asking)
}

/// The four workloads of the data-path benchmark (`cargo xtask bench-peer`), with a list size
/// of `n`.
fn workloads(n: u32) -> [(&'static str, String); 4] {
    [
        ("W1", format!("{{ units(parentCode: \"49\", first: {n}) {{ totalCount nodes {{ code name }} }} }}")),
        ("W2", "{ unit(code: \"20341\") { code name fullName parent { code name parent { code name } } ancestors { code name } } }".to_owned()),
        ("W3", format!("{{ units(search: \"tam\", first: {n}) {{ totalCount nodes {{ code name ancestors {{ code }} parent {{ code }} }} }} }}")),
        ("W4", format!("{{ units(parentCode: \"49\", first: {n}) {{ nodes {{ code name children(first: 5) {{ totalCount nodes {{ code name }} }} }} }} }}")),
    ]
}

db_test! {
    async fn each_workload_costs_a_fixed_number_of_statements_whatever_its_list_size(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        // W1: the page, with its parent looked up and its count taken inside it. W2: the
        // unit with every unit above it (a walk up the parents), where its parent, its
        // parent's parent and its ancestors are found. W3: the page with its count, then
        // every hit's ancestors and parent in one batch. W4: the districts (parent inside),
        // then their children and the children's counts in one statement.
        let expected = [("W1", 1), ("W2", 1), ("W3", 2), ("W4", 2)];
        for n in [1, 3, 20] {
            for ((name, query), (_, cost)) in workloads(n).into_iter().zip(expected) {
                let body = app.data_as(&token, &query, json!({})).await;
                assert!(!body.to_string().contains("null"), "{name} answers in full: {body}");
                let statements = data_statements(&app, &token, &query).await;
                assert_eq!(statements, cost, "{name} with lists of {n}");
            }
        }
        let districts = app.data_as(&token, &workloads(20)[3].1, json!({})).await;
        let nodes = districts["units"]["nodes"].as_array().expect("districts");
        assert!(nodes.len() > 10, "Quảng Nam has 18 districts: {}", nodes.len());
        let tam_ky = nodes.iter().find(|d| d["code"] == "502").expect("Tam Kỳ");
        assert_eq!(tam_ky["children"]["totalCount"], 12, "{tam_ky}");
        assert_eq!(tam_ky["children"]["nodes"].as_array().map(Vec::len), Some(5));
    }
}

db_test! {
    async fn the_children_of_many_parents_are_the_same_as_one_parent_at_a_time(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let together = app
            .data_as(&token, "{ units(parentCode: \"49\", first: 30) { nodes { code children(first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { code } } } } }", json!({}))
            .await;
        for district in together["units"]["nodes"].as_array().expect("districts") {
            let code = district["code"].as_str().expect("code");
            let alone = app
                .data_as(&token, "query($code: String!) { units(parentCode: $code, first: 3) { totalCount pageInfo { hasNextPage endCursor } nodes { code } } }", json!({ "code": code }))
                .await;
            assert_eq!(district["children"], alone["units"], "district {code}");
            // The next slice of one parent's children, through the batched field.
            let Some(after) = alone["units"]["pageInfo"]["endCursor"].as_str() else { continue };
            let next = app
                .data_as(&token, "query($code: String!, $after: String) { unit(code: $code) { children(first: 3, after: $after) { totalCount nodes { code } } } }", json!({ "code": code, "after": after }))
                .await;
            let again = app
                .data_as(&token, "query($code: String!, $after: String) { units(parentCode: $code, first: 3, after: $after) { totalCount nodes { code } } }", json!({ "code": code, "after": after }))
                .await;
            assert_eq!(next["unit"]["children"]["nodes"], again["units"]["nodes"], "district {code}, second slice");
            // Counted by a statement of its own after a cursor, in the list statement before.
            assert_eq!(next["unit"]["children"]["totalCount"], alone["units"]["totalCount"], "district {code}");
            assert_eq!(again["units"]["totalCount"], alone["units"]["totalCount"], "district {code}");
        }
    }
}

db_test! {
    async fn a_checked_session_is_not_read_again(app: TestApp) {
        app.add_account("xa.tamdan", domain::Role::Operator, "20392").await;
        let token = app.token_for("xa.tamdan").await;
        let first = statements_of(&app, &token, "{ me { username } }").await;
        let again = statements_of(&app, &token, "{ me { username } }").await;
        assert_eq!(first, 1, "the account and its session, read once");
        // PostgreSQL servers keep checked sessions (they hear of every change); SQLite ones
        // read the account each time (another process may write the file unannounced).
        assert_eq!(again, u64::from(!app.is_postgres()));
    }
}

const PAGES: &str = "{ pages(first: 50) { totalCount nodes { name url status unit { code expectedPageName suggestedPageUsername } nameCheck { conforms problems } leader { fullName phone } operator { fullName } staffingComplete viewerCan { update report verify } } } }";

/// Registers the pages of these communes (as the server's operator would), each with a leader
/// and an operator.
async fn pages_with_staff(app: &TestApp, communes: &[&str]) {
    use app::By;
    for code in communes {
        let page = app::pages::create_page(
            &app.db,
            By::Operator,
            app::pages::NewPageInput {
                unit_code: (*code).to_owned(),
                platform: domain::page::Platform::Facebook,
                name: format!("Mặt trận xã {code}"),
                url: Some(format!("https://www.facebook.com/mattran.xa{code}")),
                established_on: None,
                supported_by: None,
                supporter_contact: None,
                notes: None,
            },
        )
        .await
        .expect("page created");
        for (n, duty) in domain::page::Duty::ALL.into_iter().enumerate() {
            let person = app::people::create_person(
                &app.db,
                By::Operator,
                app::people::NewPersonInput {
                    unit_code: (*code).to_owned(),
                    full_name: format!("Cán Bộ Số {}", ["Một", "Hai"][n]),
                    position: "Phó Chủ tịch".to_owned(),
                    phone: format!("0905{code:0>6}"),
                    email: None,
                },
            )
            .await
            .expect("person created");
            app::people::assign_person(
                &app.db,
                By::Operator,
                app::people::AssignInput {
                    page_id: page.id,
                    person_id: person.id,
                    duty,
                    from: None,
                },
            )
            .await
            .expect("assigned");
        }
    }
}

db_test! {
    async fn a_page_list_with_units_names_staff_and_permissions_costs_the_same_for_3_or_30(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let communes: Vec<String> = {
            let listed = app
                .data_as(&token, "{ units(level: COMMUNE, first: 30) { nodes { code } } }", json!({}))
                .await;
            listed["units"]["nodes"].as_array().expect("communes").iter().map(|n| n["code"].as_str().expect("code").to_owned()).collect()
        };
        let codes: Vec<&str> = communes.iter().map(String::as_str).collect();
        pages_with_staff(&app, &codes[..3]).await;
        statements_of(&app, &token, PAGES).await;
        let few = data_statements(&app, &token, PAGES).await;
        pages_with_staff(&app, &codes[3..30]).await;
        let many = data_statements(&app, &token, PAGES).await;
        let listed = app.data_as(&token, PAGES, json!({})).await;
        assert_eq!(listed["pages"]["totalCount"], 30);
        let first = &listed["pages"]["nodes"][0];
        assert!(first["unit"]["expectedPageName"].as_str().expect("name").contains("tỉnh Quảng Nam"), "{first}");
        assert_eq!(first["staffingComplete"], true, "{first}");
        assert_eq!(first["leader"]["fullName"], "Cán Bộ Số Một");
        assert_eq!(many, few, "3 pages cost {few} statements, 30 cost {many}");
        assert!(few <= 6, "the list, its units, their ancestors, the staff and the people: {few}");
    }
}

const AUDIT: &str = "{ auditEvents(first: 50) { totalCount nodes { action actionLabel unit { code } actorName actorUsername actorUnit { code } } } }";

/// `n` officers registered at Quảng Nam through the API by its admin: `n` audit events, each
/// with its actor.
async fn officers_registered(app: &TestApp, token: &str, from: usize, to: usize) {
    for n in from..to {
        app.data_as(
            token,
            "mutation ($input: CreatePersonInput!) { createPerson(input: $input) { userErrors { code } } }",
            json!({ "input": { "unitCode": "49", "fullName": "Cán Bộ Tỉnh", "position": "Chuyên viên", "phone": format!("09050000{n:02}") } }),
        )
        .await;
    }
}

db_test! {
    async fn an_audit_trail_with_units_and_actors_costs_the_same_for_3_or_30_events(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        app.add_account("tinh.quangnam2", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let other = app.token_for("tinh.quangnam2").await;
        officers_registered(&app, &token, 0, 2).await;
        officers_registered(&app, &other, 2, 3).await;
        statements_of(&app, &token, AUDIT).await;
        let few = data_statements(&app, &token, AUDIT).await;
        officers_registered(&app, &token, 3, 20).await;
        officers_registered(&app, &other, 20, 30).await;
        let many = data_statements(&app, &token, AUDIT).await;
        let listed = app.data_as(&token, AUDIT, json!({})).await;
        // The 30 registrations and the creation of the two admins' accounts.
        assert_eq!(listed["auditEvents"]["totalCount"], 32, "{listed}");
        assert_eq!(listed["auditEvents"]["nodes"][0]["actorUnit"]["code"], "49");
        assert_eq!(many, few, "3 events cost {few} statements, 30 cost {many}");
    }
}

const COVERAGE: &str = "query ($code: String!) { coverage(unitCode: $code) { unit { code } plan { title unit { code } } levels { level units withPage target met } children { unit { code fullName } units withPage share met levels { level withPage } } missing(first: 50) { totalCount nodes { code fullName } } } }";

db_test! {
    async fn the_dashboard_costs_the_same_for_a_province_of_17_districts_as_for_a_district(app: TestApp) {
        server::demo::register_demo_pages(&app.db, "49").await.expect("demo pages");
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        statements_of(&app, &token, "{ me { username } }").await;
        let district = statements_of_with(&app, &token, COVERAGE, json!({ "code": "518" })).await;
        let province = statements_of_with(&app, &token, COVERAGE, json!({ "code": "49" })).await;
        let listed = app.data_as(&token, COVERAGE, json!({ "code": "49" })).await;
        assert_eq!(listed["coverage"]["children"].as_array().map(Vec::len), Some(17));
        assert_eq!(province, district, "a district costs {district} statements, the province {province}");
        assert!(province <= 8, "the unit, its plan, the tally, the children, the missing: {province}");
    }
}

const ROUNDS: &str = "{ reportingRounds(unitCode: \"49\", first: 20) { totalCount nodes { title unit { code } reportCount submittedCount lateCount reportingRate reports { unit { code fullName } status onTime late submittedBy round { title } viewerCan { submit accept return } } } } }";

db_test! {
    async fn a_list_of_rounds_with_their_reports_costs_the_same_for_1_or_4(app: TestApp) {
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("tinh.quangnam").await;
        let district = app.token_for("huyen.phuninh").await;
        let today = domain::time::today_in_vietnam(chrono::Utc::now());
        let round = |n: usize| json!({ "input": {
            "unitCode": "49", "title": format!("Đợt {n}"), "periodStart": today.to_string(),
            "periodEnd": today.to_string(), "deadline": today.to_string(),
        } });
        let create = "mutation ($input: CreateReportingRoundInput!) { createReportingRound(input: $input) { round { id } userErrors { code } } }";
        let first = app.data_as(&token, create, round(0)).await;
        let round_id = first["createReportingRound"]["round"]["id"].clone();
        app.data_as(
            &district,
            "mutation ($input: SubmitReportInput!) { submitReport(input: $input) { userErrors { code } } }",
            json!({ "input": { "roundId": round_id, "unitCode": "518" } }),
        )
        .await;
        statements_of(&app, &token, ROUNDS).await;
        let one = data_statements(&app, &token, ROUNDS).await;
        for n in 1..4 {
            app.data_as(&token, create, round(n)).await;
        }
        let four = data_statements(&app, &token, ROUNDS).await;
        let listed = app.data_as(&token, ROUNDS, json!({})).await;
        assert_eq!(listed["reportingRounds"]["totalCount"], 4);
        assert_eq!(listed["reportingRounds"]["nodes"][3]["submittedCount"], 1, "{listed}");
        assert_eq!(four, one, "1 round costs {one} statements, 4 cost {four}");
    }
}

/// The statements one request with variables runs.
async fn statements_of_with(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: serde_json::Value,
) -> u64 {
    let before = statements_so_far(app).await;
    app.data_as(token, query, variables).await;
    statements_so_far(app).await - before
}

/// The three lists, each asked alone: root fields run side by side and would race for the
/// units they share.
const OPERATING: [&str; 3] = [
    r#"{ posts(unitCode: "49", first: 50) { totalCount nodes { url kind title unit { code } unitName page { name } campaigns { title unitName } shareRequest { deadline } sharedFrom { url } viewerCan { requestShares } } } }"#,
    r#"{ shareRequests(unitCode: "49", issued: true, first: 50) { totalCount nodes { deadline status unitName unit { code } post { url unitName } } } }"#,
    r#"{ campaigns(unitCode: "49", first: 50) { totalCount nodes { title unit { code } unitName levels } } }"#,
];

async fn operating_statements(app: &TestApp, token: &str) -> Vec<u64> {
    let mut costs = Vec::new();
    for query in OPERATING {
        costs.push(data_statements(app, token, query).await);
    }
    costs
}

/// The province logs `n` posts on its page, each under a campaign of its own and asked to be
/// shared.
async fn province_posts(app: &TestApp, token: &str, from: usize, n: usize) {
    let page = app
        .data_as(
            token,
            r#"{ unit(code: "49") { page { id url } } }"#,
            json!({}),
        )
        .await["unit"]["page"]
        .clone();
    for i in from..from + n {
        let campaign = app
            .data_as(token, "mutation ($t: String!) { createCampaign(input: { unitCode: \"49\", title: $t }) { campaign { id } } }", json!({ "t": format!("Đợt {i}") }))
            .await["createCampaign"]["campaign"]["id"]
            .clone();
        let post = app
            .data_as(token, "mutation ($input: LogPostInput!) { logPost(input: $input) { post { id } userErrors { code } } }", json!({ "input": {
                "pageId": page["id"], "url": format!("{}/posts/{}", page["url"].as_str().expect("url"), 1000 + i), "campaignIds": [campaign],
            } }))
            .await["logPost"]["post"]["id"]
            .clone();
        app.data_as(token, "mutation ($input: RequestSharesInput!) { requestShares(input: $input) { userErrors { code } } }", json!({ "input": {
            "postId": post, "deadline": (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339(),
        } }))
        .await;
    }
}

db_test! {
    async fn the_post_log_share_requests_and_campaigns_cost_the_same_for_3_or_30(app: TestApp) {
        server::demo::register_demo_pages(&app.db, "49").await.expect("demo pages");
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        province_posts(&app, &token, 0, 3).await;
        operating_statements(&app, &token).await;
        let few = operating_statements(&app, &token).await;
        province_posts(&app, &token, 3, 27).await;
        let many = operating_statements(&app, &token).await;
        let posts = app.data_as(&token, OPERATING[0], json!({})).await;
        let requests = app.data_as(&token, OPERATING[1], json!({})).await;
        let campaigns = app.data_as(&token, OPERATING[2], json!({})).await;
        assert_eq!(posts["posts"]["totalCount"], 30, "{posts}");
        assert_eq!(requests["shareRequests"]["totalCount"], 30, "{requests}");
        assert_eq!(campaigns["campaigns"]["totalCount"], 30, "{campaigns}");
        assert_eq!(posts["posts"]["nodes"][0]["campaigns"][0]["unitName"], campaigns["campaigns"]["nodes"][0]["unitName"]);
        assert!(few.iter().all(|&n| n <= 10), "each list with its count and links: {few:?} statements");
        assert_eq!(many, few, "posts, requests, campaigns: 3 of each cost {few:?} statements, 30 cost {many:?}");
    }
}

db_test! {
    async fn a_ranking_costs_the_same_for_the_communes_of_a_district_as_for_the_districts_of_a_province(app: TestApp) {
        server::demo::register_demo_pages(&app.db, "49").await.expect("demo pages");
        app.add_account("tinh.quangnam", domain::Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let query = |code: &str| format!("{{ rankings(unitCode: \"{code}\", by: GROWTH_30_DAYS) {{ items {{ rank unit {{ code }} page {{ name }} effectiveness {{ followers growth30Days postsPerWeek shareCompliance inactive }} }} }} }}");
        let districts = app.data_as(&token, &query("49"), json!({})).await;
        let communes = app.data_as(&token, &query("502"), json!({})).await;
        let (d, c) = (
            districts["rankings"]["items"].as_array().map_or(0, Vec::len),
            communes["rankings"]["items"].as_array().map_or(0, Vec::len),
        );
        assert!(d > 10 && c > 5 && d != c, "{d} districts, {c} communes");
        let few = data_statements(&app, &token, &query("502")).await;
        let many = data_statements(&app, &token, &query("49")).await;
        let across = data_statements(&app, &token, "{ rankings(unitCode: \"49\", level: COMMUNE) { items { rank effectiveness { followers } } } }").await;
        assert!(few <= 5, "units, pages, figures: {few}");
        assert_eq!(many, few, "{c} communes cost {few} statements, {d} districts {many}");
        assert_eq!(across, few, "every commune of the province, across its districts: {across}");
    }
}
