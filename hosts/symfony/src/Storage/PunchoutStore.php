<?php

declare(strict_types=1);

namespace Punchout\Bundle\Storage;

use Doctrine\DBAL\ArrayParameterType;
use Doctrine\DBAL\Connection;
use Doctrine\DBAL\Exception\UniqueConstraintViolationException;
use Doctrine\DBAL\ParameterType;
use Doctrine\DBAL\Schema\Schema;
use Doctrine\DBAL\Types\Types;
use Punchout\Bundle\PunchoutSession;
use Punchout\Cart;
use Punchout\OrderRecord;
use Punchout\PurchaseOrder;

/**
 * PunchOut state in the shop's database through Doctrine DBAL (SQLite, PostgreSQL, MySQL):
 *
 * - sessions: created at setup, opened once by their start URL's token (kept only as its
 *   SHA-256, so the table holds no usable link) before they expire;
 * - returned carts: the engine's cart JSON as the shop handed it over, with its line refs
 *   indexed so that a purchase order finds its cart;
 * - received orders: the order as the engine read it, its record (idempotency key, payloadID,
 *   orderID, content hash; the key is unique, so a redelivery racing the first delivery cannot
 *   be applied twice), the reconciliation, the status and the answer sent, to answer a duplicate
 *   as before.
 *
 * Times are Unix seconds in BIGINT columns: the same on every platform.
 */
final class PunchoutStore
{
    private const JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;

    public function __construct(
        private readonly Connection $connection,
        private readonly string $prefix = 'punchout_',
        private readonly ?string $profileTable = null,
    ) {
    }

    public function connection(): Connection
    {
        return $this->connection;
    }

    public function table(string $name): string
    {
        return $this->prefix . $name;
    }

    /** The bundle's tables (and the profile table when one is configured). */
    public function schema(): Schema
    {
        $schema = new Schema();

        $session = $schema->createTable($this->table('session'));
        $session->addColumn('id', Types::INTEGER, ['autoincrement' => true]);
        $session->addColumn('token_hash', Types::STRING, ['length' => 64]);
        $session->addColumn('buyer_id', Types::STRING, ['length' => 190]);
        $session->addColumn('protocol', Types::STRING, ['length' => 16]);
        $session->addColumn('operation', Types::STRING, ['length' => 32]);
        $session->addColumn('data', Types::TEXT);
        $session->addColumn('customer', Types::STRING, ['length' => 190, 'notnull' => false]);
        $session->addColumn('created_at', Types::BIGINT);
        $session->addColumn('expires_at', Types::BIGINT);
        $session->addColumn('started_at', Types::BIGINT, ['notnull' => false]);
        $session->addColumn('transferred_at', Types::BIGINT, ['notnull' => false]);
        $session->setPrimaryKey(['id']);
        $session->addUniqueIndex(['token_hash'], $this->table('session_token'));

        $cart = $schema->createTable($this->table('cart'));
        $cart->addColumn('id', Types::INTEGER, ['autoincrement' => true]);
        $cart->addColumn('session_id', Types::INTEGER);
        $cart->addColumn('buyer_id', Types::STRING, ['length' => 190]);
        $cart->addColumn('protocol', Types::STRING, ['length' => 16]);
        $cart->addColumn('cart', Types::TEXT);
        $cart->addColumn('created_at', Types::BIGINT);
        $cart->setPrimaryKey(['id']);

        $line = $schema->createTable($this->table('cart_line'));
        $line->addColumn('cart_id', Types::INTEGER);
        $line->addColumn('buyer_id', Types::STRING, ['length' => 190]);
        $line->addColumn('line_ref', Types::STRING, ['length' => 255]);
        $line->addIndex(['buyer_id', 'line_ref'], $this->table('cart_line_ref'));

        $order = $schema->createTable($this->table('order'));
        $order->addColumn('id', Types::INTEGER, ['autoincrement' => true]);
        $order->addColumn('buyer_id', Types::STRING, ['length' => 190]);
        $order->addColumn('protocol', Types::STRING, ['length' => 16]);
        $order->addColumn('order_id', Types::STRING, ['length' => 255]);
        $order->addColumn('payload_id', Types::STRING, ['length' => 255]);
        $order->addColumn('idempotency_key', Types::STRING, ['length' => 64]);
        $order->addColumn('content_hash', Types::STRING, ['length' => 64]);
        $order->addColumn('order_type', Types::STRING, ['length' => 16]);
        $order->addColumn('outcome', Types::STRING, ['length' => 32]);
        $order->addColumn('verdict', Types::STRING, ['length' => 32, 'notnull' => false]);
        $order->addColumn('status', Types::STRING, ['length' => 16]);
        $order->addColumn('shop_order_ref', Types::STRING, ['length' => 190, 'notnull' => false]);
        $order->addColumn('cart_id', Types::INTEGER, ['notnull' => false]);
        $order->addColumn('document', Types::TEXT);
        $order->addColumn('reconciliation', Types::TEXT, ['notnull' => false]);
        $order->addColumn('response', Types::TEXT, ['notnull' => false]);
        $order->addColumn('response_status', Types::INTEGER, ['notnull' => false]);
        $order->addColumn('response_type', Types::STRING, ['length' => 64, 'notnull' => false]);
        $order->addColumn('received_at', Types::BIGINT);
        $order->setPrimaryKey(['id']);
        $order->addUniqueIndex(['idempotency_key'], $this->table('order_idempotency'));
        $order->addIndex(['buyer_id', 'order_id'], $this->table('order_order_id'));

        if ($this->profileTable !== null) {
            $profile = $schema->createTable($this->profileTable);
            $profile->addColumn('id', Types::STRING, ['length' => 190]);
            $profile->addColumn('profile', Types::TEXT);
            $profile->addColumn('enabled', Types::BOOLEAN, ['default' => true]);
            $profile->setPrimaryKey(['id']);
        }
        return $schema;
    }

