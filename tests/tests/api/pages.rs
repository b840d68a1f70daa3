//! Community pages end to end: the naming rule, registration, report → verify, staff, the
//! audit trail, and what other units' officers cannot see or do.

use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

const CREATE_PAGE: &str = r"
mutation ($input: CreatePageInput!) {
  createPage(input: $input) {
    page { id name url status version nameCheck { conforms expected problems } unit { code } }
    userErrors { field message code }
  }
}";

const UPDATE_PAGE: &str = r"
mutation ($input: UpdatePageInput!) {
  updatePage(input: $input) { page { id url status version } userErrors { field code message } }
}";

const PAGE: &str = r"
query ($id: ID!) {
  node(id: $id) {
    ... on Page {
      id name url status version staffingComplete
      leader { fullName phone } operator { fullName }
      assignments { duty current person { fullName } }
      history { action actionLabel fromStatus toStatus toStatusLabel reason actorName }
      viewerCan { update report verify returnPage suspend close reopen }
    }
  }
}";

const CREATE_PERSON: &str = r"
mutation ($input: CreatePersonInput!) {
  createPerson(input: $input) { person { id fullName phone position } userErrors { field code message } }
}";

const ASSIGN: &str = r"
mutation ($input: AssignPersonInput!) {
  assignPerson(input: $input) { page { leader { fullName } operator { fullName } staffingComplete } userErrors { field code message } }
}";

const QUEUE: &str = r"
{ pagesAwaitingVerification(first: 10) { totalCount nodes { id name unit { code } } } }";

/// `text` decomposed (NFD): a base letter followed by its combining marks, as some keyboards
/// type Vietnamese.
fn nfd(text: &str) -> String {
    let pairs = [
        ('ặ', "a\u{323}\u{306}"),
        ('ậ', "a\u{323}\u{302}"),
        ('ờ', "o\u{31b}\u{300}"),
        ('ỹ', "y\u{303}"),
        ('ố', "o\u{302}\u{301}"),
        ('ỳ', "y\u{300}"),
        ('ỉ', "i\u{309}"),
        ('ả', "a\u{309}"),
        ('ư', "u\u{31b}"),
    ];
    let mut out = String::new();
    for c in text.chars() {
        match pairs.iter().find(|(composed, _)| *composed == c) {
            Some((_, decomposed)) => out.push_str(decomposed),
            None => out.push(c),
        }
    }
    out
}

fn transition(name: &str) -> String {
    format!(
        "mutation ($input: PageTransitionInput!) {{ {name}(input: $input) {{ page {{ id status }} userErrors {{ field code message }} }} }}"
    )
}

/// The fixture (loaded, the national admin signed in) with an admin at Quảng Nam (49), an admin at Phú Ninh (518), and operators at
/// Tam Thành (20365) and Tam Dân (20392); their tokens in that order.
async fn officers(app: &TestApp) -> (String, String, String, String) {
    app.add_account("quantri.quangnam", Role::Admin, "49").await;
    app.add_account("quantri.phuninh", Role::Admin, "518").await;
    app.add_account("vanhanh.tamthanh", Role::Operator, "20365")
        .await;
    app.add_account("vanhanh.tamdan", Role::Operator, "20392")
        .await;
    (
        app.token_for("quantri.quangnam").await,
        app.token_for("quantri.phuninh").await,
        app.token_for("vanhanh.tamthanh").await,
        app.token_for("vanhanh.tamdan").await,
    )
}

async fn create_page(app: &TestApp, token: &str, input: Value) -> Value {
    let body = app
        .graphql_as(Some(token), CREATE_PAGE, json!({ "input": input }))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["createPage"].clone()
}

async fn step(app: &TestApp, token: &str, name: &str, input: Value) -> Value {
    app.graphql_as(Some(token), &transition(name), json!({ "input": input }))
        .await
}

