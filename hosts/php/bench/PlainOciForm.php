<?php

declare(strict_types=1);

namespace Punchout\Bench;

/**
 * The OCI cart return written the usual plain-PHP way, with string building: the benchmark's
 * baseline for `oci-cart-form`. For valid input it produces the engine's page byte for byte for
 * OCI 4.0 profiles whose rules are sources and literals (the sample SAP SRM profile): the field
 * table's lengths and number formats, the unit map, the description cut with the long text, the
 * escaping and the Latin-1 policy. None of the engine's checks of the session or the cart's values.
 */
final class PlainOciForm
{
    /**
     * The engine's OCI field table in its order: name => [max characters, format, default source].
     * OCI 5.0's ITEM_TYPE and PARENT_ID are left out: a 4.0 buyer never gets them.
     */
    private const FIELDS = [
        'NEW_ITEM-DESCRIPTION' => [40, 'text', 'description'], 'NEW_ITEM-MATNR' => [40, 'text', null],
        'NEW_ITEM-QUANTITY' => [15, 'decimal', 'quantity'], 'NEW_ITEM-UNIT' => [3, 'unit', 'unit'],
        'NEW_ITEM-PRICE' => [15, 'decimal', 'unit_price'], 'NEW_ITEM-CURRENCY' => [5, 'text', 'currency'],
        'NEW_ITEM-PRICEUNIT' => [5, 'text', null], 'NEW_ITEM-LEADTIME' => [5, 'text', 'attributes.lead-time'],
        'NEW_ITEM-LONGTEXT' => [null, 'text', null], 'NEW_ITEM-VENDOR' => [10, 'text', null],
        'NEW_ITEM-VENDORMAT' => [40, 'text', 'sku'], 'NEW_ITEM-MANUFACTCODE' => [10, 'text', null],
        'NEW_ITEM-MANUFACTMAT' => [40, 'text', 'attributes.manufacturer-part-id'], 'NEW_ITEM-MATGROUP' => [10, 'text', null],
        'NEW_ITEM-SERVICE' => [1, 'text', null], 'NEW_ITEM-CONTRACT' => [10, 'text', null],
        'NEW_ITEM-CONTRACT_ITEM' => [5, 'text', null], 'NEW_ITEM-EXT_QUOTE_ID' => [35, 'text', null],
        'NEW_ITEM-EXT_QUOTE_ITEM' => [10, 'text', null], 'NEW_ITEM-EXT_PRODUCT_ID' => [40, 'text', 'sku'],
        'NEW_ITEM-ATTACHMENT' => [255, 'text', null], 'NEW_ITEM-ATTACHMENT_TITLE' => [255, 'text', null],
        'NEW_ITEM-ATTACHMENT_PURPOSE' => [1, 'text', null], 'NEW_ITEM-EXT_SCHEMA_TYPE' => [10, 'text', null],
        'NEW_ITEM-EXT_CATEGORY_ID' => [60, 'text', null], 'NEW_ITEM-EXT_CATEGORY' => [40, 'text', null],
        'NEW_ITEM-SLD_SYS_NAME' => [60, 'text', null], 'NEW_ITEM-CUST_FIELD1' => [10, 'text', null],
        'NEW_ITEM-CUST_FIELD2' => [10, 'text', null], 'NEW_ITEM-CUST_FIELD3' => [10, 'text', null],
        'NEW_ITEM-CUST_FIELD4' => [20, 'text', null], 'NEW_ITEM-CUST_FIELD5' => [50, 'text', null],
    ];

    /** The engine's transliteration of characters outside windows-1252: replacement => characters. */
    private const TRANSLITERATION = [
        'A' => 'ĀĂĄ', 'a' => 'āăą', 'C' => 'ĆĈĊČ', 'c' => 'ćĉċč', 'D' => 'ĎĐ', 'd' => 'ďđ', 'E' => 'ĒĔĖĘĚ',
        'e' => 'ēĕėęě', 'G' => 'ĜĞĠĢ', 'g' => 'ĝğġģ', 'H' => 'ĤĦ', 'h' => 'ĥħ', 'I' => 'ĨĪĬĮİ', 'i' => 'ĩīĭįı',
        'J' => 'Ĵ', 'j' => 'ĵ', 'K' => 'Ķ', 'k' => 'ķ', 'L' => 'ĹĻĽĿŁ', 'l' => 'ĺļľŀł', 'N' => 'ŃŅŇ', 'n' => 'ńņň',
        'O' => 'ŌŎ', 'o' => 'ōŏ', 'Ö' => 'Ő', 'ö' => 'ő', 'R' => 'ŔŖŘ', 'r' => 'ŕŗř', 'S' => 'ŚŜŞȘ', 's' => 'śŝşș',
        'T' => 'ŢŤŦȚ', 't' => 'ţťŧț', 'U' => 'ŨŪŬŮŲ', 'u' => 'ũūŭůų', 'Ü' => 'Ű', 'ü' => 'ű', 'W' => 'Ŵ', 'w' => 'ŵ',
        'Y' => 'Ŷ', 'y' => 'ŷ', 'Z' => 'ŹŻ', 'z' => 'źż', '-' => '‐‑‒−', '&#39;' => '′', '&quot;' => '″',
        ' ' => "\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{202F}\u{205F}\u{3000}",
    ];

