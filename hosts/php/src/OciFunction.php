<?php

declare(strict_types=1);

namespace Punchout;

/**
 * What the buyer's system asked for with `FUNCTION`: `shopping` (none: a normal session),
 * `detail`, `validate`, `sourcing`, `background-search`, `detail-add` or `quantity-check`, with
 * the parameters that function carries (null where it carries none).
 */
final readonly class OciFunction implements \JsonSerializable
{
    public function __construct(
        public string $name,
        public ?string $productId = null,
        public ?string $quantity = null,
        public ?string $searchString = null,
        public ?string $vendor = null,
    ) {
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['function'],
            isset($data['product_id']) ? (string) $data['product_id'] : null,
            isset($data['quantity']) ? (string) $data['quantity'] : null,
            isset($data['search_string']) ? (string) $data['search_string'] : null,
            isset($data['vendor']) ? (string) $data['vendor'] : null,
        );
    }

    public function jsonSerialize(): array
    {
        return array_filter([
            'function' => $this->name,
            'product_id' => $this->productId,
            'quantity' => $this->quantity,
            'search_string' => $this->searchString,
            'vendor' => $this->vendor,
        ], static fn ($value) => $value !== null);
    }
}
