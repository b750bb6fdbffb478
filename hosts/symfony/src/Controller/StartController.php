<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Http\Pages;
use Punchout\Bundle\Storage\PunchoutStore;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * GET {prefix}/start/{token} — the buyer's browser opens the start URL the setup answer carried.
 * Single use and limited in time (`punchout.session_ttl`): a second opening, an expired or an
 * unknown token shows a page saying so and starts nothing.
 */
final class StartController
{
    public function __construct(
        private readonly PunchoutStore $store,
        private readonly SessionStarter $starter,
        private readonly Pages $pages,
        private readonly LoggerInterface $logger,
    ) {
    }

    public function __invoke(Request $request, string $token): Response
    {
        $pending = $this->store->pendingBuyer($token);
        $customer = $pending === null ? null : $this->starter->customerFor($pending[0], $pending[1]);
        [$session, $why] = $this->store->startSession($token, $customer);
        if ($session === null) {
            // The token is a credential: never logged.
            $this->logger->notice('punchout: start URL refused ({why})', ['why' => $why]);
            return match ($why) {
                'used' => $this->pages->error(403, 'punchout.start.used'),
                'expired' => $this->pages->error(410, 'punchout.start.expired'),
                default => $this->pages->error(404, 'punchout.start.unknown'),
            };
        }
        $this->logger->info('punchout: session {session} of buyer `{buyer}` started', ['session' => $session->id, 'buyer' => $session->buyerId]);
        return $this->starter->start($request, $session);
    }
}
