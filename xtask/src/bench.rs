//! `cargo xtask bench`: builds the release engine, runs the Rust suite (`punchout-bench`) and the
//! PHP suite (`hosts/php/bench/suite.php`), and writes `BENCHMARKS.md` and `benchmarks.png`.
//!
//! Both suites time the cases of one cart size interleaved call by call, in rounds; a figure is
//! the median of the round medians, its spread the lowest and highest round median, and a ratio
//! between two cases is taken round by round (the two were timed side by side).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};

use crate::{build_component, cargo, ensure_debian_package, ensure_program, run, workspace_root};

/// The cart sizes of both suites.
const SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

/// The TrueType font the plot is written with (Debian package `fonts-dejavu-core`).
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// One case's figures, as both suites print them.
#[derive(Clone, Debug, Deserialize)]
struct Timing {
    case: String,
    median_us: f64,
    low_us: f64,
    high_us: f64,
    round_medians_us: Vec<f64>,
    calls_per_round: usize,
    minor_faults_per_call: Option<f64>,
    output_bytes: usize,
}

#[derive(Debug, Deserialize)]
struct SizeTimings {
    lines: usize,
    timings: Vec<Timing>,
}

#[derive(Debug, Deserialize)]
struct RustReport {
    component_bytes: u64,
    sizes: Vec<SizeTimings>,
    fixed: Vec<Timing>,
    /// Absent in reports of older runs.
    #[serde(default)]
    fixed_back_to_back: Vec<Timing>,
    memory: GuestMemory,
    cli: CliTimes,
}

#[derive(Debug, Deserialize)]
struct GuestMemory {
    cxml_100_lines_bytes: u64,
    oci_100_lines_bytes: u64,
    cxml_10000_lines_bytes: u64,
    oci_10000_lines_bytes: u64,
}

#[derive(Debug, Deserialize)]
struct CliTimes {
    first_ms: f64,
    later_median_ms: f64,
    later_low_ms: f64,
    later_high_ms: f64,
    later_runs: usize,
    native_median_ms: f64,
}

#[derive(Debug, Deserialize)]
struct PhpReport {
    php_version: String,
    sizes: Vec<SizeTimings>,
    fixed: Vec<Timing>,
}

/// Where and on what the figures were taken.
#[derive(Debug, Serialize, Deserialize)]
struct Machine {
    date: String,
    cpu: String,
    cores: String,
    nproc: String,
    load_before: String,
    load_after: String,
    rustc: String,
    wasmtime: String,
    /// How the suites were run.
    options: BenchOptions,
}

/// How long each suite spends per cart size (over all its cases), in seconds, in how many
/// rounds; or only the report written again from the last run's figures.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct BenchOptions {
    pub seconds_per_size: f64,
    pub rounds: usize,
    #[serde(skip)]
    pub from_last_run: bool,
}

impl BenchOptions {
    pub fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut options = BenchOptions {
            seconds_per_size: 12.0,
            rounds: 5,
            from_last_run: false,
        };
        let mut args = args.iter().skip_while(|arg| *arg == "--");
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .with_context(|| format!("`{flag}` needs a value"))
            };
            match flag.as_str() {
                "--from-last-run" => options.from_last_run = true,
                "--seconds-per-size" => {
                    let value = value()?;
                    options.seconds_per_size = value
                        .parse()
                        .ok()
                        .filter(|seconds: &f64| *seconds > 0.0)
                        .with_context(|| format!("`--seconds-per-size`: expected a positive number of seconds, found `{value}`"))?;
                }
                "--rounds" => {
                    let value = value()?;
                    options.rounds = value
                        .parse()
                        .ok()
                        .filter(|rounds: &usize| *rounds > 0)
                        .with_context(|| {
                            format!("`--rounds`: expected a positive count, found `{value}`")
                        })?;
                }
                _ => bail!(
                    "unknown option `{flag}`: expected `--seconds-per-size <s>`, `--rounds <n>` or `--from-last-run`"
                ),
            }
        }
        Ok(options)
    }
}

