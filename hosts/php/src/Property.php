<?php

declare(strict_types=1);

namespace Punchout;

/** A name and a value: a product attribute or an extrinsic (WIT `property`). */
final readonly class Property implements \JsonSerializable
{
    public function __construct(public string $name, public string $value)
    {
    }

    /**
     * A list of properties from `[['name' => …, 'value' => …], …]` or from a map `['name' => 'value']`.
     *
     * @param array<int|string, mixed> $items
     * @return list<Property>
     */
    public static function listFrom(array $items): array
    {
        $properties = [];
        foreach ($items as $key => $item) {
            $properties[] = match (true) {
                $item instanceof self => $item,
                \is_array($item) => new self((string) $item['name'], (string) $item['value']),
                default => new self((string) $key, (string) $item),
            };
        }
        return $properties;
    }

    public function jsonSerialize(): array
    {
        return ['name' => $this->name, 'value' => $this->value];
    }
}
