<?php

declare(strict_types=1);

namespace Punchout\Bundle;

use Punchout\CartLine;

/**
 * A PunchOut session as the bundle stores it: the buyer, its protocol, the engine's session (no
 * secret inside), the shop customer the buyer is, and when it was created, started and
 * transferred (Unix seconds).
 */
final class PunchoutSession
{
    /**
     * @param string $protocol `cxml`, `oci` or `peppol`
     * @param string $operation `create`, `edit` or `inspect` (cXML); OCI's `FUNCTION` (`shopping`, `detail`, …)
     * @param array<string, mixed> $data the engine's session, handed back to it at transfer
     */
    public function __construct(
        public readonly int $id,
        public readonly string $buyerId,
        public readonly string $protocol,
        public readonly string $operation,
        public readonly array $data,
        public readonly ?string $customer,
        public readonly int $createdAt,
        public readonly int $expiresAt,
        public readonly ?int $startedAt = null,
        public readonly ?int $transferredAt = null,
    ) {
    }

    /** The shop customer: what the {@see Contract\BuyerCustomerResolver} said, else the buyer id. */
    public function customer(): string
    {
        return $this->customer ?? $this->buyerId;
    }

    /** Whether the buyer may only look (cXML `inspect`): the shop shows the cart, the transfer returns it unchanged. */
    public function isInspect(): bool
    {
        return $this->operation === 'inspect';
    }

    /**
     * The lines the buyer sent back to edit or inspect (cXML `edit`/`inspect`), as engine cart
     * lines; empty for a new cart.
     *
     * @return list<CartLine>
     */
    public function items(): array
    {
        return array_map(CartLine::fromArray(...), array_values($this->data['items'] ?? []));
    }

    /** The OCI function's product (`DETAIL`) or search string, when the buyer asked for one. */
    public function ociFunctionParameter(string $name): ?string
    {
        $value = $this->data['function'][$name] ?? null;
        return \is_string($value) ? $value : null;
    }
}