pub fn bench(options: BenchOptions) -> anyhow::Result<()> {
    let work = workspace_root().join("target/bench");
    if options.from_last_run {
        return write_report(&work);
    }
    ensure_debian_package(|| Path::new(FONT).is_file(), FONT, "fonts-dejavu-core")?;
    ensure_program("php", "php-cli")?;
    for (module, package) in [
        ("FFI", "php-cli"),
        ("dom", "php-xml"),
        ("xmlwriter", "php-xml"),
        ("mbstring", "php-mbstring"),
    ] {
        ensure_debian_package(
            || php_has_module(module),
            &format!("the PHP module `{module}`"),
            package,
        )?;
    }

    let root = workspace_root();
    let component = build_component()?;
    // The release profile, as a shop ships it: the native library the PHP host loads, the CLI and
    // the Rust suite.
    run(cargo().args([
        "build",
        "--release",
        "--package",
        "punchout-bench",
        "--package",
        "punchout-host",
        "--package",
        "punchout-ffi",
    ]))?;
    let release = root.join("target/release");
    std::fs::create_dir_all(work.join("carts"))
        .with_context(|| format!("cannot create `{}`", work.display()))?;

    let load_before = load_average();
    // The carts, written once by the Rust suite so that PHP times the very same ones.
    let suite = release.join("punchout-bench");
    for lines in SIZES {
        let output = Command::new(&suite)
            .args(["cart", &lines.to_string()])
            .output()
            .with_context(|| format!("cannot run `{}`", suite.display()))?;
        if !output.status.success() {
            bail!(
                "`punchout-bench cart {lines}` failed with {}",
                output.status
            );
        }
        let path = work.join(format!("carts/cart-{lines}.json"));
        std::fs::write(&path, output.stdout)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }

    let seconds = options.seconds_per_size.to_string();
    let rounds = options.rounds.to_string();
    let rust_json = capture(
        Command::new(&suite)
            .arg("run")
            .arg("--component")
            .arg(&component)
            .arg("--cli")
            .arg(release.join("punchout"))
            .args(["--seconds-per-size", &seconds, "--rounds", &rounds]),
    )?;
    std::fs::write(work.join("rust.json"), &rust_json)?;
    let library = release.join("libpunchout_ffi.so");
    let precompiled = release.join("punchout_plugin.cwasm");
    let php = |command: &mut Command| {
        command
            .env("PUNCHOUT_LIBRARY", &library)
            .env("PUNCHOUT_COMPONENT", &component)
            .env("PUNCHOUT_PRECOMPILED", &precompiled)
            .env("PUNCHOUT_SAMPLES", root.join("host-example/samples"))
            .current_dir(root.join("hosts/php"));
    };
    let mut precompile = Command::new("php");
    precompile
        .args(["-d", "ffi.enable=1", "bin/punchout-precompile"])
        .arg(&component)
        .arg(&precompiled);
    php(&mut precompile);
    run(&mut precompile)?;
    let mut suite_php = Command::new("php");
    suite_php
        .args(["-d", "ffi.enable=1", "bench/suite.php", "--carts"])
        .arg(work.join("carts"))
        .args(["--seconds-per-size", &seconds, "--rounds", &rounds]);
    php(&mut suite_php);
    let php_json = capture(&mut suite_php)?;
    std::fs::write(work.join("php.json"), &php_json)?;
    let machine = Machine {
        date: command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"])?,
        cpu: cpu_model(),
        cores: cpu_cores(),
        nproc: command_line("nproc", &[])?,
        load_before,
        load_after: load_average(),
        rustc: command_line("rustc", &["--version"])?,
        wasmtime: locked_version(&root.join("Cargo.lock"), "wasmtime")?,
        options,
    };
    std::fs::write(
        work.join("machine.json"),
        serde_json::to_string_pretty(&machine)?,
    )?;
    write_report(&work)
}

/// BENCHMARKS.md and the plot from the figures in `work` (`rust.json`, `php.json`,
/// `machine.json`).
fn write_report(work: &Path) -> anyhow::Result<()> {
    let read = |name: &str| {
        let path = work.join(name);
        std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read `{}`: run `cargo xtask bench` first",
                path.display()
            )
        })
    };
    let rust: RustReport = serde_json::from_str(&read("rust.json")?)
        .context("cannot read the Rust suite's figures")?;
    let php: PhpReport =
        serde_json::from_str(&read("php.json")?).context("cannot read the PHP suite's figures")?;
    let machine: Machine = serde_json::from_str(&read("machine.json")?)
        .context("cannot read the machine's description")?;
    let root = workspace_root();
    let plot = root.join("benchmarks.png");
    draw_plot(&plot, &rust, &php)?;
    let markdown = render(&machine, &rust, &php);
    std::fs::write(root.join("BENCHMARKS.md"), markdown)?;
    eprintln!(
        "xtask: wrote {} and {}",
        root.join("BENCHMARKS.md").display(),
        plot.display()
    );
    Ok(())
}

fn php_has_module(module: &str) -> bool {
    Command::new("php").arg("-m").output().is_ok_and(|output| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .any(|line| line.trim().eq_ignore_ascii_case(module))
    })
}

/// Runs the command, its progress on our stderr, and returns its stdout.
fn capture(command: &mut Command) -> anyhow::Result<String> {
    eprintln!("xtask: running {command:?}");
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start {command:?}"))?;
    if !output.status.success() {
        bail!("{command:?} failed with {}", output.status);
    }
    String::from_utf8(output.stdout).with_context(|| format!("{command:?} printed non-UTF-8"))
}

fn command_line(program: &str, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("cannot run `{program}`"))?;
    if !output.status.success() {
        bail!("`{program}` failed with {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Physical cores and hardware threads, as `/proc/cpuinfo` counts them.
fn cpu_cores() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let threads = info
        .lines()
        .filter(|line| line.starts_with("processor"))
        .count();
    let cores = info
        .lines()
        .find(|line| line.starts_with("cpu cores"))
        .and_then(|line| line.split_once(':'))
        .map_or("?".to_owned(), |(_, count)| count.trim().to_owned());
    format!("{cores} cores per socket, {threads} hardware threads")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|load| {
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The version of `package` in `Cargo.lock`.
fn locked_version(lock: &Path, package: &str) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(lock)
        .with_context(|| format!("cannot read `{}`", lock.display()))?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(version) = lines
                .next()
                .and_then(|line| line.strip_prefix("version = \""))
            {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("`{}` does not list `{package}`", lock.display())
}

/// A figure in microseconds, in the unit that reads best.
fn time(us: f64) -> String {
    if us < 10.0 {
        format!("{us:.1} µs")
    } else if us < 10_000.0 {
        format!("{us:.0} µs")
    } else if us < 10_000_000.0 {
        format!("{:.1} ms", us / 1e3)
    } else {
        format!("{:.1} s", us / 1e6)
    }
}

/// A figure with its spread: `412 µs (398–431)`.
fn time_spread(median: f64, low: f64, high: f64) -> String {
    let unit = time(median)
        .rsplit_once(' ')
        .map_or(String::new(), |(_, unit)| unit.to_owned());
    // The spread in the median's unit.
    let scale = match unit.as_str() {
        "ms" => 1e3,
        "s" => 1e6,
        _ => 1.0,
    };
    let decimals = if unit == "µs" && median >= 10.0 {
        0
    } else {
        1
    };
    format!(
        "{} ({:.*}–{:.*})",
        time(median),
        decimals,
        low / scale,
        decimals,
        high / scale
    )
}

fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1u64 << 20) as f64)
}

