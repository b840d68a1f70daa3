//! Idempotency keys: a client that sends a mutation with an `Idempotency-Key` header and
//! never hears the answer (a dropped connection, a proxy timeout, a crash after the commit)
//! sends it again with the same key and gets the first answer, instead of doing the work
//! twice.
//!
//! A keyed request runs whole in one transaction ([`store::Atomic`]): the key is claimed at
//! its start, and its answer is recorded at its end, in that same transaction. So the
//! record exists exactly when the effects do: a request that failed before its commit left
//! neither, and its retry runs afresh; a request that committed left both, and its retry is
//! answered from the record. Two requests with one key at once: the second waits for the
//! first and gets its answer.
//!
//! The record is keyed by an HMAC of the account and the client's key under a server key,
//! and the answer (which can hold a one-time password) is sealed under a key derived from
//! the client's key: a copy of the database alone reveals neither. Records are kept for
//! [`store::idempotency::KEPT_FOR`].
//!
//! Only the mutations in [`IDEMPOTENT_MUTATIONS`] take a key: the session mutations commit
//! sign-in counters on their own and set cookies, and a query needs none.

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::idempotency::{Claim, Recorded};
use store::{Atomic, DatabaseConnection, Db, StoreError};
use uuid::Uuid;

use crate::ErrorCode;

/// The request header that carries the key.
pub const HEADER: &str = "idempotency-key";
/// The response header that marks an answer given again from the record.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// The longest key accepted (a UUID is 36 characters).
pub const MAX_KEY_LEN: usize = 255;

/// The mutation fields that accept an idempotency key.
pub const IDEMPOTENT_MUTATIONS: &[&str] = &[
    "createAccount",
    "updateAccount",
    "setAccountActive",
    "resetPassword",
    "createPage",
    "updatePage",
    "reportPage",
    "verifyPage",
    "returnPage",
    "suspendPage",
    "closePage",
    "reopenPage",
    "createPerson",
    "updatePerson",
    "removePerson",
    "assignPerson",
    "setRolloutPlan",
    "createReportingRound",
    "submitReport",
    "acceptReport",
    "returnReport",
    "createCampaign",
    "logPost",
    "requestShares",
    "recordShare",
    "recordPageStats",
    "importPageStats",
    "setPageToken",
    "pullPageStats",
    "reviewPage",
    "logOutreach",
];

const NONCE_LEN: usize = 12;

/// Why a keyed request is refused before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRefusal {
    pub code: ErrorCode,
    /// HTTP status: 400 for a bad key or operation, 422 for a key reused with another
    /// request, 409 for a key whose first request is still running.
    pub status: u16,
    pub message: String,
}

impl KeyRefusal {
    fn new(code: ErrorCode, status: u16, message: impl Into<String>) -> Self {
        Self {
            code,
            status,
            message: message.into(),
        }
    }
}

/// The key of the header's value: 1 to [`MAX_KEY_LEN`] visible ASCII characters.
pub fn parse_key(value: &[u8]) -> Result<String, KeyRefusal> {
    let valid =
        !value.is_empty() && value.len() <= MAX_KEY_LEN && value.iter().all(u8::is_ascii_graphic);
    if !valid {
        return Err(KeyRefusal::new(
            ErrorCode::IdempotencyKeyInvalid,
            400,
            format!(
                "Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters, \
                 such as a UUID."
            ),
        ));
    }
    Ok(String::from_utf8_lossy(value).into_owned())
}

