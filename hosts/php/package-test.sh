#!/usr/bin/env bash
# The Composer package as a shop installs it: `composer install` from the zip (an `artifact`
# repository, no Packagist) into a scratch project, then the PHPUnit suite and a start check
# against it with no PUNCHOUT_* variable: the package finds its library and its precompiled
# component itself.
#
#   bash hosts/php/package-test.sh ZIP
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
zip=$1
scratch=$(mktemp -d "${TMPDIR:-/tmp}/punchout-php-shop.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
version=$(basename "$zip" .zip | sed 's/^punchout-engine-php-//')
cat > composer.json <<JSON
{
    "name": "scratch/shop",
    "require": { "punchout/engine": "$version" },
    "repositories": [
        { "type": "artifact", "url": "$(dirname "$zip")" },
        { "packagist.org": false }
    ]
}
JSON
COMPOSER_ALLOW_SUPERUSER=1 composer install --no-interaction --no-progress --quiet
cat > bootstrap.php <<'PHP'
<?php

declare(strict_types=1);

// The installed package through Composer's autoloader; the tests from the repository.
require __DIR__ . '/vendor/autoload.php';
spl_autoload_register(static function (string $class): void {
    $prefix = 'Punchout\\Tests\\';
    if (str_starts_with($class, $prefix)) {
        $file = getenv('PUNCHOUT_PHP_TESTS') . '/' . str_replace('\\', '/', substr($class, \strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
PHP
sed -e 's#bootstrap="tests/bootstrap.php"#bootstrap="bootstrap.php"#' \
    -e "s#<directory>tests</directory>#<directory>$here/tests</directory>#" "$here/phpunit.xml" > phpunit.xml
unset PUNCHOUT_LIBRARY PUNCHOUT_COMPONENT PUNCHOUT_PRECOMPILED
export PUNCHOUT_SAMPLES=$root/host-example/samples PUNCHOUT_PHP_TESTS=$here/tests
php -d ffi.enable=1 -r '
    require "vendor/autoload.php";
    $info = (new Punchout\Engine())->startInfo();
    $vendor = realpath("vendor/punchout/engine/lib");
    if ($info["source"] !== "precompiled" || !str_starts_with(realpath($info["config"]["precompiled"]), $vendor)) {
        fwrite(STDERR, "the installed package did not start from its own precompiled component: " . json_encode($info) . "\n");
        exit(1);
    }
    echo "php-package: the installed package started from {$info["config"]["precompiled"]} in {$info["start_micros"]} µs\n";
'
php -d ffi.enable=1 "$(command -v phpunit)" --configuration phpunit.xml
