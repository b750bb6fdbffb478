<?php

declare(strict_types=1);

namespace Punchout;

/**
 * A page for the buyer's browser (the OCI cart form, the `VALIDATE` or `BACKGROUND_SEARCH`
 * reply): the bytes, already in the session's charset, and the `Content-Type` to send them with.
 */
final readonly class OciPage
{
    public function __construct(public string $body, public string $charset, public string $contentType)
    {
    }

    public static function fromArray(array $data): self
    {
        return new self((string) $data['body'], (string) $data['charset'], (string) $data['content_type']);
    }
}
