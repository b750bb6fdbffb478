//! SAP OCI 4.0 and 5.0 (Open Catalog Interface): parse → model → render.
//!
//! - [`call_up`]: the call-up (GET query or POST body) read, authenticated against the buyer
//!   profile and its `HOOK_URL` allow-listed, into an [`OciCallUp`]: the [`OciSession`] to store
//!   and the typed [`OciFunction`] to perform.
//! - [`functions`]: `FUNCTION` values (`DETAIL`, `VALIDATE`, `SOURCING`, `BACKGROUND_SEARCH`, the
//!   5.0 `DETAILADD`, `QUANTITYCHECK`) and the `QUANTITYCHECK` JSON reply.
//! - [`cart_form`]: the cart as `NEW_ITEM-*` fields ([`crate::mapping::targets::OCI_ITEM_FIELDS`]
//!   gives lengths and formats) and the pages that carry them: cart return, `VALIDATE`,
//!   `BACKGROUND_SEARCH`.
//! - [`form_safety`]: the names a `HOOK_URL` parameter may not give a hidden input.
//! - [`latin1`]: the page in the charset the buyer asked for, with the Latin-1 policy.
//! - [`read_back`]: the posted form read back, as the buyer's system reads it.
//! - [`settings`]: the profile's optional `oci` section.

pub mod call_up;
pub mod cart_form;
pub mod form_safety;
pub mod functions;
pub mod latin1;
pub mod read_back;
pub mod settings;

pub use call_up::{call_up, OciCallUp, OciSession};
pub use cart_form::{background_search_reply, cart_form, validate_reply, OciField, OciPage};
pub use functions::{quantity_check_reply, OciFunction};
pub use read_back::{read_form, read_form_with_limits, OciFormPost, OciItem};
pub use settings::{OciCharset, OciSettings, OciVersion};

#[cfg(test)]
mod tests;
