//! Profiles that `extends` a base, in every command: resolved from the profile's folder only,
//! errors located in the file a value comes from, cycles and input mistakes refused with exit 1,
//! secrets never printed back. These run the component (`cargo xtask build`); without it they
//! fail and say how to build it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::component;

fn sample_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn punchout<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_punchout"))
        .arg("--component")
        .arg(component())
        .args(args)
        .env_remove("ACME_SRM_OCI_PASSWORD")
        .env_remove("ACME_ARIBA_SHARED_SECRET")
        .output()
        .expect("the punchout binary runs")
}

/// A fresh folder for one test's profiles.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("punchout-profiles-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// The SAP SRM OCI sample as a base (`acme-srm.json`) and a child of it.
fn oci_child(dir: &Path) -> PathBuf {
    std::fs::copy(
        sample_path("oci-buyer-profile.json"),
        dir.join("acme-srm.json"),
    )
    .expect("copy");
    write(
        dir,
        "acme-srm-plant-2.json",
        "{\n  \"extends\": \"acme-srm\",\n  \"id\": \"acme-srm-plant-2\",\n  \"name\": \"ACME plant 2 via SAP SRM\"\n}\n",
    )
}

/// Exit 1, the typed error as JSON on stdout (with the file), one line on stderr.
fn refused(output: &Output, code: &str) -> serde_json::Value {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "the typed error as JSON on stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    assert_eq!(error["code"], code, "{error}");
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
    error
}

fn call_up(profile: &Path) -> Output {
    punchout(&[
        "oci".as_ref(),
        "call-up".as_ref(),
        "--profile".as_ref(),
        profile.as_os_str(),
        "--secrets".as_ref(),
        sample_path("oci-secrets.json").as_os_str(),
        "--call-up".as_ref(),
        sample_path("oci-call-up.txt").as_os_str(),
    ])
}

#[test]
fn extends_is_resolved_by_oci_call_up_cart_and_setup() {
    let dir = folder("every-command");
    let child = oci_child(&dir);
    let output = call_up(&child);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let accepted: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(accepted["session"]["buyer_id"], "acme-srm-plant-2");
    let session = write(
        &dir,
        "call-up.json",
        &String::from_utf8_lossy(&output.stdout),
    );
    let form = punchout(&[
        "oci".as_ref(),
        "cart".as_ref(),
        "--profile".as_ref(),
        child.as_os_str(),
        "--secrets".as_ref(),
        sample_path("oci-secrets.json").as_os_str(),
        "--session".as_ref(),
        session.as_os_str(),
        "--cart".as_ref(),
        sample_path("cart.json").as_os_str(),
    ]);
    assert_eq!(form.status.code(), Some(0), "{form:?}");
    assert!(form.stdout.windows(11).any(|w| w == b"NEW_ITEM-QU"));

    // cXML: a child of the Ariba sample answers setup with the base's credentials and secret.
    std::fs::copy(
        sample_path("cxml-buyer-profile.json"),
        dir.join("acme-ariba.json"),
    )
    .expect("copy");
    let child = write(
        &dir,
        "ariba-plant-2.json",
        r#"{"extends": "acme-ariba", "id": "acme-ariba-plant-2", "name": "ACME plant 2"}"#,
    );
    let setup = punchout(&[
        "setup".as_ref(),
        "--profile".as_ref(),
        child.as_os_str(),
        "--secrets".as_ref(),
        sample_path("demo-secrets.json").as_os_str(),
        "--request".as_ref(),
        sample_path("cxml-setup-request.xml").as_os_str(),
    ]);
    assert_eq!(setup.status.code(), Some(0), "{setup:?}");
    let accepted: serde_json::Value = serde_json::from_slice(&setup.stdout).expect("JSON");
    assert_eq!(accepted["session"]["buyer_id"], "acme-ariba-plant-2");
}

