<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `invalid-value`: A value has the wrong format: a decimal, a currency code, a URL (also: a call input of the wrong shape). */
final class InvalidValueException extends RejectedException
{
}
