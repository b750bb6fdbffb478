<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Engine;

/** The PHP API follows the library's function table (generated from the engine's bridge). */
final class FunctionTableTest extends TestCase
{
    private static function camel(string $function): string
    {
        return lcfirst(str_replace('-', '', ucwords($function, '-')));
    }

    public function testEveryEngineFunctionIsReachableAndEveryTypedMethodExists(): void
    {
        $engine = Fixtures::engine();
        $functions = $engine->functions();
        self::assertArrayHasKey('cxml-setup', $functions);
        foreach ($functions as $name => $spec) {
            self::assertTrue($spec['documented'], "`$name` is not in the bridge's table");
            self::assertNotEmpty($spec['inputs'], "`$name` has documented inputs");
        }
        // Typed methods wrap table functions only: a renamed or removed function fails here.
        $typed = array_filter(
            (new \ReflectionClass(Engine::class))->getMethods(\ReflectionMethod::IS_PUBLIC),
            static fn ($method) => !$method->isStatic() && preg_match('/^(cxml|oci|peppol|order)[A-Z]|^compileProfile$/', $method->getName()),
        );
        $names = array_map(static fn ($function) => self::camel($function), array_keys($functions));
        foreach ($typed as $method) {
            self::assertContains($method->getName(), $names, "{$method->getName()} wraps no engine function");
        }
    }

    public function testAnyFunctionRunsThroughTheTable(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        // Positional arguments in the table's order, the envelope generated: how OCI functions will run.
        $answer = $engine->__call('cxmlSetup', [$profile, Fixtures::read('cxml-setup-request.xml'), Fixtures::START_URL . 't']);
        self::assertSame('c0ffee-42-ACME', $answer['session']['buyer_cookie']);
        $this->expectException(\Punchout\Exception\MalformedXmlException::class);
        $engine->call('cxml-read-order-message', ['message' => '<cXML']);
    }

    public function testUnknownFunctionsAndInputsAreRefusedBeforeTheCall(): void
    {
        $engine = Fixtures::engine();
        $this->expectException(\InvalidArgumentException::class);
        $engine->call('cxml-read-order-message', ['message' => '', 'extra' => 1]);
    }

    public function testUnknownFunction(): void
    {
        $this->expectException(\BadMethodCallException::class);
        Fixtures::engine()->ociSomethingNotYetThere();
    }
}
