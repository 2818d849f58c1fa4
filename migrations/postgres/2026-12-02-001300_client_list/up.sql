-- An intermediary's client list (/clienti) reads its deleghe received by
-- codice fiscale, soonest ending first, a page at a time (keyset on end
-- date and id): one index serves the filter, the order and the boundary.
CREATE INDEX deleghe_client_list ON deleghe (delegate_codice_fiscale, ends_on, id);
