//! An OCI call-up from arbitrary bytes, against the sample OCI profile: a typed action or a typed
//! refusal, never a panic; the password never appears in an error.

use punchout_plugin::oci::call_up::call_up;

use crate::fixtures::{oci_profile, OCI_PASSWORD};

pub fn run(data: &[u8]) {
    // An input may carry the password's text anywhere; echoing the caller's own bytes is not a
    // leak. The stored password must never appear otherwise.
    let holds_secret = data
        .windows(OCI_PASSWORD.len())
        .any(|window| window == OCI_PASSWORD.as_bytes());
    match call_up(oci_profile(), data) {
        Err(error) => assert!(
            holds_secret || !format!("{error} {error:?}").contains(OCI_PASSWORD),
            "the password leaked: {error}"
        ),
        Ok(accepted) => assert!(
            holds_secret || !format!("{accepted:?}").contains(OCI_PASSWORD),
            "the password leaked into the accepted call-up"
        ),
    }
}
