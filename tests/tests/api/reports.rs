//! Rollout targets, the coverage dashboard and the deployment report, end to end: figures
//! that reconcile with the page and unit lists, the status history, plans, reporting rounds
//! from creation to acceptance, the downloads, and what other units' officers cannot do.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use chrono::{Days, NaiveDate, Utc};
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

fn today() -> NaiveDate {
    domain::time::today_in_vietnam(Utc::now())
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The fixture with the demo pages of Quảng Nam registered, an admin at Quảng Nam (49), an
/// admin at Phú Ninh (518), an admin at Tam Kỳ (502) and an operator at Tam Thành (20365);
/// their tokens in that order.
async fn officers_with_demo_pages(app: &TestApp) -> (String, String, String, String) {
    let registered = server::demo::register_demo_pages(&app.db, "49")
        .await
        .expect("demo pages");
    assert!(registered > 100, "{registered} demo pages");
    app.add_account("quantri.quangnam", Role::Admin, "49").await;
    app.add_account("quantri.phuninh", Role::Admin, "518").await;
    app.add_account("quantri.tamky", Role::Admin, "502").await;
    app.add_account("vanhanh.tamthanh", Role::Operator, "20365")
        .await;
    (
        app.token_for("quantri.quangnam").await,
        app.token_for("quantri.phuninh").await,
        app.token_for("quantri.tamky").await,
        app.token_for("vanhanh.tamthanh").await,
    )
}

const COVERAGE: &str = r"
query ($code: String!, $asOf: Date) {
  coverage(unitCode: $code, asOf: $asOf) {
    unit { code } asOf daysLeft deadline met
    plan { isDefault title deadline version unit { code } targets { level share } countedStatuses }
    levels { level units withPage share target met shortBy verified verifiedShare missing }
    children { unit { code } units withPage share verified met levels { level units withPage } }
    missing(first: 100) { totalCount nodes { code level } pageInfo { hasNextPage } }
  }
}";

async fn coverage(app: &TestApp, token: &str, code: &str, as_of: Option<NaiveDate>) -> Value {
    app.data_as(
        token,
        COVERAGE,
        json!({ "code": code, "asOf": as_of.map(day) }),
    )
    .await["coverage"]
        .clone()
}

fn level<'a>(coverage: &'a Value, name: &str) -> &'a Value {
    coverage["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .find(|l| l["level"] == name)
        .unwrap_or_else(|| panic!("no level {name} in {coverage}"))
}

async fn total(app: &TestApp, token: &str, query: &str, variables: Value) -> u64 {
    let data = app.data_as(token, query, variables).await;
    let list = data
        .as_object()
        .and_then(|o| o.values().next())
        .expect("list");
    list["totalCount"].as_u64().expect("totalCount")
}

const PAGES_COUNT: &str = "query ($code: String, $level: UnitLevel, $status: PageStatus) { pages(unitCode: $code, level: $level, platform: FACEBOOK, status: $status) { totalCount } }";
const UNITS_COUNT: &str = "query ($code: String, $level: UnitLevel) { units(withinCode: $code, level: $level) { totalCount } }";

/// What `pages(...)` and `units(...)` list for the subtree at `code` and a level: (units,
/// units with a page in a counted status, verified).
async fn listed(app: &TestApp, token: &str, code: &str, level: &str) -> (u64, u64, u64) {
    let units = total(
        app,
        token,
        UNITS_COUNT,
        json!({ "code": code, "level": level }),
    )
    .await;
    let mut with_page = 0;
    for status in ["ESTABLISHED", "REPORTED", "VERIFIED"] {
        with_page += total(
            app,
            token,
            PAGES_COUNT,
            json!({ "code": code, "level": level, "status": status }),
        )
        .await;
    }
    let verified = total(
        app,
        token,
        PAGES_COUNT,
        json!({ "code": code, "level": level, "status": "VERIFIED" }),
    )
    .await;
    (units, with_page, verified)
}

