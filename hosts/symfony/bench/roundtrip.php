<?php

declare(strict_types=1);

/*
 * How long a full PunchOut round trip takes through the bundle, against the bare PHP package
 * making the same engine calls.
 *
 *   php -d ffi.enable=1 bench/roundtrip.php [ITERATIONS]      (PUNCHOUT_LIBRARY etc. as for the tests)
 *
 * - bundle: the example shop in the `prod` environment under `php -S` (each request a fresh PHP
 *   request, as under PHP-FPM; OPcache on), driven over HTTP: cXML setup → start URL → two
 *   products into the cart (the shop's own pages) → transfer → OrderRequest; SQLite store.
 * - bare: one PHP process calling the engine as the bundle does for the same round trip (profile
 *   compiled once): cxmlIdentify + cxmlSetup, cxmlCartReturn, ordersIdentifyCxmlOrder +
 *   ordersReadCxmlOrder, ordersCheckRedelivery, ordersReconcile, ordersCxmlOrderResponse.
 *
 * Prints the median with the 10th and 90th percentiles and the minimum of each, in milliseconds.
 */

require __DIR__ . '/../autoload.php';

use Punchout\Cart;
use Punchout\CartLine;
use Punchout\Engine;
use Punchout\Envelope;

$iterations = max(5, (int) ($argv[1] ?? 200));
$samples = __DIR__ . '/../../../host-example/samples';
$setupRequest = (string) file_get_contents("$samples/cxml-setup-request.xml");
$orderRequest = (string) file_get_contents("$samples/cxml-order-request.xml");

/** @param list<float> $times */
function summary(array $times): string
{
    sort($times);
    $at = static fn (float $q): float => $times[(int) floor($q * (\count($times) - 1))];
    return sprintf('median %7.2f ms   p10 %7.2f   p90 %7.2f   min %7.2f', $at(0.5), $at(0.1), $at(0.9), $times[0]);
}

// --- bundle, over HTTP ---------------------------------------------------------------------

$scratch = sys_get_temp_dir() . '/punchout-bench-' . getmypid();
mkdir($scratch, 0700, true);
$env = ['APP_ENV' => 'prod', 'APP_VAR_DIR' => "$scratch/var", 'PUNCHOUT_DATABASE_URL' => "sqlite:///$scratch/punchout.sqlite"] + getenv();
$php = [PHP_BINARY, '-d', 'ffi.enable=1', '-d', 'opcache.enable_cli=1', '-d', 'opcache.validate_timestamps=0'];
$console = proc_open([...$php, __DIR__ . '/../example/bin/console', 'punchout:schema:create', '-q'], [1 => STDERR, 2 => STDERR], $pipes, null, $env);
if (proc_close($console) !== 0) {
    fwrite(STDERR, "bench: cannot create the tables\n");
    exit(1);
}
$server = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) explode(':', stream_socket_get_name($server, false))[1];
fclose($server);
$public = __DIR__ . '/../example/public';
$serverProcess = proc_open([...$php, '-S', "127.0.0.1:$port", '-t', $public, "$public/index.php"], [1 => ['file', '/dev/null', 'w'], 2 => ['file', "$scratch/server.log", 'w']], $pipes, null, $env);
register_shutdown_function(static function () use ($serverProcess, $scratch): void {
    proc_terminate($serverProcess);
    proc_close($serverProcess);
    exec('rm -rf ' . escapeshellarg($scratch));
});
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
    usleep(100_000);
}
$base = "http://127.0.0.1:$port";

/** One HTTP exchange with a keep-nothing client; the shop's cookie travels in $cookie. */
function http(string $method, string $url, string $body, string $type, ?string &$cookie): array
{
    $headers = ["Content-Type: $type", 'Connection: close'];
    if ($cookie !== null) {
        $headers[] = "Cookie: $cookie";
    }
    $answer = file_get_contents($url, false, stream_context_create(['http' => ['method' => $method, 'header' => $headers, 'content' => $body, 'follow_location' => 0, 'ignore_errors' => true]]));
    $status = (int) explode(' ', $http_response_header[0] ?? 'HTTP/1.1 0')[1];
    foreach ($http_response_header as $line) {
        if (stripos($line, 'Set-Cookie:') === 0) {
            $cookie = explode(';', trim(substr($line, 11)), 2)[0];
        }
    }
    return [$status, (string) $answer];
}

