//! Precompiled components: compile the engine once at build or install time
//! ([`Component::serialize`]), load it in a fraction of a millisecond at start
//! ([`Component::deserialize`]), and fall back to compiling the `.wasm` when the precompiled file
//! is missing, stale or was made by another wasmtime or engine configuration.
//!
//! A precompiled file (`.cwasm`) is wasmtime's serialized component behind a 112-byte header:
//!
//! | bytes | content |
//! |---|---|
//! | 16 | magic `PUNCHOUT-CWASM1\n` |
//! | 32 | SHA-256 of the wasmtime version and the engine's compatibility hash |
//! | 32 | SHA-256 of the `.wasm` component it was compiled from |
//! | 32 | SHA-256 of the serialized component that follows |
//!
//! Only bytes whose digest matches, written for this wasmtime and engine configuration, reach
//! `Component::deserialize` (the crate's one `unsafe` block, in [`load`]).
//!
//! [`load_cached`] keeps such files in a cache directory for the CLI ([`default_cache_dir`]),
//! one per wasmtime version, engine configuration and `.wasm` digest: the first run compiles
//! (about 2 s), every later run loads in milliseconds. A file that fails any check is compiled
//! and written again.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::Engine;

const MAGIC: &[u8; 16] = b"PUNCHOUT-CWASM1\n";
const HEADER_LEN: usize = 16 + 32 * 3;

/// How the component was obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComponentSource {
    /// Loaded from a precompiled file that passed every check.
    Precompiled,
    /// Compiled from the `.wasm`; `reason` says why the precompiled file was not used.
    Compiled { reason: String },
}

/// Feeds a `Hash` implementation into SHA-256.
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Identifies the wasmtime build and engine configuration a precompiled file is valid for.
pub fn engine_fingerprint(engine: &Engine) -> [u8; 32] {
    let mut hasher = Sha256Hasher(Sha256::new());
    hasher.write(b"wasmtime ");
    hasher.write(wasmtime_version().as_bytes());
    hasher.write(std::env::consts::ARCH.as_bytes());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hasher.0.finalize().into()
}

/// The wasmtime version this host was built with.
pub fn wasmtime_version() -> &'static str {
    "48.0.8"
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Compiles a component and returns the precompiled file's bytes (header and payload).
///
/// # Errors
/// The bytes are not a valid component.
pub fn precompile(engine: &Engine, wasm: &[u8]) -> anyhow::Result<Vec<u8>> {
    let payload = engine
        .precompile_component(wasm)
        .map_err(|error| anyhow::anyhow!("cannot compile the engine component: {error}"))?;
    let mut file = Vec::with_capacity(HEADER_LEN + payload.len());
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(&engine_fingerprint(engine));
    file.extend_from_slice(&sha256(wasm));
    file.extend_from_slice(&sha256(&payload));
    file.extend_from_slice(&payload);
    Ok(file)
}

/// Compiles the `.wasm` at `wasm` into the precompiled file `cwasm` (written atomically).
///
/// # Errors
/// Either file cannot be read or written, or the `.wasm` is not a component.
pub fn precompile_file(engine: &Engine, wasm: &Path, cwasm: &Path) -> anyhow::Result<usize> {
    let bytes = std::fs::read(wasm)
        .with_context(|| format!("cannot read the engine component `{}`", wasm.display()))?;
    let file = precompile(engine, &bytes)?;
    write_atomically(cwasm, &file)?;
    Ok(file.len())
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename, so that a reader
/// (another process starting at the same moment) never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&temporary, bytes)
        .with_context(|| format!("cannot write `{}`", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write `{}`", path.display())
    })
}

/// Where the CLI caches compiled components: `$PUNCHOUT_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/punchout`, else `$HOME/.cache/punchout`; `None` when none is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    set("PUNCHOUT_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| set("XDG_CACHE_HOME").map(|dir| PathBuf::from(dir).join("punchout")))
        .or_else(|| set("HOME").map(|home| PathBuf::from(home).join(".cache/punchout")))
}

