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

/// Runs `tcd account create --password-stdin`, typing `password` on its standard input.
fn create_with_password(
    url: &str,
    unit: &str,
    username: &str,
    role: &str,
    password: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = tcd()
        .args([
            "account",
            "create",
            "--unit-code",
            unit,
            "--username",
            username,
            "--role",
            role,
        ])
        .args(["--password-stdin", "--database-url", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{password}").expect("write");
    drop(stdin);
    child.wait_with_output().expect("waits")
}

/// Runs `tcd units import` of `csv` into the test's database.
fn import(dir: &tempfile::TempDir, csv: &str) -> std::process::Output {
    import_with(dir, csv, &[])
}

/// Runs `tcd units import` of `csv` with these flags.
fn import_with(dir: &tempfile::TempDir, csv: &str, flags: &[&str]) -> std::process::Output {
    let file = write_csv(dir, "units.csv", csv);
    tcd()
        .args(["units", "import"])
        .arg(&file)
        .args(flags)
        .args(["--database-url", &sqlite_url(dir)])
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn units_import_prints_counts_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let run = || import(&dir, SMALL);
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("thêm mới 3, đổi tên 0, chuyển 0, đổi cấp 0, xoá 0, không đổi 0"),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("Đang ghi: 4/4"),
        "progress is shown"
    );

    let second = run();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("thêm mới 0, đổi tên 0, chuyển 0, đổi cấp 0, xoá 0, không đổi 3"),
        "{stdout}"
    );
}

