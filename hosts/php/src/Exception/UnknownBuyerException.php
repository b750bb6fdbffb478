<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `unknown-buyer`: No buyer profile recognises the sender's credentials. */
final class UnknownBuyerException extends RejectedException
{
}
