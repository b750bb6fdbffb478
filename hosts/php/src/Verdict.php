<?php

declare(strict_types=1);

namespace Punchout;

/** What the profile's `orders` rules make of a reconciled order. */
enum Verdict: string
{
    /** The order is the cart: nothing changed. */
    case Accept = 'accept';
    /** Every change is accepted by the rules: confirm the order as the buyer sent it. */
    case AcceptWithChanges = 'accept-with-changes';
    /** A person reviews the order before it is confirmed. */
    case Hold = 'hold';
    /** Refuse the order. */
    case Reject = 'reject';
}