#[test]
fn units_import_rejects_a_bad_file_naming_the_line() {
    let dir = tempfile::tempdir().expect("dir");
    let output = import(&dir, &format!("{SMALL}20395,Tam Lãnh,Xã,commune,999\n"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Dòng 5"), "{stderr}");
    assert!(stderr.contains("999"), "{stderr}");
}

/// Part of the January 2025 list: Quảng Nam with Phú Ninh and two of its communes, and Đà Nẵng.
const JANUARY: &str = "code,name,kind,level,parent_code\n48,Đà Nẵng,Thành phố trực thuộc trung ương,province,\n49,Quảng Nam,Tỉnh,province,\n518,Phú Ninh,Huyện,district,49\n20365,Tam Thành,Xã,commune,518\n20392,Tam Dân,Xã,commune,518\n";

/// The same place in the July 2025 list: code 20392 is now Xã Phú Ninh, under Đà Nẵng.
const JULY: &str = "code,name,kind,level,parent_code\n48,Đà Nẵng,Thành phố trực thuộc trung ương,province,\n20392,Phú Ninh,Xã,commune,48\n20333,Hoàng Sa,Đặc khu,commune,48\n";

#[test]
fn units_import_lists_moves_and_removals_with_their_accounts_and_refuses_them() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(import(&dir, JANUARY).status.success());
    let url = sqlite_url(&dir);
    assert!(
        create_with_password(&url, "20392", "xa.tamdan", "operator", "xa-Tq8#mV2pL9z")
            .status
            .success()
    );
    assert!(
        create_with_password(&url, "49", "tinh.quangnam", "admin", "tinh-Wp4!kR7nX2")
            .status
            .success()
    );

    let refused = import(&dir, JULY);
    let (stdout, stderr) = (text(&refused.stdout), text(&refused.stderr));
    assert!(!refused.status.success(), "{stdout}");
    for expected in [
        "20392 Xã Tam Dân → Xã Phú Ninh: cấp trên 518 Huyện Phú Ninh → 48 Thành phố Đà Nẵng",
        "    tài khoản xa.tamdan (vai trò operator) tại 20392 Xã Tam Dân",
        "Xoá đơn vị không có trong tệp (3):",
        "  49 Tỉnh Quảng Nam (thuộc VN Ủy ban Trung ương MTTQ Việt Nam)",
        "    tài khoản tinh.quangnam (vai trò admin) tại 49 Tỉnh Quảng Nam",
        "Kế hoạch: thêm mới 1, đổi tên 0, chuyển 1, đổi cấp 0, xoá 3, không đổi 1.",
    ] {
        assert!(
            stdout.contains(expected),
            "missing «{expected}» in:\n{stdout}"
        );
    }
    for expected in [
        "--allow-moves",
        "--allow-removals",
        "không bao giờ bị xoá",
        "Chưa ghi gì",
    ] {
        assert!(
            stderr.contains(expected),
            "missing «{expected}» in:\n{stderr}"
        );
    }

    let dry = import_with(
        &dir,
        JULY,
        &["--dry-run", "--allow-moves", "--allow-removals"],
    );
    let stdout = text(&dry.stdout);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(
        stdout.contains("Chạy thử (--dry-run): chưa ghi gì"),
        "{stdout}"
    );
    assert!(stdout.contains("tài khoản tinh.quangnam"), "{stdout}");

    let still_refused = import_with(&dir, JULY, &["--allow-moves", "--allow-removals"]);
    assert!(!still_refused.status.success());
    let stderr = text(&still_refused.stderr);
    assert!(
        stderr.contains("1 đơn vị cần xoá còn tài khoản"),
        "{stderr}"
    );
    assert!(text(&still_refused.stdout).contains(
        "Đơn vị cần xoá nhưng còn tài khoản, không xoá được (1):\n  49 Tỉnh Quảng Nam\n"
    ));

    let again = import(&dir, JANUARY);
    assert!(
        text(&again.stdout)
            .contains("thêm mới 0, đổi tên 0, chuyển 0, đổi cấp 0, xoá 0, không đổi 5"),
        "nothing was written: {}",
        text(&again.stdout)
    );
}

#[test]
fn units_import_with_both_permissions_moves_the_accounts_and_removes_the_rest() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(import(&dir, JANUARY).status.success());
    let url = sqlite_url(&dir);
    assert!(
        create_with_password(&url, "20392", "xa.tamdan", "operator", "xa-Tq8#mV2pL9z")
            .status
            .success()
    );

    let output = import_with(&dir, JULY, &["--allow-moves", "--allow-removals"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        stdout.contains("Tài khoản đi theo đơn vị được chuyển (1):\n    tài khoản xa.tamdan"),
        "{stdout}"
    );
    assert!(stdout.contains("Nhập xong trong"), "{stdout}");
    assert!(
        stdout.contains("thêm mới 1, đổi tên 0, chuyển 1, đổi cấp 0, xoá 3, không đổi 1"),
        "{stdout}"
    );

    let again = import(&dir, JULY);
    assert!(again.status.success(), "the same list again needs no flag");
    assert!(
        text(&again.stdout).contains("xoá 0, không đổi 3"),
        "{}",
        text(&again.stdout)
    );
}

/// A running `tcd serve`, its address, and the log lines it has written so far.
struct Served {
    child: Child,
    address: String,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// Starts `tcd serve` on a free port with `extra` arguments and environment, on a database
/// that is not seeded.
fn serve_with(dir: &tempfile::TempDir, extra: &[&str], env: &[(&str, &str)]) -> Served {
    let mut command = tcd();
    command
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
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    start(command)
}

/// Spawns a `tcd serve` command whose stderr is piped and waits until it listens.
fn start(mut command: Command) -> Served {
    let mut child = command.spawn().expect("starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
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
        log.lock().expect("log").push(line.clone());
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || ":/.".contains(*c))
                .collect();
        }
    };
    // Keep reading the log so the child never blocks on a full pipe.
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().expect("log").push(line);
        }
    });
    Served {
        child,
        address,
        log,
    }
}

