<?php

declare(strict_types=1);

namespace Punchout;

/** Identifies a document the engine writes (WIT `envelope`): a unique payloadID and a timestamp. */
final readonly class Envelope implements \JsonSerializable
{
    public function __construct(public string $payloadId, public string $timestamp)
    {
    }

    /** A new payloadID (time, process, counter, random) `@$domain` and the current time. */
    public static function generate(string $domain = 'shop.example.com'): self
    {
        static $counter = 0;
        $now = microtime(true);
        $id = sprintf('%d.%06d.%d.%d.%s@%s', (int) $now, (int) (($now - (int) $now) * 1e6), getmypid(), ++$counter, bin2hex(random_bytes(4)), $domain);
        return new self($id, date('c', (int) $now));
    }

    public function jsonSerialize(): array
    {
        return ['payload_id' => $this->payloadId, 'timestamp' => $this->timestamp];
    }
}
