<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

/**
 * Refused cXML requests: the engine's cXML `Response` with its Status, the HTTP status the same,
 * nothing stored, the secret never echoed.
 */
final class CxmlRefusalTest extends PunchoutWebTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        RecordingLogger::$records = [];
    }

    private function assertRefused(int $status, string $answer): void
    {
        self::assertSame($status, $this->client->getResponse()->getStatusCode(), $answer);
        self::assertSame('text/xml; charset=UTF-8', $this->client->getResponse()->headers->get('Content-Type'));
        self::assertSame(1, preg_match('#<Status code="(\d+)"#', $answer, $match), $answer);
        self::assertSame((string) $status, $match[1]);
    }

    public function testAWrongSecretIsRefusedWith401AndNeverEchoed(): void
    {
        $answer = $this->postXml('/punchout/cxml/setup', str_replace('<SharedSecret>s3cr3t<', '<SharedSecret>guess-w0rd<', self::sample('cxml-setup-request.xml')));
        $this->assertRefused(401, $answer);
        self::assertStringContainsString("the sender's credentials were not accepted", $answer);
        self::assertStringNotContainsString('guess-w0rd', $answer);
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_session'));

        // The same for a purchase order: not read, not recorded.
        $answer = $this->postXml('/punchout/cxml/order', str_replace('>s3cr3t<', '>guess-w0rd<', self::sample('cxml-order-request.xml')));
        $this->assertRefused(401, $answer);
        self::assertStringNotContainsString('guess-w0rd', $answer);
        self::assertSame([], $this->store()->receivedOrders());

        // Logged with its code and location for the shop, never with the secret.
        $log = implode("\n", RecordingLogger::$records);
        self::assertStringContainsString('[warning] punchout: cXML setup request refused: authentication-failed: ', $log);
        self::assertStringContainsString('[warning] punchout: cXML order refused: authentication-failed: ', $log);
        self::assertStringNotContainsString('guess-w0rd', $log);
        self::assertStringNotContainsString('s3cr3t', $log);
    }

    public function testAnUnknownSenderGetsTheSame401(): void
    {
        $answer = $this->postXml('/punchout/cxml/setup', str_replace('AN01000000001', 'AN09999999999', self::sample('cxml-setup-request.xml')));
        $this->assertRefused(401, $answer);
        self::assertStringContainsString("the sender's credentials were not accepted", $answer);
    }

    public function testAForeignReturnUrlIsRefusedWith403(): void
    {
        $answer = $this->postXml('/punchout/cxml/setup', str_replace('https://procurement.example.com/punchout/return', 'https://procurement.example.net/punchout/return', self::sample('cxml-setup-request.xml')));
        $this->assertRefused(403, $answer);
        self::assertStringContainsString('<Status code="403" text="Forbidden"', $answer);
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_session'));
    }

    public function testAMalformedOrHostileDocumentIsRefusedWith400(): void
    {
        $this->assertRefused(400, $this->postXml('/punchout/cxml/setup', '<cXML><Header>'));
        $hostile = str_replace('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">', '<!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>', self::sample('cxml-setup-request.xml'));
        $answer = $this->postXml('/punchout/cxml/setup', $hostile);
        $this->assertRefused(400, $answer);
        self::assertStringNotContainsString('root:', $answer);
        $this->assertRefused(400, $this->postXml('/punchout/cxml/order', 'not xml'));
    }

    public function testTheSetupAndOrderEndpointsTakeOnlyPost(): void
    {
        $this->client->request('GET', '/punchout/cxml/setup');
        self::assertSame(405, $this->client->getResponse()->getStatusCode());
        $this->client->request('GET', '/punchout/transfer');
        self::assertSame(405, $this->client->getResponse()->getStatusCode());
    }
}
