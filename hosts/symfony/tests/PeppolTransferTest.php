<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

/** A Peppol buyer's user, signed in by the shop, gets the cart back as a T77 posted by the browser. */
final class PeppolTransferTest extends PunchoutWebTestCase
{
    public function testTheCartGoesBackAsAPeppolCatalogue(): void
    {
        $this->addPeppolBuyer();
        $this->client->request('GET', '/sign-in/peppol/peppol-buyer?return_url=' . rawurlencode('https://eprocurement.def-customer.example/punchout/cart'));
        self::assertSame(303, $this->client->getResponse()->getStatusCode(), (string) $this->client->getResponse()->getContent());
        self::assertSame('PunchOut for peppol-buyer (customer peppol-buyer, create).', $this->client->followRedirect()->filter('#punchout')->text());

        $this->addToCart('ABC-123', 4);
        $page = $this->transfer();
        self::assertSame('https://eprocurement.def-customer.example/punchout/cart', $page->filter('form')->attr('action'));
        $t77 = base64_decode($page->filter('input[name="punchout-cart"]')->attr('value'), true);
        self::assertIsString($t77);
        self::assertStringContainsString('<cbc:ID>cart-' . $this->latestSessionId() . ':line-1</cbc:ID>', $t77);
        self::assertStringContainsString('<cbc:ID>ABC-123</cbc:ID>', $t77);
        self::assertNotNull($this->store()->findReturnedCart('peppol-buyer', ['cart-' . $this->latestSessionId() . ':line-1']));
    }

    public function testAReturnUrlTheProfileDoesNotAllowIsRefusedAtTransfer(): void
    {
        $this->addPeppolBuyer();
        $this->client->request('GET', '/sign-in/peppol/peppol-buyer?return_url=' . rawurlencode('https://attacker.example/collect'));
        $this->client->followRedirect();
        $this->addToCart('ABC-123', 1);
        $this->client->request('POST', '/punchout/transfer');
        self::assertSame(403, $this->client->getResponse()->getStatusCode());
        self::assertStringContainsString('The cart cannot go to the address your procurement system gave.', (string) $this->client->getResponse()->getContent());
        self::assertNull($this->store()->findReturnedCart('peppol-buyer', ['cart-' . $this->latestSessionId() . ':line-1']));
    }

    public function testOnlyAPeppolBuyerOfTheShopSignsInSo(): void
    {
        $this->client->request('GET', '/sign-in/peppol/acme-ariba?return_url=' . rawurlencode('https://procurement.example.com/punchout/'));
        self::assertSame(404, $this->client->getResponse()->getStatusCode());
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_session'));
    }
}
