use crate::db::{schema::sessions, with_conn, DbPool};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// A `tower_sessions::SessionStore` over the diesel pool (no maintained
/// crate offers one for diesel with both backends).
#[derive(Clone)]
pub struct DieselStore {
    pool: DbPool,
}

impl DieselStore {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

impl std::fmt::Debug for DieselStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DieselStore")
    }
}

fn to_naive(t: OffsetDateTime) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0)
        .unwrap_or_default()
        .naive_utc()
}

fn from_naive(t: NaiveDateTime) -> session_store::Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(t.and_utc().timestamp())
        .map_err(|e| session_store::Error::Decode(e.to_string()))
}

/// The IdP session (`idp\nNameID`) and account a record belongs to, read from
/// the signed-in person it holds; kept in their own columns so that an
/// IdP-initiated logout can find the session without reading every record.
fn owner(record: &Record) -> (Option<String>, Option<i64>) {
    let Some(who) = record.data.get(crate::identity::current::SESSION_KEY) else { return (None, None) };
    let account = who.get("account_id").and_then(|v| v.as_i64());
    let idp = who.get("idp_entity_id").and_then(|v| v.as_str());
    let name_id = who.get("idp_session").and_then(|s| s.get("name_id")).and_then(|v| v.as_str());
    let subject = match (idp, name_id) {
        (Some(i), Some(n)) => Some(idp_subject(i, n)),
        _ => None,
    };
    (subject, account)
}

/// How an IdP session is written in the `idp_subject` column.
pub fn idp_subject(idp_entity_id: &str, name_id: &str) -> String {
    format!("{idp_entity_id}\n{name_id}")
}

fn backend(e: crate::db::DbError) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

/// A session record as the `sessions` table stores it.
struct Row {
    id: String,
    data: String,
    expires_at: NaiveDateTime,
    idp_subject: Option<String>,
    account_id: Option<i64>,
}

impl Row {
    fn of(record: &Record) -> session_store::Result<Row> {
        let (idp_subject, account_id) = owner(record);
        Ok(Row {
            id: record.id.to_string(),
            data: serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?,
            expires_at: to_naive(record.expiry_date),
            idp_subject,
            account_id,
        })
    }

    fn insert(&self, c: &mut crate::db::AnyConnection) -> QueryResult<usize> {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(&self.id),
                sessions::data.eq(&self.data),
                sessions::expires_at.eq(self.expires_at),
                sessions::idp_subject.eq(&self.idp_subject),
                sessions::account_id.eq(self.account_id),
            ))
            .execute(c)
    }

    fn update(&self, c: &mut crate::db::AnyConnection) -> QueryResult<usize> {
        diesel::update(sessions::table.find(&self.id))
            .set((
                sessions::data.eq(&self.data),
                sessions::expires_at.eq(self.expires_at),
                sessions::idp_subject.eq(&self.idp_subject),
                sessions::account_id.eq(self.account_id),
            ))
            .execute(c)
    }
}

#[async_trait::async_trait]
impl SessionStore for DieselStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; a collision is practically impossible, but
        // an insert that fails on one is cheaper than trusting that.
        loop {
            let row = Row::of(record)?;
            let inserted = with_conn(&self.pool, move |c| {
                c.transaction(|c| {
                    if sessions::table.find(&row.id).count().get_result::<i64>(c)? > 0 {
                        return Ok(false);
                    }
                    row.insert(c).map(|_| true)
                })
            })
            .await
            .map_err(backend)?;
            if inserted {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = Row::of(record)?;
        with_conn(&self.pool, move |c| {
            c.transaction(|c| {
                if row.update(c)? == 0 {
                    row.insert(c)?;
                }
                Ok(())
            })
        })
        .await
        .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let sid = id.to_string();
        let now = chrono::Utc::now().naive_utc();
        let row: Option<(String, NaiveDateTime)> = with_conn(&self.pool, move |c| {
            sessions::table
                .find(&sid)
                .filter(sessions::expires_at.gt(now))
                .select((sessions::data, sessions::expires_at))
                .first(c)
                .optional()
        })
        .await
        .map_err(backend)?;
        let Some((data, exp)) = row else { return Ok(None) };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: from_naive(exp)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let sid = id.to_string();
        with_conn(&self.pool, move |c| diesel::delete(sessions::table.find(&sid)).execute(c).map(|_| ()))
            .await
            .map_err(backend)
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DieselStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = chrono::Utc::now().naive_utc();
        with_conn(&self.pool, move |c| {
            diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(c).map(|_| ())
        })
        .await
        .map_err(backend)
    }
}

/// Ends every browser session opened with this IdP session (IdP-initiated
/// Single Logout); returns how many were ended.
pub fn end_idp_sessions(conn: &mut crate::db::AnyConnection, idp_entity_id: &str, name_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::idp_subject.eq(idp_subject(idp_entity_id, name_id)))).execute(conn)
}