async fn add_person(app: &TestApp, token: &str, unit: &str, name: &str, phone: &str) -> String {
    let data = app
        .data_as(
            token,
            CREATE_PERSON,
            json!({ "input": { "unitCode": unit, "fullName": name, "position": "Phó Chủ tịch", "phone": phone } }),
        )
        .await;
    let payload = &data["createPerson"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["person"]["id"]
        .as_str()
        .expect("person id")
        .to_owned()
}

db_test! {
    async fn a_district_page_goes_from_registration_to_verification_and_back_when_its_link_changes(app: TestApp) {
        let (province, district, _, _) = officers(&app).await;

        let unit = app
            .data_as(&district, "{ unit(code: \"518\") { expectedPageName suggestedPageUsername page { id } } }", json!({}))
            .await;
        assert_eq!(unit["unit"]["expectedPageName"], "Mặt trận Phú Ninh (tỉnh Quảng Nam)");
        assert_eq!(unit["unit"]["suggestedPageUsername"], "mattran.phuninh.quangnam");
        assert_eq!(unit["unit"]["page"], json!(null));

        let created = create_page(&app, &district, json!({
            "unitCode": "518",
            "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)",
            "url": "https://m.facebook.com/mattranphuninh?mibextid=abc",
            "establishedOn": "2021-12-20",
            "supportedBy": "Huyện đoàn Phú Ninh",
        })).await;
        assert_eq!(created["userErrors"], json!([]), "{created}");
        let page = &created["page"];
        assert_eq!(page["url"], "https://www.facebook.com/mattranphuninh");
        assert_eq!(page["status"], "ESTABLISHED");
        assert_eq!(page["nameCheck"]["conforms"], true);
        let id = page["id"].as_str().expect("page id").to_owned();

        let leader = add_person(&app, &district, "518", "Nguyễn Văn An", "0905 123 456").await;
        let operator = add_person(&app, &district, "518", "Trần Thị Bình", "+84 935 111 222").await;
        for (person, duty) in [(&leader, "LEADER"), (&operator, "OPERATOR")] {
            let data = app
                .data_as(&district, ASSIGN, json!({ "input": { "pageId": id, "personId": person, "duty": duty } }))
                .await;
            assert_eq!(data["assignPerson"]["userErrors"], json!([]), "{data}");
        }
        let data = app.data_as(&district, PAGE, json!({ "id": id })).await;
        assert_eq!(data["node"]["leader"]["fullName"], "Nguyễn Văn An");
        assert_eq!(data["node"]["leader"]["phone"], "0905123456");
        assert_eq!(data["node"]["operator"]["fullName"], "Trần Thị Bình");
        assert_eq!(data["node"]["staffingComplete"], true);
        assert_eq!(data["node"]["viewerCan"]["report"], true);
        assert_eq!(data["node"]["viewerCan"]["verify"], false, "nobody verifies its own page");

        let reported = step(&app, &district, "reportPage", json!({ "pageId": id })).await;
        assert_eq!(reported["data"]["reportPage"]["page"]["status"], "REPORTED", "{reported}");
        // The district cannot verify its own page.
        let own = step(&app, &district, "verifyPage", json!({ "pageId": id })).await;
        assert_eq!(error_code(&own), "FORBIDDEN");

        let queue = app.data_as(&province, QUEUE, json!({})).await;
        assert_eq!(queue["pagesAwaitingVerification"]["totalCount"], 1);
        assert_eq!(queue["pagesAwaitingVerification"]["nodes"][0]["unit"]["code"], "518");
        let verified = step(&app, &province, "verifyPage", json!({ "pageId": id })).await;
        assert_eq!(verified["data"]["verifyPage"]["page"]["status"], "VERIFIED", "{verified}");
        let queue = app.data_as(&province, QUEUE, json!({})).await;
        assert_eq!(queue["pagesAwaitingVerification"]["totalCount"], 0);

        let data = app.data_as(&district, PAGE, json!({ "id": id })).await;
        let version = data["node"]["version"].clone();
        let changed = app
            .data_as(&district, UPDATE_PAGE, json!({ "input": { "pageId": id, "expectedVersion": version, "url": "fb.com/MatTranPhuNinh.QN/" } }))
            .await;
        let page = &changed["updatePage"]["page"];
        assert_eq!(page["url"], "https://www.facebook.com/mattranphuninh.qn", "{changed}");
        assert_eq!(page["status"], "REPORTED");
        let queue = app.data_as(&province, QUEUE, json!({})).await;
        assert_eq!(queue["pagesAwaitingVerification"]["totalCount"], 1);

        let history = app.data_as(&district, PAGE, json!({ "id": id })).await;
        let actions: Vec<&str> = history["node"]["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|e| e["action"].as_str().expect("action"))
            .collect();
        assert_eq!(actions, ["create", "report", "verify", "update"]);
        assert_eq!(history["node"]["history"][3]["fromStatus"], "VERIFIED");
        assert_eq!(history["node"]["history"][3]["toStatus"], "REPORTED");
        assert_eq!(history["node"]["history"][3]["toStatusLabel"], "Đã báo cáo");
        assert_eq!(history["node"]["history"][2]["actionLabel"], "Xác nhận");
        assert_eq!(history["node"]["history"][2]["actorName"], "Ban Thường trực UBMTTQ tỉnh Quảng Nam");
    }
}

db_test! {
    async fn a_commune_operator_cannot_see_or_touch_a_sibling_page(app: TestApp) {
        let (_, _, tam_thanh, tam_dan) = officers(&app).await;
        let created = create_page(&app, &tam_dan, json!({
            "unitCode": "20392",
            "name": "Mặt trận Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)",
            "url": "https://www.facebook.com/mattrantamdan",
        })).await;
        let id = created["page"]["id"].as_str().expect("page id").to_owned();
        // A well-formed id of a page that does not exist.
        let missing = {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("Page:{}", uuid::Uuid::now_v7()))
        };
        for target in [&id, &missing] {
            let read = app.graphql_as(Some(&tam_thanh), PAGE, json!({ "id": target })).await;
            assert_eq!(error_code(&read), "NOT_FOUND", "{read}");
            let edit = app
                .graphql_as(Some(&tam_thanh), UPDATE_PAGE, json!({ "input": { "pageId": target, "expectedVersion": 1, "name": "x" } }))
                .await;
            assert_eq!(error_code(&edit), "NOT_FOUND", "{edit}");
            for name in ["reportPage", "closePage"] {
                let body = step(&app, &tam_thanh, name, json!({ "pageId": target })).await;
                assert_eq!(error_code(&body), "NOT_FOUND", "{name}: {body}");
            }
            // The messages are the same too: nothing tells the two apart.
            assert_eq!(read["errors"][0]["message"], "Không tìm thấy.");
        }
        let created = app
            .graphql_as(Some(&tam_thanh), CREATE_PAGE, json!({ "input": { "unitCode": "20392", "name": "x" } }))
            .await;
        assert_eq!(error_code(&created), "NOT_FOUND");
        let listed = app
            .data_as(&tam_thanh, "{ pages { totalCount } }", json!({}))
            .await;
        assert_eq!(listed["pages"]["totalCount"], 0);
        let people = app
            .graphql_as(Some(&tam_thanh), "{ people(unitCode: \"20392\") { totalCount } }", json!({}))
            .await;
        assert_eq!(error_code(&people), "NOT_FOUND");
    }
}

db_test! {
    async fn page_names_are_checked_against_the_prescribed_name(app: TestApp) {
        let check = "query ($name: String!) { checkPageName(unitCode: \"20341\", name: $name) { conforms expected problems } }";
        let expected = "Mặt trận Phường An Mỹ (thành phố Tam Kỳ, tỉnh Quảng Nam)";
        let nfd = nfd(expected);
        assert_ne!(nfd, expected);
        for name in [expected, nfd.as_str(), "mặt trận  phường an mỹ (Thành phố Tam Kỳ, tỉnh Quảng Nam)"] {
            let data = app.data(check, json!({ "name": name })).await;
            assert_eq!(data["checkPageName"]["conforms"], true, "{name}: {data}");
            assert_eq!(data["checkPageName"]["expected"], expected);
        }
        let data = app
            .data(check, json!({ "name": "Mat tran Phuong An My (thanh pho Tam Ky, tinh Quang Nam)" }))
            .await;
        assert_eq!(data["checkPageName"]["conforms"], false);
        assert!(data["checkPageName"]["problems"][0].as_str().expect("problem").starts_with("Thiếu dấu tiếng Việt"));
        let data = app.data(check, json!({ "name": "Mặt trận Phường An Mỹ" })).await;
        assert_eq!(
            data["checkPageName"]["problems"],
            json!(["Thiếu phần trong ngoặc: (thành phố Tam Kỳ, tỉnh Quảng Nam)."])
        );
        let statuses = app.data("{ pageStatuses { status label } }", json!({})).await;
        assert_eq!(statuses["pageStatuses"][2], json!({ "status": "REPORTED", "label": "Đã báo cáo" }));
        assert_eq!(statuses["pageStatuses"].as_array().map(Vec::len), Some(7));
        let url = "query ($url: String!) { checkPageUrl(url: $url) { valid url problem code } }";
        let data = app.data(url, json!({ "url": "https://m.facebook.com/mattranphuninh?mibextid=abc" })).await;
        assert_eq!(data["checkPageUrl"]["url"], "https://www.facebook.com/mattranphuninh");
        let data = app.data(url, json!({ "url": "https://www.facebook.com/groups/123456" })).await;
        assert_eq!(data["checkPageUrl"]["valid"], false);
        assert_eq!(data["checkPageUrl"]["code"], "PAGE_URL_IS_GROUP");
        let unknown = app.graphql(check.replace("20341", "99999").as_str(), json!({ "name": "x" })).await;
        assert_eq!(error_code(&unknown), "NOT_FOUND");
    }
}

db_test! {
    async fn the_registry_refuses_a_second_page_a_taken_link_a_stale_edit_and_a_return_without_reason(app: TestApp) {
        let (province, district, _, tam_dan) = officers(&app).await;
        let first = create_page(&app, &district, json!({
            "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)", "url": "https://facebook.com/mattranphuninh",
        })).await;
        let id = first["page"]["id"].as_str().expect("id").to_owned();
        let second = create_page(&app, &district, json!({
            "unitCode": "518", "name": "Mặt trận Phú Ninh", "url": "https://facebook.com/other.page",
        })).await;
        assert_eq!(second["userErrors"][0]["code"], "PAGE_EXISTS", "{second}");
        let taken = create_page(&app, &tam_dan, json!({
            "unitCode": "20392", "name": "Mặt trận Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)",
            "url": "https://web.facebook.com/MatTranPhuNinh/?fbclid=x",
        })).await;
        assert_eq!(taken["userErrors"][0]["code"], "URL_TAKEN", "{taken}");
        assert_eq!(taken["userErrors"][0]["field"], "url");
        // Facebook counts neither periods nor case in a username: the same Page.
        let dotted = create_page(&app, &tam_dan, json!({
            "unitCode": "20392", "name": "Mặt trận Xã Tam Dân (huyện Phú Ninh, tỉnh Quảng Nam)",
            "url": "https://www.facebook.com/Mat.Tran.Phu.Ninh",
        })).await;
        assert_eq!(dotted["userErrors"][0]["code"], "URL_TAKEN", "{dotted}");
        let bad = create_page(&app, &tam_dan, json!({
            "unitCode": "20392", "name": "  ", "url": "https://www.facebook.com/groups/123456",
        })).await;
        let fields: Vec<&str> = bad["userErrors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().expect("field")).collect();
        assert_eq!(fields, ["name", "url"], "{bad}");

        let edited = app
            .data_as(&district, UPDATE_PAGE, json!({ "input": { "pageId": id, "expectedVersion": 1, "notes": "Ghi chú" } }))
            .await;
        assert_eq!(edited["updatePage"]["page"]["version"], 2);
        let stale = app
            .data_as(&district, UPDATE_PAGE, json!({ "input": { "pageId": id, "expectedVersion": 1, "notes": "Ghi đè" } }))
            .await;
        assert_eq!(stale["updatePage"]["userErrors"][0]["code"], "STALE_VERSION", "{stale}");

        step(&app, &district, "reportPage", json!({ "pageId": id })).await;
        let no_reason = step(&app, &province, "returnPage", json!({ "pageId": id, "reason": "  " })).await;
        assert_eq!(no_reason["data"]["returnPage"]["userErrors"][0]["code"], "REASON_REQUIRED", "{no_reason}");
        let returned = step(&app, &province, "returnPage", json!({ "pageId": id, "reason": "Tên trang chưa đúng quy định" })).await;
        assert_eq!(returned["data"]["returnPage"]["page"]["status"], "RETURNED", "{returned}");
        let again = step(&app, &province, "verifyPage", json!({ "pageId": id })).await;
        assert_eq!(again["data"]["verifyPage"]["userErrors"][0]["code"], "INVALID_TRANSITION", "{again}");
        // An operator of the unit cannot close its page; an admin above can, and reopen it.
        let closed = step(&app, &province, "closePage", json!({ "pageId": id })).await;
        assert_eq!(closed["data"]["closePage"]["page"]["status"], "CLOSED", "{closed}");
        let replacement = create_page(&app, &district, json!({
            "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)",
        })).await;
        assert_eq!(replacement["page"]["status"], "DRAFT", "{replacement}");
        let reopened = step(&app, &province, "reopenPage", json!({ "pageId": id })).await;
        assert_eq!(reopened["data"]["reopenPage"]["userErrors"][0]["code"], "PAGE_EXISTS", "{reopened}");
    }
}

db_test! {
    async fn staff_must_be_of_the_unit_and_a_duty_holder_cannot_be_removed(app: TestApp) {
        let (_, district, _, tam_dan) = officers(&app).await;
        let page = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)" })).await;
        let page_id = page["page"]["id"].as_str().expect("id").to_owned();
        let ours = add_person(&app, &district, "518", "Lê Văn Cường", "0236 3812 345").await;
        let theirs = add_person(&app, &tam_dan, "20392", "Phạm Thị Dung", "0912345678").await;
        let foreign = app
            .data_as(&district, ASSIGN, json!({ "input": { "pageId": page_id, "personId": theirs, "duty": "LEADER" } }))
            .await;
        assert_eq!(foreign["assignPerson"]["userErrors"][0]["code"], "PERSON_NOT_OF_UNIT", "{foreign}");
        let assigned = app
            .data_as(&district, ASSIGN, json!({ "input": { "pageId": page_id, "personId": ours, "duty": "OPERATOR" } }))
            .await;
        assert_eq!(assigned["assignPerson"]["page"]["operator"]["fullName"], "Lê Văn Cường");
        assert_eq!(assigned["assignPerson"]["page"]["staffingComplete"], false);
        let vacancies = app
            .data_as(&district, "{ pages(staffing: INCOMPLETE) { totalCount } complete: pages(staffing: COMPLETE) { totalCount } }", json!({}))
            .await;
        assert_eq!(vacancies["pages"]["totalCount"], 1);
        assert_eq!(vacancies["complete"]["totalCount"], 0);
        let removed = app
            .data_as(&district, "mutation ($id: ID!) { removePerson(input: { personId: $id }) { person { id } userErrors { code } } }", json!({ "id": ours }))
            .await;
        assert_eq!(removed["removePerson"]["userErrors"][0]["code"], "PERSON_HOLDS_DUTY", "{removed}");
        let bad_phone = app
            .data_as(&district, CREATE_PERSON, json!({ "input": { "unitCode": "518", "fullName": "Võ Văn E", "position": "Cán bộ", "phone": "12345" } }))
            .await;
        assert_eq!(bad_phone["createPerson"]["userErrors"][0]["field"], "phone", "{bad_phone}");
    }
}

db_test! {
    async fn every_page_change_is_audited_with_its_actor_unit_and_request(app: TestApp) {
        use sea_orm::{ConnectionTrait, Statement};
        let (_, district, _, _) = officers(&app).await;
        let created = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)" })).await;
        assert_eq!(created["userErrors"], json!([]));
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT action, unit_path, actor_unit_path, request_id, detail FROM audit_event WHERE target_type = 'page'",
            ))
            .await
            .expect("audit rows");
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.try_get::<String>("", "action").expect("action"), "page.create");
        assert_eq!(row.try_get::<String>("", "unit_path").expect("unit"), "/VN/49/518/");
        assert_eq!(row.try_get::<String>("", "actor_unit_path").expect("actor unit"), "/VN/49/518/");
        assert!(!row.try_get::<String>("", "request_id").expect("request id").is_empty());
        let detail: Value = serde_json::from_str(&row.try_get::<String>("", "detail").expect("detail")).expect("JSON");
        assert_eq!(detail["after"]["name"], "Mặt trận Phú Ninh (tỉnh Quảng Nam)");
    }
}

