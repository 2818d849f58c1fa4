//! The pool's connection manager: diesel's, except that a connection handed
//! back less than [`TRUSTED_FOR`] ago is handed out again without a `SELECT 1`.
//!
//! r2d2 checks every connection it hands out with a query; on PostgreSQL
//! that is one more round trip per unit of work, as many as the work itself
//! on most pages. HikariCP's rule (its `aliveBypassWindowMs`, 500 ms) is the
//! precedent: a connection just used successfully is alive; one idle for
//! longer is checked, so a restarted database server costs no request. A
//! connection that failed meanwhile is not handed back at all (diesel marks
//! it broken: lost connections leave libpq's transaction status unknown).
use diesel::r2d2::{ConnectionManager, Error, ManageConnection};
use std::time::{Duration, Instant};

use super::AnyConnection;

/// How long after its last use a connection is trusted without a check.
const TRUSTED_FOR: Duration = Duration::from_millis(500);

/// A pooled connection and when it was last handed back.
pub struct Conn {
    conn: AnyConnection,
    returned: Option<Instant>,
}

impl std::ops::Deref for Conn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

/// diesel's [`ConnectionManager`], with the bypass window above.
#[derive(Debug)]
pub struct Manager {
    inner: ConnectionManager<AnyConnection>,
    trusted_for: Duration,
}

impl Manager {
    pub fn new(url: &str) -> Self {
        Manager { inner: ConnectionManager::new(url), trusted_for: TRUSTED_FOR }
    }
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = Error;

    fn connect(&self) -> Result<Conn, Error> {
        Ok(Conn { conn: self.inner.connect()?, returned: None })
    }

    fn is_valid(&self, c: &mut Conn) -> Result<(), Error> {
        match c.returned {
            Some(at) if at.elapsed() < self.trusted_for => Ok(()),
            _ => self.inner.is_valid(&mut c.conn),
        }
    }

    /// Called as the connection is handed back: a healthy one is trusted
    /// for the window from now.
    fn has_broken(&self, c: &mut Conn) -> bool {
        let broken = self.inner.has_broken(&mut c.conn);
        c.returned = (!broken).then(Instant::now);
        broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::{Instrumentation, InstrumentationEvent};
    use diesel::r2d2::Pool;
    use diesel::Connection;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Counts the `SELECT 1` checks a connection runs.
    struct Pings(Arc<AtomicUsize>);

    impl Instrumentation for Pings {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                if query.to_string().starts_with("SELECT 1 ") {
                    self.0.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }

    /// Checks out the pool's one connection `times` times; how many checks ran.
    fn pings_over(trusted_for: Duration, times: usize) -> usize {
        let dir = tempfile::tempdir().expect("dir");
        let url = dir.path().join("p.db").display().to_string();
        let pool = Pool::builder()
            .max_size(1)
            .build(Manager { inner: ConnectionManager::new(url), trusted_for })
            .expect("pool");
        let pings = Arc::new(AtomicUsize::new(0));
        pool.get().expect("conn").set_instrumentation(Pings(pings.clone()));
        for _ in 0..times {
            drop(pool.get().expect("conn"));
        }
        pings.load(Ordering::SeqCst)
    }

    #[test]
    fn a_connection_just_handed_back_is_not_checked_again() {
        assert_eq!(pings_over(Duration::from_secs(60), 5), 0);
    }

    #[test]
    fn a_connection_idle_past_the_window_is_checked() {
        assert_eq!(pings_over(Duration::ZERO, 5), 5);
    }
}
