<?php

declare(strict_types=1);

namespace Punchout\Bench;

/**
 * The cXML cart return written the usual plain-PHP way, with DOMDocument: the benchmark's
 * baseline. It produces the same PunchOutOrderMessage and form as the engine for valid input, with
 * the same mapping (units, classifications, item extrinsics, totals), but none of the engine's
 * checks of the session, the return URL or the cart's values.
 */
final class DomPunchOut
{
    private const DTD = 'http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd';

    /** @return array{0: string, 1: string} the message and the form */
    public static function cartReturn(array $profile, array $session, array $cart, array $envelope): array
    {
        $language = $profile['defaults']['language'] ?? 'en';
        $currency = $cart['currency'];
        $total = 0;
        foreach ($cart['lines'] as $line) {
            $total += intdiv(self::scaled($line['quantity']) * self::scaled($line['unit_price']), 10_000);
        }
        $shipping = isset($cart['shipping']) ? self::scaled($cart['shipping']) : null;
        $tax = isset($cart['tax']) ? self::scaled($cart['tax']) : null;
        $total += ($shipping ?? 0) + ($tax ?? 0);

        $implementation = new \DOMImplementation();
        $document = $implementation->createDocument(null, '', $implementation->createDocumentType('cXML', '', self::DTD));
        $document->encoding = 'UTF-8';
        $document->formatOutput = true;
        $root = self::add($document, $document, 'cXML', null, [
            'version' => '1.2.069', 'payloadID' => $envelope['payload_id'], 'timestamp' => $envelope['timestamp'], 'xml:lang' => 'en-US',
        ]);
        $header = self::add($document, $root, 'Header');
        foreach (['From' => $session['supplier'], 'To' => $session['buyer'], 'Sender' => $session['supplier']] as $name => $credential) {
            $part = self::add($document, $header, $name);
            $element = self::add($document, $part, 'Credential', null, ['domain' => $credential['domain']]);
            self::add($document, $element, 'Identity', $credential['identity']);
        }
        self::add($document, $header->lastChild, 'UserAgent', $profile['cxml']['user_agent'] ?? 'PunchOut engine');
        $message = self::add($document, self::add($document, $root, 'Message'), 'PunchOutOrderMessage');
        self::add($document, $message, 'BuyerCookie', $session['buyer_cookie']);
        $messageHeader = self::add($document, $message, 'PunchOutOrderMessageHeader', null, [
            'operationAllowed' => $session['operation'] === 'inspect' ? 'inspect' : 'edit',
        ]);
        self::money($document, self::add($document, $messageHeader, 'Total'), $currency, $total);
        foreach (['Shipping' => $shipping, 'Tax' => $tax] as $name => $amount) {
            if ($amount !== null) {
                $element = self::add($document, $messageHeader, $name);
                self::money($document, $element, $currency, $amount);
                self::add($document, $element, 'Description', $name, ['xml:lang' => $language]);
            }
        }
        $unitMap = $profile['mapping']['units']['map'] ?? [];
        $domain = $profile['defaults']['classification_domain'] ?? 'UNSPSC';
        foreach ($cart['lines'] as $index => $line) {
            $attributes = [];
            foreach ($line['attributes'] ?? [] as $property) {
                $attributes[$property['name']] ??= $property['value'];
            }
            $item = self::add($document, $message, 'ItemIn', null, [
                'quantity' => self::format(self::scaled($line['quantity']), 0), 'lineNumber' => (string) ($index + 1),
            ]);
            $itemId = self::add($document, $item, 'ItemID');
            self::add($document, $itemId, 'SupplierPartID', $line['sku']);
            self::add($document, $itemId, 'SupplierPartAuxiliaryID', $line['line_ref']);
            $detail = self::add($document, $item, 'ItemDetail');
            self::money($document, self::add($document, $detail, 'UnitPrice'), $currency, self::scaled($line['unit_price']));
            $description = self::add($document, $detail, 'Description', $line['description'], ['xml:lang' => $language]);
            // The sample profile's ShortName rule: the short-name attribute, else the description
            // cut to 50 characters at a word boundary.
            $shortName = $attributes['short-name'] ?? self::truncateAtWord($line['description'], 50);
            if ($shortName !== '') {
                self::add($document, $description, 'ShortName', $shortName);
            }
            $unit = $line['unit'] !== '' ? $line['unit'] : ($profile['defaults']['unit'] ?? 'EA');
            self::add($document, $detail, 'UnitOfMeasure', $unitMap[$unit] ?? $unit);
            foreach ($line['attributes'] ?? [] as $property) {
                if ($property['name'] === 'classification') {
                    self::add($document, $detail, 'Classification', $property['value'], ['domain' => $domain]);
                } elseif (str_starts_with($property['name'], 'classification:')) {
                    self::add($document, $detail, 'Classification', $property['value'], ['domain' => substr($property['name'], 15)]);
                }
            }
            foreach (['manufacturer-part-id' => 'ManufacturerPartID', 'manufacturer-name' => 'ManufacturerName', 'url' => 'URL', 'lead-time' => 'LeadTime'] as $attribute => $element) {
                if (isset($attributes[$attribute])) {
                    self::add($document, $detail, $element, $attributes[$attribute], $element === 'ManufacturerName' ? ['xml:lang' => $language] : []);
                }
            }
            foreach ($profile['mapping']['extrinsics'] ?? [] as $name => $source) {
                $attribute = substr($source, strlen('attributes.'));
                if (isset($attributes[$attribute])) {
                    self::add($document, $detail, 'Extrinsic', $attributes[$attribute], ['name' => $name]);
                }
            }
        }
        $xml = $document->saveXML();
        return [$xml, self::form($session['return_url'], $profile['cxml']['form_encoding'] ?? 'cxml-urlencoded', $xml)];
    }

    private static function add(\DOMDocument $document, \DOMNode $parent, string $name, ?string $text = null, array $attributes = []): \DOMElement
    {
        $element = $document->createElement($name);
        foreach ($attributes as $attribute => $value) {
            $element->setAttribute($attribute, $value);
        }
        if ($text !== null) {
            $element->appendChild($document->createTextNode($text));
        }
        return $parent->appendChild($element);
    }

    private static function money(\DOMDocument $document, \DOMElement $parent, string $currency, int $amount): void
    {
        self::add($document, $parent, 'Money', self::format($amount, 2), ['currency' => $currency]);
    }

    /** A decimal string as an integer of ten-thousandths. */
    private static function scaled(string $decimal): int
    {
        [$whole, $fraction] = explode('.', $decimal . '.', 3);
        return (int) $whole * 10_000 + (int) str_pad(substr($fraction, 0, 4), 4, '0');
    }

    /** Ten-thousandths as a decimal string without trailing zeros, at least `$minimum` decimals. */
    private static function format(int $scaled, int $minimum): string
    {
        $text = rtrim(sprintf('%d.%04d', intdiv($scaled, 10_000), $scaled % 10_000), '0');
        [$whole, $fraction] = explode('.', $text);
        $fraction = str_pad($fraction, $minimum, '0');
        return $fraction === '' ? $whole : "$whole.$fraction";
    }

    private static function form(string $action, string $encoding, string $message): string
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

    /** The engine's `truncate` transform (word boundary only in the second half of the limit). */
    private static function truncateAtWord(string $value, int $max): string
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
