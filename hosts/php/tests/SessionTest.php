<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Session;

/** A stored session goes back to the engine whole: reopened cart lines and every other field. */
final class SessionTest extends TestCase
{
    public function testEditSessionSurvivesStorage(): void
    {
        $stored = [
            'buyer_id' => 'acme-ariba',
            'operation' => 'edit',
            'buyer_cookie' => 'c0ffee',
            'return_url' => 'https://procurement.example.com/punchout/return',
            'buyer' => ['domain' => 'NetworkID', 'identity' => 'AN01000000001'],
            'supplier' => ['domain' => 'DUNS', 'identity' => '123456789'],
            'request_payload_id' => '1@buyer',
            'extrinsics' => [['name' => 'CostCenter', 'value' => '4711']],
            'items' => [[
                'line_ref' => 'cart-9:line-1', 'sku' => 'ABC-123', 'quantity' => '10', 'unit_price' => '4.20',
                'unit' => 'PK', 'description' => 'Copy paper', 'attributes' => [['name' => 'short-name', 'value' => 'Paper']],
            ]],
            'ship_to' => ['address_id' => 'HQ', 'name' => 'ACME HQ'],
            'start_token' => str_repeat('x', 43),
        ];
        $session = Session::fromArray($stored);
        self::assertCount(1, $session->items);
        self::assertSame('cart-9:line-1', $session->items[0]->lineRef);
        $again = $session->toArray();
        self::assertSame($stored['items'][0]['line_ref'], $again['items'][0]['line_ref']);
        self::assertSame($stored['ship_to'], $again['ship_to']);
        self::assertSame($stored['start_token'], $again['start_token']);
    }
}
