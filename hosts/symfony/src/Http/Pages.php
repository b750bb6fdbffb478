<?php

declare(strict_types=1);

namespace Punchout\Bundle\Http;

use Symfony\Component\HttpFoundation\Response;
use Symfony\Contracts\Translation\TranslatorInterface;

/**
 * The small pages the bundle shows the buyer's browser itself (an expired link, a refused
 * call-up), from translation keys in the `punchout` domain (Resources/translations); a shop
 * overrides the texts in its own `translations/punchout.LOCALE.xlf`.
 */
final class Pages
{
    public const DOMAIN = 'punchout';

    public function __construct(private readonly TranslatorInterface $translator)
    {
    }

    /** @param array<string, string> $parameters */
    public function trans(string $key, array $parameters = []): string
    {
        return $this->translator->trans($key, $parameters, self::DOMAIN);
    }

    /** A page with a title and a sentence (both translation keys), every text escaped. */
    public function error(int $status, string $key, array $parameters = []): Response
    {
        $title = self::h($this->trans('punchout.page.title'));
        $text = self::h($this->trans($key, $parameters));
        $html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>$title</title></head>\n<body><h1>$title</h1><p>$text</p></body></html>\n";
        return new Response($html, $status, ['Content-Type' => 'text/html; charset=UTF-8', 'Cache-Control' => 'no-store']);
    }

    public static function h(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_HTML5 | ENT_SUBSTITUTE, 'UTF-8');
    }
}
