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

    public function testAPeppolOrderIsIdentifiedReadAndAnswered(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        $document = self::t01();

        // Key order is not part of the answer.
        self::assertEquals(
            ['buyer' => ['scheme' => '0088', 'id' => '7300010000001'], 'seller' => ['scheme' => '0192', 'id' => '987654325']],
            $engine->ordersIdentifyPeppolOrder($document),
        );
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
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
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
