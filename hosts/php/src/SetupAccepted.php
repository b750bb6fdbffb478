<?php

declare(strict_types=1);

namespace Punchout;

/** A setup request the engine accepted: the session to store and the response body to send. */
final readonly class SetupAccepted
{
    public function __construct(public Session $session, public string $response)
    {
    }

    public static function fromArray(array $data): self
    {
        return new self(Session::fromArray($data['session']), (string) $data['response']);
    }
}
