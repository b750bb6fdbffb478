<?php

declare(strict_types=1);

namespace Punchout;

/** The outcome of comparing an order with the shop's records of earlier ones. */
final readonly class Redelivery
{
    public function __construct(
        public RedeliveryOutcome $outcome,
        /** The known order it duplicates, conflicts with or updates. */
        public ?OrderRecord $known,
        public string $message,
    ) {
    }

    public static function fromArray(array $data): self
    {
        return new self(
            RedeliveryOutcome::from((string) $data['outcome']),
            isset($data['known']) ? OrderRecord::fromArray($data['known']) : null,
            (string) $data['message'],
        );
    }
}
