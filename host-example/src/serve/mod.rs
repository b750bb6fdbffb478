//! `punchout serve`: a buyer simulator and a demo shop in one local web app.
//!
//! The buyer side plays the procurement system: it punches out by OCI, cXML or Peppol, receives
//! the cart at its return endpoint, judges it against the specifications ([`buyer`]), and sends
//! the purchase order after approval. The shop side is a small demo shop that runs every protocol
//! step through the engine. Sessions, returned carts and received orders live in a store, SQLite
//! by default and PostgreSQL when a URL is given.

pub mod buyer;
