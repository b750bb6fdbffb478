//! `punchout`: the PunchOut engine on the command line, run through the WebAssembly component
//! (or natively with `--native`, to compare).
//!
//! Exit codes: 0 success; 1 the input was refused — by the engine or before it reached the engine
//! (a bad profile, cart, session or secrets file): the typed error as JSON on stdout, one readable
//! line on stderr; 2 usage error; 3 the engine or the host failed. A closed stdout (`| head`)
//! ends the command quietly.
//!
//! The commands are in [`cli`], one module per WIT interface; the demo's round trips in [`demo`].

use std::process::ExitCode;

/// `println!` that returns a write error instead of panicking on a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

mod cli;
mod demo;

fn main() -> ExitCode {
    cli::main()
}
