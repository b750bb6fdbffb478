<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use Punchout\SetupOperation;

/** A cXML buyer punches in, shops, and gets its cart back; the start URL opens once. */
final class CxmlRoundTripTest extends PunchoutWebTestCase
{
    public function testTheBuyerPunchesInShopsAndGetsTheCartBack(): void
    {
        RecordingLogger::$records = [];
        $startUrl = $this->cxmlSetup(self::sample('cxml-setup-request.xml'));
        $catalog = $this->start($startUrl);
        self::assertSame('PunchOut for acme-ariba (customer C-1001, create).', $catalog->filter('#punchout')->text());

        $this->addToCart('ABC-123', 10);
        $this->addToCart('TON-9000', 2);
        $page = $this->transfer();
        $sessionId = $this->latestSessionId();

        $form = $page->filter('form');
        self::assertSame('https://procurement.example.com/punchout/return?sap-client=100', $form->attr('action'));
        $message = $this->engine()->cxmlReadOrderMessage($page->filter('input[name="cxml-urlencoded"]')->attr('value'));
        self::assertSame('c0ffee-42-ACME', $message->buyerCookie);
        // The buyer may send the cart back to edit it.
        self::assertSame(SetupOperation::Edit, $message->operationAllowed);
        self::assertSame(['ABC-123', 'TON-9000'], array_map(static fn ($line) => $line->sku, $message->lines));
        self::assertSame(['10', '2'], array_map(static fn ($line) => $line->quantity, $message->lines));
        self::assertSame(["cart-$sessionId:line-1", "cart-$sessionId:line-2"], array_map(static fn ($line) => $line->lineRef, $message->lines));

        // The returned cart is stored for the order's reconciliation; the session is over.
        [$cartId, $cart, $session] = $this->store()->findReturnedCart('acme-ariba', ["cart-$sessionId:line-2"]);
        self::assertSame('10', $cart->lines[0]->quantity);
        self::assertSame($sessionId, $session->id);
        self::assertNotNull($session->transferredAt);
        self::assertSame('C-1001', $session->customer);
        $this->client->request('POST', '/punchout/transfer');
        self::assertSame(403, $this->client->getResponse()->getStatusCode());
        self::assertStringContainsString('There is no PunchOut session to transfer a cart to', (string) $this->client->getResponse()->getContent());
        // The shop cart was emptied with the transfer.
        self::assertCount(0, $this->client->request('GET', '/')->filter('#cart li'));

        // Each step logged; neither the shared secret nor the start URL's token ever.
        $log = implode("\n", RecordingLogger::$records);
        self::assertStringContainsString("[info] punchout: cXML setup accepted for buyer `acme-ariba` (create), session $sessionId", $log);
        self::assertStringContainsString("[info] punchout: session $sessionId of buyer `acme-ariba` started", $log);
        self::assertStringContainsString("[info] punchout: cart $cartId (2 lines) transferred to buyer `acme-ariba` by cxml, session $sessionId", $log);
        self::assertStringNotContainsString('s3cr3t', $log);
        self::assertStringNotContainsString(substr($startUrl, \strlen('http://localhost/punchout/start/')), $log);
    }

    public function testAnEditedCartComesBackToTheShopAndGoesBackChanged(): void
    {
        $catalog = $this->start($this->cxmlSetup(self::fixture('cxml-setup/edit-with-items.xml')));
        self::assertSame('PunchOut for acme-ariba (customer C-1001, edit).', $catalog->filter('#punchout')->text());
        // The subscriber restored the buyer's lines into the shop cart (XYZ-9 is not in this catalog).
        self::assertSame(['ABC-123', 'XYZ-9'], $catalog->filter('#cart li')->each(static fn ($li) => $li->attr('data-sku')));

        $this->addToCart('ABC-123', 3);
        $message = $this->engine()->cxmlReadOrderMessage($this->transfer()->filter('input[name="cxml-urlencoded"]')->attr('value'));
        self::assertSame('c0ffee-43-ACME', $message->buyerCookie);
        self::assertSame(['ABC-123'], array_map(static fn ($line) => $line->sku, $message->lines));
        self::assertSame('5', $message->lines[0]->quantity);
    }

    public function testTheStartUrlOpensOnceAndOnlyBeforeItExpires(): void
    {
        $startUrl = $this->cxmlSetup(self::sample('cxml-setup-request.xml'));
        $this->start($startUrl);

        // Opened again, by the same browser or another: refused, and nothing starts.
        $this->client->request('GET', $startUrl);
        self::assertSame(403, $this->client->getResponse()->getStatusCode());
        self::assertStringContainsString('This PunchOut link was already used.', (string) $this->client->getResponse()->getContent());
        $this->client->restart();
        $this->client->request('GET', $startUrl);
        self::assertSame(403, $this->client->getResponse()->getStatusCode());
        $this->client->request('POST', '/punchout/transfer');
        self::assertSame(403, $this->client->getResponse()->getStatusCode());

        // Expired before it was opened.
        $late = $this->cxmlSetup(self::sample('cxml-setup-request.xml'));
        $this->connection()->executeStatement('UPDATE punchout_session SET expires_at = ? WHERE id = ?', [time() - 1, $this->latestSessionId()]);
        $this->client->request('GET', $late);
        self::assertSame(410, $this->client->getResponse()->getStatusCode());
        self::assertStringContainsString('This PunchOut link has expired.', (string) $this->client->getResponse()->getContent());

        // A token that was never issued.
        $this->client->request('GET', '/punchout/start/' . str_repeat('A', 43));
        self::assertSame(404, $this->client->getResponse()->getStatusCode());

        // Only the token's hash is stored: the table holds no usable link.
        $token = substr($startUrl, \strlen('http://localhost/punchout/start/'));
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_session WHERE token_hash = ?', [$token]));
        self::assertSame(1, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_session WHERE token_hash = ?', [hash('sha256', $token)]));
    }
}
