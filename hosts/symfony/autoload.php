<?php

declare(strict_types=1);

/*
 * Class loading without Composer, on Debian's packages (php-symfony-*, php-doctrine-dbal under
 * /usr/share/php): what the tests, the example shop and the benchmark use on a machine without
 * Packagist. With `composer install` (example/composer.json), vendor/autoload.php is used instead.
 */

$vendor = __DIR__ . '/example/vendor/autoload.php';
if (is_file($vendor)) {
    require_once $vendor;
    return;
}

foreach ([
    'Symfony/Bundle/FrameworkBundle/autoload.php',
    'Symfony/Component/Console/autoload.php',
    'Symfony/Component/Translation/autoload.php',
    'Symfony/Component/Yaml/autoload.php',
    'Symfony/Component/BrowserKit/autoload.php',
    'Symfony/Component/DomCrawler/autoload.php',
    'Symfony/Component/CssSelector/autoload.php',
    'Doctrine/DBAL/autoload.php',
    'Psr/Log/autoload.php',
] as $file) {
    $path = '/usr/share/php/' . $file;
    if (!is_file($path)) {
        fwrite(STDERR, "punchout-bundle: missing $path (apt-get install php-symfony-framework-bundle php-symfony-console php-symfony-translation php-symfony-yaml php-symfony-browser-kit php-symfony-dom-crawler php-symfony-css-selector php-doctrine-dbal php-psr-log)\n");
        exit(1);
    }
    require_once $path;
}

require_once __DIR__ . '/../php/src/autoload.php';

spl_autoload_register(static function (string $class): void {
    foreach ([
        'Punchout\\Bundle\\Tests\\' => __DIR__ . '/tests/',
        'Punchout\\Bundle\\' => __DIR__ . '/src/',
        'App\\' => __DIR__ . '/example/src/',
    ] as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, \strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
