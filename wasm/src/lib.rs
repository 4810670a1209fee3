//! Export layers over apready-core. No logic lives here: only byte and type conversion.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod session;

#[cfg(feature = "host-abi")]
pub mod abi;

#[cfg(feature = "bindgen")]
pub mod bindgen;
