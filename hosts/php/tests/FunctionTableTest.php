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

    public function testEveryEngineFunctionHasATypedMethodAndEveryTypedMethodAFunction(): void
    {
        $engine = Fixtures::engine();
        $functions = $engine->functions();
        self::assertArrayHasKey('cxml-setup', $functions);
        self::assertArrayHasKey('oci-cart-form', $functions);
        $class = new \ReflectionClass(Engine::class);
        foreach ($functions as $name => $spec) {
            self::assertTrue($spec['documented'], "`$name` is not in the bridge's table");
            self::assertNotEmpty($spec['inputs'], "`$name` has documented inputs");
            $method = self::camel($name);
            self::assertTrue($class->hasMethod($method), "the engine function `$name` has no method `$method()`");
            self::assertNotEmpty($class->getMethod($method)->getDocComment(), "`$method()` has PHPDoc");
            self::assertNotNull($class->getMethod($method)->getReturnType(), "`$method()` declares its return type");
        }
        // Typed methods wrap table functions only: a renamed or removed function fails here.
        $typed = array_filter(
            $class->getMethods(\ReflectionMethod::IS_PUBLIC),
            static fn ($method) => !$method->isStatic() && preg_match('/^(cxml|oci|peppol|orders)[A-Z]|^compileProfile/', $method->getName()),
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
        $answer = $engine->call('cxml-setup', [
            'profile_id' => $profile->id,
            'request' => Fixtures::read('cxml-setup-request.xml'),
            'start_url' => Fixtures::START_URL . 't',
            'envelope' => Fixtures::envelope(1),
        ]);
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

    public function testAnUnknownMethodNamesTheClosestOne(): void
    {
        try {
            Fixtures::engine()->ociCartFrom();
            self::fail('an unknown method ran');
        } catch (\BadMethodCallException $error) {
            self::assertStringStartsWith('the engine has no method `ociCartFrom()`; did you mean `ociCartForm()`?', $error->getMessage());
        }
        try {
            Fixtures::engine()->somethingElseEntirely();
            self::fail('an unknown method ran');
        } catch (\BadMethodCallException $error) {
            self::assertStringNotContainsString('did you mean', $error->getMessage());
            self::assertStringContainsString('ociQuantityCheckReply', $error->getMessage());
        }
    }
}
