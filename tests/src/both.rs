//! One call run twice, natively (the core crate) and through the engine component (the real
//! `.wasm` under wasmtime): the two must agree, and the component must answer a refusal within
//! the refusal budget (HOSTILE-INPUT: each case well under 100 ms).

use std::time::{Duration, Instant};

use punchout_host::prelude::*;
use punchout_host::{CallError, Native, Profile, Worker};
use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::oci::{OciCharset, OciSession};
use punchout_plugin::profile::BuyerProfile;
use punchout_plugin::Error;

use crate::{envelope, runtime, sample, sample_secrets};

/// One call at a time in the process: a refusal's clock must not measure the other tests.
static ONE_CALL_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_call_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_CALL_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What a refusal may take through the component.
pub const REFUSAL_BUDGET: Duration = Duration::from_millis(100);

/// A start URL without `{token}`, so that both answers compare byte for byte.
pub const START_URL: &str = "https://shop.example.com/punchout/start?token=fixed";

/// One engine call on input the case builds.
#[derive(Clone, Debug)]
pub enum Call {
    /// `cxml.setup` for the sample Ariba profile.
    Setup(Vec<u8>),
    /// `cxml.read-order-message`.
    OrderMessage(Vec<u8>),
    /// `cxml.return-cart` for the sample session.
    CxmlCart(Cart),
    /// `cxml.return-cart` for the sample session, with the cart's JSON as the host has it.
    CxmlCartJson(Vec<u8>),
    /// `oci.call-up` for the sample SAP SRM profile.
    CallUp(Vec<u8>),
    /// `oci.cart-form` for the sample call-up's session.
    OciCart(Cart),
    /// `oci.read-form`.
    ReadForm(Vec<u8>, OciCharset),
    /// `orders.read-cxml-order` for the sample Ariba profile.
    CxmlOrder(Vec<u8>),
    /// `orders.read-peppol-order` for the buyer id `peppol-buyer`.
    PeppolOrder(Vec<u8>),
    /// `orders.identify-peppol-order`.
    PeppolIdentify(Vec<u8>),
}

/// The component and the native core with the sample profiles compiled in both.
#[derive(Debug)]
pub struct Both {
    pub worker: Worker,
    pub native: Native,
    cxml: Profile,
    cxml_native: BuyerProfile,
    oci: Profile,
    oci_native: BuyerProfile,
    peppol: Profile,
    peppol_native: BuyerProfile,
    pub cxml_session: Session,
    pub oci_session: OciSession,
}

fn oci_secrets() -> Vec<(String, String)> {
    serde_json::from_str::<std::collections::BTreeMap<String, String>>(&sample("oci-secrets.json"))
        .unwrap_or_default()
        .into_iter()
        .collect()
}

impl Both {
    /// # Panics
    /// When the sample profiles do not compile or the sample call-up is refused.
    pub fn new() -> Both {
        let mut worker = runtime().worker();
        let mut native = Native;
        let cxml_json = sample("cxml-buyer-profile.json");
        let oci_json = sample("oci-buyer-profile.json");
        let cxml = worker
            .compile_profile(&cxml_json, &sample_secrets())
            .unwrap();
        let cxml_native = native
            .compile_profile(&cxml_json, &sample_secrets())
            .unwrap();
        let mut oci = worker.compile_profile(&oci_json, &oci_secrets()).unwrap();
        let oci_native = native.compile_profile(&oci_json, &oci_secrets()).unwrap();
        let peppol_json = sample("peppol-buyer-profile.json");
        let peppol = worker.compile_profile(&peppol_json, &[]).unwrap();
        let peppol_native = native.compile_profile(&peppol_json, &[]).unwrap();
        let oci_session = worker
            .oci_call_up(&mut oci, sample("oci-call-up.txt").trim_end().as_bytes())
            .expect("the sample call-up is accepted")
            .session;
        let cxml_session = serde_json::from_str(&sample("cxml-session.json")).unwrap();
        Both {
            worker,
            native,
            cxml,
            cxml_native,
            oci,
            oci_native,
            peppol,
            peppol_native,
            cxml_session,
            oci_session,
        }
    }