    /** Rust's `char::is_whitespace` (Unicode White_Space), for the word-boundary cut. */
    private const SPACE = '[\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]';

    /** @return array{body: string, charset: string, content_type: string} */
    public static function cartForm(array $profile, array $session, array $cart): array
    {
        $rules = $profile['mapping']['fields'] ?? [];
        $units = $profile['mapping']['units'] ?? [];
        // The fields that can have a value, in the engine's order, each as [where the value
        // comes from, max, format, overflow]; customer fields (NEW_ITEM-Z…/Y…) have no entry in
        // the table, no length and come after it.
        $plan = [];
        foreach (self::FIELDS as $name => [$max, $format, $source]) {
            if (($rule = $rules[$name] ?? $source) !== null) {
                [$kind, $key, $overflow] = self::source($rule);
                $plan[$name] = [$kind, $key, $max, $format, $overflow ?? ($name === 'NEW_ITEM-DESCRIPTION' ? 'longtext' : 'truncate')];
            }
        }
        foreach ($rules as $name => $rule) {
            if (!isset(self::FIELDS[$name]) && preg_match('/^NEW_ITEM-[ZY][A-Z0-9_]*$/', $name)) {
                [$kind, $key, $overflow] = self::source($rule);
                $plan[$name] = [$kind, $key, null, 'text', $overflow ?? 'truncate'];
            }
        }

        [$escapes, $special] = self::escapes();
        $currency = $cart['currency'];
        $inputs = '';
        foreach ($cart['lines'] as $position => $line) {
            $index = $position + 1;
            $attributes = [];
            foreach ($line['attributes'] ?? [] as $property) {
                $attributes[$property['name']] ??= $property['value'];
            }
            $longtext = null;
            $explicitLongtext = null;
            foreach ($plan as $name => [$kind, $key, $max, $format, $overflow]) {
                $value = match ($kind) {
                    'attribute' => $attributes[$key] ?? '',
                    'line' => $line[$key],
                    'literal' => $key,
                    'currency' => $currency,
                    'line_number' => (string) $index,
                };
                if ($format === 'decimal') {
                    $value = self::decimal($value);
                } elseif ($format === 'unit') {
                    // ASCII trim only: shop units are codes.
                    $unit = trim($value, " \t\n\r\v\f");
                    $unit = $unit === '' ? ($units['default'] ?? '') : $unit;
                    $value = $units['map'][$unit] ?? $unit;
                }
                if ($value === '') {
                    continue;
                }
                // strlen() bounds the character count from above: most values skip mb_strlen().
                if ($max !== null && \strlen($value) > $max && mb_strlen($value) > $max) {
                    if ($overflow === 'refuse') {
                        throw new \InvalidArgumentException("line $index: `$name` is longer than $max characters");
                    }
                    if ($overflow === 'longtext') {
                        $longtext = $value;
                    }
                    $value = self::truncate($value, $max);
                }
                if ($name === 'NEW_ITEM-LONGTEXT') {
                    $explicitLongtext = $value;
                    continue;
                }
                $inputs .= self::input("{$name}[$index]", $value, $escapes, $special);
            }
            $longtext = $explicitLongtext ?? $longtext;
            if ($longtext !== null) {
                $inputs .= self::input("NEW_ITEM-LONGTEXT_$index:132[]", $longtext, $escapes, $special);
            }
        }

        // The HOOK_URL's query (SAP's ~OkCode, ~TARGET, ~CALLER) goes back as hidden inputs.
        [$hook] = explode('#', $session['hook_url'], 2);
        [$action, $query] = explode('?', $hook, 2) + [1 => ''];
        $hookInputs = '';
        foreach (explode('&', $query) as $pair) {
            if ($pair !== '') {
                [$name, $value] = explode('=', $pair, 2) + [1 => ''];
                $hookInputs .= self::input(mb_scrub(urldecode($name), 'UTF-8'), mb_scrub(urldecode($value), 'UTF-8'), $escapes, $special);
            }
        }

        $charset = $session['charset'];
        $page = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"$charset\">\n<title>Returning your cart</title>\n</head>\n<body>\n"
            . '<form id="oci-cart-return" method="post" action="' . self::escape($action, $escapes, $special)
            . '" target="' . self::escape($session['target'], $escapes, $special) . "\" accept-charset=\"$charset\">\n"
            . $hookInputs . $inputs
            . "<p>Your cart is being returned to your procurement system.</p>\n<button type=\"submit\">Return the cart</button>\n</form>\n"
            . "<script>document.getElementById(\"oci-cart-return\").submit();</script>\n</body>\n</html>\n";
        if ($charset === 'iso-8859-1') {
            // The engine's Latin-1 policy: written as windows-1252, a few characters transliterated
            // one for one (after escaping, as the engine does), `?` for every other one.
            $page = mb_convert_encoding(strtr($page, self::transliteration()), 'Windows-1252', 'UTF-8');
        }
        return ['body' => $page, 'charset' => $charset, 'content_type' => "text/html; charset=$charset"];
    }

