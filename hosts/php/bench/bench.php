<?php

/*
 * A 100-line cart returned both ways, the engine through FFI versus plain PHP:
 *   cXML: PunchOutOrderMessage + form (engine) vs DOMDocument (DomPunchOut);
 *   OCI:  the Latin-1 NEW_ITEM-* form for SAP SRM (engine) vs string building (PlainOciForm).
 * Checks first that both sides produce the same documents byte for byte, then prints, per case,
 * the first call in a fresh process (the median of 5 processes) and warm calls (mean, median;
 * the cases interleaved call by call).
 * The engine is called with the cart as arrays (the shape the plain-PHP side gets too) and, for
 * cXML, also with the value objects (Cart, Session).
 *
 *   php -d ffi.enable=1 bench/bench.php [iterations]
 * Uses $PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT, $PUNCHOUT_PRECOMPILED like the Engine.
 */

declare(strict_types=1);

require __DIR__ . '/../tests/bootstrap.php';

use Punchout\Bench\BenchCart;
use Punchout\Bench\DomPunchOut;
use Punchout\Bench\PlainOciForm;
use Punchout\BuyerProfile;
use Punchout\Cart;
use Punchout\Engine;
use Punchout\Envelope;
use Punchout\Session;
use Punchout\Tests\Fixtures;

const LINES = 100;

/** What a case does once: returns its documents. */
const CASES = [
    'cxml-engine' => 'cXML, engine (arrays)',
    'cxml-engine-objects' => 'cXML, engine (value objects)',
    'cxml-dom' => 'cXML, plain PHP DOMDocument',
    'oci-engine' => 'OCI, engine (arrays)',
    'oci-plain' => 'OCI, plain PHP strings',
];

/** Which cases must agree, and the speed-ups reported. */
const PAIRS = [
    ['cxml-engine', 'cxml-dom'],
    ['cxml-engine-objects', 'cxml-dom'],
    ['oci-engine', 'oci-plain'],
];

function inputs(): array
{
    static $inputs = null;
    if ($inputs !== null) {
        return $inputs;
    }
    return $inputs = [
        'cxml_profile' => Fixtures::json('cxml-buyer-profile.json'),
        'cxml_session' => Fixtures::json('cxml-session.json'),
        'oci_profile' => Fixtures::json('oci-buyer-profile.json'),
        'cart' => BenchCart::build(LINES),
        'envelope' => ['payload_id' => '1764061200.1.bench@shop.example.com', 'timestamp' => '2026-11-25T10:00:00+01:00'],
    ];
}

/** The engine and the compiled profiles, once per process (as a PHP-FPM worker keeps them). */
function engine(): array
{
    static $engine = null;
    if ($engine !== null) {
        return $engine;
    }
    $inputs = inputs();
    $started = new Engine();
    $cxml = $started->compileProfile($inputs['cxml_profile'], Fixtures::json('demo-secrets.json'));
    $oci = $started->compileProfile($inputs['oci_profile'], Fixtures::json('oci-secrets.json'));
    $session = $started->call('oci-call-up', ['profile_id' => $oci->id, 'call_up' => trim(Fixtures::read('oci-call-up.txt'))])['session'];
    return $engine = [$started, $cxml, $oci, $session];
}

/** @return list<string> the case's documents */
function run_once(string $case): array
{
    $inputs = inputs();
    $envelope = $inputs['envelope'];
    switch ($case) {
        case 'cxml-dom':
            return DomPunchOut::cartReturn($inputs['cxml_profile'], $inputs['cxml_session'], $inputs['cart'], $envelope);
        case 'oci-plain':
            $session = engine()[3];
            return [PlainOciForm::cartForm($inputs['oci_profile'], $session, $inputs['cart'])['body']];
    }
    /** @var Engine $engine */
    [$engine, $cxml, $oci, $ociSession] = engine();
    return match ($case) {
        'cxml-engine' => cxml_return($engine, $cxml, $inputs['cxml_session'], $inputs['cart'], $envelope),
        'cxml-engine-objects' => cxml_return($engine, $cxml, Session::fromArray($inputs['cxml_session']), Cart::fromArray($inputs['cart']), $envelope),
        'oci-engine' => [$engine->call('oci-cart-form', ['profile_id' => $oci->id, 'session' => $ociSession, 'cart' => $inputs['cart']])['body']],
    };
}

