//! Link settings of the WebAssembly component.
//!
//! The engine's shadow stack lives at the bottom of its linear memory, and a pooled instance slot
//! is reset for the next instance by zeroing the memory the last one could reach: a 1 MiB stack
//! (Rust's default for WebAssembly) costs that much zeroing per fresh instance whatever the call
//! used. The engine keeps deep structures on the heap (the XML parser's explicit stack, serde's
//! recursion limit of 128), so a smaller stack suffices; overflowing it traps (the stack comes
//! first in memory, so it overflows below address 0), it never corrupts the heap.

/// The engine's WebAssembly stack (a multiple of 64 KiB).
const WASM_STACK_BYTES: u32 = 128 << 10;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.starts_with("wasm32") {
        println!("cargo:rustc-link-arg=-zstack-size={WASM_STACK_BYTES}");
    }
}
