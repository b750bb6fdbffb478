//! The fuzz targets' bodies run natively (`punchout_fuzz::targets`, without libFuzzer) over every
//! seed their options file lists (`fuzz/options/<target>.options`, the repository's fixtures and
//! `fuzz/seeds/<target>/`) and every named regression input (`fuzz/regressions/<target>/`): the
//! short run over the seed corpus of the README's test command. Each input must pass the target's
//! invariants within the fuzzing timeout (2 s). The seeds built from fixtures must be current:
//! `UPDATE_SEEDS=1 cargo test -p punchout-tests --test fuzz_replay` rewrites them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use punchout_fuzz::TARGETS;
use punchout_tests::workspace;

/// libFuzzer's `-timeout` in the options files: an input slower than this is a finding.
const SLOW_UNIT: Duration = Duration::from_secs(2);

fn fuzz_dir() -> PathBuf {
    workspace().join("fuzz")
}

/// The `seeds =` entries of a target's options file.
fn seed_patterns(target: &str) -> Vec<String> {
    let path = fuzz_dir().join(format!("options/{target}.options"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("seeds"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .flat_map(|list| {
            list.split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The files a pattern names: `dir/*.ext` or `dir/*`, relative to the workspace.
fn expand(pattern: &str) -> Vec<PathBuf> {
    let (dir, file) = pattern.rsplit_once('/').unwrap_or((".", pattern));
    let suffix = file.strip_prefix('*').unwrap_or(file);
    let Ok(entries) = std::fs::read_dir(workspace().join(dir)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with(suffix) && !name.starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

fn regressions(target: &str) -> Vec<PathBuf> {
    expand(&format!("fuzz/regressions/{target}/*"))
        .into_iter()
        .filter(|path| path.extension().is_none_or(|ext| ext != "md"))
        .collect()
}

/// Runs `body` on one input; a panic or a slow unit is returned as a failure.
fn replay(target: &str, body: fn(&[u8]), path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(|| body(&bytes));
    let elapsed = started.elapsed();
    let name = path.strip_prefix(workspace()).unwrap_or(path).display();
    match outcome {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default();
            Some(format!("{target} on {name}: {message}"))
        }
        Ok(()) if elapsed > SLOW_UNIT => {
            Some(format!("{target} on {name}: slow unit, {elapsed:?}"))
        }
        Ok(()) => None,
    }
}

#[test]
fn every_target_passes_its_seed_corpus() {
    let mut failures = Vec::new();
    for target in TARGETS {
        let patterns = seed_patterns(target.name);
        assert!(
            !patterns.is_empty(),
            "{}: no seeds in its options file",
            target.name
        );
        let files: Vec<PathBuf> = patterns
            .iter()
            .flat_map(|pattern| expand(pattern))
            .collect();
        assert!(
            files.len() >= 3,
            "{}: only {} seed files for {patterns:?}",
            target.name,
            files.len()
        );
        failures.extend(
            files
                .iter()
                .filter_map(|path| replay(target.name, target.body, path)),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_named_regression_input_passes() {
    let mut failures = Vec::new();
    for target in TARGETS {
        for path in regressions(target.name) {
            failures.extend(replay(target.name, target.body, &path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_regression_folder_belongs_to_a_target() {
    let Ok(entries) = std::fs::read_dir(fuzz_dir().join("regressions")) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            assert!(
                punchout_fuzz::target(&name).is_some(),
                "regressions/{name}: no such target"
            );
        }
    }
}

#[test]
fn the_seeds_built_from_fixtures_are_current() {
    let update = std::env::var_os("UPDATE_SEEDS").is_some();
    let mut stale = Vec::new();
    for target in TARGETS {
        let seeds = punchout_fuzz::seeds::generated(target.name);
        if seeds.is_empty() {
            continue;
        }
        let dir = fuzz_dir().join("seeds").join(target.name);
        if update {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (name, bytes) in &seeds {
            let path = dir.join(name);
            if update {
                std::fs::write(&path, bytes).unwrap();
            } else if std::fs::read(&path).ok().as_ref() != Some(bytes) {
                stale.push(path.display().to_string());
            }
        }
        let on_disk = expand(&format!("fuzz/seeds/{}/*", target.name)).len();
        if on_disk != seeds.len() {
            stale.push(format!(
                "{}: {on_disk} files for {} seeds",
                dir.display(),
                seeds.len()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "seeds are stale (UPDATE_SEEDS=1 rewrites them): {stale:?}"
    );
}

#[test]
fn every_target_has_a_binary_and_an_options_file_with_a_dictionary_and_max_len() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for target in TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{}\"", target.name)),
            "{}: no [[bin]] in fuzz/Cargo.toml",
            target.name
        );
        let options =
            std::fs::read_to_string(fuzz_dir().join(format!("options/{}.options", target.name)))
                .unwrap();
        let value = |key: &str| {
            options
                .lines()
                .find_map(|line| line.strip_prefix(key)?.trim_start().strip_prefix('='))
                .map(|value| value.trim().to_owned())
                .unwrap_or_else(|| panic!("{}: no `{key}`", target.name))
        };
        let max_len: usize = value("max_len").parse().unwrap();
        assert!(max_len >= 64 * 1024, "{}: max_len {max_len}", target.name);
        let dictionary = fuzz_dir().join(value("dict"));
        assert!(
            dictionary.is_file(),
            "{}: {}",
            target.name,
            dictionary.display()
        );
    }
}

/// Runs one named regression input through its target.
fn regression(target: &str, name: &str) {
    let body = punchout_fuzz::target(target)
        .unwrap_or_else(|| panic!("no target {target}"))
        .body;
    let path = fuzz_dir().join("regressions").join(target).join(name);
    assert!(path.is_file(), "{} is missing", path.display());
    if let Some(failure) = replay(target, body, &path) {
        panic!("{failure}");
    }
}

/// Issue 12, finding 4: fails until the call-up refuses reserved names in the hook URL's query.
#[test]
fn a_hook_url_query_naming_an_item_field_is_refused() {
    regression("oci_cart_form", "hook-url-query-new-item-price");
}

/// Issue 12, finding 4: fails until the call-up refuses reserved names in the hook URL's query.
#[test]
fn a_hook_url_query_naming_the_forms_submit_is_refused() {
    regression("oci_cart_form", "hook-url-query-submit");
}

/// Fails until the read-back refuses two spellings of one item index (`[1]` and `[01]`).
#[test]
fn two_spellings_of_one_item_index_do_not_give_one_item_two_values() {
    regression("oci_read_back", "two-spellings-of-one-index");
}

/// The renderer targets' seeds reach a rendered page (not only a refusal), so that the page
/// invariants are exercised from the first execution.
#[test]
fn the_renderer_seeds_reach_a_rendered_page() {
    use punchout_fuzz::cart_case::CartCase;
    use punchout_fuzz::fixtures;
    let mut rendered = 0;
    for (name, bytes) in punchout_fuzz::seeds::generated("oci_cart_form") {
        let case = CartCase::decode(&bytes);
        let profile = if case.has_flag('5') {
            fixtures::oci_every_field_profile()
        } else {
            fixtures::oci_profile()
        };
        let body = punchout_fuzz::targets::oci_cart_form::call_up_body(&case);
        let session = punchout_plugin::oci::call_up(profile, body.as_bytes())
            .unwrap_or_else(|error| panic!("{name}: call-up refused: {error}"))
            .session;
        punchout_plugin::oci::cart_form(profile, &session, &case.cart)
            .unwrap_or_else(|error| panic!("{name}: cart refused: {error}"));
        rendered += 1;
    }
    for (name, bytes) in punchout_fuzz::seeds::generated("cxml_cart_form") {
        let case = CartCase::decode(&bytes);
        if name.starts_with("every-field") {
            continue;
        }
        let mut session = fixtures::cxml_session();
        session.buyer_cookie = case.text.clone();
        punchout_plugin::cxml::order_message::order_message(
            fixtures::cxml_profile(),
            &session,
            &case.cart,
            &punchout_tests::envelope(1),
        )
        .unwrap_or_else(|error| panic!("{name}: cart refused: {error}"));
        rendered += 1;
    }
    assert!(rendered >= 14, "{rendered}");
}
