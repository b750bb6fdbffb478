//! `punchout-bench`: the Rust half of `cargo xtask bench`.
//!
//! - `punchout-bench cart <lines>` prints the benchmark's cart as JSON (the PHP suite times the
//!   same cart).
//! - `punchout-bench run --component <wasm> --cli <punchout> [--seconds-per-size <s>]` times the
//!   engine natively ([`Native`]) and through the component on a warm instance and on a fresh
//!   instance per call, for carts of 1 to 10 000 lines, plus the fixed costs, the guest's peak
//!   memory and the CLI's start; prints the figures as JSON on stdout (progress on stderr).

mod cart;
mod cases;
mod measure;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use serde::Serialize;

use measure::{back_to_back, interleave, median, Budget, Timing};

/// The cart sizes of every table.
pub const SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

const USAGE: &str = "usage: punchout-bench cart <lines>
       punchout-bench run --component <wasm> --cli <punchout> [--seconds-per-size <s>] [--rounds <n>]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("cart") => print_cart(&args[1..]),
        Some("run") => Options::parse(&args[1..]).and_then(|options| run(&options)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("punchout-bench: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_cart(args: &[String]) -> anyhow::Result<()> {
    let lines: usize = match args {
        [lines] => lines
            .parse()
            .with_context(|| format!("expected a number of lines, found `{lines}`"))?,
        _ => bail!("{USAGE}"),
    };
    println!("{}", serde_json::to_string(&cart::cart(lines))?);
    Ok(())
}

#[derive(Debug)]
struct Options {
    component: PathBuf,
    cli: PathBuf,
    seconds_per_size: f64,
    rounds: usize,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut component = None;
        let mut cli = None;
        let mut seconds_per_size = 12.0;
        let mut rounds = 5;
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .with_context(|| format!("`{flag}` needs a value\n{USAGE}"))?;
            let number = || {
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|number| *number > 0.0)
                    .with_context(|| {
                        format!("`{flag}`: expected a positive number, found `{value}`")
                    })
            };
            match flag.as_str() {
                "--component" => component = Some(PathBuf::from(value)),
                "--cli" => cli = Some(PathBuf::from(value)),
                "--seconds-per-size" => seconds_per_size = number()?,
                "--rounds" => rounds = number()? as usize,
                _ => bail!("unknown option `{flag}`\n{USAGE}"),
            }
        }
        Ok(Options {
            component: component.with_context(|| format!("`--component` is missing\n{USAGE}"))?,
            cli: cli.with_context(|| format!("`--cli` is missing\n{USAGE}"))?,
            seconds_per_size,
            rounds,
        })
    }
}

/// Everything `run` measured: what `cargo xtask bench` turns into BENCHMARKS.md.
#[derive(Debug, Serialize)]
struct Report {
    component_bytes: u64,
    sizes: Vec<SizeTimings>,
    /// Calls whose cost does not depend on a cart: the fixed cost of a call.
    fixed: Vec<Timing>,
    /// The error response's cases again, each case's calls back to back.
    fixed_back_to_back: Vec<Timing>,
    memory: cases::GuestMemory,
    cli: CliTimes,
}

#[derive(Debug, Serialize)]
struct SizeTimings {
    lines: usize,
    timings: Vec<Timing>,
}

fn run(options: &Options) -> anyhow::Result<()> {
    let wasm = std::fs::read(&options.component).with_context(|| {
        format!(
            "cannot read the component `{}` (build it with `cargo xtask build`)",
            options.component.display()
        )
    })?;
    let engine = cases::Engines::load(&wasm)?;
    let budget = |seconds: f64| Budget {
        time: Duration::from_secs_f64(seconds),
        rounds: options.rounds,
        max_calls_per_round: 2_000,
    };

    let mut sizes = Vec::new();
    for lines in SIZES {
        eprintln!("punchout-bench: {lines}-line carts");
        let cart = cart::cart(lines);
        let mut cases = engine.cart_cases(&cart)?;
        let timings = interleave(&mut cases, budget(options.seconds_per_size))?;
        sizes.push(SizeTimings { lines, timings });
    }
    eprintln!("punchout-bench: fixed costs");
    let mut cases = engine.fixed_cases()?;
    let fixed = interleave(&mut cases, budget(options.seconds_per_size))?;
    drop(cases);
    eprintln!("punchout-bench: the fixed cost, calls back to back");
    let mut cases = engine.fixed_cases()?;
    cases.retain(|case| case.name.starts_with("error-response-"));
    let fixed_back_to_back = back_to_back(&mut cases, budget(options.seconds_per_size / 2.0))?;
    drop(cases);
    let memory = engine.guest_memory()?;
    eprintln!("punchout-bench: the CLI");
    let cli = cli_times(&options.cli, &options.component)?;

    let report = Report {
        component_bytes: wasm.len() as u64,
        sizes,
        fixed,
        fixed_back_to_back,
        memory,
        cli,
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// `punchout config check` on the sample profile, in milliseconds of wall time.
#[derive(Debug, Serialize)]
struct CliTimes {
    /// With an empty cache: the component is compiled.
    first_ms: f64,
    /// Later runs (the compiled component loaded from the cache): median, lowest, highest.
    later_median_ms: f64,
    later_low_ms: f64,
    later_high_ms: f64,
    later_runs: usize,
    /// `punchout --native config check`, the same check without the component.
    native_median_ms: f64,
}

fn cli_times(cli: &Path, component: &Path) -> anyhow::Result<CliTimes> {
    let profile = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../host-example/samples/cxml-buyer-profile.json");
    let cache = std::env::temp_dir().join(format!("punchout-bench-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let check = |native: bool| -> anyhow::Result<f64> {
        let mut command = Command::new(cli);
        command
            .arg("--component")
            .arg(component)
            .args(native.then_some("--native"))
            .args(["config", "check"])
            .arg(&profile)
            .env("PUNCHOUT_CACHE_DIR", &cache);
        let began = Instant::now();
        let output = command
            .output()
            .with_context(|| format!("cannot run `{}`", cli.display()))?;
        let elapsed = began.elapsed().as_secs_f64() * 1e3;
        if !output.status.success() {
            bail!(
                "{command:?} failed with {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(elapsed)
    };
    let first_ms = check(false)?;
    let runs = 9;
    let mut later = (0..runs)
        .map(|_| check(false))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut native = (0..runs)
        .map(|_| check(true))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let _ = std::fs::remove_dir_all(&cache);
    let later_median_ms = median(&mut later);
    Ok(CliTimes {
        first_ms,
        later_median_ms,
        later_low_ms: later[0],
        later_high_ms: later[runs - 1],
        later_runs: runs,
        native_median_ms: median(&mut native),
    })
}
