<?php

/*
 * cXML cart return of a 100-line cart (PunchOutOrderMessage + form): the engine through FFI versus
 * plain PHP with DOMDocument (DomPunchOut). Checks that both produce the same documents, then
 * prints the first call in a fresh process and warm calls (mean, median).
 *
 *   php -d ffi.enable=1 bench/bench.php [iterations]
 * Uses $PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT, $PUNCHOUT_PRECOMPILED like the Engine.
 */

declare(strict_types=1);

require __DIR__ . '/../tests/bootstrap.php';

use Punchout\Bench\DomPunchOut;
use Punchout\Cart;
use Punchout\Engine;
use Punchout\Envelope;
use Punchout\Session;
use Punchout\Tests\Fixtures;

const LINES = 100;

function bench_inputs(): array
{
    $catalog = Fixtures::json('catalog.json');
    $lines = [];
    for ($i = 0; $i < LINES; $i++) {
        $product = $catalog['products'][$i % 3];
        $lines[] = [
            'line_ref' => "cart-42:line-" . ($i + 1), 'sku' => $product['sku'] . '-' . $i, 'quantity' => (string) (1 + $i % 7),
            'unit_price' => $product['contract_price'], 'unit' => $product['unit'], 'description' => $product['description'] . " (variant $i)",
            'attributes' => array_map(static fn ($name, $value) => ['name' => $name, 'value' => $value], array_keys($product['attributes']), $product['attributes']),
        ];
    }
    return [
        Fixtures::json('cxml-buyer-profile.json'),
        Fixtures::json('cxml-session.json'),
        ['currency' => 'EUR', 'lines' => $lines, 'shipping' => '5.00'],
        ['payload_id' => '1764061200.1.bench@shop.example.com', 'timestamp' => '2026-11-25T10:00:00+01:00'],
    ];
}

/** One call of one implementation; returns [message, form]. */
function run_once(string $which, ?Engine &$engine): array
{
    static $objects = null;
    [$profile, $session, $cart, $envelope] = bench_inputs_cached();
    if ($which === 'dom') {
        return DomPunchOut::cartReturn($profile, $session, $cart, $envelope);
    }
    $engine ??= new Engine();
    static $compiled = null;
    $compiled ??= $engine->compileProfile($profile, Fixtures::json('demo-secrets.json'));
    $return = $engine->cxmlCartReturn($compiled, Session::fromArray($session), Cart::fromArray($cart), new Envelope($envelope['payload_id'], $envelope['timestamp']));
    return [$return->message, $return->formHtml];
}

function bench_inputs_cached(): array
{
    static $inputs = null;
    return $inputs ??= bench_inputs();
}

// A child process: the first call in a fresh process, in microseconds.
if (($argv[1] ?? '') === '--first') {
    $engine = null;
    $began = hrtime(true);
    run_once($argv[2], $engine);
    $first = (hrtime(true) - $began) / 1e3;
    echo json_encode(['first_us' => $first, 'start' => $engine?->startInfo()]), "\n";
    exit(0);
}

$iterations = (int) ($argv[1] ?? 300);
$engine = null;
[$engineMessage, $engineForm] = run_once('engine', $engine);
[$domMessage, $domForm] = run_once('dom', $engine);
$sameMessage = $engineMessage === $domMessage;
$sameForm = $engineForm === $domForm;
if (!$sameMessage) {
    $a = new DOMDocument();
    $a->loadXML($engineMessage);
    $b = new DOMDocument();
    $b->loadXML($domMessage);
    if ($a->C14N() !== $b->C14N()) {
        file_put_contents('/tmp/bench-engine.xml', $engineMessage);
        file_put_contents('/tmp/bench-dom.xml', $domMessage);
        fwrite(STDERR, "bench: the documents differ (see /tmp/bench-engine.xml, /tmp/bench-dom.xml)\n");
        exit(1);
    }
}
printf("documents: message %d bytes (%s), form %d bytes (%s)\n", strlen($engineMessage), $sameMessage ? 'byte-identical' : 'identical after C14N', strlen($engineForm), $sameForm ? 'byte-identical' : 'DIFFERENT');
if (!$sameForm && $sameMessage) {
    exit(1);
}

$results = [];
foreach (['engine', 'dom'] as $which) {
    $firsts = [];
    for ($i = 0; $i < 5; $i++) {
        $command = [PHP_BINARY, '-d', 'ffi.enable=1', __FILE__, '--first', $which];
        $output = shell_exec(implode(' ', array_map('escapeshellarg', $command)));
        $first = json_decode((string) $output, true) ?? throw new RuntimeException("child failed: $output");
        $firsts[] = $first['first_us'];
        $start = $first['start'];
    }
    sort($firsts);
    $times = [];
    for ($i = 0; $i < $iterations; $i++) {
        $began = hrtime(true);
        run_once($which, $engine);
        $times[] = (hrtime(true) - $began) / 1e3;
    }
    sort($times);
    $results[$which] = [
        'first' => $firsts[2],
        'mean' => array_sum($times) / count($times),
        'median' => $times[intdiv(count($times), 2)],
        'start' => $start ?? null,
    ];
}

printf("%-28s %14s %12s %12s\n", '100-line cXML cart return', 'first call', 'warm mean', 'warm median');
foreach ($results as $which => $result) {
    printf("%-28s %11.0f µs %9.0f µs %9.0f µs\n", $which === 'engine' ? 'engine via FFI' : 'plain PHP DOMDocument', $result['first'], $result['mean'], $result['median']);
}
$start = $results['engine']['start'];
printf("engine start in the first call: %s, %.0f µs (library load + component)\n", $start['source'] ?? '?', $start['start_micros'] ?? 0);
printf("speed-up, warm median: %.2f×; first call: %.2f×\n", $results['dom']['median'] / $results['engine']['median'], $results['dom']['first'] / $results['engine']['first']);
