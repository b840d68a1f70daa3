//! Password hashing: argon2id (m = 19456 KiB, t = 2, p = 1) in PHC strings, computed on a
//! blocking thread with a cap on concurrent hashes so a burst of sign-ins cannot exhaust
//! memory or starve the async workers.

use std::sync::LazyLock;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use domain::{Unit, Username};
use rand::Rng;
use store::{ConnectionTrait, StoreError};
use tokio::sync::Semaphore;

use crate::{By, UserError};

/// At most this many hashes run at once (each holds 19 MiB).
const CONCURRENT_HASHES: usize = 4;
static PERMITS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when the account does not exist, so that an unknown username
/// takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking(&generate()).unwrap_or_default());

/// Why hashing failed: only on a broken system (no randomness, a panicked thread).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

fn hash_blocking(password: &str) -> Result<String, HashError> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    let _permit = PERMITS
        .acquire()
        .await
        .map_err(|e| HashError(e.to_string()))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| HashError(e.to_string()))
}

/// Hashes a password into a PHC string.
pub async fn hash(password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    blocking(move || hash_blocking(&password)).await?
}

/// Whether `password` matches the PHC string `hash`; with `None`, checks against a dummy hash
/// and answers false, taking the same time.
pub async fn verify(password: &str, hash: Option<&str>) -> Result<bool, HashError> {
    let password = password.to_owned();
    let known = hash.is_some();
    let hash = hash.map_or_else(|| DUMMY_HASH.clone(), str::to_owned);
    let matches = blocking(move || {
        argon2()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await?;
    Ok(known && matches)
}

/// The first password of an account: `given`, or a generated one. Returns its hash and the
/// generated password, if any, to show once.
pub async fn initial(given: Option<&str>) -> Result<(String, Option<String>), HashError> {
    let generated = given.is_none().then(generate);
    let hash = hash(given.or(generated.as_deref()).unwrap_or_default()).await?;
    Ok((hash, generated))
}

/// Whether an account must replace a password it was just given at its next sign-in: always
/// when an admin set or generated it (the admin knows it), and when it was generated for the
/// operator; a password the operator typed at the server (`--password-stdin`, the demo
/// accounts) is the account holder's own.
pub fn must_change(by: By<'_>, generated: bool) -> bool {
    generated || matches!(by, By::Account(_))
}

/// What an attacker would try first as the password of an account named `display_name` at
/// `unit`: the names, and the names of the units above.
pub async fn easy_guesses(
    db: &impl ConnectionTrait,
    display_name: &str,
    unit: &Unit,
) -> Result<Vec<String>, StoreError> {
    let above = store::units::ancestors(db, unit).await?;
    let mut words = vec![display_name.to_owned(), unit.name.clone(), unit.full_name()];
    words.extend(above.iter().flat_map(|u| [u.name.clone(), u.full_name()]));
    Ok(words)
}

/// The problem with `password` as the new password of `username`, named `display_name`, at
/// `unit`, reported on the input field `field`; `None` when it is strong enough.
pub async fn check_new(
    db: &impl ConnectionTrait,
    field: &str,
    password: &str,
    username: &Username,
    display_name: &str,
    unit: &Unit,
) -> Result<Option<UserError>, StoreError> {
    let easy = easy_guesses(db, display_name, unit).await?;
    let easy: Vec<&str> = easy.iter().map(String::as_str).collect();
    Ok(
        domain::account::check_new_password(password, username, &easy)
            .err()
            .map(|e| UserError::from_domain(field, &e)),
    )
}

/// Letters and digits that cannot be taken for one another when read aloud or copied by
/// hand: no 0/O/o, 1/l/I/i.
const UNAMBIGUOUS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";

/// A random password of 16 unambiguous letters and digits in four groups of four (about 92
/// bits), for new accounts and resets: it is often handed over by phone.
pub fn generate() -> String {
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..4)
                .map(|_| char::from(UNAMBIGUOUS[rng.random_range(0..UNAMBIGUOUS.len())]))
                .collect()
        })
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_phc_strings_that_verify() {
        let phc = hash("mật khẩu đúng").await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("mật khẩu đúng", Some(&phc)).await.expect("verify"));
        assert!(!verify("mật khẩu sai", Some(&phc)).await.expect("verify"));
        assert!(!verify("mật khẩu đúng", None).await.expect("verify"));
        assert!(!verify("x", Some("not a phc string")).await.expect("verify"));
    }

    #[test]
    fn generated_passwords_are_long_different_and_unambiguous() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 19);
        assert_ne!(a, b);
        assert_eq!(a.split('-').count(), 4);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_alphanumeric()));
        for _ in 0..200 {
            let p = generate();
            assert!(!p.contains(['0', 'O', 'o', '1', 'l', 'I', 'i']), "{p}");
            let user = domain::Username::parse("xa.tamdan").expect("username");
            assert_eq!(
                domain::account::check_new_password(&p, &user, &[]),
                Ok(()),
                "{p}"
            );
        }
    }
}
