//! The calls timed: the same engine calls natively ([`Native`]), through the component on a warm
//! instance, and through it on a fresh instance per call ([`InstanceMode::FreshPerCall`]). Only
//! the host's public API is used, so that the suite measures whatever the engine's insides are.

use anyhow::{bail, Context as _};
use punchout_host::prelude::*;
use punchout_host::{CallError, InstanceMode, Native, Runtime, RuntimeConfig, Worker};
use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::oci::OciSession;
use punchout_plugin::{Error, ErrorCode};
use serde::Serialize;

use crate::measure::Case;

const CXML_PROFILE: &str = include_str!("../../host-example/samples/cxml-buyer-profile.json");
const CXML_SESSION: &str = include_str!("../../host-example/samples/cxml-session.json");
const SETUP_REQUEST: &str = include_str!("../../host-example/samples/cxml-setup-request.xml");
const START_URL: &str =
    "https://shop.example.com/punchout/start?token=0123456789abcdef0123456789abcdef";
/// The SAP SRM buyer speaking OCI 4.0 in Latin-1.
const OCI_PROFILE: &str = include_str!("../../host-example/samples/oci-buyer-profile.json");
const OCI_CALL_UP: &str = include_str!("../../host-example/samples/oci-call-up.txt");

fn cxml_secrets() -> Vec<(String, String)> {
    vec![("ACME_ARIBA_SHARED_SECRET".to_owned(), "s3cr3t".to_owned())]
}

fn oci_secrets() -> Vec<(String, String)> {
    vec![("ACME_SRM_OCI_PASSWORD".to_owned(), "oci-p4ss".to_owned())]
}

fn envelope() -> Envelope {
    Envelope {
        payload_id: "1764061200.1.bench@shop.example.com".to_owned(),
        timestamp: "2026-11-25T10:00:00+01:00".to_owned(),
    }
}

