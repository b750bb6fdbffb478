<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Engine;

/** Buyer profiles from a directory: `extends`, one buyer compiled alone, a broken file left out. */
final class ProfileRegistryTest extends TestCase
{
    private static function samples(): string
    {
        return \dirname(__DIR__, 3) . '/host-example/samples';
    }

    public function testAProfileExtendsItsBaseInTheSameDirectory(): void
    {
        $registry = new ProfileRegistry(new Engine(), self::samples() . '/profiles', ['coupa-plant-2.json'], null, null, ['GLOBEX_COUPA_SHARED_SECRET' => 'x']);
        $profile = $registry->get('globex-coupa-plant-2');
        self::assertNotNull($profile);
        // The protocol comes from the base (coupa.json), which the child does not repeat.
        self::assertSame('cxml', $profile->protocol);
        self::assertSame(['globex-coupa-plant-2'], array_keys($registry->all()));
    }

    public function testOneBuyerIsCompiledAloneAndABrokenProfileIsLeftOutWithItsLocation(): void
    {
        $dir = sys_get_temp_dir() . '/punchout-profiles-' . getmypid();
        mkdir($dir);
        try {
            copy(self::samples() . '/oci-buyer-profile.json', "$dir/acme-srm.json");
            file_put_contents("$dir/broken.json", "{\n  \"id\": \"broken\",\n  \"protocol\": \"smoke-signals\"\n}\n");
            $logger = new RecordingLogger();
            RecordingLogger::$records = [];
            $registry = new ProfileRegistry(new Engine(), $dir, [], null, null, ['ACME_SRM_OCI_PASSWORD' => 'oci-p4ss'], $logger);

            self::assertSame('oci', $registry->get('acme-srm')?->protocol);
            self::assertSame([], RecordingLogger::$records, 'the broken profile was compiled for one buyer');

            self::assertSame(['acme-srm'], array_keys($registry->all()));
            self::assertCount(1, RecordingLogger::$records);
            self::assertStringStartsWith("[error] punchout: buyer profile $dir/broken.json left out: invalid-profile: ", RecordingLogger::$records[0]);
            self::assertStringContainsString('/protocol', RecordingLogger::$records[0]);
            self::assertStringNotContainsString('oci-p4ss', implode("\n", RecordingLogger::$records));
        } finally {
            array_map('unlink', glob("$dir/*.json"));
            rmdir($dir);
        }
    }
}
