//! Hand-kept schema, limited to the types both backends share.
diesel::table! {
    sessions (id) {
        id -> Text,
        data -> Text,
        expires_at -> Timestamp,
    }
}
