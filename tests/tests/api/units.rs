use serde_json::json;
use tests::{db_test, error_code};

const UNIT_WITH_ANCESTORS: &str = r"
query ($code: String!) {
  unit(code: $code) { id code name kind level fullName parent { code } ancestors { code fullName } }
}";

const UNITS: &str = r"
query ($parentCode: String, $level: UnitLevel, $search: String, $first: Int, $after: String) {
  units(parentCode: $parentCode, level: $level, search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { code fullName level } }
  }
}";

fn codes(data: &serde_json::Value) -> Vec<String> {
    data["units"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["code"].as_str().expect("code").to_owned())
        .collect()
}

db_test! {
    async fn unit_by_code_returns_phuong_an_my_with_its_ancestors(app: TestApp) {
        let data = app.data(UNIT_WITH_ANCESTORS, json!({ "code": "20341" })).await;
        let unit = &data["unit"];
        assert_eq!(unit["fullName"], "Phường An Mỹ");
        assert_eq!(unit["name"], "An Mỹ");
        assert_eq!(unit["kind"], "Phường");
        assert_eq!(unit["level"], "COMMUNE");
        assert_eq!(unit["parent"]["code"], "502");
        assert_eq!(
            unit["ancestors"],
            json!([
                { "code": "49", "fullName": "Tỉnh Quảng Nam" },
                { "code": "502", "fullName": "Thành phố Tam Kỳ" }
            ])
        );
    }
}

db_test! {
    async fn a_province_hangs_under_the_national_root(app: TestApp) {
        let data = app.data(UNIT_WITH_ANCESTORS, json!({ "code": "49" })).await;
        assert_eq!(data["unit"]["ancestors"], json!([]));
        assert_eq!(data["unit"]["parent"]["code"], "VN");
        let root = app.data("{ unit(code: \"VN\") { fullName level parent { code } } }", json!({})).await;
        assert_eq!(root["unit"]["fullName"], "Ủy ban Trung ương MTTQ Việt Nam");
        assert_eq!(root["unit"]["level"], "CENTRAL");
        assert_eq!(root["unit"]["parent"], json!(null));
    }
}

db_test! {
    async fn an_unknown_code_answers_not_found(app: TestApp) {
        for code in ["99999", "", "49'; --", "%"] {
            let body = app.graphql(UNIT_WITH_ANCESTORS, json!({ "code": code })).await;
            assert_eq!(error_code(&body), "NOT_FOUND", "{code:?}");
        }
    }
}

db_test! {
    async fn search_ignores_case_and_diacritics(app: TestApp) {
        for search in ["phu ninh", "Phú Ninh", "PHU NINH", "PHÚ NINH", "  phú   ninh "] {
            let data = app.data(UNITS, json!({ "search": search })).await;
            assert_eq!(codes(&data), ["518"], "{search:?}");
        }
        let data = app.data(UNITS, json!({ "search": "tam ky" })).await;
        assert_eq!(data["units"]["edges"][0]["node"]["fullName"], "Thành phố Tam Kỳ");
    }
}

db_test! {
    async fn search_treats_like_wildcards_as_text(app: TestApp) {
        let data = app.data(UNITS, json!({ "search": "%" })).await;
        assert_eq!(data["units"]["totalCount"], 0);
        let data = app.data(UNITS, json!({ "search": "_" })).await;
        assert_eq!(data["units"]["totalCount"], 0);
    }
}

db_test! {
    async fn search_finds_a_unit_by_its_code(app: TestApp) {
        let data = app.data(UNITS, json!({ "search": "20341" })).await;
        assert_eq!(codes(&data), ["20341"]);
    }
}

db_test! {
    async fn children_of_phu_ninh_are_its_ten_communes(app: TestApp) {
        let data = app.data(UNITS, json!({ "parentCode": "518", "first": 100 })).await;
        assert_eq!(data["units"]["totalCount"], 10);
        assert!(codes(&data).contains(&"20392".to_owned()), "Xã Tam Dân is there");
        let data = app
            .data("{ unit(code: \"518\") { children(first: 3) { totalCount nodes { code } } } }", json!({}))
            .await;
        assert_eq!(data["unit"]["children"]["totalCount"], 10);
        assert_eq!(data["unit"]["children"]["nodes"].as_array().map(Vec::len), Some(3));
    }
}

