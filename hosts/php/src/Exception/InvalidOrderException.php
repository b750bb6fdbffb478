<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `invalid-order`: The order or the shop's fulfilment data (confirmation, ship notice, invoice) is invalid, or does not fit the order. */
final class InvalidOrderException extends RejectedException
{
}
