#!/usr/bin/env bash
# The Node host's tests, against the package as a shop installs it: the npm tarball is built
# (scripts/pack.sh: locked packages, the component transpiled by jco), its TypeScript
# declarations checked with tsc, then installed into a clean scratch project where node:test runs
# the API, the limits and the example shop over HTTP.
#
# Assumes `cargo xtask build` already wrote target/wasm32-wasip2/release/punchout_plugin.wasm
# (or PUNCHOUT_COMPONENT names the component). Installs Node.js and npm with apt when root and
# missing; fails loudly; skips nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export PUNCHOUT_COMPONENT=${PUNCHOUT_COMPONENT:-${CARGO_TARGET_DIR:-$root/target}/wasm32-wasip2/release/punchout_plugin.wasm}

say() { echo "node-tests: $*" >&2; }
fail() { say "error: $*"; exit 1; }

ensure_package() { # program package
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "\`$1\` is missing; installing Debian package \`$2\`"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
            || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; }
    fi
    command -v "$1" >/dev/null 2>&1 || fail "the Node tests need \`$1\`: apt-get install $2"
}

ensure_package node nodejs
ensure_package npm npm
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || fail "the Node host needs Node.js 18 or later, found $(node --version)"
[ -f "$PUNCHOUT_COMPONENT" ] || fail "the component \`$PUNCHOUT_COMPONENT\` is missing: run \`cargo xtask build\` first"

say "building the package"
tarball=$(bash "$here/scripts/pack.sh")
say "built $tarball ($(du -k "$tarball" | cut -f1) KiB)"
say "checking the TypeScript declarations"
(cd "$here" && npx --no-install tsc -p tsconfig.json)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/punchout-node-shop.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
say "installing it into a scratch project ($scratch)"
cd "$scratch"
echo '{"name": "scratch-shop", "private": true, "type": "module"}' > package.json
npm install --no-audit --no-fund --loglevel=error "$tarball"
cp -r "$here/test" "$here/example" .
PUNCHOUT_SAMPLES="$root/host-example/samples" node --test test/*.test.js
