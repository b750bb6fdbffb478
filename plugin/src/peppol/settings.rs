//! The profile's `peppol` section: the two parties of the cart, the default tax, how long the
//! cart is valid and how it reaches the buyer.
//!
//! ```json
//! "peppol": {
//!   "buyer":  {"endpoint": {"scheme": "0192", "id": "123456785"}, "name": "DEF Customer Ltd.",
//!              "identification": {"scheme": "0088", "id": "5790000435944"}, "country": "NO"},
//!   "seller": {"endpoint": {"scheme": "0192", "id": "987654325"}, "name": "ABC Supplier Ltd."},
//!   "tax": {"category": "S", "percent": "25"},
//!   "validity_days": 30,
//!   "delivery": {"mode": "form", "field": "punchout-cart", "encoding": "base64"}
//! }
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::code_lists::{self, contains};
use super::EndpointId;
use crate::error::{Error, ErrorCode, Result};
use crate::model::shorten;

/// The profile's `peppol` section (required when `protocol` is `peppol`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeppolSettings {
    /// The buyer (the cart's `ReceiverParty`).
    pub buyer: PeppolParty,
    /// The shop (the cart's `ProviderParty`).
    pub seller: PeppolParty,
    /// The tax category and rate of lines whose mapping gives none.
    pub tax: TaxDefault,
    /// How many days the cart stays valid after it is issued (`ValidityPeriod/EndDate`); no
    /// validity period when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_days: Option<u16>,
    /// The buyer's reference for the cart (`ReceiverParty/Contact/ID`), when it asks for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_reference: Option<String>,
    /// The contract the cart's prices come from (`ReferencedContract/ID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// How the cart reaches the buyer: a browser form post, or a document the host posts.
    pub delivery: Delivery,
}

/// A party of the cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeppolParty {
    /// The party's Peppol address (`cbc:EndpointID`), its scheme from the EAS code list.
    pub endpoint: EndpointId,
    /// The party's legal name (`PartyLegalEntity/RegistrationName`).
    pub name: String,
    /// Another identifier of the party (`PartyIdentification/ID`), its scheme from the ISO 6523
    /// ICD code list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification: Option<PartyIdentification>,
    /// The party's ISO 3166-1 alpha-2 country code, for the order documents (the cart itself has
    /// no party address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `PartyIdentification/ID` with its optional ICD scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyIdentification {
    /// The ISO 6523 ICD code of the identifier's scheme (`0088` GLN, `0192`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The identifier.
    pub id: String,
}

/// The tax of lines whose mapping gives none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxDefault {
    /// The UNCL 5305 tax category: `S` standard rate, `Z` zero rated, `E` exempt, `AE` reverse
    /// charge, `K` intra-community, `G` export, `O` not subject to tax, `L`, `M`, `B`.
    pub category: String,
    /// The rate in percent, as a decimal string (`"25"`, `"12.5"`).
    pub percent: String,
}

/// How the cart reaches the buyer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// `form`: a page that posts the cart from the buyer's browser to the return URL, like
    /// cXML's form; `post`: the host posts the document to the return URL itself.
    pub mode: DeliveryMode,
    /// The form field that carries the cart (`form` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// How the form field carries the cart: `raw` (the XML as text) or `base64` (`form` only;
    /// `raw` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<DeliveryEncoding>,
}

/// `form` or `post`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryMode {
    Form,
    Post,
}

/// `raw` or `base64`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryEncoding {
    #[default]
    Raw,
    Base64,
}

/// The longest form field name a profile may give.
const MAX_FIELD_NAME: usize = 64;

