//! `cargo xtask`: the build steps cargo alone does not do, in one place that the README's
//! commands and CI both call. Std only, so it builds in seconds on a fresh machine.
//!
//! - `build-web [--locked]`: the web app into `frontend/dist/` — installs the wasm target and
//!   `wasm-bindgen-cli` at the version `frontend/Cargo.toml` pins when missing, builds the
//!   crate for `wasm32-unknown-unknown` in release, runs `wasm-bindgen --target web`, then
//!   `wasm-opt -Oz` (the one on PATH, or binaryen's from npm, installed once under
//!   `target/binaryen`; skipped only without npm), and writes `index.html` with
//!   content-hashed assets under `assets/`.
//! - `run [ARGS]`: `build-web`, then `cargo run -- serve --demo ARGS` (`cargo xtask run --
//!   --units 2025-07` works too: the `--` is dropped).
//! - `test [ARGS]`: `build-web`, the web app's own tests (on the host, then in headless
//!   Chromium with `wasm-bindgen-test`), then `cargo test --workspace ARGS`.
//! - `bench-peer [--seconds N] …`: tcd's GraphQL API against `PostGraphile` and the SQL floor
//!   (`pgbench`) on the same PostgreSQL tables, written into `BENCHMARKS.md` (see
//!   `bench_peer.rs`). Needs PostgreSQL, Node/npm, wrk and pgbench; never run by CI.

mod bench_peer;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;
use std::{env, fs};

const TARGET: &str = "wasm32-unknown-unknown";
/// The wasm features rustc enables by default for the target, which `wasm-opt` must accept.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let mut args = env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("build-web") => build_web(rest.iter().any(|a| a == "--locked")),
        Some("run") => run(&rest),
        Some("test") => test(&rest),
        Some("bench-peer") => bench_peer::bench_peer(&rest),
        _ => Err(
            "usage: cargo xtask <build-web [--locked] | run [ARGS] | test [ARGS] | bench-peer [ARGS]>"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a command to completion, failing with its description when it fails.
fn status(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// What a command prints, or `None` when it cannot run or fails.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The cores this machine offers (at least 1).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

fn on_path(program: &str) -> bool {
    output(program, &["--version"]).is_some()
}

/// The binaryen release whose `wasm-opt` shrinks the web app when none is on PATH.
const BINARYEN: &str = "132.0.0";

/// A `wasm-opt` to run: the one on PATH, or binaryen's from npm, installed once under
/// `target/binaryen`. `None` only on a machine without npm (rustup alone), where the app is
/// built unoptimized.
fn wasm_opt(root: &Path) -> Result<Option<PathBuf>> {
    if on_path("wasm-opt") {
        return Ok(Some(PathBuf::from("wasm-opt")));
    }
    let dir = root.join("target/binaryen");
    let installed = dir.join("node_modules/.bin/wasm-opt");
    let wanted = format!(
        "wasm-opt version {}",
        BINARYEN.split('.').next().unwrap_or(BINARYEN)
    );
    let current = output(&installed.to_string_lossy(), &["--version"]);
    if current.is_some_and(|v| v.starts_with(&wanted)) {
        return Ok(Some(installed));
    }
    if !on_path("npm") {
        return Ok(None);
    }
    eprintln!(
        "xtask: installing wasm-opt (binaryen {BINARYEN}) from npm into {}",
        dir.display()
    );
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    fs::write(
        dir.join("package.json"),
        "{ \"private\": true, \"description\": \"cargo xtask build-web: wasm-opt\" }\n",
    )
    .map_err(|e| e.to_string())?;
    status(
        Command::new("npm")
            .current_dir(&dir)
            .args(["install", "--no-audit", "--no-fund", "--save-exact"])
            .arg(format!("binaryen@{BINARYEN}")),
    )?;
    Ok(Some(installed))
}

fn run(args: &[String]) -> Result {
    build_web(args.iter().any(|a| a == "--locked"))?;
    status(
        cargo()
            .current_dir(root())
            .args(["run", "--", "serve", "--demo"])
            .args(serve_args(args)),
    )
}

/// The arguments `run` passes on to `tcd serve`: all but `--locked`, and but the `--` of
/// `cargo xtask run -- --units 2025-07`, which cargo hands on and `tcd serve` (no positional
/// arguments) would refuse.
fn serve_args(args: &[String]) -> impl Iterator<Item = &String> {
    args.iter().filter(|a| *a != "--locked" && *a != "--")
}

fn test(args: &[String]) -> Result {
    let locked = args.iter().any(|a| a == "--locked");
    build_web(locked)?;
    let frontend = root().join("frontend/Cargo.toml");
    let mut web_tests = cargo();
    web_tests.arg("test").arg("--manifest-path").arg(&frontend);
    if locked {
        web_tests.arg("--locked");
    }
    status(&mut web_tests)?;
    web_browser_tests(locked)?;
    status(
        cargo()
            .current_dir(root())
            .args(["test", "--workspace"])
            .args(args),
    )
}

/// The web app's `wasm-bindgen-test`s, in headless Chromium through chromedriver and the
/// `wasm-bindgen-test-runner` that `build-web` installed. Skipped without chromedriver,
/// unless `TCD_REQUIRE_BROWSER=1`.
fn web_browser_tests(locked: bool) -> Result {
    let chromedriver = env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromedriver")))
        .filter(|p| p.is_file());
    let Some(chromedriver) = chromedriver else {
        if env::var("TCD_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            return Err("TCD_REQUIRE_BROWSER=1 but chromedriver is missing: \
                        apt-get install chromium chromium-driver"
                .to_owned());
        }
        eprintln!("xtask: no chromedriver: the web app's browser tests are skipped");
        return Ok(());
    };
    let frontend = root().join("frontend");
    let mut command = cargo();
    command
        .current_dir(&frontend)
        .args(["test", "--target", TARGET])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", chromedriver)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            frontend.join("webdriver.json"),
        );
    if locked {
        command.arg("--locked");
    }
    status(&mut command)
}

