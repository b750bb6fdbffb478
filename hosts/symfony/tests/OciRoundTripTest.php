<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

/** An SAP SRM buyer calls the shop up by OCI (GET or POST), shops, and gets the Latin-1 form back. */
final class OciRoundTripTest extends PunchoutWebTestCase
{
    public function testTheBuyerCallsUpShopsAndGetsTheOciFormBack(): void
    {
        $this->client->request('GET', '/punchout/oci/acme-srm?' . trim(self::sample('oci-call-up.txt')));
        self::assertSame(303, $this->client->getResponse()->getStatusCode(), (string) $this->client->getResponse()->getContent());
        $catalog = $this->client->followRedirect();
        self::assertSame('PunchOut for acme-srm (customer C-1002, shopping).', $catalog->filter('#punchout')->text());

        $this->addToCart('TON-9000', 3);
        $page = $this->transfer();
        $response = $this->client->getResponse();
        self::assertSame('text/html; charset=iso-8859-1', $response->headers->get('Content-Type'));
        $body = (string) $response->getContent();
        // To the HOOK_URL (its query as fields), in the frame the call-up asked for, in the buyer's charset.
        self::assertStringContainsString('<form id="oci-cart-return" method="post" action="https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm" target="_parent" accept-charset="iso-8859-1">', $body);
        self::assertStringContainsString('<input type="hidden" name="~OkCode" value="ADDI">', $body);
        self::assertStringContainsString('value="Toner cartridge black for LaserPro 9000 &quot;high yield&quot; &amp; &lt;long life&gt;"', $body);
        self::assertStringContainsString('name="NEW_ITEM-QUANTITY[1]" value="3"', $body);
        self::assertStringContainsString('name="NEW_ITEM-VENDORMAT[1]" value="TON-9000"', $body);
        $sessionId = $this->latestSessionId();
        self::assertStringContainsString("name=\"NEW_ITEM-CUST_FIELD5[1]\" value=\"cart-$sessionId:line-1\"", $body);
        self::assertNotNull($this->store()->findReturnedCart('acme-srm', ["cart-$sessionId:line-1"]));
    }

    public function testACallUpByPostStartsTheSessionToo(): void
    {
        $this->client->request('POST', '/punchout/oci/acme-srm', [], [], ['CONTENT_TYPE' => 'application/x-www-form-urlencoded'], trim(self::sample('oci-call-up.txt')));
        self::assertSame(303, $this->client->getResponse()->getStatusCode());
        self::assertSame('PunchOut for acme-srm (customer C-1002, shopping).', $this->client->followRedirect()->filter('#punchout')->text());
    }

    public function testAWrongPasswordAForeignHookUrlAndAnUnknownBuyerAreRefused(): void
    {
        $callUp = trim(self::sample('oci-call-up.txt'));
        $this->client->request('GET', '/punchout/oci/acme-srm?' . str_replace('PASSWORD=oci-p4ss', 'PASSWORD=guess', $callUp));
        self::assertSame(401, $this->client->getResponse()->getStatusCode());
        $page = (string) $this->client->getResponse()->getContent();
        self::assertStringContainsString('the user name or password is not accepted', $page);
        self::assertStringNotContainsString('guess', $page);

        $this->client->request('GET', '/punchout/oci/acme-srm?' . str_replace('srm.example.com', 'srm.example.net', $callUp));
        self::assertSame(403, $this->client->getResponse()->getStatusCode());
        self::assertStringContainsString('an address this shop does not send carts to', (string) $this->client->getResponse()->getContent());

        // A cXML buyer's id is not an OCI call-up address.
        $this->client->request('GET', '/punchout/oci/acme-ariba?' . $callUp);
        self::assertSame(404, $this->client->getResponse()->getStatusCode());

        // Nothing was started.
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_session'));
        $this->client->request('POST', '/punchout/transfer');
        self::assertSame(403, $this->client->getResponse()->getStatusCode());
    }

    public function testTheBuyersPagesAreTranslationKeysOfThePunchoutDomain(): void
    {
        $this->client->request('GET', '/punchout/start/' . str_repeat('A', 43));
        self::assertSame(404, $this->client->getResponse()->getStatusCode());
        self::assertStringContainsString('<p>This PunchOut link is not valid.</p>', (string) $this->client->getResponse()->getContent());
        // The bundle's catalogues are registered with the shop's translator (en and de).
        $translator = static::getContainer()->get('translator');
        self::assertSame('Dieser PunchOut-Link wurde bereits verwendet. Starten Sie erneut aus Ihrem Einkaufssystem.', $translator->trans('punchout.start.used', [], 'punchout', 'de'));
    }
}
