<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** The native library cannot be loaded: FFI off, the file missing or not the engine's library. */
final class LibraryException extends \RuntimeException implements PunchoutException
{
}
