<?php

declare(strict_types=1);

// PSR-4 autoloading without Composer (Composer users get the same from composer.json).
spl_autoload_register(static function (string $class): void {
    foreach (['Punchout\\Tests\\' => __DIR__ . '/', 'Punchout\\Bench\\' => __DIR__ . '/../bench/', 'Punchout\\' => __DIR__ . '/../src/'] as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, \strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