fn serve(dir: &tempfile::TempDir) -> (Child, String) {
    let served = serve_with(dir, &[], &[]);
    (served.child, served.address)
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

#[test]
fn account_create_reads_the_password_from_stdin_or_generates_one() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(import(&dir, SMALL).status.success());
    let url = sqlite_url(&dir);

    let output = create_with_password(&url, "49", "Tinh.QuangNam", "admin", "cua-tinh-Zm3$Qx8vB1");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("tinh.quangnam") && stdout.contains("Quản trị"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("cua-tinh-Zm3$Qx8vB1"),
        "a given password is never echoed"
    );

    let output = tcd()
        .args([
            "account",
            "create",
            "--unit-code",
            "518",
            "--username",
            "huyen.phuninh",
            "--role",
            "operator",
        ])
        .args(["--database-url", &url])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Mật khẩu"),
        "a generated password is printed once: {stdout}"
    );

    let again = tcd()
        .args([
            "account",
            "create",
            "--unit-code",
            "518",
            "--username",
            "HUYEN.PHUNINH",
            "--role",
            "viewer",
        ])
        .args(["--database-url", &url])
        .output()
        .expect("runs");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã được dùng"));
}

#[test]
fn serve_demo_prints_the_demo_accounts_once() {
    let dir = tempfile::tempdir().expect("dir");
    let with_tam_thanh = format!("{SMALL}20365,Tam Thành,Xã,commune,518\n");
    assert!(import(&dir, &with_tam_thanh).status.success());
    let url = sqlite_url(&dir);
    let demo = |dir: &tempfile::TempDir| {
        let mut child = tcd()
            .args([
                "serve",
                "--demo",
                "--no-seed",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                &url,
            ])
            .arg("--data-dir")
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        // Demo accounts are created before the server listens.
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        for line in stderr.lines() {
            if line.expect("utf-8").contains("listening") {
                break;
            }
        }
        let _ = child.kill();
        let output = child.wait_with_output().expect("exits");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| l.starts_with("demo-account"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let lines = demo(&dir);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines.iter().any(
        |l| l.starts_with("demo-account username=huyen.phuninh password=")
            && l.ends_with("role=ADMIN unit=518")
    ));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("username=xa.tamthanh") && l.ends_with("role=OPERATOR unit=20365"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("username=xem.quangnam") && l.ends_with("role=VIEWER unit=49"))
    );
    assert!(demo(&dir).is_empty(), "not again once accounts exist");
}

#[test]
fn json_logs_carry_request_ids_and_never_passwords_or_tokens() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(import(&dir, SMALL).status.success());
    let url = sqlite_url(&dir);
    let created = create_with_password(&url, "518", "huyen.phuninh", "admin", "bi-mat-Kh9#Lr2Vq5");
    assert!(created.status.success());

    let mut served = serve_with(
        &dir,
        &[],
        &[("TCD_LOG_FORMAT", "json"), ("RUST_LOG", "debug")],
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let token = runtime.block_on(async {
        let body: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/graphql", served.address))
            .json(&serde_json::json!({
                "query": "mutation { login(input: { username: \"huyen.phuninh\", password: \"bi-mat-Kh9#Lr2Vq5\" }) { accessToken } }"
            }))
            .send()
            .await
            .expect("answers")
            .json()
            .await
            .expect("json");
        body["data"]["login"]["accessToken"].as_str().expect("token").to_owned()
    });
    std::thread::sleep(Duration::from_millis(300));
    let _ = served.child.kill();
    let _ = served.child.wait();
    let log = served.log.lock().expect("log").clone();
    assert!(!log.is_empty());
    for line in &log {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        assert!(entry.get("level").is_some(), "{line}");
    }
    let text = log.join("\n");
    assert!(text.contains("request_id"), "{text}");
    assert!(
        !text.contains("bi-mat-Kh9#Lr2Vq5"),
        "the password leaked into the log"
    );
    assert!(
        !text.contains(&token),
        "the access token leaked into the log"
    );
    assert!(
        !text.contains("tcd_refresh="),
        "the refresh cookie leaked into the log"
    );
}

