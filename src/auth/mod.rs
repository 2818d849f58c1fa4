//! Who the visitor is: sessions now; SAML, foreign credentials and the
//! identity model arrive with the sign-in issues.
pub mod session;
pub mod choice;
pub mod demo_idp;
pub mod foreign;
pub mod pages;
pub mod saml;
