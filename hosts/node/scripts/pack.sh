#!/usr/bin/env bash
# Builds the npm package a Node shop installs: the locked build tools, the component transpiled
# by jco, then `npm pack` into OUT_DIR (default: the workspace's target/dist). Prints the
# tarball's path. The package's version must be the workspace's (`cargo xtask dist` passes it as
# PUNCHOUT_VERSION).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-${CARGO_TARGET_DIR:-$root/target}/dist}
cd "$here"

version=$(node -p 'require("./package.json").version')
if [ -n "${PUNCHOUT_VERSION:-}" ] && [ "$version" != "$PUNCHOUT_VERSION" ]; then
    echo "pack: hosts/node/package.json has version $version, the workspace $PUNCHOUT_VERSION: make them the same" >&2
    exit 1
fi
npm ci --no-audit --no-fund --loglevel=error >&2
npm run --silent build >&2
mkdir -p "$out"
name=$(npm pack --silent --pack-destination "$out")
echo "$out/$name"
