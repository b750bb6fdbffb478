<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Bundle\DependencyInjection\Configuration;
use Symfony\Component\Config\Definition\Exception\InvalidConfigurationException;
use Symfony\Component\Config\Definition\Processor;

/** The `punchout:` tree: defaults, and mistakes refused when the container is built. */
final class ConfigurationTest extends TestCase
{
    private static function process(array $config): array
    {
        return (new Processor())->processConfiguration(new Configuration(), [$config]);
    }

    public function testDefaults(): void
    {
        $config = self::process(['profiles' => ['directory' => '/srv/shop/config/punchout'], 'secrets' => ['ACME_ARIBA_SHARED_SECRET' => 'x']]);
        self::assertSame(300, $config['session_ttl']);
        self::assertSame('/punchout', $config['routes']['prefix']);
        self::assertSame('mirror', $config['cxml_error_http_status']);
        self::assertSame('punchout_', $config['storage']['table_prefix']);
        self::assertSame('sqlite:///%kernel.project_dir%/var/punchout.sqlite', $config['storage']['url']);
        // Secret reference names are kept as written (no dash/underscore normalisation).
        self::assertSame(['ACME_ARIBA_SHARED_SECRET' => 'x'], $config['secrets']);
        self::assertSame(['library' => null, 'component' => null, 'precompiled' => null, 'memory_limit_bytes' => null, 'call_deadline_ms' => null], $config['engine']);
    }

    public function testProfilesAreRequired(): void
    {
        $this->expectException(InvalidConfigurationException::class);
        $this->expectExceptionMessage('punchout.profiles needs a `directory` of JSON buyer profiles or a DBAL `table` of them (or both)');
        self::process([]);
    }

    public function testABadPrefixOrTtlIsRefusedWithItsKey(): void
    {
        try {
            self::process(['profiles' => ['table' => 'punchout_profile'], 'routes' => ['prefix' => 'punchout/']]);
            self::fail('a prefix without a leading slash was accepted');
        } catch (InvalidConfigurationException $error) {
            self::assertStringContainsString('punchout.routes.prefix', $error->getMessage());
            self::assertStringContainsString('expected a path prefix such as `/punchout`, found "punchout\\/"', $error->getMessage());
        }
        try {
            self::process(['profiles' => ['table' => 'punchout_profile'], 'session_ttl' => 1]);
            self::fail('a one-second start URL was accepted');
        } catch (InvalidConfigurationException $error) {
            self::assertStringContainsString('punchout.session_ttl', $error->getMessage());
        }
        try {
            self::process(['profiles' => ['table' => 'punchout_profile'], 'cxml_error_http_status' => 'always']);
            self::fail('an unknown status mode was accepted');
        } catch (InvalidConfigurationException $error) {
            self::assertStringContainsString('"mirror", "ok"', $error->getMessage());
        }
    }
}
