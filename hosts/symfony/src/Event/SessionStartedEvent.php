<?php

declare(strict_types=1);

namespace Punchout\Bundle\Event;

use Punchout\Bundle\PunchoutSession;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Contracts\EventDispatcher\Event;

/**
 * The buyer's browser arrived: the start URL was opened (cXML) or the call-up accepted (OCI). A
 * listener logs the customer in, restores an edited cart from {@see PunchoutSession::items()}, or
 * sends the buyer elsewhere with {@see SessionStartedEvent::setResponse()} (by default: a 303 to
 * `punchout.landing_path`).
 */
final class SessionStartedEvent extends Event
{
    private ?Response $response = null;

    public function __construct(public readonly PunchoutSession $session, public readonly Request $request)
    {
    }

    public function setResponse(Response $response): void
    {
        $this->response = $response;
    }

    public function getResponse(): ?Response
    {
        return $this->response;
    }
}
