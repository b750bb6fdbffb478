<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\BuyerProfile;
use Punchout\Engine;
use Punchout\Exception;
use Punchout\OrderRecord;
use Punchout\OrderType;
use Punchout\PurchaseOrder;
use Punchout\RedeliveryOutcome;
use Punchout\Session;
use Punchout\Verdict;

/** The order leg from PHP: the purchase order read, checked, reconciled, answered and fulfilled. */
final class OrderLegTest extends TestCase
{
    private static function profile(Engine $engine): BuyerProfile
    {
        return $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
    }

    public function testAnOrderIsReadAcknowledgedAndRecognisedWhenDeliveredAgain(): void
    {
        $engine = Fixtures::engine();
        $profile = self::profile($engine);
        $request = Fixtures::read('cxml-order-request.xml');
        self::assertSame($profile, $engine->ordersIdentifyCxmlOrder([$profile], $request));
        $order = $engine->ordersReadCxmlOrder($profile, $request);
        self::assertSame('PO-2026-4711', $order->orderId);
        self::assertSame(OrderType::New, $order->orderType);
        self::assertSame('acme-ariba', $order->buyerId);
        self::assertSame('217.22', $order->total);
        self::assertCount(2, $order->lines);
        self::assertSame('12', $order->lines[0]->quantity);
        self::assertSame('cart-9:line-1', $order->lines[0]->supplierPartAuxiliaryId);
        self::assertSame('80.91', $order->lines[1]->unitPrice);
        self::assertSame(64, \strlen($order->idempotencyKey));
        self::assertStringContainsString('<Status code="200" text="OK"/>', $engine->ordersCxmlOrderResponse());

        // Stored as JSON and read back, the order is the same order.
        $stored = PurchaseOrder::fromJson($order->toJson());
        self::assertEquals($order, $stored);
        self::assertSame(RedeliveryOutcome::New, $engine->ordersCheckRedelivery($stored, [])->outcome);
        $again = $engine->ordersReadCxmlOrder($profile, str_replace('1764148800.1.demo@', '1764148800.9.demo@', $request));
        $duplicate = $engine->ordersCheckRedelivery($again, [OrderRecord::of($order)]);
        self::assertSame(RedeliveryOutcome::Duplicate, $duplicate->outcome);
        self::assertEquals(OrderRecord::of($order), $duplicate->known);
    }

    public function testTheOrderIsReconciledAgainstTheReturnedCart(): void
    {
        $engine = Fixtures::engine();
        $profile = self::profile($engine);
        $order = $engine->ordersReadCxmlOrder($profile, Fixtures::read('cxml-order-request.xml'));
        $result = $engine->ordersReconcile($profile, $order, Fixtures::cart(), Session::fromArray(Fixtures::json('cxml-session.json')));
        self::assertSame(Verdict::AcceptWithChanges, $result->verdict);
        self::assertSame('changed', $result->lines[0]['outcome']);
        self::assertSame(['10', '12'], [$result->lines[0]['differences'][0]['cart'], $result->lines[0]['differences'][0]['order']]);
        self::assertSame('price-decrease', $result->reasons[1]['rule']);
    }

    public function testConfirmationShipNoticeAndInvoiceAreWrittenAndBadDataRefused(): void
    {
        $engine = Fixtures::engine();
        $profile = self::profile($engine);
        $order = $engine->ordersReadCxmlOrder($profile, Fixtures::read('cxml-order-request.xml'));
        self::assertStringContainsString('<ConfirmationRequest>', $engine->ordersCxmlConfirmation($profile, $order, Fixtures::json('order-confirmation.json')));
        self::assertStringContainsString('<ShipNoticeRequest>', $engine->ordersCxmlShipNotice($profile, $order, Fixtures::json('order-ship-notice.json')));
        $invoice = $engine->ordersCxmlInvoice($profile, $order, Fixtures::json('order-invoice.json'));
        // 10 × 4.20 + 2 × 80.91 + 5.00 shipping = 208.82, VAT 19 % = 39.68: computed by the engine.
        self::assertStringContainsString('<NetAmount>', $invoice);
        self::assertStringContainsString('248.50', $invoice);

        $tooMuch = Fixtures::json('order-ship-notice.json');
        $tooMuch['lines'][0]['quantity'] = '13';
        try {
            $engine->ordersCxmlShipNotice($profile, $order, $tooMuch);
            self::fail('more shipped than ordered was accepted');
        } catch (Exception\InvalidOrderException $error) {
            // The engine's pointer is into the shop's data (the ship notice), as for every fulfilment refusal.
            self::assertSame('/lines/0/quantity', $error->location()->pointer);
        }
    }

    public function testALatin1OrderCrossesAsBytes(): void
    {
        $engine = Fixtures::engine();
        $profile = self::profile($engine);
        $request = str_replace(
            ['encoding="UTF-8"', 'Approved by purchasing'],
            ['encoding="ISO-8859-1"', "Gepr\xFCft vom Einkauf"],
            Fixtures::read('cxml-order-request.xml'),
        );
        $order = $engine->ordersReadCxmlOrder($profile, $request);
        self::assertSame('Geprüft vom Einkauf', $order->data['comments']);
    }

    public function testAForgedOrderIsRefusedWithoutEchoingTheSecret(): void
    {
        $engine = Fixtures::engine();
        try {
            $engine->ordersReadCxmlOrder(self::profile($engine), str_replace('>s3cr3t<', '>guess<', Fixtures::read('cxml-order-request.xml')));
            self::fail('a forged order was accepted');
        } catch (Exception\AuthenticationFailedException $error) {
            self::assertStringNotContainsString('guess', $error->getMessage());
            self::assertStringContainsString('<Status code="401"', $engine->cxmlErrorResponse($error));
        }
    }
}
