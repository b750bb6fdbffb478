<?php

declare(strict_types=1);

namespace Punchout\Bundle\Contract;

use Punchout\Bundle\ReceivedOrder;

/**
 * Creates the shop's order from a purchase order the bundle read, recognised as new (or as an
 * update of a known order) and reconciled against the returned cart with a verdict of `accept` or
 * `accept-with-changes`. Held and rejected orders never reach it; they arrive as
 * {@see \Punchout\Bundle\Event\OrderReceivedEvent} for a person to decide.
 */
interface OrderPlacer
{
    /**
     * @return string|null the shop order's reference (kept with the received order), null when the shop keeps none
     * @throws \Throwable when the shop cannot take the order: nothing is recorded, the buyer gets a
     *     cXML 500 and may deliver it again
     */
    public function place(ReceivedOrder $order): ?string;
}
