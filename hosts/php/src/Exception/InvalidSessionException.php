<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `invalid-session`: The session handed in by the shop is invalid. */
final class InvalidSessionException extends RejectedException
{
}
