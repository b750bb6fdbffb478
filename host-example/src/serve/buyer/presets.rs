//! Ready-made procurement systems ([`BuyerSystem`]): how SAP SRM, SAP Ariba, Coupa, Jaggaer and a
//! Peppol buyer punch out, with their known quirks, each paired with the shop's sample buyer
//! profile that accepts its credentials.
//!
//! | preset | protocol | call-up | shop profile (`host-example/samples/…`) |
//! |---|---|---|---|
//! | `sap-srm-oci40` | OCI 4.0, ISO-8859-1 | browser GET | `oci-buyer-profile.json` (`acme-srm`) |
//! | `sap-srm-oci50` | OCI 5.0, UTF-8 | browser POST | `profiles/sap-oci50.json` (`sap-oci50`) |
//! | `sap-ariba` | cXML 1.2.069, `cxml-urlencoded` | server-to-server setup | `cxml-buyer-profile.json` (`acme-ariba`) |
//! | `coupa` | cXML 1.2.069, `cxml-base64` | server-to-server setup | `profiles/coupa.json` (`globex-coupa`) |
//! | `jaggaer` | cXML 1.2.069 (create and inspect only) | server-to-server setup | `profiles/jaggaer.json` (`initech-jaggaer`) |
//! | `peppol-buyer` | Peppol BIS Punch Out T77, order T01 | browser GET to the shop | `peppol-buyer-profile.json` (`def-customer`) |
//!
//! Jaggaer is played as a cXML buyer because that is how most Jaggaer (formerly SciQuest)
//! customers punch out and what the shop's sample profile speaks; its OCI mode is the SAP one.
//!
//! The sample profiles allow the example hosts' return URLs; a simulator running on a laptop
//! returns elsewhere, so [`BuyerSystem::shop_profile_json`] gives the profile with the
//! simulator's return URL allowed (and, for Ariba, the network's `Sender` accepted).

use anyhow::Context as _;
use punchout_plugin::model::{Credential, Property, SetupOperation};
use punchout_plugin::oci::settings::{OciCharset, OciVersion};
use punchout_plugin::peppol::EndpointId;
use punchout_plugin::profile::FormEncoding;
use serde::{Deserialize, Serialize};

const SRM_OCI40_PROFILE: &str = include_str!("../../../samples/oci-buyer-profile.json");
const SRM_OCI50_PROFILE: &str = include_str!("../../../samples/profiles/sap-oci50.json");
const ARIBA_PROFILE: &str = include_str!("../../../samples/cxml-buyer-profile.json");
const COUPA_PROFILE: &str = include_str!("../../../samples/profiles/coupa.json");
const JAGGAER_PROFILE: &str = include_str!("../../../samples/profiles/jaggaer.json");
const PEPPOL_PROFILE: &str = include_str!("../../../samples/peppol-buyer-profile.json");

/// A password or shared secret the simulated buyer sends. Debug output and serialized forms
/// (the pages) show `(secret)`, never the value.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct SecretText(String);

impl SecretText {
    /// A secret with this value.
    pub fn new(value: impl Into<String>) -> Self {
        SecretText(value.into())
    }

    /// The value, for the document or call-up that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(secret)")
    }
}

impl Serialize for SecretText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("(secret)")
    }
}

/// A secret reference of the shop's profile and the value the shop resolves it to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSecret {
    pub name: String,
    pub value: SecretText,
}

/// The shop's sample profile a preset pairs with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopProfile {
    /// The file under `host-example/samples`, such as `profiles/coupa.json`.
    pub sample: String,
    /// The profile's `id`.
    pub id: String,
    /// The secrets the profile refers to, resolved.
    pub secrets: Vec<ShopSecret>,
    /// The file's text.
    #[serde(skip)]
    text: &'static str,
}

/// How the browser carries the OCI call-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CallUpMethod {
    /// The parameters in the URL's query (SAP SRM's classic catalog call).
    Get,
    /// The parameters in an `application/x-www-form-urlencoded` body.
    Post,
}

