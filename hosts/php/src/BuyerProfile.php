<?php

declare(strict_types=1);

namespace Punchout;

/**
 * A buyer profile compiled inside the engine ({@see Engine::compileProfile()}). The compiled profile
 * lives in the native library for the process's life (a PHP-FPM worker's), keyed by its id;
 * this object only names it. It holds no secret.
 */
final readonly class BuyerProfile
{
    public function __construct(public string $id)
    {
    }
}