/// The exact `wasm-bindgen` version `frontend/Cargo.toml` pins (`wasm-bindgen = "=X"`).
fn pinned_wasm_bindgen(manifest: &str) -> Result<String> {
    manifest
        .lines()
        .filter_map(|line| line.trim().strip_prefix("wasm-bindgen"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .find_map(|rest| {
            let quoted = rest.trim().strip_prefix("\"=")?;
            quoted.split('"').next().map(str::to_owned)
        })
        .ok_or_else(|| {
            "frontend/Cargo.toml must pin wasm-bindgen exactly: wasm-bindgen = \"=0.2.x\""
                .to_owned()
        })
}

fn ensure_tools(version: &str) -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]);
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == TARGET) => {}
        Some(_) => status(Command::new("rustup").args(["target", "add", TARGET]))?,
        None => eprintln!("xtask: no rustup; assuming the {TARGET} target is installed"),
    }
    let want = format!("wasm-bindgen {version}");
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.trim() != want {
        eprintln!(
            "xtask: installing wasm-bindgen-cli {version} (found: {:?})",
            have.trim()
        );
        // Without --locked: the CLI's own lock file needs a newer cargo than some machines have.
        status(cargo().args(["install", "wasm-bindgen-cli", "--version", version]))?;
    }
    Ok(())
}

fn build_web(locked: bool) -> Result {
    let started = Instant::now();
    let root = root();
    let frontend = root.join("frontend");
    let manifest = fs::read_to_string(frontend.join("Cargo.toml"))
        .map_err(|e| format!("cannot read frontend/Cargo.toml: {e}"))?;
    let version = pinned_wasm_bindgen(&manifest)?;
    ensure_tools(&version)?;

    let mut build = cargo();
    build
        .current_dir(&frontend)
        .args(["build", "--release", "--target", TARGET]);
    if locked {
        build.arg("--locked");
    }
    status(&mut build)?;
    let compiled = Instant::now();

    let target = frontend.join("target");
    let bindgen_dir = target.join("wasm-bindgen");
    status(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "app",
                "--out-dir",
            ])
            .arg(&bindgen_dir)
            .arg(target.join(TARGET).join("release/app.wasm")),
    )?;
    let wasm_path = bindgen_dir.join("app_bg.wasm");
    if let Some(wasm_opt) = wasm_opt(&root)? {
        let optimized = bindgen_dir.join("app_bg.opt.wasm");
        status(
            Command::new(&wasm_opt)
                .arg("-Oz")
                .args(WASM_FEATURES)
                .arg(&wasm_path)
                .arg("-o")
                .arg(&optimized),
        )?;
        fs::rename(&optimized, &wasm_path).map_err(|e| e.to_string())?;
    } else {
        eprintln!(
            "xtask: neither wasm-opt nor npm (for binaryen) is on PATH: the web app is not \
             optimized and is about a third larger"
        );
    }

    let wasm = read(&wasm_path)?;
    let wasm_name = format!("app-{}_bg.wasm", hash(&wasm));
    let js = String::from_utf8(read(&bindgen_dir.join("app.js"))?)
        .map_err(|_| "wasm-bindgen wrote JavaScript that is not UTF-8".to_owned())?;
    let js = bootstrap(&js, &wasm_name)?;
    let mut css = read(&frontend.join("style/pico.red.min.css"))?;
    css.push(b'\n');
    css.extend(read(&frontend.join("style/app.css"))?);
    let template = String::from_utf8(read(&frontend.join("index.html"))?)
        .map_err(|_| "frontend/index.html is not UTF-8".to_owned())?;

    let dist = frontend.join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    let assets = dist.join("assets");
    fs::create_dir_all(&assets).map_err(|e| e.to_string())?;
    let js_name = format!("app-{}.js", hash(js.as_bytes()));
    let css_name = format!("style-{}.css", hash(&css));
    write(&assets.join(&js_name), js.as_bytes())?;
    write(&assets.join(&wasm_name), &wasm)?;
    write(&assets.join(&css_name), &css)?;
    let index = template
        .replace("{{style}}", &format!("/assets/{css_name}"))
        .replace("{{script}}", &format!("/assets/{js_name}"))
        .replace("{{wasm}}", &format!("/assets/{wasm_name}"));
    write(&dist.join("index.html"), index.as_bytes())?;

    let gzipped = gzip_size(&assets.join(&wasm_name))
        .map_or_else(String::new, |n| format!(", {} gzipped", kib(n)));
    eprintln!(
        "xtask: web app in {} ({:.0} s, compile {:.0} s): {wasm_name} {}{gzipped}",
        dist.display(),
        started.elapsed().as_secs_f64(),
        compiled.duration_since(started).as_secs_f64(),
        kib(wasm.len()),
    );
    Ok(())
}

