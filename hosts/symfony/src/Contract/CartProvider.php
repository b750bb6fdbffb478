<?php

declare(strict_types=1);

namespace Punchout\Bundle\Contract;

use Punchout\Bundle\PunchoutSession;
use Punchout\Cart;
use Symfony\Component\HttpFoundation\Request;

/**
 * The shop's cart as the engine's cart, when the buyer transfers it. Each line's `line_ref` must
 * be unique across the shop's carts (`cart-7:line-1`): the buyer's purchase order quotes it back
 * and the bundle finds the returned cart by it for the reconciliation.
 */
interface CartProvider
{
    /** The cart of the buyer's shop session (an empty cart is a valid "cancel"). */
    public function cartFor(PunchoutSession $session, Request $request): Cart;

    /** Empties the shop's cart after it went to the buyer. */
    public function clear(PunchoutSession $session, Request $request): void;
}