fn timing<'a>(timings: &'a [Timing], case: &str) -> Option<&'a Timing> {
    timings.iter().find(|timing| timing.case == case)
}

fn size(sizes: &[SizeTimings], lines: usize) -> &[Timing] {
    sizes
        .iter()
        .find(|size| size.lines == lines)
        .map_or(&[], |size| &size.timings)
}

/// A ratio or a difference of two cases timed side by side, round by round.
#[derive(Debug, Clone, Copy)]
struct Paired {
    median: f64,
    low: f64,
    high: f64,
}

fn paired(a: &Timing, b: &Timing, combine: impl Fn(f64, f64) -> f64) -> Paired {
    let mut values: Vec<f64> = a
        .round_medians_us
        .iter()
        .zip(&b.round_medians_us)
        .map(|(a, b)| combine(*a, *b))
        .collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = match n {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    };
    Paired {
        median,
        low: values.first().copied().unwrap_or(f64::NAN),
        high: values.last().copied().unwrap_or(f64::NAN),
    }
}

fn ratio(a: &Timing, b: &Timing) -> Paired {
    paired(a, b, |a, b| a / b)
}

fn ratio_text(p: Paired) -> String {
    format!("{:.2}× ({:.2}–{:.2})", p.median, p.low, p.high)
}

fn met(ok: bool) -> &'static str {
    if ok {
        "**met**"
    } else {
        "not met"
    }
}

/// Cost per line from 10 to 10 000 lines: the highest over the lowest median time per line.
fn flatness(sizes: &[SizeTimings], case: &str) -> Option<(f64, usize, usize)> {
    let per_line: Vec<(usize, f64)> = sizes
        .iter()
        .filter(|size| size.lines >= 10)
        .filter_map(|size| {
            timing(&size.timings, case).map(|t| (size.lines, t.median_us / size.lines as f64))
        })
        .collect();
    let max = per_line
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let min = per_line
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    Some((max.1 / min.1, max.0, min.0))
}

/// The flatness with where its extremes are, and the growth of the cost per line from 100 to
/// 10 000 lines (without the fixed cost that dominates small carts).
fn flatness_text(sizes: &[SizeTimings], case: &str, r: f64, high: usize, low: usize) -> String {
    let per_line =
        |lines: usize| timing(size(sizes, lines), case).map(|t| t.median_us / lines as f64);
    let growth = match (per_line(100), per_line(10_000)) {
        (Some(at_100), Some(at_10_000)) => {
            format!("; 100 → 10 000 lines: {:.2}×", at_10_000 / at_100)
        }
        _ => String::new(),
    };
    format!(
        "{r:.2}× (highest at {}, lowest at {} lines){growth}",
        thousands(high as u64),
        thousands(low as u64)
    )
}

/// Human names of the cases, in table order.
const RUST_CASES: [(&str, &str); 6] = [
    ("cxml-native", "cXML cart return, native"),
    ("cxml-warm", "cXML cart return, component, warm instance"),
    (
        "cxml-fresh",
        "cXML cart return, component, fresh instance per call",
    ),
    ("oci-native", "OCI cart form, native"),
    ("oci-warm", "OCI cart form, component, warm instance"),
    (
        "oci-fresh",
        "OCI cart form, component, fresh instance per call",
    ),
];

const PHP_CASES: [(&str, &str); 6] = [
    (
        "cxml-engine",
        "cXML cart return, engine (`Punchout\\Engine`)",
    ),
    ("cxml-xmlwriter", "cXML cart return, hand-written XMLWriter"),
    ("cxml-dom", "cXML cart return, hand-written DOMDocument"),
    (
        "cxml-concat",
        "cXML cart return, hand-written string concatenation",
    ),
    ("oci-engine", "OCI cart form, engine (`Punchout\\Engine`)"),
    ("oci-plain", "OCI cart form, hand-written string building"),
];

const FIXED_CASES: [(&str, &str); 4] = [
    (
        "error-response",
        "cXML error response (the fixed cost of a call)",
    ),
    ("setup", "cXML setup request (parse, authenticate, respond)"),
    ("oci-call-up", "OCI call-up (parse, authenticate)"),
    ("compile-profile", "compile the cXML profile"),
];

