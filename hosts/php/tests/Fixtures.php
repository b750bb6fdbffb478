<?php

declare(strict_types=1);

namespace Punchout\Tests;

use Punchout\Cart;
use Punchout\Engine;
use Punchout\Envelope;

/** The Rust tests' fixtures (host-example/samples) and the engine the tests share. */
final class Fixtures
{
    public const START_URL = 'https://shop.example.com/punchout/start?token=';

    public static function dir(): string
    {
        return getenv('PUNCHOUT_SAMPLES') ?: \dirname(__DIR__, 3) . '/host-example/samples';
    }

    public static function read(string $name): string
    {
        $path = self::dir() . '/' . $name;
        $text = file_get_contents($path);
        if ($text === false) {
            throw new \RuntimeException("missing fixture `$path`");
        }
        return $text;
    }

    public static function json(string $name): array
    {
        return json_decode(self::read($name), true, 512, JSON_THROW_ON_ERROR);
    }

    /**
     * The precompiled component `run-tests.sh` writes ($PUNCHOUT_PRECOMPILED). A test that needs
     * it fails without it, saying how to run it: nothing is skipped.
     */
    public static function precompiled(): string
    {
        $path = getenv('PUNCHOUT_PRECOMPILED');
        if (!\is_string($path) || $path === '') {
            // An installed package carries its own.
            $path = \Punchout\Native\Library::packaged('punchout_plugin.cwasm') ?? '';
        }
        if ($path === '' || !is_file($path)) {
            throw new \RuntimeException('PUNCHOUT_PRECOMPILED does not name a precompiled component: run the tests with hosts/php/run-tests.sh, which writes it');
        }
        return $path;
    }

    public static function engine(array $options = []): Engine
    {
        return new Engine($options);
    }

    public static function cart(): Cart
    {
        return Cart::fromArray(self::json('cart.json'));
    }

    public static function envelope(int $step): Envelope
    {
        return new Envelope("1764061200.$step.test@shop.example.com", '2026-11-25T10:00:00+01:00');
    }
}