/// Signs in over GraphQL; returns the `login` payload.
fn login(address: &str, username: &str, password: &str) -> serde_json::Value {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let body: serde_json::Value = reqwest::Client::new()
            .post(format!("{address}/graphql"))
            .json(&serde_json::json!({
                "query": "mutation ($input: LoginInput!) { login(input: $input) { accessToken account { mustChangePassword unit { code } } } }",
                "variables": { "input": { "username": username, "password": password } },
            }))
            .send()
            .await
            .expect("answers")
            .json()
            .await
            .expect("json");
        body["data"]["login"].clone()
    })
}

/// Runs a command that must end by itself within a minute (e.g. a `serve` that refuses).
fn finishes(command: &mut Command) -> std::process::Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let deadline = Instant::now() + Duration::from_mins(1);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn stop(mut served: Served) {
    let _ = served.child.kill();
    let _ = served.child.wait();
}

#[test]
fn serve_units_2025_07_seeds_the_two_tier_list_whose_demo_accounts_sign_in() {
    let dir = tempfile::tempdir().expect("dir");
    let url = sqlite_url(&dir);
    let mut command = tcd();
    command
        .args([
            "serve",
            "--units",
            "2025-07",
            "--demo",
            "--bind",
            "127.0.0.1:0",
        ])
        .args(["--database-url", &url])
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut served = start(command);
    // Demo accounts are printed before the server listens.
    let stdout = BufReader::new(served.child.stdout.take().expect("stdout"));
    let demo: Vec<String> = stdout.lines().take(4).map(|l| l.expect("utf-8")).collect();
    let mut units = Vec::new();
    for line in &demo {
        let field = |name: &str| {
            line.split(' ')
                .find_map(|f| f.strip_prefix(name))
                .unwrap_or_else(|| panic!("no {name} in {line}"))
                .to_owned()
        };
        let payload = login(&served.address, &field("username="), &field("password="));
        assert!(payload["accessToken"].is_string(), "{line}: {payload}");
        assert_eq!(payload["account"]["mustChangePassword"], false);
        assert_eq!(payload["account"]["unit"]["code"], field("unit="));
        units.push(field("unit="));
    }
    units.sort();
    assert_eq!(units, ["20392", "20392", "48", "48"], "{demo:?}");
    assert!(
        demo[0].starts_with("demo-account username=tp.danang password="),
        "{demo:?}"
    );
    assert!(demo[0].ends_with(" role=ADMIN unit=48"), "{demo:?}");
    stop(served);

    // The database holds the 34 provinces and 3,321 communes exactly: nothing to import.
    let exact = tcd()
        .args([
            "units",
            "import",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../data/vn-admin-units-2025-07.csv"
            ),
            "--dry-run",
        ])
        .args(["--database-url", &url])
        .output()
        .expect("runs");
    let stdout = text(&exact.stdout);
    assert!(
        stdout.contains("thêm mới 0, đổi tên 0, chuyển 0, đổi cấp 0, xoá 0, không đổi 3355."),
        "{stdout}{}",
        text(&exact.stderr)
    );

    for (args, env) in [
        (vec!["--units", "2025-01"], vec![]),
        (vec![], vec![("TCD_UNITS", "2025-01")]),
    ] {
        let mut command = tcd();
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
            .arg("--data-dir")
            .arg(dir.path())
            .args(args);
        for (key, value) in env {
            command.env(key, value);
        }
        let refused = finishes(&mut command);
        assert!(!refused.status.success());
        let stderr = text(&refused.stderr);
        assert!(
            stderr.contains("đã có danh mục đơn vị 2025-07")
                && stderr.contains("không phải danh mục 2025-01"),
            "{stderr}"
        );
    }
}

