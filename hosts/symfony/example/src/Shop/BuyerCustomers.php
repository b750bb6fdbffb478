<?php

declare(strict_types=1);

namespace App\Shop;

use Punchout\Bundle\Contract\BuyerCustomerResolver;

/** Which shop customer each buyer is (configured in services.yaml). */
final class BuyerCustomers implements BuyerCustomerResolver
{
    /** @param array<string, string> $customers buyer id => customer number */
    public function __construct(private readonly array $customers)
    {
    }

    public function customerFor(string $buyerId, array $session): ?string
    {
        return $this->customers[$buyerId] ?? null;
    }
}
