<?php

declare(strict_types=1);

namespace Punchout\Bundle\Contract\Default;

use Punchout\Bundle\Contract\OrderPlacer;
use Punchout\Bundle\ReceivedOrder;

/**
 * The default until the shop aliases {@see OrderPlacer}: orders are recorded by the bundle and
 * dispatched as events, and no shop order is created.
 */
final class RecordOnlyOrderPlacer implements OrderPlacer
{
    public function place(ReceivedOrder $order): ?string
    {
        return null;
    }
}
