<?php

declare(strict_types=1);

/*
 * The example shop over real HTTP (as `punchout`'s buyer side or a procurement system reaches it):
 *   php example/smoke.php http://127.0.0.1:8080
 * cXML setup → start URL → cart → transfer → purchase order, and an OCI call-up. Exits non-zero
 * with what went wrong.
 */

$base = rtrim($argv[1] ?? 'http://127.0.0.1:8080', '/');
$samples = __DIR__ . '/../../../host-example/samples';
$cookies = [];

/** @return array{0: int, 1: array<string, string>, 2: string} */
function http(string $method, string $url, string $body = '', string $type = 'application/x-www-form-urlencoded'): array
{
    global $cookies;
    $headers = ["Content-Type: $type"];
    if ($cookies !== []) {
        $headers[] = 'Cookie: ' . implode('; ', array_map(static fn ($k, $v) => "$k=$v", array_keys($cookies), $cookies));
    }
    $context = stream_context_create(['http' => ['method' => $method, 'header' => $headers, 'content' => $body, 'follow_location' => 0, 'ignore_errors' => true, 'timeout' => 30]]);
    $answer = @file_get_contents($url, false, $context);
    check(isset($http_response_header[0]), "no answer from $method $url");
    $status = (int) explode(' ', $http_response_header[0])[1];
    $seen = [];
    foreach (array_slice($http_response_header, 1) as $line) {
        [$name, $value] = array_map('trim', explode(':', $line, 2)) + [1 => ''];
        $seen[strtolower($name)] = $value;
        if (strtolower($name) === 'set-cookie') {
            [$pair] = explode(';', $value, 2);
            [$k, $v] = explode('=', $pair, 2);
            $cookies[$k] = $v;
        }
    }
    return [$status, $seen, (string) $answer];
}

function check(bool $ok, string $what): void
{
    if (!$ok) {
        fwrite(STDERR, "example shop: $what\n");
        exit(1);
    }
}

[$status, , $answer] = http('POST', "$base/punchout/cxml/setup", file_get_contents("$samples/cxml-setup-request.xml"), 'text/xml');
check($status === 200 && preg_match('#<URL>([^<]+/punchout/start/[^<]+)</URL>#', $answer, $start) === 1, "setup answered $status: $answer");
[$status, $headers] = http('GET', html_entity_decode($start[1]));
check($status === 303, "the start URL answered $status");
http('POST', "$base/cart/add", 'sku=ABC-123&quantity=10');
http('POST', "$base/cart/add", 'sku=TON-9000&quantity=2');
[$status, , $page] = http('GET', "$base/");
check($status === 200 && str_contains($page, 'PunchOut for <b>acme-ariba</b>'), "the catalog is not in PunchOut: $page");
[$status, , $form] = http('POST', "$base/punchout/transfer");
check($status === 200 && str_contains($form, 'action="https://procurement.example.com/punchout/return?sap-client=100"'), "the transfer answered $status: $form");
check(preg_match('#cart-(\d+):line-1#', urldecode($form), $cart) === 1, 'the returned cart has no line refs');
$order = str_replace('cart-9:', "cart-{$cart[1]}:", file_get_contents("$samples/cxml-order-request.xml"));
[$status, , $answer] = http('POST', "$base/punchout/cxml/order", $order, 'text/xml');
check($status === 200 && str_contains($answer, '<Status code="200" text="OK"'), "the order answered $status: $answer");

$cookies = [];
[$status] = http('GET', "$base/punchout/oci/acme-srm?" . trim(file_get_contents("$samples/oci-call-up.txt")));
check($status === 303, "the OCI call-up answered $status");
http('POST', "$base/cart/add", 'sku=PEN-BL-10&quantity=4');
[$status, $headers, $form] = http('POST', "$base/punchout/transfer");
check($status === 200 && ($headers['content-type'] ?? '') === 'text/html; charset=iso-8859-1' && str_contains($form, 'name="NEW_ITEM-QUANTITY[1]" value="4"'), "the OCI transfer answered $status: $form");
echo "example shop: cXML setup, start, transfer and order, and an OCI round trip over HTTP: ok\n";
