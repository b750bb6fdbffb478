<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

/** A redelivery that arrived while the first delivery of the same order is still being processed. */
final class OrderInProgress extends \RuntimeException
{
    public function __construct(public readonly string $orderId)
    {
        parent::__construct("order `$orderId` is still being processed");
    }
}
