<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use Punchout\Bundle\Event\OrderReceivedEvent;
use Punchout\RedeliveryOutcome;
use Punchout\Verdict;

/**
 * The purchase order after approval: the buyer raised a quantity and lowered a price; the order
 * is reconciled against the returned cart, accepted with changes under the profile's rules, and
 * becomes a shop order through the OrderPlacer; the event carries it all. Delivered again, it
 * is answered as before and not placed twice.
 */
final class OrderTest extends PunchoutWebTestCase
{
    /** The sample OrderRequest for the cart the shop returned in session `$sessionId`. */
    private function returnCartAndApprove(): string
    {
        $this->start($this->cxmlSetup(self::sample('cxml-setup-request.xml')));
        $this->addToCart('ABC-123', 10);
        $this->addToCart('TON-9000', 2);
        $this->transfer();
        // The buyer's system approved the cart: ABC-123 raised to 12, TON-9000 10 % cheaper.
        return str_replace('cart-9:', 'cart-' . $this->latestSessionId() . ':', self::sample('cxml-order-request.xml'));
    }

    public function testTheApprovedOrderBecomesAShopOrderAndItsDuplicateIsAnsweredAsBefore(): void
    {
        $order = $this->returnCartAndApprove();
        $this->client->disableReboot();
        /** @var list<OrderReceivedEvent> $events */
        $events = [];
        static::getContainer()->get('event_dispatcher')->addListener(OrderReceivedEvent::class, static function (OrderReceivedEvent $event) use (&$events): void {
            $events[] = $event;
        });

        $answer = $this->postXml('/punchout/cxml/order', $order);
        self::assertSame(200, $this->client->getResponse()->getStatusCode(), $answer);
        self::assertStringContainsString('<Status code="200" text="OK"', $answer);

        self::assertCount(1, $events);
        [$event] = $events;
        self::assertSame(OrderReceivedEvent::PLACED, $event->status);
        self::assertSame(Verdict::AcceptWithChanges, $event->verdict());
        self::assertSame(RedeliveryOutcome::New, $event->order->redelivery->outcome);
        self::assertSame('PO-2026-4711', $event->order->order->orderId);
        self::assertSame('C-1001', $event->order->customer());
        self::assertSame(['10', '12'], [$event->order->reconciliation->lines[0]['differences'][0]['cart'], $event->order->reconciliation->lines[0]['differences'][0]['order']]);
        self::assertSame('10', $event->order->returnedCart->lines[0]->quantity);

        // The shop order: the buyer's quantities and prices, for the buyer's customer.
        $shopOrders = $this->connection()->fetchAllAssociative('SELECT * FROM shop_order');
        self::assertCount(1, $shopOrders);
        self::assertSame($event->shopOrderRef, $shopOrders[0]['number']);
        self::assertSame('C-1001', $shopOrders[0]['customer']);
        self::assertSame('PO-2026-4711', $shopOrders[0]['purchase_order']);
        self::assertSame('accept-with-changes', $shopOrders[0]['verdict']);
        $lines = json_decode($shopOrders[0]['lines'], true);
        self::assertSame(['ABC-123', '12', '4.20'], [$lines[0]['sku'], $lines[0]['quantity'], $lines[0]['unit_price']]);
        self::assertSame(['TON-9000', '2', '80.91'], [$lines[1]['sku'], $lines[1]['quantity'], $lines[1]['unit_price']]);

        $received = $this->store()->receivedOrders('acme-ariba');
        self::assertCount(1, $received);
        self::assertSame(['placed', 'accept-with-changes', 'new'], [$received[0]['status'], $received[0]['verdict'], $received[0]['outcome']]);

        // Delivered again (the same document, then with a new payloadID): the first answer, byte
        // for byte, and no second shop order.
        $again = $this->postXml('/punchout/cxml/order', $order);
        self::assertSame(200, $this->client->getResponse()->getStatusCode());
        self::assertSame($answer, $again);
        $resent = $this->postXml('/punchout/cxml/order', str_replace('1764148800.1.demo@', '1764148800.9.demo@', $order));
        self::assertSame($answer, $resent);
        self::assertSame(OrderReceivedEvent::DUPLICATE, $events[2]->status);
        self::assertSame(RedeliveryOutcome::Duplicate, $events[2]->order->redelivery->outcome);
        self::assertSame($event->shopOrderRef, $events[2]->shopOrderRef);
        self::assertSame(1, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM shop_order'));
        self::assertCount(1, $this->store()->receivedOrders());
    }

    public function testAnOrderIdDeliveredAgainWithOtherContentIsAConflictHeldForAPerson(): void
    {
        $order = $this->returnCartAndApprove();
        $this->postXml('/punchout/cxml/order', $order);
        self::assertSame(200, $this->client->getResponse()->getStatusCode());

        // Same orderID, another quantity, not marked as an update: never applied silently.
        $other = str_replace(['quantity="12"', '1764148800.1.demo@'], ['quantity="13"', '1764148800.2.demo@'], $order);
        $answer = $this->postXml('/punchout/cxml/order', $other);
        self::assertSame(200, $this->client->getResponse()->getStatusCode(), $answer);
        $received = $this->store()->receivedOrders('acme-ariba');
        self::assertCount(2, $received);
        self::assertSame(['conflict', 'held', null], [$received[0]['outcome'], $received[0]['status'], $received[0]['shop_order_ref']]);
        self::assertSame(1, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM shop_order'));
    }

    public function testAnOrderTheRulesHoldIsRecordedAndNotPlaced(): void
    {
        // 20 % dearer than the cart: `price_increase` is `hold` by default.
        $order = str_replace('<Money currency="EUR">4.20</Money>', '<Money currency="EUR">5.04</Money>', $this->returnCartAndApprove());
        $answer = $this->postXml('/punchout/cxml/order', $order);
        self::assertSame(200, $this->client->getResponse()->getStatusCode(), $answer);
        $received = $this->store()->receivedOrders('acme-ariba');
        self::assertSame(['held', 'hold', null], [$received[0]['status'], $received[0]['verdict'], $received[0]['shop_order_ref']]);
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM shop_order'));
    }

    public function testAnOrderWithoutAReturnedCartIsReconciledAgainstNothingAndNotPlaced(): void
    {
        $answer = $this->postXml('/punchout/cxml/order', self::sample('cxml-order-request.xml'));
        self::assertSame(200, $this->client->getResponse()->getStatusCode(), $answer);
        $received = $this->store()->receivedOrders('acme-ariba');
        self::assertNull($received[0]['cart_id']);
        self::assertNotSame('placed', $received[0]['status']);
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM shop_order'));
    }

    public function testAPeppolOrderIsIdentifiedReconciledAndAnsweredWithAT76(): void
    {
        $this->addPeppolBuyer();

        $t01 = self::fixture('peppol-order/line-refs.xml');
        $this->client->request('POST', '/punchout/peppol/order', [], [], ['CONTENT_TYPE' => 'application/xml'], $t01);
        $response = $this->client->getResponse();
        $received = $this->store()->receivedOrders('peppol-buyer');
        self::assertCount(1, $received);
        self::assertSame(['PO-7', 'peppol', 'new'], [$received[0]['order_id'], $received[0]['protocol'], $received[0]['outcome']]);
        // No cart was returned for it: every line is unknown to the shop, which the rules reject.
        self::assertSame(['reject', 'rejected'], [$received[0]['verdict'], $received[0]['status']]);
        self::assertSame(200, $response->getStatusCode(), (string) $response->getContent());
        self::assertStringContainsString('<cbc:OrderResponseCode>RE</cbc:OrderResponseCode>', (string) $response->getContent());

        // Delivered again: the same T76.
        $first = (string) $response->getContent();
        $this->client->request('POST', '/punchout/peppol/order', [], [], ['CONTENT_TYPE' => 'application/xml'], $t01);
        self::assertSame($first, (string) $this->client->getResponse()->getContent());

        // For a buyer the shop does not have: 401, nothing recorded.
        $this->client->request('POST', '/punchout/peppol/order', [], [], ['CONTENT_TYPE' => 'application/xml'], str_replace('7300010000001', '7300010000099', $t01));
        self::assertSame(401, $this->client->getResponse()->getStatusCode());
        self::assertStringStartsWith('unknown-buyer: ', (string) $this->client->getResponse()->getContent());
        self::assertCount(1, $this->store()->receivedOrders());
    }
}
