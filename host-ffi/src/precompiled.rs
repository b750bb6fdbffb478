//! Precompiled components: the host library's [`punchout_host::precompiled`], re-exported so that
//! the C ABI and the library share one loader (and one `unsafe` block).

pub use punchout_host::precompiled::*;
