<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `malformed-xml`: The document is not well-formed XML, or not valid UTF-8 or Latin-1 text. */
final class MalformedXmlException extends RejectedException
{
}
