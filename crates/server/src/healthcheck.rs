//! `tcd healthcheck`: one HTTP/1.1 GET over a plain socket, so a container can check the
//! server without curl or wget (the runtime image has neither, and Debian's `/bin/sh` has no
//! `/dev/tcp`).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::Context as _;

/// Where to reach a server bound to `bind`: a wildcard address is reached on loopback.
fn target(bind: &str) -> anyhow::Result<SocketAddr> {
    let addr = bind
        .to_socket_addrs()
        .with_context(|| format!("không hiểu địa chỉ {bind}"))?
        .next()
        .with_context(|| format!("không hiểu địa chỉ {bind}"))?;
    Ok(match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    })
}

/// `tcd healthcheck`: `/healthz` (or `/readyz` when `ready`) of the server bound to `bind`
/// answers 200 within 3 s, or an error says what it answered.
pub fn run(bind: &str, ready: bool) -> anyhow::Result<()> {
    let path = if ready { "/readyz" } else { "/healthz" };
    let status = probe(bind, path, Duration::from_secs(3))?;
    anyhow::ensure!(status == 200, "{path}: {status}");
    println!("{path}: {status}");
    Ok(())
}

/// The HTTP status of `GET path` on the server bound to `bind`, within `timeout`.
pub fn probe(bind: &str, path: &str, timeout: Duration) -> anyhow::Result<u16> {
    let addr = target(bind)?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .with_context(|| format!("không kết nối được {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = [0u8; 64];
    let read = stream.read(&mut head)?;
    let line = String::from_utf8_lossy(&head[..read]);
    line.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("câu trả lời không phải HTTP từ {addr}"))
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn wildcard_addresses_are_asked_on_loopback() {
        assert_eq!(
            target("0.0.0.0:8080").expect("addr").to_string(),
            "127.0.0.1:8080"
        );
        assert_eq!(target("[::]:8080").expect("addr").to_string(), "[::1]:8080");
        assert_eq!(
            target("127.0.0.1:9").expect("addr").to_string(),
            "127.0.0.1:9"
        );
    }
}
