//! The `config` interface's calls on a [`Worker`] ([`ConfigCalls`]): profiles compiled, checked,
//! extended and previewed inside the engine, and the conversions of its records.

use punchout_plugin::mapping::check::Diagnostic;
use punchout_plugin::mapping::MappedLine;
use punchout_plugin::model::CartLine;

use super::types::location_from_wit;
use super::{profile_limits, types, CallError, InstanceMode, Profile, Worker};
use crate::calls::ConfigCalls;

impl ConfigCalls for Worker {
    type Profile = Profile;

    fn compile_profile(
        &mut self,
        json: &str,
        secrets: &[(String, String)],
    ) -> Result<Profile, CallError> {
        let mut profile = Profile {
            id: String::new(),
            json: json.to_owned(),
            limits: profile_limits(json),
            secrets: secrets.to_vec(),
            compiled: None,
            released: None,
        };
        let handle = self.profile_handle(&mut profile)?;
        let live = self.live()?;
        let id = live
            .engine
            .punchout_engine_config()
            .buyer_profile()
            .call_id(&mut live.store, handle);
        profile.id = self.settle(id.map(Ok))?;
        if self.runtime.shared.config.instance_mode == InstanceMode::FreshPerCall {
            profile.compiled = None;
        }
        Ok(profile)
    }

    fn resolve_extends(&mut self, json: &str, bases: &[String]) -> Result<String, CallError> {
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_config()
            .call_resolve_extends(&mut live.store, json, bases)
            .map(|result| {
                result.map_err(|error| CallError::Rejected(types::error_from_wit(error)))
            });
        self.settle(outcome)
    }

    fn check_profile(&mut self, json: &str) -> Result<Vec<Diagnostic>, CallError> {
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_config()
            .call_check(&mut live.store, json)
            .map(|found| Ok(found.into_iter().map(diagnostic_from_wit).collect()));
        self.settle(outcome)
    }

    fn preview_line(
        &mut self,
        profile: &mut Profile,
        line: &CartLine,
        currency: &str,
    ) -> Result<MappedLine, CallError> {
        let handle = self.profile_handle(profile)?;
        let live = self.live()?;
        let outcome = live
            .engine
            .punchout_engine_config()
            .buyer_profile()
            .call_preview(&mut live.store, handle, &types::line_to_wit(line), currency)
            .map(|result| {
                result
                    .map(preview_from_wit)
                    .map_err(|error| CallError::Rejected(types::error_from_wit(error)))
            });
        self.settle(outcome)
    }
}

pub(crate) fn diagnostic_from_wit(
    diagnostic: super::wit_config_types::Diagnostic,
) -> punchout_plugin::mapping::check::Diagnostic {
    use punchout_plugin::mapping::check::Severity;
    punchout_plugin::mapping::check::Diagnostic {
        severity: match diagnostic.severity {
            super::wit_config_types::Severity::Error => Severity::Error,
            super::wit_config_types::Severity::Warning => Severity::Warning,
        },
        message: diagnostic.message,
        location: location_from_wit(diagnostic.location),
    }
}

pub(crate) fn preview_from_wit(
    preview: super::wit_config_types::LinePreview,
) -> punchout_plugin::mapping::MappedLine {
    let values = |fields: Vec<super::wit_config_types::MappedField>| {
        fields
            .into_iter()
            .map(|mapped| punchout_plugin::mapping::MappedValue {
                field: mapped.field.into(),
                value: mapped.value,
                origin: mapped.origin,
                notes: mapped.notes,
            })
            .collect()
    };
    punchout_plugin::mapping::MappedLine {
        fields: values(preview.fields),
        extrinsics: values(preview.extrinsics),
        longtext: preview.longtext,
    }
}