db_test! {
    async fn two_officers_racing_to_register_a_unit_page_get_one_page(app: TestApp) {
        let (_, district, _, _) = officers(&app).await;
        let attempts = (0..6).map(|i| {
            let (app, district) = (&app, &district);
            async move {
                create_page(app, district, json!({
                    "unitCode": "518",
                    "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)",
                    "url": format!("https://www.facebook.com/mattranphuninh{i}"),
                }))
                .await
            }
        });
        let results = futures_util::future::join_all(attempts).await;
        let created = results.iter().filter(|r| r["page"].is_object()).count();
        assert_eq!(created, 1, "{results:?}");
        for r in results.iter().filter(|r| r["page"].is_null()) {
            assert_eq!(r["userErrors"][0]["code"], "PAGE_EXISTS", "{r}");
        }
    }
}

const AUDIT: &str = r"
query ($unit: String, $action: String, $actor: String) {
  auditEvents(unitCode: $unit, action: $action, actorUsername: $actor, first: 50) {
    totalCount
    nodes { id action actionLabel targetType targetId unit { code } actorUsername actorName actorUnit { code } via requestId detail }
  }
}";

db_test! {
    async fn admins_read_the_audit_trail_of_their_subtree_and_nobody_else_does(app: TestApp) {
        let (province, district, tam_thanh, _) = officers(&app).await;
        let created = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)", "url": "https://www.facebook.com/mattranphuninh" })).await;
        let id = created["page"]["id"].as_str().expect("id").to_owned();
        step(&app, &district, "reportPage", json!({ "pageId": id })).await;
        step(&app, &province, "verifyPage", json!({ "pageId": id })).await;

        let trail = app.data_as(&province, AUDIT, json!({ "action": "page." })).await;
        let events = &trail["auditEvents"];
        assert_eq!(events["totalCount"], 3, "{trail}");
        let newest = &events["nodes"][0];
        assert_eq!(newest["action"], "page.verify");
        assert_eq!(newest["actionLabel"], "Xác nhận trang");
        assert_eq!(newest["targetId"], id.as_str());
        assert_eq!(newest["unit"]["code"], "518");
        assert_eq!(newest["actorUsername"], "quantri.quangnam");
        assert_eq!(newest["actorUnit"]["code"], "49");
        assert_eq!(newest["via"], "api");
        assert!(newest["requestId"].as_str().is_some_and(|r| !r.is_empty()));
        let detail: Value = serde_json::from_str(newest["detail"].as_str().expect("detail")).expect("JSON");
        assert_eq!(detail["after"]["status"], "VERIFIED");
        // The district sees its own events, but not who above it acted from where.
        let seen = app.data_as(&district, AUDIT, json!({ "actor": "quantri.quangnam" })).await;
        assert_eq!(seen["auditEvents"]["totalCount"], 1);
        assert_eq!(seen["auditEvents"]["nodes"][0]["actorUnit"], json!(null));
        let by_node = app
            .data_as(&district, "query ($id: ID!) { node(id: $id) { ... on AuditEvent { action } } }", json!({ "id": newest["id"] }))
            .await;
        assert_eq!(by_node["node"]["action"], "page.verify");
        // An operator reads no trail; another branch's trail does not exist for an admin.
        let denied = app.graphql_as(Some(&tam_thanh), AUDIT, json!({})).await;
        assert_eq!(error_code(&denied), "FORBIDDEN");
        let other = app.graphql_as(Some(&district), AUDIT, json!({ "unit": "502" })).await;
        assert_eq!(error_code(&other), "NOT_FOUND");
        let nobody = app.data_as(&province, AUDIT, json!({ "actor": "khong.ton.tai" })).await;
        assert_eq!(nobody["auditEvents"]["totalCount"], 0);
        // Passwords never appear in it.
        let all = app.data_as(&province, AUDIT, json!({})).await.to_string();
        assert!(!all.contains("mk-"), "no password in the trail");
    }
}

