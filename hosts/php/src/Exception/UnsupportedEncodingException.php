<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `unsupported-encoding`: The document declares an encoding other than UTF-8, ISO-8859-1 or windows-1252. */
final class UnsupportedEncodingException extends RejectedException
{
}
