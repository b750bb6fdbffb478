<?php

declare(strict_types=1);

namespace Punchout;

/** A cart ready to go back: the PunchOutOrderMessage and the self-submitting HTML form that posts it. */
final readonly class CartReturn
{
    public function __construct(public string $message, public string $formHtml)
    {
    }

    public static function fromArray(array $data): self
    {
        return new self((string) $data['message'], (string) $data['form_html']);
    }
}
