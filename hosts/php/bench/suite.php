<?php

/*
 * The PHP half of `cargo xtask bench`: for carts of 1 to 10 000 lines, the engine through the PHP
 * host (`Punchout\Engine`) against the hand-written PHP a shop developer would write, the cases
 * of one size interleaved call by call:
 *   cXML cart return (PunchOutOrderMessage + form): engine, XMLWriter, DOMDocument, string
 *   concatenation with htmlspecialchars;
 *   OCI cart form (the sample SAP SRM profile, Latin-1): engine, plain string building.
 * Before timing, every hand-written document is compared byte for byte with the engine's.
 * Also the fixed cost of a call that does almost nothing (a cXML error response, a QUANTITYCHECK
 * reply). Prints the figures as JSON on stdout, progress on stderr.
 *
 *   php -d ffi.enable=1 bench/suite.php --carts <dir> [--seconds-per-size 12] [--rounds 5]
 * <dir> holds the Rust suite's carts as cart-<lines>.json (`punchout-bench cart <lines>`).
 * Uses $PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT, $PUNCHOUT_PRECOMPILED like the Engine.
 */

declare(strict_types=1);

require __DIR__ . '/../tests/bootstrap.php';

use Punchout\Bench\ConcatPunchOut;
use Punchout\Bench\DomPunchOut;
use Punchout\Bench\PlainOciForm;
use Punchout\Bench\XmlWriterPunchOut;
use Punchout\Engine;
use Punchout\Envelope;
use Punchout\Exception\RejectedException;
use Punchout\Tests\Fixtures;

const SIZES = [1, 10, 100, 1_000, 10_000];

$options = getopt('', ['carts:', 'seconds-per-size:', 'rounds:']);
$carts = $options['carts'] ?? null;
if (!\is_string($carts) || !is_dir($carts)) {
    fwrite(STDERR, "usage: php -d ffi.enable=1 bench/suite.php --carts <dir> [--seconds-per-size 12] [--rounds 5]\n");
    exit(2);
}
$secondsPerSize = (float) ($options['seconds-per-size'] ?? 12);
$rounds = max(1, (int) ($options['rounds'] ?? 5));

// The engine and the compiled profiles, once per process (as a PHP-FPM worker keeps them).
$engine = new Engine();
$cxmlProfileArray = Fixtures::json('cxml-buyer-profile.json');
$ociProfileArray = Fixtures::json('oci-buyer-profile.json');
$cxmlProfile = $engine->compileProfile($cxmlProfileArray, Fixtures::json('demo-secrets.json'));
$ociProfile = $engine->compileProfile($ociProfileArray, Fixtures::json('oci-secrets.json'));
$cxmlSession = Fixtures::json('cxml-session.json');
$ociSession = $engine->call('oci-call-up', ['profile_id' => $ociProfile->id, 'call_up' => trim(Fixtures::read('oci-call-up.txt'))])['session'];
// The Rust suite's envelope: the same documents on both sides.
$envelopeArray = ['payload_id' => '1764061200.1.bench@shop.example.com', 'timestamp' => '2026-11-25T10:00:00+01:00'];
$envelope = new Envelope($envelopeArray['payload_id'], $envelopeArray['timestamp']);

