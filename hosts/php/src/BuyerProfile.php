<?php

declare(strict_types=1);

namespace Punchout;

/**
 * A buyer profile compiled inside the engine ({@see Engine::compileProfile()},
 * {@see Engine::compileProfileFile()}). The compiled profile lives in the native library for the
 * process's life (a PHP-FPM worker's), keyed by its id; this object names it and the protocol
 * its buyer speaks (`cxml` or `oci`). It holds no secret.
 */
final readonly class BuyerProfile
{
    public function __construct(public string $id, public string $protocol = '')
    {
    }

    public function speaksOci(): bool
    {
        return $this->protocol === 'oci';
    }
}
