//! Debian's nginx running the project's `docker/nginx.conf.template`, rendered as the nginx
//! image renders it, inside a main configuration like the image's own; and the TLS
//! certificate it serves, made by the test for a name that is not localhost.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::common::free_port;
use crate::compose::envsubst;
use crate::process::{Group, find_tool, run, running_as_root, tail, wait_until};

pub fn binary() -> Option<PathBuf> {
    find_tool("nginx", &[PathBuf::from("/usr/sbin")])
}

/// Debian's `mime.types`, which the image's main configuration includes too.
pub const MIME_TYPES: &str = "/etc/nginx/mime.types";

/// A certificate authority of the test's own and a certificate it signed for `host`.
pub struct Tls {
    /// The certificate chain nginx serves (`fullchain.pem`).
    pub fullchain: PathBuf,
    pub key: PathBuf,
    /// The authority, for clients to trust.
    pub ca_pem: Vec<u8>,
    /// base64 of the SHA-256 of the served key's `SubjectPublicKeyInfo`, as Chromium's
    /// `--ignore-certificate-errors-spki-list` takes it.
    pub spki_sha256: String,
}

/// Makes the certificates in `dir` with the `openssl` command line.
pub fn certificate(dir: &Path, host: &str) -> Result<Tls> {
    let openssl = || {
        let mut c = Command::new("openssl");
        c.current_dir(dir);
        c
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    run(openssl()
        .args([
            "req",
            "-x509",
            "-days",
            "2",
            "-subj",
            "/CN=Trang Cong Dong test CA",
        ])
        .args(ec)
        .args(["-keyout", "ca.key", "-out", "ca.pem"]))?;
    run(openssl()
        .args(["req", "-subj", &format!("/CN={host}")])
        .args(ec)
        .args(["-keyout", "privkey.pem", "-out", "site.csr"]))?;
    std::fs::write(
        dir.join("site.ext"),
        format!(
            "subjectAltName = DNS:{host}\nbasicConstraints = CA:FALSE\n\
             keyUsage = digitalSignature\nextendedKeyUsage = serverAuth\n"
        ),
    )?;
    run(openssl().args([
        "x509",
        "-req",
        "-in",
        "site.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "site.ext",
        "-out",
        "site.pem",
    ]))?;
    let ca_pem = std::fs::read(dir.join("ca.pem"))?;
    let mut chain = std::fs::read(dir.join("site.pem"))?;
    chain.extend_from_slice(&ca_pem);
    std::fs::write(dir.join("fullchain.pem"), chain)?;
    let spki =
        run(openssl().args(["pkey", "-in", "privkey.pem", "-pubout", "-outform", "DER"]))?.stdout;
    Ok(Tls {
        fullchain: dir.join("fullchain.pem"),
        key: dir.join("privkey.pem"),
        ca_pem,
        spki_sha256: base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&spki)),
    })
}

pub struct Nginx {
    error_log: PathBuf,
    process: Group,
    _dir: tempfile::TempDir,
}

/// The main configuration, shaped like the nginx image's `/etc/nginx/nginx.conf`, with every
/// path nginx writes inside `dir`.
fn main_conf(dir: &Path, site: &Path) -> String {
    let d = dir.display();
    // As root, nginx's workers drop to `nobody`, which may read the web app but not the
    // test's files; nginx creates its temporary directories for that user itself.
    let user = if running_as_root() {
        "user nobody nogroup;\n"
    } else {
        ""
    };
    format!(
        "{user}worker_processes 1;\n\
         error_log {d}/error.log notice;\n\
         events {{\n    worker_connections 512;\n}}\n\
         http {{\n\
         \x20   include {MIME_TYPES};\n\
         \x20   default_type application/octet-stream;\n\
         \x20   access_log {d}/access.log;\n\
         \x20   sendfile on;\n\
         \x20   keepalive_timeout 65;\n\
         \x20   client_body_temp_path {d}/client_body;\n\
         \x20   proxy_temp_path {d}/proxy;\n\
         \x20   fastcgi_temp_path {d}/fastcgi;\n\
         \x20   uwsgi_temp_path {d}/uwsgi;\n\
         \x20   scgi_temp_path {d}/scgi;\n\
         \x20   include {};\n\
         }}\n",
        site.display()
    )
}

impl Nginx {
    /// Free ports for the two `listen`s, on 127.0.0.1 only.
    pub fn ports() -> (u16, u16) {
        (free_port(), free_port())
    }

    /// Renders `template` with `environment` (the `web` service's, adjusted for local use)
    /// and serves it; ready once plain HTTP on `http_port` answers nginx's health check.
    pub async fn start(
        template: &str,
        environment: &BTreeMap<String, String>,
        http_port: u16,
    ) -> Result<Self> {
        let nginx = binary().context("nginx is missing")?;
        let dir = tempfile::tempdir()?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
        let site = dir.path().join("default.conf");
        std::fs::write(&site, envsubst(template, environment))?;
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, main_conf(dir.path(), &site))?;
        let error_log = dir.path().join("error.log");
        let pid = dir.path().join("nginx.pid");
        let mut command = Command::new(&nginx);
        command
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(&error_log)
            .arg("-g")
            .arg(format!("daemon off; pid {};", pid.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        run(Command::new(&nginx)
            .arg("-t")
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(&error_log)
            .arg("-g")
            .arg(format!("pid {};", pid.display())))
        .with_context(|| {
            format!(
                "the rendered configuration:\n{}",
                std::fs::read_to_string(&site).unwrap_or_default()
            )
        })?;
        let mut process = Group::spawn("nginx", &mut command)?;
        let health = format!("http://127.0.0.1:{http_port}/nginx-health");
        let client = reqwest::Client::new();
        let up = wait_until(
            "nginx answers /nginx-health",
            Duration::from_secs(30),
            || {
                let request = client.get(&health).timeout(Duration::from_secs(2)).send();
                async { request.await.is_ok_and(|r| r.status().is_success()) }
            },
        )
        .await;
        if let Err(e) = up.and_then(|()| process.check_running()) {
            return Err(e.context(format!("nginx's error log:\n{}", tail(&error_log))));
        }
        Ok(Self {
            error_log,
            process,
            _dir: dir,
        })
    }

    /// Fails with nginx's error log when it has stopped.
    pub fn check_running(&mut self) -> Result<()> {
        let running = self.process.check_running();
        ensure!(running.is_ok(), "{running:?}: {}", tail(&self.error_log));
        Ok(())
    }
}
