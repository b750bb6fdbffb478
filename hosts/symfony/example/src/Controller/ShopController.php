<?php

declare(strict_types=1);

namespace App\Controller;

use App\Shop\Catalog;
use App\Shop\ShopCart;
use Punchout\Bundle\PunchoutContext;
use Symfony\Component\HttpFoundation\RedirectResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\Routing\Generator\UrlGeneratorInterface;
use Symfony\Contracts\Translation\TranslatorInterface;

/** The catalog with the cart; in PunchOut, a button that transfers the cart to the buyer. */
final class ShopController
{
    public function __construct(
        private readonly Catalog $catalog,
        private readonly ShopCart $cart,
        private readonly PunchoutContext $punchout,
        private readonly UrlGeneratorInterface $urls,
        private readonly TranslatorInterface $translator,
    ) {
    }

    public function catalog(Request $request): Response
    {
        $session = $this->punchout->current($request);
        $html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Example shop</title></head>\n<body>\n<h1>Example shop</h1>\n";
        if ($session !== null) {
            $html .= sprintf("<p id=\"punchout\">PunchOut for <b>%s</b> (customer %s, %s).</p>\n", self::h($session->buyerId), self::h($session->customer()), self::h($session->operation));
        }
        $html .= "<table>\n<tr><th>Article</th><th>Description</th><th>Price</th><th></th></tr>\n";
        foreach ($this->catalog->products() as $sku => $product) {
            $html .= sprintf(
                "<tr><td>%s</td><td>%s</td><td>%s %s / %s</td><td><form method=\"post\" action=\"/cart/add\"><input type=\"hidden\" name=\"sku\" value=\"%1\$s\"><input name=\"quantity\" value=\"1\" size=\"3\"><button>Add</button></form></td></tr>\n",
                self::h((string) $sku),
                self::h((string) $product['description']),
                self::h((string) $product['contract_price']),
                self::h($this->catalog->currency()),
                self::h((string) $product['unit']),
            );
        }
        $html .= "</table>\n<h2>Cart</h2>\n<ul id=\"cart\">\n";
        foreach ($this->cart->items() as $sku => $quantity) {
            $html .= sprintf("<li data-sku=\"%s\">%s × %1\$s</li>\n", self::h((string) $sku), self::h($quantity));
        }
        $html .= "</ul>\n";
        if ($session !== null) {
            $html .= sprintf(
                "<form method=\"post\" action=\"%s\"><button id=\"transfer\">%s</button></form>\n",
                self::h($this->urls->generate('punchout_transfer')),
                self::h($this->translator->trans('punchout.transfer.button', [], 'punchout')),
            );
        }
        return new Response($html . "</body></html>\n");
    }

    public function add(Request $request): Response
    {
        $sku = (string) $request->request->get('sku', '');
        $quantity = (string) $request->request->get('quantity', '1');
        if ($this->catalog->product($sku) !== null && preg_match('/^[1-9]\d{0,5}$/', $quantity) === 1) {
            $this->cart->add($sku, (int) $quantity);
        }
        return new RedirectResponse('/', 303);
    }

    private static function h(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_HTML5, 'UTF-8');
    }
}
