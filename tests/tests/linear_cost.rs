//! Cost linear in the input for every parser and page (issue 12): for each of cXML setup, order
//! message read, OCI call-up, OCI read-back, cXML cart return and OCI cart form, an input ten
//! times larger may cost at most twelve times the work, counted two ways that do not depend on
//! the machine's speed:
//! - natively, the allocations and bytes allocated on the calling thread (a counting global
//!   allocator: this test binary's own);
//! - through the engine component, the WebAssembly instructions executed (wasmtime fuel), which
//!   also catches work that allocates nothing, like a search inside a loop.

#![allow(unsafe_code)] // the counting allocator below: GlobalAlloc is an unsafe trait

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use punchout_plugin::model::{Cart, CartLine, Session};
use punchout_plugin::oci::OciCharset;
use punchout_plugin::profile::{BuyerProfile, ResolvedSecret, Secret};
use punchout_tests::{component_path, envelope, sample};

// ---------------------------------------------------------------------------------------------
// Counting allocations on the current thread.

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(size: usize) {
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get().saturating_add(1)));
    let _ = BYTES.try_with(|bytes| bytes.set(bytes.get().saturating_add(size as u64)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(pointer, layout, new_size) }
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations and bytes allocated by `work` on this thread.
fn allocations(work: impl FnOnce()) -> (u64, u64) {
    let before = (ALLOCATIONS.with(Cell::get), BYTES.with(Cell::get));
    work();
    (
        ALLOCATIONS.with(Cell::get) - before.0,
        BYTES.with(Cell::get) - before.1,
    )
}

// ---------------------------------------------------------------------------------------------
// The inputs, at a size n.

const OCI_PASSWORD: &str = "oci-p4ss";

fn cxml_profile() -> BuyerProfile {
    BuyerProfile::compile(
        &sample("cxml-buyer-profile.json"),
        &[ResolvedSecret {
            name: "ACME_ARIBA_SHARED_SECRET".into(),
            value: Secret::new("s3cr3t"),
        }],
    )
    .unwrap()
}

fn oci_profile() -> BuyerProfile {
    BuyerProfile::compile(
        &sample("oci-buyer-profile.json"),
        &[ResolvedSecret {
            name: "ACME_SRM_OCI_PASSWORD".into(),
            value: Secret::new(OCI_PASSWORD),
        }],
    )
    .unwrap()
}

/// The sample setup request with `n` extrinsics.
fn setup_request(n: usize) -> Vec<u8> {
    let extrinsics: String = (0..n)
        .map(|i| format!("<Extrinsic name=\"E{i}\">value {i}</Extrinsic>\n"))
        .collect();
    sample("cxml-setup-request.xml")
        .replacen(
            "<BrowserFormPost>",
            &format!("{extrinsics}<BrowserFormPost>"),
            1,
        )
        .into_bytes()
}

fn cart(n: usize) -> Cart {
    let base: Cart = serde_json::from_str(&sample("cart.json")).unwrap();
    Cart {
        lines: (0..n)
            .map(|i| CartLine {
                line_ref: format!("line-{i}"),
                ..base.lines[i % base.lines.len()].clone()
            })
            .collect(),
        ..base
    }
}

fn cxml_session() -> Session {
    serde_json::from_str(&sample("cxml-session.json")).unwrap()
}

/// A PunchOutOrderMessage of `n` lines, as the engine writes it.
fn order_message(n: usize) -> Vec<u8> {
    punchout_plugin::cxml::order_message::order_message(
        &cxml_profile(),
        &cxml_session(),
        &cart(n),
        &envelope(1),
    )
    .unwrap()
    .into_bytes()
}

/// The sample call-up with `n` extra parameters.
fn call_up(n: usize) -> Vec<u8> {
    let mut body = sample("oci-call-up.txt").trim_end().to_owned();
    for i in 0..n {
        body.push_str(&format!("&P{i}=v{i}"));
    }
    body.into_bytes()
}

/// A posted OCI form of `n` items, three fields each.
fn form_body(n: usize) -> Vec<u8> {
    let mut body = String::from("sap-client=100&~OkCode=ADDI");
    for i in 1..=n {
        body.push_str(&format!(
            "&NEW_ITEM-DESCRIPTION%5B{i}%5D=paper+{i}&NEW_ITEM-QUANTITY%5B{i}%5D=1&NEW_ITEM-PRICE%5B{i}%5D=4.20"
        ));
    }
    body.into_bytes()
}

/// What is measured: a name, the base size n, and the input at a size.
#[derive(Clone, Copy)]
enum Measure {
    Setup,
    OrderMessage,
    CallUp,
    ReadBack,
    CxmlCartReturn,
    OciCartForm,
}

const MEASURES: [(Measure, &str, usize); 6] = [
    (Measure::Setup, "cXML setup (extrinsics)", 100),
    (Measure::OrderMessage, "order message read (lines)", 50),
    (Measure::CallUp, "OCI call-up (parameters)", 50),
    (Measure::ReadBack, "OCI read-back (items)", 400),
    (Measure::CxmlCartReturn, "cXML cart return (lines)", 50),
    (Measure::OciCartForm, "OCI cart form (lines)", 50),
];

/// At most this much more work for ten times the input.
const GROWTH_LIMIT: f64 = 12.0;

fn check(name: &str, what: &str, small: u64, large: u64, failures: &mut Vec<String>) {
    let ratio = large as f64 / small.max(1) as f64;
    println!("{name}: {what} {small} → {large} for 10× the input: {ratio:.2}×");
    if ratio > GROWTH_LIMIT {
        failures.push(format!(
            "{name}: {what} grew {ratio:.1}× for 10× the input ({small} → {large})"
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Natively: allocations.

fn run_native(measure: Measure, n: usize) -> (u64, u64) {
    let cxml = cxml_profile();
    let oci = oci_profile();
    let session = cxml_session();
    let oci_session = punchout_plugin::oci::call_up(&oci, &call_up(0))
        .unwrap()
        .session;
    let (request, message, body, form, big_cart) = (
        setup_request(n),
        order_message(n),
        call_up(n),
        form_body(n),
        cart(n),
    );
    allocations(|| match measure {
        Measure::Setup => {
            let accepted = punchout_plugin::cxml::setup::setup(
                &cxml,
                &request,
                "https://s.example/x",
                &envelope(1),
            )
            .unwrap();
            assert_eq!(accepted.session.extrinsics.len(), n + 3);
        }
        Measure::OrderMessage => {
            let read = punchout_plugin::cxml::order_message::read_order_message(&message).unwrap();
            assert_eq!(read.lines.len(), n);
        }
        Measure::CallUp => {
            let accepted = punchout_plugin::oci::call_up(&oci, &body).unwrap();
            assert!(accepted.parameters.len() >= n);
        }
        Measure::ReadBack => {
            let post = punchout_plugin::oci::read_form(&form, OciCharset::Utf8).unwrap();
            assert_eq!(post.items.len(), n);
        }
        Measure::CxmlCartReturn => {
            let message = punchout_plugin::cxml::order_message::order_message(
                &cxml,
                &session,
                &big_cart,
                &envelope(2),
            )
            .unwrap();
            let form = punchout_plugin::cxml::form::cart_form(
                &session.return_url,
                cxml.cxml().form_encoding,
                &message,
            );
            assert!(form.len() > message.len());
        }
        Measure::OciCartForm => {
            let page = punchout_plugin::oci::cart_form(&oci, &oci_session, &big_cart).unwrap();
            assert!(page.body.len() > 100 * n);
        }
    })
}

#[test]
fn natively_ten_times_the_input_allocates_at_most_twelve_times_as_much() {
    let mut failures = Vec::new();
    for (measure, name, n) in MEASURES {
        let (small_count, small_bytes) = run_native(measure, n);
        let (large_count, large_bytes) = run_native(measure, 10 * n);
        check(name, "allocations", small_count, large_count, &mut failures);
        check(
            name,
            "bytes allocated",
            small_bytes,
            large_bytes,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Through the component: WebAssembly instructions (fuel).

mod fuel {
    use wasmtime::component::{Component, Instance, Linker, ResourceAny, ResourceTable, Val};
    use wasmtime::{Config, Engine, Store};
    use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

    pub struct State {
        wasi: WasiCtx,
        table: ResourceTable,
    }

    impl WasiView for State {
        fn ctx(&mut self) -> WasiCtxView<'_> {
            WasiCtxView {
                ctx: &mut self.wasi,
                table: &mut self.table,
            }
        }
    }

    /// The engine component instantiated with fuel metering, called through its exports by name.
    pub struct Metered {
        store: Store<State>,
        instance: Instance,
    }

    pub fn text(value: &str) -> Val {
        Val::String(value.to_owned())
    }

    pub fn bytes(value: &[u8]) -> Val {
        Val::List(value.iter().map(|byte| Val::U8(*byte)).collect())
    }

    pub fn record(fields: Vec<(&str, Val)>) -> Val {
        Val::Record(
            fields
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        )
    }

    /// The `ok` payload of a `result`, or a panic with the error.
    pub fn ok(value: Val) -> Val {
        match value {
            Val::Result(Ok(Some(payload))) => *payload,
            other => panic!("the engine refused: {other:?}"),
        }
    }

    pub fn field(value: &Val, name: &str) -> Val {
        match value {
            Val::Record(fields) => fields
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, value)| value.clone())
                .unwrap_or_else(|| panic!("no field `{name}`")),
            other => panic!("not a record: {other:?}"),
        }
    }

    impl Metered {
        pub fn new(path: &std::path::Path) -> Metered {
            let mut config = Config::new();
            config.consume_fuel(true);
            let engine = Engine::new(&config).unwrap();
            let component = Component::from_file(&engine, path).unwrap();
            let mut linker = Linker::<State>::new(&engine);
            wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
            let mut store = Store::new(
                &engine,
                State {
                    wasi: WasiCtx::builder().build(),
                    table: ResourceTable::new(),
                },
            );
            store.set_fuel(u64::MAX / 2).unwrap();
            let instance = linker.instantiate(&mut store, &component).unwrap();
            Metered { store, instance }
        }

        /// Calls `interface#function` and returns its one result and the fuel it used.
        pub fn call(&mut self, interface: &str, function: &str, params: &[Val]) -> (Val, u64) {
            let interface_index = self
                .instance
                .get_export_index(
                    &mut self.store,
                    None,
                    &format!("punchout:engine/{interface}@0.1.0"),
                )
                .unwrap_or_else(|| panic!("no interface {interface}"));
            let function_index = self
                .instance
                .get_export_index(&mut self.store, Some(&interface_index), function)
                .unwrap_or_else(|| panic!("no function {interface}#{function}"));
            let func = self
                .instance
                .get_func(&mut self.store, function_index)
                .unwrap();
            let mut results = [Val::Bool(false)];
            let before = self.store.get_fuel().unwrap();
            func.call(&mut self.store, params, &mut results).unwrap();
            let used = before - self.store.get_fuel().unwrap();
            let [result] = results;
            (result, used)
        }

        pub fn compile(&mut self, json: &str, secret: (&str, &str)) -> ResourceAny {
            let secrets = Val::List(vec![record(vec![
                ("name", text(secret.0)),
                ("value", text(secret.1)),
            ])]);
            let (result, _) = self.call(
                "config",
                "[static]buyer-profile.compile",
                &[text(json), secrets],
            );
            match ok(result) {
                Val::Resource(handle) => handle,
                other => panic!("not a resource: {other:?}"),
            }
        }
    }
}

/// The cart as the engine takes it: its JSON, as bytes.
fn cart_val(cart: &Cart) -> wasmtime::component::Val {
    fuel::bytes(&serde_json::to_vec(cart).expect("cart json"))
}

fn run_component(metered: &mut fuel::Metered, measure: Measure, n: usize) -> u64 {
    use fuel::{bytes, field, ok, record, text};
    use wasmtime::component::Val;
    let envelope_val = record(vec![
        ("payload-id", text("1@test")),
        ("timestamp", text("2026-11-25T10:00:00+01:00")),
    ]);
    let cxml = metered.compile(
        &sample("cxml-buyer-profile.json"),
        ("ACME_ARIBA_SHARED_SECRET", "s3cr3t"),
    );
    let oci = metered.compile(
        &sample("oci-buyer-profile.json"),
        ("ACME_SRM_OCI_PASSWORD", OCI_PASSWORD),
    );
    let start = text("https://shop.example.com/start");
    let (result, used) = match measure {
        Measure::Setup => metered.call(
            "cxml",
            "setup",
            &[
                Val::Resource(cxml),
                bytes(&setup_request(n)),
                start,
                envelope_val,
            ],
        ),
        Measure::OrderMessage => {
            metered.call("cxml", "read-order-message", &[bytes(&order_message(n))])
        }
        Measure::CallUp => {
            metered.call("oci", "call-up", &[Val::Resource(oci), bytes(&call_up(n))])
        }
        Measure::ReadBack => metered.call(
            "oci",
            "read-form",
            &[bytes(&form_body(n)), Val::Enum("utf8".into())],
        ),
        Measure::CxmlCartReturn => {
            let (accepted, _) = metered.call(
                "cxml",
                "setup",
                &[
                    Val::Resource(cxml),
                    bytes(&setup_request(0)),
                    start,
                    envelope_val.clone(),
                ],
            );
            let session = field(&ok(accepted), "session");
            metered.call(
                "cxml",
                "return-cart",
                &[
                    Val::Resource(cxml),
                    session,
                    cart_val(&cart(n)),
                    envelope_val,
                ],
            )
        }
        Measure::OciCartForm => {
            let (accepted, _) =
                metered.call("oci", "call-up", &[Val::Resource(oci), bytes(&call_up(0))]);
            let session = field(&ok(accepted), "session");
            metered.call(
                "oci",
                "cart-form",
                &[Val::Resource(oci), session, cart_val(&cart(n))],
            )
        }
    };
    ok(result);
    used
}

#[test]
fn through_the_component_ten_times_the_input_runs_at_most_twelve_times_the_instructions() {
    let mut metered = fuel::Metered::new(&component_path());
    let mut failures = Vec::new();
    for (measure, name, n) in MEASURES {
        let small = run_component(&mut metered, measure, n);
        let large = run_component(&mut metered, measure, 10 * n);
        check(name, "instructions", small, large, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