function cxml_return(Engine $engine, BuyerProfile $profile, Session|array $session, Cart|array $cart, array $envelope): array
{
    $return = $engine->cxmlCartReturn($profile, $session, $cart, new Envelope($envelope['payload_id'], $envelope['timestamp']));
    return [$return->message, $return->formHtml];
}

// A child process: the first call in a fresh process, in microseconds. The engine's start
// (library, precompiled component, profiles) is timed apart: under PHP-FPM it happens once per
// worker, before its first request.
if (($argv[1] ?? '') === '--first') {
    $case = $argv[2];
    inputs();
    $began = hrtime(true);
    $start = null;
    if (str_contains($case, 'engine')) {
        engine();
        $start = (hrtime(true) - $began) / 1e3;
    } elseif (str_starts_with($case, 'oci')) {
        engine(); // the plain side needs a session from a call-up too; not timed
    }
    $began = hrtime(true);
    run_once($case);
    echo json_encode(['first_us' => (hrtime(true) - $began) / 1e3, 'start_us' => $start]), "\n";
    exit(0);
}

$iterations = (int) ($argv[1] ?? 300);
$documents = [];
foreach (array_keys(CASES) as $case) {
    $documents[$case] = run_once($case);
}
foreach (PAIRS as [$engineCase, $plainCase]) {
    foreach ($documents[$engineCase] as $index => $document) {
        if ($document !== $documents[$plainCase][$index]) {
            file_put_contents("/tmp/bench-$engineCase-$index", $document);
            file_put_contents("/tmp/bench-$plainCase-$index", $documents[$plainCase][$index]);
            fwrite(STDERR, "bench: $engineCase and $plainCase differ (see /tmp/bench-$engineCase-$index, /tmp/bench-$plainCase-$index)\n");
            exit(1);
        }
    }
}
printf(
    "documents byte-identical: cXML message %d bytes, form %d bytes; OCI form %d bytes\n",
    \strlen($documents['cxml-engine'][0]),
    \strlen($documents['cxml-engine'][1]),
    \strlen($documents['oci-engine'][0]),
);

// First calls: one fresh process per sample.
$results = [];
foreach (array_keys(CASES) as $case) {
    $firsts = [];
    $starts = [];
    for ($i = 0; $i < 5; $i++) {
        $command = [PHP_BINARY, '-d', 'ffi.enable=1', __FILE__, '--first', $case];
        $output = shell_exec(implode(' ', array_map('escapeshellarg', $command)));
        $first = json_decode((string) $output, true) ?? throw new RuntimeException("child failed: $output");
        $firsts[] = $first['first_us'];
        $starts[] = $first['start_us'];
    }
    sort($firsts);
    sort($starts);
    $results[$case] = ['first' => $firsts[2], 'start' => $starts[2]];
}

// Warm calls, the cases interleaved call by call, so that a noisy neighbour slows them alike.
$times = array_fill_keys(array_keys(CASES), []);
for ($i = 0; $i < $iterations; $i++) {
    foreach (array_keys(CASES) as $case) {
        $began = hrtime(true);
        run_once($case);
        $times[$case][] = (hrtime(true) - $began) / 1e3;
    }
}
foreach ($times as $case => $samples) {
    sort($samples);
    $results[$case]['mean'] = array_sum($samples) / \count($samples);
    $results[$case]['median'] = $samples[intdiv(\count($samples), 2)];
}

printf("%-32s %16s %14s %12s %12s\n", LINES . '-line cart return', 'engine start', 'first call', 'warm mean', 'warm median');
foreach ($results as $case => $result) {
    printf(
        "%-32s %16s %11.0f µs %9.0f µs %9.0f µs\n",
        CASES[$case],
        $result['start'] === null ? '-' : sprintf('%.0f µs', $result['start']),
        $result['first'],
        $result['mean'],
        $result['median'],
    );
}
foreach (PAIRS as [$engineCase, $plainCase]) {
    printf(
        "speed-up of %s over %s: warm median %.2f×, first call %.2f×\n",
        $engineCase,
        $plainCase,
        $results[$plainCase]['median'] / $results[$engineCase]['median'],
        $results[$plainCase]['first'] / $results[$engineCase]['first'],
    );
}
