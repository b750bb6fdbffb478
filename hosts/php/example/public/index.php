<?php

declare(strict_types=1);

/*
 * A PunchOut shop in one page set:  php -S 127.0.0.1:8080 -t example/public example/public/index.php
 *
 *   POST /punchout/setup    the buyer's system sends a cXML PunchOutSetupRequest (server to server)
 *   GET  /punchout/start    the buyer's browser arrives with the start URL's token
 *   GET  /                  products with the buyer's prices, and the cart
 *   POST /cart/add          add a product
 *   POST /punchout/return   the cart goes back: a self-submitting form to the buyer's system
 */

require __DIR__ . '/../bootstrap.php';

use Punchout\Cart;
use Punchout\CartLine;
use Punchout\Exception\RejectedException;
use Punchout\Session;

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$method = $_SERVER['REQUEST_METHOD'];

if ($method === 'POST' && $path === '/punchout/setup') {
    header('Content-Type: text/xml; charset=UTF-8');
    $token = bin2hex(random_bytes(24));
    $startUrl = 'http://' . $_SERVER['HTTP_HOST'] . '/punchout/start?token=' . $token;
    try {
        $accepted = engine()->cxmlSetup(buyer_profile(), file_get_contents('php://input'), $startUrl);
    } catch (RejectedException $error) {
        error_log("punchout setup refused: {$error->getMessage()}");   // code and location, never the secret
        echo engine()->cxmlErrorResponse($error);                    // cXML answers 200 with a <Status>
        return;
    }
    file_put_contents(session_store() . "/$token.json", json_encode($accepted->session->toArray()));
    echo $accepted->response;
    return;
}

session_start();

if ($method === 'GET' && $path === '/punchout/start') {
    $file = session_store() . '/' . preg_replace('/[^0-9a-f]/', '', $_GET['token'] ?? '') . '.json';
    if (!is_file($file)) {
        http_response_code(403);
        echo 'This PunchOut link has expired.';
        return;
    }
    $_SESSION['punchout'] = json_decode(file_get_contents($file), true);
    unlink($file);                                                   // single use
    $_SESSION['cart'] = [];
    header('Location: /');
    http_response_code(303);
    return;
}

$punchout = isset($_SESSION['punchout']) ? Session::fromArray($_SESSION['punchout']) : null;
$catalog = catalog();
$products = array_column($catalog['products'], null, 'sku');

if ($method === 'POST' && $path === '/cart/add' && isset($products[$_POST['sku'] ?? ''])) {
    $_SESSION['cart'][$_POST['sku']] = ($_SESSION['cart'][$_POST['sku']] ?? 0) + max(1, (int) ($_POST['quantity'] ?? 1));
    header('Location: /');
    http_response_code(303);
    return;
}

if ($method === 'POST' && $path === '/punchout/return' && $punchout !== null) {
    $lines = [];
    foreach ($_SESSION['cart'] ?? [] as $sku => $quantity) {
        $product = $products[$sku];
        $lines[] = new CartLine('cart-' . session_id() . ':' . $sku, $sku, (string) $quantity, $product['contract_price'], $product['unit'], $product['description'], $product['attributes']);
    }
    $return = engine()->cxmlCartReturn(buyer_profile(), $punchout, new Cart($catalog['currency'], $lines, '5.00'));
    unset($_SESSION['punchout'], $_SESSION['cart']);
    echo $return->formHtml;                                          // posts itself to the buyer's system
    return;
}

?><!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Example shop</title></head>
<body>
<h1>Example shop</h1>
<?php if ($punchout) { ?>
<p>Shopping for <?= h($punchout->userName ?? $punchout->buyer->identity) ?> (<?= h($punchout->buyerId) ?>), contract prices.</p>
<?php } ?>
<table>
<tr><th>Article</th><th>Description</th><th>Price</th><th></th></tr>
<?php foreach ($catalog['products'] as $product) { ?>
<tr><td><?= h($product['sku']) ?></td><td><?= h($product['description']) ?></td>
<td class="price"><?= h($product['contract_price']) ?> <?= h($catalog['currency']) ?> / <?= h($product['unit']) ?></td>
<td><form method="post" action="/cart/add"><input type="hidden" name="sku" value="<?= h($product['sku']) ?>"><input name="quantity" value="1" size="3"><button>Add</button></form></td></tr>
<?php } ?>
</table>
<h2>Cart</h2>
<ul id="cart">
<?php foreach ($_SESSION['cart'] ?? [] as $sku => $quantity) { ?>
<li><?= h((string) $quantity) ?> × <?= h($sku) ?></li>
<?php } ?>
</ul>
<?php if ($punchout) { ?>
<form method="post" action="/punchout/return"><button>Return the cart to your procurement system</button></form>
<?php } ?>
</body></html>
