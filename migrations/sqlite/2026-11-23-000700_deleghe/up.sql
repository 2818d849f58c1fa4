-- Deleghe: a person (for their own citizen services) or whoever manages an
-- organisation gives someone, by codice fiscale, the power to act for it in
-- all or some services, between two dates; the delegate accepts or refuses.
CREATE TABLE deleghe (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    grantor_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The organisation it is for; none: the grantor's own citizen services.
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    delegate_tax_code TEXT NOT NULL,
    delegate_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    -- Service slugs separated by spaces; none: every service it may delegate.
    services TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    state TEXT NOT NULL,
    acceptance_code TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    answer_by TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX deleghe_delegate ON deleghe (delegate_tax_code);
CREATE INDEX deleghe_grantor ON deleghe (grantor_account_id);
CREATE INDEX deleghe_organisation ON deleghe (organisation_id);
CREATE INDEX deleghe_state ON deleghe (state);
-- Everything that happened to each delega, by whom.
CREATE TABLE delega_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    delega_id BIGINT NOT NULL REFERENCES deleghe (id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    actor_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX delega_events_delega ON delega_events (delega_id);
-- Reminders are sent once, whichever instance runs the job.
CREATE UNIQUE INDEX delega_events_once ON delega_events (delega_id, event) WHERE event = 'expiring';
-- A temporanea's use on one day, asked by the delegate and approved (or not) by the grantor.
CREATE TABLE delega_approvals (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    delega_id BIGINT NOT NULL REFERENCES deleghe (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    state TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by BIGINT REFERENCES accounts (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX delega_approvals_day ON delega_approvals (delega_id, day);
-- The monthly summary each grantor gets, once a month whatever the number of instances.
CREATE TABLE delega_summaries (
    grantor_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (grantor_account_id, month)
);
