//! Marks the PostgreSQL runs of the black-box tests as ignored, with the reason, when
//! `TEST_DATABASE_URL` is not set: they then show as skipped instead of passing silently.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(tcd_postgres)");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=tcd_postgres");
    }
}
