#!/usr/bin/env bash
# The Symfony bundle's tests: WebTestCase / KernelBrowser over the example shop, on SQLite and on
# PostgreSQL (a throwaway cluster on loopback, stopped on exit), on Debian's php-symfony-* and
# php-doctrine-dbal packages (installed with apt when root and missing; Packagist is not needed).
# Then the example shop under `php -S`, driven through a round trip with curl-like requests.
#
# Assumes `cargo xtask build` already wrote target/wasm32-wasip2/release/punchout_plugin.wasm;
# builds the native library (punchout-ffi, dev profile) and the precompiled component.
# Idempotent; fails loudly; skips nothing. Environment: CARGO_TARGET_DIR (default: the workspace's
# target/), PUNCHOUT_BENCH=1 to run bench/roundtrip.php too.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
wasm=$target/wasm32-wasip2/release/punchout_plugin.wasm

say() { echo "symfony-tests: $*" >&2; }
fail() { say "error: $*"; exit 1; }

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; }
}

ensure_path() { # file package
    [ -e "$1" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "\`$1\` is missing; installing Debian package \`$2\`"
        apt_install "$2"
    fi
    [ -e "$1" ] || fail "the Symfony bundle's tests need \`$1\`: apt-get install $2"
}

has_module() { local modules; modules=$(php -m); grep -qix "$1" <<<"$modules"; }

ensure_module() { # module package
    has_module "$1" && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "PHP module \`$1\` is missing; installing Debian package \`$2\`"
        apt_install "$2"
    fi
    has_module "$1" || fail "the Symfony bundle's tests need the PHP module \`$1\`: apt-get install $2"
}

[ -f "$wasm" ] || fail "no engine component at $wasm: run \`cargo xtask build\` first"
ensure_path /usr/bin/php php-cli
ensure_module FFI php-cli
ensure_module dom php-xml
ensure_path /usr/bin/phpunit phpunit
php -r 'exit(PHP_VERSION_ID >= 80200 ? 0 : 1);' || fail "PHP 8.2 or newer is needed, found $(php -r 'echo PHP_VERSION;')"
share=/usr/share/php
ensure_path $share/Symfony/Bundle/FrameworkBundle/autoload.php php-symfony-framework-bundle
ensure_path $share/Symfony/Component/Console/autoload.php php-symfony-console
ensure_path $share/Symfony/Component/Translation/autoload.php php-symfony-translation
ensure_path $share/Symfony/Component/Yaml/autoload.php php-symfony-yaml
ensure_path $share/Symfony/Component/BrowserKit/autoload.php php-symfony-browser-kit
ensure_path $share/Symfony/Component/DomCrawler/autoload.php php-symfony-dom-crawler
ensure_path $share/Symfony/Component/CssSelector/autoload.php php-symfony-css-selector
ensure_path $share/Doctrine/DBAL/autoload.php php-doctrine-dbal
ensure_path $share/Psr/Log/autoload.php php-psr-log
ensure_module pdo_sqlite php-sqlite3
ensure_module pdo_pgsql php-pgsql
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$pgbin" ] || ensure_path /usr/lib/postgresql postgresql
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || fail "no initdb in $pgbin: apt-get install postgresql"

say "building the native library (cargo build -p punchout-ffi)"
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet -p punchout-ffi)
export PUNCHOUT_LIBRARY=$target/debug/libpunchout_ffi.so
export PUNCHOUT_COMPONENT=$wasm
export PUNCHOUT_PRECOMPILED=$target/debug/punchout_plugin.symfony.cwasm
[ -f "$PUNCHOUT_LIBRARY" ] || fail "no native library at $PUNCHOUT_LIBRARY"
php_() { php -d ffi.enable=1 -d memory_limit=512M "$@"; }
say "precompiling the component"
php_ "$root/hosts/php/bin/punchout-precompile" "$PUNCHOUT_COMPONENT" "$PUNCHOUT_PRECOMPILED" >/dev/null

scratch=$(mktemp -d "${TMPDIR:-/tmp}/punchout-symfony.XXXXXX")
chmod 755 "$scratch"
pgdata=$scratch/pg
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    if [ -f "$pgdata/postmaster.pid" ]; then
        as_pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: the cluster belongs to `postgres` when we are root.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

say "PHPUnit on SQLite"
(cd "$here" && PUNCHOUT_TEST_DATABASE_URL= php_ "$(command -v phpunit)" --configuration phpunit.xml)

say "starting a throwaway PostgreSQL ($pgbin) on 127.0.0.1"
mkdir -p "$pgdata"
[ "$(id -u)" = 0 ] && chown postgres "$pgdata"
as_pg "$pgbin/initdb" -D "$pgdata" -U punchout --auth=trust --no-sync -E UTF8 >/dev/null
port=$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
as_pg "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/log" -o "-k $pgdata -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || { cat "$pgdata/log" >&2; fail "PostgreSQL did not start"; }
as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U punchout punchout

say "PHPUnit on PostgreSQL (port $port)"
(cd "$here" && PUNCHOUT_TEST_DATABASE_URL="postgresql://punchout@127.0.0.1:$port/punchout?serverVersion=15&charset=utf8" \
    php_ "$(command -v phpunit)" --configuration phpunit.xml)

say "the example shop under php -S: a cXML round trip and an OCI call-up over real HTTP"
export APP_ENV=prod APP_VAR_DIR=$scratch/example-var PUNCHOUT_DATABASE_URL="sqlite:///$scratch/example.sqlite"
php_ "$here/example/bin/console" punchout:schema:create >&2
http_port=$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
php_ -S "127.0.0.1:$http_port" -t "$here/example/public" "$here/example/public/index.php" >"$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    php -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$http_port" && break
    sleep 0.1
done
php_ "$here/example/smoke.php" "http://127.0.0.1:$http_port" || { cat "$scratch/server.log" >&2; fail "the example shop's round trip failed"; }

if [ "${PUNCHOUT_BENCH:-0}" = 1 ]; then
    say "benchmark"
    PUNCHOUT_TEST_DATABASE_URL= php_ "$here/bench/roundtrip.php"
fi
say "ok"
