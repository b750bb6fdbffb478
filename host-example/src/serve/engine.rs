//! The engine as the demo shop calls it: the compiled buyer profiles kept beside one engine (the
//! component's [`crate::Worker`], or the core natively), behind a mutex, called by profile id.
//!
//! [`ShopEngine`] is object-safe so that the web app holds either engine the same way; each
//! method is one engine call, and the calls run on blocking threads.

use std::sync::Mutex;

use punchout_plugin::cxml::setup::SetupAccepted;
use punchout_plugin::model::{Cart, Envelope, Session};
use punchout_plugin::oci::{OciCallUp, OciPage, OciSession};
use punchout_plugin::order::reconcile::Reconciliation;
use punchout_plugin::order::redelivery::{OrderRecord, Redelivery};
use punchout_plugin::order::PurchaseOrder;
use punchout_plugin::peppol::order::PeppolOrder;
use punchout_plugin::peppol::order_response::OrderResponseDecision;
use punchout_plugin::Error;

use crate::calls::{CartReturn, EngineCalls, PeppolCartReturn};
use crate::CallError;

/// The engine calls the demo shop makes, by buyer profile id.
pub trait ShopEngine: Send + Sync {
    /// Which cXML profile a setup request is for, authenticated.
    fn cxml_identify(&self, request: &[u8]) -> Result<String, CallError>;
    fn cxml_setup(
        &self,
        profile: &str,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError>;
    fn cxml_error_response(&self, error: &Error, envelope: &Envelope) -> Result<String, CallError>;
    fn cxml_cart_return(
        &self,
        profile: &str,
        session: &Session,
        cart: &Cart,
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError>;
    fn oci_call_up(&self, profile: &str, body: &[u8]) -> Result<OciCallUp, CallError>;
    fn oci_cart_form(
        &self,
        profile: &str,
        session: &OciSession,
        cart: &Cart,
    ) -> Result<OciPage, CallError>;
    fn peppol_cart(
        &self,
        profile: &str,
        cart: &Cart,
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError>;
    /// Which cXML profile an `OrderRequest` is for, authenticated.
    fn identify_cxml_order(&self, document: &[u8]) -> Result<String, CallError>;
    fn read_cxml_order(&self, profile: &str, document: &[u8]) -> Result<PurchaseOrder, CallError>;
    fn cxml_order_response(&self, envelope: &Envelope) -> Result<String, CallError>;
    /// Which Peppol profile a T01 is for, by its endpoints.
    fn identify_peppol_order(&self, document: &[u8]) -> Result<String, CallError>;
    fn read_peppol_order(&self, document: &[u8], buyer: &str) -> Result<PeppolOrder, CallError>;
    fn peppol_order_response(
        &self,
        order: &PeppolOrder,
        reconciliation: Option<&Reconciliation>,
        decision: &OrderResponseDecision,
    ) -> Result<String, CallError>;
    fn reconcile_order(
        &self,
        profile: &str,
        order: &PurchaseOrder,
        cart: &Cart,
        session: Option<&Session>,
    ) -> Result<Reconciliation, CallError>;
    fn order_redelivery(
        &self,
        order: &PurchaseOrder,
        known: &[OrderRecord],
    ) -> Result<Redelivery, CallError>;
}

/// A profile compiled for the shop: its id and protocol beside the engine's handle.
struct Compiled<P> {
    id: String,
    protocol: String,
    profile: P,
}

struct Slot<E: EngineCalls> {
    engine: E,
    profiles: Vec<Compiled<E::Profile>>,
}

/// One engine and the profiles compiled in it.
pub struct Engine<E: EngineCalls> {
    slot: Mutex<Slot<E>>,
}

impl<E: EngineCalls> std::fmt::Debug for Engine<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

/// A profile to compile: its id, protocol, JSON and resolved secrets.
#[derive(Clone, Debug)]
pub struct ProfileSource {
    pub id: String,
    pub protocol: String,
    pub json: String,
    pub secrets: Vec<(String, String)>,
}

impl<E: EngineCalls> Engine<E> {
    /// Compiles every profile.
    ///
    /// # Errors
    /// The first profile the engine refuses, named by id.
    pub fn new(mut engine: E, sources: &[ProfileSource]) -> anyhow::Result<Self> {
        let mut profiles = Vec::with_capacity(sources.len());
        for source in sources {
            let profile = engine
                .compile_profile(&source.json, &source.secrets)
                .map_err(|error| anyhow::anyhow!("profile `{}`: {error}", source.id))?;
            profiles.push(Compiled {
                id: source.id.clone(),
                protocol: source.protocol.clone(),
                profile,
            });
        }
        Ok(Engine {
            slot: Mutex::new(Slot { engine, profiles }),
        })
    }

    fn with<R>(
        &self,
        run: impl FnOnce(&mut Slot<E>) -> Result<R, CallError>,
    ) -> Result<R, CallError> {
        let mut slot = self
            .slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        run(&mut slot)
    }
}

impl<E: EngineCalls> Slot<E> {
    fn profile(&mut self, id: &str) -> Result<(&mut E, &mut E::Profile), CallError> {
        let Slot { engine, profiles } = self;
        let compiled = profiles
            .iter_mut()
            .find(|compiled| compiled.id == id)
            .ok_or_else(|| CallError::Host(format!("no buyer profile `{id}` is loaded")))?;
        Ok((engine, &mut compiled.profile))
    }

    /// Runs an identification over the profiles of one protocol; the index it returns becomes
    /// the profile's id.
    fn identify(
        &mut self,
        protocol: &str,
        run: impl FnOnce(&mut E, &mut [&mut E::Profile]) -> Result<usize, CallError>,
    ) -> Result<String, CallError> {
        let Slot { engine, profiles } = self;
        let (ids, mut handles): (Vec<&String>, Vec<&mut E::Profile>) = profiles
            .iter_mut()
            .filter(|compiled| compiled.protocol == protocol)
            .map(|compiled| (&compiled.id, &mut compiled.profile))
            .unzip();
        let index = run(engine, &mut handles)?;
        ids.get(index)
            .map(|id| (*id).clone())
            .ok_or_else(|| CallError::Host(format!("the engine named profile {index}")))
    }
}

impl<E> ShopEngine for Engine<E>
where
    E: EngineCalls + Send,
    E::Profile: Send,
{
    fn cxml_identify(&self, request: &[u8]) -> Result<String, CallError> {
        self.with(|slot| {
            slot.identify("cxml", |engine, profiles| {
                engine.cxml_identify(profiles, request)
            })
        })
    }

    fn cxml_setup(
        &self,
        profile: &str,
        request: &[u8],
        start_url: &str,
        envelope: &Envelope,
    ) -> Result<SetupAccepted, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.cxml_setup(profile, request, start_url, envelope)
        })
    }

