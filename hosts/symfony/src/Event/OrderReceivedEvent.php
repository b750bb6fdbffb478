<?php

declare(strict_types=1);

namespace Punchout\Bundle\Event;

use Punchout\Bundle\ReceivedOrder;
use Punchout\Verdict;
use Symfony\Contracts\EventDispatcher\Event;

/**
 * A purchase order arrived and was answered. `$status` says what the bundle did:
 *
 * - `placed`: new (or an update), verdict `accept`/`accept-with-changes`, handed to the
 *   {@see \Punchout\Bundle\Contract\OrderPlacer} (`$shopOrderRef` is its answer);
 * - `held`: verdict `hold`, a `conflict` or an update of an unknown order: a person decides;
 * - `rejected`: verdict `reject`;
 * - `duplicate`: delivered before; answered as before and not applied again.
 */
final class OrderReceivedEvent extends Event
{
    public const PLACED = 'placed';
    public const HELD = 'held';
    public const REJECTED = 'rejected';
    public const DUPLICATE = 'duplicate';

    public function __construct(
        public readonly ReceivedOrder $order,
        public readonly string $status,
        public readonly ?string $shopOrderRef,
    ) {
    }

    /** The reconciliation's verdict; null for a duplicate (which is not reconciled again). */
    public function verdict(): ?Verdict
    {
        return $this->order->reconciliation?->verdict;
    }
}