/// An OCI procurement system: the call-up it sends and how it reads the cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OciBuyer {
    pub version: OciVersion,
    /// The charset the call-up asks for (`http_content_charset`) and the return form is read in.
    pub charset: OciCharset,
    pub method: CallUpMethod,
    pub username_parameter: String,
    pub username: String,
    pub password_parameter: String,
    pub password: SecretText,
    pub hook_url_parameter: String,
    /// Parameters SAP appends to the `HOOK_URL`'s query, which the shop echoes as hidden fields
    /// (`sap-client`, `~OkCode=ADDI`, `~TARGET`, `~CALLER=CTLG`).
    pub hook_url_query: Vec<Property>,
    /// Further call-up parameters after the generated `OCI_VERSION`, `OPI_VERSION` and
    /// `http_content_charset` (`returntarget`, `sy-langu`, …).
    pub parameters: Vec<Property>,
}

/// cXML `deploymentMode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeploymentMode {
    Production,
    Test,
}

impl DeploymentMode {
    /// `production` or `test`, as the `Request` element writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentMode::Production => "production",
            DeploymentMode::Test => "test",
        }
    }
}

/// A cXML procurement system: its header, the setup request it sends and the form field it
/// expects the cart in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CxmlPunchOut {
    /// The cXML version named in the DOCTYPE, such as `1.2.069`.
    pub version: String,
    pub from: Credential,
    pub to: Credential,
    /// The credential that carries the `SharedSecret`.
    pub sender: Credential,
    pub shared_secret: SecretText,
    pub user_agent: String,
    pub deployment_mode: DeploymentMode,
    /// The form field the shop's profile returns the cart in.
    pub form_field: FormEncoding,
    /// The operations the system offers (Jaggaer does not edit a returned cart).
    pub operations: Vec<SetupOperation>,
    /// `xml:lang` of the documents.
    pub language: String,
    /// The setup request's `Extrinsic`s (user, cost centre, …).
    pub extrinsics: Vec<Property>,
    /// The end user's `Contact` (name, e-mail).
    pub contact: Option<(String, String)>,
}

/// A Peppol buyer: no setup message in the BIS; the browser opens the shop and the cart comes
/// back in a form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeppolBuyer {
    pub buyer: EndpointId,
    pub seller: EndpointId,
    pub buyer_name: String,
    pub seller_name: String,
    pub seller_country: String,
    /// The form field carrying the T77 (the profile's `delivery.field`).
    pub form_field: String,
    /// Whether the field holds the T77 in base64 (else the XML as text).
    pub base64: bool,
    /// The T01's `ProfileID`.
    pub order_profile_id: String,
}

/// The protocol a preset speaks, with its settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum BuyerProtocol {
    Oci(OciBuyer),
    Cxml(CxmlPunchOut),
    Peppol(PeppolBuyer),
}

/// A ready-made procurement system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerSystem {
    /// Stable id, such as `sap-ariba`.
    pub id: String,
    /// What the page shows, such as `SAP Ariba (cXML)`.
    pub name: String,
    /// The system's known quirks, one sentence each, as the page lists them.
    pub quirks: Vec<String>,
    pub shop_profile: ShopProfile,
    pub protocol: BuyerProtocol,
}