/** Null when equal, else where the two documents first differ. */
function first_difference(string $expected, string $actual): ?string
{
    if ($expected === $actual) {
        return null;
    }
    $offset = 0;
    $length = min(\strlen($expected), \strlen($actual));
    while ($offset < $length && $expected[$offset] === $actual[$offset]) {
        $offset++;
    }
    $window = static fn (string $text): string => json_encode(mb_scrub(substr($text, max(0, $offset - 60), 120)), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    return sprintf("first difference at byte %d (lengths %d and %d)\n  engine: %s\n  other:  %s", $offset, \strlen($expected), \strlen($actual), $window($expected), $window($actual));
}

/**
 * Times the cases interleaved call by call: warm-up, then `$rounds` rounds; per case the median
 * of the round medians and the lowest and highest round median, in microseconds.
 *
 * @param array<string, callable(): list<string>> $cases
 */
function interleave(array $cases, float $seconds, int $rounds): array
{
    $pass = 0.0;
    $bytes = [];
    foreach ($cases as $name => $case) {
        $case();
        $began = hrtime(true);
        $bytes[$name] = array_sum(array_map('strlen', $case()));
        $pass += (hrtime(true) - $began) / 1e9;
    }
    $callsPerRound = max(2, min(2_000, intdiv((int) ($seconds / max($pass, 1e-9)), $rounds)));
    $roundMedians = array_fill_keys(array_keys($cases), []);
    for ($round = 0; $round < $rounds; $round++) {
        $samples = array_fill_keys(array_keys($cases), []);
        for ($i = 0; $i < $callsPerRound; $i++) {
            foreach ($cases as $name => $case) {
                $began = hrtime(true);
                $case();
                $samples[$name][] = (hrtime(true) - $began) / 1e3;
            }
        }
        foreach ($samples as $name => $times) {
            $roundMedians[$name][] = median($times);
        }
    }
    $timings = [];
    foreach ($roundMedians as $name => $medians) {
        $timings[] = [
            'case' => $name,
            'median_us' => median($medians),
            'low_us' => min($medians),
            'high_us' => max($medians),
            'round_medians_us' => $medians,
            'rounds' => $rounds,
            'calls_per_round' => $callsPerRound,
            'minor_faults_per_call' => null,
            'output_bytes' => $bytes[$name],
        ];
    }
    return $timings;
}

function median(array $samples): float
{
    sort($samples);
    $count = \count($samples);
    $middle = intdiv($count, 2);
    return $count % 2 === 1 ? (float) $samples[$middle] : ($samples[$middle - 1] + $samples[$middle]) / 2;
}

$report = ['php_version' => PHP_VERSION, 'sizes' => [], 'fixed' => []];
foreach (SIZES as $lines) {
    $file = "$carts/cart-$lines.json";
    $cart = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
    if (\count($cart['lines']) !== $lines) {
        throw new RuntimeException("`$file` does not hold a $lines-line cart");
    }
    fwrite(STDERR, "suite.php: $lines-line carts\n");
    $cases = [
        'cxml-engine' => static function () use ($engine, $cxmlProfile, $cxmlSession, $cart, $envelope): array {
            $return = $engine->cxmlCartReturn($cxmlProfile, $cxmlSession, $cart, $envelope);
            return [$return->message, $return->formHtml];
        },
        'cxml-xmlwriter' => static fn (): array => XmlWriterPunchOut::cartReturn($cxmlProfileArray, $cxmlSession, $cart, $envelopeArray),
        'cxml-dom' => static fn (): array => DomPunchOut::cartReturn($cxmlProfileArray, $cxmlSession, $cart, $envelopeArray),
        'cxml-concat' => static fn (): array => ConcatPunchOut::cartReturn($cxmlProfileArray, $cxmlSession, $cart, $envelopeArray),
        'oci-engine' => static fn (): array => [$engine->ociCartForm($ociProfile, $ociSession, $cart)->body],
        'oci-plain' => static fn (): array => [PlainOciForm::cartForm($ociProfileArray, $ociSession, $cart)['body']],
    ];
    // Every hand-written document must be the engine's, byte for byte, before it is timed.
    $documents = array_map(static fn (callable $case): array => $case(), $cases);
    foreach (['cxml-xmlwriter' => 'cxml-engine', 'cxml-dom' => 'cxml-engine', 'cxml-concat' => 'cxml-engine', 'oci-plain' => 'oci-engine'] as $case => $reference) {
        foreach ($documents[$reference] as $index => $expected) {
            if (($difference = first_difference($expected, $documents[$case][$index])) !== null) {
                fwrite(STDERR, "suite.php: $lines lines: `$case` does not write the engine's document " . ($index === 0 ? '' : "#$index ") . "($difference)\n");
                exit(1);
            }
        }
    }
    $report['sizes'][] = ['lines' => $lines, 'timings' => interleave($cases, $secondsPerSize, $rounds)];
}

fwrite(STDERR, "suite.php: fixed costs\n");
$refused = RejectedException::fromError(['code' => 'authentication-failed', 'message' => 'authentication failed']);
$report['fixed'] = interleave([
    'error-response-engine' => static fn (): array => [$engine->cxmlErrorResponse($refused, $envelope)],
    'quantity-check-engine' => static fn (): array => [$engine->ociQuantityCheckReply('12.5', 3)],
], $secondsPerSize, $rounds);

echo json_encode($report, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
