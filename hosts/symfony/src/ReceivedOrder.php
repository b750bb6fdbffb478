<?php

declare(strict_types=1);

namespace Punchout\Bundle;

use Punchout\Cart;
use Punchout\PurchaseOrder;
use Punchout\Reconciliation;
use Punchout\Redelivery;

/**
 * A purchase order the bundle received: read and authenticated by the engine, compared with the
 * orders received before, and (unless it was a duplicate) reconciled against the cart the shop
 * returned. What the {@see Contract\OrderPlacer} turns into a shop order and what
 * {@see Event\OrderReceivedEvent} carries.
 */
final class ReceivedOrder
{
    /**
     * @param string $protocol `cxml` or `peppol`
     * @param array<string, mixed>|null $peppol the Peppol order as the engine read it (endpoints, line ids, …)
     */
    public function __construct(
        public readonly string $buyerId,
        public readonly string $protocol,
        public readonly PurchaseOrder $order,
        public readonly Redelivery $redelivery,
        public readonly ?Reconciliation $reconciliation,
        public readonly ?Cart $returnedCart,
        public readonly ?int $returnedCartId,
        public readonly ?PunchoutSession $session,
        public readonly ?array $peppol = null,
    ) {
    }

    /** The shop customer of the session the cart was returned in, else the buyer id. */
    public function customer(): string
    {
        return $this->session?->customer() ?? $this->buyerId;
    }
}
