<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Engine;
use Punchout\Exception;
use Punchout\RedeliveryOutcome;

/** The Peppol order leg from PHP: the T01 identified and read, checked for redelivery, answered with a T76. */
final class PeppolOrderTest extends TestCase
{
    private static function t01(): string
    {
        $path = \dirname(__DIR__, 3) . '/tests/fixtures/peppol-order/line-refs.xml';
        $document = file_get_contents($path);
        self::assertIsString($document, $path);
        return $document;
    }

    /** The sample Peppol buyer, with the endpoints of the order fixture. */
    private static function peppolProfile(Engine $engine, string $id, string $buyerGln): \Punchout\BuyerProfile
    {
        $profile = Fixtures::json('peppol-buyer-profile.json');
        $profile['id'] = $id;
        $profile['peppol']['buyer']['endpoint'] = ['scheme' => '0088', 'id' => $buyerGln];
        return $engine->compileProfile($profile, []);
    }

    public function testAPeppolOrderIsIdentifiedReadAndAnswered(): void
    {
        $engine = Fixtures::engine();
        $other = self::peppolProfile($engine, 'other-buyer', '5790000435944');
        $profile = self::peppolProfile($engine, 'peppol-buyer', '7300010000001');
        $document = self::t01();

        // Recognised by its buyer's and its seller's endpoint IDs.
        self::assertSame($profile, $engine->ordersIdentifyPeppolOrder([$other, $profile], $document));
        try {
            $engine->ordersIdentifyPeppolOrder([$other], $document);
            self::fail('an order for another buyer was routed');
        } catch (Exception\UnknownBuyerException $error) {
            self::assertStringContainsString('buyer endpoint `0088:7300010000001`', $error->engineMessage());
        }
        $order = $engine->ordersReadPeppolOrder($profile, $document);
        self::assertSame('PO-7', $order['order']['order_id']);
        self::assertSame($profile->id, $order['order']['buyer_id']);
        self::assertSame('57.50', $order['order']['total']['amount']);
        self::assertSame('cart-7:line-2', $order['order']['lines'][1]['supplier_part_auxiliary_id']);
        self::assertSame(['1', '2'], $order['line_ids']);

        // The purchase order inside is the one the shared redelivery check takes.
        self::assertSame(RedeliveryOutcome::New, $engine->ordersCheckRedelivery($order['order'], [])->outcome);

        $response = $engine->ordersPeppolOrderResponse($order, [
            'response_id' => 'R-1',
            'issue_date' => '2026-11-30',
            'code' => 'accept_with_changes',
            'lines' => [['line_number' => 2, 'status' => 'changed', 'quantity' => '1', 'delivery_date' => '2026-12-24']],
        ]);
        self::assertStringContainsString('<cbc:OrderResponseCode>CA</cbc:OrderResponseCode>', $response);
        self::assertStringContainsString("<cbc:LineStatusCode>3</cbc:LineStatusCode>\n      <cbc:Quantity unitCode=\"EA\">1</cbc:Quantity>", $response);
    }

    public function testHostileAndMisfittingInputIsRefusedWithItsLocation(): void
    {
        $engine = Fixtures::engine();
        $profile = self::peppolProfile($engine, 'peppol-buyer', '7300010000001');
        $located = str_replace('<o:Order xmlns:o=', '<o:Order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="x.xsd" xmlns:o=', self::t01());
        try {
            $engine->ordersReadPeppolOrder($profile, $located);
            self::fail('a schema location was accepted');
        } catch (Exception\ForbiddenXmlException $error) {
            self::assertSame('/o:Order', $error->location()->path);
            self::assertStringContainsString('PEPPOL-T01-B00109', $error->engineMessage());
        }
        $order = $engine->ordersReadPeppolOrder($profile, self::t01());
        try {
            $engine->ordersPeppolOrderResponse($order, ['response_id' => 'R-2', 'issue_date' => '2026-11-30', 'code' => 'accept_with_changes', 'lines' => [['line_number' => 9, 'status' => 'reject']]]);
            self::fail('a line the order does not have was answered');
        } catch (Exception\InvalidOrderException $error) {
            self::assertSame('/lines/0/line_number', $error->location()->pointer);
            self::assertSame('the order has no line 9', $error->engineMessage());
        }
    }
}
