//! What the browser end-to-end test and the production-path test share: where the repository
//! and the built `tcd` are, and headless Chromium through chromedriver.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use thirtyfour::prelude::*;

/// The repository root (the `tests` crate sits in it).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// `target/debug/tcd`, next to this test executable's `deps/` directory.
pub fn tcd_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test runs from target/<profile>/deps");
    let binary = profile_dir.join(format!("tcd{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.is_file(),
        "{} is missing: run the tests with `cargo xtask test` (or `cargo test --workspace`), \
         which builds it",
        binary.display()
    );
    binary
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The flags Chromium needs to run headless as root in a container, quietly and offline.
pub const CHROME_FLAGS: [&str; 10] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=vi-VN",
];

/// chromedriver's path (`CHROMEDRIVER`, or Debian's), if it is installed.
pub fn installed_chromedriver() -> Option<PathBuf> {
    [
        std::env::var_os("CHROMEDRIVER").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromedriver")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

/// Chromium's path, if it is installed.
pub fn chromium_binary() -> Option<&'static str> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file())
}

/// The first element matching `css`, waiting up to `wait` for it.
pub async fn find(driver: &WebDriver, css: &str, wait: Duration) -> Result<WebElement> {
    driver
        .query(By::Css(css))
        .wait(wait, Duration::from_millis(100))
        .first()
        .await
        .with_context(|| format!("nothing matches {css}"))
}

/// Waits up to `wait` until an element matching `css` contains `text`.
pub async fn wait_text(driver: &WebDriver, css: &str, text: &str, wait: Duration) -> Result<()> {
    let deadline = Instant::now() + wait;
    let mut seen = Vec::new();
    loop {
        seen.clear();
        for element in driver.find_all(By::Css(css)).await.unwrap_or_default() {
            let shown = element.text().await.unwrap_or_default();
            if shown.contains(text) {
                return Ok(());
            }
            seen.push(shown);
        }
        if Instant::now() > deadline {
            bail!("no {css} shows {text:?}; seen {seen:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
