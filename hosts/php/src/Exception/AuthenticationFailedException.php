<?php

declare(strict_types=1);

namespace Punchout\Exception;

/** `authentication-failed`: The credentials were recognised but the secret is wrong. */
final class AuthenticationFailedException extends RejectedException
{
}
