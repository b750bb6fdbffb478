<?php

declare(strict_types=1);

// PSR-4 autoloading of Punchout\ for projects without Composer: require this file once.
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Punchout\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, \strlen('Punchout\\'))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