impl BuyerSystem {
    /// The shop's profile for this buyer as JSON, with `return_url_prefix` as its only allowed
    /// return URL (the simulator's return endpoint lies below it) and the preset's quirks the
    /// profile must accept.
    ///
    /// # Errors
    /// When the bundled profile is not a JSON object (a build defect the tests catch).
    pub fn shop_profile_json(&self, return_url_prefix: &str) -> anyhow::Result<String> {
        let mut profile: serde_json::Value = serde_json::from_str(self.shop_profile.text)
            .with_context(|| format!("bundled profile `{}`", self.shop_profile.sample))?;
        let object = profile
            .as_object_mut()
            .with_context(|| format!("bundled profile `{}`", self.shop_profile.sample))?;
        object.remove("$schema");
        object.insert("return_urls".into(), serde_json::json!([return_url_prefix]));
        if let BuyerProtocol::Cxml(cxml) = &self.protocol {
            if cxml.sender != cxml.from {
                // The network signs for the buyer: the profile accepts its `Sender`, and still
                // the buyer's own (the sample requests sign with it).
                if let Some(authentication) = object
                    .get_mut("authentication")
                    .and_then(serde_json::Value::as_object_mut)
                {
                    authentication
                        .entry("sender")
                        .or_insert_with(|| serde_json::json!([cxml.sender, cxml.from]));
                }
            }
        }
        Ok(serde_json::to_string_pretty(&profile)?)
    }

    /// The secrets the shop resolves for [`Self::shop_profile_json`], as `(name, value)`.
    pub fn shop_secrets(&self) -> Vec<(String, String)> {
        self.shop_profile
            .secrets
            .iter()
            .map(|secret| (secret.name.clone(), secret.value.expose().to_owned()))
            .collect()
    }
}

fn property(name: &str, value: &str) -> Property {
    Property::new(name, value)
}

fn credential(domain: &str, identity: &str) -> Credential {
    Credential {
        domain: domain.to_owned(),
        identity: identity.to_owned(),
    }
}

fn shop(sample: &str, id: &str, text: &'static str, secrets: &[(&str, &str)]) -> ShopProfile {
    ShopProfile {
        sample: sample.to_owned(),
        id: id.to_owned(),
        secrets: secrets
            .iter()
            .map(|(name, value)| ShopSecret {
                name: (*name).to_owned(),
                value: SecretText::new(*value),
            })
            .collect(),
        text,
    }
}

fn quirks(list: &[&str]) -> Vec<String> {
    list.iter().map(|quirk| (*quirk).to_owned()).collect()
}

/// SAP's `HOOK_URL` query: the client, then what SRM generates for the catalog to echo.
fn sap_hook_query() -> Vec<Property> {
    vec![
        property("sap-client", "100"),
        property("~OkCode", "ADDI"),
        property("~TARGET", "_top"),
        property("~CALLER", "CTLG"),
    ]
}

const ALL_OPERATIONS: [SetupOperation; 3] = [
    SetupOperation::Create,
    SetupOperation::Edit,
    SetupOperation::Inspect,
];

