<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Contract\BuyerCustomerResolver;
use Punchout\Bundle\Event\SessionStartedEvent;
use Punchout\Bundle\PunchoutContext;
use Punchout\Bundle\PunchoutSession;
use Symfony\Component\HttpFoundation\RedirectResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Contracts\EventDispatcher\EventDispatcherInterface;

/** What every start has in common: the customer, the shop session, the event, the landing. */
final class SessionStarter
{
    public function __construct(
        private readonly BuyerCustomerResolver $customers,
        private readonly PunchoutContext $context,
        private readonly EventDispatcherInterface $events,
        private readonly string $landingPath,
    ) {
    }

    /** @param array<string, mixed> $session */
    public function customerFor(string $buyerId, array $session): ?string
    {
        return $this->customers->customerFor($buyerId, $session);
    }

    public function start(Request $request, PunchoutSession $session): Response
    {
        $this->context->bind($request, $session);
        $event = new SessionStartedEvent($session, $request);
        $this->events->dispatch($event);
        return $event->getResponse() ?? new RedirectResponse($request->getUriForPath($this->landingPath), 303);
    }
}
