//! `punchout peppol cart`: the T77 cart and its form written into a folder, printed as JSON, and
//! a return URL outside the profile refused with exit 1. These run the component (`cargo xtask
//! build`), and once natively.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::component;

fn sample_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn peppol_cart(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_punchout"))
        .arg("--component")
        .arg(component())
        .args([
            "peppol",
            "cart",
            "--profile",
            &sample_path("peppol-buyer-profile.json"),
            "--cart",
            &sample_path("cart.json"),
        ])
        .args(extra)
        .output()
        .expect("the punchout binary runs")
}

#[test]
fn peppol_cart_writes_the_t77_cart_and_its_form() {
    let dir = std::env::temp_dir().join(format!("punchout-cli-peppol-{}", std::process::id()));
    let output = peppol_cart(&["--out", &dir.to_string_lossy()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed["url"], "https://eprocurement.def-customer.example/punchout/",
        "the profile's first return URL"
    );
    let document = std::fs::read_to_string(dir.join("peppol-t77-cart.xml")).unwrap();
    assert!(
        document.contains("<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:punch_out:3</cbc:ProfileID>")
    );
    assert_eq!(document.matches("<cac:CatalogueLine>").count(), 2);
    let form = std::fs::read_to_string(dir.join("peppol-t77-cart-form.html")).unwrap();
    assert!(form.contains("<input type=\"hidden\" name=\"punchout-cart\" value=\"PD94bWwg"));
}

#[test]
fn peppol_cart_prints_json_natively_too() {
    let output = Command::new(env!("CARGO_BIN_EXE_punchout"))
        .args([
            "--native",
            "peppol",
            "cart",
            "--profile",
            &sample_path("peppol-buyer-profile.json"),
            "--cart",
            &sample_path("cart.json"),
            "--return-url",
            "https://eprocurement.def-customer.example/punchout/return?id=7",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed["url"],
        "https://eprocurement.def-customer.example/punchout/return?id=7"
    );
    assert!(printed["document"]
        .as_str()
        .unwrap()
        .contains("<cbc:ID>cart-9:line-2</cbc:ID>"));
    assert!(printed["form_html"]
        .as_str()
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_foreign_return_url_is_refused_with_exit_1() {
    let output = peppol_cart(&["--return-url", "https://evil.example/punchout/"]);
    assert_eq!(output.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["code"], "return-url-not-allowed");
    assert_eq!(error["location"]["field"], "return_url");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().count(),
        1,
        "one line on stderr"
    );
}