fn render(machine: &Machine, rust: &RustReport, php: &PhpReport) -> String {
    let options = machine.options;
    let mut md = String::new();
    let rust100 = size(&rust.sizes, 100);
    let php100 = size(&php.sizes, 100);
    let php1 = size(&php.sizes, 1);
    let _ = writeln!(
        md,
        "# Benchmarks\n\n\
Generated by `cargo xtask bench` on {date}; do not edit by hand, rerun it. Figures are medians of\n\
round medians with their spread (lowest–highest round median); ratios are taken round by round\n\
between cases timed side by side. The machine is shared: read the spread and the load.\n\n\
| | |\n|---|---|\n\
| date | {date} |\n\
| CPU | {cpu} ({cores}); `nproc` {nproc} |\n\
| load average (1, 5, 15 min) | {before} before, {after} after |\n\
| rustc | {rustc} |\n\
| wasmtime | {wasmtime} |\n\
| PHP | {php_version} (CLI, `-d ffi.enable=1`) |\n\
| engine component | {component} bytes ({component_mib}; `cargo xtask build`, release) |\n\
| build | `--release` (LTO): native suite, CLI and the PHP host's `libpunchout_ffi.so` |\n",
        date = machine.date,
        cpu = machine.cpu,
        cores = machine.cores,
        nproc = machine.nproc,
        before = machine.load_before,
        after = machine.load_after,
        rustc = machine.rustc,
        wasmtime = machine.wasmtime,
        php_version = php.php_version,
        component = thousands(rust.component_bytes),
        component_mib = mib(rust.component_bytes),
    );

    // Targets of issue 13, ratios first.
    let _ = writeln!(
        md,
        "## Against the targets\n\n| target | measured | met? |\n|---|---|---|"
    );
    let mut row = |target: &str, measured: String, ok: Option<bool>| {
        let _ = writeln!(md, "| {target} | {measured} | {} |", ok.map_or("–", met));
    };
    for (protocol, name) in [("cxml", "cXML"), ("oci", "OCI")] {
        if let (Some(warm), Some(native)) = (
            timing(rust100, &format!("{protocol}-warm")),
            timing(rust100, &format!("{protocol}-native")),
        ) {
            let r = ratio(warm, native);
            row(
                &format!("component ≤ 1.5× native, warm instance ({name}, 100 lines)"),
                ratio_text(r),
                Some(r.median <= 1.5),
            );
        }
    }
    if let (Some(fresh), Some(warm)) = (
        timing(&rust.fixed, "error-response-fresh"),
        timing(&rust.fixed, "error-response-warm"),
    ) {
        let d = paired(fresh, warm, |a, b| a - b);
        row(
            "fresh instance ≤ 25 µs over a warm one (a call that does almost nothing, interleaved with other calls)",
            time_spread(d.median, d.low, d.high),
            Some(d.median <= 25.0),
        );
    }
    if let (Some(fresh), Some(warm)) = (
        timing(&rust.fixed_back_to_back, "error-response-fresh"),
        timing(&rust.fixed_back_to_back, "error-response-warm"),
    ) {
        let d = paired(fresh, warm, |a, b| a - b);
        row(
            "fresh instance ≤ 25 µs over a warm one (a call that does almost nothing, calls back to back)",
            time_spread(d.median, d.low, d.high),
            Some(d.median <= 25.0),
        );
    }
    for (protocol, name) in [("cxml", "cXML"), ("oci", "OCI")] {
        if let (Some(fresh), Some(warm)) = (
            timing(rust100, &format!("{protocol}-fresh")),
            timing(rust100, &format!("{protocol}-warm")),
        ) {
            let d = paired(fresh, warm, |a, b| a - b);
            row(
                &format!("fresh instance ≤ 25 µs over a warm one ({name}, 100 lines)"),
                time_spread(d.median, d.low, d.high),
                Some(d.median <= 25.0),
            );
        }
    }
    if let Some(engine) = timing(php100, "cxml-engine") {
        for (case, name, target) in [
            ("cxml-xmlwriter", "XMLWriter", 3.0),
            ("cxml-concat", "string concatenation", 1.75),
            ("cxml-dom", "DOMDocument", f64::NAN),
        ] {
            if let Some(other) = timing(php100, case) {
                let r = ratio(other, engine);
                row(
                    &if target.is_nan() {
                        format!("PHP, 100 lines: engine's speed-up over {name} (cXML)")
                    } else {
                        format!("PHP, 100 lines: engine ≥ {target}× faster than {name} (cXML)")
                    },
                    ratio_text(r),
                    (!target.is_nan()).then_some(r.median >= target),
                );
            }
        }
    }
    if let (Some(engine), Some(plain)) = (timing(php100, "oci-engine"), timing(php100, "oci-plain"))
    {
        row(
            "PHP, 100 lines: engine's speed-up over string building (OCI)",
            ratio_text(ratio(plain, engine)),
            None,
        );
    }
    for (protocol, name) in [("cxml", "cXML"), ("oci", "OCI")] {
        for case in [
            format!("{protocol}-native"),
            format!("{protocol}-warm"),
            format!("{protocol}-fresh"),
        ] {
            if let Some((r, high, low)) = flatness(&rust.sizes, &case) {
                row(
                    &format!("cost per line flat within 1.3× from 10 to 10 000 lines (`{case}`)"),
                    flatness_text(&rust.sizes, &case, r, high, low),
                    Some(r <= 1.3),
                );
            }
        }
        let case = format!("{protocol}-engine");
        if let Some((r, high, low)) = flatness(&php.sizes, &case) {
            row(
                &format!("cost per line flat within 1.3× from 10 to 10 000 lines (PHP, `{case}`, {name})"),
                flatness_text(&php.sizes, &case, r, high, low),
                Some(r <= 1.3),
            );
        }
    }
    for (protocol, target) in [("cxml", 50.0), ("oci", 60.0)] {
        if let Some(t) = timing(rust100, &format!("{protocol}-native")) {
            row(
                &format!(
                    "native, 100 lines: {} ≤ {target} µs",
                    if protocol == "cxml" {
                        "cXML message + form"
                    } else {
                        "OCI form"
                    }
                ),
                time_spread(t.median_us, t.low_us, t.high_us),
                Some(t.median_us <= target),
            );
        }
    }
    for (case, what) in [
        ("cxml-engine", "cXML cart return"),
        ("oci-engine", "OCI cart form"),
    ] {
        if let Some(t) = timing(php100, case) {
            row(
                &format!("PHP, 100 lines: {what} ≤ 200 µs"),
                time_spread(t.median_us, t.low_us, t.high_us),
                Some(t.median_us <= 200.0),
            );
        }
    }
    for (case, what) in [
        ("cxml-engine", "cXML cart return"),
        ("oci-engine", "OCI cart form"),
    ] {
        if let Some(t) = timing(php1, case) {
            row(
                &format!("PHP, a 1-line cart ≤ 25 µs ({what})"),
                time_spread(t.median_us, t.low_us, t.high_us),
                Some(t.median_us <= 25.0),
            );
        }
    }
    for case in ["error-response-engine", "quantity-check-engine"] {
        if let Some(t) = timing(&php.fixed, case) {
            row(
                &format!("PHP, the fixed cost of a call ≤ 15 µs (`{case}`)"),
                time_spread(t.median_us, t.low_us, t.high_us),
                Some(t.median_us <= 15.0),
            );
        }
    }
    row(
        "peak guest memory, 100 lines ≤ 2 MiB (cXML / OCI)",
        format!(
            "{} / {}",
            mib(rust.memory.cxml_100_lines_bytes),
            mib(rust.memory.oci_100_lines_bytes)
        ),
        Some(
            rust.memory
                .cxml_100_lines_bytes
                .max(rust.memory.oci_100_lines_bytes)
                <= 2 << 20,
        ),
    );
    for lines in [100, 10_000] {
        let faults: Vec<String> = ["cxml-warm", "oci-warm"]
            .iter()
            .filter_map(|case| timing(size(&rust.sizes, lines), case))
            .map(|t| {
                t.minor_faults_per_call
                    .map_or("?".to_owned(), |f| format!("{f:.1}"))
            })
            .collect();
        let worst = ["cxml-warm", "oci-warm"]
            .iter()
            .filter_map(|case| timing(size(&rust.sizes, lines), case))
            .filter_map(|t| t.minor_faults_per_call)
            .fold(0.0, f64::max);
        row(
            &format!(
                "no page faults per call after warm-up (component, warm, {} lines; cXML / OCI)",
                thousands(lines as u64)
            ),
            format!("{} minor faults per call", faults.join(" / ")),
            Some(worst < 1.0),
        );
    }
    row(
        "`punchout config check`: tens of milliseconds after the first run",
        format!(
            "first {:.0} ms, then {:.1} ms ({:.1}–{:.1}, {} runs); natively {:.1} ms",
            rust.cli.first_ms,
            rust.cli.later_median_ms,
            rust.cli.later_low_ms,
            rust.cli.later_high_ms,
            rust.cli.later_runs,
            rust.cli.native_median_ms
        ),
        Some(rust.cli.later_median_ms < 100.0),
    );

    // Ratios per size.
    let _ = writeln!(
        md,
        "\n## Ratios by cart size\n\n| | {} |\n|---|{}",
        size_headers(),
        "---|".repeat(SIZES.len())
    );
    let ratio_row = |md: &mut String,
                     label: &str,
                     sizes: &[SizeTimings],
                     a: &str,
                     b: &str,
                     difference: bool| {
        let cells: Vec<String> = SIZES
            .iter()
            .map(|lines| {
                let timings = size(sizes, *lines);
                match (timing(timings, a), timing(timings, b)) {
                    (Some(a), Some(b)) if difference => {
                        let d = paired(a, b, |a, b| a - b);
                        time_spread(d.median, d.low, d.high)
                    }
                    (Some(a), Some(b)) => ratio_text(ratio(a, b)),
                    _ => "–".to_owned(),
                }
            })
            .collect();
        let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
    };
    ratio_row(
        &mut md,
        "cXML: component warm / native",
        &rust.sizes,
        "cxml-warm",
        "cxml-native",
        false,
    );
    ratio_row(
        &mut md,
        "OCI: component warm / native",
        &rust.sizes,
        "oci-warm",
        "oci-native",
        false,
    );
    ratio_row(
        &mut md,
        "cXML: fresh − warm",
        &rust.sizes,
        "cxml-fresh",
        "cxml-warm",
        true,
    );
    ratio_row(
        &mut md,
        "OCI: fresh − warm",
        &rust.sizes,
        "oci-fresh",
        "oci-warm",
        true,
    );
    ratio_row(
        &mut md,
        "PHP cXML: XMLWriter / engine",
        &php.sizes,
        "cxml-xmlwriter",
        "cxml-engine",
        false,
    );
    ratio_row(
        &mut md,
        "PHP cXML: DOMDocument / engine",
        &php.sizes,
        "cxml-dom",
        "cxml-engine",
        false,
    );
    ratio_row(
        &mut md,
        "PHP cXML: string concatenation / engine",
        &php.sizes,
        "cxml-concat",
        "cxml-engine",
        false,
    );
    ratio_row(
        &mut md,
        "PHP OCI: string building / engine",
        &php.sizes,
        "oci-plain",
        "oci-engine",
        false,
    );
    let _ = writeln!(
        md,
        "\nA ratio above 1 for the PHP rows means the engine is faster than the hand-written PHP."
    );

    // Times per call and per line.
    for (title, sizes, cases) in [
        (
            "Rust host (`punchout_host`): time per call",
            &rust.sizes,
            &RUST_CASES[..],
        ),
        (
            "PHP host (`Punchout\\Engine`) and hand-written PHP: time per call",
            &php.sizes,
            &PHP_CASES[..],
        ),
    ] {
        let _ = writeln!(
            md,
            "\n## {title}\n\n| | {} |\n|---|{}",
            size_headers(),
            "---|".repeat(SIZES.len())
        );
        for (case, label) in cases {
            let cells: Vec<String> = SIZES
                .iter()
                .map(|lines| {
                    timing(size(sizes, *lines), case).map_or("–".to_owned(), |t| {
                        time_spread(t.median_us, t.low_us, t.high_us)
                    })
                })
                .collect();
            let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
        }
        let _ = writeln!(
            md,
            "\nTime per line:\n\n| | {} |\n|---|{}",
            size_headers(),
            "---|".repeat(SIZES.len())
        );
        for (case, label) in cases {
            let cells: Vec<String> = SIZES
                .iter()
                .map(|lines| {
                    timing(size(sizes, *lines), case)
                        .map_or("–".to_owned(), |t| time(t.median_us / *lines as f64))
                })
                .collect();
            let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
        }
    }

    // Documents and calls.
    let _ = writeln!(
        md,
        "\nDocument sizes in bytes:\n\n| | {} |\n|---|{}",
        size_headers(),
        "---|".repeat(SIZES.len())
    );
    for (case, label) in [
        ("cxml-native", "cXML message + form"),
        ("oci-native", "OCI form (Latin-1)"),
    ] {
        let cells: Vec<String> = SIZES
            .iter()
            .map(|lines| {
                timing(size(&rust.sizes, *lines), case)
                    .map_or("–".to_owned(), |t| thousands(t.output_bytes as u64))
            })
            .collect();
        let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
    }
    let _ = writeln!(
        md,
        "\nCalls per case and round (× {} rounds), by cart size: Rust {}; PHP {}.",
        options.rounds,
        calls_per_round(&rust.sizes),
        calls_per_round(&php.sizes),
    );

    // Fixed costs.
    let _ = writeln!(
        md,
        "\n## Calls that hardly depend on their input\n\n| | native | component, warm | component, fresh | fresh − warm |\n|---|---|---|---|---|"
    );
    for (case, label) in FIXED_CASES {
        let cell = |mode: &str| {
            timing(&rust.fixed, &format!("{case}-{mode}")).map_or("–".to_owned(), |t| {
                time_spread(t.median_us, t.low_us, t.high_us)
            })
        };
        let difference = match (
            timing(&rust.fixed, &format!("{case}-fresh")),
            timing(&rust.fixed, &format!("{case}-warm")),
        ) {
            (Some(fresh), Some(warm)) => {
                let d = paired(fresh, warm, |a, b| a - b);
                time_spread(d.median, d.low, d.high)
            }
            _ => "–".to_owned(),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {difference} |",
            cell("native"),
            cell("warm"),
            cell("fresh")
        );
    }
    if let (Some(native), Some(warm), Some(fresh)) = (
        timing(&rust.fixed_back_to_back, "error-response-native"),
        timing(&rust.fixed_back_to_back, "error-response-warm"),
        timing(&rust.fixed_back_to_back, "error-response-fresh"),
    ) {
        let d = paired(fresh, warm, |a, b| a - b);
        let _ = writeln!(
            md,
            "\nThe error response with each case's calls back to back (blocks of one case, \
             alternating round by round) instead of interleaved: native {}, warm {}, fresh {}, \
             fresh − warm {}. Interleaved, a fresh instance's pool slot has first to restore the \
             pages the other calls' instances wrote in it; back to back, only its own last call's.",
            time_spread(native.median_us, native.low_us, native.high_us),
            time_spread(warm.median_us, warm.low_us, warm.high_us),
            time_spread(fresh.median_us, fresh.low_us, fresh.high_us),
            time_spread(d.median, d.low, d.high),
        );
    }
    let _ = writeln!(
        md,
        "\nFrom PHP (every call of the PHP host runs on a fresh pooled instance):\n"
    );
    for (case, label) in [
        ("error-response-engine", "`cxmlErrorResponse()`"),
        ("quantity-check-engine", "`ociQuantityCheckReply()`"),
    ] {
        if let Some(t) = timing(&php.fixed, case) {
            let _ = writeln!(
                md,
                "- {label}: {}",
                time_spread(t.median_us, t.low_us, t.high_us)
            );
        }
    }

    // Memory and page faults.
    let _ = writeln!(
        md,
        "\n## Memory\n\nPeak guest linear memory after compiling both sample profiles and one call on a new warm\ninstance: cXML {} (100 lines), {} (10 000 lines); OCI {} (100 lines), {} (10 000 lines).\n\nMinor page faults per call after warm-up (the process's `minflt` over a run of calls):\n\n| | {} |\n|---|{}",
        mib(rust.memory.cxml_100_lines_bytes),
        mib(rust.memory.cxml_10000_lines_bytes),
        mib(rust.memory.oci_100_lines_bytes),
        mib(rust.memory.oci_10000_lines_bytes),
        size_headers(),
        "---|".repeat(SIZES.len())
    );
    for (case, label) in RUST_CASES {
        let cells: Vec<String> = SIZES
            .iter()
            .map(|lines| {
                timing(size(&rust.sizes, *lines), case)
                    .and_then(|t| t.minor_faults_per_call)
                    .map_or("–".to_owned(), |f| format!("{f:.1}"))
            })
            .collect();
        let _ = writeln!(md, "| {label} | {} |", cells.join(" | "));
    }

    let _ = writeln!(
        md,
        "\n## The plot\n\n![Time per line against lines in the cart, log–log, one series per case](benchmarks.png)\n\n\
## Method\n\n\
- The carts are `punchout-bench cart <lines>` (`bench/src/cart.rs`): realistic lines with a long\n  \
description (markup and a non-ASCII character), six attributes and an image URL; the PHP suite\n  \
reads the same carts. Profiles, session and call-up are the samples of `host-example/samples`\n  \
(the OCI buyer is the SAP SRM profile, OCI 4.0 in Latin-1).\n\
- All cases of one size are called in turn, one call each (round robin), after two warm-up calls\n  \
each; {rounds} rounds; each suite spends about {seconds} s per size, at least 2 calls per case and\n  \
round. A figure is the median of the round medians, in brackets the lowest and highest round median.\n\
- Before timing, the component's documents are compared with the native ones, and every\n  \
hand-written PHP document with the engine's, byte for byte.\n\
- *Warm*: one instance kept per worker (`InstanceMode::Reuse`); *fresh*: a new instance per call\n  \
(`InstanceMode::FreshPerCall`), the profile compiled into it again. The PHP host runs every call\n  \
on a fresh pooled instance.\n\
- Rust: `bench/` (`punchout-bench run`); PHP: `hosts/php/bench/suite.php` (the hand-written\n  \
baselines beside it). Raw figures: `target/bench/rust.json`, `target/bench/php.json`.\n",
        rounds = options.rounds,
        seconds = options.seconds_per_size,
    );
    md
}

