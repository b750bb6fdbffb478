<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `invalid-document`: The document is well-formed but not the expected one: wrong root, missing or repeated element, unknown version. */
final class InvalidDocumentException extends RejectedException
{
}
