<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `unsupported-operation`: The requested operation is not supported for this buyer. */
final class UnsupportedOperationException extends RejectedException
{
}
