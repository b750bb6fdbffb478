<?php

declare(strict_types=1);

namespace Punchout;

/** A PunchOutOrderMessage as the buyer's system reads it (WIT `order-message`). */
final readonly class OrderMessage
{
    /** @var list<CartLine> */
    public array $lines;

    public function __construct(
        public string $buyerCookie,
        public SetupOperation $operationAllowed,
        public string $currency,
        public string $total,
        array $lines,
    ) {
        $this->lines = array_values(array_map(
            static fn ($line) => $line instanceof CartLine ? $line : CartLine::fromArray($line),
            $lines,
        ));
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['buyer_cookie'],
            SetupOperation::from((string) $data['operation_allowed']),
            (string) $data['currency'],
            (string) $data['total'],
            $data['lines'] ?? [],
        );
    }
}
