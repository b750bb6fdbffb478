<?php

declare(strict_types=1);

namespace Punchout;

/** How an order relates to the orders the shop already received. */
enum RedeliveryOutcome: string
{
    /** No order with this orderID is known: apply it. */
    case New = 'new';
    /** The same order delivered again: answer it as before, never apply it twice. */
    case Duplicate = 'duplicate';
    /** A known orderID with different content that is not an update: report it, never apply it silently. */
    case Conflict = 'conflict';
    /** An update or delete of a known order: apply it as a change. */
    case Update = 'update';
    /** An update or delete of an order the shop does not know: hold it for a person. */
    case UnknownPrevious = 'unknown-previous';
}