#[test]
fn a_missing_base_names_the_folder_and_the_profiles_in_it() {
    let dir = folder("missing-base");
    oci_child(&dir);
    let child = write(
        &dir,
        "typo.json",
        r#"{"extends": "acme-sr", "id": "typo", "name": "a typo"}"#,
    );
    let error = refused(&call_up(&child), "invalid-profile");
    let folder = dir.canonicalize().expect("canonical");
    assert_eq!(
        error["message"],
        format!(
            "extends `acme-sr`, which is not in the profile's folder `{}` (profiles there: `acme-srm`, `acme-srm-plant-2`, `typo`)",
            folder.display()
        )
    );
    assert_eq!(error["location"]["pointer"], "/extends");
    assert_eq!(error["file"], child.display().to_string());
}

#[test]
fn errors_are_located_in_the_file_the_value_comes_from() {
    let dir = folder("located");
    // The base's unit table is wrong on its line 55; the child (5 lines) does not touch it.
    let base = std::fs::read_to_string(sample_path("oci-buyer-profile.json"))
        .expect("sample")
        .replace("\"PCE\": \"EA\"", "\"PCE\": \"NOPE\"");
    let base_path = write(&dir, "acme-srm.json", &base);
    let child = write(
        &dir,
        "acme-srm-plant-2.json",
        "{\n  \"extends\": \"acme-srm\",\n  \"id\": \"acme-srm-plant-2\",\n  \"name\": \"ACME plant 2 via SAP SRM\"\n}\n",
    );
    let check = punchout(&["config".as_ref(), "check".as_ref(), child.as_os_str()]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains(&format!("{}: error: unit `NOPE`", base_path.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("JSON pointer `/mapping/units/map/PCE`, line 55, column 16"),
        "{stdout}"
    );

    // The child's own mistake, on its line 5: compiled by `oci call-up`.
    std::fs::copy(
        sample_path("oci-buyer-profile.json"),
        dir.join("acme-srm.json"),
    )
    .expect("copy");
    let child = write(
        &dir,
        "acme-srm-plant-2.json",
        "{\n  \"extends\": \"acme-srm\",\n  \"id\": \"acme-srm-plant-2\",\n  \"name\": \"ACME plant 2\",\n  \"return_urls\": [\"ftp://srm.example.com/\"]\n}\n",
    );
    let error = refused(&call_up(&child), "invalid-profile");
    assert_eq!(error["file"], child.display().to_string());
    assert_eq!(error["location"]["pointer"], "/return_urls/0");
    assert_eq!(error["location"]["line"], 5);
    assert_eq!(error["location"]["column"], 19);
}

#[test]
fn extends_never_leaves_the_profile_folder() {
    let root = folder("confined");
    let dir = root.join("profiles");
    let outside = root.join("outside");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::create_dir_all(&outside).expect("dir");
    std::fs::copy(
        sample_path("oci-buyer-profile.json"),
        outside.join("acme-srm.json"),
    )
    .expect("copy");
    for (name, extends) in [
        ("dotdot.json", "../outside/acme-srm"),
        ("absolute.json", "/etc/passwd"),
        ("hidden.json", ".acme-srm"),
    ] {
        let child = write(
            &dir,
            name,
            &format!(r#"{{"extends": "{extends}", "id": "x", "name": "x"}}"#),
        );
        let error = refused(&call_up(&child), "invalid-profile");
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|message| message.contains("is not a profile id")),
            "{extends}: {error}"
        );
    }
    // A symlink out of the folder, named like the base: refused, never read.
    std::os::unix::fs::symlink(outside.join("acme-srm.json"), dir.join("acme-srm.json"))
        .expect("symlink");
    let child = write(
        &dir,
        "linked.json",
        r#"{"extends": "acme-srm", "id": "linked", "name": "x"}"#,
    );
    let error = refused(&call_up(&child), "invalid-profile");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|message| message.contains("leads outside the profile's folder")),
        "{error}"
    );
}

