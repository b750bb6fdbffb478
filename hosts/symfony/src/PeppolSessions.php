<?php

declare(strict_types=1);

namespace Punchout\Bundle;

use Punchout\Bundle\Controller\SessionStarter;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Bundle\Storage\PunchoutStore;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * Peppol BIS Punch Out has no setup message: the buyer's user signs in to the shop and the cart
 * (T77) goes back to a return URL of the buyer's profile. The shop calls {@see start()} from its
 * own signed-in page once it knows the user belongs to a Peppol buyer; the bundle does the rest
 * (the transfer page, the order endpoint). There is deliberately no open route for it: who the
 * user is, is the shop's sign-in's business.
 */
final class PeppolSessions
{
    public function __construct(
        private readonly ProfileRegistry $profiles,
        private readonly PunchoutStore $store,
        private readonly SessionStarter $starter,
        private readonly LoggerInterface $logger,
        private readonly int $shoppingTtl,
    ) {
    }

    /**
     * Starts a Peppol PunchOut session for the signed-in user of `$buyerId` whose cart goes to
     * `$returnUrl` (checked against the profile's `return_urls` when the cart is sent).
     *
     * @throws \InvalidArgumentException for a buyer that is not a Peppol buyer of this shop
     */
    public function start(Request $request, string $buyerId, string $returnUrl): Response
    {
        $profile = $this->profiles->get($buyerId);
        if ($profile === null || $profile->protocol !== 'peppol') {
            throw new \InvalidArgumentException("`$buyerId` is not a Peppol buyer of this shop");
        }
        $data = ['buyer_id' => $buyerId, 'return_url' => $returnUrl];
        $session = $this->store->createSession(null, $buyerId, 'peppol', 'create', $data, $this->starter->customerFor($buyerId, $data), $this->shoppingTtl);
        $this->logger->info('punchout: Peppol session {session} of buyer `{buyer}` started', ['session' => $session->id, 'buyer' => $buyerId]);
        return $this->starter->start($request, $session);
    }
}
