//! Group commit: a small write that many requests make at once (the audit
//! row of each access decision) goes to the database with the others that
//! arrived meanwhile, in one transaction. Each caller still waits until its
//! own write is committed, so nothing is acknowledged that is not stored;
//! the database sees one commit where it saw one per request (SQLite has a
//! single writer, and each PostgreSQL commit waits for its log flush).
use super::pool::{busy, with_conn, AnyConnection, DbError, DbPool};
use diesel::{Connection, QueryResult};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;

type Write = Box<dyn Fn(&mut AnyConnection) -> QueryResult<()> + Send + Sync>;
type Waiter = oneshot::Sender<Result<(), DbError>>;

/// At most this many writes in one transaction, so that none holds the
/// SQLite writer for long.
const MAX_BATCH: usize = 256;

/// The writes waiting, and whether a task is committing them now.
#[derive(Clone, Default)]
pub struct GroupCommit(Arc<Mutex<Queue>>);

#[derive(Default)]
struct Queue {
    waiting: Vec<(Write, Waiter)>,
    committing: bool,
}

impl GroupCommit {
    /// Writes with `f` in the next transaction, and returns once it is
    /// committed. `f` may run more than once (a transaction refused as busy
    /// is run again), like [`with_conn`]'s.
    pub async fn write<F>(&self, pool: &DbPool, f: F) -> Result<(), DbError>
    where
        F: Fn(&mut AnyConnection) -> QueryResult<()> + Send + Sync + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let start = {
            let mut q = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            q.waiting.push((Box::new(f), tx));
            !std::mem::replace(&mut q.committing, true)
        };
        if start {
            let turn = Turn { commits: self.clone(), finished: false };
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => drop(runtime.spawn(turn.commit_all(pool.clone()))),
                // No runtime to commit on: the turn ends at once (failing what waits).
                Err(_) => drop(turn),
            }
        }
        rx.await?
    }
}

/// One task's turn at committing. However it ends — a runtime shutting down
/// drops it mid-way — the writes still waiting are failed (their callers
/// told) rather than left to wait for good, and the next write starts a turn.
struct Turn {
    commits: GroupCommit,
    finished: bool,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if !self.finished {
            let mut q = self.commits.0.lock().unwrap_or_else(PoisonError::into_inner);
            q.committing = false;
            q.waiting.clear();
        }
    }
}

impl Turn {
    /// Commits what is waiting, a batch at a time, until nothing is.
    async fn commit_all(mut self, pool: DbPool) {
        loop {
            let batch: Vec<(Write, Waiter)> = {
                let mut q = self.commits.0.lock().unwrap_or_else(PoisonError::into_inner);
                if q.waiting.is_empty() {
                    q.committing = false;
                    self.finished = true;
                    return;
                }
                let n = q.waiting.len().min(MAX_BATCH);
                q.waiting.drain(..n).collect()
            };
            let (writes, waiters): (Vec<Write>, Vec<Waiter>) = batch.into_iter().unzip();
            let outcome = with_conn(&pool, move |c| commit(c, &writes)).await;
            match outcome {
                Ok(each) => {
                    for (waiter, result) in waiters.into_iter().zip(each) {
                        // The caller may have gone (its request dropped): nothing to tell.
                        drop(waiter.send(result.map_err(DbError::from)));
                    }
                }
                Err(e) => {
                    let shared = Arc::new(e);
                    for waiter in waiters {
                        drop(waiter.send(Err(DbError::Shared(shared.clone()))));
                    }
                }
            }
        }
    }
}

/// All of `writes` in one transaction; if that fails for any reason but a
/// busy database, each again in its own, so that one failing write fails
/// only its caller.
fn commit(c: &mut AnyConnection, writes: &[Write]) -> QueryResult<Vec<QueryResult<()>>> {
    match c.transaction(|c| writes.iter().try_for_each(|w| w(c))) {
        Ok(()) => Ok(writes.iter().map(|_| Ok(())).collect()),
        Err(e) if busy(&e) => Err(e),
        Err(_) => Ok(writes.iter().map(|w| c.transaction(|c| w(c))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::GroupCommit;
    use diesel::RunQueryDsl;

    /// A SQLite database of its own with one table, `t (n)`.
    fn scratch() -> (tempfile::TempDir, crate::db::DbPool) {
        let dir = tempfile::tempdir().expect("dir");
        let pool = crate::db::connect(&dir.path().join("t.db").display().to_string(), 4).expect("pool");
        diesel::sql_query("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .execute(&mut **pool.get().expect("conn"))
            .expect("table");
        (dir, pool)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writes_made_at_once_are_each_committed_and_one_that_fails_fails_alone() {
        let (_dir, pool) = scratch();
        let commits = GroupCommit::default();
        let write = |n: i64| {
            let (commits, pool) = (commits.clone(), pool.clone());
            tokio::spawn(async move {
                commits
                    .write(&pool, move |c| {
                        diesel::sql_query(format!("INSERT INTO t VALUES ({n})")).execute(c).map(|_| ())
                    })
                    .await
            })
        };
        // 0..200, and 7 a second time (refused by its key).
        let handles: Vec<_> = (0..200).chain([7]).map(write).collect();
        let mut refused = 0;
        for h in handles {
            if h.await.expect("task").is_err() {
                refused += 1;
            }
        }
        assert_eq!(refused, 1);
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let count: Count = diesel::sql_query("SELECT count(*) AS n FROM t")
            .get_result(&mut **pool.get().expect("conn"))
            .expect("count");
        assert_eq!(count.n, 200, "every write acknowledged is stored");
    }

    /// A runtime that ends while its task commits (a shutdown) leaves no
    /// write waiting for good: the next one, on another runtime, is committed.
    #[test]
    fn a_turn_its_runtime_ended_leaves_the_next_write_committed() {
        let (_dir, pool) = scratch();
        let commits = GroupCommit::default();
        let insert = |n: i64, pause: u64| {
            move |c: &mut crate::db::AnyConnection| {
                std::thread::sleep(std::time::Duration::from_millis(pause));
                diesel::sql_query(format!("INSERT INTO t VALUES ({n})")).execute(c).map(|_| ())
            }
        };
        let first = tokio::runtime::Runtime::new().expect("runtime");
        for (n, pause) in [(1, 300), (2, 0)] {
            let (commits, pool) = (commits.clone(), pool.clone());
            drop(first.spawn(async move { commits.write(&pool, insert(n, pause)).await }));
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // The first write is being committed, the second waits: the runtime goes.
        drop(first);
        let second = tokio::runtime::Runtime::new().expect("runtime");
        let third = second.block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(5), commits.write(&pool, insert(3, 0))).await
        });
        assert!(matches!(third, Ok(Ok(()))), "{third:?}");
    }
}
