<?php

declare(strict_types=1);

namespace Punchout\Bundle\Tests;

use Psr\Log\AbstractLogger;

/** The test environment's logger: keeps every record (interpolated) for the tests to read. */
final class RecordingLogger extends AbstractLogger
{
    /** @var list<string> */
    public static array $records = [];

    public function log($level, $message, array $context = []): void
    {
        $replace = [];
        foreach ($context as $key => $value) {
            if (\is_scalar($value) || $value instanceof \Stringable) {
                $replace['{' . $key . '}'] = (string) $value;
            }
        }
        self::$records[] = "[$level] " . strtr((string) $message, $replace);
    }
}