db_test! {
    async fn an_import_that_renames_a_district_checks_its_page_names_again(app: TestApp) {
        let (_, district, _, _) = officers(&app).await;
        create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)" })).await;
        let count = "{ conforming: pages(conforms: true) { totalCount } breaking: pages(conforms: false) { totalCount nodes { nameCheck { expected } } } }";
        let before = app.data_as(&district, count, json!({})).await;
        assert_eq!(before["conforming"]["totalCount"], 1);
        let renamed = tests::fixture_csv().replace("518,Phú Ninh,Huyện", "518,Phú Ninh Mới,Huyện");
        let rows = store::import::parse_csv(renamed.as_bytes()).expect("CSV");
        app::units::import_list(&app.db, &rows, store::import::ImportOptions::default(), None, |_| {})
            .await
            .expect("imported");
        let after = app.data_as(&district, count, json!({})).await;
        assert_eq!(after["conforming"]["totalCount"], 0, "{after}");
        assert_eq!(after["breaking"]["totalCount"], 1);
        assert_eq!(after["breaking"]["nodes"][0]["nameCheck"]["expected"], "Mặt trận Phú Ninh Mới (tỉnh Quảng Nam)");
    }
}

db_test! {
    async fn who_may_do_what_to_a_page_follows_the_policy(app: TestApp) {
        let (province, district, tam_thanh, _) = officers(&app).await;
        app.add_account("xem.phuninh", Role::Viewer, "518").await;
        app.add_account("vanhanh.phuninh", Role::Operator, "518").await;
        let viewer = app.token_for("xem.phuninh").await;
        let operator = app.token_for("vanhanh.phuninh").await;
        let input = json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)", "url": "https://www.facebook.com/mattranphuninh" });
        // A viewer reads but does not write; an admin above writes only its own unit's page.
        for (token, code) in [(&viewer, "FORBIDDEN"), (&province, "FORBIDDEN"), (&tam_thanh, "NOT_FOUND")] {
            let body = app.graphql_as(Some(token), CREATE_PAGE, json!({ "input": input })).await;
            assert_eq!(error_code(&body), code, "{body}");
        }
        let created = create_page(&app, &operator, input).await;
        let id = created["page"]["id"].as_str().expect("id").to_owned();
        let can = |token: &str| {
            let (app, id) = (&app, id.clone());
            let token = token.to_owned();
            async move { app.data_as(&token, PAGE, json!({ "id": id })).await["node"]["viewerCan"].clone() }
        };
        assert_eq!(can(&viewer).await, json!({ "update": false, "report": false, "verify": false, "returnPage": false, "suspend": false, "close": false, "reopen": false }));
        assert_eq!(can(&operator).await, json!({ "update": true, "report": true, "verify": false, "returnPage": false, "suspend": false, "close": false, "reopen": false }));
        assert_eq!(can(&district).await, json!({ "update": true, "report": true, "verify": false, "returnPage": false, "suspend": true, "close": true, "reopen": false }));
        assert_eq!(can(&province).await, json!({ "update": false, "report": false, "verify": false, "returnPage": false, "suspend": true, "close": true, "reopen": false }));
        // The operator closes nothing; the viewer reports nothing.
        assert_eq!(error_code(&step(&app, &operator, "closePage", json!({ "pageId": id })).await), "FORBIDDEN");
        assert_eq!(error_code(&step(&app, &viewer, "reportPage", json!({ "pageId": id })).await), "FORBIDDEN");
        step(&app, &operator, "reportPage", json!({ "pageId": id })).await;
        assert_eq!(can(&province).await["verify"], true);
        assert_eq!(can(&district).await["verify"], false, "its own unit's page");
        // A page id given as another kind of object's id is nothing.
        let unit_id = app.data_as(&province, "{ unit(code: \"518\") { id } }", json!({})).await["unit"]["id"].clone();
        let wrong = step(&app, &province, "verifyPage", json!({ "pageId": unit_id })).await;
        assert_eq!(error_code(&wrong), "NOT_FOUND");
    }
}

