<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Bundle\Http\CxmlResponder;
use Punchout\Engine;
use Punchout\Exception\RejectedException;

/** `cxml_error_http_status`: the HTTP status mirrors the cXML Status, or is always 200. */
final class CxmlResponderTest extends TestCase
{
    public function testTheHttpStatusMirrorsTheCxmlStatusOrIsAlways200(): void
    {
        $engine = new Engine();
        $forbidden = RejectedException::fromError(['code' => 'return-url-not-allowed', 'message' => 'the return URL `https://x.example/` is not allowed', 'location' => ['path' => '/cXML/Request/PunchOutSetupRequest/BrowserFormPost/URL']]);

        $mirrored = (new CxmlResponder($engine, 'shop.example.com', true))->refused($forbidden);
        self::assertSame(403, $mirrored->getStatusCode());
        self::assertStringContainsString('<Status code="403" text="Forbidden"', (string) $mirrored->getContent());
        self::assertStringContainsString('@shop.example.com"', (string) $mirrored->getContent());

        $ok = (new CxmlResponder($engine, 'shop.example.com', false))->refused($forbidden);
        self::assertSame(200, $ok->getStatusCode());
        self::assertStringContainsString('<Status code="403" text="Forbidden"', (string) $ok->getContent());
    }
}
