<?php

declare(strict_types=1);

namespace Punchout\Bundle\Event;

use Punchout\Bundle\PunchoutSession;
use Punchout\Cart;
use Symfony\Contracts\EventDispatcher\Event;

/**
 * The cart went back to the buyer (the self-posting page was sent): stored as returned cart
 * `$cartId`, which the purchase order will be reconciled against.
 */
final class CartTransferredEvent extends Event
{
    /**
     * @param string $document the document sent: the cXML PunchOutOrderMessage, the OCI form page
     *     (in the buyer's charset) or the Peppol T77
     */
    public function __construct(
        public readonly PunchoutSession $session,
        public readonly Cart $cart,
        public readonly int $cartId,
        public readonly string $document,
    ) {
    }
}
