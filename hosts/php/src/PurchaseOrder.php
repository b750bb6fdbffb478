<?php

declare(strict_types=1);

namespace Punchout;

/**
 * A purchase order as the engine read it: authenticated, well-formed, within the limits.
 *
 * Store {@see PurchaseOrder::toJson()} with the order (and {@see OrderRecord::of()} to recognise
 * it when it comes again): the reconciliation, the confirmation, the ship notice and the invoice
 * take it back as it is.
 */
final readonly class PurchaseOrder implements \JsonSerializable
{
    /** @var list<OrderLine> */
    public array $lines;

    public function __construct(
        public string $buyerId,
        public string $payloadId,
        public string $orderId,
        public string $orderDate,
        public OrderType $orderType,
        public string $currency,
        /** The total as the buyer stated it; the reconciliation recomputes it. */
        public string $total,
        /** The key a shop stores to apply the order once. */
        public string $idempotencyKey,
        public string $contentHash,
        /** Everything the engine read, in its JSON shape (header, addresses, lines). */
        public array $data,
    ) {
        $this->lines = array_values(array_map(OrderLine::fromArray(...), $data['lines'] ?? []));
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['buyer_id'],
            (string) $data['payload_id'],
            (string) $data['order_id'],
            (string) $data['order_date'],
            OrderType::from((string) $data['order_type']),
            (string) $data['currency'],
            (string) $data['total']['amount'],
            (string) $data['idempotency_key'],
            (string) $data['content_hash'],
            $data,
        );
    }

    /** The order as stored JSON text. */
    public static function fromJson(string $json): self
    {
        return self::fromArray(json_decode($json, true, 512, JSON_THROW_ON_ERROR));
    }

    public function toJson(): string
    {
        return json_encode($this->data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    }

    public function jsonSerialize(): array
    {
        return $this->data;
    }
}
