<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Engine;
use Punchout\Exception\HostException;

/** The engine starts from the precompiled component, and falls back or refuses when it is unusable. */
final class PrecompiledTest extends TestCase
{
    public function testTheEngineStartsFromThePrecompiledComponent(): void
    {
        Fixtures::precompiled();
        $info = Fixtures::engine()->startInfo();
        self::assertSame('precompiled', $info['source'], (string) ($info['fallback_reason'] ?? ''));
        self::assertNull($info['fallback_reason']);
    }

    private static function corrupt(): string
    {
        $file = tempnam(sys_get_temp_dir(), 'punchout-cwasm');
        $bytes = file_get_contents(Fixtures::precompiled());
        $bytes[\strlen($bytes) - 100] = \chr(\ord($bytes[\strlen($bytes) - 100]) ^ 1);
        file_put_contents($file, $bytes);
        return $file;
    }

    /**
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testACorruptFileFallsBackToTheComponent(): void
    {
        Fixtures::precompiled();
        $engine = new Engine(['precompiled' => self::corrupt()]);
        self::assertSame('compiled', $engine->startInfo()['source']);
        self::assertStringContainsString('corrupt', $engine->startInfo()['fallback_reason']);
        self::assertSame('acme-ariba', $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'))->id);
    }

    /**
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testRequirePrecompiledRefusesToCompile(): void
    {
        Fixtures::precompiled();
        try {
            new Engine(['precompiled' => self::corrupt(), 'require_precompiled' => true]);
            self::fail('started without a usable precompiled file');
        } catch (HostException $error) {
            self::assertStringContainsString('require_precompiled', $error->getMessage());
        }
        // A failed start can be retried with a usable configuration.
        self::assertSame('precompiled', (new Engine(['require_precompiled' => true]))->startInfo()['source']);
    }
}