    fn cxml_error_response(&self, error: &Error, envelope: &Envelope) -> Result<String, CallError> {
        self.with(|slot| slot.engine.cxml_error_response(error, envelope))
    }

    fn cxml_cart_return(
        &self,
        profile: &str,
        session: &Session,
        cart: &Cart,
        envelope: &Envelope,
    ) -> Result<CartReturn, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.cxml_cart_return(profile, session, cart, envelope)
        })
    }

    fn oci_call_up(&self, profile: &str, body: &[u8]) -> Result<OciCallUp, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.oci_call_up(profile, body)
        })
    }

    fn oci_cart_form(
        &self,
        profile: &str,
        session: &OciSession,
        cart: &Cart,
    ) -> Result<OciPage, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.oci_cart_form(profile, session, cart)
        })
    }

    fn peppol_cart(
        &self,
        profile: &str,
        cart: &Cart,
        envelope: &Envelope,
        return_url: &str,
    ) -> Result<PeppolCartReturn, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.peppol_cart(profile, cart, envelope, return_url)
        })
    }

    fn identify_cxml_order(&self, document: &[u8]) -> Result<String, CallError> {
        self.with(|slot| {
            slot.identify("cxml", |engine, profiles| {
                engine.identify_cxml_order(profiles, document)
            })
        })
    }

    fn read_cxml_order(&self, profile: &str, document: &[u8]) -> Result<PurchaseOrder, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.read_cxml_order(profile, document)
        })
    }

    fn cxml_order_response(&self, envelope: &Envelope) -> Result<String, CallError> {
        self.with(|slot| slot.engine.cxml_order_response(envelope))
    }

    fn identify_peppol_order(&self, document: &[u8]) -> Result<String, CallError> {
        self.with(|slot| {
            slot.identify("peppol", |engine, profiles| {
                engine.identify_peppol_order(profiles, document)
            })
        })
    }

    fn read_peppol_order(&self, document: &[u8], buyer: &str) -> Result<PeppolOrder, CallError> {
        self.with(|slot| slot.engine.read_peppol_order(document, buyer))
    }

    fn peppol_order_response(
        &self,
        order: &PeppolOrder,
        reconciliation: Option<&Reconciliation>,
        decision: &OrderResponseDecision,
    ) -> Result<String, CallError> {
        self.with(|slot| {
            slot.engine
                .peppol_order_response(order, reconciliation, decision)
        })
    }

    fn reconcile_order(
        &self,
        profile: &str,
        order: &PurchaseOrder,
        cart: &Cart,
        session: Option<&Session>,
    ) -> Result<Reconciliation, CallError> {
        self.with(|slot| {
            let (engine, profile) = slot.profile(profile)?;
            engine.reconcile_order(profile, order, cart, session)
        })
    }

    fn order_redelivery(
        &self,
        order: &PurchaseOrder,
        known: &[OrderRecord],
    ) -> Result<Redelivery, CallError> {
        self.with(|slot| slot.engine.order_redelivery(order, known))
    }
}
