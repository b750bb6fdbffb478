//! Peppol BIS: the Punch Out cart (transaction T77, a UBL `Catalogue` restricted to the cart's
//! lines), the Peppol Order (T01, a UBL `Order`) and the Order Response (T76).
//!
//! The BIS fixes the documents only; how the cart reaches the buyer (a browser form post or a
//! document the host posts itself) is agreed per buyer and set in the buyer's profile.

pub mod cart;
pub mod code_lists;
pub mod dates;
pub mod form;
pub mod identifiers;
pub mod order;
pub mod order_response;
pub mod settings;

#[cfg(test)]
mod profile_tests;

use serde::{Deserialize, Serialize};

use crate::xml::QualifiedName;

/// UBL 2.1 namespaces used by every Peppol document.
pub const CBC_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
pub const CAC_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

/// The root namespaces of the UBL `Order` (T01) and `OrderResponse` (T76).
pub const ORDER_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:Order-2";
pub const ORDER_RESPONSE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2";

/// The name of the `cac:AdditionalItemProperty` that carries a cart line's `line-ref` from the
/// T77 cart into the T01 order: both transactions forbid `ExtendedID` in
/// `SellersItemIdentification` (PEPPOL-T77-B06502, PEPPOL-T01-B29802), while an item property
/// is allowed in both and a buyer's system copies the item's properties into its order.
pub const LINE_REF_PROPERTY: &str = "line-ref";

/// A `cbc:` (basic component) element name.
pub const fn cbc(local: &'static str) -> QualifiedName {
    QualifiedName {
        namespace: CBC_NS,
        prefix: "cbc",
        local,
    }
}

/// A `cac:` (aggregate component) element name.
pub const fn cac(local: &'static str) -> QualifiedName {
    QualifiedName {
        namespace: CAC_NS,
        prefix: "cac",
        local,
    }
}

/// The BIS Punch Out cart's `CustomizationID` and `ProfileID`.
pub const PUNCH_OUT_CUSTOMIZATION_ID: &str = "urn:fdc:peppol.eu:poacc:trns:punch_out:3";
pub const PUNCH_OUT_PROFILE_ID: &str = "urn:fdc:peppol.eu:poacc:bis:punch_out:3";

/// A Peppol participant's electronic address: `cbc:EndpointID` with its `schemeID` from the EAS
/// code list (for example `0088` for a GLN, `0192` for a Norwegian organisation number).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointId {
    /// The EAS code of the identifier's scheme.
    pub scheme: String,
    /// The identifier within the scheme.
    pub id: String,
}

impl EndpointId {
    /// Whether two endpoint IDs name the same participant: Peppol identifiers compare without
    /// regard to ASCII case, and surrounding spaces are not part of them.
    pub fn same_participant(&self, other: &EndpointId) -> bool {
        self.scheme.trim().eq_ignore_ascii_case(other.scheme.trim())
            && self.id.trim().eq_ignore_ascii_case(other.id.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::EndpointId;

    fn endpoint(scheme: &str, id: &str) -> EndpointId {
        EndpointId {
            scheme: scheme.to_owned(),
            id: id.to_owned(),
        }
    }

    #[test]
    fn endpoint_ids_compare_without_case_and_spaces() {
        assert!(endpoint("0088", "7300010000001")
            .same_participant(&endpoint(" 0088", "7300010000001 ")));
        assert!(endpoint("0192", "ab123").same_participant(&endpoint("0192", "AB123")));
        assert!(
            !endpoint("0088", "7300010000001").same_participant(&endpoint("0192", "7300010000001"))
        );
    }
}
