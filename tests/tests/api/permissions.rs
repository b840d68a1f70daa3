//! Object-level authorization, exhaustively: each role at a district and at a province,
//! against units at every position relative to it, through every query and mutation.

use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

use domain::Role;

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    NotFound,
    Forbidden,
}

fn outcome(body: &Value) -> Outcome {
    match body.get("errors") {
        None => Outcome::Ok,
        Some(_) => match error_code(body) {
            "NOT_FOUND" => Outcome::NotFound,
            "FORBIDDEN" => Outcome::Forbidden,
            other => panic!("unexpected error {other}: {body}"),
        },
    }
}

/// A unit relative to the actor, and whether it is in the actor's subtree.
struct Target {
    relation: &'static str,
    code: &'static str,
    inside: bool,
}

/// Targets seen from Huyện Phú Ninh (518) and from Tỉnh Quảng Nam (49).
fn targets(actor_unit: &str) -> Vec<Target> {
    let t = |relation, code, inside| Target {
        relation,
        code,
        inside,
    };
    match actor_unit {
        "518" => vec![
            t("own", "518", true),
            t("child", "20392", true),
            t("parent", "49", false),
            t("sibling", "502", false),
            t("sibling's child", "20341", false),
            t("another province", "48", false),
            t("a district of another province", "490", false),
        ],
        _ => vec![
            t("own", "49", true),
            t("child", "518", true),
            t("grandchild", "20392", true),
            t("parent", "VN", false),
            t("another province", "48", false),
            t("a commune of another province", "20194", false),
        ],
    }
}

const UNIT: &str = "query ($code: String!) { unit(code: $code) { code } }";
const NODE: &str = "query ($id: ID!) { node(id: $id) { id } }";
const CHILDREN: &str = "query ($code: String!) { units(parentCode: $code) { totalCount } }";
const SEARCH: &str =
    "query ($search: String!) { units(search: $search, first: 100) { nodes { code } } }";
const ACCOUNTS: &str =
    "query ($code: String!) { accounts(unitCode: $code) { nodes { username } } }";
const CREATE: &str = "mutation ($code: String!, $username: String!) { createAccount(input: { unitCode: $code, username: $username, displayName: \"Cán bộ\", role: VIEWER }) { account { id } userErrors { code } } }";
const UPDATE: &str = "mutation ($id: ID!) { updateAccount(input: { id: $id, displayName: \"Tên mới\" }) { account { id } } }";
const ENABLE: &str =
    "mutation ($id: ID!) { setAccountActive(input: { id: $id, active: true }) { account { id } } }";
const VIEWER_CAN_UNIT: &str =
    "query ($code: String!) { unit(code: $code) { viewerCan { readAccounts createAccount } } }";
const VIEWER_CAN_ACCOUNT: &str = "query ($id: ID!) { node(id: $id) { ... on Account { viewerCan { update disable resetPassword } } } }";
const RESET: &str = "mutation ($id: ID!) { resetPassword(input: { id: $id }) { oneTimePassword } }";

