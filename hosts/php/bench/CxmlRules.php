<?php

declare(strict_types=1);

namespace Punchout\Bench;

/**
 * What the three hand-written cXML cart returns share (DOMDocument, XMLWriter, string
 * concatenation): the sample profile's rules and the engine's number formats, the totals and the
 * self-posting form. Each baseline writes the document its own way; only this is common.
 */
final class CxmlRules
{
    public const DTD = 'http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd';

    /** The extrinsic-style elements of an item's detail, from the line's attributes. */
    public const DETAIL_ATTRIBUTES = ['manufacturer-part-id' => 'ManufacturerPartID', 'manufacturer-name' => 'ManufacturerName', 'url' => 'URL', 'lead-time' => 'LeadTime'];

    /**
     * The cart's total, shipping and tax in ten-thousandths.
     *
     * @return array{0: int, 1: ?int, 2: ?int}
     */
    public static function totals(array $cart): array
    {
        $total = 0;
        foreach ($cart['lines'] as $line) {
            $total += intdiv(self::scaled($line['quantity']) * self::scaled($line['unit_price']), 10_000);
        }
        $shipping = isset($cart['shipping']) ? self::scaled($cart['shipping']) : null;
        $tax = isset($cart['tax']) ? self::scaled($cart['tax']) : null;
        return [$total + ($shipping ?? 0) + ($tax ?? 0), $shipping, $tax];
    }

    /** A line's attributes by name, the first value of each. */
    public static function attributes(array $line): array
    {
        $attributes = [];
        foreach ($line['attributes'] ?? [] as $property) {
            $attributes[$property['name']] ??= $property['value'];
        }
        return $attributes;
    }

    /** A decimal string as an integer of ten-thousandths. */
    public static function scaled(string $decimal): int
    {
        [$whole, $fraction] = explode('.', $decimal . '.', 3);
        return (int) $whole * 10_000 + (int) str_pad(substr($fraction, 0, 4), 4, '0');
    }

    /** Ten-thousandths as a decimal string without trailing zeros, at least `$minimum` decimals. */
    public static function format(int $scaled, int $minimum): string
    {
        $text = rtrim(sprintf('%d.%04d', intdiv($scaled, 10_000), $scaled % 10_000), '0');
        [$whole, $fraction] = explode('.', $text);
        $fraction = str_pad($fraction, $minimum, '0');
        return $fraction === '' ? $whole : "$whole.$fraction";
    }

    /** The self-posting form that returns the message to the buyer's system. */
    public static function form(string $action, string $encoding, string $message): string
    {
        $value = $encoding === 'cxml-base64' ? base64_encode($message) : $message;
        // A double-quoted attribute value: `&` and `"` are what must be escaped there.
        $attribute = static fn (string $text): string => str_replace(['&', '"'], ['&amp;', '&quot;'], $text);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Returning your cart</title>\n</head>\n<body>\n"
            . '<form id="punchout-cart-return" method="post" action="' . $attribute($action)
            . "\" accept-charset=\"UTF-8\" enctype=\"application/x-www-form-urlencoded\">\n"
            . '<input type="hidden" name="' . $encoding . '" value="' . $attribute($value) . "\">\n"
            . "<p>Your cart is being returned to your procurement system.</p>\n<button type=\"submit\">Return the cart</button>\n</form>\n"
            . "<script>document.getElementById(\"punchout-cart-return\").submit();</script>\n</body>\n</html>\n";
    }

    /**
     * The sample profile's ShortName rule: the short-name attribute, else the description cut to
     * 50 characters at a word boundary.
     */
    public static function shortName(array $attributes, string $description): string
    {
        return $attributes['short-name'] ?? self::truncateAtWord($description, 50);
    }

    /** The engine's `truncate` transform (word boundary only in the second half of the limit). */
    public static function truncateAtWord(string $value, int $max): string
    {
        if (mb_strlen($value) <= $max) {
            return $value;
        }
        $cut = mb_substr($value, 0, $max);
        if (preg_match('/^\s/u', mb_substr($value, $max, 1))) {
            return rtrim($cut);
        }
        if (preg_match('/^(.*)\s/us', $cut, $match) && mb_strlen($match[1]) * 2 >= $max) {
            return rtrim($match[1]);
        }
        return $cut;
    }
}
