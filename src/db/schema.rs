//! Hand-kept schema, limited to the types both backends share.
diesel::table! {
    sessions (id) {
        id -> Text,
        data -> Text,
        expires_at -> Timestamp,
        idp_subject -> Nullable<Text>,
        account_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        id_kind -> Text,
        identifier -> Text,
        given_name -> Text,
        family_name -> Text,
        date_of_birth -> Nullable<Date>,
        email -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sign_ins (id) {
        id -> BigInt,
        account_id -> BigInt,
        at -> Timestamp,
        credential -> Text,
        level -> Integer,
        idp -> Text,
    }
}

diesel::table! {
    saml_requests (relay_state) {
        relay_state -> Text,
        request_id -> Text,
        purpose -> Text,
        idp_entity_id -> Text,
        credential -> Text,
        level -> Integer,
        comparison -> Text,
        attribute_set -> Integer,
        return_to -> Text,
        issue_instant -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    saml_replay (id) {
        id -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    saml_register (id) {
        id -> BigInt,
        request_id -> Text,
        request_issue_instant -> Timestamp,
        request_xml -> Text,
        idp_entity_id -> Text,
        response_id -> Nullable<Text>,
        response_issue_instant -> Nullable<Text>,
        response_issuer -> Nullable<Text>,
        assertion_id -> Nullable<Text>,
        assertion_subject -> Nullable<Text>,
        assertion_name_qualifier -> Nullable<Text>,
        response_xml -> Nullable<Text>,
        outcome -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sign_ins -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, sign_ins);
