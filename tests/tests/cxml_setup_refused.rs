//! Refused setup requests (`tests/fixtures/cxml-setup-refused`): each gives exactly the error in
//! its `.error.json` snapshot, through the component and natively alike; the cXML answer carries
//! the matching status and validates against the DTD; the secret never appears anywhere.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p punchout-tests --test cxml_setup_refused` rewrites the
//! snapshots; review the diff.

use std::path::PathBuf;

use punchout_host::prelude::*;
use punchout_host::{CallError, Native};
use punchout_plugin::cxml::status::status_for;
use punchout_plugin::Error;
use punchout_tests::{envelope, runtime, sample, sample_secrets, validate_cxml, workspace};

const SECRET: &str = "s3cr3t";

fn fixtures() -> Vec<PathBuf> {
    let dir = workspace().join("tests/fixtures/cxml-setup-refused");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "fixtures missing in {}", dir.display());
    files
}

fn rejected(
    outcome: Result<punchout_plugin::cxml::setup::SetupAccepted, CallError>,
    name: &str,
) -> Error {
    match outcome {
        Err(CallError::Rejected(error)) => error,
        other => panic!("{name}: expected a refusal, got {other:?}"),
    }
}

#[test]
fn every_refused_request_gives_its_snapshot_error() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let profile_json = sample("cxml-buyer-profile.json");
    let mut worker = runtime().worker();
    let mut profile = worker
        .compile_profile(&profile_json, &sample_secrets())
        .unwrap();
    let mut native = Native;
    let mut native_profile = native
        .compile_profile(&profile_json, &sample_secrets())
        .unwrap();
    let mut failures = Vec::new();
    for path in fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let request = std::fs::read(&path).unwrap();
        let start = "https://shop.example.com/punchout/start";
        let error = rejected(
            worker.cxml_setup(&mut profile, &request, start, &envelope(1)),
            &name,
        );
        let native_error = rejected(
            native.cxml_setup(&mut native_profile, &request, start, &envelope(1)),
            &name,
        );
        assert_eq!(
            error, native_error,
            "{name}: component and native core disagree"
        );

        let rendered = serde_json::to_string_pretty(&error).unwrap() + "\n";
        assert!(
            !rendered.contains(SECRET),
            "{name}: the secret leaked into the error"
        );
        assert!(
            !format!("{error:?} {error}").contains(SECRET),
            "{name}: the secret leaked into Debug/Display"
        );

        let response = worker.cxml_error_response(&error, &envelope(2)).unwrap();
        assert!(
            !response.contains(SECRET),
            "{name}: the secret leaked into the cXML response"
        );
        validate_cxml(&response)
            .unwrap_or_else(|report| panic!("{name}: invalid error response: {report}"));
        let (code, _) = status_for(error.code());
        assert!(
            response.contains(&format!("code=\"{code}\"")),
            "{name}: status {code} expected"
        );

        let snapshot = path.with_extension("error.json");
        if update {
            std::fs::write(&snapshot, &rendered).unwrap();
        } else {
            let expected = std::fs::read_to_string(&snapshot).unwrap_or_else(|_| {
                panic!(
                    "{name}: snapshot {} missing (UPDATE_SNAPSHOTS=1)",
                    snapshot.display()
                )
            });
            if expected != rendered {
                failures.push(format!("{name}:\nexpected {expected}\nfound    {rendered}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn wrong_secrets_and_unknown_identities_are_indistinguishable() {
    let mut worker = runtime().worker();
    let mut profile = worker
        .compile_profile(&sample("cxml-buyer-profile.json"), &sample_secrets())
        .unwrap();
    let dir = workspace().join("tests/fixtures/cxml-setup-refused");
    let errors: Vec<Error> = [
        "wrong-secret-same-length",
        "wrong-secret-longer",
        "empty-secret",
        "no-secret",
        "unknown-identity",
    ]
    .iter()
    .map(|name| {
        let request = std::fs::read(dir.join(format!("{name}.xml"))).unwrap();
        rejected(
            worker.cxml_setup(
                &mut profile,
                &request,
                "https://shop.example.com/s",
                &envelope(1),
            ),
            name,
        )
    })
    .collect();
    for error in &errors[1..] {
        assert_eq!(error, &errors[0]);
    }
}

#[test]
fn a_latin1_setup_request_is_accepted_and_decoded() {
    let utf8 = sample("cxml-setup-request.xml")
        .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
        .replace("Jane Doe</Name>", "Jürgen Müß</Name>");
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&utf8);
    assert!(!unmappable);
    let mut worker = runtime().worker();
    let mut profile = worker
        .compile_profile(&sample("cxml-buyer-profile.json"), &sample_secrets())
        .unwrap();
    let accepted = worker
        .cxml_setup(
            &mut profile,
            &latin1,
            "https://shop.example.com/s",
            &envelope(1),
        )
        .unwrap();
    assert_eq!(accepted.session.user_name.as_deref(), Some("Jürgen Müß"));
}

#[test]
fn buyer_cookie_is_echoed_verbatim_and_never_authenticates() {
    let request =
        sample("cxml-setup-request.xml").replace("c0ffee-42-ACME", "  &lt;odd &amp; spaced&gt;  ");
    let mut worker = runtime().worker();
    let mut profile = worker
        .compile_profile(&sample("cxml-buyer-profile.json"), &sample_secrets())
        .unwrap();
    let accepted = worker
        .cxml_setup(
            &mut profile,
            request.as_bytes(),
            "https://shop.example.com/s",
            &envelope(1),
        )
        .unwrap();
    assert_eq!(accepted.session.buyer_cookie, "  <odd & spaced>  ");
    // The same cookie with a wrong secret is still refused.
    let forged = request.replace(">s3cr3t<", ">x<");
    let refused = worker.cxml_setup(
        &mut profile,
        forged.as_bytes(),
        "https://shop.example.com/s",
        &envelope(1),
    );
    assert!(matches!(refused, Err(CallError::Rejected(_))));
}
