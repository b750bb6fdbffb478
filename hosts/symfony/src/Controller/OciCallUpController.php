<?php

declare(strict_types=1);

namespace Punchout\Bundle\Controller;

use Punchout\Bundle\Http\Pages;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Bundle\Storage\PunchoutStore;
use Punchout\Engine;
use Punchout\Exception\AuthenticationFailedException;
use Punchout\Exception\RejectedException;
use Punchout\Exception\ReturnUrlNotAllowedException;
use Punchout\Exception\UnknownBuyerException;
use Psr\Log\LoggerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * GET or POST {prefix}/oci/{buyer} — the OCI call-up: the buyer's browser itself, with
 * `USERNAME`, `PASSWORD`, `HOOK_URL`. Authenticated by the engine against the buyer's profile;
 * accepted, the session starts at once (there is no start URL in OCI).
 */
final class OciCallUpController
{
    public function __construct(
        private readonly Engine $engine,
        private readonly ProfileRegistry $profiles,
        private readonly PunchoutStore $store,
        private readonly SessionStarter $starter,
        private readonly Pages $pages,
        private readonly LoggerInterface $logger,
        private readonly int $shoppingTtl,
    ) {
    }

    public function __invoke(Request $request, string $buyer): Response
    {
        $profile = $this->profiles->get($buyer);
        if ($profile === null || !$profile->speaksOci()) {
            $this->logger->warning('punchout: OCI call-up for `{buyer}`, which is not an OCI buyer of this shop', ['buyer' => $buyer]);
            return $this->pages->error(404, 'punchout.oci.unknown_buyer');
        }
        try {
            $accepted = $this->engine->ociCallUp($profile, self::callUp($request));
        } catch (RejectedException $error) {
            $this->logger->warning('punchout: OCI call-up for buyer `{buyer}` refused: {error}', ['buyer' => $buyer, 'error' => $error->getMessage()]);
            return match (true) {
                $error instanceof AuthenticationFailedException, $error instanceof UnknownBuyerException => $this->pages->error(401, 'punchout.oci.unauthorized'),
                $error instanceof ReturnUrlNotAllowedException => $this->pages->error(403, 'punchout.oci.return_url_not_allowed'),
                default => $this->pages->error(400, 'punchout.oci.bad_call_up'),
            };
        }
        $data = $accepted->session->toArray() + ['function' => $accepted->function->jsonSerialize()];
        $session = $this->store->createSession(null, $profile->id, 'oci', $accepted->function->name, $data, $this->starter->customerFor($profile->id, $data), $this->shoppingTtl);
        $this->logger->info('punchout: OCI call-up accepted for buyer `{buyer}` ({function}), session {session}', [
            'buyer' => $profile->id,
            'function' => $accepted->function->name,
            'session' => $session->id,
        ]);
        return $this->starter->start($request, $session);
    }

    /** The call-up as the buyer's system sent it: the query string of a GET, the body of a POST. */
    private static function callUp(Request $request): string
    {
        if ($request->isMethod('GET')) {
            return (string) $request->server->get('QUERY_STRING', '');
        }
        $body = $request->getContent();
        if ($body === '' && $request->request->count() > 0) {
            // multipart/form-data: PHP parsed it and left no raw body.
            return http_build_query($request->request->all(), '', '&', PHP_QUERY_RFC3986);
        }
        return $body;
    }
}
