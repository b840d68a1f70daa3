//! Headless Chromium through chromedriver, reaching the site by its name over HTTPS: the name
//! mapped to 127.0.0.1 and the test's certificate trusted by its key, nothing else relaxed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};
use thirtyfour::prelude::*;

use crate::common::{self, CHROME_FLAGS, chromium_binary, free_port};
use crate::process::{Group, wait_until};

/// How long a screen may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(30);

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
        common::find(&self.driver, css, WAIT).await
    }

    /// Waits until an element matching `css` contains `text`.
    pub async fn wait_text(&self, css: &str, text: &str) -> Result<()> {
        common::wait_text(&self.driver, css, text, WAIT).await
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
