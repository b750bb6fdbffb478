<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use Symfony\Bundle\FrameworkBundle\Console\Application;
use Symfony\Component\Console\Tester\CommandTester;

/** `punchout:purge`: expired and abandoned sessions and old carts go; transferred ones and orders stay. */
final class PurgeTest extends PunchoutWebTestCase
{
    public function testExpiredAndAbandonedSessionsAndOldCartsArePurged(): void
    {
        // A transferred session with its cart, and its order.
        $this->start($this->cxmlSetup(self::sample('cxml-setup-request.xml')));
        $this->addToCart('ABC-123', 10);
        $this->addToCart('TON-9000', 2);
        $this->transfer();
        $transferred = $this->latestSessionId();
        $this->postXml('/punchout/cxml/order', str_replace('cart-9:', "cart-$transferred:", self::sample('cxml-order-request.xml')));
        // An unopened start URL past its expiry, and a session started nine hours ago and abandoned.
        $this->cxmlSetup(self::sample('cxml-setup-request.xml'));
        $expired = $this->latestSessionId();
        $this->connection()->executeStatement('UPDATE punchout_session SET expires_at = ? WHERE id = ?', [time() - 1, $expired]);
        $this->client->restart();
        $this->start($this->cxmlSetup(self::sample('cxml-setup-request.xml')));
        $abandoned = $this->latestSessionId();
        $this->connection()->executeStatement('UPDATE punchout_session SET started_at = ? WHERE id = ?', [time() - 9 * 3600, $abandoned]);
        // A fresh start URL, not yet opened.
        $this->cxmlSetup(self::sample('cxml-setup-request.xml'));
        $pending = $this->latestSessionId();

        $command = new CommandTester((new Application(static::$kernel))->find('punchout:purge'));
        self::assertSame(0, $command->execute([]));
        self::assertSame("Deleted 2 sessions and 0 returned carts.\n", $command->getDisplay());
        self::assertSame([$transferred, $pending], array_map('intval', $this->connection()->fetchFirstColumn('SELECT id FROM punchout_session ORDER BY id')));

        // Carts are kept for the orders that reconcile against them, then go with their sessions.
        $this->connection()->executeStatement('UPDATE punchout_cart SET created_at = ?', [time() - 91 * 86400]);
        self::assertSame(0, $command->execute([]));
        self::assertSame("Deleted 0 sessions and 1 returned carts.\n", $command->getDisplay());
        self::assertSame(0, (int) $this->connection()->fetchOne('SELECT COUNT(*) FROM punchout_cart_line'));
        self::assertSame([$pending], array_map('intval', $this->connection()->fetchFirstColumn('SELECT id FROM punchout_session ORDER BY id')));
        self::assertCount(1, $this->store()->receivedOrders());

        self::assertSame(2, $command->execute(['--keep-carts-days' => 'ninety']));
        self::assertStringContainsString('--keep-carts-days: expected a number of days such as `90`, found `ninety`', $command->getDisplay());
    }
}
