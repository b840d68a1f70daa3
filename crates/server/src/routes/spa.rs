//! The web app: its files from the static directory, `index.html` for every client-side
//! route, long caching for content-hashed assets and none for `index.html`.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpResponse, web};

/// Assets whose file names carry a content hash live under this prefix.
pub const HASHED_ASSETS: &str = "/assets/";

/// What the app may load and run: its own files only, wasm compilation, no inline script,
/// never framed. The same policy as `docker/nginx.conf.template`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

pub fn configure(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    let index = static_dir.join("index.html");
    if !index.is_file() {
        cfg.default_service(web::to(missing_app));
        return;
    }
    let files = Files::new("/", static_dir)
        .index_file("index.html")
        .prefer_utf8(true)
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move { serve_index(req, &index).await }
        }));
    cfg.service(
        web::scope("")
            .wrap_fn(|req, srv| {
                let immutable = req.path().starts_with(HASHED_ASSETS);
                let fut = actix_web::dev::Service::call(srv, req);
                async move {
                    let mut res = fut.await?;
                    let directives = if immutable {
                        vec![
                            CacheDirective::Public,
                            CacheDirective::MaxAge(31_536_000),
                            CacheDirective::Extension("immutable".into(), None),
                        ]
                    } else {
                        vec![CacheDirective::NoCache]
                    };
                    if let Ok(value) = CacheControl(directives).to_string().parse() {
                        res.headers_mut().insert(header::CACHE_CONTROL, value);
                    }
                    res.headers_mut().insert(
                        header::CONTENT_SECURITY_POLICY,
                        header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
                    );
                    Ok(res)
                }
            })
            .service(files),
    );
}

/// A path that is no file is a client-side route: answer with the app. Paths that look like
/// files (an extension) or API routes stay 404s, so a missing asset is not masked as HTML.
async fn serve_index(
    req: ServiceRequest,
    index: &PathBuf,
) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let last = req.path().rsplit('/').next().unwrap_or_default();
    if last.contains('.') || req.path().starts_with(HASHED_ASSETS) {
        return Ok(ServiceResponse::new(req, HttpResponse::NotFound().finish()));
    }
    let file = NamedFile::open_async(index).await?;
    let res = file.into_response(&req);
    Ok(ServiceResponse::new(req, res))
}

async fn missing_app() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><meta charset=utf-8><title>Trang Cộng Đồng</title>\
         <p>Giao diện web chưa được dựng. API GraphQL: <a href=\"/graphiql\">/graphiql</a>.</p>",
        )
}
