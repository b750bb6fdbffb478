//! The README's commands: `cargo xtask demo` and `cargo xtask test`, plus `build`, `ci` and
//! `bench`.
//!
//! Each installs or checks what it needs and fails loudly otherwise; nothing is skipped: a test
//! that needs the component or the specification folder fails, saying what is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context as _};

mod bench;
mod serve_env;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  build   build the engine component (wasm32-wasip2, release) and check that it is a component
  demo    build the component, then run `punchout demo` (arguments after `--` go to the demo)
  test    install or check the test tools, build the component, run every test
  ci      cargo fmt --check, clippy (native and wasm32-wasip2), then `test`
  dist    build the packages shops install into target/dist: the Composer package (zip), the npm
          package and the jar, each carrying the engine for this platform
  bench   build the release engine, run the Rust and PHP benchmark suites, write BENCHMARKS.md
          and benchmarks.png (options: --seconds-per-size <s>, default 12; --rounds <n>, default 5;
          --from-last-run: only write the report again from target/bench/)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => build_component().map(|_| ()),
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("ci") => ci(),
        Some("dist") => dist(),
        Some("bench") => bench::BenchOptions::parse(&args[1..]).and_then(bench::bench),
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

/// The target the engine component is built for.
const WASM_TARGET: &str = "wasm32-wasip2";

/// Whether `rustup target list --installed` lists the target.
fn lists_target(installed: &str, target: &str) -> bool {
    installed.lines().any(|line| line.trim() == target)
}

/// Adds the wasm target to the pinned toolchain when it is missing: rustup installs a toolchain
/// from `rust-toolchain.toml` with its targets, but a toolchain installed before (or by other
/// means) may lack it, and the build then fails with "can't find crate for `core`". `rustup` is
/// the program to ask (a parameter, so that a test can stand in for it).
fn ensure_wasm_target(rustup: &std::ffi::OsStr) -> anyhow::Result<()> {
    let listed = Command::new(rustup)
        .args(["target", "list", "--installed"])
        .current_dir(workspace_root())
        .output();
    let installed = match listed {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Ok(output) => bail!(
            "`rustup target list --installed` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "xtask: rustup is not installed; building for {WASM_TARGET} with the toolchain as it is"
            );
            return Ok(());
        }
        Err(error) => bail!("cannot run rustup: {error}"),
    };
    if lists_target(&installed, WASM_TARGET) {
        return Ok(());
    }
    eprintln!("xtask: the toolchain lacks the {WASM_TARGET} target; running `rustup target add {WASM_TARGET}`");
    run(Command::new(rustup)
        .args(["target", "add", WASM_TARGET])
        .current_dir(workspace_root()))
    .with_context(|| {
        format!("cannot add the {WASM_TARGET} target: install it with `rustup target add {WASM_TARGET}`")
    })
}

/// Builds the component with plain cargo and checks its header says "component".
fn build_component() -> anyhow::Result<PathBuf> {
    ensure_wasm_target("rustup".as_ref())?;
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
    ensure_debian_package(|| have(program), &format!("`{program}`"), package)
}

/// Installs a Debian package when `present` says what it provides is missing and we may (root,
/// apt); fails loudly, naming `what` and the package, when it is still missing.
fn ensure_debian_package(
    present: impl Fn() -> bool,
    what: &str,
    package: &str,
) -> anyhow::Result<()> {
    if present() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0");
    if is_root && have("apt-get") {
        eprintln!("xtask: {what} is missing; installing Debian package `{package}`");
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
    if !present() {
        bail!(
            "{what} is missing: install the Debian package `{package}` (apt-get install {package})"
        );
    }
    Ok(())
}

fn test() -> anyhow::Result<()> {
    ensure_program("xmllint", "libxml2-utils")?;
    // The Peppol schematron runs on Saxon-HE, a Java program.
    ensure_program("java", "default-jre-headless")?;
    ensure_debian_package(
        || Path::new("/usr/share/java/Saxon-HE.jar").is_file(),
        "Saxon-HE (`/usr/share/java/Saxon-HE.jar`)",
        "libsaxonhe-java",
    )?;
    let spec = spec_dir();
    if !spec.join("cxml/1.2.069/cXML.dtd").is_file() {
        bail!(
            "the specification folder `{}` is missing: place `shared/spec` beside the project or set PUNCHOUT_SPEC_DIR",
            spec.display()
        );
    }
    let component = build_component()?;
    // `punchout serve`'s tests: Chromium and a PostgreSQL server for this run.
    let serve = serve_env::ServeTestEnv::prepare()?;
    run(cargo()
        .args(["test", "--workspace", "--all-targets"])
        .env("PUNCHOUT_COMPONENT", &component)
        .env("PUNCHOUT_SPEC_DIR", &spec)
        .envs(serve.vars()))?;
    drop(serve);
    run(cargo()
        .args(["test", "--workspace", "--doc"])
        .env("PUNCHOUT_SPEC_DIR", &spec))?;
    // The PHP host: native library, precompiled component, PHPUnit, the example shop.
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/php/run-tests.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_SPEC_DIR", &spec))?;
    // The Symfony bundle on the PHP package: WebTestCase on SQLite and PostgreSQL, the example shop.
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/symfony/run-tests.sh"))
        .current_dir(workspace_root()))?;
    // The Node host: its npm package built, installed into a scratch project and tested there.
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/node/run-tests.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_SPEC_DIR", &spec)
        .env("PUNCHOUT_COMPONENT", &component)
        .env("PUNCHOUT_VERSION", env!("CARGO_PKG_VERSION")))?;
    // The Java host: its jar built, the JUnit 5 tests compiled against it and run.
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/java/run-tests.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_COMPONENT", &component))?;
    Ok(())
}