    /**
     * The SQL that creates the tables not there yet.
     *
     * @return list<string>
     */
    public function missingSchemaSql(): array
    {
        $manager = $this->connection->createSchemaManager();
        $platform = $this->connection->getDatabasePlatform();
        $sql = [];
        foreach ($this->schema()->getTables() as $table) {
            if (!$manager->tablesExist([$table->getName()])) {
                array_push($sql, ...$platform->getCreateTableSQL($table));
            }
        }
        return $sql;
    }

    /** @return list<string> the statements run */
    public function createSchema(): array
    {
        $sql = $this->missingSchemaSql();
        foreach ($sql as $statement) {
            $this->connection->executeStatement($statement);
        }
        return $sql;
    }

    /** Drops the bundle's tables (tests, uninstall). */
    public function dropSchema(): void
    {
        $manager = $this->connection->createSchemaManager();
        foreach ($this->schema()->getTables() as $table) {
            if ($manager->tablesExist([$table->getName()])) {
                $manager->dropTable($this->connection->quoteIdentifier($table->getName()));
            }
        }
    }

    // --- sessions --------------------------------------------------------------------------

    /** A new start URL token: 256 random bits, URL-safe. */
    public static function newToken(): string
    {
        return rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
    }

    /**
     * Stores a session waiting for its start URL (`$token` null: started at once, as an OCI
     * call-up, which is the buyer's browser itself).
     *
     * @param array<string, mixed> $data
     */
    public function createSession(?string $token, string $buyerId, string $protocol, string $operation, array $data, ?string $customer, int $ttl): PunchoutSession
    {
        $now = time();
        $this->connection->insert($this->table('session'), [
            // A session started at once gets an unguessable, unusable placeholder.
            'token_hash' => hash('sha256', $token ?? 'started:' . self::newToken()),
            'buyer_id' => $buyerId,
            'protocol' => $protocol,
            'operation' => $operation,
            'data' => json_encode($data, self::JSON),
            'customer' => $customer,
            'created_at' => $now,
            'expires_at' => $now + $ttl,
            'started_at' => $token === null ? $now : null,
        ]);
        return $this->session((int) $this->connection->lastInsertId())
            ?? throw new \LogicException('the session just stored cannot be read back');
    }

    /**
     * Opens a session by its start URL's token, once: the first call that finds it unexpired and
     * unopened marks it started (one atomic UPDATE, so two browsers racing for one link cannot
     * both win).
     *
     * @return array{0: ?PunchoutSession, 1: string} the session, or null with why: `unknown`, `used`, `expired`
     */
    public function startSession(string $token, ?string $customer): array
    {
        $hash = hash('sha256', $token);
        $now = time();
        $opened = $this->connection->executeStatement(
            "UPDATE {$this->table('session')} SET started_at = ?, customer = ? WHERE token_hash = ? AND started_at IS NULL AND expires_at >= ?",
            [$now, $customer, $hash, $now],
        );
        $row = $this->connection->fetchAssociative("SELECT * FROM {$this->table('session')} WHERE token_hash = ?", [$hash]);
        if ($row === false) {
            return [null, 'unknown'];
        }
        if ($opened !== 1) {
            return [null, $row['started_at'] !== null ? 'used' : 'expired'];
        }
        return [self::sessionFrom($row), 'started'];
    }

