<?php

declare(strict_types=1);

namespace Punchout\Exception;

/**
 * The engine trapped (memory cap, time budget, or a bug). The instance was discarded; the next
 * call runs on a fresh one. Treat it as a server error, not as bad input.
 */
final class TrapException extends \RuntimeException implements PunchoutException
{
}
