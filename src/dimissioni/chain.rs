//! The chain of modules as stored, checked: each module's hash, its link to
//! the one before, its signature by a seal key the portal knows, and what it
//! says of its revoca (`servizi-lavoro dimissioni verify`).
use super::modulo::{self, Modulo};
use super::seal::{hash, signed, Covered, GENESIS};
use crate::db::AnyConnection;

/// What module `m`'s hash should be, by its seal version.
pub fn hash_of(m: &Modulo) -> String {
    // Version 2 names its key; version 1 names none.
    let covered = m.seal_key.as_deref().map(|key| Covered {
        filed_by: m.filed_by_account_id,
        worker_account: m.worker_account_id,
        retrieval_code: m.retrieval_code.as_deref(),
        key,
    });
    hash(&m.prev_hash, &m.code, m.transmitted_at, &m.contents, covered.as_ref())
}

/// What is wrong with one module of the chain.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub code: String,
    pub why: &'static str,
}

/// Checks every module in order: its hash, its link to the previous one, its
/// signature. Returns how many were checked, or the first broken one.
pub fn verify(conn: &mut AnyConnection, keys: &crate::keyring::Keyring) -> diesel::QueryResult<Result<usize, Broken>> {
    let chain: Vec<Modulo> = modulo::chain(conn)?;
    let mut prev = GENESIS.to_string();
    // Which revoca names which module: what each module's "revoked by" must say.
    let revoked_by: std::collections::HashMap<&str, &str> =
        chain.iter().filter_map(|m| m.contents.revokes_code.as_deref().map(|r| (r, m.code.as_str()))).collect();
    for m in &chain {
        let broken = |why| Ok(Err(Broken { code: m.code.clone(), why }));
        if m.prev_hash != prev {
            return broken("not linked to the module before it (one removed or reordered)");
        }
        if hash_of(m) != m.hash {
            return broken("its contents, code, time, sender, accounts or retrieval code were altered");
        }
        let Some(cert) = keys.cert(m.seal_key.as_deref()) else {
            return broken(
                "sealed with a key the portal does not know (keep retired certificates in SL_SEAL_RETIRED_CERTS)",
            );
        };
        if !signed(cert, &m.hash, &m.signature) {
            return broken("the signature does not match the key it names");
        }
        if m.revoked_by_code.as_deref() != revoked_by.get(m.code.as_str()).copied() {
            return broken("what it says of its revoca differs from the revoca modules");
        }
        prev = m.hash.clone();
    }
    Ok(Ok(chain.len()))
}
