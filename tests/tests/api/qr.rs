//! The QR code of a page's link, for the poster on a commune's notice board: it reads back as
//! exactly the page's canonical link, as a PNG and as an SVG; it follows the same bearer token
//! and subtree rule as the API; anything that is not a readable page with a link is a 404.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, db_test, error_code};

const CREATE_PAGE: &str = r"
mutation ($input: CreatePageInput!) {
  createPage(input: $input) { page { id name url status } userErrors { field code message } }
}";

/// An admin at Phú Ninh (518), one at Tam Kỳ (502, another branch) and one at Quảng Nam (49,
/// above both); their tokens in that order.
async fn officers(app: &TestApp) -> (String, String, String) {
    app.add_account("quantri.phuninh", Role::Admin, "518").await;
    app.add_account("quantri.tamky", Role::Admin, "502").await;
    app.add_account("quantri.quangnam", Role::Admin, "49").await;
    (
        app.token_for("quantri.phuninh").await,
        app.token_for("quantri.tamky").await,
        app.token_for("quantri.quangnam").await,
    )
}

/// Registers the page of `unit` under its expected name, with this link or none (a draft);
/// returns the page as the API gives it.
async fn create_page(app: &TestApp, token: &str, unit: &str, url: Option<&str>) -> Value {
    let expected = app
        .data_as(
            token,
            "query ($c: String!) { unit(code: $c) { expectedPageName } }",
            json!({ "c": unit }),
        )
        .await;
    let name = expected["unit"]["expectedPageName"]
        .as_str()
        .expect("expected name");
    let created = app
        .data_as(
            token,
            CREATE_PAGE,
            json!({ "input": { "unitCode": unit, "name": name, "url": url } }),
        )
        .await;
    assert_eq!(created["createPage"]["userErrors"], json!([]), "{created}");
    created["createPage"]["page"].clone()
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

/// What a QR decoder reads in a greyscale image, `width` pixels a row.
fn read_qr(width: usize, height: usize, grey: &[u8]) -> String {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    let (_, content) = grids[0].decode().expect("the code decodes");
    content
}

/// Decodes a PNG to 8-bit greyscale: (width, height, pixels).
fn decode_png(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a real PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!(frame.color_type, png::ColorType::Grayscale, "{frame:?}");
    assert_eq!(frame.bit_depth, png::BitDepth::Eight, "{frame:?}");
    let (w, h) = (frame.width as usize, frame.height as usize);
    buf.truncate(frame.buffer_size());
    (w, h, buf)
}

/// A minimal well-formedness check: every tag closed in order, quotes balanced; the names
/// of the elements, in order.
fn elements(svg: &str) -> Vec<String> {
    let mut open: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        assert!(
            rest[..start].trim().is_empty(),
            "no text content: {:?}",
            &rest[..start]
        );
        let end = rest[start..].find('>').expect("the tag ends") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "quotes balanced in <{tag}>"
        );
        if tag.starts_with('?') {
            assert!(names.is_empty(), "the XML declaration comes first");
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(
                open.pop().as_deref(),
                Some(closing),
                "</{closing}> closes what is open"
            );
            continue;
        }
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .expect("a name")
            .to_owned();
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()),
            "<{tag}>"
        );
        assert!(names.is_empty() || !open.is_empty(), "one root element");
        names.push(name.clone());
        if !tag.ends_with('/') {
            open.push(name);
        }
    }
    assert!(rest.trim().is_empty(), "nothing after the root: {rest:?}");
    assert!(open.is_empty(), "{open:?} left open");
    names
}

/// The value of attribute `name` in `tag`'s text.
fn attribute<'a>(svg: &'a str, element: &str, name: &str) -> &'a str {
    let start = svg.find(&format!("<{element} ")).expect("the element");
    let tag = &svg[start..start + svg[start..].find('>').expect("tag ends")];
    let key = format!(" {name}=\"");
    let from = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    &tag[from..from + tag[from..].find('"').expect("quote")]
}

/// Draws the SVG's path (runs of `M x y h n v1 h-n z`, in modules) at 4 pixels a module.
fn rasterize(svg: &str) -> (usize, Vec<u8>) {
    let view_box: Vec<usize> = attribute(svg, "svg", "viewBox")
        .split(' ')
        .map(|n| n.parse().expect("a whole number"))
        .collect();
    assert_eq!(view_box[..2], [0, 0]);
    assert_eq!(view_box[2], view_box[3], "square");
    let side = view_box[2] * 4;
    let mut grey = vec![255u8; side * side];
    let d = attribute(svg, "path", "d");
    for run in d.split('z').filter(|r| !r.is_empty()) {
        let numbers: Vec<usize> = run
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().expect("number"))
            .collect();
        let [x, y, n, ..] = numbers[..] else {
            panic!("a run: {run}");
        };
        assert!(run.starts_with(&format!("M{x} {y}h{n}v1h-{n}")), "{run}");
        for py in y * 4..(y + 1) * 4 {
            for px in x * 4..(x + n) * 4 {
                grey[py * side + px] = 0;
            }
        }
    }
    (side, grey)
}

fn page_path(id: &str, ext: &str) -> String {
    format!("/qr/pages/{id}.{ext}")
}

