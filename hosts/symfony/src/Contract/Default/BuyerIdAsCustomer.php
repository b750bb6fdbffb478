<?php

declare(strict_types=1);

namespace Punchout\Bundle\Contract\Default;

use Punchout\Bundle\Contract\BuyerCustomerResolver;

/** The default: the buyer profile's id is the customer reference. */
final class BuyerIdAsCustomer implements BuyerCustomerResolver
{
    public function customerFor(string $buyerId, array $session): ?string
    {
        return null;
    }
}
