<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use Doctrine\DBAL\Connection;
use Punchout\Bundle\Storage\PunchoutStore;
use Punchout\Engine;
use Symfony\Bundle\FrameworkBundle\KernelBrowser;
use Symfony\Bundle\FrameworkBundle\Test\WebTestCase;
use Symfony\Component\DomCrawler\Crawler;

/**
 * The example shop over HTTP (KernelBrowser), on a fresh set of tables for every test. The
 * buyer's side (its setup requests, call-ups and orders) is the samples of host-example.
 */
abstract class PunchoutWebTestCase extends WebTestCase
{
    protected KernelBrowser $client;

    protected function setUp(): void
    {
        $this->client = static::createClient();
        $store = $this->store();
        $store->dropSchema();
        $manager = $store->connection()->createSchemaManager();
        if ($manager->tablesExist(['shop_order'])) {
            $manager->dropTable('shop_order');
        }
        $store->createSchema();
        static::getContainer()->get(\App\Shop\ShopOrders::class)->createTable();
    }

    protected function store(): PunchoutStore
    {
        return static::getContainer()->get(PunchoutStore::class);
    }

    protected function connection(): Connection
    {
        return $this->store()->connection();
    }

    protected function engine(): Engine
    {
        return static::getContainer()->get(Engine::class);
    }

    protected static function samples(): string
    {
        return \dirname(__DIR__, 3) . '/host-example/samples';
    }

    protected static function sample(string $name): string
    {
        $path = self::samples() . '/' . $name;
        $text = file_get_contents($path);
        self::assertIsString($text, "missing fixture $path");
        return $text;
    }

    /** A fixture of the Rust tests (tests/fixtures/…). */
    protected static function fixture(string $name): string
    {
        $path = \dirname(__DIR__, 3) . '/tests/fixtures/' . $name;
        $text = file_get_contents($path);
        self::assertIsString($text, "missing fixture $path");
        return $text;
    }

    protected function postXml(string $path, string $xml): string
    {
        $this->client->request('POST', $path, [], [], ['CONTENT_TYPE' => 'text/xml; charset=UTF-8'], $xml);
        return (string) $this->client->getResponse()->getContent();
    }

    /** The cXML setup, answered 200 with a start URL; returns the start URL. */
    protected function cxmlSetup(string $request): string
    {
        $answer = $this->postXml('/punchout/cxml/setup', $request);
        self::assertSame(200, $this->client->getResponse()->getStatusCode(), $answer);
        self::assertStringContainsString('<Status code="200" text="OK"', $answer);
        self::assertSame(1, preg_match('#<StartPage>\s*<URL>([^<]+)</URL>#', $answer, $match), $answer);
        self::assertStringStartsWith('http://localhost/punchout/start/', $match[1]);
        return html_entity_decode($match[1], ENT_QUOTES | ENT_XML1);
    }

    /** Opens the start URL and lands on the catalog. */
    protected function start(string $startUrl): Crawler
    {
        $this->client->request('GET', $startUrl);
        self::assertSame(303, $this->client->getResponse()->getStatusCode(), (string) $this->client->getResponse()->getContent());
        self::assertSame('http://localhost/', $this->client->getResponse()->headers->get('Location'));
        return $this->client->followRedirect();
    }

    protected function addToCart(string $sku, int $quantity): void
    {
        $this->client->request('POST', '/cart/add', ['sku' => $sku, 'quantity' => (string) $quantity]);
        self::assertSame(303, $this->client->getResponse()->getStatusCode());
    }

    /** Presses the catalog's transfer button; returns the page that posts itself to the buyer. */
    protected function transfer(): Crawler
    {
        $catalog = $this->client->request('GET', '/');
        $form = $catalog->filter('#transfer')->form();
        $page = $this->client->submit($form);
        self::assertSame(200, $this->client->getResponse()->getStatusCode(), (string) $this->client->getResponse()->getContent());
        return $page;
    }

    /**
     * A Peppol buyer kept in the profile table (the test environment's `profiles.table`): the
     * sample Peppol buyer with the endpoint of the order fixtures.
     */
    protected function addPeppolBuyer(): void
    {
        $profile = json_decode(self::sample('peppol-buyer-profile.json'), true, 512, JSON_THROW_ON_ERROR);
        unset($profile['$schema']);
        $profile['id'] = 'peppol-buyer';
        $profile['peppol']['buyer']['endpoint'] = ['scheme' => '0088', 'id' => '7300010000001'];
        $this->connection()->insert('punchout_profile', ['id' => 'peppol-buyer', 'profile' => json_encode($profile), 'enabled' => true], ['enabled' => \Doctrine\DBAL\ParameterType::BOOLEAN]);
    }

    /** The id of the latest stored session. */
    protected function latestSessionId(): int
    {
        return (int) $this->connection()->fetchOne('SELECT MAX(id) FROM punchout_session');
    }
}
