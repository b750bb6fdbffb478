//! libFuzzer's entry for `punchout_fuzz::targets::peppol_order` (its invariants are documented there).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| punchout_fuzz::targets::peppol_order::run(data));
