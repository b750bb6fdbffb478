<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** Every exception of this package. */
interface PunchoutException extends \Throwable
{
}
