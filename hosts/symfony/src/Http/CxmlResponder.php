<?php

declare(strict_types=1);

namespace Punchout\Bundle\Http;

use Punchout\Engine;
use Punchout\Envelope;
use Punchout\Exception\RejectedException;
use Symfony\Component\HttpFoundation\Response;

/** cXML answers: the document, and for a refusal the engine's `Response` with its `Status`. */
final class CxmlResponder
{
    public function __construct(
        private readonly Engine $engine,
        private readonly string $payloadDomain,
        private readonly bool $mirrorStatus,
    ) {
    }

    public function envelope(): Envelope
    {
        return Envelope::generate($this->payloadDomain);
    }

    public function ok(string $document): Response
    {
        return self::xml($document, 200);
    }

    /**
     * The engine's cXML `Response` for a refusal: 401 for every authentication failure (without
     * saying which part was wrong), 403 for a return URL the profile does not allow, 400 for a
     * malformed or hostile document, 406 for the other protocol's buyer, 500 for the shop's own
     * problems. The HTTP status mirrors it unless `cxml_error_http_status: ok`.
     */
    public function refused(RejectedException $error, ?Envelope $envelope = null): Response
    {
        $document = $this->engine->cxmlErrorResponse($error, $envelope ?? $this->envelope());
        return self::xml($document, $this->mirrorStatus ? self::statusOf($document) : 200);
    }

    /** The code of the document's `Status` (500 when it has none: never happens with the engine's). */
    public static function statusOf(string $document): int
    {
        return preg_match('/<Status\s+code="(\d{3})"/', $document, $match) === 1 ? (int) $match[1] : 500;
    }

    private static function xml(string $document, int $status): Response
    {
        return new Response($document, $status, ['Content-Type' => 'text/xml; charset=UTF-8', 'Cache-Control' => 'no-store']);
    }
}
