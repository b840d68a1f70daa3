//! Device cookies (OWASP's answer to lockout as a denial of service): a browser in which an
//! account has signed in successfully receives a signed cookie naming the account. When it
//! signs in to that account again, its failures are counted for that browser alone, so an
//! attacker who locks the account or the office's shared address from elsewhere does not
//! lock out the officer at their usual browser; unknown clients stay throttled by account
//! and by address.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::tokens::REFRESH_COOKIE_PATH;

/// The name of the device cookie.
pub const DEVICE_COOKIE: &str = "tcd_device";
/// How long a browser stays known without signing in.
const MAX_AGE_DAYS: i64 = 365;

/// Signs and checks device cookies with a key derived from the token-signing secret.
pub struct DeviceKeys {
    key: Vec<u8>,
}

impl DeviceKeys {
    pub fn new(secret: &[u8]) -> Self {
        // A key of its own, so a device cookie can never pass for anything else signed.
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"tcd device cookie v1");
        Self {
            key: mac.finalize().into_bytes().to_vec(),
        }
    }

    fn mac(&self, nonce: &str, username: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(nonce.as_bytes());
        mac.update(b":");
        mac.update(username.as_bytes());
        mac
    }

    /// A new cookie value for `username` (lower-case, as stored).
    pub fn issue(&self, username: &str) -> String {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let nonce = URL_SAFE_NO_PAD.encode(bytes);
        let tag = URL_SAFE_NO_PAD.encode(self.mac(&nonce, username).finalize().into_bytes());
        format!("{nonce}:{username}:{tag}")
    }

    /// The device's id when `value` is a genuine cookie for `username`.
    pub fn verify(&self, value: &str, username: &str) -> Option<String> {
        let mut parts = value.splitn(3, ':');
        let (nonce, named, tag) = (parts.next()?, parts.next()?, parts.next()?);
        if named != username || nonce.len() > 64 {
            return None;
        }
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.mac(nonce, username).verify_slice(&tag).ok()?;
        Some(nonce.to_owned())
    }
}

/// The `Set-Cookie` value that stores a device cookie.
pub fn cookie(value: &str, secure: bool) -> String {
    cookie::Cookie::build((DEVICE_COOKIE, value.to_owned()))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .path(REFRESH_COOKIE_PATH)
        .secure(secure)
        .max_age(cookie::time::Duration::days(MAX_AGE_DAYS))
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_verifies_for_its_account_only() {
        let keys = DeviceKeys::new(b"0123456789abcdef0123456789abcdef");
        let value = keys.issue("huyen.phuninh");
        let device = keys.verify(&value, "huyen.phuninh").expect("genuine");
        assert!(value.starts_with(&device));
        assert_eq!(keys.verify(&value, "tinh.quangnam"), None);
        let forged = value.replace("huyen.phuninh", "tinh.quangnam");
        assert_eq!(keys.verify(&forged, "tinh.quangnam"), None);
        let other = DeviceKeys::new(b"another secret, also 32 bytes long");
        assert_eq!(other.verify(&value, "huyen.phuninh"), None);
        for junk in ["", ":", "::", "a:huyen.phuninh:", "a:huyen.phuninh:!!"] {
            assert_eq!(keys.verify(junk, "huyen.phuninh"), None, "{junk:?}");
        }
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_long_lived() {
        let set = cookie("v", true);
        for part in [
            "tcd_device=v",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/graphql",
            "Secure",
        ] {
            assert!(set.contains(part), "{part} in {set}");
        }
    }
}
