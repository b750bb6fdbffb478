<?php

declare(strict_types=1);

namespace Punchout;

/** What a purchase order asks: a new order, a change to an earlier one, or its cancellation. */
enum OrderType: string
{
    case New = 'new';
    case Update = 'update';
    case Delete = 'delete';
}