/// The cache file for a component: named by the digest of this engine's fingerprint (wasmtime
/// version, engine configuration) and of the `.wasm`, so that another build or configuration
/// never finds it.
pub fn cache_file(engine: &Engine, cache_dir: &Path, wasm: &[u8]) -> PathBuf {
    let mut key = Sha256::new();
    key.update(engine_fingerprint(engine));
    key.update(sha256(wasm));
    let name: String = key.finalize()[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    cache_dir.join(format!("punchout_plugin-{name}.cwasm"))
}

/// Loads the component at `wasm` from the cache directory, or compiles it and writes it there
/// (atomically) for the next run. A cached file that fails a check is ignored and rewritten; a
/// cache that cannot be written only costs the compilation.
///
/// # Errors
/// The `.wasm` cannot be read or is not a component.
pub fn load_cached(
    engine: &Engine,
    wasm: &Path,
    cache_dir: &Path,
) -> anyhow::Result<(Component, ComponentSource)> {
    let bytes = std::fs::read(wasm)
        .with_context(|| format!("cannot read the engine component `{}`", wasm.display()))?;
    let cached = cache_file(engine, cache_dir, &bytes);
    let reason = match std::fs::read(&cached) {
        Err(error) => format!("cannot read `{}`: {error}", cached.display()),
        Ok(file) => match load(engine, &file, Some(&bytes)) {
            Ok(component) => return Ok((component, ComponentSource::Precompiled)),
            Err(error) => format!("`{}`: {error}", cached.display()),
        },
    };
    let file = precompile(engine, &bytes)?;
    let stored = std::fs::create_dir_all(cache_dir)
        .map_err(anyhow::Error::from)
        .and_then(|()| write_atomically(&cached, &file));
    let reason = match stored {
        Ok(()) => reason,
        Err(error) => format!("{reason}; not cached: {error:#}"),
    };
    let component = load(engine, &file, Some(&bytes))?;
    Ok((component, ComponentSource::Compiled { reason }))
}

/// Loads a precompiled component after checking its header: the magic, this engine's
/// fingerprint, the payload's digest and, when `wasm` is given, that it was compiled from exactly
/// those bytes.
///
/// # Errors
/// Any check fails (the caller compiles the `.wasm` instead), or wasmtime refuses the payload.
#[allow(unsafe_code)]
pub fn load(engine: &Engine, file: &[u8], wasm: Option<&[u8]>) -> anyhow::Result<Component> {
    if file.len() < HEADER_LEN || &file[..16] != MAGIC {
        bail!("not a precompiled PunchOut engine (bad magic or truncated header)");
    }
    let (fingerprint, rest) = file[16..].split_at(32);
    let (source_digest, rest) = rest.split_at(32);
    let (payload_digest, payload) = rest.split_at(32);
    if fingerprint != engine_fingerprint(engine) {
        bail!("precompiled for another wasmtime version or engine configuration");
    }
    if let Some(wasm) = wasm {
        if source_digest != sha256(wasm) {
            bail!("precompiled from another build of the component (stale file)");
        }
    }
    if payload_digest != sha256(payload) {
        bail!("the precompiled component is corrupt (digest mismatch)");
    }
    // SAFETY: `Component::deserialize` requires bytes produced by `Component::serialize` /
    // `Engine::precompile_component` of a compatible wasmtime; arbitrary bytes could run arbitrary
    // native code. We only get here when the file carries our magic, was written for this exact
    // wasmtime version and engine configuration (fingerprint above), and its payload hashes to
    // the SHA-256 recorded by `precompile` at build/install time, so the payload is byte for byte
    // what a compatible wasmtime produced. wasmtime additionally checks its own version and
    // settings in the payload and returns an error on mismatch.
    unsafe { Component::deserialize(engine, payload) }
        .map_err(|error| anyhow::anyhow!("wasmtime refused the precompiled component: {error}"))
}

/// Loads the precompiled file if it is usable, otherwise compiles the `.wasm`.
///
/// # Errors
/// Neither source gives a component (the precompiled file failed and there is no usable `.wasm`).
pub fn load_or_compile(
    engine: &Engine,
    cwasm: Option<&Path>,
    wasm: Option<&Path>,
) -> anyhow::Result<(Component, ComponentSource)> {
    let wasm_bytes =
        match wasm {
            Some(path) => Some(std::fs::read(path).with_context(|| {
                format!("cannot read the engine component `{}`", path.display())
            })?),
            None => None,
        };
    let reason = match cwasm {
        None => "no precompiled file configured".to_owned(),
        Some(path) => match std::fs::read(path) {
            Err(error) => format!("cannot read `{}`: {error}", path.display()),
            Ok(file) => match load(engine, &file, wasm_bytes.as_deref()) {
                Ok(component) => return Ok((component, ComponentSource::Precompiled)),
                Err(error) => format!("`{}`: {error}", path.display()),
            },
        },
    };
    let Some(bytes) = wasm_bytes else {
        bail!("{reason}, and no engine component (.wasm) to compile instead");
    };
    let component = Component::new(engine, &bytes)
        .map_err(|error| anyhow::anyhow!("not a PunchOut engine component: {error}"))?;
    Ok((component, ComponentSource::Compiled { reason }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest component: the preamble only.
    const EMPTY_COMPONENT: &[u8] = &[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

    #[test]
    fn the_cache_compiles_once_and_rewrites_a_bad_file() {
        let engine = crate::new_engine().expect("engine");
        let dir = std::env::temp_dir().join(format!("punchout-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let wasm = dir.join("engine.wasm");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(&wasm, EMPTY_COMPONENT).expect("wasm");
        let cache = dir.join("cache");
        let (_, first) = load_cached(&engine, &wasm, &cache).expect("first run");
        assert!(
            matches!(first, ComponentSource::Compiled { .. }),
            "{first:?}"
        );
        let cached = cache_file(&engine, &cache, EMPTY_COMPONENT);
        let written = std::fs::read(&cached).expect("the cache file is written");
        let (_, second) = load_cached(&engine, &wasm, &cache).expect("second run");
        assert_eq!(second, ComponentSource::Precompiled);
        // A damaged file is compiled again and rewritten whole.
        std::fs::write(&cached, &written[..written.len() / 2]).expect("damage");
        let (_, third) = load_cached(&engine, &wasm, &cache).expect("third run");
        let ComponentSource::Compiled { reason } = third else {
            panic!("a damaged cache file was loaded");
        };
        assert!(
            reason.contains("corrupt") || reason.contains("truncated"),
            "{reason}"
        );
        assert_eq!(std::fs::read(&cached).expect("rewritten"), written);
        // Another engine configuration (memory layout, or the bounded layout's cap) never finds
        // this file.
        let bounded = |cap: usize| {
            crate::new_engine_with(
                &crate::RuntimeConfig {
                    memory_limit_bytes: cap,
                    ..crate::RuntimeConfig::default()
                },
                crate::MemoryLayout::Bounded,
            )
            .expect("engine")
        };
        let other = bounded(64 << 20);
        assert_ne!(cache_file(&other, &cache, EMPTY_COMPONENT), cached);
        assert_ne!(
            cache_file(&other, &cache, EMPTY_COMPONENT),
            cache_file(&bounded(256 << 20), &cache, EMPTY_COMPONENT)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn round_trip_and_every_check() {
        let engine = crate::new_engine().expect("engine");
        let file = precompile(&engine, EMPTY_COMPONENT).expect("precompile");
        load(&engine, &file, Some(EMPTY_COMPONENT)).expect("loads");
        load(&engine, &file, None).expect("loads without the source");

        let stale = load(&engine, &file, Some(b"\0asm other")).unwrap_err();
        assert!(stale.to_string().contains("stale"), "{stale}");
        let mut corrupt = file.clone();
        let last = corrupt.len() - 1;
        corrupt[last] ^= 1;
        let corrupt = load(&engine, &corrupt, None).unwrap_err();
        assert!(corrupt.to_string().contains("corrupt"), "{corrupt}");
        let mut foreign = file.clone();
        foreign[20] ^= 1;
        let foreign = load(&engine, &foreign, None).unwrap_err();
        assert!(
            foreign.to_string().contains("another wasmtime"),
            "{foreign}"
        );
        assert!(load(&engine, &file[..50], None).is_err());
    }
}
