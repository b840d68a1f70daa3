//! Secrets chosen by an operator, such as the key that signs access tokens.

use crate::DomainError;

/// The shortest accepted signing secret, in bytes.
pub const SIGNING_SECRET_MIN_BYTES: usize = 32;
/// The estimator's ceiling (its guesses are a `u64`): it found no pattern that makes the
/// secret guessable.
const UNGUESSABLE_LOG10: f64 = 19.0;
/// The least information the secret's characters must carry, by their frequencies.
const MIN_BITS: f64 = 128.0;
/// How much of a secret the pattern estimator looks at: enough to judge it, bounded in time.
const ESTIMATED_PREFIX: usize = 128;

/// Checks that a signing secret is long and random enough: at least 32 bytes, no pattern a
/// password cracker would try (runs, repeats, keyboard rows, words), and 128 bits by the
/// frequencies of its characters. 32 × `a` or a keyboard run are refused; the output of
/// `openssl rand -hex 32` or `openssl rand -base64 32` is not.
pub fn check_signing_secret(secret: &[u8]) -> Result<(), DomainError> {
    if secret.len() < SIGNING_SECRET_MIN_BYTES || shannon_bits(secret) < MIN_BITS {
        return Err(DomainError::WeakSecret);
    }
    let text = String::from_utf8_lossy(secret);
    let prefix: String = text.chars().take(ESTIMATED_PREFIX).collect();
    if zxcvbn::zxcvbn(&prefix, &[]).guesses_log10() < UNGUESSABLE_LOG10 {
        return Err(DomainError::WeakSecret);
    }
    Ok(())
}

/// The information in `bytes` if each were drawn independently with its observed frequency.
#[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn shannon_bits(bytes: &[u8]) -> f64 {
    let mut counts = [0usize; 256];
    for b in bytes {
        counts[usize::from(*b)] += 1;
    }
    let n = bytes.len() as f64;
    let per_byte: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            -p * p.log2()
        })
        .sum();
    per_byte * n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_pass_and_predictable_ones_do_not() {
        for good in [
            "4f9c2a7d1e8b6035c9a4f2e7d1b8c6a3e5f0d9c7b2a4e6f8d1c3b5a7e9f0c2d4",
            "q3VZ8k1mR7xT2pLw9nB4cY6hJ0sD5fG8aK3eU7iO1tM",
        ] {
            assert_eq!(check_signing_secret(good.as_bytes()), Ok(()), "{good}");
        }
        for bad in [
            "a".repeat(32),
            "0123456789abcdef0123456789abcdef".to_owned(),
            "qwertyuiopasdfghjklzxcvbnmqwertyuiop".to_owned(),
            "password password password password".to_owned(),
            "short but random: 9f$kq!".to_owned(),
            "0f3a9c2e7b14d58a6c0e9f2b7d3a1c5e".to_owned(),
        ] {
            assert_eq!(
                check_signing_secret(bad.as_bytes()),
                Err(DomainError::WeakSecret),
                "{bad}"
            );
        }
        assert!(
            check_signing_secret(&[b'x'; 10_000]).is_err(),
            "long and empty of entropy"
        );
    }
}