#[test]
fn account_reset_password_ends_the_old_password_and_prints_a_one_time_one() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(import(&dir, SMALL).status.success());
    let url = sqlite_url(&dir);
    assert!(
        create_with_password(&url, "49", "tinh.quangnam", "admin", "da-quen-Hy6!Tb3Nw8")
            .status
            .success()
    );
    let served = serve_with(&dir, &[], &[]);
    assert!(
        login(&served.address, "tinh.quangnam", "da-quen-Hy6!Tb3Nw8")["accessToken"].is_string()
    );

    let reset = |extra: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut child = tcd()
            .args(["account", "reset-password", "--database-url", &url])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(line) = stdin {
            writeln!(input, "{line}").expect("write");
        }
        drop(input);
        child.wait_with_output().expect("waits")
    };
    let output = reset(&["--username", "tinh.quangnam"], None);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let one_time = stdout
        .lines()
        .find_map(|l| {
            l.strip_prefix("Mật khẩu một lần (chỉ hiện một lần, phải đổi khi đăng nhập lần tới): ")
        })
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(login(&served.address, "tinh.quangnam", "da-quen-Hy6!Tb3Nw8")["accessToken"].is_null());
    let payload = login(&served.address, "tinh.quangnam", one_time);
    assert_eq!(payload["account"]["mustChangePassword"], true, "{payload}");

    let output = reset(
        &["--username", "tinh.quangnam", "--password-stdin"],
        Some("moi-cua-tinh-Rj5%Pd7Ks2"),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        !text(&output.stdout).contains("moi-cua-tinh-Rj5%Pd7Ks2"),
        "never echoed"
    );
    assert!(login(&served.address, "tinh.quangnam", one_time)["accessToken"].is_null());
    let payload = login(&served.address, "tinh.quangnam", "moi-cua-tinh-Rj5%Pd7Ks2");
    assert_eq!(payload["account"]["mustChangePassword"], false, "{payload}");

    let short = reset(
        &["--username", "tinh.quangnam", "--password-stdin"],
        Some("ngan"),
    );
    assert!(!short.status.success());
    let unknown = reset(&["--username", "khong.co.ai"], None);
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("không có tài khoản «khong.co.ai»"),
        "{}",
        text(&unknown.stderr)
    );
    stop(served);
}

#[test]
fn serve_refuses_a_token_secret_with_too_little_entropy() {
    let dir = tempfile::tempdir().expect("dir");
    for weak in [
        "a".repeat(32),
        "0123456789abcdef0123456789abcdef".to_owned(),
        "short".to_owned(),
    ] {
        let output = tcd()
            .args(["serve", "--no-seed", "--database-url", &sqlite_url(&dir)])
            .env("TCD_ENV", "production")
            .env("TCD_BIND", "127.0.0.1:0")
            .env("TCD_JWT_SECRET", &weak)
            .output()
            .expect("runs");
        assert!(!output.status.success(), "{weak} accepted");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("openssl rand -hex 32"), "{stderr}");
        assert!(
            !stderr.contains(&weak),
            "the refusal does not echo the secret: {stderr}"
        );
    }
}

#[test]
fn healthcheck_answers_for_a_running_server_and_fails_without_one() {
    let dir = tempfile::tempdir().expect("dir");
    let served = serve_with(&dir, &[], &[]);
    let bind = served.address.trim_start_matches("http://").to_owned();
    for flags in [&[][..], &["--ready"][..]] {
        let output = tcd()
            .args(["healthcheck", "--bind", &bind])
            .args(flags)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let port = bind.rsplit(':').next().expect("port").to_owned();
    let output = tcd()
        .args(["healthcheck", "--bind", &format!("0.0.0.0:{port}")])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "a wildcard bind is asked on loopback"
    );
    stop(served);
    let output = tcd()
        .args(["healthcheck", "--bind", &bind])
        .output()
        .expect("runs");
    assert!(!output.status.success(), "nothing listens any more");
}

#[test]
fn production_without_a_secret_refuses_before_touching_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let output = tcd()
        .args(["serve", "--database-url", &sqlite_url(&dir)])
        .env("TCD_ENV", "production")
        .env("TCD_BIND", "127.0.0.1:0")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("TCD_JWT_SECRET"),
        "{}",
        text(&output.stderr)
    );
    assert!(
        !dir.path().join("tcd.db").exists(),
        "no database was created, migrated or seeded"
    );
}
