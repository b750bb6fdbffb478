<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `invalid-profile`: The buyer profile is invalid (located by a JSON pointer). */
final class InvalidProfileException extends RejectedException
{
}
