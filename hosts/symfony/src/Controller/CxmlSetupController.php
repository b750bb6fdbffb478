<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Http\CxmlResponder;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Bundle\Storage\PunchoutStore;
use Punchout\Engine;
use Punchout\Exception\RejectedException;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\Routing\Generator\UrlGeneratorInterface;

/**
 * POST {prefix}/cxml/setup — the buyer's system, server to server: a PunchOutSetupRequest.
 * Identified among the cXML buyers by its `From`, authenticated by the engine, answered with
 * the one-time start URL; a refusal is the engine's cXML `Response` (401, 403, 400, …).
 */
final class CxmlSetupController
{
    public function __construct(
        private readonly Engine $engine,
        private readonly ProfileRegistry $profiles,
        private readonly PunchoutStore $store,
        private readonly CxmlResponder $cxml,
        private readonly UrlGeneratorInterface $urls,
        private readonly LoggerInterface $logger,
        private readonly int $sessionTtl,
    ) {
    }

    public function __invoke(Request $request): Response
    {
        $body = $request->getContent();
        $envelope = $this->cxml->envelope();
        try {
            $profile = $this->engine->cxmlIdentify($this->profiles->speaking('cxml'), $body);
            $token = PunchoutStore::newToken();
            $startUrl = $this->urls->generate('punchout_start', ['token' => $token], UrlGeneratorInterface::ABSOLUTE_URL);
            $accepted = $this->engine->cxmlSetup($profile, $body, $startUrl, $envelope);
        } catch (RejectedException $error) {
            // The engine's message holds the code and location, never the secret or the body.
            $this->logger->warning('punchout: cXML setup request refused: {error}', ['error' => $error->getMessage()]);
            return $this->cxml->refused($error, $envelope);
        }
        $session = $accepted->session;
        $stored = $this->store->createSession($token, $profile->id, 'cxml', $session->operation->value, $session->toArray(), null, $this->sessionTtl);
        $this->logger->info('punchout: cXML setup accepted for buyer `{buyer}` ({operation}), session {session}', [
            'buyer' => $profile->id,
            'operation' => $session->operation->value,
            'session' => $stored->id,
        ]);
        return $this->cxml->ok($accepted->response);
    }
}