/// Runs when the module loads: shown if the app cannot start (an old browser, a failed
/// download), instead of a page that stays on "loading" forever.
const START: &str = r#"
__wbg_init().catch((error) => {
  console.error(error);
  const app = document.getElementById("app");
  if (app) {
    app.innerHTML = '<main class="container"><p role="alert">Không tải được ứng dụng. Hãy tải lại trang; nếu vẫn lỗi, hãy dùng trình duyệt mới hơn (Chrome, Edge, Firefox, Safari).</p></main>';
  }
});
"#;

/// wasm-bindgen's JavaScript, pointed at the hashed `.wasm` beside it and made to start the
/// app itself, so `index.html` needs no inline script (a strict Content-Security-Policy).
fn bootstrap(js: &str, wasm_name: &str) -> Result<String> {
    let default_url = "new URL('app_bg.wasm', import.meta.url)";
    if !js.contains(default_url) || !js.contains("__wbg_init as default") {
        return Err(
            "wasm-bindgen's output changed shape: update bootstrap() in xtask/src/main.rs"
                .to_owned(),
        );
    }
    let js = js.replace(
        default_url,
        &format!("new URL('{wasm_name}', import.meta.url)"),
    );
    Ok(format!("{js}{START}"))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// The gzip -9 size of a file, when `gzip` is installed (only for the report).
fn gzip_size(path: &Path) -> Option<usize> {
    let out = Command::new("gzip").arg("-9c").arg(path).output().ok()?;
    out.status.success().then_some(out.stdout.len())
}

/// A short content hash for cache-busting file names (FNV-1a, 64 bits): not for security,
/// only so that a changed file gets a new name.
fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut text = String::with_capacity(16);
    for byte in h.to_be_bytes() {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_passes_its_arguments_to_serve_without_the_separator_or_locked() {
        let args: Vec<String> = ["--", "--units", "2025-07", "--locked"]
            .map(String::from)
            .into();
        assert_eq!(
            serve_args(&args).collect::<Vec<_>>(),
            ["--units", "2025-07"]
        );
    }

    #[test]
    fn the_pinned_version_is_read_from_the_manifest() {
        let manifest =
            "[dependencies]\nwasm-bindgen-futures = \"0.4\"\nwasm-bindgen = \"=0.2.130\"\n";
        assert_eq!(pinned_wasm_bindgen(manifest).as_deref(), Ok("0.2.130"));
        assert!(pinned_wasm_bindgen("wasm-bindgen = \"0.2\"").is_err());
    }

    #[test]
    fn the_module_loads_the_hashed_wasm_and_starts_itself() {
        let js = "x = new URL('app_bg.wasm', import.meta.url);\nexport { initSync, __wbg_init as default };\n";
        let out = bootstrap(js, "app-0123_bg.wasm").expect("bootstraps");
        assert!(out.contains("new URL('app-0123_bg.wasm', import.meta.url)"));
        assert!(out.trim_end().ends_with("});"));
        assert!(bootstrap("something else", "x").is_err());
    }

    #[test]
    fn hashes_change_with_the_content() {
        assert_eq!(hash(b"a").len(), 16);
        assert_ne!(hash(b"a"), hash(b"b"));
        assert_eq!(hash(b""), "cbf29ce484222325");
    }
}
