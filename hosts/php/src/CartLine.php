<?php

declare(strict_types=1);

namespace Punchout;

/**
 * One line of the shop's cart (WIT `cart-line`). Quantities and prices are decimal strings
 * (`"12.50"`), never floats.
 */
final readonly class CartLine implements \JsonSerializable
{
    /** @var list<Property> */
    public array $attributes;

    /** The line in the engine's JSON shape, built once: a cart is encoded on every call. */
    private array $json;

    /**
     * @param array<int|string, mixed> $attributes `['manufacturer-name' => 'ACME', …]` or a list of {@see Property}
     */
    public function __construct(
        public string $lineRef,
        public string $sku,
        public string $quantity,
        public string $unitPrice,
        public string $unit,
        public string $description,
        array $attributes = [],
    ) {
        $this->attributes = Property::listFrom($attributes);
        $json = [];
        foreach ($this->attributes as $property) {
            $json[] = ['name' => $property->name, 'value' => $property->value];
        }
        $this->json = [
            'line_ref' => $lineRef,
            'sku' => $sku,
            'quantity' => $quantity,
            'unit_price' => $unitPrice,
            'unit' => $unit,
            'description' => $description,
            'attributes' => $json,
        ];
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['line_ref'],
            (string) $data['sku'],
            (string) $data['quantity'],
            (string) $data['unit_price'],
            (string) $data['unit'],
            (string) $data['description'],
            $data['attributes'] ?? [],
        );
    }

    /** The value of an attribute, if the line has it. */
    public function attribute(string $name): ?string
    {
        foreach ($this->attributes as $property) {
            if ($property->name === $name) {
                return $property->value;
            }
        }
        return null;
    }

    public function jsonSerialize(): array
    {
        return $this->json;
    }
}