/// A call's error with its cause, for the report.
fn failed(error: CallError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

/// The component loaded twice (one runtime per instance mode) and the inputs every case shares.
pub struct Engines {
    warm: Runtime,
    fresh: Runtime,
    cxml_session: Session,
    oci_session: OciSession,
    envelope: Envelope,
}

/// A worker of `runtime` with the cXML and the OCI profile compiled.
struct Loaded<W: EngineCalls> {
    calls: W,
    cxml: W::Profile,
    oci: W::Profile,
}

fn load<W: EngineCalls>(mut calls: W) -> anyhow::Result<Loaded<W>> {
    let cxml = calls
        .compile_profile(CXML_PROFILE, &cxml_secrets())
        .map_err(failed)
        .context("the sample cXML profile")?;
    let oci = calls
        .compile_profile(OCI_PROFILE, &oci_secrets())
        .map_err(failed)
        .context("the sample OCI profile")?;
    Ok(Loaded { calls, cxml, oci })
}

impl Engines {
    pub fn load(wasm: &[u8]) -> anyhow::Result<Self> {
        let warm = Runtime::from_bytes(wasm, RuntimeConfig::default())?;
        let fresh = Runtime::from_bytes(
            wasm,
            RuntimeConfig {
                instance_mode: InstanceMode::FreshPerCall,
                ..RuntimeConfig::default()
            },
        )?;
        let cxml_session = serde_json::from_str(CXML_SESSION).context("the sample session")?;
        let mut native = load(Native)?;
        let oci_session = native
            .calls
            .oci_call_up(&mut native.oci, OCI_CALL_UP.trim().as_bytes())
            .map_err(failed)
            .context("the sample OCI call-up")?
            .session;
        Ok(Engines {
            warm,
            fresh,
            cxml_session,
            oci_session,
            envelope: envelope(),
        })
    }

    /// The cart cases of one size: cXML cart return (message + form) and OCI cart form, each
    /// natively, warm and fresh. Checks first that the component writes the native documents.
    pub fn cart_cases<'a>(&'a self, cart: &'a Cart) -> anyhow::Result<Vec<Case<'a>>> {
        let expected = self.documents(Native, cart)?;
        if self.documents(self.warm.worker(), cart)? != expected {
            bail!(
                "the component's documents for {} lines differ from the native ones",
                cart.lines.len()
            );
        }
        let cases = vec![
            self.cxml_case("cxml-native", load(Native)?, cart),
            self.cxml_case("cxml-warm", load(self.warm.worker())?, cart),
            self.cxml_case("cxml-fresh", load(self.fresh.worker())?, cart),
            self.oci_case("oci-native", load(Native)?, cart),
            self.oci_case("oci-warm", load(self.warm.worker())?, cart),
            self.oci_case("oci-fresh", load(self.fresh.worker())?, cart),
        ];
        Ok(cases)
    }

    fn cxml_case<'a, W: EngineCalls + 'a>(
        &'a self,
        name: &'static str,
        mut loaded: Loaded<W>,
        cart: &'a Cart,
    ) -> Case<'a> {
        Case::new(name, move || {
            let cart_return = loaded
                .calls
                .cxml_cart_return(&mut loaded.cxml, &self.cxml_session, cart, &self.envelope)
                .map_err(failed)?;
            Ok(cart_return.message.len() + cart_return.form_html.len())
        })
    }

    fn oci_case<'a, W>(
        &'a self,
        name: &'static str,
        mut loaded: Loaded<W>,
        cart: &'a Cart,
    ) -> Case<'a>
    where
        W: EngineCalls + 'a,
    {
        Case::new(name, move || {
            let page = loaded
                .calls
                .oci_cart_form(&mut loaded.oci, &self.oci_session, cart)
                .map_err(failed)?;
            Ok(page.body.len())
        })
    }

    /// The cXML message, its form and the OCI page for `cart`.
    fn documents<W>(&self, calls: W, cart: &Cart) -> anyhow::Result<(String, String, Vec<u8>)>
    where
        W: EngineCalls,
    {
        let mut loaded = load(calls)?;
        let cart_return = loaded
            .calls
            .cxml_cart_return(&mut loaded.cxml, &self.cxml_session, cart, &self.envelope)
            .map_err(failed)?;
        let page = loaded
            .calls
            .oci_cart_form(&mut loaded.oci, &self.oci_session, cart)
            .map_err(failed)?;
        Ok((cart_return.message, cart_return.form_html, page.body))
    }

    /// Calls whose cost hardly depends on their input: a cXML error response (the fixed cost of a
    /// call), the setup request, the OCI call-up and compiling the cXML profile.
    pub fn fixed_cases(&self) -> anyhow::Result<Vec<Case<'_>>> {
        let mut cases = Vec::new();
        let error = Error::new(ErrorCode::AuthenticationFailed, "authentication failed");
        let native = [
            "error-response-native",
            "setup-native",
            "oci-call-up-native",
            "compile-profile-native",
        ];
        let warm = [
            "error-response-warm",
            "setup-warm",
            "oci-call-up-warm",
            "compile-profile-warm",
        ];
        let fresh = [
            "error-response-fresh",
            "setup-fresh",
            "oci-call-up-fresh",
            "compile-profile-fresh",
        ];
        self.push_fixed(&mut cases, native, &error, || Native)?;
        self.push_fixed(&mut cases, warm, &error, || self.warm.worker())?;
        self.push_fixed(&mut cases, fresh, &error, || self.fresh.worker())?;
        Ok(cases)
    }

    fn push_fixed<'a, W>(
        &'a self,
        cases: &mut Vec<Case<'a>>,
        [error_name, setup_name, call_up_name, compile_name]: [&'static str; 4],
        error: &Error,
        mut new: impl FnMut() -> W,
    ) -> anyhow::Result<()>
    where
        W: EngineCalls + 'a,
    {
        let mut calls = new();
        let error = error.clone();
        cases.push(Case::new(error_name, move || {
            let response = calls
                .cxml_error_response(&error, &self.envelope)
                .map_err(failed)?;
            Ok(response.len())
        }));
        let mut loaded = load(new())?;
        cases.push(Case::new(setup_name, move || {
            let accepted = loaded
                .calls
                .cxml_setup(
                    &mut loaded.cxml,
                    SETUP_REQUEST.as_bytes(),
                    START_URL,
                    &self.envelope,
                )
                .map_err(failed)?;
            Ok(accepted.response.len())
        }));
        let mut loaded = load(new())?;
        cases.push(Case::new(call_up_name, move || {
            let call_up = loaded
                .calls
                .oci_call_up(&mut loaded.oci, OCI_CALL_UP.trim().as_bytes())
                .map_err(failed)?;
            Ok(call_up.session.hook_url.len())
        }));
        let mut calls = new();
        cases.push(Case::new(compile_name, move || {
            calls
                .compile_profile(CXML_PROFILE, &cxml_secrets())
                .map_err(failed)?;
            Ok(CXML_PROFILE.len())
        }));
        Ok(())
    }

    /// The guest's peak linear memory after one cart return on a new warm instance.
    pub fn guest_memory(&self) -> anyhow::Result<GuestMemory> {
        let peak = |lines: usize, cxml: bool| -> anyhow::Result<u64> {
            let cart = crate::cart::cart(lines);
            let mut loaded: Loaded<Worker> = load(self.warm.worker())?;
            if cxml {
                loaded
                    .calls
                    .cxml_cart_return(&mut loaded.cxml, &self.cxml_session, &cart, &self.envelope)
                    .map_err(failed)?;
            } else {
                loaded
                    .calls
                    .oci_cart_form(&mut loaded.oci, &self.oci_session, &cart)
                    .map_err(failed)?;
            }
            Ok(loaded.calls.guest_memory_peak_bytes() as u64)
        };
        Ok(GuestMemory {
            cxml_100_lines_bytes: peak(100, true)?,
            oci_100_lines_bytes: peak(100, false)?,
            cxml_10000_lines_bytes: peak(10_000, true)?,
            oci_10000_lines_bytes: peak(10_000, false)?,
        })
    }
}

/// The guest's peak linear memory, in bytes, after compiling both profiles and one call.
#[derive(Debug, Serialize)]
pub struct GuestMemory {
    pub cxml_100_lines_bytes: u64,
    pub oci_100_lines_bytes: u64,
    pub cxml_10000_lines_bytes: u64,
    pub oci_10000_lines_bytes: u64,
}
