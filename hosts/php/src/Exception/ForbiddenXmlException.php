<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `forbidden-xml`: The document uses an XML feature the engine refuses: an internal DTD subset, an entity declaration, an undeclared entity, a character reference outside the XML range. */
final class ForbiddenXmlException extends RejectedException
{
}
