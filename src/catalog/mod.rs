//! The services catalog: the Ministry's services, who may use them with
//! which credential, level and profile, and where they live.
pub mod handlers;
pub mod model;
pub mod pages;
pub mod usage;
