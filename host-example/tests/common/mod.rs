//! What the CLI tests share: the engine component they run.

use std::path::{Path, PathBuf};

/// The engine component the CLI runs: `PUNCHOUT_COMPONENT`, else the release build. A test that
/// needs it fails (never skips) when it is missing, saying how to build it.
pub fn component() -> PathBuf {
    let path = std::env::var_os("PUNCHOUT_COMPONENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/wasm32-wasip2/release/punchout_plugin.wasm")
        });
    assert!(
        path.is_file(),
        "the engine component `{}` is missing: run `cargo xtask build` (or set PUNCHOUT_COMPONENT)",
        path.display()
    );
    path
}
