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
    /** @return array{0: string, 1: string} the message and the form */
    public static function cartReturn(array $profile, array $session, array $cart, array $envelope): array
    {
        $language = $profile['defaults']['language'] ?? 'en';
        $currency = $cart['currency'];
        [$total, $shipping, $tax] = CxmlRules::totals($cart);

        $implementation = new \DOMImplementation();
        $document = $implementation->createDocument(null, '', $implementation->createDocumentType('cXML', '', CxmlRules::DTD));
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
            $attributes = CxmlRules::attributes($line);
            $item = self::add($document, $message, 'ItemIn', null, [
                'quantity' => CxmlRules::format(CxmlRules::scaled($line['quantity']), 0), 'lineNumber' => (string) ($index + 1),
            ]);
            $itemId = self::add($document, $item, 'ItemID');
            self::add($document, $itemId, 'SupplierPartID', $line['sku']);
            self::add($document, $itemId, 'SupplierPartAuxiliaryID', $line['line_ref']);
            $detail = self::add($document, $item, 'ItemDetail');
            self::money($document, self::add($document, $detail, 'UnitPrice'), $currency, CxmlRules::scaled($line['unit_price']));
            $description = self::add($document, $detail, 'Description', $line['description'], ['xml:lang' => $language]);
            $shortName = CxmlRules::shortName($attributes, $line['description']);
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
            foreach (CxmlRules::DETAIL_ATTRIBUTES as $attribute => $element) {
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
        return [$xml, CxmlRules::form($session['return_url'], $profile['cxml']['form_encoding'] ?? 'cxml-urlencoded', $xml)];
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
        self::add($document, $parent, 'Money', CxmlRules::format($amount, 2), ['currency' => $currency]);
    }
}
