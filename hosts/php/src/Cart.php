<?php

declare(strict_types=1);

namespace Punchout;

/** The shop's cart in one currency (WIT `cart`). An empty cart is a valid "cancel". */
final readonly class Cart implements \JsonSerializable
{
    /** @var list<CartLine> */
    public array $lines;

    /** @param array<CartLine|array> $lines */
    public function __construct(
        public string $currency,
        array $lines = [],
        public ?string $shipping = null,
        public ?string $tax = null,
    ) {
        $this->lines = array_values(array_map(
            static fn ($line) => $line instanceof CartLine ? $line : CartLine::fromArray($line),
            $lines,
        ));
    }

    public static function fromArray(array $data): self
    {
        return new self((string) $data['currency'], $data['lines'] ?? [], $data['shipping'] ?? null, $data['tax'] ?? null);
    }

    public function jsonSerialize(): array
    {
        $data = ['currency' => $this->currency, 'lines' => $this->lines];
        if ($this->shipping !== null) {
            $data['shipping'] = $this->shipping;
        }
        if ($this->tax !== null) {
            $data['tax'] = $this->tax;
        }
        return $data;
    }
}
