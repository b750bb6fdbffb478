#!/usr/bin/env bash
# The Java host's tests, against the jar as a shop uses it: the jar is built (build.sh: classes,
# Gson, the native library, the component), the JUnit 5 tests are compiled against it alone and
# run with the JUnit console launcher (Debian's junit5).
#
# Assumes `cargo xtask build` already wrote the component. Installs the JDK 17, Gson and JUnit 5
# with apt when root and missing; fails loudly; skips nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}

say() { echo "java-tests: $*" >&2; }
fail() { say "error: $*"; exit 1; }

ensure_file() { # file package
    [ -e "$1" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "\`$1\` is missing; installing Debian package \`$2\`"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2 \
            || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >&2; }
    fi
    [ -e "$1" ] || fail "the Java tests need \`$1\`: apt-get install $2"
}

ensure_file /usr/bin/javac openjdk-17-jdk-headless
ensure_file /usr/share/java/gson.jar libgoogle-gson-java
ensure_file /usr/share/java/junit-platform-console-standalone.jar junit5

say "building the jar"
jar=$(bash "$here/build.sh")
say "built $jar ($(du -k "$jar" | cut -f1) KiB)"

tests=$target/java/test-classes
rm -rf "$tests"
mkdir -p "$tests"
junit=/usr/share/java/junit-platform-console-standalone.jar
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -cp "$jar:$junit" -d "$tests" \
    $(find "$here/src/test/java" "$here/example" -name '*.java')
# The isolation tests start JVMs of their own on the same class path.
PUNCHOUT_SAMPLES="$root/host-example/samples" java -Dpunchout.test.classpath="$jar:$tests" -jar "$junit" \
    --class-path "$jar:$tests" --scan-class-path "$tests" --disable-banner --details=tree --fail-if-no-tests