db_test! {
    async fn the_dashboard_figures_equal_what_the_page_and_unit_lists_show(app: TestApp) {
        let (province, _, _, _) = officers_with_demo_pages(&app).await;
        let c = coverage(&app, &province, "49", None).await;
        assert_eq!(c["plan"]["isDefault"], true, "{c}");
        assert_eq!(c["daysLeft"], Value::Null);
        for name in ["DISTRICT", "COMMUNE"] {
            let l = level(&c, name);
            let (units, with_page, verified) = listed(&app, &province, "49", name).await;
            assert_eq!(l["units"], units, "{name}: {l}");
            assert_eq!(l["withPage"], with_page, "{name}: {l}");
            assert_eq!(l["verified"], verified, "{name}: {l}");
            assert_eq!(l["missing"], units - with_page);
            assert!(with_page > 0 && with_page < units, "a realistic picture: {l}");
        }
        assert_eq!(level(&c, "DISTRICT")["units"], 17);
        assert_eq!(level(&c, "DISTRICT")["target"], 1.0);
        assert_eq!(level(&c, "DISTRICT")["met"], false);
        assert_eq!(level(&c, "COMMUNE")["target"], 0.7);
        // Every child's line reconciles with the lists of its own subtree.
        let children = c["children"].as_array().expect("children");
        assert_eq!(children.len(), 17);
        for child in children.iter().take(4) {
            let code = child["unit"]["code"].as_str().expect("code");
            // `units(withinCode:)` lists the units below the child; the child's own page is
            // `Unit.page`.
            let (c_units, c_with, c_verified) = listed(&app, &province, code, "COMMUNE").await;
            let own = app
                .data_as(&province, "query ($c: String!) { unit(code: $c) { page { status } } }", json!({ "c": code }))
                .await;
            let own_status = own["unit"]["page"]["status"].as_str().unwrap_or("NONE");
            let own_counted = u64::from(["ESTABLISHED", "REPORTED", "VERIFIED"].contains(&own_status));
            assert_eq!(child["units"], c_units + 1, "{child}");
            assert_eq!(child["withPage"], c_with + own_counted, "{child}");
            assert_eq!(child["verified"], c_verified + u64::from(own_status == "VERIFIED"), "{child}");
        }
        // The units without a page are the rest, Phú Ninh among them.
        let missing = &c["missing"];
        let expected: u64 = ["PROVINCE", "DISTRICT", "COMMUNE"]
            .iter()
            .map(|l| level(&c, l)["missing"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(missing["totalCount"], expected);
        let codes: Vec<&str> = missing["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter_map(|n| n["code"].as_str())
            .collect();
        assert!(codes.contains(&"518"), "{codes:?}");

        // Drilling into Phú Ninh: its own page is missing, its communes counted.
        let phu_ninh = coverage(&app, &province, "518", None).await;
        assert_eq!(level(&phu_ninh, "DISTRICT")["withPage"], 0);
        let (units, with_page, _) = listed(&app, &province, "518", "COMMUNE").await;
        assert_eq!(level(&phu_ninh, "COMMUNE")["units"], units);
        assert_eq!(level(&phu_ninh, "COMMUNE")["withPage"], with_page);
        assert_eq!(phu_ninh["children"].as_array().map(Vec::len), Some(10));
    }
}

db_test! {
    async fn coverage_of_a_past_day_comes_from_the_status_history(app: TestApp) {
        let (province, _, _, _) = officers_with_demo_pages(&app).await;
        let now = coverage(&app, &province, "49", None).await;
        let month_ago = today() - Days::new(30);
        let then = coverage(&app, &province, "49", Some(month_ago)).await;
        assert_eq!(then["asOf"], day(month_ago));
        let communes_now = level(&now, "COMMUNE")["withPage"].as_u64().expect("n");
        let communes_then = level(&then, "COMMUNE")["withPage"].as_u64().expect("n");
        assert!(communes_then < communes_now, "{communes_then} then, {communes_now} now");
        assert!(level(&then, "COMMUNE")["verified"].as_u64() < level(&now, "COMMUNE")["verified"].as_u64());

        // The progress series agrees with the single days.
        let series = app
            .data_as(
                &province,
                "query ($from: Date!, $to: Date!) { coverageHistory(unitCode: \"49\", from: $from, to: $to, every: WEEK) { date levels { level units withPage verified } } }",
                json!({ "from": day(month_ago), "to": day(today()) }),
            )
            .await;
        let points = series["coverageHistory"].as_array().expect("points");
        assert_eq!(points.first().map(|p| p["date"].clone()), Some(json!(day(month_ago))));
        assert_eq!(points.last().map(|p| p["date"].clone()), Some(json!(day(today()))));
        let first = points[0]["levels"].as_array().expect("levels");
        let commune = first.iter().find(|l| l["level"] == "COMMUNE").expect("commune");
        assert_eq!(commune["withPage"], communes_then);
        let last = points.last().expect("last")["levels"].as_array().expect("levels").clone();
        let commune = last.iter().find(|l| l["level"] == "COMMUNE").expect("commune");
        assert_eq!(commune["withPage"], communes_now);
        let counts: Vec<u64> = points
            .iter()
            .filter_map(|p| p["levels"].as_array()?.iter().find(|l| l["level"] == "COMMUNE")?["withPage"].as_u64())
            .collect();
        assert!(counts.len() >= 5 && counts[0] < counts[counts.len() - 1], "{counts:?}");

        // A page closed today no longer counts today, but still counts yesterday.
        let page = app
            .data_as(&province, "{ unit(code: \"502\") { page { id status } } }", json!({}))
            .await;
        let page_id = page["unit"]["page"]["id"].as_str().expect("Tam Kỳ has a demo page").to_owned();
        let before_today = coverage(&app, &province, "502", Some(today() - Days::new(1))).await;
        let closed = app
            .graphql_as(
                Some(&province),
                "mutation ($input: PageTransitionInput!) { closePage(input: $input) { page { status } userErrors { code } } }",
                json!({ "input": { "pageId": page_id, "reason": "Lập trang mới" } }),
            )
            .await;
        assert_eq!(closed["data"]["closePage"]["page"]["status"], "CLOSED", "{closed}");
        let after = coverage(&app, &province, "502", None).await;
        let yesterday = coverage(&app, &province, "502", Some(today() - Days::new(1))).await;
        let was_counted = level(&before_today, "DISTRICT")["withPage"].as_u64().expect("n");
        assert_eq!(level(&after, "DISTRICT")["withPage"], 0);
        assert_eq!(level(&yesterday, "DISTRICT")["withPage"], was_counted);
    }
}

const SET_PLAN: &str = r"
mutation ($input: SetRolloutPlanInput!) {
  setRolloutPlan(input: $input) {
    plan { title deadline version isDefault unit { code } targets { level share } countedStatuses }
    userErrors { field code message }
  }
}";

db_test! {
    async fn a_province_sets_targets_and_a_deadline_that_its_districts_are_measured_against(app: TestApp) {
        let (province, district, _, operator) = officers_with_demo_pages(&app).await;
        let deadline = today() + Days::new(7);
        let input = json!({
            "unitCode": "49",
            "title": "Kế hoạch triển khai Trang cộng đồng",
            "deadline": day(deadline),
            "targets": [{ "level": "COMMUNE", "share": 0.5 }, { "level": "DISTRICT", "share": 1 }],
        });
        let set = app.data_as(&province, SET_PLAN, json!({ "input": input })).await;
        let plan = &set["setRolloutPlan"];
        assert_eq!(plan["userErrors"], json!([]), "{plan}");
        assert_eq!(plan["plan"]["version"], 1);
        assert_eq!(plan["plan"]["countedStatuses"], json!(["ESTABLISHED", "REPORTED", "VERIFIED"]));
        assert_eq!(plan["plan"]["targets"][0]["level"], "DISTRICT");

        // Phú Ninh is measured against the province's plan.
        let c = coverage(&app, &district, "518", None).await;
        assert_eq!(c["plan"]["unit"]["code"], "49");
        assert_eq!(c["daysLeft"], 7);
        assert_eq!(c["deadline"], day(deadline));
        let communes = level(&c, "COMMUNE");
        assert_eq!(communes["target"], 0.5);
        let (units, with_page) = (communes["units"].as_u64().expect("n"), communes["withPage"].as_u64().expect("n"));
        assert_eq!(communes["met"], with_page * 2 >= units, "{communes}");

        // A second change must say which version it changes.
        let again = app.data_as(&province, SET_PLAN, json!({ "input": input })).await;
        assert_eq!(again["setRolloutPlan"]["userErrors"][0]["code"], "STALE_VERSION");
        let mut counted_verified = input.clone();
        counted_verified["expectedVersion"] = json!(1);
        counted_verified["countedStatuses"] = json!(["VERIFIED"]);
        let changed = app.data_as(&province, SET_PLAN, json!({ "input": counted_verified })).await;
        assert_eq!(changed["setRolloutPlan"]["plan"]["version"], 2, "{changed}");
        let c = coverage(&app, &province, "49", None).await;
        assert_eq!(level(&c, "COMMUNE")["withPage"], level(&c, "COMMUNE")["verified"]);

        // Bad plans are refused field by field, nothing written.
        for (targets, counted, field, code) in [
            (json!([{ "level": "COMMUNE", "share": 1.5 }]), json!(null), "targets", "INVALID_SHARE"),
            (json!([{ "level": "COMMUNE", "share": 0.5 }, { "level": "COMMUNE", "share": 0.7 }]), json!(null), "targets", "INVALID_TARGETS"),
            (json!([{ "level": "CENTRAL", "share": 0.5 }]), json!(null), "targets", "INVALID_TARGETS"),
            (json!([]), json!(["DRAFT"]), "countedStatuses", "INVALID_COUNTED_STATUSES"),
            (json!([]), json!([]), "countedStatuses", "INVALID_COUNTED_STATUSES"),
        ] {
            let bad = app.data_as(&province, SET_PLAN, json!({ "input": {
                "unitCode": "49", "title": "x", "targets": targets, "countedStatuses": counted, "expectedVersion": 2,
            } })).await;
            let errors = &bad["setRolloutPlan"]["userErrors"];
            assert_eq!(errors[0]["field"], field, "{bad}");
            assert_eq!(errors[0]["code"], code, "{bad}");
        }
        let bad = app.data_as(&province, SET_PLAN, json!({ "input": {
            "unitCode": "49", "title": "a\u{202e}b", "targets": [], "expectedVersion": 2,
        } })).await;
        assert_eq!(bad["setRolloutPlan"]["userErrors"][0]["code"], "INVALID_TITLE");
        let c = coverage(&app, &province, "49", None).await;
        assert_eq!(c["plan"]["version"], 2, "unchanged by refused plans");

        // A district cannot set the province's plan (it does not see it); an operator not
        // even its own unit's.
        let refused = app.graphql_as(Some(&district), SET_PLAN, json!({ "input": { "unitCode": "49", "title": "x", "targets": [] } })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND");
        let refused = app.graphql_as(Some(&operator), SET_PLAN, json!({ "input": { "unitCode": "20365", "title": "x", "targets": [] } })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");
        let refused = app.graphql_as(Some(&district), COVERAGE, json!({ "code": "502" })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND");
    }
}

const CREATE_ROUND: &str = r"
mutation ($input: CreateReportingRoundInput!) {
  createReportingRound(input: $input) {
    round { id title deadline daysLeft reportCount submittedCount lateCount reportingRate unit { code } }
    userErrors { field code message }
  }
}";

const ROUND: &str = r"
query ($id: ID!) {
  node(id: $id) {
    ... on ReportingRound {
      id title reportCount submittedCount acceptedCount returnedCount notStartedCount lateCount reportingRate onTimeRate
      reports { id unit { code } status submittedAt onTime late remarks returnedReason viewerCan { submit accept return } }
    }
  }
}";

const REPORT: &str = r"
query ($id: ID!) {
  node(id: $id) {
    ... on Report {
      id status statusLabel submittedAt onTime remarks returnedReason submittedBy xlsxUrl csvUrl
      unit { code } round { title }
      viewerCan { submit accept return }
      appendix {
        frozen unitCode unitName
        rows { unitCode unitName level pageName url status statusLabel nameConforms leader { fullName phone } operator { fullName } supportedBy }
        totals { units withPage verified nameConforms fullyStaffed }
        coverage { level units withPage share target met }
      }
    }
  }
}";

const SUBMIT: &str = r"
mutation ($input: SubmitReportInput!) {
  submitReport(input: $input) { report { id status submittedAt onTime remarks } userErrors { field code message } }
}";

const RETURN: &str = r"
mutation ($input: ReturnReportInput!) {
  returnReport(input: $input) { report { id status returnedReason } userErrors { field code message } }
}";

const ACCEPT: &str = r"
mutation ($input: AcceptReportInput!) {
  acceptReport(input: $input) { report { id status } userErrors { field code message } }
}";

async fn create_round(app: &TestApp, token: &str, due_in: u64) -> Value {
    let created = app
        .data_as(
            token,
            CREATE_ROUND,
            json!({ "input": {
                "unitCode": "49",
                "title": "Báo cáo kết quả triển khai Trang cộng đồng",
                "periodStart": day(today() - Days::new(30)),
                "periodEnd": day(today()),
                "deadline": day(today() + Days::new(due_in)),
            } }),
        )
        .await;
    let payload = &created["createReportingRound"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["round"].clone()
}

db_test! {
    async fn a_district_submits_its_report_and_the_province_returns_then_accepts_it(app: TestApp) {
        let (province, district, other_district, operator) = officers_with_demo_pages(&app).await;
        let round = create_round(&app, &province, 7).await;
        assert_eq!(round["reportCount"], 17);
        assert_eq!(round["submittedCount"], 0);
        assert_eq!(round["daysLeft"], 7);
        let round_id = round["id"].as_str().expect("id").to_owned();

        // Phú Ninh sees the round through its own report, and only its own.
        let rounds = app
            .data_as(&district, "{ reportingRounds(unitCode: \"518\") { totalCount nodes { id title unit { code } reportCount reports { id unit { code } status } } } }", json!({}))
            .await;
        let listed = &rounds["reportingRounds"];
        assert_eq!(listed["totalCount"], 1, "{listed}");
        assert_eq!(listed["nodes"][0]["unit"]["code"], "49");
        assert_eq!(listed["nodes"][0]["reportCount"], 1);
        // The asking province is named, but its page and staff stay outside Phú Ninh's reach.
        let above = app
            .data_as(&district, "{ reportingRounds(unitCode: \"518\") { nodes { unit { code page { id leader { phone } } children { nodes { code } } } } } }", json!({}))
            .await;
        assert_eq!(above["reportingRounds"]["nodes"][0]["unit"]["page"], Value::Null, "{above}");
        let siblings = above["reportingRounds"]["nodes"][0]["unit"]["children"]["nodes"].as_array().expect("children");
        assert!(siblings.iter().all(|c| c["code"] == "518"), "no sibling district: {above}");
        let report_id = listed["nodes"][0]["reports"][0]["id"].as_str().expect("report").to_owned();

        // The appendix is filled from the registry: Phú Ninh and its ten communes.
        let report = app.data_as(&district, REPORT, json!({ "id": report_id })).await;
        let appendix = &report["node"]["appendix"];
        assert_eq!(appendix["frozen"], false);
        assert_eq!(appendix["unitName"], "Huyện Phú Ninh");
        let rows = appendix["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 11);
        assert_eq!(rows[0]["unitCode"], "518");
        assert_eq!(rows[0]["statusLabel"], "Chưa có trang");
        assert_eq!(appendix["totals"]["units"], 11);
        let with_page = rows.iter().filter(|r| r["status"].is_string()).count();
        assert!(with_page > 0, "{appendix}");
        assert_eq!(report["node"]["viewerCan"]["submit"], true);
        assert_eq!(report["node"]["viewerCan"]["accept"], false);

        // Submitted with remarks, on time; the province sees 1 of 17.
        let submitted = app
            .data_as(&district, SUBMIT, json!({ "input": { "roundId": round_id, "unitCode": "518", "remarks": "Huyện đang hoàn thiện trang của mình." } }))
            .await;
        let payload = &submitted["submitReport"];
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
        assert_eq!(payload["report"]["status"], "SUBMITTED");
        assert_eq!(payload["report"]["onTime"], true);
        let seen = app.data_as(&province, ROUND, json!({ "id": round_id })).await;
        let seen = &seen["node"];
        assert_eq!(seen["submittedCount"], 1);
        assert_eq!(seen["reportCount"], 17);
        assert_eq!(seen["notStartedCount"], 16);
        assert_eq!(seen["lateCount"], 0);
        let phu_ninh = seen["reports"]
            .as_array()
            .expect("reports")
            .iter()
            .find(|r| r["unit"]["code"] == "518")
            .expect("Phú Ninh's report")
            .clone();
        assert_eq!(phu_ninh["viewerCan"], json!({ "submit": false, "accept": true, "return": true }));

        // Later edits to pages do not change the submitted appendix.
        let commune_page = rows
            .iter()
            .find(|r| r["status"].is_string())
            .expect("a commune with a page")["unitCode"]
            .as_str()
            .expect("code")
            .to_owned();
        let page = app
            .data_as(&province, "query ($c: String!) { unit(code: $c) { page { id } } }", json!({ "c": commune_page }))
            .await;
        let page_id = page["unit"]["page"]["id"].as_str().expect("page").to_owned();
        let closed = app
            .graphql_as(Some(&province), "mutation ($input: PageTransitionInput!) { closePage(input: $input) { page { status } } }", json!({ "input": { "pageId": page_id } }))
            .await;
        assert_eq!(closed["data"]["closePage"]["page"]["status"], "CLOSED", "{closed}");
        let frozen = app.data_as(&province, REPORT, json!({ "id": report_id })).await;
        assert_eq!(frozen["node"]["appendix"]["frozen"], true);
        assert_eq!(frozen["node"]["appendix"]["rows"], json!(rows), "the snapshot is kept");
        assert_eq!(frozen["node"]["remarks"], "Huyện đang hoàn thiện trang của mình.");
        assert_eq!(frozen["node"]["submittedBy"], "Ban Thường trực UBMTTQ huyện Phú Ninh");

        // Returning needs a reason; the district sees it and submits again.
        let no_reason = app.data_as(&province, RETURN, json!({ "input": { "reportId": report_id, "reason": "  " } })).await;
        assert_eq!(no_reason["returnReport"]["userErrors"][0]["code"], "REASON_REQUIRED");
        let returned = app
            .data_as(&province, RETURN, json!({ "input": { "reportId": report_id, "reason": "Bổ sung số điện thoại cán bộ vận hành." } }))
            .await;
        assert_eq!(returned["returnReport"]["report"]["status"], "RETURNED", "{returned}");
        let again = app.data_as(&district, REPORT, json!({ "id": report_id })).await;
        assert_eq!(again["node"]["returnedReason"], "Bổ sung số điện thoại cán bộ vận hành.");
        assert_eq!(again["node"]["appendix"]["frozen"], false, "a returned report is filled anew");
        assert_eq!(again["node"]["appendix"]["rows"].as_array().map(|r| r.iter().filter(|r| r["status"].is_string()).count()), Some(with_page - 1));
        let resubmitted = app.data_as(&district, SUBMIT, json!({ "input": { "roundId": round_id, "unitCode": "518" } })).await;
        assert_eq!(resubmitted["submitReport"]["report"]["status"], "SUBMITTED", "{resubmitted}");
        assert_eq!(resubmitted["submitReport"]["report"]["onTime"], true);
        let twice = app.data_as(&district, SUBMIT, json!({ "input": { "roundId": round_id, "unitCode": "518" } })).await;
        assert_eq!(twice["submitReport"]["userErrors"][0]["code"], "INVALID_TRANSITION");

        // Nobody reviews its own report; other branches do not see it at all.
        let own = app.graphql_as(Some(&district), ACCEPT, json!({ "input": { "reportId": report_id } })).await;
        assert_eq!(error_code(&own), "FORBIDDEN");
        for token in [&other_district, &operator] {
            let hidden = app.graphql_as(Some(token), REPORT, json!({ "id": report_id })).await;
            assert_eq!(error_code(&hidden), "NOT_FOUND", "{hidden}");
            let hidden = app.graphql_as(Some(token), ACCEPT, json!({ "input": { "reportId": report_id } })).await;
            assert_eq!(error_code(&hidden), "NOT_FOUND", "{hidden}");
        }
        let not_asked = app.graphql_as(Some(&operator), ROUND, json!({ "id": round_id })).await;
        assert_eq!(error_code(&not_asked), "NOT_FOUND", "a commune is not asked by the province");
        let not_its_own = app.graphql_as(Some(&other_district), SUBMIT, json!({ "input": { "roundId": round_id, "unitCode": "518" } })).await;
        assert_eq!(error_code(&not_its_own), "NOT_FOUND");

        let accepted = app.data_as(&province, ACCEPT, json!({ "input": { "reportId": report_id } })).await;
        assert_eq!(accepted["acceptReport"]["report"]["status"], "ACCEPTED", "{accepted}");
        let seen = app.data_as(&province, ROUND, json!({ "id": round_id })).await;
        assert_eq!(seen["node"]["acceptedCount"], 1);
        assert_eq!(seen["node"]["submittedCount"], 1);

        // Every step is in the audit trail.
        let audit = app
            .data_as(&province, "{ auditEvents(unitCode: \"49\", first: 50) { nodes { action } } }", json!({}))
            .await;
        let actions: Vec<&str> = audit["auditEvents"]["nodes"].as_array().expect("events").iter().filter_map(|e| e["action"].as_str()).collect();
        for action in ["report.create_round", "report.submit", "report.return", "report.accept"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }
}

db_test! {
    async fn rounds_refuse_bad_dates_and_units_without_units_below(app: TestApp) {
        let (province, district, _, operator) = officers_with_demo_pages(&app).await;
        let input = |start: NaiveDate, end: NaiveDate, deadline: NaiveDate, unit: &str| json!({ "input": {
            "unitCode": unit, "title": "Báo cáo", "periodStart": day(start), "periodEnd": day(end), "deadline": day(deadline),
        } });
        let t = today();
        let bad = app.data_as(&province, CREATE_ROUND, input(t, t - Days::new(1), t - Days::new(1), "49")).await;
        let codes: Vec<&str> = bad["createReportingRound"]["userErrors"].as_array().expect("errors").iter().filter_map(|e| e["code"].as_str()).collect();
        assert_eq!(codes, ["PERIOD_REVERSED", "DEADLINE_PASSED"]);
        let commune_admin = {
            app.add_account("quantri.tamthanh", Role::Admin, "20365").await;
            app.token_for("quantri.tamthanh").await
        };
        let none_below = app.data_as(&commune_admin, CREATE_ROUND, input(t, t, t, "20365")).await;
        assert_eq!(none_below["createReportingRound"]["userErrors"][0]["code"], "NO_REPORTING_UNITS");
        let forbidden = app.graphql_as(Some(&operator), CREATE_ROUND, input(t, t, t, "20365")).await;
        assert_eq!(error_code(&forbidden), "FORBIDDEN");
        let hidden = app.graphql_as(Some(&district), CREATE_ROUND, input(t, t, t, "49")).await;
        assert_eq!(error_code(&hidden), "NOT_FOUND");
        let rounds = app.data_as(&province, "{ reportingRounds(unitCode: \"49\") { totalCount } }", json!({})).await;
        assert_eq!(rounds["reportingRounds"]["totalCount"], 0, "nothing written");

        // Too long a series is refused before any work.
        let long = app
            .graphql_as(Some(&province), "{ coverageHistory(unitCode: \"49\", from: \"2000-01-01\", to: \"2026-01-01\", every: DAY) { date } }", json!({}))
            .await;
        assert_eq!(error_code(&long), "VALIDATION", "{long}");
    }
}

db_test! {
    async fn racing_submissions_of_one_report_submit_it_once(app: TestApp) {
        let (province, district, _, _) = officers_with_demo_pages(&app).await;
        let round = create_round(&app, &province, 3).await;
        let round_id = round["id"].as_str().expect("id").to_owned();
        let attempts = (0..6).map(|n| {
            let (app, district, round_id) = (&app, &district, &round_id);
            async move {
                app.graphql_as(Some(district), SUBMIT, json!({ "input": { "roundId": round_id, "unitCode": "518", "remarks": format!("lần {n}") } }))
                    .await
            }
        });
        let answers = futures_util::future::join_all(attempts).await;
        let submitted = answers
            .iter()
            .filter(|a| a["data"]["submitReport"]["report"]["status"] == "SUBMITTED")
            .count();
        assert_eq!(submitted, 1, "{answers:?}");
        for a in &answers {
            assert!(a.get("errors").is_none(), "no INTERNAL: {a}");
        }
        let seen = app.data_as(&province, ROUND, json!({ "id": round_id })).await;
        assert_eq!(seen["node"]["submittedCount"], 1);
    }
}

async fn download(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

db_test! {
    async fn the_report_downloads_as_a_spreadsheet_and_csv_for_those_who_read_it(app: TestApp) {
        let (province, district, other_district, _) = officers_with_demo_pages(&app).await;
        let round = create_round(&app, &province, 7).await;
        let round_id = round["id"].as_str().expect("id").to_owned();
        let submitted = app
            .data_as(&district, SUBMIT, json!({ "input": { "roundId": round_id, "unitCode": "518", "remarks": "Đã rà soát." } }))
            .await;
        let report_id = submitted["submitReport"]["report"]["id"].as_str().expect("id").to_owned();
        let report = app.data_as(&province, REPORT, json!({ "id": report_id })).await;
        let xlsx_url = report["node"]["xlsxUrl"].as_str().expect("xlsxUrl").to_owned();
        let csv_url = report["node"]["csvUrl"].as_str().expect("csvUrl").to_owned();

        let response = download(&app, Some(&province), &xlsx_url).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let disposition = response.headers()["content-disposition"].to_str().expect("ascii").to_owned();
        let expected_name = format!("bao-cao-518-huyen-phu-ninh-{}.xlsx", day(today()));
        assert!(disposition.contains(&expected_name), "{disposition}");
        let bytes = response.bytes().await.expect("body");
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = workbook.worksheet_range("Phụ lục").expect("the appendix sheet");
        let cells: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        let header = cells
            .iter()
            .position(|r| r.first().map(String::as_str) == Some("STT"))
            .expect("a header row");
        for name in ["Đơn vị", "Tên trang", "Đường dẫn", "Ngày thành lập", "Trạng thái", "Lãnh đạo phụ trách", "Cán bộ quản lý, vận hành", "Tổ chức hỗ trợ", "Ghi chú"] {
            assert!(cells[header].iter().any(|c| c == name), "{name} in {:?}", cells[header]);
        }
        let rows: Vec<&Vec<String>> = cells[header + 1..]
            .iter()
            .take_while(|r| r.first().is_some_and(|c| c.parse::<u32>().is_ok()))
            .collect();
        assert_eq!(rows.len(), 11, "one row per unit");
        assert_eq!(rows[0][2], "Huyện Phú Ninh");

        let csv = download(&app, Some(&district), &csv_url).await;
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.expect("utf-8");
        assert!(text.starts_with("\u{feff}STT,"), "{}", &text[..40.min(text.len())]);
        assert_eq!(text.lines().count(), 12, "a header and 11 units");
        assert!(text.contains("Huyện Phú Ninh"));

        let coverage = download(&app, Some(&province), "/export/coverage/49.xlsx").await;
        assert_eq!(coverage.status(), 200);
        let bytes = coverage.bytes().await.expect("body");
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = workbook.worksheet_range("Tiến độ").expect("the sheet");
        assert!(sheet.rows().any(|r| r.iter().any(|c| *c == "Huyện Phú Ninh")));

        // The same subtree rule as the API: no token, another branch, a wrong or made-up id.
        assert_eq!(download(&app, None, &xlsx_url).await.status(), 401);
        assert_eq!(download(&app, Some("not-a-token"), &xlsx_url).await.status(), 401);
        let hidden = download(&app, Some(&other_district), &xlsx_url).await;
        assert_eq!(hidden.status(), 404);
        let body: Value = hidden.json().await.expect("json");
        assert_eq!(error_code(&body), "NOT_FOUND");
        assert_eq!(download(&app, Some(&other_district), "/export/coverage/518.xlsx").await.status(), 404);
        for path in [
            "/export/reports/UmVwb3J0OjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA.xlsx".to_owned(),
            xlsx_url.replace(".xlsx", ".exe"),
            format!("/export/reports/{}.xlsx", "A".repeat(4000)),
            "/export/reports/%00.csv".to_owned(),
            "/export/coverage/..%2F..%2Fetc.xlsx".to_owned(),
        ] {
            let status = download(&app, Some(&province), &path).await.status();
            assert!(status == 404 || status == 400 || status == 414, "{path}: {status}");
        }
    }
}
