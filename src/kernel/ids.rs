//! Typed ids: each table's key is its own type, parsed once where a request
//! enters (a path segment, a form field) and stored as the same `BIGINT`, so
//! an organisation's id cannot be passed where a delega's is expected.
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;

use crate::db::MultiBackend;

macro_rules! typed_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = BigInt)]
        pub struct $name(i64);

        impl $name {
            /// The id a row was stored under (tests, imports and the database's answers).
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }

        impl ToSql<BigInt, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <i64 as ToSql<BigInt, Sqlite>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, MultiBackend> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((BigInt, self));
                Ok(IsNull::No)
            }
        }

        impl FromSql<BigInt, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Sqlite>>::from_sql(bytes).map(Self)
            }
        }

        impl FromSql<BigInt, Pg> for $name {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map(Self)
            }
        }

        impl FromSql<BigInt, MultiBackend> for $name {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<$name, BigInt>()
            }
        }
    )*};
}

typed_ids! {
    /// A person's account (`accounts.id`): whoever signs in, grants, files or acts.
    AccountId;
    /// An organisation (`organisations.id`).
    OrganisationId;
    /// A person's place in an organisation (`memberships.id`).
    MembershipId;
    /// An organisation's invitation to a codice fiscale (`invitations.id`).
    InvitationId;
    /// A delega (`deleghe.id`).
    DelegaId;
    /// A Utente Estero's registration (`foreign_users.id`).
    ForeignUserId;
    /// An application to register an organisation (`organisation_applications.id`).
    ApplicationId;
    /// A work group inside an organisation (`work_groups.id`).
    GroupId;
}

#[cfg(test)]
mod tests {
    use super::{DelegaId, OrganisationId};

    #[test]
    fn an_id_reads_from_a_path_segment_and_prints_back() {
        let id: OrganisationId = "42".parse().expect("digits");
        assert_eq!(id, OrganisationId::new(42));
        assert_eq!(id.to_string(), "42");
        assert!("4x".parse::<DelegaId>().is_err());
        let json: DelegaId = serde_json::from_str("7").expect("json");
        assert_eq!(json.get(), 7);
    }
}