/// Every bundled preset, in the order the page lists them.
pub fn presets() -> Vec<BuyerSystem> {
    vec![
        BuyerSystem {
            id: "sap-srm-oci40".into(),
            name: "SAP SRM 7.0 (OCI 4.0, ISO-8859-1)".into(),
            quirks: quirks(&[
                "calls the catalog up with a browser GET, the password in the URL",
                "asks for the return page in ISO-8859-1 (`http_content_charset=iso-8859-1`) and posts the cart in it",
                "appends `sap-client`, `~OkCode=ADDI`, `~TARGET=_top` and `~CALLER=CTLG` to the HOOK_URL, which the catalog must echo as hidden fields",
                "sets `returntarget=_parent`: the form's target",
                "knows only the OCI 4.0 fields: `ITEM_TYPE` and `PARENT_ID` are unknown to it",
            ]),
            shop_profile: shop(
                "oci-buyer-profile.json",
                "acme-srm",
                SRM_OCI40_PROFILE,
                &[("ACME_SRM_OCI_PASSWORD", "oci-p4ss")],
            ),
            protocol: BuyerProtocol::Oci(OciBuyer {
                version: OciVersion::V4,
                charset: OciCharset::Latin1,
                method: CallUpMethod::Get,
                username_parameter: "USERNAME".into(),
                username: "SRM_ACME".into(),
                password_parameter: "PASSWORD".into(),
                password: SecretText::new("oci-p4ss"),
                hook_url_parameter: "HOOK_URL".into(),
                hook_url_query: sap_hook_query(),
                parameters: vec![
                    property("returntarget", "_parent"),
                    property("sy-langu", "DE"),
                ],
            }),
        },
        BuyerSystem {
            id: "sap-srm-oci50".into(),
            name: "SAP SRM 7.0 EhP2 (OCI 5.0, UTF-8)".into(),
            quirks: quirks(&[
                "calls the catalog up with a browser POST (the OCI default)",
                "reads the item hierarchy `NEW_ITEM-ITEM_TYPE` (`R`, `O`, `F`) and `NEW_ITEM-PARENT_ID`",
                "posts the cart in UTF-8",
            ]),
            shop_profile: shop(
                "profiles/sap-oci50.json",
                "sap-oci50",
                SRM_OCI50_PROFILE,
                &[("EXAMPLE_GROUP_OCI_PASSWORD", "oci5-p4ss")],
            ),
            protocol: BuyerProtocol::Oci(OciBuyer {
                version: OciVersion::V5,
                charset: OciCharset::Utf8,
                method: CallUpMethod::Post,
                username_parameter: "USERNAME".into(),
                username: "EXAMPLE_GROUP".into(),
                password_parameter: "PASSWORD".into(),
                password: SecretText::new("oci5-p4ss"),
                hook_url_parameter: "HOOK_URL".into(),
                hook_url_query: sap_hook_query(),
                parameters: vec![
                    property("returntarget", "_top"),
                    property("sy-langu", "EN"),
                ],
            }),
        },
        BuyerSystem {
            id: "sap-ariba".into(),
            name: "SAP Ariba (cXML, cxml-urlencoded)".into(),
            quirks: quirks(&[
                "sends the PunchOutSetupRequest through the Ariba Network: `Sender` is `AribaNetwork`, not the buyer",
                "identifies the buyer by its Ariba Network ID (`NetworkID` `AN…`)",
                "expects the cart back in the `cxml-urlencoded` form field",
                "checks that the `BuyerCookie` comes back unchanged",
                "reopens a returned cart with `edit` and `inspect`, sending its `ItemOut` lines",
            ]),
            shop_profile: shop(
                "cxml-buyer-profile.json",
                "acme-ariba",
                ARIBA_PROFILE,
                &[("ACME_ARIBA_SHARED_SECRET", "s3cr3t")],
            ),
            protocol: BuyerProtocol::Cxml(CxmlPunchOut {
                version: "1.2.069".into(),
                from: credential("NetworkID", "AN01000000001"),
                to: credential("DUNS", "123456789"),
                sender: credential("NetworkID", "AribaNetwork"),
                shared_secret: SecretText::new("s3cr3t"),
                user_agent: "Ariba Buyer 14s2".into(),
                deployment_mode: DeploymentMode::Test,
                form_field: FormEncoding::CxmlUrlencoded,
                operations: ALL_OPERATIONS.to_vec(),
                language: "en-US".into(),
                extrinsics: vec![
                    property("User", "jdoe"),
                    property("UserEmail", "jane.doe@acme.example.com"),
                    property("CostCenter", "4711"),
                ],
                contact: Some(("Jane Doe".into(), "jane.doe@acme.example.com".into())),
            }),
        },
        BuyerSystem {
            id: "coupa".into(),
            name: "Coupa (cXML, cxml-base64)".into(),
            quirks: quirks(&[
                "signs as the supplier's Coupa ID: `Sender` is `CoupaSupplierID`, `From` the buyer's DUNS",
                "expects the cart back base64-encoded in the `cxml-base64` form field",
                "sends the user's name and e-mail as extrinsics (`FirstName`, `LastName`, `UserEmail`)",
                "production deployment mode",
            ]),
            shop_profile: shop(
                "profiles/coupa.json",
                "globex-coupa",
                COUPA_PROFILE,
                &[("GLOBEX_COUPA_SHARED_SECRET", "coupa-s3cr3t")],
            ),
            protocol: BuyerProtocol::Cxml(CxmlPunchOut {
                version: "1.2.069".into(),
                from: credential("DUNS", "987654321"),
                to: credential("DUNS", "123456789"),
                sender: credential("CoupaSupplierID", "globex-coupa"),
                shared_secret: SecretText::new("coupa-s3cr3t"),
                user_agent: "Coupa Procurement 1.0".into(),
                deployment_mode: DeploymentMode::Production,
                form_field: FormEncoding::CxmlBase64,
                operations: ALL_OPERATIONS.to_vec(),
                language: "en-US".into(),
                extrinsics: vec![
                    property("FirstName", "Grace"),
                    property("LastName", "Hopper"),
                    property("UserEmail", "grace.hopper@globex.example.com"),
                    property("User", "ghopper"),
                ],
                contact: Some(("Grace Hopper".into(), "grace.hopper@globex.example.com".into())),
            }),
        },
        BuyerSystem {
            id: "jaggaer".into(),
            name: "Jaggaer (cXML)".into(),
            quirks: quirks(&[
                "punches out by cXML (Jaggaer's OCI mode is SAP's)",
                "offers `create` and `inspect` only: a returned cart is never reopened for editing",
                "identifies the buyer as `NetworkId` (lower-case `d`)",
                "expects the cart in the `cxml-urlencoded` form field",
            ]),
            shop_profile: shop(
                "profiles/jaggaer.json",
                "initech-jaggaer",
                JAGGAER_PROFILE,
                &[("INITECH_JAGGAER_SHARED_SECRET", "jaggaer-s3cr3t")],
            ),
            protocol: BuyerProtocol::Cxml(CxmlPunchOut {
                version: "1.2.069".into(),
                from: credential("NetworkId", "INITECH-JAGGAER"),
                to: credential("DUNS", "123456789"),
                sender: credential("NetworkId", "INITECH-JAGGAER"),
                shared_secret: SecretText::new("jaggaer-s3cr3t"),
                user_agent: "JAGGAER One".into(),
                deployment_mode: DeploymentMode::Production,
                form_field: FormEncoding::CxmlUrlencoded,
                operations: vec![SetupOperation::Create, SetupOperation::Inspect],
                language: "en".into(),
                extrinsics: vec![
                    property("UniqueName", "alovelace"),
                    property("UserEmail", "ada.lovelace@initech.example.edu"),
                    property("Department", "Chemistry"),
                ],
                contact: Some((
                    "Ada Lovelace".into(),
                    "ada.lovelace@initech.example.edu".into(),
                )),
            }),
        },
        BuyerSystem {
            id: "peppol-buyer".into(),
            name: "Peppol buyer (BIS Punch Out T77, Order T01)".into(),
            quirks: quirks(&[
                "no setup message: the BIS defines the cart only; the browser opens the shop",
                "receives the cart as a UBL `Catalogue` (T77), base64 in the form field `punchout-cart`",
                "validates the cart with the UBL 2.1 schema and the Peppol schematron",
                "orders with a Peppol Order (T01) naming each cart line by its `line-ref` item property",
            ]),
            shop_profile: shop(
                "peppol-buyer-profile.json",
                "def-customer",
                PEPPOL_PROFILE,
                &[],
            ),
            protocol: BuyerProtocol::Peppol(PeppolBuyer {
                buyer: EndpointId {
                    scheme: "0192".into(),
                    id: "123456785".into(),
                },
                seller: EndpointId {
                    scheme: "0192".into(),
                    id: "987654325".into(),
                },
                buyer_name: "DEF Customer Ltd.".into(),
                seller_name: "ABC Supplier Ltd.".into(),
                seller_country: "NO".into(),
                form_field: "punchout-cart".into(),
                base64: true,
                order_profile_id: punchout_plugin::peppol::order::ORDER_PROFILE_IDS[1].into(),
            }),
        },
    ]
}

/// The preset with this id.
pub fn preset(id: &str) -> Option<BuyerSystem> {
    presets().into_iter().find(|preset| preset.id == id)
}