/// Whether the operation `request` will run takes a key: a mutation whose every root field
/// is one of [`IDEMPOTENT_MUTATIONS`] (or `__typename`). The request has been admitted, so
/// its document is parsed and its fragments are acyclic.
pub fn accepts_key(request: &mut async_graphql::Request) -> Result<(), KeyRefusal> {
    let operation_name = request.operation_name.clone();
    let supported = request.parsed_query().is_ok_and(|document| {
        crate::chosen_operation(document, operation_name.as_deref()).is_some_and(|op| {
            op.ty == OperationType::Mutation && only_idempotent(document, &op.selection_set.node, 0)
        })
    });
    if supported {
        Ok(())
    } else {
        Err(KeyRefusal::new(
            ErrorCode::IdempotencyKeyNotSupported,
            400,
            format!(
                "Idempotency-Key is accepted only on one mutation operation whose fields are \
                 among: {}.",
                IDEMPOTENT_MUTATIONS.join(", ")
            ),
        ))
    }
}

fn only_idempotent(document: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
    // Admission bounds fragment nesting well below this; a deeper one is simply refused.
    if depth > 32 {
        return false;
    }
    set.items.iter().all(|item| match &item.node {
        Selection::Field(field) => {
            let name = field.node.name.node.as_str();
            name == "__typename" || IDEMPOTENT_MUTATIONS.contains(&name)
        }
        Selection::InlineFragment(fragment) => {
            only_idempotent(document, &fragment.node.selection_set.node, depth + 1)
        }
        Selection::FragmentSpread(spread) => document
            .fragments
            .get(&spread.node.fragment_name.node)
            .is_some_and(|fragment| {
                only_idempotent(document, &fragment.node.selection_set.node, depth + 1)
            }),
    })
}

/// What identifies a request for its key: the document, the operation and the variables.
/// A retry sends the same bytes; another request under the same key is refused.
pub fn fingerprint(request: &async_graphql::Request) -> String {
    let mut hash = Sha256::new();
    for part in [
        request.query.as_bytes(),
        request.operation_name.as_deref().unwrap_or("").as_bytes(),
        serde_json::to_string(&request.variables)
            .unwrap_or_default()
            .as_bytes(),
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

/// Keys derived from the token-signing secret for the records of keyed requests.
pub struct IdempotencyKeys {
    ids: [u8; 32],
    seals: [u8; 32],
}

type HmacSha256 = Hmac<Sha256>;

fn derive(secret: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(purpose);
    mac.finalize().into_bytes().into()
}

impl IdempotencyKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            ids: derive(secret, b"tcd idempotency record id v1"),
            seals: derive(secret, b"tcd idempotency seal v1"),
        }
    }

    fn per_key(base: &[u8; 32], account: Uuid, key: &str) -> [u8; 32] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(base).expect("HMAC takes any key length");
        mac.update(account.as_bytes());
        mac.update(key.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The record's id for `account`'s key.
    fn record_id(&self, account: Uuid, key: &str) -> String {
        hex::encode(Self::per_key(&self.ids, account, key))
    }

    fn cipher(&self, account: Uuid, key: &str) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&Key::from(Self::per_key(&self.seals, account, key)))
    }

    /// `answer` sealed for the record: a random nonce, then the ciphertext. The status and the
    /// record's id are bound to it.
    fn seal(&self, keyed: &Keyed, status: u16, answer: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated(&keyed.record_id, status);
        let sealed = self
            .cipher(keyed.account, &keyed.key)
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: answer,
                    aad: &aad,
                },
            )
            .expect("ChaCha20-Poly1305 seals any message that fits in memory");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// The answer of a record, if it opens under this key.
    fn open(&self, keyed: &Keyed, status: u16, sealed: &[u8]) -> Option<Vec<u8>> {
        let (nonce, ciphertext) = sealed.split_at_checked(NONCE_LEN)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let aad = associated(&keyed.record_id, status);
        self.cipher(keyed.account, &keyed.key)
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .ok()
    }
}

fn associated(record_id: &str, status: u16) -> Vec<u8> {
    let mut aad = record_id.as_bytes().to_vec();
    aad.extend_from_slice(&status.to_be_bytes());
    aad
}

/// A keyed request: whose it is, its key and what it asks.
pub struct Keyed {
    account: Uuid,
    key: String,
    record_id: String,
    fingerprint: String,
}

