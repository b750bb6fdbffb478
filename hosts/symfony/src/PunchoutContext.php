<?php

declare(strict_types=1);

namespace Punchout\Bundle;

use Punchout\Bundle\Storage\PunchoutStore;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\RequestStack;

/**
 * The PunchOut session of the current shop visitor, for the shop's own pages: whether the
 * visitor is a buyer's user in PunchOut (show "transfer the cart" instead of checkout), which
 * buyer and customer, and what to do (edit, inspect, an OCI `DETAIL`).
 *
 * The shop session holds only the stored session's id; everything else is read from the store.
 */
final class PunchoutContext
{
    public const SESSION_KEY = '_punchout_session';

    private ?PunchoutSession $current = null;

    public function __construct(
        private readonly RequestStack $requests,
        private readonly PunchoutStore $store,
        private readonly int $shoppingTtl,
    ) {
    }

    /** The visitor's PunchOut session while it may still transfer its cart; null otherwise. */
    public function current(?Request $request = null): ?PunchoutSession
    {
        $request ??= $this->requests->getMainRequest();
        // A visitor without a shop session is not in PunchOut: no session is started for them.
        if ($request === null || !$request->hasSession() || (!$request->hasPreviousSession() && !$request->getSession()->isStarted())) {
            return null;
        }
        $id = $request->getSession()->get(self::SESSION_KEY);
        if (!\is_int($id)) {
            return null;
        }
        if ($this->current?->id === $id) {
            return $this->current;
        }
        $session = $this->store->session($id);
        if ($session === null || $session->transferredAt !== null || ($session->startedAt ?? 0) + $this->shoppingTtl < time()) {
            return null;
        }
        return $this->current = $session;
    }

    /** Why there is no current session: `none` (never started or ended) or `expired`. */
    public function absence(Request $request): string
    {
        $id = $request->hasSession() && ($request->hasPreviousSession() || $request->getSession()->isStarted()) ? $request->getSession()->get(self::SESSION_KEY) : null;
        if (!\is_int($id)) {
            return 'none';
        }
        $session = $this->store->session($id);
        return $session !== null && $session->transferredAt === null ? 'expired' : 'none';
    }

    /** Binds a started session to the visitor's shop session (a fresh session id: no fixation). */
    public function bind(Request $request, PunchoutSession $session): void
    {
        $shopSession = $request->getSession();
        $shopSession->migrate(true);
        $shopSession->set(self::SESSION_KEY, $session->id);
        $this->current = $session;
    }

    public function end(Request $request): void
    {
        if ($request->hasSession()) {
            $request->getSession()->remove(self::SESSION_KEY);
        }
        $this->current = null;
    }
}
