<?php

declare(strict_types=1);

// The bundle's tests on Debian's packages (or Composer's vendor/ when installed): the example
// shop's kernel in the `test` environment, its cache in a scratch directory, its database from
// $PUNCHOUT_TEST_DATABASE_URL (run-tests.sh runs the suite on SQLite and on PostgreSQL).

require __DIR__ . '/../autoload.php';

$var = sys_get_temp_dir() . '/punchout-bundle-tests-' . getmypid();
$url = getenv('PUNCHOUT_TEST_DATABASE_URL') ?: "sqlite:///$var/punchout.sqlite";
foreach (['SHELL_VERBOSITY' => '-1', 'APP_ENV' => 'test', 'APP_VAR_DIR' => $var, 'PUNCHOUT_DATABASE_URL' => $url, 'KERNEL_CLASS' => App\Kernel::class] as $name => $value) {
    putenv("$name=$value");
    $_SERVER[$name] = $_ENV[$name] = $value;
}
register_shutdown_function(static function () use ($var): void {
    if (is_dir($var)) {
        exec('rm -rf ' . escapeshellarg($var));
    }
});