impl PeppolSettings {
    /// Checks every value a cart will carry: schemes against their code lists, identifiers
    /// against Peppol's format rules, the tax and the delivery.
    ///
    /// # Errors
    /// `invalid-profile` at the value's JSON pointer under `/peppol`.
    pub fn check(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Every problem [`PeppolSettings::check`] finds (the first of each party, the tax, the
    /// validity, the references and the delivery), for `config check`.
    pub fn problems(&self) -> Vec<Error> {
        let mut found = Vec::new();
        found.extend(self.buyer.check("/peppol/buyer").err());
        found.extend(self.seller.check("/peppol/seller").err());
        if let Err((field, message)) = check_tax(&self.tax.category, &self.tax.percent) {
            found.push(invalid(&format!("/peppol/tax/{field}"), message));
        }
        if self.validity_days == Some(0) {
            found.push(invalid(
                "/peppol/validity_days",
                "expected at least 1 day, or no `validity_days` for a cart without a validity period"
                    .to_owned(),
            ));
        }
        for (value, field) in [
            (&self.buyer_reference, "buyer_reference"),
            (&self.contract, "contract"),
        ] {
            if let Some(Err(message)) = value.as_deref().map(check_text) {
                found.push(invalid(&format!("/peppol/{field}"), message));
            }
        }
        found.extend(self.delivery.check().err());
        found
    }

    /// The delivery's form field and encoding, `None` for `post`.
    pub fn form(&self) -> Option<(&str, DeliveryEncoding)> {
        match self.delivery.mode {
            DeliveryMode::Form => Some((
                self.delivery.field.as_deref().unwrap_or_default(),
                self.delivery.encoding.unwrap_or_default(),
            )),
            DeliveryMode::Post => None,
        }
    }

    /// The default tax rate (checked by [`PeppolSettings::check`]).
    pub fn tax_percent(&self) -> Decimal {
        crate::model::parse_decimal(&self.tax.percent).unwrap_or_default()
    }
}

impl PeppolParty {
    fn check(&self, at: &str) -> Result<()> {
        let endpoint = &self.endpoint;
        if !contains(code_lists::EAS, &endpoint.scheme) {
            return Err(invalid(
                &format!("{at}/endpoint/scheme"),
                unknown_code(
                    "EAS",
                    "electronic address schemes",
                    &endpoint.scheme,
                    code_lists::EAS,
                ),
            ));
        }
        check_identifier(&endpoint.scheme, &endpoint.id)
            .map_err(|message| invalid(&format!("{at}/endpoint/id"), message))?;
        check_text(&self.name).map_err(|message| invalid(&format!("{at}/name"), message))?;
        if let Some(identification) = &self.identification {
            if let Some(scheme) = &identification.scheme {
                if !contains(code_lists::ICD, scheme) {
                    return Err(invalid(
                        &format!("{at}/identification/scheme"),
                        unknown_code("ICD", "identifier schemes", scheme, code_lists::ICD),
                    ));
                }
            }
            check_identifier(
                identification.scheme.as_deref().unwrap_or_default(),
                &identification.id,
            )
            .map_err(|message| invalid(&format!("{at}/identification/id"), message))?;
        }
        if let Some(country) = &self.country {
            if !contains(code_lists::ISO3166, country) {
                return Err(invalid(
                    &format!("{at}/country"),
                    unknown_code("ISO 3166-1 alpha-2", "country codes", country, &[]),
                ));
            }
        }
        Ok(())
    }
}

impl Delivery {
    fn check(&self) -> Result<()> {
        match self.mode {
            DeliveryMode::Form => {
                let Some(field) = &self.field else {
                    return Err(invalid(
                        "/peppol/delivery",
                        "a `form` delivery needs the name of the form field that carries the cart: add `\"field\": \"…\"` as the buyer's system expects it".to_owned(),
                    ));
                };
                let plain = !field.is_empty()
                    && field.len() <= MAX_FIELD_NAME
                    && field.bytes().all(|byte| {
                        byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':')
                    });
                if !plain {
                    return Err(invalid(
                        "/peppol/delivery/field",
                        format!(
                            "expected a form field name of 1 to {MAX_FIELD_NAME} ASCII letters, digits, `-`, `_`, `.` or `:`, found `{}`",
                            shorten(field).escape_debug()
                        ),
                    ));
                }
                if crate::oci::form_safety::is_reserved_form_name(field) {
                    return Err(invalid(
                        "/peppol/delivery/field",
                        format!(
                            "form field name `{field}` is a property of the HTML form (it would stop the page from submitting itself): choose another name"
                        ),
                    ));
                }
                Ok(())
            }
            DeliveryMode::Post => {
                for (set, name) in [
                    (self.field.is_some(), "field"),
                    (self.encoding.is_some(), "encoding"),
                ] {
                    if set {
                        return Err(invalid(
                            &format!("/peppol/delivery/{name}"),
                            format!(
                                "`{name}` is for a `form` delivery; a `post` delivery sends the document itself: remove it or set `\"mode\": \"form\"`"
                            ),
                        ));
                    }
                }
                Ok(())
            }
        }
    }
}

/// Checks a tax category and rate as the T77 rules do (and as VAT does): a UNCL 5305 category,
/// a rate from 0 to 100, above zero for the standard rate `S` (PEPPOL-T77-R009) and zero for
/// the categories that carry no tax.
///
/// # Errors
/// The offending part (`category` or `percent`) and a message.
pub fn check_tax(category: &str, percent: &str) -> std::result::Result<(), (&'static str, String)> {
    if !contains(code_lists::UNCL5305, category) {
        return Err((
            "category",
            unknown_code(
                "UNCL 5305",
                "tax categories",
                category,
                code_lists::UNCL5305,
            ),
        ));
    }
    let rate = check_percent(percent).map_err(|message| ("percent", message))?;
    match category {
        "S" if rate <= Decimal::ZERO => Err((
            "percent",
            format!(
                "tax category `S` (standard rate) needs a rate above zero, found `{percent}` (PEPPOL-T77-R009): use `Z` for zero-rated goods"
            ),
        )),
        "Z" | "E" | "AE" | "K" | "G" | "O" if rate != Decimal::ZERO => Err((
            "percent",
            format!(
                "tax category `{category}` carries no tax, so its rate is 0, found `{percent}`"
            ),
        )),
        _ => Ok(()),
    }
}

/// A tax rate: a plain decimal from 0 to 100 with at most 4 decimals.
fn check_percent(percent: &str) -> std::result::Result<Decimal, String> {
    let rate = crate::model::parse_decimal(percent).map_err(|error| error.message().to_owned())?;
    if rate < Decimal::ZERO || rate > Decimal::ONE_HUNDRED || rate.normalize().scale() > 4 {
        return Err(format!(
            "expected a tax rate from 0 to 100 with at most 4 decimals, found `{}`",
            shorten(percent)
        ));
    }
    Ok(rate)
}

/// An identifier: not empty, no surrounding spaces (Peppol compares some of them unnormalised),
/// and in the scheme's format where Peppol defines one.
fn check_identifier(scheme: &str, id: &str) -> std::result::Result<(), String> {
    check_text(id)?;
    match super::identifiers::format_problem(scheme, id) {
        Some(expected) => Err(format!(
            "`{}` is not a valid identifier of scheme `{scheme}`: expected {expected}",
            shorten(id)
        )),
        None => Ok(()),
    }
}

/// Text the cart carries as an element's content: not empty (PEPPOL-COMMON-R001), no
/// surrounding spaces.
fn check_text(text: &str) -> std::result::Result<(), String> {
    if text.trim().is_empty() {
        return Err("expected a value, found an empty one".to_owned());
    }
    if text.trim() != text {
        return Err(format!(
            "`{}` has spaces around it: write the value without them",
            shorten(text).escape_debug()
        ));
    }
    Ok(())
}

/// The message for a code not in its list, with the listed code it differs from only in case.
pub(crate) fn unknown_code(list: &str, what: &str, code: &str, codes: &[&str]) -> String {
    let hint = codes
        .iter()
        .find(|known| known.eq_ignore_ascii_case(code))
        .map(|known| format!(", did you mean `{known}`?"))
        .unwrap_or_default();
    format!(
        "`{}` is not in the {list} code list of {what}{hint}",
        shorten(code).escape_debug()
    )
}

fn invalid(pointer: &str, message: String) -> Error {
    Error::new(ErrorCode::InvalidProfile, message).at_pointer(pointer)
}
