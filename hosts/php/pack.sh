#!/usr/bin/env bash
# Builds the Composer package a PHP shop installs: src/, bin/, and in lib/ the native library for
# this platform, the engine component and the component precompiled for that library, with the
# workspace's version; zipped into OUT_DIR (default: the workspace's target/dist) for a Composer
# `artifact` repository. Prints the zip's path.
#
#   PROFILE=bench bash hosts/php/pack.sh [OUT_DIR]    (the default profile: dev, for the tests)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out=${1:-$target/dist}
profile=${PROFILE:-dev}
component=${PUNCHOUT_COMPONENT:-$target/wasm32-wasip2/release/punchout_plugin.wasm}
[ -f "$component" ] || { echo "pack: the component \`$component\` is missing: run \`cargo xtask build\`" >&2; exit 1; }

version=$(cd "$root" && cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="punchout-ffi"))')
(cd "$root" && cargo build --quiet --profile "$profile" -p punchout-ffi >&2)
# Cargo's output folder: `dev` builds into debug/, `bench` (as `test` into debug/) into release/.
case "$profile" in dev | test) dir=debug ;; release | bench) dir=release ;; *) dir=$profile ;; esac
platform=$(php -r 'echo strtolower(PHP_OS_FAMILY) . "-" . php_uname("m");')

stage=$target/php-package/punchout-engine
rm -rf "$stage"
mkdir -p "$stage/lib/$platform" "$out"
cp -r "$here/src" "$here/bin" "$here/README.md" "$stage/"
cp "$target/$dir/libpunchout_ffi.so" "$stage/lib/$platform/"
cp "$component" "$stage/lib/punchout_plugin.wasm"
# The package's composer.json: the repository's, with its version and without the development parts.
php -r '
    $c = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
    $c["version"] = $argv[2];
    unset($c["require-dev"], $c["autoload-dev"], $c["scripts"]);
    file_put_contents($argv[3], json_encode($c, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
' "$here/composer.json" "$version" "$stage/composer.json"
# Precompiled with the packaged library, so that a shop's first request does not compile it.
PUNCHOUT_LIBRARY="$stage/lib/$platform/libpunchout_ffi.so" php -d ffi.enable=1 "$stage/bin/punchout-precompile" \
    "$stage/lib/punchout_plugin.wasm" "$stage/lib/$platform/punchout_plugin.cwasm" >&2
zip="$out/punchout-engine-php-$version.zip"
rm -f "$zip"
python3 -c 'import shutil, sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2], "punchout-engine")' "$zip" "$(dirname "$stage")"
echo "$zip"
