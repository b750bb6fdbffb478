<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Exception\AuthenticationFailedException;
use Punchout\Exception\TrapException;

/** Traps stay contained; secrets stay secret. */
final class IsolationTest extends TestCase
{
    /**
     * A call that blows the memory cap traps; the next call runs on a fresh instance. Runs in its own
     * process because the memory cap is set when the process starts its engine.
     *
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testATrapLeavesTheNextCallHealthy(): void
    {
        $engine = Fixtures::engine(['memory_limit_bytes' => 8 << 20]);
        self::assertSame(8 << 20, $engine->startInfo()['config']['memory_limit_bytes']);
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        $session = \Punchout\Session::fromArray(Fixtures::json('cxml-session.json'));
        $message = $engine->cxmlCartReturn($profile, $session, Fixtures::cart())->message;

        // About 6 MiB of items: under the 10 MiB document limit, over the 8 MiB memory cap once parsed.
        [$head, $rest] = explode('<ItemIn ', $message, 2);
        $item = '<ItemIn ' . substr($rest, 0, strpos($rest, '</ItemIn>') + 9);
        $huge = $head . str_repeat($item, intdiv(6 << 20, \strlen($item))) . substr($rest, strrpos($rest, '</ItemIn>') + 9);
        try {
            $engine->cxmlReadOrderMessage($huge);
            self::fail('expected a trap');
        } catch (TrapException $trap) {
            self::assertStringContainsString('trapped', $trap->getMessage());
        }

        self::assertCount(2, $engine->cxmlReadOrderMessage($message)->lines, 'the next call is healthy');
        self::assertSame('acme-ariba', $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'))->id);
    }

    /**
     * A call that runs past the deadline traps; the next call runs on a fresh instance. Its own
     * process: the deadline is set when the process starts its engine.
     *
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testADeadlineLeavesTheNextCallHealthy(): void
    {
        $engine = Fixtures::engine(['call_deadline_ms' => 30]);
        self::assertSame(30, $engine->startInfo()['config']['call_deadline_ms']);
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        $session = \Punchout\Session::fromArray(Fixtures::json('cxml-session.json'));
        $message = $engine->cxmlCartReturn($profile, $session, Fixtures::cart())->message;

        // About 8 MiB of items: several times 30 ms of reading.
        [$head, $rest] = explode('<ItemIn ', $message, 2);
        $item = '<ItemIn ' . substr($rest, 0, strpos($rest, '</ItemIn>') + 9);
        $huge = $head . str_repeat($item, intdiv(8 << 20, \strlen($item))) . substr($rest, strrpos($rest, '</ItemIn>') + 9);
        try {
            $engine->cxmlReadOrderMessage($huge);
            self::fail('expected the deadline to stop the call');
        } catch (TrapException $trap) {
            self::assertStringContainsString('trapped', $trap->getMessage());
        }

        self::assertCount(2, $engine->cxmlReadOrderMessage($message)->lines, 'the next call is healthy');
    }

    public function testAWrongSecretNeverAppearsInTheException(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        foreach (['guess-this-Wr0ng-S3cret', 's3cr3X', '', 'a-much-longer-wrong-secret-value-0123456789'] as $wrong) {
            $request = str_replace('<SharedSecret>s3cr3t</SharedSecret>', "<SharedSecret>$wrong</SharedSecret>", Fixtures::read('cxml-setup-request.xml'));
            try {
                $engine->cxmlSetup($profile, $request, Fixtures::START_URL . 'x');
                self::fail('a wrong secret was accepted');
            } catch (AuthenticationFailedException $error) {
                // The arguments of the package's own frames (the request is a #[SensitiveParameter]).
                $frames = array_filter($error->getTrace(), static fn ($frame) => str_starts_with($frame['class'] ?? '', 'Punchout\\') && !str_starts_with($frame['class'], 'Punchout\\Tests\\'));
                self::assertNotEmpty($frames);
                $shown = [$error->getMessage(), (string) $error, $error->getTraceAsString(), print_r(array_column($frames, 'args'), true), var_export($error->toError(), true), $engine->cxmlErrorResponse($error)];
                foreach ($shown as $text) {
                    self::assertStringNotContainsString('s3cr3t', $text);
                    if ($wrong !== '') {
                        self::assertStringNotContainsString($wrong, $text);
                    }
                }
            }
        }
    }
}
