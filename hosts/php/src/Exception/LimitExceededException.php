<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `limit-exceeded`: A size, depth, count or length limit was exceeded. */
final class LimitExceededException extends RejectedException
{
}
