<?php

declare(strict_types=1);

namespace Punchout\Bench;

use Punchout\Tests\Fixtures;

/** The benchmark's cart: `$count` lines cycling through the sample catalogue's products. */
final class BenchCart
{
    /** @return array{currency: string, lines: list<array<string, mixed>>, shipping: string} the cart in the engine's JSON shape */
    public static function build(int $count): array
    {
        $catalog = Fixtures::json('catalog.json');
        $lines = [];
        for ($i = 0; $i < $count; $i++) {
            $product = $catalog['products'][$i % 3];
            $lines[] = [
                'line_ref' => "cart-42:line-" . ($i + 1), 'sku' => $product['sku'] . '-' . $i, 'quantity' => (string) (1 + $i % 7),
                'unit_price' => $product['contract_price'], 'unit' => $product['unit'], 'description' => $product['description'] . " (variant $i)",
                'attributes' => array_map(static fn ($name, $value) => ['name' => $name, 'value' => $value], array_keys($product['attributes']), $product['attributes']),
            ];
        }
        return ['currency' => 'EUR', 'lines' => $lines, 'shipping' => '5.00'];
    }
}
