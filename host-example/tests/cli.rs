//! The `punchout` CLI: documented exit codes, typed errors as JSON on stdout with one readable
//! line on stderr, and the demo writing every document of the round trip.
//!
//! These run the component: `cargo xtask test` builds it and sets `PUNCHOUT_COMPONENT`; without
//! it they fail (never skip) and say how to build it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::component;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn punchout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_punchout"))
        .arg("--component")
        .arg(component())
        .args(args)
        .output()
        .expect("the punchout binary runs")
}

fn sample_path(name: &str) -> String {
    samples().join(name).to_string_lossy().into_owned()
}

fn refused_request(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("punchout-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn setup_with(request: &Path) -> Output {
    punchout(&[
        "setup",
        "--profile",
        &sample_path("cxml-buyer-profile.json"),
        "--secrets",
        &sample_path("demo-secrets.json"),
        "--request",
        &request.to_string_lossy(),
    ])
}

/// A refused setup: exit 1, `{"error", "response"}` on stdout with the typed error and the cXML
/// `Response` carrying `status`, one line on stderr.
fn assert_setup_refused(output: &Output, code: &str, status: &str) -> serde_json::Value {
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let refused: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("{error, response} as JSON on stdout");
    assert_eq!(refused["error"]["code"], code, "{refused}");
    let response = refused["response"].as_str().expect("the cXML Response");
    assert!(
        response.contains(&format!("<Status code=\"{status}\"")),
        "{response}"
    );
    assert!(response.contains("<!DOCTYPE cXML"), "{response}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
    assert!(stderr.contains(code));
    refused["error"].clone()
}

#[test]
fn demo_runs_the_round_trip_and_writes_every_document() {
    let out = std::env::temp_dir().join(format!("punchout-demo-{}", std::process::id()));
    let output = punchout(&["demo", "--out", &out.to_string_lossy()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Round trip complete."));
    assert!(stdout.contains("Order leg complete."));
    assert!(stdout.contains("ACCEPT WITH CHANGES"), "{stdout}");
    for name in [
        "cxml-setup-request.xml",
        "cxml-setup-response.xml",
        "cxml-setup-response-refused.xml",
        "cxml-punchout-order-message.xml",
        "cxml-cart-form.html",
        "cart.json",
        "session.json",
        "cxml-setup-request-edit.xml",
        "cxml-setup-response-edit.xml",
        "session-edit.json",
        "cxml-punchout-order-message-edit.xml",
        "cxml-cart-form-edit.html",
        "cxml-setup-request-inspect.xml",
        "cxml-setup-response-inspect.xml",
        "cxml-punchout-order-message-inspect.xml",
        "cxml-order-request.xml",
        "cxml-order-response.xml",
        "order.json",
        "reconciliation.json",
        "cxml-confirmation.xml",
        "cxml-ship-notice.xml",
        "cxml-invoice.xml",
        "peppol-t77-cart.xml",
        "peppol-t77-cart-form.html",
        "peppol-t01-order.xml",
        "peppol-order.json",
        "peppol-reconciliation.json",
        "peppol-t76-order-response.xml",
    ] {
        assert!(out.join(name).is_file(), "{name} not written");
    }
    assert!(stdout.contains("Peppol order leg complete."), "{stdout}");
    // Every cXML document the demo wrote validates against the DTD its DOCTYPE names
    // (cXML.dtd, Fulfill.dtd or InvoiceDetail.dtd).
    let spec = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec"));
    let dtd = spec.join("cxml/1.2.069/cXML.dtd");
    assert!(
        dtd.is_file(),
        "the cXML DTD `{}` is missing (PUNCHOUT_SPEC_DIR)",
        dtd.display()
    );
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("cxml-")
            && path.extension().unwrap() == "xml"
        {
            let text = std::fs::read_to_string(&path).unwrap();
            let named = ["Fulfill.dtd", "InvoiceDetail.dtd"]
                .into_iter()
                .find(|name| text.contains(&format!("/{name}\"")))
                .unwrap_or("cXML.dtd");
            let status = Command::new("xmllint")
                .args(["--noout", "--nonet", "--dtdvalid"])
                .arg(dtd.with_file_name(named))
                .arg(&path)
                .output()
                .expect("xmllint runs (apt-get install libxml2-utils)");
            assert!(
                status.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&status.stderr)
            );
        }
    }
    // The Peppol documents pass the UBL 2.1 schema and the official 2026.5 schematron.
    let peppol = spec.join("peppol");
    for (name, schema, rules) in [
        (
            "peppol-t77-cart.xml",
            "UBL-Catalogue-2.1.xsd",
            "PEPPOLBIS-T77.xslt",
        ),
        (
            "peppol-t01-order.xml",
            "UBL-Order-2.1.xsd",
            "PEPPOLBIS-T01.xslt",
        ),
        (
            "peppol-t76-order-response.xml",
            "UBL-OrderResponse-2.1.xsd",
            "PEPPOLBIS-T76.xslt",
        ),
    ] {
        let path = out.join(name);
        let schema_check = Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(peppol.join("ubl-2.1-xsd/maindoc").join(schema))
            .arg(&path)
            .output()
            .expect("xmllint runs (apt-get install libxml2-utils)");
        assert!(
            schema_check.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&schema_check.stderr)
        );
        let report = Command::new("java")
            .args([
                "-cp",
                "/usr/share/java/Saxon-HE.jar",
                "net.sf.saxon.Transform",
            ])
            .arg(format!("-s:{}", path.display()))
            .arg(format!(
                "-xsl:{}",
                peppol.join("compiled-2026.5").join(rules).display()
            ))
            .output()
            .expect("Saxon runs (apt-get install libsaxonhe-java default-jre-headless)");
        assert!(report.status.success(), "{name}: Saxon failed");
        // Saxon spreads an assert's attributes over lines: read the report as one line.
        let svrl = String::from_utf8_lossy(&report.stdout).replace('\n', " ");
        let fatal: Vec<&str> = svrl
            .split("<svrl:failed-assert")
            .skip(1)
            .filter(|assert| {
                assert
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .contains("flag=\"fatal\"")
            })
            .collect();
        assert!(fatal.is_empty(), "{name}: {fatal:?}");
    }
}

#[test]
fn native_demo_prints_the_same_round_trip() {
    let component = punchout(&["demo"]);
    let native = punchout(&["--native", "demo"]);
    assert!(native.status.success());
    assert_eq!(component.stdout, native.stdout);
}

#[test]
fn setup_prints_session_and_response() {
    let output = setup_with(&samples().join("cxml-setup-request.xml"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let accepted: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(accepted["session"]["buyer_cookie"], "c0ffee-42-ACME");
    assert!(accepted["response"]
        .as_str()
        .unwrap()
        .contains("<PunchOutSetupResponse>"));
}

#[test]
fn wrong_secret_is_a_typed_error_that_never_shows_the_secret() {
    let request = std::fs::read_to_string(samples().join("cxml-setup-request.xml"))
        .unwrap()
        .replace(">s3cr3t<", ">guessed-secret<");
    let output = setup_with(&refused_request("wrong-secret.xml", &request));
    assert_setup_refused(&output, "authentication-failed", "401");
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains("guessed-secret") && !text.contains("s3cr3t"),
            "{text}"
        );
    }
}

#[test]
fn foreign_return_url_is_a_typed_error() {
    let request = std::fs::read_to_string(samples().join("cxml-setup-request.xml"))
        .unwrap()
        .replace(
            "https://procurement.example.com/punchout/return?sap-client=100",
            "https://evil.example/return",
        );
    let error = assert_setup_refused(
        &setup_with(&refused_request("foreign-url.xml", &request)),
        "return-url-not-allowed",
        "403",
    );
    assert_eq!(
        error["location"]["path"],
        "/cXML/Request/PunchOutSetupRequest/BrowserFormPost/URL"
    );
}

#[test]
fn xxe_is_a_typed_error() {
    let request = std::fs::read_to_string(samples().join("cxml-setup-request.xml"))
        .unwrap()
        .replace(
            "cXML.dtd\">",
            "cXML.dtd\" [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
        )
        .replace("c0ffee-42-ACME", "&xxe;");
    let error = assert_setup_refused(
        &setup_with(&refused_request("xxe.xml", &request)),
        "forbidden-xml",
        "400",
    );
    assert_eq!(error["location"]["line"], 2);
}

#[test]
fn cart_prints_the_message_or_the_form() {
    let args = |print: &str| {
        punchout(&[
            "cart",
            "--profile",
            &sample_path("cxml-buyer-profile.json"),
            "--secrets",
            &sample_path("demo-secrets.json"),
            "--session",
            &sample_path("cxml-session.json"),
            "--cart",
            &sample_path("cart.json"),
            "--print",
            print,
        ])
    };
    let message = args("message");
    assert!(
        message.status.success(),
        "{}",
        String::from_utf8_lossy(&message.stderr)
    );
    assert!(String::from_utf8_lossy(&message.stdout).contains("<PunchOutOrderMessage>"));
    let form = args("form");
    assert!(String::from_utf8_lossy(&form.stdout).contains("name=\"cxml-urlencoded\""));
}

#[test]
fn usage_errors_exit_2_and_every_command_has_help() {
    assert_eq!(punchout(&["setup"]).status.code(), Some(2));
    assert_eq!(punchout(&["no-such-command"]).status.code(), Some(2));
    for command in [
        &["--help"][..],
        &["demo", "--help"],
        &["setup", "--help"],
        &["cart", "--help"],
    ] {
        let output = punchout(command);
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage"));
    }
}

#[test]
fn a_missing_component_is_a_clear_failure() {
    let output = Command::new(env!("CARGO_BIN_EXE_punchout"))
        .args(["--component", "/nonexistent/engine.wasm", "demo"])
        .output()
        .expect("the punchout binary runs");
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot load the engine component"));
}

#[test]
fn config_check_lists_problems_and_exits_1_on_errors() {
    let clean = punchout(&["config", "check", &sample_path("profiles/coupa.json")]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let profile = std::fs::read_to_string(samples().join("profiles/sap-srm-oci40.json"))
        .unwrap()
        .replace("\"NEW_ITEM-MATGROUP\"", "\"NEW_ITEM-MATGRUOP\"")
        .replace("\"Karton\": \"XCT\"", "\"Karton\": \"CT\"");
    let broken = refused_request("broken-profile.json", &profile);
    let output = punchout(&["config", "check", &broken.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("did you mean `NEW_ITEM-MATGROUP`?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("/mapping/fields/NEW_ITEM-MATGRUOP"),
        "{stdout}"
    );
    assert!(stdout.contains("/mapping/units/map/Karton"), "{stdout}");
    assert!(stdout.contains("2 error(s)"), "{stdout}");
}

#[test]
fn config_preview_explains_each_field_and_schema_prints() {
    let output = punchout(&[
        "config",
        "preview",
        &sample_path("profiles/sap-srm-oci40.json"),
        "--line",
        &sample_path("cart-line.json"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("NEW_ITEM-DESCRIPTION"));
    assert!(stdout.contains("truncated: 94 UTF-16 code units cut to 40 at a word boundary"));
    assert!(stdout.contains("default: source `unit`"));
    let schema = punchout(&["config", "schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    assert_eq!(schema["title"], "ProfileDocument");
}

#[test]
fn config_check_resolves_extends_from_the_profile_directory() {
    let output = punchout(&[
        "config",
        "check",
        &sample_path("profiles/coupa-plant-2.json"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 error(s), 0 warning(s)"));
}

#[test]
fn cart_takes_the_setup_commands_output_as_its_session() {
    let setup = setup_with(&samples().join("cxml-setup-request.xml"));
    assert!(setup.status.success());
    let session = refused_request("setup-output.json", &String::from_utf8_lossy(&setup.stdout));
    let output = punchout(&[
        "cart",
        "--profile",
        &sample_path("cxml-buyer-profile.json"),
        "--secrets",
        &sample_path("demo-secrets.json"),
        "--session",
        &session.to_string_lossy(),
        "--cart",
        &sample_path("cart.json"),
        "--print",
        "message",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let message = String::from_utf8_lossy(&output.stdout);
    assert!(
        message.contains("<BuyerCookie>c0ffee-42-ACME</BuyerCookie>"),
        "{message}"
    );
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    for command in [
        "config preview \"$1\" --line \"$2\" --json",
        "config schema",
        "demo",
    ] {
        let script =
            format!("set -o pipefail; \"$0\" --component \"$3\" {command} | head -c 1 >/dev/null");
        let output = Command::new("bash")
            .args([
                "-c",
                &script,
                env!("CARGO_BIN_EXE_punchout"),
                &sample_path("profiles/sap-srm-oci40.json"),
                &sample_path("cart-line.json"),
                &component().to_string_lossy(),
            ])
            .output()
            .expect("bash runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{command}: {stderr}");
    }
}

#[test]
fn the_compiled_component_is_cached_and_a_bad_cache_file_rewritten() {
    let cache = std::env::temp_dir().join(format!("punchout-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let check = || {
        Command::new(env!("CARGO_BIN_EXE_punchout"))
            .args(["--component"])
            .arg(component())
            .args(["config", "check", &sample_path("profiles/ariba.json")])
            .env("PUNCHOUT_CACHE_DIR", &cache)
            .output()
            .expect("the punchout binary runs")
    };
    let cached_files = || -> Vec<PathBuf> {
        std::fs::read_dir(&cache)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(check().status.success());
    let files = cached_files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        files[0].extension().and_then(|ext| ext.to_str()),
        Some("cwasm")
    );
    let written = std::fs::read(&files[0]).expect("cache file");
    // A damaged file is ignored, and written again whole.
    std::fs::write(&files[0], &written[..written.len() / 3]).expect("damage");
    let output = check();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(cached_files(), files);
    assert_eq!(
        std::fs::read(&files[0]).expect("rewritten").len(),
        written.len()
    );
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn the_cli_runs_under_an_address_space_limit_of_1_gib() {
    // PHP-FPM pools and containers set such limits; wasmtime's default 4 GiB reservation per
    // memory cannot be had there.
    let cache = std::env::temp_dir().join(format!("punchout-ulimit-{}", std::process::id()));
    let output = Command::new("sh")
        .args([
            "-c",
            "ulimit -v 1000000 && exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_punchout"),
            "--component",
            &component().to_string_lossy(),
            "cart",
            "--profile",
            &sample_path("cxml-buyer-profile.json"),
            "--secrets",
            &sample_path("demo-secrets.json"),
            "--session",
            &sample_path("cxml-session.json"),
            "--cart",
            &sample_path("cart.json"),
            "--print",
            "message",
        ])
        .env("PUNCHOUT_CACHE_DIR", &cache)
        .output()
        .expect("sh runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("<PunchOutOrderMessage>"));
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn config_lint_reports_every_cut_or_empty_value_per_line_and_field() {
    let output = punchout(&[
        "config",
        "lint",
        &sample_path("profiles/sap-srm-oci40.json"),
        "--cart",
        &sample_path("cart.json"),
        "--json",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings only: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["lines"], 2);
    assert_eq!(report["errors"], 0);
    let findings = report["findings"].as_array().expect("findings");
    let truncated = findings
        .iter()
        .find(|finding| finding["kind"] == "truncated")
        .expect("the long description is reported as cut");
    assert_eq!(truncated["line"], 1);
    assert_eq!(truncated["line_ref"], "cart-9:line-1");
    assert_eq!(truncated["field"], "NEW_ITEM-DESCRIPTION");
    assert_eq!(truncated["severity"], "warning");
    assert!(
        truncated["message"]
            .as_str()
            .is_some_and(|message| message.starts_with("truncated")),
        "{truncated}"
    );

    // A line the engine refuses is an error: exit 1, the line named.
    let cart = std::fs::read_to_string(samples().join("cart.json"))
        .unwrap()
        .replace("\"quantity\": \"2\"", "\"quantity\": \"1,5\"");
    let cart = refused_request("lint-cart.json", &cart);
    let output = punchout(&[
        "config",
        "lint",
        &sample_path("profiles/sap-srm-oci40.json"),
        "--cart",
        &cart.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("line 2 (`cart-9:line-2`): error: invalid-cart"),
        "{stdout}"
    );
    assert!(stdout.contains("2 line(s), 1 error(s)"), "{stdout}");
}

fn order_args<'a>(command: &[&'a str], extra: &[&'a str]) -> Vec<String> {
    let mut args: Vec<String> = command.iter().map(|arg| (*arg).to_owned()).collect();
    args.extend([
        "--profile".to_owned(),
        sample_path("cxml-buyer-profile.json"),
        "--secrets".to_owned(),
        sample_path("demo-secrets.json"),
    ]);
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    args
}

fn run(args: &[String]) -> Output {
    punchout(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn order_read_prints_the_order_and_respond_acknowledges_it() {
    let document = sample_path("cxml-order-request.xml");
    let output = run(&order_args(&["order", "read"], &["--document", &document]));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let order: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(order["order_id"], "PO-2026-4711");
    assert_eq!(order["lines"].as_array().unwrap().len(), 2);
    assert_eq!(order["idempotency_key"].as_str().unwrap().len(), 64);

    let output = run(&order_args(
        &["order", "respond"],
        &["--document", &document],
    ));
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains(r#"<Status code="200" text="OK"/>"#));
}

#[test]
fn a_forged_order_is_answered_401_and_refused_with_exit_1() {
    let forged = refused_request(
        "forged-order.xml",
        &std::fs::read_to_string(sample_path("cxml-order-request.xml"))
            .unwrap()
            .replace(">s3cr3t<", ">guess<"),
    );
    let forged = forged.to_string_lossy().into_owned();
    let output = run(&order_args(&["order", "read"], &["--document", &forged]));
    assert_setup_refused(&output, "authentication-failed", "401");
    let output = run(&order_args(&["order", "respond"], &["--document", &forged]));
    assert_eq!(output.status.code(), Some(1));
    let response = String::from_utf8_lossy(&output.stdout);
    assert!(response.contains(r#"<Status code="401""#), "{response}");
    assert!(!response.contains("guess"), "{response}");
}

#[test]
fn order_reconcile_prints_json_or_a_table() {
    let document = sample_path("cxml-order-request.xml");
    let cart = sample_path("cart.json");
    let output = run(&order_args(
        &["order", "reconcile"],
        &["--order", &document, "--cart", &cart],
    ));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["verdict"], "accept-with-changes");
    assert_eq!(result["lines"][0]["differences"][0]["cart"], "10");
    assert_eq!(result["lines"][0]["differences"][0]["order"], "12");
    let output = run(&order_args(
        &["order", "reconcile"],
        &["--order", &document, "--cart", &cart, "--table"],
    ));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.contains("ACCEPT WITH CHANGES"), "{table}");
    assert!(table.contains("quantity 10 -> 12 (+2)"), "{table}");
}

#[test]
fn confirm_ship_notice_and_invoice_write_their_documents_or_refuse_bad_data() {
    let document = sample_path("cxml-order-request.xml");
    for (command, data, root) in [
        (
            "confirm",
            "order-confirmation.json",
            "<ConfirmationRequest>",
        ),
        (
            "ship-notice",
            "order-ship-notice.json",
            "<ShipNoticeRequest>",
        ),
        ("invoice", "order-invoice.json", "<InvoiceDetailRequest>"),
    ] {
        let output = run(&order_args(
            &[command],
            &["--order", &document, "--data", &sample_path(data)],
        ));
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(root),
            "{command}"
        );
    }
    let too_much = refused_request(
        "too-much.json",
        &std::fs::read_to_string(sample_path("order-ship-notice.json"))
            .unwrap()
            .replace(r#""quantity": "10""#, r#""quantity": "13""#),
    );
    let output = run(&order_args(
        &["ship-notice"],
        &["--order", &document, "--data", &too_much.to_string_lossy()],
    ));
    assert_eq!(output.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["code"], "invalid-order");
    assert_eq!(error["location"]["pointer"], "/lines/0/quantity");
}

#[test]
fn every_order_command_has_help() {
    for command in [
        vec!["order", "read"],
        vec!["order", "respond"],
        vec!["order", "reconcile"],
        vec!["order", "redelivery"],
        vec!["confirm"],
        vec!["ship-notice"],
        vec!["invoice"],
    ] {
        let mut args = command.clone();
        args.push("--help");
        let output = punchout(&args);
        assert!(output.status.success(), "{command:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("--profile")
                || command == ["order", "redelivery"],
            "{command:?}"
        );
    }
}
