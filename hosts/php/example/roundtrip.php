<?php

/*
 * Drives the example shop through a full cXML round trip, as a buyer's system and browser would:
 *   php example/roundtrip.php            (starts `php -S` itself on a free port)
 * Exit code 0 when every step checks out.
 */

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

$port = (int) ($argv[1] ?? 0) ?: random_int(20000, 40000);
$base = "http://127.0.0.1:$port";
$server = proc_open(
    [PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:$port", '-t', __DIR__ . '/public', __DIR__ . '/public/index.php'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', sys_get_temp_dir() . '/punchout-example-shop.log', 'w']],
    $pipes,
    null,
    getenv(),
);
register_shutdown_function(static fn () => proc_terminate($server));

function fail(string $message): never
{
    fwrite(STDERR, "roundtrip: FAILED: $message\n");
    exit(1);
}

/** @return array{0: int, 1: string, 2: array<string>} status, body, headers */
function http(string $method, string $url, string $body = '', array $headers = []): array
{
    global $cookie;
    if ($cookie) {
        $headers[] = "Cookie: $cookie";
    }
    $context = stream_context_create(['http' => ['method' => $method, 'content' => $body, 'header' => $headers, 'follow_location' => 0, 'ignore_errors' => true, 'timeout' => 10]]);
    $response = @file_get_contents($url, false, $context);
    $responseHeaders = $http_response_header ?? [];
    foreach ($responseHeaders as $header) {
        if (preg_match('/^Set-Cookie: ([^;]+)/i', $header, $match)) {
            $cookie = $match[1];
        }
    }
    preg_match('/ (\d{3})/', $responseHeaders[0] ?? '', $status);
    return [(int) ($status[1] ?? 0), (string) $response, $responseHeaders];
}

for ($i = 0; $i < 50 && @fsockopen('127.0.0.1', $port) === false; $i++) {
    usleep(100_000);
}

$cookie = null;
$request = file_get_contents(SAMPLES . '/cxml-setup-request.xml');

echo "1. a setup request with a wrong secret is answered with status 401\n";
[, $refused] = http('POST', "$base/punchout/setup", str_replace('>s3cr3t<', '>guess<', $request), ['Content-Type: text/xml']);
str_contains($refused, '<Status code="401"') || fail("expected a 401 Status, got: $refused");
str_contains($refused, 'guess') && fail('the wrong secret was echoed');

echo "2. the buyer's system posts the PunchOutSetupRequest\n";
[$status, $response] = http('POST', "$base/punchout/setup", $request, ['Content-Type: text/xml']);
preg_match('#<StartPage>\s*<URL>([^<]+)</URL>#', $response, $start) || fail("no StartPage in: $status $response");
$startUrl = html_entity_decode($start[1], ENT_XML1);
echo "   start page $startUrl\n";

echo "3. the browser opens the start page and sees the buyer's prices\n";
[$status, , $headers] = http('GET', $startUrl);
$status === 303 || fail("start: HTTP $status");
[$status, $page] = http('GET', "$base/");
str_contains($page, 'Shopping for Jane Doe') || fail('the shop does not know the PunchOut buyer');
str_contains($page, '4.20 EUR / PK') || fail('no contract price on the product list');
[$status] = http('GET', $startUrl);
$status === 403 || fail('the start URL could be used twice');

echo "4. the buyer fills the cart\n";
http('POST', "$base/cart/add", 'sku=ABC-123&quantity=10', ['Content-Type: application/x-www-form-urlencoded']);
http('POST', "$base/cart/add", 'sku=TON-9000&quantity=2', ['Content-Type: application/x-www-form-urlencoded']);

echo "5. the cart goes back: the form that posts the PunchOutOrderMessage\n";
[$status, $form] = http('POST', "$base/punchout/return");
$status === 200 || fail("return: HTTP $status $form");
$page = new DOMDocument();
@$page->loadHTML($form);
$forms = $page->getElementsByTagName('form');
$forms->length === 1 || fail('expected exactly one form');
$action = $forms->item(0)->getAttribute('action');
$action === 'https://procurement.example.com/punchout/return?sap-client=100' || fail("form posts to $action");
$field = $forms->item(0)->getElementsByTagName('input')->item(0);
$message = $field->getAttribute('name') === 'cxml-base64' ? base64_decode($field->getAttribute('value')) : $field->getAttribute('value');

echo "6. the buyer's system reads the message\n";
$read = engine()->cxmlReadOrderMessage($message);
$read->buyerCookie === 'c0ffee-42-ACME' || fail('buyer cookie not echoed');
\count($read->lines) === 2 || fail(\count($read->lines) . ' lines came back');
[$paper, $toner] = $read->lines;
($paper->sku === 'ABC-123' && (float) $paper->quantity === 10.0 && $paper->unitPrice === '4.20') || fail('paper line changed');
($toner->sku === 'TON-9000' && $toner->unit === 'EA') || fail('toner line changed (PCE maps to EA)');
$read->total === '226.80' || fail("total {$read->total}");
echo "   {$read->total} {$read->currency}, " . \count($read->lines) . " lines, buyer cookie `{$read->buyerCookie}` echoed\n";
echo "Round trip complete.\n";