/// The column headers of a table by cart size.
fn size_headers() -> String {
    SIZES
        .map(|n| match n {
            1 => "1 line".to_owned(),
            n => format!("{} lines", thousands(n as u64)),
        })
        .join(" | ")
}

/// `10000` as `10 000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

fn calls_per_round(sizes: &[SizeTimings]) -> String {
    sizes
        .iter()
        .map(|size| {
            let calls = size
                .timings
                .iter()
                .map(|t| t.calls_per_round)
                .min()
                .unwrap_or(0);
            format!("{calls} at {}", thousands(size.lines as u64))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Time per line against lines, log–log, one series per case.
fn draw_plot(path: &Path, rust: &RustReport, php: &PhpReport) -> anyhow::Result<()> {
    use plotters::prelude::*;

    let font = std::fs::read(FONT).with_context(|| format!("cannot read the font `{FONT}`"))?;
    // plotters keeps registered fonts for the process's life.
    plotters::style::register_font("sans-serif", FontStyle::Normal, font.leak())
        .map_err(|_| anyhow::anyhow!("`{FONT}` is not a TrueType font plotters can read"))?;

    let mut series: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for (report, cases, prefix) in [
        (&rust.sizes, &RUST_CASES[..], "Rust"),
        (&php.sizes, &PHP_CASES[..], "PHP"),
    ] {
        for (case, _) in cases {
            let points: Vec<(f64, f64)> = report
                .iter()
                .filter_map(|size| {
                    timing(&size.timings, case)
                        .map(|t| (size.lines as f64, t.median_us / size.lines as f64))
                })
                .collect();
            if !points.is_empty() {
                series.push((format!("{prefix} {case}"), points));
            }
        }
    }
    let values = series
        .iter()
        .flat_map(|(_, points)| points.iter().map(|p| p.1));
    let (low, high) = values.fold((f64::INFINITY, 0.0f64), |(low, high), v| {
        (low.min(v), high.max(v))
    });
    if !low.is_finite() {
        bail!("no figures to plot");
    }

    let error = |error: &dyn std::fmt::Display| anyhow::anyhow!("cannot draw the plot: {error}");
    let root = BitMapBackend::new(path, (1400, 900)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| error(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Time per cart line against lines in the cart",
            ("sans-serif", 30),
        )
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0.8f64..12_500f64).log_scale(),
            // A decade of headroom above the highest point for the legend.
            (low / 1.5..high * 10.0).log_scale(),
        )
        .map_err(|e| error(&e))?;
    chart
        .configure_mesh()
        .x_desc("lines in the cart")
        .y_desc("µs per line")
        .x_label_style(("sans-serif", 18))
        .y_label_style(("sans-serif", 18))
        .axis_desc_style(("sans-serif", 22))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| {
            if *y >= 1.0 {
                format!("{y:.0}")
            } else {
                format!("{y:.2}")
            }
        })
        .draw()
        .map_err(|e| error(&e))?;
    for (index, (name, points)) in series.iter().enumerate() {
        let color = Palette99::pick(index).to_rgba();
        // The engine's series solid (Rust thicker), the hand-written PHP ones dashed.
        let hand_written = name.starts_with("PHP") && !name.ends_with("-engine");
        let width = if name.starts_with("Rust") { 3 } else { 2 };
        let style = ShapeStyle::from(color).stroke_width(width);
        let drawn = if hand_written {
            chart.draw_series(DashedLineSeries::new(points.iter().copied(), 10, 6, style))
        } else {
            chart.draw_series(LineSeries::new(points.iter().copied(), style))
        };
        drawn
            .map_err(|e| error(&e))?
            .label(name.as_str())
            .legend(move |(x, y)| {
                let dash = if hand_written { 6 } else { 24 };
                PathElement::new(vec![(x, y), (x + dash, y)], style)
            });
        chart
            .draw_series(
                points
                    .iter()
                    .map(|point| Circle::new(*point, 4, ShapeStyle::from(color).filled())),
            )
            .map_err(|e| error(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 16))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| error(&e))?;
    root.present().map_err(|e| error(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(case: &str, rounds: &[f64]) -> Timing {
        Timing {
            case: case.to_owned(),
            median_us: rounds[rounds.len() / 2],
            low_us: 0.0,
            high_us: 0.0,
            round_medians_us: rounds.to_vec(),
            calls_per_round: 1,
            minor_faults_per_call: None,
            output_bytes: 0,
        }
    }

    #[test]
    fn ratios_are_taken_round_by_round() {
        let a = timing("a", &[200.0, 300.0, 100.0]);
        let b = timing("b", &[100.0, 100.0, 100.0]);
        let r = ratio(&a, &b);
        assert_eq!((r.median, r.low, r.high), (2.0, 1.0, 3.0));
        let d = paired(&a, &b, |a, b| a - b);
        assert_eq!((d.median, d.low, d.high), (100.0, 0.0, 200.0));
    }

    #[test]
    fn flatness_compares_time_per_line_from_ten_lines_on() {
        let sizes = [1, 10, 100, 1000]
            .map(|lines| SizeTimings {
                lines,
                // 50 µs of fixed cost plus 1 µs per line.
                timings: vec![timing("x", &[50.0 + lines as f64])],
            })
            .into_iter()
            .collect::<Vec<_>>();
        let (r, high, low) = flatness(&sizes, "x").expect("figures");
        assert_eq!((high, low), (10, 1000));
        assert!((r - 6.0 / 1.05).abs() < 1e-9, "{r}");
    }

    #[test]
    fn times_read_in_their_unit_with_the_spread_in_the_same_unit() {
        assert_eq!(time(4.25), "4.2 µs");
        assert_eq!(time(412.4), "412 µs");
        assert_eq!(time(41_240.0), "41.2 ms");
        assert_eq!(time_spread(412.4, 398.0, 431.2), "412 µs (398–431)");
        assert_eq!(
            time_spread(41_240.0, 40_000.0, 43_000.0),
            "41.2 ms (40.0–43.0)"
        );
    }

    #[test]
    fn bench_options_are_checked() {
        let args = |list: &[&str]| list.iter().map(|arg| (*arg).to_owned()).collect::<Vec<_>>();
        let options = BenchOptions::parse(&args(&["--seconds-per-size", "2.5", "--rounds", "3"]))
            .expect("options");
        assert_eq!(
            (
                options.seconds_per_size,
                options.rounds,
                options.from_last_run
            ),
            (2.5, 3, false)
        );
        assert!(
            BenchOptions::parse(&args(&["--from-last-run"]))
                .expect("options")
                .from_last_run
        );
        let error = |list: &[&str]| format!("{:#}", BenchOptions::parse(&args(list)).unwrap_err());
        assert_eq!(
            error(&["--bogus"]),
            "unknown option `--bogus`: expected `--seconds-per-size <s>`, `--rounds <n>` or `--from-last-run`"
        );
        assert_eq!(error(&["--rounds"]), "`--rounds` needs a value");
        assert_eq!(
            error(&["--rounds", "0"]),
            "`--rounds`: expected a positive count, found `0`"
        );
    }

    #[test]
    fn large_numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(10_000), "10 000");
        assert_eq!(thousands(1_617_499), "1 617 499");
    }

    #[test]
    fn the_locked_version_is_read_from_cargo_lock() {
        let dir = std::env::temp_dir().join(format!("xtask-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let lock = dir.join("Cargo.lock");
        std::fs::write(
            &lock,
            "[[package]]\nname = \"wasmtime-environ\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"wasmtime\"\nversion = \"48.0.8\"\n",
        )
        .expect("lock");
        assert_eq!(locked_version(&lock, "wasmtime").expect("listed"), "48.0.8");
        assert!(locked_version(&lock, "php").is_err());
    }
}
