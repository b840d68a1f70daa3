//! GraphiQL, served from the binary: a page that loaded its scripts from a CDN never loads on
//! an intranet, and nothing pinned what the CDN sent. The scripts are the published npm
//! packages (graphiql 3.8.3, react and react-dom 18.3.1; licences in
//! `assets/graphiql/LICENSES.txt`), and the page runs under a Content-Security-Policy that
//! allows only this origin.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// Scripts and styles only from here; styles set by script (React) are allowed inline.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

const PAGE: &str = r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trang Cộng Đồng — GraphQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql-3.8.3.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Đang tải GraphiQL…</div>
<script src="/graphiql/assets/react-18.3.1.min.js"></script>
<script src="/graphiql/assets/react-dom-18.3.1.min.js"></script>
<script src="/graphiql/assets/graphiql-3.8.3.min.js"></script>
<script src="/graphiql/assets/init.js"></script>
</body>
</html>
"#;

/// The files under `/graphiql/assets/`: name, content type, body.
const ASSETS: [(&str, &str, &[u8]); 6] = [
    (
        "graphiql-3.8.3.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql-3.8.3.min.js"),
    ),
    (
        "graphiql-3.8.3.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql-3.8.3.min.css"),
    ),
    (
        "react-18.3.1.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-18.3.1.min.js"),
    ),
    (
        "react-dom-18.3.1.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom-18.3.1.min.js"),
    ),
    (
        "init.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/init.js"),
    ),
    (
        "LICENSES.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSES.txt"),
    ),
];

/// `GET /graphiql`.
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(PAGE)
}

/// `GET /graphiql/assets/{name}`. Versioned names may be cached for long; the small start
/// script only briefly.
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    let Some((name, content_type, body)) = ASSETS.iter().find(|(n, _, _)| *n == name.as_str())
    else {
        return HttpResponse::NotFound().finish();
    };
    let cache = if *name == "init.js" || *name == "LICENSES.txt" {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    };
    HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .body(*body)
}