db_test! {
    async fn hostile_page_input_is_refused_with_a_code_and_nothing_written(app: TestApp) {
        let (_, district, _, _) = officers(&app).await;
        let huge = "Mặt trận ".repeat(20_000);
        let body = create_page(&app, &district, json!({ "unitCode": "518", "name": huge, "notes": "x".repeat(50_000) })).await;
        let codes: Vec<&str> = body["userErrors"].as_array().expect("errors").iter().map(|e| e["code"].as_str().expect("code")).collect();
        assert_eq!(codes, ["INVALID_PAGE_NAME", "TEXT_TOO_LONG"], "{body}");
        // NUL bytes are refused before anything runs.
        let nul = app
            .graphql_as(Some(&district), CREATE_PAGE, json!({ "input": { "unitCode": "518", "name": "x", "url": "https://www.facebook.com/mattran\u{0}phuninh" } }))
            .await;
        assert_eq!(error_code(&nul), "VALIDATION", "{nul}");
        for url in ["javascript:alert(1)", "https://facebook.com.evil.vn/mattranphuninh", "https://user@facebook.com/mattranphuninh"] {
            let body = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)", "url": url })).await;
            assert_eq!(body["userErrors"][0]["field"], "url", "{url}: {body}");
        }
        let body = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận\u{202e} Phú Ninh" })).await;
        assert_eq!(body["userErrors"][0]["code"], "INVALID_PAGE_NAME");
        let body = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh", "establishedOn": "2999-01-01" })).await;
        assert_eq!(body["userErrors"][0]["code"], "DATE_IN_FUTURE");
        let bad_date = app.graphql_as(Some(&district), CREATE_PAGE, json!({ "input": { "unitCode": "518", "name": "x", "establishedOn": "20/12/2021" } })).await;
        assert!(bad_date["errors"][0]["message"].as_str().expect("message").contains("YYYY-MM-DD"), "{bad_date}");
        let listed = app.data_as(&district, "{ pages { totalCount } }", json!({})).await;
        assert_eq!(listed["pages"]["totalCount"], 0, "nothing was written");
        // Garbage ids and cursors are nothing, not errors of the server.
        for id in ["", "bm90IGFuIGlk", "UGFnZTo=", "%00"] {
            let body = step(&app, &district, "reportPage", json!({ "pageId": id })).await;
            assert_eq!(error_code(&body), "NOT_FOUND", "{id}: {body}");
        }
        let body = app.graphql_as(Some(&district), "{ pages(after: \"bm9wZQ\") { totalCount } }", json!({})).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
        let name = "x".repeat(600);
        let body = app.graphql_as(Some(&district), "query ($n: String!) { checkPageName(unitCode: \"518\", name: $n) { conforms } }", json!({ "n": name })).await;
        assert!(body["errors"].is_array(), "a name of 600 characters is refused: {body}");
    }
}

