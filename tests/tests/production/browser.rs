//! Headless Chromium through chromedriver, reaching the site by its name over HTTPS: the name
//! mapped to 127.0.0.1 and the test's certificate trusted by its key, nothing else relaxed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use thirtyfour::prelude::*;

use crate::process::{Group, free_port, wait_until};

/// The flags Chromium needs to run headless as root in a container, quietly and offline
/// (as the browser end-to-end test runs it).
const CHROME_FLAGS: [&str; 10] = [
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

/// How long a screen may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(30);

pub fn chromedriver() -> Option<PathBuf> {
    [
        std::env::var_os("CHROMEDRIVER").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromedriver")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

fn chromium_binary() -> Option<&'static str> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| Path::new(p).is_file())
}

pub struct Browser {
    pub driver: WebDriver,
    base: String,
    _chromedriver: Group,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Chromium with `host` mapped to 127.0.0.1 and the key `spki_sha256` trusted.
    pub async fn start(
        chromedriver: &Path,
        base: &str,
        host: &str,
        spki_sha256: &str,
    ) -> Result<Self> {
        let port = free_port();
        let mut process = Group::spawn(
            "chromedriver",
            Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        let url = format!("http://127.0.0.1:{port}");
        wait_until("chromedriver answers", Duration::from_secs(30), || {
            let status = reqwest::get(format!("{url}/status"));
            async { status.await.is_ok() }
        })
        .await?;
        process.check_running()?;

        let profile = tempfile::tempdir()?;
        let mut caps = DesiredCapabilities::chrome();
        if let Some(binary) = chromium_binary() {
            caps.set_binary(binary)?;
        }
        for flag in CHROME_FLAGS {
            caps.add_arg(flag)?;
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))?;
        caps.add_arg(&format!("--host-resolver-rules=MAP {host} 127.0.0.1"))?;
        caps.add_arg(&format!(
            "--ignore-certificate-errors-spki-list={spki_sha256}"
        ))?;
        let driver = WebDriver::new(&url, caps)
            .await
            .context("cannot start Chromium through chromedriver")?;
        driver.set_window_rect(0, 0, 1280, 900).await?;
        Ok(Self {
            driver,
            base: base.to_owned(),
            _chromedriver: process,
            _profile: profile,
        })
    }

    pub async fn quit(self) {
        let _ = self.driver.clone().quit().await;
    }

    pub async fn open(&self, path: &str) -> Result<()> {
        self.driver.goto(format!("{}{path}", self.base)).await?;
        Ok(())
    }

    pub async fn find(&self, css: &str) -> Result<WebElement> {
        self.driver
            .query(By::Css(css))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await
            .with_context(|| format!("nothing matches {css}"))
    }

    /// Waits until an element matching `css` contains `text`.
    pub async fn wait_text(&self, css: &str, text: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            seen.clear();
            for element in self.driver.find_all(By::Css(css)).await.unwrap_or_default() {
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

    pub async fn body_text(&self) -> String {
        match self.driver.find(By::Tag("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The value of a JavaScript expression on the page.
    pub async fn eval<T: serde::de::DeserializeOwned>(&self, expression: &str) -> Result<T> {
        Ok(self
            .driver
            .execute(&format!("return {expression};"), Vec::new())
            .await?
            .convert::<T>()?)
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let input = self.find(css).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css).await?.click().await?;
        Ok(())
    }
}
