#!/usr/bin/env bash
# Runs one fuzz target with its options file: copies its seeds into corpus/TARGET, then
#   cargo +nightly fuzz run TARGET corpus/TARGET -- -max_len=… -dict=… -timeout=… -rss_limit_mb=…
# Usage: fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags…]   (default 300 s)
# PUNCHOUT_FUZZ_SKIP=hook-url-names,… sets aside the invariants of open findings (src/lib.rs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${1:?usage: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags]}"
seconds="${2:-300}"
shift $(( $# >= 2 ? 2 : 1 ))
options="$here/options/$target.options"
[ -f "$options" ] || { echo "no options file $options" >&2; exit 2; }
value() { sed -n "s/^$1 *= *//p" "$options" | head -1; }

corpus="$here/corpus/$target"
mkdir -p "$corpus"
for pattern in $(value seeds); do
  for file in "$root"/$pattern; do
    [ -f "$file" ] && cp "$file" "$corpus/seed-$(basename "$(dirname "$file")")-$(basename "$file")"
  done
done

cd "$here"
exec cargo +nightly fuzz run "$target" "$corpus" -- \
  -max_len="$(value max_len)" -dict="$here/$(value dict)" -timeout="$(value timeout)" \
  -rss_limit_mb="$(value rss_limit_mb)" -max_total_time="$seconds" -print_final_stats=1 "$@"
