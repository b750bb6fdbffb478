<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** The native host could not run the call: no usable component, a bad configuration, a caught panic. */
final class HostException extends \RuntimeException implements PunchoutException
{
}
