//! Signed checkpoints of the chain's head. The chain shows a module altered,
//! removed from the middle or reordered, but not the newest ones deleted: the
//! shorter chain is still a chain. So every instance's worker, when the chain
//! has grown, signs "the first N modules end with this one" with the seal key,
//! keeps it in the database and appends it to a log outside it
//! (`<data dir>/dimissioni-checkpoints.log`, and the server's log), where
//! whoever deletes modules must also reach. `dimissioni verify` checks the
//! chain against every checkpoint it finds in either.
use super::chain::Broken;
use super::modulo::Modulo;
use super::seal;
use crate::db::schema::{dimissioni_checkpoints as cp, dimissioni_modules as m};
use crate::db::AnyConnection;
use crate::keyring::Keyring;
use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use std::path::{Path, PathBuf};

/// One checkpoint: the first `modules` modules end with `head_code`/`head_hash`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub modules: i64,
    pub head_code: String,
    pub head_hash: String,
    pub at: NaiveDateTime,
    pub seal_key: String,
    pub signature: String,
}

impl Checkpoint {
    /// What is signed: every field but the signature, in one line.
    fn signed_text(&self) -> String {
        format!(
            "dimissioni-checkpoint|{}|{}|{}|{}|{}",
            self.modules,
            self.head_code,
            self.head_hash,
            self.at.format("%Y-%m-%dT%H:%M:%S"),
            self.seal_key
        )
    }

    /// Its line in the log.
    pub fn line(&self) -> String {
        format!("{}|{}", self.signed_text(), self.signature)
    }

    fn parse(line: &str) -> Option<Checkpoint> {
        let parts: Vec<&str> = line.trim().split('|').collect();
        let [tag, modules, head_code, head_hash, at, seal_key, signature] = parts.as_slice() else { return None };
        (*tag == "dimissioni-checkpoint").then_some(())?;
        Some(Checkpoint {
            modules: modules.parse().ok()?,
            head_code: head_code.to_string(),
            head_hash: head_hash.to_string(),
            at: NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").ok()?,
            seal_key: seal_key.to_string(),
            signature: signature.to_string(),
        })
    }
}

/// Where the checkpoints are appended outside the database.
pub fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.join("dimissioni-checkpoints.log")
}

/// Signs and keeps a checkpoint when the chain has grown since the last one.
pub fn write_if_moved(conn: &mut AnyConnection, keys: &Keyring, now: NaiveDateTime) -> QueryResult<Option<Checkpoint>> {
    conn.transaction(|c| {
        let head: Option<(i64, String, String)> =
            m::table.order(m::id.desc()).select((m::id, m::code, m::hash)).first(c).optional()?;
        let Some((head_id, head_code, head_hash)) = head else { return Ok(None) };
        // Modules are written one at a time, in id order, under the chain's lock.
        let modules: i64 = m::table.filter(m::id.le(head_id)).count().get_result(c)?;
        let last: Option<i64> = cp::table.order(cp::id.desc()).select(cp::modules).first(c).optional()?;
        if last.is_some_and(|n| n >= modules) {
            return Ok(None);
        }
        let mut point = Checkpoint {
            modules,
            head_code,
            head_hash,
            at: now.with_nanosecond(0).unwrap_or(now),
            seal_key: keys.current_id.clone(),
            signature: String::new(),
        };
        point.signature = seal::sign(&keys.current, &point.signed_text())
            .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
        diesel::insert_into(cp::table)
            .values((
                cp::modules.eq(point.modules),
                cp::head_code.eq(&point.head_code),
                cp::head_hash.eq(&point.head_hash),
                cp::at.eq(point.at),
                cp::seal_key.eq(&point.seal_key),
                cp::signature.eq(&point.signature),
            ))
            .execute(c)?;
        Ok(Some(point))
    })
}

/// Appends `point` to the log outside the database (and says it in the server's log).
pub fn append(data_dir: &Path, point: &Checkpoint) -> std::io::Result<()> {
    use std::io::Write;
    tracing::info!(checkpoint = %point.line(), "dimissioni: chain checkpoint");
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log_path(data_dir))?;
    writeln!(f, "{}", point.line())
}

/// One pass of the worker: a checkpoint if the chain has grown, kept and logged.
pub async fn run(state: &crate::kernel::AppState) -> Result<(), crate::error::AppError> {
    let (keys, now) = (state.seal.clone(), state.clock.now());
    let written = crate::db::with_conn(&state.pool, move |c| write_if_moved(c, &keys, now)).await?;
    if let Some(point) = written {
        append(&state.config.data_dir, &point).map_err(|e| crate::error::AppError::other("the checkpoint log", e))?;
    }
    Ok(())
}

/// Checks the chain against every checkpoint in the database and in the log
/// at `log` (if it exists): each must be signed by a seal key the portal
/// knows, and the chain must still hold its head at its place. Returns how
/// many were checked.
pub fn verify(
    conn: &mut AnyConnection,
    keys: &Keyring,
    chain: &[Modulo],
    log: Option<&Path>,
) -> QueryResult<Result<usize, Broken>> {
    type Row = (i64, String, String, NaiveDateTime, String, String);
    let rows: Vec<Row> = cp::table
        .order(cp::id.asc())
        .select((cp::modules, cp::head_code, cp::head_hash, cp::at, cp::seal_key, cp::signature))
        .load(conn)?;
    let mut points: Vec<Checkpoint> = rows
        .into_iter()
        .map(|(modules, head_code, head_hash, at, seal_key, signature)| Checkpoint {
            modules,
            head_code,
            head_hash,
            at,
            seal_key,
            signature,
        })
        .collect();
    if let Some(text) = log.and_then(|p| std::fs::read_to_string(p).ok()) {
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            match Checkpoint::parse(line) {
                Some(p) => points.push(p),
                None => {
                    return Ok(Err(Broken {
                        code: format!("checkpoint log line {}", n + 1),
                        why: "is not a checkpoint (the log was altered)",
                    }))
                }
            }
        }
    }
    for p in &points {
        let broken = |why| Ok(Err(Broken { code: p.head_code.clone(), why }));
        let Some(cert) = keys.cert(Some(&p.seal_key)) else {
            return broken("a checkpoint naming it is signed with a key the portal does not know");
        };
        if !seal::signed(cert, &p.signed_text(), &p.signature) {
            return broken("a checkpoint naming it has a signature that does not match");
        }
        let place = usize::try_from(p.modules).ok().and_then(|n| n.checked_sub(1));
        match place.and_then(|i| chain.get(i)) {
            Some(m) if m.code == p.head_code && m.hash == p.head_hash => {}
            Some(_) => return broken("a checkpoint put it at a place where the chain now has another module"),
            None => {
                return broken("a checkpoint counted it, and the chain is now shorter: the newest modules were deleted")
            }
        }
    }
    Ok(Ok(points.len()))
}

#[cfg(test)]
mod tests {
    use super::Checkpoint;

    #[test]
    fn a_checkpoint_reads_back_from_its_line() {
        let p = Checkpoint {
            modules: 3,
            head_code: "20270101120000000".into(),
            head_hash: "ab".repeat(32),
            at: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).and_then(|d| d.and_hms_opt(12, 0, 1)).expect("time"),
            seal_key: "0123456789abcdef".into(),
            signature: "c2ln".into(),
        };
        assert_eq!(Checkpoint::parse(&p.line()), Some(p));
        assert_eq!(Checkpoint::parse("dimissioni-checkpoint|x"), None);
    }
}
