<?php

declare(strict_types=1);

namespace Punchout\Bundle\Contract;

/**
 * Which of the shop's customers a PunchOut buyer is (its customer number, account or company
 * id), asked when a session starts. The bundle keeps the answer with the session and hands it to
 * the {@see OrderPlacer}; the shop's own pages read it from {@see \Punchout\Bundle\PunchoutContext}
 * to show that customer's prices.
 */
interface BuyerCustomerResolver
{
    /**
     * @param string $buyerId the buyer profile's id (`acme-ariba`)
     * @param array<string, mixed> $session the engine's session (cXML: `user_email`, `extrinsics`, `ship_to`, …; OCI: `username`)
     * @return string|null the customer reference, or null for the buyer id itself
     */
    public function customerFor(string $buyerId, array $session): ?string;
}
