<?php

declare(strict_types=1);

namespace Punchout\Bundle\Contract\Default;

use Punchout\Bundle\Contract\CartProvider;
use Punchout\Bundle\PunchoutSession;
use Punchout\Cart;
use Symfony\Component\HttpFoundation\Request;

/** The default until the shop aliases {@see CartProvider} to its own cart: says so. */
final class NoCartProvider implements CartProvider
{
    public function cartFor(PunchoutSession $session, Request $request): Cart
    {
        throw new \LogicException('the shop has no PunchOut cart provider: alias `Punchout\Bundle\Contract\CartProvider` to a service that returns the shop cart as a Punchout\Cart');
    }

    public function clear(PunchoutSession $session, Request $request): void
    {
    }
}
