//! The `config` interface: buyer profiles compiled, checked, extended and previewed.

use punchout_plugin::mapping::check::Diagnostic;
use punchout_plugin::mapping::MappedLine;
use punchout_plugin::model::CartLine;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};

use super::Native;
use crate::runtime::CallError;

/// Buyer profiles: compiled once, then passed to every other interface's calls.
pub trait ConfigCalls {
    /// A compiled buyer profile.
    type Profile;

    /// Compiles a buyer profile.
    ///
    /// # Errors
    /// `Rejected` with `invalid-profile` and a JSON pointer; `Trap` or `Host` if the engine
    /// failed.
    fn compile_profile(
        &mut self,
        json: &str,
        secrets: &[(String, String)],
    ) -> Result<Self::Profile, CallError>;

    /// A profile that `extends` a base, applied onto its bases (nearest first).
    ///
    /// # Errors
    /// `Rejected` with `invalid-profile` at `/extends`.
    fn resolve_extends(&mut self, json: &str, bases: &[String]) -> Result<String, CallError>;

    /// Every problem of a profile, located (`config check`), without compiling it for use.
    ///
    /// # Errors
    /// Only if the engine failed.
    fn check_profile(&mut self, json: &str) -> Result<Vec<Diagnostic>, CallError>;

    /// One cart line mapped with a profile, every value explained (`config preview`).
    ///
    /// # Errors
    /// `Rejected` with `invalid-cart` as a cart return would.
    fn preview_line(
        &mut self,
        profile: &mut Self::Profile,
        line: &CartLine,
        currency: &str,
    ) -> Result<MappedLine, CallError>;
}

impl ConfigCalls for Native {
    type Profile = BuyerProfile;

    fn compile_profile(
        &mut self,
        json: &str,
        secrets: &[(String, String)],
    ) -> Result<BuyerProfile, CallError> {
        let secrets = secrets
            .iter()
            .map(|(name, value)| ResolvedSecret {
                name: name.clone(),
                value: Secret::new(value.as_bytes()),
            })
            .collect::<Vec<_>>();
        BuyerProfile::compile(json, &secrets).map_err(CallError::Rejected)
    }

    fn resolve_extends(&mut self, json: &str, bases: &[String]) -> Result<String, CallError> {
        punchout_plugin::profile::resolve_extends(json, bases).map_err(CallError::Rejected)
    }

    fn check_profile(&mut self, json: &str) -> Result<Vec<Diagnostic>, CallError> {
        Ok(punchout_plugin::mapping::check::check_profile(json))
    }

    fn preview_line(
        &mut self,
        profile: &mut BuyerProfile,
        line: &CartLine,
        currency: &str,
    ) -> Result<MappedLine, CallError> {
        profile.preview(line, currency).map_err(CallError::Rejected)
    }
}