/// The packages a shop installs without a Rust toolchain, versioned like the workspace.
fn dist() -> anyhow::Result<()> {
    let component = build_component()?;
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/node/scripts/pack.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_COMPONENT", &component)
        .env("PUNCHOUT_VERSION", env!("CARGO_PKG_VERSION")))?;
    // The Composer package and the jar carry a release build of their native library.
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/php/pack.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_COMPONENT", &component)
        .env("PROFILE", "bench"))?;
    run(Command::new("bash")
        .arg(workspace_root().join("hosts/java/build.sh"))
        .current_dir(workspace_root())
        .env("PUNCHOUT_COMPONENT", &component)
        .env("PROFILE", "bench"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for rustup that lists `installed` and records every call in `calls`.
    fn fake_rustup(name: &str, installed: &str, add_succeeds: bool) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let calls = dir.join("calls");
        let _ = std::fs::remove_file(&calls);
        let script = dir.join("rustup");
        let text = format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nif [ \"$2\" = list ]; then printf '{installed}'; exit 0; fi\nexit {}\n",
            calls.display(),
            if add_succeeds { 0 } else { 1 }
        );
        // Written by a child process, never opened for writing here: a process another test
        // forks at that moment would inherit the descriptor, and running the script would then
        // fail with ETXTBSY ("text file busy").
        let mut writer = Command::new("sh")
            .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
            .arg(&script)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("sh");
        {
            use std::io::Write as _;
            let mut stdin = writer.stdin.take().expect("stdin");
            stdin.write_all(text.as_bytes()).expect("script");
        }
        assert!(
            writer.wait().expect("sh").success(),
            "cannot write the fake rustup"
        );
        (script, calls)
    }

    #[test]
    fn a_missing_wasm_target_is_added_before_building() {
        let (rustup, calls) = fake_rustup("missing", "x86_64-unknown-linux-gnu\\n", true);
        ensure_wasm_target(rustup.as_os_str()).expect("added");
        let calls = std::fs::read_to_string(calls).expect("calls");
        assert_eq!(calls, "target list --installed\ntarget add wasm32-wasip2\n");
    }

    #[test]
    fn an_installed_wasm_target_is_left_alone() {
        let (rustup, calls) = fake_rustup(
            "present",
            "wasm32-wasip2\\nx86_64-unknown-linux-gnu\\n",
            true,
        );
        ensure_wasm_target(rustup.as_os_str()).expect("present");
        assert_eq!(
            std::fs::read_to_string(calls).expect("calls"),
            "target list --installed\n"
        );
    }

    #[test]
    fn a_failed_target_add_fails_loudly() {
        let (rustup, _) = fake_rustup("failing", "x86_64-unknown-linux-gnu\\n", false);
        let error = ensure_wasm_target(rustup.as_os_str()).unwrap_err();
        assert!(
            format!("{error:#}").contains("rustup target add wasm32-wasip2"),
            "{error:#}"
        );
    }

    #[test]
    fn the_target_list_is_read_line_by_line() {
        assert!(lists_target(
            "wasm32-wasip2\nx86_64-unknown-linux-gnu\n",
            "wasm32-wasip2"
        ));
        assert!(!lists_target(
            "wasm32-wasip1\nwasm32-wasip2-threads\n",
            "wasm32-wasip2"
        ));
    }
}