db_test! {
    async fn pages_cover_the_list_once_in_order(app: TestApp) {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = app.data(UNITS, json!({ "parentCode": "49", "first": 5, "after": after })).await;
            assert_eq!(data["units"]["totalCount"], 17, "Quảng Nam had 17 districts in 2025-01");
            seen.extend(codes(&data));
            if !data["units"]["pageInfo"]["hasNextPage"].as_bool().expect("bool") {
                break;
            }
            after = data["units"]["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted, "in code order, without duplicates");
        assert_eq!(seen.len(), 17);
    }
}

db_test! {
    async fn levels_filter_the_list(app: TestApp) {
        let data = app.data(UNITS, json!({ "level": "PROVINCE" })).await;
        assert_eq!(codes(&data), ["48", "49"]);
        let data = app.data(UNITS, json!({ "level": "DISTRICT", "search": "tam ky" })).await;
        assert_eq!(codes(&data), ["502"]);
    }
}

db_test! {
    async fn page_size_and_cursor_are_validated(app: TestApp) {
        for first in [0, 101, -1] {
            let body = app.graphql(UNITS, json!({ "first": first })).await;
            assert_eq!(error_code(&body), "VALIDATION", "first = {first}");
        }
        let body = app.graphql(UNITS, json!({ "after": "not a cursor" })).await;
        assert_eq!(error_code(&body), "VALIDATION");
        let body = app.graphql(UNITS, json!({ "parentCode": "00000" })).await;
        assert_eq!(error_code(&body), "NOT_FOUND");
    }
}

db_test! {
    async fn node_fetches_a_unit_by_its_global_id(app: TestApp) {
        let data = app.data(UNIT_WITH_ANCESTORS, json!({ "code": "518" })).await;
        let id = data["unit"]["id"].as_str().expect("id").to_owned();
        let node = app
            .data("query ($id: ID!) { node(id: $id) { id ... on Unit { code fullName } } }", json!({ "id": id }))
            .await;
        assert_eq!(node["node"]["code"], "518");
        assert_eq!(node["node"]["fullName"], "Huyện Phú Ninh");
        assert_eq!(node["node"]["id"], id.as_str());
        for bad in ["garbage", "VW5pdDpub3QtYS11dWlk", "VW5pdDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"] {
            let body = app.graphql("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": bad })).await;
            assert_eq!(error_code(&body), "NOT_FOUND", "{bad}");
        }
    }
}

db_test! {
    async fn within_code_searches_a_units_whole_subtree_without_the_unit(app: TestApp) {
        let query = r"query ($within: String!, $search: String) {
            units(withinCode: $within, search: $search, first: 100) { totalCount nodes { code } }
        }";
        let data = app.data(query, json!({ "within": "49", "search": "tam thanh" })).await;
        let found: Vec<&str> = data["units"]["nodes"].as_array().expect("nodes").iter().map(|n| n["code"].as_str().expect("code")).collect();
        assert!(found.contains(&"20365"), "Xã Tam Thành is two levels below Quảng Nam: {found:?}");
        let data = app.data(query, json!({ "within": "49", "search": "20365" })).await;
        assert_eq!(data["units"]["totalCount"], 1);
        let data = app.data(query, json!({ "within": "518", "search": "" })).await;
        let count = data["units"]["totalCount"].as_u64().expect("count");
        assert!(count > 0 && data["units"]["nodes"].as_array().expect("nodes").iter().all(|n| n["code"] != "518"));
        let data = app.data(query, json!({ "within": "48", "search": "tam thanh" })).await;
        assert_eq!(data["units"]["totalCount"], 0, "Đà Nẵng has no Tam Thành");
    }
}

db_test! {
    async fn within_code_outside_the_viewers_subtree_answers_not_found(app: TestApp) {
        app.add_account("huyen.phuninh", domain::Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        for code in ["49", "502", "48", "99999"] {
            let body = app.graphql_as(Some(&token), "query ($c: String!) { units(withinCode: $c) { totalCount } }", json!({ "c": code })).await;
            assert_eq!(error_code(&body), "NOT_FOUND", "{code}");
        }
    }
}
