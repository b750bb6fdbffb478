<?php

declare(strict_types=1);

namespace Punchout\Bench;

/**
 * The cXML cart return written with XMLWriter, as a shop developer would for speed: the same
 * message and form as the engine for the benchmark's carts, byte for byte. XMLWriter's own
 * indentation breaks the DOCTYPE over two lines and indents inside the mixed-content
 * `Description`, so the line breaks and indentation are written by hand. XMLWriter escapes `"` in
 * text as `&quot;` where the engine writes it as is: carts with quotes differ there. No checks of
 * the session, the return URL or the cart's values.
 */
final class XmlWriterPunchOut
{
    /** @return array{0: string, 1: string} the message and the form */
    public static function cartReturn(array $profile, array $session, array $cart, array $envelope): array
    {
        $language = $profile['defaults']['language'] ?? 'en';
        $currency = $cart['currency'];
        [$total, $shipping, $tax] = CxmlRules::totals($cart);
        $w = new \XMLWriter();
        $w->openMemory();
        $w->startDocument('1.0', 'UTF-8');
        $w->writeDtd('cXML', null, CxmlRules::DTD);
        $w->writeRaw("\n");
        $w->startElement('cXML');
        $w->writeAttribute('version', '1.2.069');
        $w->writeAttribute('payloadID', $envelope['payload_id']);
        $w->writeAttribute('timestamp', $envelope['timestamp']);
        $w->writeAttribute('xml:lang', 'en-US');
        $w->writeRaw("\n  ");
        $w->startElement('Header');
        foreach (['From' => $session['supplier'], 'To' => $session['buyer'], 'Sender' => $session['supplier']] as $name => $credential) {
            $w->writeRaw("\n    ");
            $w->startElement($name);
            $w->writeRaw("\n      ");
            $w->startElement('Credential');
            $w->writeAttribute('domain', $credential['domain']);
            $w->writeRaw("\n        ");
            $w->writeElement('Identity', $credential['identity']);
            $w->writeRaw("\n      ");
            $w->endElement();
            if ($name === 'Sender') {
                $w->writeRaw("\n      ");
                $w->writeElement('UserAgent', $profile['cxml']['user_agent'] ?? 'PunchOut engine');
            }
            $w->writeRaw("\n    ");
            $w->endElement();
        }
        $w->writeRaw("\n  ");
        $w->endElement();
        $w->writeRaw("\n  ");
        $w->startElement('Message');
        $w->writeRaw("\n    ");
        $w->startElement('PunchOutOrderMessage');
        $w->writeRaw("\n      ");
        $w->writeElement('BuyerCookie', $session['buyer_cookie']);
        $w->writeRaw("\n      ");
        $w->startElement('PunchOutOrderMessageHeader');
        $w->writeAttribute('operationAllowed', $session['operation'] === 'inspect' ? 'inspect' : 'edit');
        $w->writeRaw("\n        ");
        $w->startElement('Total');
        self::money($w, "\n          ", $currency, $total);
        $w->writeRaw("\n        ");
        $w->endElement();
        foreach (['Shipping' => $shipping, 'Tax' => $tax] as $name => $amount) {
            if ($amount !== null) {
                $w->writeRaw("\n        ");
                $w->startElement($name);
                self::money($w, "\n          ", $currency, $amount);
                $w->writeRaw("\n          ");
                $w->startElement('Description');
                $w->writeAttribute('xml:lang', $language);
                $w->text($name);
                $w->endElement();
                $w->writeRaw("\n        ");
                $w->endElement();
            }
        }
        $w->writeRaw("\n      ");
        $w->endElement();
        $unitMap = $profile['mapping']['units']['map'] ?? [];
        $domain = $profile['defaults']['classification_domain'] ?? 'UNSPSC';
        $extrinsics = $profile['mapping']['extrinsics'] ?? [];
        foreach ($cart['lines'] as $index => $line) {
            $attributes = CxmlRules::attributes($line);
            $w->writeRaw("\n      ");
            $w->startElement('ItemIn');
            $w->writeAttribute('quantity', CxmlRules::format(CxmlRules::scaled($line['quantity']), 0));
            $w->writeAttribute('lineNumber', (string) ($index + 1));
            $w->writeRaw("\n        ");
            $w->startElement('ItemID');
            $w->writeRaw("\n          ");
            $w->writeElement('SupplierPartID', $line['sku']);
            $w->writeRaw("\n          ");
            $w->writeElement('SupplierPartAuxiliaryID', $line['line_ref']);
            $w->writeRaw("\n        ");
            $w->endElement();
            $w->writeRaw("\n        ");
            $w->startElement('ItemDetail');
            $w->writeRaw("\n          ");
            $w->startElement('UnitPrice');
            self::money($w, "\n            ", $currency, CxmlRules::scaled($line['unit_price']));
            $w->writeRaw("\n          ");
            $w->endElement();
            $w->writeRaw("\n          ");
            $w->startElement('Description');
            $w->writeAttribute('xml:lang', $language);
            $w->text($line['description']);
            $shortName = CxmlRules::shortName($attributes, $line['description']);
            if ($shortName !== '') {
                $w->writeElement('ShortName', $shortName);
            }
            $w->endElement();
            $unit = $line['unit'] !== '' ? $line['unit'] : ($profile['defaults']['unit'] ?? 'EA');
            $w->writeRaw("\n          ");
            $w->writeElement('UnitOfMeasure', $unitMap[$unit] ?? $unit);
            foreach ($line['attributes'] ?? [] as $property) {
                $name = $property['name'];
                if ($name === 'classification' || str_starts_with($name, 'classification:')) {
                    $w->writeRaw("\n          ");
                    $w->startElement('Classification');
                    $w->writeAttribute('domain', $name === 'classification' ? $domain : substr($name, 15));
                    $w->text($property['value']);
                    $w->endElement();
                }
            }
            foreach (CxmlRules::DETAIL_ATTRIBUTES as $attribute => $element) {
                if (isset($attributes[$attribute])) {
                    $w->writeRaw("\n          ");
                    $w->startElement($element);
                    if ($element === 'ManufacturerName') {
                        $w->writeAttribute('xml:lang', $language);
                    }
                    $w->text($attributes[$attribute]);
                    $w->endElement();
                }
            }
            foreach ($extrinsics as $name => $source) {
                $attribute = substr($source, \strlen('attributes.'));
                if (isset($attributes[$attribute])) {
                    $w->writeRaw("\n          ");
                    $w->startElement('Extrinsic');
                    $w->writeAttribute('name', $name);
                    $w->text($attributes[$attribute]);
                    $w->endElement();
                }
            }
            $w->writeRaw("\n        ");
            $w->endElement();
            $w->writeRaw("\n      ");
            $w->endElement();
        }
        $w->writeRaw("\n    ");
        $w->endElement();
        $w->writeRaw("\n  ");
        $w->endElement();
        $w->writeRaw("\n");
        $w->endElement();
        $w->endDocument();
        $xml = $w->outputMemory();
        return [$xml, CxmlRules::form($session['return_url'], $profile['cxml']['form_encoding'] ?? 'cxml-urlencoded', $xml)];
    }

    private static function money(\XMLWriter $w, string $indent, string $currency, int $amount): void
    {
        $w->writeRaw($indent);
        $w->startElement('Money');
        $w->writeAttribute('currency', $currency);
        $w->text(CxmlRules::format($amount, 2));
        $w->endElement();
    }
}