impl Keyed {
    pub fn new(keys: &IdempotencyKeys, account: Uuid, key: String, fingerprint: String) -> Self {
        let record_id = keys.record_id(account, &key);
        Self {
            account,
            key,
            record_id,
            fingerprint,
        }
    }
}

/// How a keyed request goes on.
pub enum Begun {
    /// The key is new: run the request on [`Run::db`], then [`Run::finish`] or drop it.
    Run(Run),
    /// The key's request finished before: give its answer again.
    Replay { status: u16, answer: Vec<u8> },
    /// Refused (the key was used for another request, or is in use).
    Refused(KeyRefusal),
}

/// A keyed request running in its transaction.
pub struct Run {
    atomic: Atomic,
    keyed: Keyed,
}

/// Claims the request's key in a new transaction on `pool`, with the request's statement
/// budget (`budget` statements).
pub async fn begin(
    pool: &DatabaseConnection,
    keys: &IdempotencyKeys,
    keyed: Keyed,
    budget: u32,
) -> Result<Begun, BeginError> {
    let atomic = Atomic::begin(pool, crate::new_meter(budget)).await?;
    let db = atomic.db();
    let claim = store::idempotency::claim(
        &db,
        &keyed.record_id,
        keyed.account,
        &keyed.fingerprint,
        chrono::Utc::now(),
    )
    .await?;
    drop(db);
    Ok(match claim {
        Claim::New => Begun::Run(Run { atomic, keyed }),
        Claim::Done(Recorded { fingerprint, .. }) | Claim::Unfinished { fingerprint }
            if fingerprint != keyed.fingerprint =>
        {
            Begun::Refused(reused())
        }
        Claim::Done(Recorded {
            status, response, ..
        }) => match keys.open(&keyed, status, &response) {
            Some(answer) => Begun::Replay { status, answer },
            None => return Err(BeginError::Unreadable),
        },
        Claim::Unfinished { .. } => Begun::Refused(KeyRefusal::new(
            ErrorCode::IdempotencyKeyInUse,
            409,
            "A request with this Idempotency-Key is still being answered; retry shortly.",
        )),
    })
}

fn reused() -> KeyRefusal {
    KeyRefusal::new(
        ErrorCode::IdempotencyKeyReused,
        422,
        "This Idempotency-Key was used for a different request; use a new key for a new request.",
    )
}

/// Why a keyed request could not begin.
#[derive(Debug, thiserror::Error)]
pub enum BeginError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A record that does not open under its own key: corrupted, or sealed by a server with
    /// another secret under the same id (which cannot happen, since the id depends on it).
    #[error("the recorded answer of an idempotency key does not open")]
    Unreadable,
}

impl Run {
    /// The request's database: every statement runs in the request's transaction.
    pub fn db(&self) -> Db {
        self.atomic.db()
    }

