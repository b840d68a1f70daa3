//! The QR code of a page's link, for the poster a commune pins on the notice board of its
//! cultural house: `GET /qr/pages/{pageId}.svg` and `GET /qr/pages/{pageId}.png`, with the
//! same bearer token and the same subtree rule as `/graphql` (and as the downloads of
//! `export.rs`). A page the viewer does not read answers 404, exactly as one that does not
//! exist; so does a page with no link yet (a draft).
//!
//! The code carries the page's canonical link only, never its name or any other text a user
//! typed. The PNG is drawn at 16 pixels a module with a quiet zone of 4 modules, crisp at A4;
//! the SVG scales to any size (a `viewBox`, `shape-rendering="crispEdges"`).

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use api::{ApiError, NodeKind};
use app::By;
use domain::policy::Action;
use qrcode::{Color, EcLevel, QrCode};
use tracing_actix_web::RequestId;

use super::export::{actor, api_error, app_error, error_response, split_file};
use super::graphql::internal;
use crate::startup::AppState;

/// Pixels a module in the PNG: a version 3 code (a Facebook link) is 592 pixels wide.
const MODULE_PX: usize = 16;
/// The light border around the code, in modules, as the standard asks.
const QUIET_ZONE: usize = 4;
/// Longer than any global id the API gives out; anything longer is not looked at.
const MAX_ID_LEN: usize = 128;

/// A page with no link yet: `NOT_FOUND`, saying why.
fn no_url(request_id: &RequestId) -> HttpResponse {
    let mut error = ApiError::NotFound.into_server_error();
    "Trang chưa có đường dẫn.".clone_into(&mut error.message);
    error_response(StatusCode::NOT_FOUND, error, request_id)
}

/// The drawing formats.
#[derive(Clone, Copy)]
enum Format {
    Svg,
    Png,
}

impl Format {
    fn of(ext: &str) -> Self {
        if ext == "svg" { Self::Svg } else { Self::Png }
    }
}

/// The modules of a code, light or dark, row by row, with the quiet zone around them.
struct Modules {
    /// Modules a side, the quiet zone included.
    side: usize,
    dark: Vec<bool>,
}

impl Modules {
    fn of(text: &str) -> Result<Self, qrcode::types::QrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
        let width = code.width();
        let colors = code.to_colors();
        let side = width + 2 * QUIET_ZONE;
        let mut dark = vec![false; side * side];
        for (i, color) in colors.iter().enumerate() {
            let (y, x) = (i / width + QUIET_ZONE, i % width + QUIET_ZONE);
            dark[y * side + x] = *color == Color::Dark;
        }
        Ok(Self { side, dark })
    }

    fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.side + x]
    }

    /// One path of the dark runs of each row, in module units.
    fn svg(&self) -> String {
        let side = self.side;
        let px = side * MODULE_PX;
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {side} {side}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
        );
        for y in 0..side {
            let mut x = 0;
            while x < side {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < side && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                // Writing to a String does not fail.
                let _ = write!(out, "M{start} {y}h{run}v1h-{run}z");
            }
        }
        out.push_str("\"/></svg>\n");
        out
    }

    /// A 1-bit greyscale PNG, [`MODULE_PX`] pixels a module.
    fn png(&self) -> Result<Vec<u8>, png::EncodingError> {
        let px = self.side * MODULE_PX;
        let row_bytes = px.div_ceil(8);
        let mut pixels = vec![0u8; row_bytes * px];
        for y in 0..px {
            let row = &mut pixels[y * row_bytes..(y + 1) * row_bytes];
            for x in 0..px {
                // 1 is white in greyscale.
                if !self.is_dark(x / MODULE_PX, y / MODULE_PX) {
                    row[x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        let side = u32::try_from(px).map_err(|_| png::EncodingError::LimitsExceeded)?;
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
        Ok(out)
    }
}

fn image(content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        // Another account on the same browser must not get this one's answer from the cache.
        .insert_header((header::VARY, "Authorization"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body)
}

/// `GET /qr/pages/{pageId}.svg|.png`.
pub async fn page(
    req: HttpRequest,
    file: web::Path<String>,
    state: web::Data<AppState>,
    request_id: RequestId,
) -> HttpResponse {
    let actor = match actor(&req, &state, &request_id).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let not_found = || api_error(ApiError::NotFound, &request_id);
    let Some((id, format)) = split_file(&file, &["svg", "png"]) else {
        return not_found();
    };
    let format = Format::of(format);
    if id.len() > MAX_ID_LEN {
        return not_found();
    }
    let Some((NodeKind::Page, page_id)) = api::parse_global_id(id) else {
        return not_found();
    };
    let db = api::request_db(&state.db, state.statement_budget);
    let (page, _) =
        match app::pages::page_for(&db, By::Account(&actor), page_id, Action::Read).await {
            Ok(found) => found,
            Err(e) => return app_error(e, &request_id),
        };
    let Some(url) = page.url.as_deref().filter(|u| !u.is_empty()) else {
        return no_url(&request_id);
    };
    let modules = match Modules::of(url) {
        Ok(modules) => modules,
        Err(e) => return internal(&request_id, &e),
    };
    match format {
        Format::Svg => image("image/svg+xml", modules.svg().into_bytes()),
        Format::Png => match modules.png() {
            Ok(body) => image("image/png", body),
            Err(e) => internal(&request_id, &e),
        },
    }
}
