//! Access tokens: JWT signed with HS256, verified with an algorithm allow-list of exactly
//! HS256, a required audience and expiry, and no leeway.
//!
//! A client sends the same token with every request until it renews it, so a token that
//! verified once is remembered (by its whole text, with its claims): checking its signature
//! again — decoding, parsing and an HMAC — was the largest single cost of a small request.
//! Its expiry is still checked every time. Only tokens that verified are remembered, so
//! made-up tokens cannot fill the memory; a bounded number of them are, least recently used
//! forgotten first.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const AUDIENCE: &str = "tcd";

/// How many verified tokens are remembered: a few megabytes at most.
const REMEMBERED_TOKENS: usize = 10_000;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The account id.
    pub sub: Uuid,
    /// The code of the account's unit.
    pub unit: String,
    pub role: String,
    /// The account's token version when issued; bumping it revokes the token.
    pub ver: i32,
    /// The session (the family of refresh tokens) the token belongs to: signing out ends it,
    /// and with it the token.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
}

/// Signing and verification keys derived from the secret.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    verified: Mutex<lru::LruCache<Box<str>, Claims>>,
}

impl Keys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            verified: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(REMEMBERED_TOKENS).expect("not zero"),
            )),
        }
    }

    /// Signs a token for the account in the session `session_id`, valid until `expires_at`.
    pub fn issue(
        &self,
        account: &domain::Account,
        unit_code: &str,
        session_id: Uuid,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: account.id,
            unit: unit_code.to_owned(),
            role: account.role.as_str().to_owned(),
            ver: account.token_version,
            sid: session_id,
            iat: issued_at.timestamp(),
            exp: expires_at.timestamp(),
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The claims of a valid, unexpired token signed with this secret.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let now = jsonwebtoken::get_current_timestamp();
        if let Some(claims) = self.remembered(token) {
            // jsonwebtoken's own rule, without leeway: valid up to its `exp` second included.
            return (u64::try_from(claims.exp).is_ok_and(|exp| exp >= now)).then_some(claims);
        }
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        if let Ok(mut verified) = self.verified.lock() {
            verified.put(token.into(), claims.clone());
        }
        Some(claims)
    }

    fn remembered(&self, token: &str) -> Option<Claims> {
        self.verified.lock().ok()?.get(token).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::TimeDelta;

    fn keys() -> Keys {
        Keys::new(b"0123456789abcdef0123456789abcdef")
    }

    fn account(id: Uuid, token_version: i32) -> domain::Account {
        domain::Account {
            id,
            username: domain::Username::parse("huyen.phuninh").expect("username"),
            display_name: "Phú Ninh".to_owned(),
            unit_id: Uuid::nil(),
            role: domain::Role::Admin,
            active: true,
            must_change_password: false,
            token_version,
            created_at: Utc::now(),
            last_login_at: None,
            disabled_by: None,
        }
    }

    #[test]
    fn a_fresh_token_verifies_with_its_claims() {
        let now = Utc::now();
        let id = Uuid::now_v7();
        let sid = Uuid::now_v7();
        let token = keys()
            .issue(
                &account(id, 3),
                "518",
                sid,
                now,
                now + TimeDelta::minutes(15),
            )
            .expect("sign");
        let claims = keys().verify(&token).expect("valid");
        assert_eq!(
            (claims.sub, claims.unit.as_str(), claims.ver, claims.sid),
            (id, "518", 3, sid)
        );
    }

    #[test]
    fn expired_foreign_and_unsigned_tokens_are_refused() {
        let now = Utc::now();
        let id = Uuid::now_v7();
        let expired = keys()
            .issue(
                &account(id, 0),
                "49",
                Uuid::now_v7(),
                now - TimeDelta::hours(1),
                now - TimeDelta::seconds(1),
            )
            .expect("sign");
        assert!(keys().verify(&expired).is_none());
        let foreign = Keys::new(b"another secret of thirty-two bytes")
            .issue(
                &account(id, 0),
                "49",
                Uuid::now_v7(),
                now,
                now + TimeDelta::minutes(5),
            )
            .expect("sign");
        assert!(keys().verify(&foreign).is_none());
        // alg "none": header and claims without a signature.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"{id}","unit":"49","role":"admin","ver":0,"sid":"{id}","iat":0,"exp":{},"aud":"tcd"}}"#,
            (now + TimeDelta::minutes(5)).timestamp()
        ));
        assert!(keys().verify(&format!("{header}.{body}.")).is_none());
        assert!(keys().verify("garbage").is_none());
    }

    #[test]
    fn a_remembered_token_still_expires_and_a_tampered_one_is_not_remembered() {
        let keys = keys();
        let now = Utc::now();
        let id = Uuid::now_v7();
        // Valid for this second and the next: verified once, then remembered.
        let token = keys
            .issue(
                &account(id, 0),
                "49",
                Uuid::now_v7(),
                now,
                now + TimeDelta::seconds(1),
            )
            .expect("sign");
        assert!(keys.verify(&token).is_some());
        assert!(keys.verify(&token).is_some(), "remembered");
        // One character of the signature changed: a different text, checked afresh.
        let mut tampered = token.clone();
        let last = if tampered.ends_with('A') { "B" } else { "A" };
        tampered.replace_range(tampered.len() - 1.., last);
        assert!(keys.verify(&tampered).is_none());
        std::thread::sleep(std::time::Duration::from_millis(2_100));
        assert!(keys.verify(&token).is_none(), "expired while remembered");
    }
}