    /// Records the answer and commits the request. Until this returns `Ok`, nothing the
    /// request did is kept.
    pub async fn finish(
        self,
        keys: &IdempotencyKeys,
        status: u16,
        answer: &[u8],
    ) -> Result<(), StoreError> {
        let sealed = keys.seal(&self.keyed, status, answer);
        // One statement of bookkeeping, outside the request's budget.
        let db = self.atomic.db_metered_by(store::Meter::new(1, 1));
        store::idempotency::complete(&db, &self.keyed.record_id, status, sealed).await?;
        drop(db);
        self.atomic.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed(keys: &IdempotencyKeys, account: Uuid, key: &str) -> Keyed {
        Keyed::new(keys, account, key.to_owned(), "f".repeat(64))
    }

    #[test]
    fn an_answer_opens_only_with_its_key_account_and_status() {
        let keys = IdempotencyKeys::new(b"a secret of the server, long enough to count");
        let account = Uuid::now_v7();
        let mine = keyed(&keys, account, "key-1");
        let sealed = keys.seal(&mine, 200, b"{\"data\":{}}");
        assert_eq!(
            keys.open(&mine, 200, &sealed).as_deref(),
            Some(&b"{\"data\":{}}"[..])
        );
        assert_eq!(keys.open(&mine, 500, &sealed), None, "status is bound");
        assert_eq!(
            keys.open(&keyed(&keys, account, "key-2"), 200, &sealed),
            None
        );
        assert_eq!(
            keys.open(&keyed(&keys, Uuid::now_v7(), "key-1"), 200, &sealed),
            None
        );
        let other_server = IdempotencyKeys::new(b"another secret of another server entirely");
        assert_eq!(other_server.open(&mine, 200, &sealed), None);
        assert_eq!(keys.open(&mine, 200, &sealed[..5]), None, "truncated");
    }

    #[test]
    fn record_ids_hide_the_key_and_differ_by_account() {
        let keys = IdempotencyKeys::new(b"a secret of the server, long enough to count");
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let id = keys.record_id(a, "key-1");
        assert_eq!(id.len(), 64);
        assert!(!id.contains("key-1"));
        assert_ne!(id, keys.record_id(b, "key-1"));
        assert_eq!(id, keys.record_id(a, "key-1"));
    }

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(parse_key(b"3f0c1a9e-6d1b-4a57-9e4e-0b1a2c3d4e5f").is_ok());
        for bad in [
            &b""[..],
            b"has space",
            b"nul\0byte",
            "dấu".as_bytes(),
            &[b'a'; 256],
        ] {
            assert_eq!(
                parse_key(bad).map_err(|e| e.code),
                Err(ErrorCode::IdempotencyKeyInvalid)
            );
        }
    }

    fn request(query: &str, operation: Option<&str>) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = operation {
            request = request.operation_name(name);
        }
        request
    }

    #[test]
    fn only_the_listed_mutations_take_a_key() {
        let ok = [
            ("mutation { createAccount(input: {}) { __typename } }", None),
            (
                "mutation M { ...F } fragment F on Mutation { resetPassword(input: {}) { __typename } }",
                None,
            ),
            (
                "query Q { me { id } } mutation M { __typename updateAccount(input: {}) { __typename } }",
                Some("M"),
            ),
        ];
        for (query, operation) in ok {
            assert_eq!(
                accepts_key(&mut request(query, operation)),
                Ok(()),
                "{query}"
            );
        }
        let refused = [
            ("mutation { login(input: {}) { __typename } }", None),
            (
                "mutation { createAccount(input: {}) { __typename } logout { __typename } }",
                None,
            ),
            ("query { me { id } }", None),
            (
                "mutation A { createAccount(input: {}) { __typename } } mutation B { logout { __typename } }",
                None,
            ),
            (
                "mutation { ... on Mutation { changePassword(input: {}) { __typename } } }",
                None,
            ),
            ("not graphql", None),
        ];
        for (query, operation) in refused {
            assert_eq!(
                accepts_key(&mut request(query, operation)).map_err(|e| e.code),
                Err(ErrorCode::IdempotencyKeyNotSupported),
                "{query}"
            );
        }
    }

    #[test]
    fn the_fingerprint_covers_document_operation_and_variables() {
        let base = request("mutation M { a }", Some("M"));
        let same = request("mutation M { a }", Some("M"));
        assert_eq!(fingerprint(&base), fingerprint(&same));
        let other_vars = request("mutation M { a }", Some("M")).variables(
            async_graphql::Variables::from_json(serde_json::json!({"x": 1})),
        );
        assert_ne!(fingerprint(&base), fingerprint(&other_vars));
        assert_ne!(
            fingerprint(&base),
            fingerprint(&request("mutation M { a }", None))
        );
        assert_ne!(
            fingerprint(&base),
            fingerprint(&request("mutation M { b }", Some("M")))
        );
    }
}
