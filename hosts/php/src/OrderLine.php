<?php

declare(strict_types=1);

namespace Punchout;

/**
 * One line of a purchase order (cXML `ItemOut`), in the buyer's terms and, where the profile
 * tells, the shop's: `supplierPartAuxiliaryId` carries the `line_ref` the shop gave the cart
 * line, `shopUnit` the buyer's unit read back through the profile's unit map.
 */
final readonly class OrderLine
{
    public function __construct(
        public int $lineNumber,
        public string $quantity,
        public string $supplierPartId,
        public ?string $supplierPartAuxiliaryId,
        public string $unit,
        public ?string $shopUnit,
        /** A decimal string; null in the bare ItemID form, which carries no price. */
        public ?string $unitPrice,
        public ?string $currency,
        public ?string $description,
        public ?string $requestedDeliveryDate,
        /** Everything the engine read for the line, in its JSON shape. */
        public array $data,
    ) {
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (int) $data['line_number'],
            (string) $data['quantity'],
            (string) $data['supplier_part_id'],
            isset($data['supplier_part_auxiliary_id']) ? (string) $data['supplier_part_auxiliary_id'] : null,
            (string) ($data['unit'] ?? ''),
            isset($data['shop_unit']) ? (string) $data['shop_unit'] : null,
            isset($data['unit_price']['amount']) ? (string) $data['unit_price']['amount'] : null,
            isset($data['unit_price']['currency']) ? (string) $data['unit_price']['currency'] : null,
            isset($data['description']) ? (string) $data['description'] : null,
            isset($data['requested_delivery_date']) ? (string) $data['requested_delivery_date'] : null,
            $data,
        );
    }
}