    /** The buyer id a start token is for, before it is opened (to ask who the customer is). */
    public function pendingBuyer(string $token): ?array
    {
        $row = $this->connection->fetchAssociative(
            "SELECT buyer_id, data FROM {$this->table('session')} WHERE token_hash = ? AND started_at IS NULL",
            [hash('sha256', $token)],
        );
        return $row === false ? null : [(string) $row['buyer_id'], json_decode((string) $row['data'], true, 512, JSON_THROW_ON_ERROR)];
    }

    public function session(int $id): ?PunchoutSession
    {
        $row = $this->connection->fetchAssociative("SELECT * FROM {$this->table('session')} WHERE id = ?", [$id]);
        return $row === false ? null : self::sessionFrom($row);
    }

    /**
     * Stores the cart handed to the engine at transfer and marks the session transferred, in one
     * transaction; the line refs are indexed for the purchase order to find the cart.
     */
    public function saveReturnedCart(PunchoutSession $session, Cart $cart): int
    {
        return $this->connection->transactional(function (Connection $connection) use ($session, $cart): int {
            $now = time();
            $connection->insert($this->table('cart'), [
                'session_id' => $session->id,
                'buyer_id' => $session->buyerId,
                'protocol' => $session->protocol,
                'cart' => json_encode($cart, self::JSON),
                'created_at' => $now,
            ]);
            $cartId = (int) $connection->lastInsertId();
            foreach ($cart->lines as $line) {
                $connection->insert($this->table('cart_line'), ['cart_id' => $cartId, 'buyer_id' => $session->buyerId, 'line_ref' => $line->lineRef]);
            }
            $connection->executeStatement("UPDATE {$this->table('session')} SET transferred_at = ? WHERE id = ?", [$now, $session->id]);
            return $cartId;
        });
    }

    /**
     * The latest cart returned to this buyer that holds one of these line refs (the order lines'
     * `SupplierPartAuxiliaryID`), with the session it was returned in.
     *
     * @param list<string> $lineRefs
     * @return array{0: int, 1: Cart, 2: ?PunchoutSession}|null
     */
    public function findReturnedCart(string $buyerId, array $lineRefs): ?array
    {
        $lineRefs = array_values(array_unique(array_filter($lineRefs, static fn ($ref) => $ref !== '')));
        if ($lineRefs === []) {
            return null;
        }
        $cartId = $this->connection->fetchOne(
            "SELECT MAX(cart_id) FROM {$this->table('cart_line')} WHERE buyer_id = ? AND line_ref IN (?)",
            [$buyerId, $lineRefs],
            [ParameterType::STRING, ArrayParameterType::STRING],
        );
        if ($cartId === false || $cartId === null) {
            return null;
        }
        $row = $this->connection->fetchAssociative("SELECT * FROM {$this->table('cart')} WHERE id = ?", [(int) $cartId]);
        if ($row === false) {
            return null;
        }
        return [(int) $row['id'], Cart::fromArray(json_decode((string) $row['cart'], true, 512, JSON_THROW_ON_ERROR)), $this->session((int) $row['session_id'])];
    }

    /**
     * Deletes what can no longer be used: sessions whose start URL expired unopened, sessions
     * that started but never transferred within `$shoppingTtl`, and returned carts (with their
     * sessions) older than `$keepCartsSeconds`, after which their orders are reconciled against
     * nothing. Received orders are kept: they recognise redeliveries.
     *
     * @return array{sessions: int, carts: int}
     */
    public function purge(int $shoppingTtl, int $keepCartsSeconds, ?int $now = null): array
    {
        $now ??= time();
        return $this->connection->transactional(function (Connection $connection) use ($now, $shoppingTtl, $keepCartsSeconds): array {
            $sessions = $connection->executeStatement(
                "DELETE FROM {$this->table('session')} WHERE transferred_at IS NULL AND ((started_at IS NULL AND expires_at < ?) OR (started_at IS NOT NULL AND started_at < ?))",
                [$now, $now - $shoppingTtl],
            );
            $old = array_map('intval', $connection->fetchFirstColumn("SELECT id FROM {$this->table('cart')} WHERE created_at < ?", [$now - $keepCartsSeconds]));
            if ($old !== []) {
                $types = [ArrayParameterType::INTEGER];
                $connection->executeStatement("DELETE FROM {$this->table('cart_line')} WHERE cart_id IN (?)", [$old], $types);
                $connection->executeStatement("DELETE FROM {$this->table('session')} WHERE id IN (SELECT session_id FROM {$this->table('cart')} WHERE id IN (?))", [$old], $types);
                $connection->executeStatement("DELETE FROM {$this->table('cart')} WHERE id IN (?)", [$old], $types);
            }
            return ['sessions' => $sessions, 'carts' => \count($old)];
        });
    }

