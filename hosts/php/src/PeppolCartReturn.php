<?php

declare(strict_types=1);

namespace Punchout;

/**
 * A Peppol BIS Punch Out cart ready to reach the buyer: the T77 document (a UBL Catalogue), the
 * checked return URL, and for a profile whose delivery is `form` the self-submitting HTML page
 * that posts it (`null` for `post`: the shop POSTs the document to the URL itself, as
 * `application/xml`).
 */
final readonly class PeppolCartReturn
{
    public function __construct(public string $document, public string $url, public ?string $formHtml)
    {
    }

    public static function fromArray(array $data): self
    {
        return new self(
            (string) $data['document'],
            (string) $data['url'],
            isset($data['form_html']) ? (string) $data['form_html'] : null,
        );
    }
}
