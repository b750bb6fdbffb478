<?php

declare(strict_types=1);

// The example shop's front controller:  php -S 127.0.0.1:8080 -t example/public example/public/index.php

use App\Kernel;
use Symfony\Component\HttpFoundation\Request;

require __DIR__ . '/../../autoload.php';

$env = $_SERVER['APP_ENV'] ?? getenv('APP_ENV') ?: 'dev';
$kernel = new Kernel($env, $env === 'dev');
$request = Request::createFromGlobals();
$response = $kernel->handle($request);
$response->send();
$kernel->terminate($request, $response);