    /// Runs `call` through the component (`component`) or natively, the answer as its Debug text.
    pub fn run(&mut self, call: &Call, component: bool) -> Result<String, CallError> {
        let envelope: Envelope = envelope(1);
        macro_rules! either {
            ($method:ident, $worker_profile:ident, $native_profile:ident $(, $arg:expr)*) => {
                if component {
                    self.worker
                        .$method(&mut self.$worker_profile $(, $arg)*)
                        .map(|answer| format!("{answer:?}"))
                } else {
                    self.native
                        .$method(&mut self.$native_profile $(, $arg)*)
                        .map(|answer| format!("{answer:?}"))
                }
            };
        }
        match call {
            Call::Setup(bytes) => {
                either!(cxml_setup, cxml, cxml_native, bytes, START_URL, &envelope)
            }
            Call::CxmlCart(cart) => {
                let session = self.cxml_session.clone();
                either!(
                    cxml_cart_return,
                    cxml,
                    cxml_native,
                    &session,
                    cart,
                    &envelope
                )
            }
            Call::CxmlCartJson(json) => {
                let session = self.cxml_session.clone();
                either!(
                    cxml_cart_return_json,
                    cxml,
                    cxml_native,
                    &session,
                    json,
                    &envelope
                )
            }
            Call::CallUp(bytes) => either!(oci_call_up, oci, oci_native, bytes),
            Call::CxmlOrder(bytes) => either!(read_cxml_order, cxml, cxml_native, bytes),
            Call::PeppolOrder(bytes) => {
                if component {
                    self.worker
                        .read_peppol_order(bytes, "peppol-buyer")
                        .map(|answer| format!("{answer:?}"))
                } else {
                    self.native
                        .read_peppol_order(bytes, "peppol-buyer")
                        .map(|answer| format!("{answer:?}"))
                }
            }
            Call::PeppolIdentify(bytes) => {
                if component {
                    self.worker
                        .identify_peppol_order(&mut [&mut self.peppol], bytes)
                        .map(|answer| format!("{answer:?}"))
                } else {
                    self.native
                        .identify_peppol_order(&mut [&mut self.peppol_native], bytes)
                        .map(|answer| format!("{answer:?}"))
                }
            }
            Call::OciCart(cart) => {
                let session = self.oci_session.clone();
                either!(oci_cart_form, oci, oci_native, &session, cart)
            }
            Call::OrderMessage(bytes) => {
                if component {
                    self.worker
                        .cxml_read_order_message(bytes)
                        .map(|answer| format!("{answer:?}"))
                } else {
                    self.native
                        .cxml_read_order_message(bytes)
                        .map(|answer| format!("{answer:?}"))
                }
            }
            Call::ReadForm(bytes, charset) => {
                if component {
                    self.worker
                        .oci_read_form(bytes, *charset)
                        .map(|answer| format!("{answer:?}"))
                } else {
                    self.native
                        .oci_read_form(bytes, *charset)
                        .map(|answer| format!("{answer:?}"))
                }
            }
        }
    }

    /// The refusal both give: the same typed error natively and through the component, the
    /// component's within [`REFUSAL_BUDGET`].
    ///
    /// # Panics
    /// When either accepts, traps or they disagree, or the component is too slow.
    pub fn refused(&mut self, call: &Call) -> Error {
        self.refused_within(call, REFUSAL_BUDGET)
    }

    /// [`Both::refused`] with another budget, for a refusal that comes after the work a limit
    /// allows (an input refused at its 10 001st item has read 10 000).
    ///
    /// # Panics
    /// As [`Both::refused`].
    pub fn refused_within(&mut self, call: &Call, budget: Duration) -> Error {
        let _one = one_call_at_a_time();
        let native = self.run(call, false);
        let started = Instant::now();
        let component = self.run(call, true);
        let elapsed = started.elapsed();
        let error = match (native, component) {
            (Err(CallError::Rejected(native)), Err(CallError::Rejected(component))) => {
                assert_eq!(native, component, "native and component refuse differently");
                component
            }
            (native, component) => panic!(
                "expected both to refuse, native: {}, component: {}",
                short(&native),
                short(&component)
            ),
        };
        assert!(
            elapsed < budget,
            "the component took {elapsed:?} to refuse ({error})"
        );
        error
    }

    /// The answer both give, equal natively and through the component.
    ///
    /// # Panics
    /// When either refuses or traps, or they disagree.
    pub fn accepted(&mut self, call: &Call) -> String {
        let _one = one_call_at_a_time();
        let native = self.run(call, false);
        let component = self.run(call, true);
        match (native, component) {
            (Ok(native), Ok(component)) => {
                assert!(
                    native == component,
                    "native and component answer differently"
                );
                component
            }
            (native, component) => panic!(
                "expected both to accept, native: {}, component: {}",
                short(&native),
                short(&component)
            ),
        }
    }
}

impl Default for Both {
    fn default() -> Self {
        Both::new()
    }
}

fn short(outcome: &Result<String, CallError>) -> String {
    match outcome {
        Ok(answer) => format!("accepted {}", answer.chars().take(200).collect::<String>()),
        Err(error) => error.to_string(),
    }
}

/// Where an error must point.
#[derive(Clone, Copy, Debug)]
pub enum At<'a> {
    /// An element path, with a line and column.
    Path(&'a str),
    /// A line and column (1-based).
    Line(u32, u32),
    /// A form or call-up field.
    Field(&'a str),
    /// A JSON pointer into the cart or session.
    Pointer(&'a str),
    /// Nowhere in particular (a whole-body limit).
    Nowhere,
}

/// Asserts an error's code, that its message holds `needle`, and its location.
///
/// # Panics
/// When any differs.
pub fn assert_error(error: &Error, code: punchout_plugin::ErrorCode, needle: &str, at: At<'_>) {
    assert_eq!(error.code(), code, "{error}");
    assert!(
        error.message().contains(needle),
        "`{needle}` not in: {error}"
    );
    let location = error.location();
    match at {
        At::Path(path) => {
            assert_eq!(location.path.as_deref(), Some(path), "{error}");
            assert!(
                location.line.is_some() && location.column.is_some(),
                "{error}"
            );
        }
        At::Line(line, column) => {
            assert_eq!(
                (location.line, location.column),
                (Some(line), Some(column)),
                "{error}"
            )
        }
        At::Field(field) => assert_eq!(location.field.as_deref(), Some(field), "{error}"),
        At::Pointer(pointer) => assert_eq!(location.pointer.as_deref(), Some(pointer), "{error}"),
        At::Nowhere => {}
    }
}