$steps = ['setup' => [], 'start' => [], 'cart (shop)' => [], 'transfer' => [], 'order' => []];
$bundle = [];
for ($i = -10; $i < $iterations; $i++) {
    $cookie = null;
    $t0 = hrtime(true);
    [$status, $answer] = http('POST', "$base/punchout/cxml/setup", $setupRequest, 'text/xml', $cookie);
    $t1 = hrtime(true);
    if ($status !== 200 || preg_match('#<URL>([^<]+)</URL>#', $answer, $start) !== 1) {
        fwrite(STDERR, "bench: setup answered $status: $answer\n" . file_get_contents("$scratch/server.log"));
        exit(1);
    }
    [$status] = http('GET', html_entity_decode($start[1]), '', 'text/plain', $cookie);
    $t2 = hrtime(true);
    http('POST', "$base/cart/add", 'sku=ABC-123&quantity=10', 'application/x-www-form-urlencoded', $cookie);
    http('POST', "$base/cart/add", 'sku=TON-9000&quantity=2', 'application/x-www-form-urlencoded', $cookie);
    $t3 = hrtime(true);
    [$status, $form] = http('POST', "$base/punchout/transfer", '', 'application/x-www-form-urlencoded', $cookie);
    $t4 = hrtime(true);
    if ($status !== 200 || preg_match('#cart-(\d+):line-1#', urldecode($form), $cart) !== 1) {
        fwrite(STDERR, "bench: transfer answered $status\n");
        exit(1);
    }
    // A fresh order per round trip (its own orderID), quoting this cart's line refs.
    $order = str_replace(['cart-9:', 'PO-2026-4711', '1764148800.1.demo@'], ["cart-{$cart[1]}:", "PO-B-$i", "1764148800.$i.bench@"], $orderRequest);
    [$status, $answer] = http('POST', "$base/punchout/cxml/order", $order, 'text/xml', $cookie);
    $t5 = hrtime(true);
    if ($status !== 200 || !str_contains($answer, '<Status code="200"')) {
        fwrite(STDERR, "bench: order answered $status: $answer\n");
        exit(1);
    }
    if ($i >= 0) {
        $bundle[] = ($t5 - $t0) / 1e6;
        $steps['setup'][] = ($t1 - $t0) / 1e6;
        $steps['start'][] = ($t2 - $t1) / 1e6;
        $steps['cart (shop)'][] = ($t3 - $t2) / 1e6;
        $steps['transfer'][] = ($t4 - $t3) / 1e6;
        $steps['order'][] = ($t5 - $t4) / 1e6;
    }
}

// --- bare PHP package, in process ------------------------------------------------------------

$engine = new Engine();
$profile = $engine->compileProfileFile("$samples/cxml-buyer-profile.json", ['ACME_ARIBA_SHARED_SECRET' => 's3cr3t']);
$catalog = array_column(json_decode((string) file_get_contents("$samples/catalog.json"), true)['products'], null, 'sku');
$bare = [];
$compile = [];
for ($i = -10; $i < $iterations; $i++) {
    $t0 = hrtime(true);
    $buyer = $engine->cxmlIdentify([$profile], $setupRequest);
    $accepted = $engine->cxmlSetup($buyer, $setupRequest, 'https://shop.example.com/punchout/start/' . bin2hex(random_bytes(32)), Envelope::generate());
    $session = $accepted->session->toArray();
    $lines = [];
    foreach (['ABC-123' => '10', 'TON-9000' => '2'] as $sku => $quantity) {
        $product = $catalog[$sku];
        $lines[] = new CartLine("cart-$i:line-" . (\count($lines) + 1), $sku, $quantity, $product['contract_price'], $product['unit'], $product['description'], $product['attributes']);
    }
    $cart = new Cart('EUR', $lines, '5.00');
    $engine->cxmlCartReturn($profile, $session, $cart, Envelope::generate());
    $document = str_replace(['cart-9:', 'PO-2026-4711', '1764148800.1.demo@'], ["cart-$i:", "PO-B-$i", "1764148800.$i.bench@"], $orderRequest);
    $buyer = $engine->ordersIdentifyCxmlOrder([$profile], $document);
    $order = $engine->ordersReadCxmlOrder($buyer, $document);
    $engine->ordersCheckRedelivery($order, []);
    $engine->ordersReconcile($profile, $order, $cart, $session);
    $engine->ordersCxmlOrderResponse(Envelope::generate());
    $t1 = hrtime(true);
    $engine->compileProfileFile("$samples/cxml-buyer-profile.json", ['ACME_ARIBA_SHARED_SECRET' => 's3cr3t']);
    $engine->compileProfileFile("$samples/oci-buyer-profile.json", ['ACME_SRM_OCI_PASSWORD' => 'oci-p4ss']);
    $t2 = hrtime(true);
    if ($i >= 0) {
        $bare[] = ($t1 - $t0) / 1e6;
        $compile[] = ($t2 - $t1) / 1e6;
    }
}

printf("PunchOut round trip (setup → start → cart → transfer → order), %d iterations, library %s\n", $iterations, basename(dirname((string) (getenv('PUNCHOUT_LIBRARY') ?: 'packaged/x'))));
printf("  bundle over HTTP (php -S, prod, SQLite) %s\n", summary($bundle));
foreach ($steps as $step => $times) {
    printf("    %-14s %s\n", $step, summary($times));
}
printf("  bare PHP package, same engine calls   %s\n", summary($bare));
printf("    (compiling the example's two profiles, which the bundle does once per request that needs them: %s)\n", summary($compile));