db_test! {
    async fn an_officer_removed_while_being_assigned_never_ends_up_holding_the_duty(app: TestApp) {
        use sea_orm::{ConnectionTrait, Statement};
        let (_, district, _, _) = officers(&app).await;
        let page = create_page(&app, &district, json!({ "unitCode": "518", "name": "Mặt trận Phú Ninh (tỉnh Quảng Nam)" })).await;
        let page_id = page["page"]["id"].as_str().expect("id").to_owned();
        for round in 0..8 {
            let person = add_person(&app, &district, "518", "Cán Bộ Thử", &format!("090512345{round}")).await;
            let assign = app.graphql_as(Some(&district), ASSIGN, json!({ "input": { "pageId": page_id, "personId": person, "duty": "OPERATOR" } }));
            let remove = app.graphql_as(
                Some(&district),
                "mutation ($id: ID!) { removePerson(input: { personId: $id }) { person { id } userErrors { code } } }",
                json!({ "id": person }),
            );
            let (assigned, removed) = futures_util::join!(assign, remove);
            // One of the two wins; the other is refused cleanly, never with INTERNAL.
            for body in [&assigned, &removed] {
                if let Some(errors) = body["errors"].as_array() {
                    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND", "{body}");
                }
            }
        }
        let rows = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM assignment a JOIN person p ON p.id = a.person_id \
                 WHERE a.ends_on IS NULL AND p.removed_at IS NOT NULL",
            ))
            .await
            .expect("query")
            .expect("row");
        assert_eq!(rows.try_get::<i64>("", "n").expect("n"), 0, "a removed officer holds a duty");
    }
}
