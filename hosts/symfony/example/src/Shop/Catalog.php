<?php

declare(strict_types=1);

namespace App\Shop;

/** The shop's products with the buyers' contract prices (host-example/samples/catalog.json). */
final class Catalog
{
    /** @var array{currency: string, products: list<array<string, mixed>>}|null */
    private ?array $catalog = null;

    public function __construct(private readonly string $file)
    {
    }

    public function currency(): string
    {
        return $this->load()['currency'];
    }

    /** @return array<string, array<string, mixed>> by SKU */
    public function products(): array
    {
        return array_column($this->load()['products'], null, 'sku');
    }

    public function product(string $sku): ?array
    {
        return $this->products()[$sku] ?? null;
    }

    private function load(): array
    {
        return $this->catalog ??= json_decode((string) file_get_contents($this->file), true, 512, JSON_THROW_ON_ERROR);
    }
}
