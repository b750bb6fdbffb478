<?php

declare(strict_types=1);

namespace App\Controller;

use Punchout\Bundle\PeppolSessions;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Exception\NotFoundHttpException;

/**
 * Where a real shop's sign-in would be: the user is a Peppol buyer's, so a Peppol PunchOut
 * session starts with the buyer's return URL. The example has no users; it trusts the link.
 */
final class PeppolSignInController
{
    public function __construct(private readonly PeppolSessions $sessions)
    {
    }

    public function __invoke(Request $request, string $buyer): Response
    {
        try {
            return $this->sessions->start($request, $buyer, (string) $request->query->get('return_url', ''));
        } catch (\InvalidArgumentException $error) {
            throw new NotFoundHttpException($error->getMessage(), $error);
        }
    }
}
