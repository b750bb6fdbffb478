<?php

declare(strict_types=1);

namespace Punchout;

/**
 * A purchase order reconciled against the cart the engine returned: each line's outcome
 * (`unchanged`, `changed`, `dropped`, `added`, `split`, `repeated`) with both values of every
 * difference, the header findings, the computed totals, and the verdict with its reasons.
 * `$data` holds all of it in the engine's JSON shape (see ORDERS.md).
 */
final readonly class Reconciliation implements \JsonSerializable
{
    public function __construct(
        public string $orderId,
        public Verdict $verdict,
        /** The verdict in one sentence, for a person. */
        public string $message,
        /** @var list<array<string, mixed>> one per cart line, then per added order line */
        public array $lines,
        /** @var list<array<string, mixed>> each with its rule, action, values and message */
        public array $reasons,
        public array $data,
    ) {
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['order_id'],
            Verdict::from((string) $data['verdict']),
            (string) $data['message'],
            array_values($data['lines'] ?? []),
            array_values($data['reasons'] ?? []),
            $data,
        );
    }

    public function jsonSerialize(): array
    {
        return $this->data;
    }
}
