<?php

declare(strict_types=1);

namespace App\Shop;

use Doctrine\DBAL\Schema\Table;
use Doctrine\DBAL\Types\Types;
use Punchout\Bundle\Contract\OrderPlacer;
use Punchout\Bundle\ReceivedOrder;
use Punchout\Bundle\Storage\PunchoutStore;

/**
 * The shop's orders: a reconciled purchase order becomes one, with the buyer's quantities and
 * prices (the verdict accepted them), in a `shop_order` table beside the bundle's.
 */
final class ShopOrders implements OrderPlacer
{
    public function __construct(private readonly PunchoutStore $store)
    {
    }

    public function place(ReceivedOrder $order): ?string
    {
        $connection = $this->store->connection();
        $this->createTable();
        $number = 'SO-' . strtoupper(bin2hex(random_bytes(4)));
        $lines = array_map(static fn ($line) => [
            'sku' => $line->supplierPartId,
            'quantity' => $line->quantity,
            'unit_price' => $line->unitPrice,
            'line_ref' => $line->supplierPartAuxiliaryId,
        ], $order->order->lines);
        $connection->insert('shop_order', [
            'number' => $number,
            'customer' => $order->customer(),
            'purchase_order' => $order->order->orderId,
            'currency' => $order->order->currency,
            'total' => $order->order->total,
            'verdict' => $order->reconciliation?->verdict->value,
            'lines' => json_encode($lines, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES),
        ]);
        return $number;
    }

    /** @return list<array<string, mixed>> */
    public function all(): array
    {
        $this->createTable();
        return $this->store->connection()->fetchAllAssociative('SELECT * FROM shop_order ORDER BY number');
    }

    /** Creates the `shop_order` table when it is missing. */
    public function createTable(): void
    {
        $connection = $this->store->connection();
        if ($connection->createSchemaManager()->tablesExist(['shop_order'])) {
            return;
        }
        $table = new Table('shop_order');
        $table->addColumn('number', Types::STRING, ['length' => 32]);
        $table->addColumn('customer', Types::STRING, ['length' => 190]);
        $table->addColumn('purchase_order', Types::STRING, ['length' => 255]);
        $table->addColumn('currency', Types::STRING, ['length' => 3]);
        $table->addColumn('total', Types::STRING, ['length' => 32]);
        $table->addColumn('verdict', Types::STRING, ['length' => 32, 'notnull' => false]);
        $table->addColumn('lines', Types::TEXT);
        $table->setPrimaryKey(['number']);
        foreach ($connection->getDatabasePlatform()->getCreateTableSQL($table) as $sql) {
            $connection->executeStatement($sql);
        }
    }
}