    /**
     * Where a rule's value comes from, and its overflow policy if it sets one; a string rule is
     * a source path.
     *
     * @return array{0: string, 1: string, 2: ?string} the kind, its key, the overflow
     */
    private static function source(string|array $rule): array
    {
        $rule = \is_array($rule) ? $rule : ['source' => $rule];
        $overflow = $rule['overflow'] ?? null;
        if (isset($rule['literal'])) {
            return ['literal', $rule['literal'], $overflow];
        }
        $path = $rule['source'];
        return match (true) {
            str_starts_with($path, 'attributes.') => ['attribute', substr($path, 11), $overflow],
            $path === 'currency', $path === 'line_number' => [$path, '', $overflow],
            default => ['line', $path, $overflow],
        };
    }

    private static function input(string $name, string $value, array $escapes, string $special): string
    {
        return '<input type="hidden" name="' . self::escape($name, $escapes, $special)
            . '" value="' . self::escape($value, $escapes, $special) . "\">\n";
    }

    private static function escape(string $text, array $escapes, string $special): string
    {
        // Most values have nothing to escape; strpbrk() finds that without building a string.
        return strpbrk($text, $special) === false ? $text : strtr($text, $escapes);
    }

    /**
     * The engine's escaping: `& < > " '` as entities, tab and line breaks as numeric references,
     * other control characters (C0, DEL, C1) as U+FFFD (`?` once in Latin-1).
     *
     * @return array{0: array<string, string>, 1: string} the strtr() table and the bytes that start a key
     */
    private static function escapes(): array
    {
        $escapes = ['&' => '&amp;', '<' => '&lt;', '>' => '&gt;', '"' => '&quot;', "'" => '&#39;', "\t" => '&#9;', "\n" => '&#10;', "\r" => '&#13;'];
        foreach ([...range(0, 0x1F), 0x7F, ...range(0x80, 0x9F)] as $code) {
            $escapes[mb_chr($code, 'UTF-8')] ??= "\u{FFFD}";
        }
        return [$escapes, "&<>\"'\x7F\xC2" . implode('', array_map('chr', range(0, 0x1F)))];
    }

    /** @return array<string, string> character => its one-character replacement */
    private static function transliteration(): array
    {
        $table = [];
        foreach (self::TRANSLITERATION as $replacement => $characters) {
            foreach (mb_str_split($characters) as $character) {
                $table[$character] = (string) $replacement;
            }
        }
        return $table;
    }

    /** A decimal string as the engine writes OCI numbers: at most 3 decimals (half to even), no trailing zeros. */
    private static function decimal(string $raw): string
    {
        if ($raw === '') {
            return '';
        }
        $negative = $raw[0] === '-';
        [$whole, $fraction] = explode('.', ltrim($raw, '-') . '.', 3);
        if (\strlen($fraction) > 3) {
            $rest = substr($fraction, 3);
            $fraction = substr($fraction, 0, 3);
            $digits = $whole . $fraction;
            if ($rest[0] > '5' || ($rest[0] === '5' && (rtrim(substr($rest, 1), '0') !== '' || (int) $digits[-1] % 2 === 1))) {
                // Add one unit in the last place, carrying through nines.
                for ($i = \strlen($digits) - 1; $i >= 0 && $digits[$i] === '9'; $i--) {
                    $digits[$i] = '0';
                }
                $digits = $i < 0 ? '1' . $digits : substr_replace($digits, (string) ((int) $digits[$i] + 1), $i, 1);
            }
            [$whole, $fraction] = [substr($digits, 0, -3), substr($digits, -3)];
        }
        $whole = ltrim($whole, '0');
        $fraction = rtrim($fraction, '0');
        $text = ($whole === '' ? '0' : $whole) . ($fraction === '' ? '' : ".$fraction");
        return $negative && $text !== '0' ? "-$text" : $text;
    }

    /** The engine's `truncate` at a word: a boundary only in the second half of the limit. */
    private static function truncate(string $value, int $max): string
    {
        $cut = mb_substr($value, 0, $max);
        if (preg_match('/^' . self::SPACE . '/u', mb_substr($value, $max, 1))) {
            return preg_replace('/' . self::SPACE . '+$/u', '', $cut);
        }
        if (preg_match('/^(.*)' . self::SPACE . '/su', $cut, $match) && mb_strlen($match[1]) * 2 >= $max) {
            return preg_replace('/' . self::SPACE . '+$/u', '', $match[1]);
        }
        return $cut;
    }
}