async fn unit_id(app: &TestApp, code: &str) -> String {
    app.data(
        UNIT.replace("{ code }", "{ id }").as_str(),
        json!({ "code": code }),
    )
    .await["unit"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn check_actor(app: &TestApp, actor_unit: &str, role: Role, accounts: &[(String, String)]) {
    let username = format!("actor.{actor_unit}.{}", role.as_str());
    app.add_account(&username, role, actor_unit).await;
    let token = app.token_for(&username).await;
    let run = |query: &'static str, vars: Value| {
        let token = token.clone();
        async move { outcome(&app.graphql_as(Some(&token), query, vars).await) }
    };
    for (n, target) in targets(actor_unit).into_iter().enumerate() {
        let ctx = format!(
            "{role:?} at {actor_unit} → {} ({})",
            target.relation, target.code
        );
        let visible = if target.inside {
            Outcome::Ok
        } else {
            Outcome::NotFound
        };
        let admin_only = match (target.inside, role) {
            (false, _) => Outcome::NotFound,
            (true, Role::Admin) => Outcome::Ok,
            (true, _) => Outcome::Forbidden,
        };
        let code = json!({ "code": target.code });
        assert_eq!(run(UNIT, code.clone()).await, visible, "unit: {ctx}");
        assert_eq!(
            run(NODE, json!({ "id": unit_id(app, target.code).await })).await,
            visible,
            "node(unit): {ctx}"
        );
        assert_eq!(
            run(CHILDREN, code.clone()).await,
            visible,
            "units(parentCode): {ctx}"
        );
        assert_eq!(
            run(ACCOUNTS, code.clone()).await,
            admin_only,
            "accounts: {ctx}"
        );
        let create = json!({ "code": target.code, "username": format!("moi.{actor_unit}.{}.{n}", role.as_str()) });
        assert_eq!(
            run(CREATE, create).await,
            admin_only,
            "createAccount: {ctx}"
        );

        let account = &accounts
            .iter()
            .find(|(code, _)| code == target.code)
            .expect("target account")
            .1;
        let id = json!({ "id": account });
        if target.inside {
            check_viewer_can(app, &token, &code, &id, admin_only == Outcome::Ok, &ctx).await;
        }
        assert_eq!(
            run(NODE, id.clone()).await,
            admin_only,
            "node(account): {ctx}"
        );
        assert_eq!(
            run(UPDATE, id.clone()).await,
            admin_only,
            "updateAccount: {ctx}"
        );
        assert_eq!(
            run(ENABLE, id.clone()).await,
            admin_only,
            "setAccountActive: {ctx}"
        );
        assert_eq!(run(RESET, id).await, admin_only, "resetPassword: {ctx}");
    }

    // Lists never leak: a search over the whole tree returns only the subtree.
    let token_ref = token.as_str();
    for search in ["tam", "hoa", "phu"] {
        let data = app
            .data_as(token_ref, SEARCH, json!({ "search": search }))
            .await;
        let inside: Vec<&str> = targets(actor_unit)
            .iter()
            .filter(|t| !t.inside)
            .map(|t| t.code)
            .collect();
        for node in data["units"]["nodes"].as_array().expect("nodes") {
            let code = node["code"].as_str().expect("code");
            assert!(
                !inside.contains(&code),
                "{role:?} at {actor_unit} found {code} searching {search}"
            );
        }
    }
}

/// What the API tells a client the viewer may do, at a unit of its subtree and to the viewer
/// account there, is what the matrix then finds allowed (`allowed`: the admin-only actions).
async fn check_viewer_can(
    app: &TestApp,
    token: &str,
    code: &Value,
    id: &Value,
    allowed: bool,
    ctx: &str,
) {
    let unit = app.data_as(token, VIEWER_CAN_UNIT, code.clone()).await;
    let can = &unit["unit"]["viewerCan"];
    assert_eq!(
        can["readAccounts"], allowed,
        "viewerCan.readAccounts: {ctx}"
    );
    assert_eq!(
        can["createAccount"], allowed,
        "viewerCan.createAccount: {ctx}"
    );
    if allowed {
        let account = app.data_as(token, VIEWER_CAN_ACCOUNT, id.clone()).await;
        for action in ["update", "disable", "resetPassword"] {
            assert_eq!(
                account["node"]["viewerCan"][action], true,
                "viewerCan.{action}: {ctx}"
            );
        }
    }
}

/// One viewer account at every target unit, to act on.
async fn target_accounts(app: &TestApp) -> Vec<(String, String)> {
    let mut accounts = Vec::new();
    for code in [
        "518", "20392", "49", "502", "20341", "48", "490", "VN", "20194",
    ] {
        let id = app
            .add_account(
                &format!("muctieu.{}", code.to_lowercase()),
                Role::Viewer,
                code,
            )
            .await;
        accounts.push((code.to_owned(), id));
    }
    accounts
}

macro_rules! matrix {
    ($name:ident, $unit:literal, $role:expr) => {
        db_test! {
            async fn $name(app: TestApp) {
                let accounts = target_accounts(&app).await;
                check_actor(&app, $unit, $role, &accounts).await;
            }
        }
    };
}

matrix!(district_admin_matrix, "518", Role::Admin);
matrix!(district_operator_matrix, "518", Role::Operator);
matrix!(district_viewer_matrix, "518", Role::Viewer);
matrix!(province_admin_matrix, "49", Role::Admin);
matrix!(province_operator_matrix, "49", Role::Operator);
matrix!(province_viewer_matrix, "49", Role::Viewer);

db_test! {
    async fn the_phu_ninh_admin_manages_its_communes_and_sees_nothing_else(app: TestApp) {
        app.add_account("huyen.phuninh", Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let data = app
            .data_as(&token, "{ units(parentCode: \"518\", first: 100) { totalCount nodes { code fullName } } }", json!({}))
            .await;
        assert_eq!(data["units"]["totalCount"], 10);
        let created = app
            .data_as(
                &token,
                "mutation { createAccount(input: { unitCode: \"20392\", username: \"xa.tamdan\", displayName: \"Nguyễn Văn A\", role: OPERATOR }) { account { username role unit { code } mustChangePassword } generatedPassword userErrors { code } } }",
                json!({}),
            )
            .await;
        let payload = &created["createAccount"];
        assert_eq!(payload["userErrors"], json!([]));
        assert_eq!(payload["account"], json!({ "username": "xa.tamdan", "role": "OPERATOR", "unit": { "code": "20392" }, "mustChangePassword": true }));
        let password = payload["generatedPassword"].as_str().expect("generated");
        assert_eq!(password.len(), 19);
        assert!(app.login("xa.tamdan", password).await["accessToken"].is_string());

        let body = app.graphql_as(Some(&token), "{ unit(code: \"502\") { code } }", json!({})).await;
        assert_eq!(error_code(&body), "NOT_FOUND");
        let own = app.data_as(&token, "{ unit(code: \"518\") { parent { code } ancestors { code } } }", json!({})).await;
        assert_eq!(own["unit"], json!({ "parent": null, "ancestors": [] }), "nothing above its own unit");
    }
}

db_test! {
    async fn the_province_admin_sees_its_17_districts_and_nothing_of_another_province(app: TestApp) {
        app.add_account("tinh.quangnam", Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let data = app.data_as(&token, "{ units(level: DISTRICT) { totalCount } }", json!({})).await;
        assert_eq!(data["units"]["totalCount"], 17);
        let data = app.data_as(&token, "{ units(search: \"da nang\") { totalCount } }", json!({})).await;
        assert_eq!(data["units"]["totalCount"], 0);
        let data = app.data_as(&token, "{ units(first: 100, level: PROVINCE) { nodes { code } } }", json!({})).await;
        assert_eq!(data["units"]["nodes"], json!([{ "code": "49" }]));
    }
}

db_test! {
    async fn an_admin_cannot_disable_demote_or_reset_itself(app: TestApp) {
        let id = app.add_account("tinh.quangnam", Role::Admin, "49").await;
        let token = app.token_for("tinh.quangnam").await;
        let demote = "mutation ($id: ID!) { updateAccount(input: { id: $id, role: VIEWER }) { account { role } } }";
        let disable = "mutation ($id: ID!) { setAccountActive(input: { id: $id, active: false }) { account { active } } }";
        for query in [demote, disable, RESET] {
            let body = app.graphql_as(Some(&token), query, json!({ "id": id })).await;
            assert_eq!(error_code(&body), "FORBIDDEN", "{query}");
        }
        let rename = "mutation ($id: ID!) { updateAccount(input: { id: $id, displayName: \"Văn phòng tỉnh\" }) { account { displayName } } }";
        let data = app.data_as(&token, rename, json!({ "id": id })).await;
        assert_eq!(data["updateAccount"]["account"]["displayName"], "Văn phòng tỉnh");
    }
}

db_test! {
    async fn create_account_reports_every_bad_field(app: TestApp) {
        let query = "mutation ($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { field code message } } }";
        let input = json!({ "input": { "unitCode": "518", "username": "có dấu", "displayName": "  ", "role": "VIEWER", "password": "ngan" } });
        let data = app.data(query, input).await;
        let fields: Vec<&str> = data["createAccount"]["userErrors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().expect("field"))
            .collect();
        assert_eq!(fields, ["username", "displayName"]);
        assert_eq!(data["createAccount"]["account"], json!(null));

        let input = |username: &str| json!({ "input": { "unitCode": "518", "username": username, "displayName": "Cán bộ", "role": "VIEWER", "password": "đủ dài rồi" } });
        assert_eq!(app.data(query, input("can.bo")).await["createAccount"]["userErrors"], json!([]));
        let taken = app.data(query, input("Can.Bo")).await;
        assert_eq!(taken["createAccount"]["userErrors"][0]["code"], "USERNAME_TAKEN");
        let short = json!({ "input": { "unitCode": "518", "username": "can.bo2", "displayName": "Cán bộ", "role": "VIEWER", "password": "ngan" } });
        assert_eq!(app.data(query, short).await["createAccount"]["userErrors"][0]["field"], "password");
    }
}

db_test! {
    async fn viewer_can_tells_an_admin_what_it_may_do_to_itself_and_a_peer(app: TestApp) {
        app.add_account("huyen.phuninh", Role::Admin, "518").await;
        let peer = app.add_account("huyen.phuninh.2", Role::Admin, "518").await;
        let token = app.token_for("huyen.phuninh").await;
        let fields = "viewerCan { update changeRole assignableRoles disable enable resetPassword }";
        let me = app.data_as(&token, &format!("{{ me {{ {fields} }} }}"), json!({})).await;
        assert_eq!(
            me["me"]["viewerCan"],
            json!({ "update": true, "changeRole": false, "assignableRoles": ["ADMIN"], "disable": false, "enable": false, "resetPassword": false })
        );
        let query = format!("query ($id: ID!) {{ node(id: $id) {{ ... on Account {{ {fields} }} }} }}");
        let them = app.data_as(&token, &query, json!({ "id": peer })).await;
        assert_eq!(
            them["node"]["viewerCan"],
            json!({ "update": true, "changeRole": false, "assignableRoles": ["ADMIN"], "disable": false, "enable": false, "resetPassword": false }),
            "a peer admin is in the hands of the admins above"
        );
        let unit = app
            .data_as(&token, "{ unit(code: \"518\") { viewerCan { readAccounts createAccount assignableRoles write approve } } }", json!({}))
            .await;
        assert_eq!(
            unit["unit"]["viewerCan"],
            json!({ "readAccounts": true, "createAccount": true, "assignableRoles": ["VIEWER", "OPERATOR", "ADMIN"], "write": true, "approve": false })
        );
    }
}

db_test! {
    async fn a_sign_in_answers_what_the_new_viewer_may_do(app: TestApp) {
        app.add_account("huyen.phuninh", Role::Admin, "518").await;
        let query = "mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { account { viewerCan { update resetPassword } unit { viewerCan { readAccounts createAccount } } } userErrors { code } } }";
        let body = app
            .graphql_as(None, query, json!({ "u": "huyen.phuninh", "p": tests::password_of("huyen.phuninh") }))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        let account = &body["data"]["login"]["account"];
        assert_eq!(account["viewerCan"], json!({ "update": true, "resetPassword": false }));
        assert_eq!(account["unit"]["viewerCan"], json!({ "readAccounts": true, "createAccount": true }));
    }
}
