<?php

declare(strict_types=1);

namespace App\Shop;

use Punchout\Bundle\Contract\CartProvider;
use Punchout\Bundle\PunchoutSession;
use Punchout\Cart;
use Punchout\CartLine;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\RequestStack;

/**
 * The shop's cart (SKU => quantity in the shop session) and, for the bundle, the same cart as
 * engine cart lines: each line's ref is `cart-SESSION:line-N`, unique across the shop's carts,
 * which the buyer's purchase order quotes back.
 */
final class ShopCart implements CartProvider
{
    private const KEY = 'cart';

    public function __construct(private readonly Catalog $catalog, private readonly RequestStack $requests)
    {
    }

    /** @return array<string, string> SKU => quantity (a decimal string) */
    public function items(): array
    {
        return $this->requests->getSession()->get(self::KEY, []);
    }

    /** Adds whole units (the example sells no fractions). */
    public function add(string $sku, int $quantity): void
    {
        $items = $this->items();
        $items[$sku] = (string) ((int) ($items[$sku] ?? '0') + $quantity);
        $this->requests->getSession()->set(self::KEY, $items);
    }

    /** @param array<string, string> $items */
    public function replace(array $items): void
    {
        $this->requests->getSession()->set(self::KEY, $items);
    }

    public function cartFor(PunchoutSession $session, Request $request): Cart
    {
        $lines = [];
        $n = 0;
        foreach ($this->items() as $sku => $quantity) {
            $product = $this->catalog->product((string) $sku);
            if ($product === null) {
                continue;
            }
            $lines[] = new CartLine(
                sprintf('cart-%d:line-%d', $session->id, ++$n),
                (string) $sku,
                $quantity,
                (string) $product['contract_price'],
                (string) $product['unit'],
                (string) $product['description'],
                $product['attributes'] ?? [],
            );
        }
        return new Cart($this->catalog->currency(), $lines, $lines === [] ? null : '5.00');
    }

    public function clear(PunchoutSession $session, Request $request): void
    {
        $request->getSession()->remove(self::KEY);
    }
}
