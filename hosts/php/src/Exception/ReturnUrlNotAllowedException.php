<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `return-url-not-allowed`: The return URL is not allowed by the buyer profile. */
final class ReturnUrlNotAllowedException extends RejectedException
{
}
