//! The README's commands: `cargo xtask demo` and `cargo xtask test`, plus `build` and `ci`.
//!
//! Each installs or checks what it needs and fails loudly otherwise; nothing is skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context as _};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  build   build the engine component (wasm32-wasip2, release) and check that it is a component
  demo    build the component, then run `punchout demo` (arguments after `--` go to the demo)
  test    install or check the test tools, build the component, run every test
  ci      cargo fmt --check, clippy (native and wasm32-wasip2), then `test`";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build_component().map(|_| ()),
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("ci") => ci(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    eprintln!("xtask: running {command:?}");
    let status = command
        .status()
        .with_context(|| format!("cannot start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed with {status}");
    }
    Ok(())
}

/// Builds the component with plain cargo and checks its header says "component".
fn build_component() -> anyhow::Result<PathBuf> {
    run(cargo().args([
        "build",
        "--package",
        "punchout-plugin",
        "--target",
        "wasm32-wasip2",
        "--release",
    ]))?;
    let path = workspace_root().join("target/wasm32-wasip2/release/punchout_plugin.wasm");
    let bytes =
        std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
    // A component's preamble: magic `\0asm`, then version 0x0d and layer 1 (a core module has
    // layer 0).
    if bytes.get(..8) != Some(&[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00][..]) {
        bail!("`{}` is not a WebAssembly component", path.display());
    }
    eprintln!(
        "xtask: component {} ({} bytes)",
        path.display(),
        bytes.len()
    );
    Ok(path)
}

fn demo(args: &[String]) -> anyhow::Result<()> {
    let component = build_component()?;
    let extra = args.iter().skip_while(|arg| *arg == "--");
    run(cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "punchout-host",
            "--bin",
            "punchout",
            "--",
            "demo",
        ])
        .args(extra)
        .env("PUNCHOUT_COMPONENT", component))
}

/// The specification folder beside the project (`../shared/spec`), or `$PUNCHOUT_SPEC_DIR`.
fn spec_dir() -> PathBuf {
    std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/spec"))
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|status| status.success())
}

/// Installs a Debian package when its program is missing and we may (root, apt); fails otherwise.
fn ensure_program(program: &str, package: &str) -> anyhow::Result<()> {
    if have(program) {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0");
    if is_root && have("apt-get") {
        eprintln!("xtask: `{program}` is missing; installing Debian package `{package}`");
        let apt = |args: &[&str]| {
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .is_ok_and(|status| status.success())
        };
        if !apt(&["install", "-y", "--no-install-recommends", package]) {
            apt(&["update"]);
            apt(&["install", "-y", "--no-install-recommends", package]);
        }
    }
    if !have(program) {
        bail!("the tests need `{program}`: install the Debian package `{package}` (apt-get install {package})");
    }
    Ok(())
}

fn test() -> anyhow::Result<()> {
    ensure_program("xmllint", "libxml2-utils")?;
    let spec = spec_dir();
    if !spec.join("cxml/1.2.069/cXML.dtd").is_file() {
        bail!(
            "the specification folder `{}` is missing: place `shared/spec` beside the project or set PUNCHOUT_SPEC_DIR",
            spec.display()
        );
    }
    let component = build_component()?;
    run(cargo()
        .args(["test", "--workspace", "--all-targets"])
        .env("PUNCHOUT_COMPONENT", &component)
        .env("PUNCHOUT_SPEC_DIR", &spec)
        .env("PUNCHOUT_REQUIRE_ALL", "1"))?;
    run(cargo()
        .args(["test", "--workspace", "--doc"])
        .env("PUNCHOUT_SPEC_DIR", &spec))?;
    // The PHP host: native library, precompiled component, PHPUnit, the example shop.
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/php/run-tests.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_SPEC_DIR", &spec))?;
    Ok(())
}

fn ci() -> anyhow::Result<()> {
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo().args([
        "clippy",
        "--package",
        "punchout-plugin",
        "--target",
        "wasm32-wasip2",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    test()
}
