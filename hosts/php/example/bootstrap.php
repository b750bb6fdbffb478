<?php

declare(strict_types=1);

/*
 * The example shop's wiring: what a Symfony/OroCommerce service definition would hold.
 * The engine, the buyer profile and the catalog; PunchOut sessions in a small file store.
 */

require __DIR__ . '/../src/autoload.php';

use Punchout\BuyerProfile;
use Punchout\Engine;

const SAMPLES = __DIR__ . '/../../../host-example/samples';

function engine(): Engine
{
    // Cheap after the first request of the process: the library keeps the engine loaded.
    static $engine = null;
    return $engine ??= new Engine();
}

/** The buyer's profile, compiled once per process (secrets from the shop's vault; here a file). */
function buyer_profile(): BuyerProfile
{
    static $profile = null;
    $secrets = getenv('ACME_ARIBA_SHARED_SECRET') !== false
        ? ['ACME_ARIBA_SHARED_SECRET' => getenv('ACME_ARIBA_SHARED_SECRET')]
        : json_decode(file_get_contents(SAMPLES . '/demo-secrets.json'), true);
    return $profile ??= engine()->compileProfile(file_get_contents(SAMPLES . '/cxml-buyer-profile.json'), $secrets);
}

/** Products with the buyer's contract prices. */
function catalog(): array
{
    return json_decode(file_get_contents(SAMPLES . '/catalog.json'), true);
}

/** PunchOut sessions between setup (server to server) and start (the browser), single use. */
function session_store(): string
{
    $dir = sys_get_temp_dir() . '/punchout-example-shop';
    if (!is_dir($dir)) {
        mkdir($dir, 0700, true);
    }
    return $dir;
}

function h(string $text): string
{
    return htmlspecialchars($text, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}
