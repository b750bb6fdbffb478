#!/usr/bin/env bash
# Builds the jar a Java shop puts on its class path: the library's classes, Gson (Debian's
# libgoogle-gson-java, carried inside), the native library for this platform and the engine
# component. OUT_DIR defaults to the workspace's target/dist. Prints the jar's path.
#
#   PROFILE=release bash hosts/java/build.sh [OUT_DIR]    (the default: dev, for the tests)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out=${1:-$target/dist}
profile=${PROFILE:-dev}
component=${PUNCHOUT_COMPONENT:-$target/wasm32-wasip2/release/punchout_plugin.wasm}
gson=/usr/share/java/gson.jar

say() { echo "java-build: $*" >&2; }
[ -f "$component" ] || { say "the component \`$component\` is missing: run \`cargo xtask build\`"; exit 1; }
[ -f "$gson" ] || { say "Gson is missing: apt-get install libgoogle-gson-java"; exit 1; }
version=$(cd "$root" && cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="punchout-jni"))')

cargo build --quiet --profile "$profile" -p punchout-jni --manifest-path "$root/Cargo.toml" >&2
# Cargo's output folder: `dev` builds into debug/, `bench` (as `test` into debug/) into release/.
case "$profile" in dev | test) dir=debug ;; release | bench) dir=release ;; *) dir=$profile ;; esac
library=$target/$dir/libpunchout_jni.so

build=$target/java
rm -rf "$build/classes"
mkdir -p "$build/classes" "$out"
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -cp "$gson" -d "$build/classes" \
    $(find "$here/src/main/java" -name '*.java')
platform=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/os.name/{os=tolower($2)} /os.arch/{arch=$2} END{gsub(/ /,"-",os); print os "-" arch}')
resources=$build/classes/org/punchout/engine
mkdir -p "$resources/native/$platform"
cp "$library" "$resources/native/$platform/libpunchout_jni.so"
cp "$component" "$resources/punchout_plugin.wasm"
# The component precompiled for this library, so that a shop's first call does not compile it.
PUNCHOUT_JNI_LIBRARY="$library" java -cp "$build/classes:$gson" org.punchout.engine.Engine precompile \
    "$component" "$resources/native/$platform/punchout_plugin.cwasm"
# Gson travels inside the jar, so that the jar is the one thing a shop adds.
(cd "$build/classes" && jar xf "$gson" && rm -rf META-INF/MANIFEST.MF META-INF/versions/9/module-info.class module-info.class)
jar="$out/punchout-engine-$version.jar"
jar --create --file "$jar" -C "$build/classes" .
echo "$jar"