#[test]
fn an_extends_cycle_is_refused_with_exit_1() {
    let dir = folder("cycle");
    write(
        &dir,
        "a.json",
        r#"{"extends": "b", "id": "a", "name": "a"}"#,
    );
    write(
        &dir,
        "b.json",
        r#"{"extends": "c", "id": "b", "name": "b"}"#,
    );
    let c = write(
        &dir,
        "c.json",
        r#"{"extends": "a", "id": "c", "name": "c"}"#,
    );
    let error = refused(
        &punchout(&[
            "config".as_ref(),
            "check".as_ref(),
            dir.join("a.json").as_os_str(),
        ]),
        "invalid-profile",
    );
    assert_eq!(
        error["message"],
        "profiles extend each other in a cycle: `a` → `b` → `c` → `a`"
    );
    assert_eq!(error["file"], c.display().to_string());
}

#[test]
fn input_mistakes_exit_1_not_3() {
    let dir = folder("mistakes");
    let not_json = write(&dir, "broken.json", "{\"id\": \"x\",");
    let error = refused(&call_up(&not_json), "invalid-profile");
    assert_eq!(error["file"], not_json.display().to_string());

    let cart_with_lone_surrogate = write(
        &dir,
        "cart.json",
        r#"{"currency": "EUR", "lines": [{"line_ref": "\ud800", "sku": "A", "quantity": "1", "unit_price": "1", "unit": "EA", "description": "x"}]}"#,
    );
    let cart = |session: &Path, cart: &Path| {
        punchout(&[
            "cart".as_ref(),
            "--profile".as_ref(),
            sample_path("cxml-buyer-profile.json").as_os_str(),
            "--secrets".as_ref(),
            sample_path("demo-secrets.json").as_os_str(),
            "--session".as_ref(),
            session.as_os_str(),
            "--cart".as_ref(),
            cart.as_os_str(),
        ])
    };
    let error = refused(
        &cart(&sample_path("cxml-session.json"), &cart_with_lone_surrogate),
        "invalid-cart",
    );
    assert_eq!(error["location"]["pointer"], "/lines/0/line_ref");
    assert_eq!(error["location"]["line"], 1);

    let session = write(&dir, "session.json", r#"{"buyer_id": 7}"#);
    let error = refused(
        &cart(&session, &sample_path("cart.json")),
        "invalid-session",
    );
    assert_eq!(error["location"]["pointer"], "/buyer_id");
}

#[test]
fn an_inline_secret_is_never_printed_back() {
    let dir = folder("inline-secret");
    let profile = std::fs::read_to_string(sample_path("oci-buyer-profile.json"))
        .expect("sample")
        .replace(
            "\"shared_secret\": {\n      \"secret\": \"ACME_SRM_OCI_PASSWORD\"\n    }",
            "\"shared_secret\": \"hunter2-in-the-profile\"",
        );
    assert!(profile.contains("hunter2"));
    let path = write(&dir, "acme-srm.json", &profile);
    let output = call_up(&path);
    let error = refused(&output, "invalid-profile");
    assert_eq!(
        error["location"]["pointer"],
        "/authentication/shared_secret"
    );
    let check = punchout(&["config".as_ref(), "check".as_ref(), path.as_os_str()]);
    for shown in [&output.stdout, &output.stderr, &check.stdout, &check.stderr] {
        let shown = String::from_utf8_lossy(shown);
        assert!(!shown.contains("hunter2"), "{shown}");
    }
    assert!(String::from_utf8_lossy(&check.stdout).contains("found a value written inline"));
}

#[test]
fn a_missing_secret_says_to_use_secrets_or_the_environment() {
    let output = punchout(&[
        "oci".as_ref(),
        "call-up".as_ref(),
        "--profile".as_ref(),
        sample_path("oci-buyer-profile.json").as_os_str(),
        "--call-up".as_ref(),
        sample_path("oci-call-up.txt").as_os_str(),
    ]);
    let error = refused(&output, "invalid-profile");
    assert_eq!(
        error["message"],
        "secret `ACME_SRM_OCI_PASSWORD` is not set: pass `--secrets FILE` with {\"ACME_SRM_OCI_PASSWORD\": \"…\"} or set the environment variable `ACME_SRM_OCI_PASSWORD`"
    );
    assert_eq!(
        error["location"]["pointer"],
        "/authentication/shared_secret/secret"
    );
    assert_eq!(error["location"]["line"], 13);
}
