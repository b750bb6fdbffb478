#!/usr/bin/env bash
# Starts the example shop on http://127.0.0.1:${PORT:-8080} (php -S), with its two buyers
# (acme-ariba by cXML, acme-srm by OCI). Uses the engine built in this checkout unless the
# PUNCHOUT_* variables say otherwise; creates the SQLite tables in example/var/ on first start.
#
#   cargo xtask build && cargo build -p punchout-ffi     # once: the component and the library
#   hosts/symfony/example/serve.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
export PUNCHOUT_LIBRARY=${PUNCHOUT_LIBRARY:-$target/debug/libpunchout_ffi.so}
export PUNCHOUT_COMPONENT=${PUNCHOUT_COMPONENT:-$target/wasm32-wasip2/release/punchout_plugin.wasm}
export APP_ENV=${APP_ENV:-dev}
for file in "$PUNCHOUT_LIBRARY" "$PUNCHOUT_COMPONENT"; do
    [ -f "$file" ] || { echo "example shop: missing $file (cargo xtask build && cargo build -p punchout-ffi)" >&2; exit 1; }
done
if [ -z "${PUNCHOUT_PRECOMPILED:-}" ]; then
    export PUNCHOUT_PRECOMPILED=$here/var/punchout_plugin.cwasm
    mkdir -p "$here/var"
    [ -f "$PUNCHOUT_PRECOMPILED" ] || php -d ffi.enable=1 "$root/hosts/php/bin/punchout-precompile" "$PUNCHOUT_COMPONENT" "$PUNCHOUT_PRECOMPILED" >&2
fi
php -d ffi.enable=1 "$here/bin/console" punchout:schema:create
echo "example shop: http://127.0.0.1:${PORT:-8080}/ (cXML setup: POST /punchout/cxml/setup, OCI call-up: /punchout/oci/acme-srm)" >&2
exec php -d ffi.enable=1 -S "127.0.0.1:${PORT:-8080}" -t "$here/public" "$here/public/index.php"
