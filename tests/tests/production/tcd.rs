//! `target/debug/tcd` run as the `api` service runs it: only the service's environment.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::common::tcd_binary;
use crate::process::{Group, run, tail, wait_until};

/// `tcd ARGS` with nothing of the test's environment but `PATH`: what the container has.
fn command(environment: &BTreeMap<String, String>, dir: &Path) -> Command {
    let mut command = Command::new(tcd_binary());
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(environment)
        .stdin(Stdio::null());
    command
}

pub struct Tcd {
    log: PathBuf,
    process: Group,
}

impl Tcd {
    /// `tcd serve`, ready once `/readyz` answers (the first start migrates and loads the
    /// official unit list).
    pub async fn serve(
        environment: &BTreeMap<String, String>,
        port: u16,
        dir: &Path,
    ) -> Result<Self> {
        let log = dir.join(format!("tcd-{}.log", uuid::Uuid::new_v4().simple()));
        let output = File::create(&log)?;
        let mut serve = command(environment, dir);
        serve
            .arg("serve")
            .stdout(output.try_clone()?)
            .stderr(output);
        let mut process = Group::spawn("tcd serve", &mut serve)?;
        let ready = format!("http://127.0.0.1:{port}/readyz");
        let client = reqwest::Client::new();
        let up = wait_until("tcd answers /readyz", Duration::from_mins(4), || {
            let request = client.get(&ready).timeout(Duration::from_secs(3)).send();
            let alive = process.check_running().is_ok();
            async move { !alive || request.await.is_ok_and(|r| r.status().is_success()) }
        })
        .await
        .and_then(|()| process.check_running());
        if let Err(e) = up {
            return Err(e.context(format!("tcd's log:\n{}", tail(&log))));
        }
        Ok(Self { log, process })
    }

    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }

    pub fn check_running(&mut self) -> Result<()> {
        self.process
            .check_running()
            .with_context(|| format!("tcd's log:\n{}", tail(&self.log)))
    }

    pub fn stop(mut self) {
        self.process.stop();
    }

    /// `kill -9`: requests in flight get no answer from it (nginx answers 502).
    pub fn kill(mut self) {
        self.process.kill();
    }
}

/// The README's first admin: `tcd account create --unit-code 49 --username tinh.quangnam
/// --role admin`, run where the API runs; returns the one-time password it prints.
pub fn create_first_admin(
    environment: &BTreeMap<String, String>,
    dir: &Path,
    username: &str,
) -> Result<String> {
    let out = run(command(environment, dir).args([
        "account",
        "create",
        "--unit-code",
        "49",
        "--username",
        username,
        "--role",
        "admin",
    ]))?;
    let printed = String::from_utf8(out.stdout)?;
    printed
        .lines()
        .find(|l| l.starts_with("Mật khẩu"))
        .and_then(|l| l.rsplit_once(": "))
        .map(|(_, password)| password.trim().to_owned())
        .with_context(|| format!("no one-time password in {printed:?}"))
}