db_test! {
    async fn the_qr_code_of_a_page_reads_back_as_its_canonical_link(app: TestApp) {
        let (district, _, province) = officers(&app).await;
        let page = create_page(&app, &district, "518", Some("https://m.facebook.com/mattranphuninh?mibextid=abc")).await;
        let id = page["id"].as_str().expect("id").to_owned();
        let url = page["url"].as_str().expect("url").to_owned();
        assert_eq!(url, "https://www.facebook.com/mattranphuninh");

        for token in [&district, &province] {
            let response = get(&app, Some(token), &page_path(&id, "png")).await;
            assert_eq!(response.status(), 200);
            let headers = response.headers();
            assert_eq!(headers["content-type"], "image/png");
            assert_eq!(headers["cache-control"], "private, max-age=300");
            assert_eq!(headers["x-content-type-options"], "nosniff");
            let bytes = response.bytes().await.expect("body");
            let (w, h, grey) = decode_png(&bytes);
            assert_eq!(w, h, "square");
            assert_eq!(w % 16, 0, "16 pixels a module");
            assert!(w >= (21 + 8) * 16, "a quiet zone of 4 modules around at least 21: {w}");
            // The quiet zone: 4 modules of white on every side.
            let border = 4 * 16;
            for i in 0..w {
                for j in 0..border {
                    for (x, y) in [(i, j), (j, i), (i, w - 1 - j), (w - 1 - j, i)] {
                        assert_eq!(grey[y * w + x], 255, "white at {x},{y}");
                    }
                }
            }
            assert!(grey.iter().all(|&p| p == 0 || p == 255), "black and white only");
            assert_eq!(read_qr(w, h, &grey), url);
        }

        let response = get(&app, Some(&district), &page_path(&id, "svg")).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers();
        assert_eq!(headers["content-type"], "image/svg+xml");
        assert_eq!(headers["cache-control"], "private, max-age=300");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let svg = response.text().await.expect("utf-8");
        assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "{svg}");
        let names = elements(&svg);
        assert_eq!(names[0], "svg");
        assert!(names.iter().all(|n| ["svg", "rect", "path"].contains(&n.as_str())), "{names:?}");
        assert_eq!(attribute(&svg, "svg", "xmlns"), "http://www.w3.org/2000/svg");
        assert_eq!(attribute(&svg, "svg", "shape-rendering"), "crispEdges");
        let lower = svg.to_lowercase();
        for absent in ["script", "href", " on", "<text", "facebook", "mattran", "phú ninh", "mặt trận", "<!"] {
            assert!(!lower.contains(absent), "{absent} in {svg}");
        }
        let (side, grey) = rasterize(&svg);
        assert_eq!(read_qr(side, side, &grey), url, "the SVG draws the same code");
    }
}

db_test! {
    async fn the_qr_code_follows_the_subtree_rule_and_anything_else_is_not_found(app: TestApp) {
        let (district, other_district, province) = officers(&app).await;
        let page = create_page(&app, &district, "518", Some("https://www.facebook.com/mattranphuninh")).await;
        let id = page["id"].as_str().expect("id").to_owned();
        app.add_account("vanhanh.tamdan", Role::Operator, "20392").await;
        let commune = app.token_for("vanhanh.tamdan").await;
        let draft = create_page(&app, &commune, "20392", None).await;
        assert_eq!(draft["status"], "DRAFT", "{draft}");
        assert_eq!(draft["url"], Value::Null);
        let draft_id = draft["id"].as_str().expect("id").to_owned();

        // No token, or one the server did not sign: 401, in the shape of the API's errors.
        for token in [None, Some("not-a-token")] {
            let response = get(&app, token, &page_path(&id, "png")).await;
            assert_eq!(response.status(), 401);
            assert_eq!(response.headers()["cache-control"], "no-store");
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
        }

        // Another branch's page is exactly a made-up one.
        let made_up = URL_SAFE_NO_PAD.encode(format!("Page:{}", uuid::Uuid::new_v4()));
        let mut bodies = Vec::new();
        // (A commune below reads its own subtree only, not its district's page.)
        for (token, id, ext) in [(&other_district, &id, "png"), (&other_district, &id, "svg"), (&commune, &id, "png"), (&district, &made_up, "png"), (&district, &made_up, "svg")] {
            let response = get(&app, Some(token), &page_path(id, ext)).await;
            assert_eq!(response.status(), 404, "{id}.{ext}");
            assert_eq!(response.headers()["cache-control"], "no-store");
            assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("application/json"));
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
            bodies.push(body);
        }
        assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");

        // A draft has no link to draw: 404, saying so.
        for ext in ["png", "svg"] {
            let response = get(&app, Some(&commune), &page_path(&draft_id, ext)).await;
            assert_eq!(response.status(), 404);
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
            assert_eq!(body["errors"][0]["message"], "Trang chưa có đường dẫn.");
        }

        // Garbage and ids of other kinds: 404, never 500.
        let unit_id = app
            .data_as(&district, "{ unit(code: \"518\") { id } }", json!({}))
            .await["unit"]["id"]
            .as_str()
            .expect("unit id")
            .to_owned();
        for path in [
            "/qr/pages/abc.png".to_owned(),
            "/qr/pages/abc.svg".to_owned(),
            "/qr/pages/.png".to_owned(),
            "/qr/pages/%00.png".to_owned(),
            "/qr/pages/%00".to_owned(),
            "/qr/pages/..%2F..%2Fetc%2Fpasswd.svg".to_owned(),
            format!("/qr/pages/{}.png", "A".repeat(4000)),
            format!("/qr/pages/{id}"),
            format!("/qr/pages/{id}.jpg"),
            format!("/qr/pages/{id}.PNG"),
            format!("/qr/pages/{id}.png.svg"),
            format!("/qr/pages/{unit_id}.png"),
            format!("/qr/pages/{}.png", URL_SAFE_NO_PAD.encode("Page:not-a-uuid")),
        ] {
            let response = get(&app, Some(&province), &path).await;
            assert_eq!(response.status(), 404, "{path}");
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "NOT_FOUND", "{path}: {body}");
        }
    }
}
