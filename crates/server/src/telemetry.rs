//! Logging: human-readable lines by default, JSON with `TCD_LOG_FORMAT=json`. Filter with
//! `RUST_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

use crate::LogFormat;

/// Installs the global subscriber. Safe to call more than once: later calls do nothing.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
    };
}
