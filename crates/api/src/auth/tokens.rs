//! Refresh tokens: 256 random bits, handed to the browser in an httpOnly cookie, stored only
//! as their SHA-256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The name of the refresh cookie.
pub const REFRESH_COOKIE: &str = "tcd_refresh";
/// The only path the browser sends the cookie to.
pub const REFRESH_COOKIE_PATH: &str = "/graphql";

/// A new random refresh token.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that stores `token` for `max_age`, or clears it with `None`.
pub fn cookie(token: Option<&str>, max_age: std::time::Duration, secure: bool) -> String {
    let age = match token {
        Some(_) => {
            cookie::time::Duration::seconds(i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX))
        }
        None => cookie::time::Duration::ZERO,
    };
    cookie::Cookie::build((REFRESH_COOKIE, token.unwrap_or_default().to_owned()))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .path(REFRESH_COOKIE_PATH)
        .secure(secure)
        .max_age(age)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_scoped() {
        let set = cookie(Some("abc"), std::time::Duration::from_mins(1), true);
        for part in [
            "tcd_refresh=abc",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/graphql",
            "Secure",
            "Max-Age=60",
        ] {
            assert!(set.contains(part), "{part} in {set}");
        }
        let cleared = cookie(None, std::time::Duration::from_mins(1), false);
        assert!(
            cleared.contains("Max-Age=0") && !cleared.contains("Secure"),
            "{cleared}"
        );
    }
}
