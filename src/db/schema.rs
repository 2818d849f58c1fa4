//! Hand-kept schema, limited to the types both backends share.
diesel::table! {
    sessions (id) {
        id -> Text,
        data -> Text,
        expires_at -> Timestamp,
        idp_subject -> Nullable<Text>,
        account_id -> Nullable<BigInt>,
        device -> Nullable<Text>,
        last_seen -> Nullable<Timestamp>,
        version -> BigInt,
        rotated -> Bool,
        successor -> Nullable<Text>,
    }
}

diesel::table! {
    /// One row: moved by every change to what acting for someone rests on
    /// (by the database's triggers), read with the session.
    access_epoch (id) {
        id -> Integer,
        n -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(sessions, access_epoch);

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
        sessions_ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    declared_codici_fiscali (account_id) {
        account_id -> BigInt,
        codice_fiscale -> Text,
        declared_at -> Timestamp,
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
        address -> Nullable<Text>,
        protocol -> Text,
    }
}

diesel::table! {
    oidc_requests (state) {
        state -> Text,
        provider -> Text,
        credential -> Text,
        level -> Integer,
        nonce -> Text,
        code_verifier -> Text,
        return_to -> Text,
        browser_binding -> Text,
        initiator_account_id -> Nullable<BigInt>,
        provider_metadata -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oidc_chain_renewals (subject) {
        subject -> Text,
        until -> Timestamp,
        failure -> Nullable<Text>,
    }
}

diesel::table! {
    oidc_trust_chains (subject) {
        subject -> Text,
        anchor -> Text,
        metadata -> Text,
        trust_marks -> Text,
        resolved_at -> Timestamp,
        expires_at -> Timestamp,
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
        browser_binding -> Nullable<Text>,
        initiator_account_id -> Nullable<BigInt>,
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

diesel::table! {
    foreign_users (id) {
        id -> BigInt,
        public_id -> Text,
        email -> Text,
        given_name -> Text,
        family_name -> Text,
        birth_date -> Date,
        birth_country -> Text,
        citizenship -> Text,
        phone -> Text,
        doc_type -> Text,
        doc_number -> Text,
        doc_country -> Text,
        doc_expiry -> Date,
        doc_file -> Text,
        doc_mime -> Text,
        password_hash -> Text,
        lang -> Text,
        status -> Text,
        confirm_token_hash -> Nullable<Text>,
        confirm_expires_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_enrolled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        foreign_user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    helpdesk_decisions (id) {
        id -> BigInt,
        foreign_user_id -> BigInt,
        operator_account_id -> BigInt,
        decision -> Text,
        reason -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    operators (identifier) {
        identifier -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    auth_throttle (key) {
        key -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
    }
}

diesel::table! {
    auth_failures (id) {
        id -> BigInt,
        account_key -> Text,
        address -> Text,
        reason -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        foreign_user_id -> BigInt,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        code_failures -> Integer,
    }
}

diesel::joinable!(helpdesk_decisions -> foreign_users (foreign_user_id));
diesel::joinable!(helpdesk_decisions -> accounts (operator_account_id));
diesel::allow_tables_to_appear_in_same_query!(foreign_users, helpdesk_decisions, accounts);

diesel::table! {
    service_uses (id) {
        id -> BigInt,
        account_id -> BigInt,
        slug -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_account_id -> Nullable<BigInt>,
        subject -> Text,
        action -> Text,
        resource -> Text,
        outcome -> Text,
        reason -> Text,
        request_id -> Text,
        subject_org -> Nullable<BigInt>,
        resource_org -> Nullable<BigInt>,
    }
}

diesel::table! {
    registry_companies (codice_fiscale) {
        codice_fiscale -> Text,
        vat_number -> Nullable<Text>,
        name -> Text,
        pec -> Text,
        seat -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    registry_representatives (company_codice_fiscale, person_codice_fiscale) {
        company_codice_fiscale -> Text,
        person_codice_fiscale -> Text,
    }
}

diesel::joinable!(registry_representatives -> registry_companies (company_codice_fiscale));
diesel::allow_tables_to_appear_in_same_query!(registry_companies, registry_representatives);

diesel::table! {
    organisations (id) {
        id -> BigInt,
        kind -> Text,
        codice_fiscale -> Text,
        name -> Text,
        pec -> Text,
        seat -> Text,
        created_at -> Timestamp,
        ordine -> Nullable<Text>,
        albo_number -> Nullable<Text>,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        account_id -> BigInt,
        role -> Text,
        since -> Timestamp,
        until -> Nullable<Timestamp>,
        services -> Nullable<Text>,
    }
}

diesel::joinable!(memberships -> organisations (organisation_id));
diesel::allow_tables_to_appear_in_same_query!(organisations, memberships, invitations, organisation_applications);

diesel::table! {
    association_requests (id) {
        id -> BigInt,
        token_hash -> Text,
        company_codice_fiscale -> Text,
        account_id -> BigInt,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        invitee_codice_fiscale -> Text,
        role -> Text,
        invited_by -> BigInt,
        state -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    organisation_applications (id) {
        id -> BigInt,
        account_id -> BigInt,
        kind -> Text,
        codice_fiscale -> Text,
        name -> Text,
        pec -> Text,
        seat -> Text,
        ordine -> Nullable<Text>,
        albo_number -> Nullable<Text>,
        doc_file -> Text,
        doc_mime -> Text,
        state -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        operator_account_id -> Nullable<BigInt>,
        organisation_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    legacy_profiles (id) {
        id -> BigInt,
        person_codice_fiscale -> Text,
        organisation_codice_fiscale -> Text,
        organisation_name -> Text,
        kind -> Text,
        role -> Text,
        since -> Date,
        claimed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    legacy_activity (id) {
        id -> BigInt,
        person_codice_fiscale -> Text,
        at -> Timestamp,
        organisation_codice_fiscale -> Nullable<Text>,
        description -> Text,
    }
}

diesel::table! {
    legacy_claims (account_id) {
        account_id -> BigInt,
        claimed_at -> Timestamp,
        profiles -> Integer,
        activities -> Integer,
        notice_seen_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(invitations -> organisations (organisation_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, organisations);
diesel::allow_tables_to_appear_in_same_query!(accounts, memberships);
diesel::allow_tables_to_appear_in_same_query!(accounts, invitations);
diesel::allow_tables_to_appear_in_same_query!(accounts, organisation_applications);
diesel::allow_tables_to_appear_in_same_query!(accounts, audit_events);

diesel::table! {
    deleghe (id) {
        id -> BigInt,
        grantor_account_id -> BigInt,
        organisation_id -> Nullable<BigInt>,
        delegate_codice_fiscale -> Text,
        delegate_account_id -> Nullable<BigInt>,
        kind -> Text,
        services -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        state -> Text,
        acceptance_code -> Text,
        created_at -> Timestamp,
        answer_by -> Timestamp,
        updated_at -> Timestamp,
        delegate_organisation_id -> Nullable<BigInt>,
        /// The client's name as lists show it, in lower case (kept by the database).
        client_name -> Text,
        /// The client's codice fiscale: the organisation's, else the grantor's (kept by the database).
        client_codice_fiscale -> Text,
    }
}

diesel::table! {
    delega_requests (id) {
        id -> BigInt,
        requester_account_id -> BigInt,
        delegate_codice_fiscale -> Text,
        client_codice_fiscale -> Text,
        client_kind -> Text,
        kind -> Text,
        services -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        state -> Text,
        created_at -> Timestamp,
        answer_by -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        delega_id -> Nullable<BigInt>,
        batch_id -> Nullable<BigInt>,
        delegate_organisation_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    work_groups (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_group_members (group_id, membership_id) {
        group_id -> BigInt,
        membership_id -> BigInt,
    }
}

diesel::table! {
    work_group_clients (group_id, client_codice_fiscale) {
        group_id -> BigInt,
        client_codice_fiscale -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(work_groups, work_group_members, work_group_clients);
diesel::allow_tables_to_appear_in_same_query!(work_group_members, memberships);
diesel::allow_tables_to_appear_in_same_query!(work_group_members, accounts);
diesel::allow_tables_to_appear_in_same_query!(work_groups, memberships);
diesel::allow_tables_to_appear_in_same_query!(work_groups, accounts);
// An operatore's client list probes their groups for each delega's client.
diesel::allow_tables_to_appear_in_same_query!(work_group_clients, deleghe);
diesel::allow_tables_to_appear_in_same_query!(work_group_clients, accounts);
diesel::allow_tables_to_appear_in_same_query!(work_group_clients, organisations);
diesel::allow_tables_to_appear_in_same_query!(work_group_members, deleghe);
diesel::allow_tables_to_appear_in_same_query!(work_group_members, organisations);

diesel::table! {
    delega_request_batches (id) {
        id -> BigInt,
        requester_account_id -> BigInt,
        created_at -> Timestamp,
        lines -> Integer,
        rejected -> Text,
    }
}

diesel::table! {
    delega_events (id) {
        id -> BigInt,
        delega_id -> BigInt,
        at -> Timestamp,
        actor_account_id -> Nullable<BigInt>,
        event -> Text,
        detail -> Text,
    }
}

diesel::table! {
    delega_approvals (id) {
        id -> BigInt,
        delega_id -> BigInt,
        day -> Date,
        state -> Text,
        requested_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    delega_summaries (grantor_account_id, month) {
        grantor_account_id -> BigInt,
        month -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(delega_events -> deleghe (delega_id));
diesel::joinable!(delega_approvals -> deleghe (delega_id));
diesel::allow_tables_to_appear_in_same_query!(deleghe, delega_events, delega_approvals, organisations);
diesel::allow_tables_to_appear_in_same_query!(accounts, deleghe);
diesel::allow_tables_to_appear_in_same_query!(accounts, delega_events);

diesel::table! {
    rapporti (id) {
        id -> BigInt,
        worker_codice_fiscale -> Text,
        employer_codice_fiscale -> Text,
        employer_name -> Text,
        workplace_address -> Text,
        workplace_comune -> Text,
        workplace_cap -> Text,
        workplace_province -> Text,
        start_date -> Date,
        contract_type -> Text,
        end_date -> Nullable<Date>,
        employer_email -> Nullable<Text>,
        employer_pec -> Nullable<Text>,
    }
}

diesel::table! {
    dimissioni_modules (id) {
        id -> BigInt,
        code -> Text,
        kind -> Text,
        revokes_code -> Nullable<Text>,
        revoked_by_code -> Nullable<Text>,
        worker_account_id -> Nullable<BigInt>,
        worker_codice_fiscale -> Text,
        worker_family_name -> Text,
        worker_given_name -> Text,
        worker_email -> Text,
        employer_codice_fiscale -> Text,
        employer_name -> Text,
        workplace_address -> Text,
        workplace_comune -> Text,
        workplace_cap -> Text,
        workplace_province -> Text,
        employer_email -> Text,
        employer_pec -> Text,
        start_date -> Date,
        contract_type -> Text,
        decorrenza -> Nullable<Date>,
        reason -> Nullable<Text>,
        filed_by_account_id -> BigInt,
        abilitato_kind -> Nullable<Text>,
        abilitato_codice_fiscale -> Nullable<Text>,
        transmitted_at -> Timestamp,
        idempotency_key -> Text,
        prev_hash -> Text,
        hash -> Text,
        signature -> Text,
        retrieval_code -> Nullable<Text>,
        seal_key -> Nullable<Text>,
    }
}

diesel::table! {
    dimissioni_deliveries (id) {
        id -> BigInt,
        module_id -> BigInt,
        recipient -> Text,
        address -> Text,
        attempted_at -> Timestamp,
        outcome -> Text,
        detail -> Text,
    }
}

diesel::table! {
    dimissioni_pins (id) {
        id -> BigInt,
        pin_hash -> Text,
        operator_account_id -> BigInt,
        worker_codice_fiscale -> Text,
        kind -> Text,
        idempotency_key -> Text,
        issued_on -> Date,
        created_at -> Timestamp,
        used_by_code -> Nullable<Text>,
        content_hash -> Text,
    }
}

diesel::table! {
    itl_officers (identifier) {
        identifier -> Text,
        province -> Text,
        added_at -> Timestamp,
        office_code -> Nullable<Text>,
    }
}

diesel::table! {
    itl_offices (code) {
        code -> Text,
        name -> Text,
        pec -> Text,
        delivery -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    itl_office_provinces (province) {
        province -> Text,
        office_code -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(itl_offices, itl_office_provinces);

diesel::joinable!(dimissioni_deliveries -> dimissioni_modules (module_id));
diesel::allow_tables_to_appear_in_same_query!(dimissioni_modules, dimissioni_deliveries, dimissioni_timestamps);

diesel::table! {
    dimissioni_checkpoints (id) {
        id -> BigInt,
        modules -> BigInt,
        head_code -> Text,
        head_hash -> Text,
        at -> Timestamp,
        seal_key -> Text,
        signature -> Text,
    }
}

diesel::table! {
    dimissioni_timestamps (module_code) {
        module_code -> Text,
        token -> Binary,
        stamped_at -> Timestamp,
        authority -> Text,
    }
}

diesel::table! {
    dimissioni_retrievals (id) {
        id -> BigInt,
        account_id -> BigInt,
        organisation_id -> Nullable<BigInt>,
        module_code -> Nullable<Text>,
        found -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    support_cases (id) {
        id -> BigInt,
        case_number -> Text,
        account_id -> Nullable<BigInt>,
        name -> Text,
        email -> Text,
        lang -> Text,
        category -> Text,
        service -> Nullable<Text>,
        description -> Text,
        attachment_file -> Nullable<Text>,
        attachment_mime -> Nullable<Text>,
        state -> Text,
        assigned_to -> Nullable<BigInt>,
        access_token_hash -> Text,
        confirm_token_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        form_key -> Nullable<Text>,
    }
}

diesel::table! {
    support_messages (id) {
        id -> BigInt,
        case_id -> BigInt,
        at -> Timestamp,
        author -> Text,
        author_account_id -> Nullable<BigInt>,
        body -> Text,
    }
}

diesel::joinable!(support_messages -> support_cases (case_id));
diesel::allow_tables_to_appear_in_same_query!(support_cases, support_messages);

diesel::table! {
    account_preferences (account_id) {
        account_id -> BigInt,
        idle_minutes -> Nullable<Integer>,
        alert_every_sign_in -> Bool,
    }
}

diesel::table! {
    known_devices (account_id, device_hash) {
        account_id -> BigInt,
        device_hash -> Text,
        first_seen -> Timestamp,
    }
}

diesel::table! {
    alert_tokens (token_hash) {
        token_hash -> Text,
        account_id -> BigInt,
        detail -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    kept_forms (token_hash) {
        token_hash -> Text,
        path -> Text,
        body -> Text,
        expires_at -> Timestamp,
        account_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    pec_receipts (identifier) {
        identifier -> Text,
        message_id -> Text,
        kind -> Text,
        recipient -> Nullable<Text>,
        at -> Timestamp,
        received_at -> Timestamp,
        original -> Nullable<Binary>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        idempotency_key -> Text,
        channel -> Text,
        sender -> Text,
        recipient -> Text,
        message_id -> Text,
        message -> Binary,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    service_outages (id) {
        id -> BigInt,
        slug -> Text,
        kind -> Text,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        note_it -> Nullable<Text>,
        note_en -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    support_retired_links (token_hash) {
        token_hash -> Text,
        case_number -> Text,
        retired_at -> Timestamp,
    }
}
