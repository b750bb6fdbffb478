<?php

/*
 * Checks that PlainOciForm writes the engine's `oci-cart-form` page byte for byte (body, charset,
 * content type) for the sample SAP SRM profile: the bench's 100-line cart with a few lines made
 * to need Latin-1 conversion, transliteration and escaping, and the plain cart.json fixture.
 *
 *   php -d ffi.enable=1 bench/oci-check.php
 * Uses $PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT, $PUNCHOUT_PRECOMPILED like the Engine.
 */

declare(strict_types=1);

require __DIR__ . '/../tests/bootstrap.php';

use Punchout\Bench\BenchCart;
use Punchout\Bench\PlainOciForm;
use Punchout\Tests\Fixtures;

/** The cart of bench.php's bench_inputs(), with awkward characters in a few descriptions. */
function oci_cart(): array
{
    $cart = BenchCart::build(100);
    // Latin-1 and windows-1252 letters, markup, characters outside windows-1252 (transliterated
    // or `?`), a cut inside a non-ASCII word, and a control character.
    $cart['lines'][5]['description'] = 'Prüfgerät für Öl & Gas <ATEX> "Zone 1", 99 € netto';
    $cart['lines'][6]['description'] = 'Kabel ≥ 2 m 😀 Łódź–Kraków, Schrauben M6 ×10 ő';
    $cart['lines'][7]['description'] = "Größenübersicht\tStahlträger ÄÖÜäöüß: 'Qualität' …\u{1}";
    $cart['lines'][8]['description'] = 'Bildschirm 27″ IPS, 2′ Kabel, Maße 61 × 36 cm, Gewicht 4,2 kg';
    return $cart;
}

/** Null when equal, else where and how the bodies first differ. */
function first_difference(string $engine, string $plain): ?string
{
    if ($engine === $plain) {
        return null;
    }
    $offset = 0;
    $length = min(\strlen($engine), \strlen($plain));
    while ($offset < $length && $engine[$offset] === $plain[$offset]) {
        $offset++;
    }
    $window = static fn (string $body): string => json_encode(
        mb_convert_encoding(substr($body, max(0, $offset - 60), 120), 'UTF-8', 'Windows-1252'),
        JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES,
    );
    return sprintf("first difference at byte %d (lengths %d and %d)\n  engine: %s\n  plain:  %s", $offset, \strlen($engine), \strlen($plain), $window($engine), $window($plain));
}

$engine = Fixtures::engine();
$profile = Fixtures::json('oci-buyer-profile.json');
$engine->call('compile-profile', ['profile' => Fixtures::read('oci-buyer-profile.json'), 'secrets' => (object) Fixtures::json('oci-secrets.json')]);
$session = $engine->call('oci-call-up', ['profile_id' => $profile['id'], 'call_up' => trim(Fixtures::read('oci-call-up.txt'))])['session'];

$summary = [];
foreach (['100-line bench cart' => oci_cart(), 'cart.json' => Fixtures::json('cart.json')] as $label => $cart) {
    $expected = $engine->call('oci-cart-form', ['profile_id' => $profile['id'], 'session' => $session, 'cart' => $cart]);
    $actual = PlainOciForm::cartForm($profile, $session, $cart);
    $body = $expected['body'];
    $problems = array_filter([
        first_difference($body, $actual['body']),
        $expected['charset'] === $actual['charset'] ? null : "charset: engine `{$expected['charset']}`, plain `{$actual['charset']}`",
        $expected['content_type'] === $actual['content_type'] ? null : "content type: engine `{$expected['content_type']}`, plain `{$actual['content_type']}`",
    ]);
    if ($problems !== []) {
        fwrite(STDERR, "oci-check: $label differs\n" . implode("\n", $problems) . "\n");
        exit(1);
    }
    $summary[] = sprintf('%s %d bytes', $label, \strlen($body));
}
printf("oci-check: byte-identical (%s, %s)\n", implode(', ', $summary), $expected['content_type']);
