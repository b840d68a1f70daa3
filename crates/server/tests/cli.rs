//! The `tcd` binary as an operator uses it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn tcd() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tcd"));
    command
        .env_remove("TCD_DATABASE_URL")
        .env_remove("TCD_JWT_SECRET")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    command
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("tcd.db").display())
}

fn write_csv(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write csv");
    path
}

const SMALL: &str = "code,name,kind,level,parent_code\n49,Quảng Nam,Tỉnh,province,\n518,Phú Ninh,Huyện,district,49\n20392,Tam Dân,Xã,commune,518\n";

#[test]
fn units_import_prints_counts_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_csv(&dir, "units.csv", SMALL);
    let run = || {
        tcd()
            .args(["units", "import"])
            .arg(&file)
            .args(["--database-url", &sqlite_url(&dir)])
            .output()
            .expect("runs")
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("thêm mới 3, cập nhật 0, không đổi 0"),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("Đang ghi: 4/4"),
        "progress is shown"
    );

    let second = run();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("thêm mới 0, cập nhật 0, không đổi 3"),
        "{stdout}"
    );
}

#[test]
fn units_import_rejects_a_bad_file_naming_the_line() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write_csv(
        &dir,
        "bad.csv",
        &format!("{SMALL}20395,Tam Lãnh,Xã,commune,999\n"),
    );
    let output = tcd()
        .args(["units", "import"])
        .arg(&file)
        .args(["--database-url", &sqlite_url(&dir)])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Dòng 5"), "{stderr}");
    assert!(stderr.contains("999"), "{stderr}");
}

/// Starts `tcd serve` on a free port and returns the child and its address.
fn serve(dir: &tempfile::TempDir) -> (Child, String) {
    let mut child = tcd()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--no-seed",
            "--database-url",
            &sqlite_url(dir),
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_mins(1);
    let address = loop {
        assert!(
            Instant::now() < deadline,
            "server did not report its address"
        );
        let line = lines
            .next()
            .expect("server printed its address")
            .expect("utf-8");
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at..]
                .split_whitespace()
                .next()
                .expect("address")
                .to_owned();
        }
    };
    // Keep draining the log so the child never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, address)
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, address) = serve(&dir);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let status = runtime.block_on(async {
        reqwest::get(format!("{address}/healthz"))
            .await
            .expect("answers")
            .status()
    });
    assert_eq!(status, 200);

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "still running 20 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exits cleanly after SIGTERM: {exit:?}");
}

#[test]
fn schema_prints_the_contract() {
    let output = tcd().arg("schema").output().expect("runs");
    let sdl = String::from_utf8_lossy(&output.stdout);
    assert!(sdl.contains("units("), "{sdl}");
    assert!(sdl.contains("interface Node"), "{sdl}");
}
