//! `punchout oci …`: call-up, cart form in Latin-1, a refused call-up that never echoes the
//! password, and the QUANTITYCHECK reply. These run the component (`cargo xtask build`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn punchout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_punchout"))
        .args(args)
        .output()
        .expect("the punchout binary runs")
}

fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("punchout-cli-oci-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("temp file");
    path
}

fn call_up(file: &str) -> Output {
    punchout(&[
        "oci",
        "call-up",
        "--profile",
        &sample_path("oci-buyer-profile.json"),
        "--secrets",
        &sample_path("oci-secrets.json"),
        "--call-up",
        file,
    ])
}

#[test]
fn call_up_then_cart_form_in_latin1() {
    let output = call_up(&sample_path("oci-call-up.txt"));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let accepted: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(accepted["session"]["charset"], "iso-8859-1");
    assert_eq!(accepted["function"]["function"], "shopping");
    let session = temp("session.json", &output.stdout);
    let output = punchout(&[
        "oci",
        "cart",
        "--profile",
        &sample_path("oci-buyer-profile.json"),
        "--secrets",
        &sample_path("oci-secrets.json"),
        "--session",
        &session.to_string_lossy(),
        "--cart",
        &sample_path("cart.json"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // Latin-1 bytes: `²` is one byte 0xB2, not UTF-8's 0xC2 0xB2.
    assert!(output.stdout.windows(3).any(|w| w == b"m\xB2,"));
    assert!(std::str::from_utf8(&output.stdout).is_err());
}

#[test]
fn a_refused_call_up_exits_1_without_the_password() {
    let body = std::fs::read_to_string(sample_path("oci-call-up.txt")).expect("sample");
    let body = body.replace("PASSWORD=oci-p4ss", "PASSWORD=wrong-secret-value");
    let file = temp("wrong.txt", body.as_bytes());
    let output = call_up(&file.to_string_lossy());
    assert_eq!(output.status.code(), Some(1));
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(shown.contains("authentication-failed"));
    assert!(!shown.contains("wrong-secret-value") && !shown.contains("oci-p4ss"));
}

#[test]
fn quantity_check_prints_json() {
    let output = punchout(&[
        "oci",
        "quantity-check",
        "--available",
        "12.50",
        "--leadtime",
        "4",
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        r#"{"AVAILABLE_QUANTITY":12.5,"LEADTIME":"4"}"#
    );
}
