//! Headless Chromium through chromedriver, with the few actions the scenarios need.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use thirtyfour::prelude::*;

use crate::common::{
    self, CHROME_FLAGS, chromium_binary, free_port, installed_chromedriver, repo_root,
};

/// How long a screen may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(20);

/// chromedriver's path, or `None` (after saying so) when it is not installed and a browser
/// is not required. Panics when `TCD_REQUIRE_BROWSER=1` and it is missing.
pub fn chromedriver() -> Option<PathBuf> {
    if let Some(found) = installed_chromedriver() {
        return Some(found);
    }
    let required = std::env::var("TCD_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "TCD_REQUIRE_BROWSER=1 but chromedriver is missing: apt-get install chromium chromium-driver"
    );
    eprintln!(
        "skipped: no chromedriver (apt-get install chromium chromium-driver to run the browser tests)"
    );
    None
}

pub struct Browser {
    pub driver: WebDriver,
    base: String,
    shots: PathBuf,
    chromedriver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

impl Browser {
    pub async fn start(chromedriver: &Path, base: &str) -> Self {
        let port = free_port();
        let mut child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while reqwest::get(format!("{url}/status")).await.is_err() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("chromedriver did not answer on {url}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let profile = tempfile::tempdir().expect("profile directory");
        let mut caps = DesiredCapabilities::chrome();
        if let Some(binary) = chromium_binary() {
            caps.set_binary(binary).expect("binary");
        }
        for flag in CHROME_FLAGS {
            caps.add_arg(flag).expect("flag");
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display()))
            .expect("profile flag");
        let driver = match WebDriver::new(&url, caps).await {
            Ok(driver) => driver,
            Err(e) => {
                let _ = child.kill();
                panic!("cannot start Chromium through chromedriver: {e}");
            }
        };
        driver
            .set_window_rect(0, 0, 1280, 900)
            .await
            .expect("window size");
        let shots = repo_root().join("target/e2e-screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot directory");
        // Only this run's screens: a stale picture would pass for a current one.
        for old in std::fs::read_dir(&shots).into_iter().flatten().flatten() {
            if old.path().extension().is_some_and(|e| e == "png") {
                let _ = std::fs::remove_file(old.path());
            }
        }
        Self {
            driver,
            base: base.to_owned(),
            shots,
            chromedriver: child,
            _profile: profile,
        }
    }

    pub async fn quit(&self) {
        let _ = self.driver.clone().quit().await;
    }

    pub async fn open(&self, path: &str) -> Result<()> {
        self.driver.goto(format!("{}{path}", self.base)).await?;
        Ok(())
    }

    /// Saves `target/e2e-screenshots/NAME.png`; a failure to save fails no test.
    pub async fn screenshot(&self, name: &str) {
        let path = self.shots.join(format!("{name}.png"));
        if let Err(e) = self.driver.screenshot(&path).await {
            eprintln!("could not save {}: {e}", path.display());
        }
    }

    pub async fn find(&self, css: &str) -> Result<WebElement> {
        common::find(&self.driver, css, WAIT).await
    }

    /// Waits until an element matching `css` contains `text`.
    pub async fn wait_text(&self, css: &str, text: &str) -> Result<()> {
        common::wait_text(&self.driver, css, text, WAIT).await
    }

    /// Waits until no element matching `css` contains `text`.
    pub async fn wait_gone(&self, css: &str, text: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let elements = self.driver.find_all(By::Css(css)).await.unwrap_or_default();
            let mut shown = false;
            for element in &elements {
                shown |= element.text().await.unwrap_or_default().contains(text);
            }
            if !elements.is_empty() && !shown {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{css} still shows {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the input matching `css` holds `value`.
    pub async fn wait_value(&self, css: &str, value: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let current = self.find(css).await?.prop("value").await?;
            if current.as_deref() == Some(value) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{css} holds {current:?}, not {value:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scrolls the first element matching `css` into view, for a screenshot of it.
    pub async fn scroll_to(&self, css: &str) -> Result<()> {
        self.find(css).await?.scroll_into_view().await?;
        Ok(())
    }

    pub async fn body_text(&self) -> String {
        match self.driver.find(By::Tag("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub async fn click_link(&self, name: &str) -> Result<()> {
        self.driver
            .query(By::XPath(format!("//a[normalize-space(.)='{name}']")))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await
            .with_context(|| format!("no link {name}"))?
            .click()
            .await?;
        Ok(())
    }

    pub async fn click_button(&self, name: &str) -> Result<()> {
        self.driver
            .query(By::XPath(format!("//button[normalize-space(.)='{name}']")))
            .wait(WAIT, Duration::from_millis(100))
            .first()
            .await
            .with_context(|| format!("no button {name}"))?
            .click()
            .await?;
        Ok(())
    }

    /// How many links read exactly `name`, right now.
    pub async fn links_named(&self, name: &str) -> Result<usize> {
        Ok(self
            .driver
            .find_all(By::XPath(format!("//a[normalize-space(.)='{name}']")))
            .await?
            .len())
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Result<()> {
        let user = self.find("#username").await?;
        user.clear().await?;
        user.send_keys(username).await?;
        let pass = self.find("#password").await?;
        pass.clear().await?;
        pass.send_keys(password).await?;
        self.find("main.login button[type=submit]")
            .await?
            .click()
            .await?;
        Ok(())
    }
}
