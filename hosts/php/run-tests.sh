#!/usr/bin/env bash
# The PHP host's tests: builds the native library (punchout-ffi, dev profile) and the precompiled
# component, checks PHP (installing php-cli, php-xml and phpunit with apt when root and missing),
# then runs PHPUnit and the example shop's scripted round trip.
#
# Assumes `cargo xtask build` already wrote target/wasm32-wasip2/release/punchout_plugin.wasm.
# Sets every variable the PHP tests read (PUNCHOUT_LIBRARY, _COMPONENT, _PRECOMPILED, _SAMPLES);
# a test that lacks one fails, it is never skipped. PHPUnit and the example shop run under
# `ulimit -v 1000000`.
# Idempotent; fails loudly; skips nothing. Environment: CARGO_TARGET_DIR (default: the
# workspace's target/), PUNCHOUT_BENCH=1 to run the benchmark too.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
wasm=$target/wasm32-wasip2/release/punchout_plugin.wasm

say() { echo "php-tests: $*" >&2; }
fail() { say "error: $*"; exit 1; }

ensure_package() { # program package
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "\`$1\` is missing; installing Debian package \`$2\`"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
            || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; }
    fi
    command -v "$1" >/dev/null 2>&1 || fail "the PHP tests need \`$1\`: apt-get install $2"
}

has_module() { local modules; modules=$(php -m); grep -qix "$1" <<<"$modules"; }

ensure_module() { # module package
    has_module "$1" && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "PHP module \`$1\` is missing; installing Debian package \`$2\`"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
            || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; }
    fi
    has_module "$1" || fail "the PHP tests need the PHP module \`$1\`: apt-get install $2"
}

[ -f "$wasm" ] || fail "no engine component at $wasm: run \`cargo xtask build\` first"
ensure_package php php-cli
ensure_module FFI php-cli
ensure_module dom php-xml
ensure_package phpunit phpunit
php -r 'exit(PHP_VERSION_ID >= 80200 ? 0 : 1);' || fail "PHP 8.2 or newer is needed, found $(php -r 'echo PHP_VERSION;')"

say "building the native library (cargo build -p punchout-ffi)"
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet -p punchout-ffi)

export PUNCHOUT_LIBRARY=$target/debug/libpunchout_ffi.so
export PUNCHOUT_COMPONENT=$wasm
export PUNCHOUT_PRECOMPILED=$target/debug/punchout_plugin.cwasm
export PUNCHOUT_SAMPLES=$root/host-example/samples
[ -f "$PUNCHOUT_LIBRARY" ] || fail "no native library at $PUNCHOUT_LIBRARY"

# FFI on for the CLI (Debian's default ffi.enable=preload also allows it in the CLI; be explicit).
php_() { php -d ffi.enable=1 "$@"; }

# Precompiled code depends on the memory layout the engine can reserve (guard regions without an
# address-space limit, bounds checks under one), so it is compiled under the limit the tests run
# under, as a deployment precompiles under its workers' limit.
say "precompiling the component (under ulimit -v 1000000, as the tests run)"
(ulimit -v 1000000 && php_ "$here/bin/punchout-precompile" "$PUNCHOUT_COMPONENT" "$PUNCHOUT_PRECOMPILED")

# Under an address-space limit, as PHP-FPM pools and containers set one: the engine reserves
# address space for its memory cap, not 4 GiB per instance. The whole suite runs under 1 GB.
say "PHPUnit under ulimit -v 1000000 (1 GB of address space)"
(cd "$here" && ulimit -v 1000000 && php_ "$(command -v phpunit)" --configuration phpunit.xml)

say "the engine's OCI form against an independent plain-PHP one, byte for byte"
php_ "$here/bench/oci-check.php"

say "example shop round trip (under the same limit)"
(ulimit -v 1000000 && php_ "$here/example/roundtrip.php")

say "the Composer package, installed into a scratch project, with no PUNCHOUT_* variable"
ensure_package composer composer
ensure_module zip php-zip
zip=$(bash "$here/pack.sh")
say "built $zip ($(du -k "$zip" | cut -f1) KiB)"
bash "$here/package-test.sh" "$zip"

if [ "${PUNCHOUT_BENCH:-0}" = 1 ]; then
    say "benchmark"
    php_ "$here/bench/bench.php"
fi
say "ok"
