//! The one integration-test binary: in-process router tests on a temporary
//! SQLite file, and on PostgreSQL when `TEST_DATABASE_URL` is set. One binary
//! links the (large) library once instead of once per file.
// A test that unwraps fails loudly, and its helpers tear servers down as best they can.
#![allow(clippy::unwrap_used, let_underscore_drop)]
mod common;

mod access;
mod account_care;
mod architecture;
mod authorization;
mod catalog;
mod cie_eidas_login;
mod client_bulk;
mod client_requests;
mod clients;
mod confirmations;
mod deleghe;
mod deleghe_pages;
mod dimissioni;
mod dimissioni_eidas;
mod dimissioni_retrieval;
mod foreign_user;
mod foundation;
mod fuzz;
mod hardening;
mod lists_at_scale;
mod locales;
mod maintenance;
mod member_services;
mod newcomer;
mod newcomer_journeys;
mod oidc_demo;
mod oidc_federation;
mod oidc_intermediary;
mod oidc_sign_in;
mod operations;
mod organisations;
mod outages;
mod outbox;
mod pec_receipts;
mod profiles;
mod registry;
mod seal;
mod service_design;
mod sessions;
mod spid_login;
mod support;
mod timestamps;
mod work_groups;
