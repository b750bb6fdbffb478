<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `invalid-cart`: The cart handed in by the shop is invalid (located by a JSON pointer such as /lines/2/quantity). */
final class InvalidCartException extends RejectedException
{
}
