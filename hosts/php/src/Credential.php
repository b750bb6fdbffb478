<?php

declare(strict_types=1);

namespace Punchout;

/** A document header credential (WIT `credential`). */
final readonly class Credential implements \JsonSerializable
{
    public function __construct(public string $domain, public string $identity)
    {
    }

    public static function fromArray(array $data): self
    {
        return new self((string) $data['domain'], (string) $data['identity']);
    }

    public function jsonSerialize(): array
    {
        return ['domain' => $this->domain, 'identity' => $this->identity];
    }
}
