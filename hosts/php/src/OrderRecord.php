<?php

declare(strict_types=1);

namespace Punchout;

/** What a shop stores of every order it applied, to recognise it when it comes again. */
final readonly class OrderRecord implements \JsonSerializable
{
    public function __construct(
        public string $idempotencyKey,
        public string $payloadId,
        public string $orderId,
        public string $contentHash,
    ) {
    }

    public static function of(PurchaseOrder $order): self
    {
        return new self($order->idempotencyKey, $order->payloadId, $order->orderId, $order->contentHash);
    }

    public static function fromArray(array $data): self
    {
        return new self((string) $data['idempotency_key'], (string) $data['payload_id'], (string) $data['order_id'], (string) $data['content_hash']);
    }

    public function jsonSerialize(): array
    {
        return [
            'idempotency_key' => $this->idempotencyKey,
            'payload_id' => $this->payloadId,
            'order_id' => $this->orderId,
            'content_hash' => $this->contentHash,
        ];
    }
}