    // --- orders ----------------------------------------------------------------------------

    /**
     * The records of the orders received from this buyer with this orderID, oldest first: what
     * the engine's redelivery check compares with.
     *
     * @return list<OrderRecord>
     */
    public function orderRecords(string $buyerId, string $orderId): array
    {
        $rows = $this->connection->fetchAllAssociative(
            "SELECT idempotency_key, payload_id, order_id, content_hash FROM {$this->table('order')} WHERE buyer_id = ? AND order_id = ? ORDER BY id",
            [$buyerId, $orderId],
        );
        return array_map(OrderRecord::fromArray(...), $rows);
    }

    /**
     * The answer stored with a received order, to answer its duplicate as before.
     *
     * @return array{response: string, response_status: int, response_type: string, status: string, shop_order_ref: ?string}|null
     */
    public function storedAnswer(string $idempotencyKey): ?array
    {
        $row = $this->connection->fetchAssociative(
            "SELECT response, response_status, response_type, status, shop_order_ref FROM {$this->table('order')} WHERE idempotency_key = ?",
            [$idempotencyKey],
        );
        if ($row === false || $row['response'] === null) {
            return null;
        }
        return [
            'response' => (string) $row['response'],
            'response_status' => (int) $row['response_status'],
            'response_type' => (string) $row['response_type'],
            'status' => (string) $row['status'],
            'shop_order_ref' => $row['shop_order_ref'] === null ? null : (string) $row['shop_order_ref'],
        ];
    }

    /**
     * Claims an order's idempotency key before the shop order is created: the unique key makes a
     * concurrent redelivery fail here instead of being placed twice.
     *
     * @return int|null the received order's id; null when the key is already claimed
     */
    public function claimOrder(string $protocol, PurchaseOrder $order, string $outcome, ?int $cartId): ?int
    {
        try {
            $this->connection->insert($this->table('order'), [
                'buyer_id' => $order->buyerId,
                'protocol' => $protocol,
                'order_id' => $order->orderId,
                'payload_id' => $order->payloadId,
                'idempotency_key' => $order->idempotencyKey,
                'content_hash' => $order->contentHash,
                'order_type' => $order->orderType->value,
                'outcome' => $outcome,
                'status' => 'receiving',
                'cart_id' => $cartId,
                'document' => $order->toJson(),
                'received_at' => time(),
            ]);
        } catch (UniqueConstraintViolationException) {
            return null;
        }
        return (int) $this->connection->lastInsertId();
    }

    /** Completes a claimed order with its reconciliation, what the bundle did and the answer sent. */
    public function completeOrder(int $id, ?string $verdict, ?array $reconciliation, string $status, ?string $shopOrderRef, string $response, int $responseStatus, string $responseType): void
    {
        $this->connection->update($this->table('order'), [
            'verdict' => $verdict,
            'reconciliation' => $reconciliation === null ? null : json_encode($reconciliation, self::JSON),
            'status' => $status,
            'shop_order_ref' => $shopOrderRef,
            'response' => $response,
            'response_status' => $responseStatus,
            'response_type' => $responseType,
        ], ['id' => $id]);
    }

    /** Releases a claim whose shop order could not be created, so that the buyer's retry is processed anew. */
    public function releaseOrder(int $id): void
    {
        $this->connection->delete($this->table('order'), ['id' => $id]);
    }

    /**
     * The received orders, newest first (for the shop's back office and the tests).
     *
     * @return list<array<string, mixed>>
     */
    public function receivedOrders(?string $buyerId = null): array
    {
        return $buyerId === null
            ? $this->connection->fetchAllAssociative("SELECT * FROM {$this->table('order')} ORDER BY id DESC")
            : $this->connection->fetchAllAssociative("SELECT * FROM {$this->table('order')} WHERE buyer_id = ? ORDER BY id DESC", [$buyerId]);
    }

    /** @param array<string, mixed> $row */
    private static function sessionFrom(array $row): PunchoutSession
    {
        return new PunchoutSession(
            (int) $row['id'],
            (string) $row['buyer_id'],
            (string) $row['protocol'],
            (string) $row['operation'],
            json_decode((string) $row['data'], true, 512, JSON_THROW_ON_ERROR),
            $row['customer'] === null ? null : (string) $row['customer'],
            (int) $row['created_at'],
            (int) $row['expires_at'],
            $row['started_at'] === null ? null : (int) $row['started_at'],
            $row['transferred_at'] === null ? null : (int) $row['transferred_at'],
        );
    }
}
