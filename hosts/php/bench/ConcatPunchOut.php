<?php

declare(strict_types=1);

namespace Punchout\Bench;

/**
 * The cXML cart return written as plain string concatenation with `htmlspecialchars`, the fastest
 * thing a shop developer writes by hand: the same message and form as the engine for valid
 * carts, byte for byte. No checks of the session, the return URL or the cart's values, and no
 * handling of characters XML forbids.
 */
final class ConcatPunchOut
{
    /** Text content: `& < >` escaped, quotes as they are (as the engine writes text). */
    private const TEXT = ENT_XML1 | ENT_NOQUOTES;
    /** A double-quoted attribute value: `& < > "` escaped. */
    private const ATTRIBUTE = ENT_XML1 | ENT_COMPAT;

    /** @return array{0: string, 1: string} the message and the form */
    public static function cartReturn(array $profile, array $session, array $cart, array $envelope): array
    {
        $language = htmlspecialchars($profile['defaults']['language'] ?? 'en', self::ATTRIBUTE);
        $currency = htmlspecialchars($cart['currency'], self::ATTRIBUTE);
        [$total, $shipping, $tax] = CxmlRules::totals($cart);
        $xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE cXML SYSTEM \"" . CxmlRules::DTD . "\">\n"
            . '<cXML version="1.2.069" payloadID="' . htmlspecialchars($envelope['payload_id'], self::ATTRIBUTE)
            . '" timestamp="' . htmlspecialchars($envelope['timestamp'], self::ATTRIBUTE) . "\" xml:lang=\"en-US\">\n  <Header>\n";
        foreach (['From' => $session['supplier'], 'To' => $session['buyer'], 'Sender' => $session['supplier']] as $name => $credential) {
            $xml .= "    <$name>\n      <Credential domain=\"" . htmlspecialchars($credential['domain'], self::ATTRIBUTE) . "\">\n"
                . '        <Identity>' . htmlspecialchars($credential['identity'], self::TEXT) . "</Identity>\n      </Credential>\n";
            if ($name === 'Sender') {
                $xml .= '      <UserAgent>' . htmlspecialchars($profile['cxml']['user_agent'] ?? 'PunchOut engine', self::TEXT) . "</UserAgent>\n";
            }
            $xml .= "    </$name>\n";
        }
        $xml .= "  </Header>\n  <Message>\n    <PunchOutOrderMessage>\n"
            . '      <BuyerCookie>' . htmlspecialchars($session['buyer_cookie'], self::TEXT) . "</BuyerCookie>\n"
            . '      <PunchOutOrderMessageHeader operationAllowed="' . ($session['operation'] === 'inspect' ? 'inspect' : 'edit') . "\">\n"
            . "        <Total>\n          <Money currency=\"$currency\">" . CxmlRules::format($total, 2) . "</Money>\n        </Total>\n";
        foreach (['Shipping' => $shipping, 'Tax' => $tax] as $name => $amount) {
            if ($amount !== null) {
                $xml .= "        <$name>\n          <Money currency=\"$currency\">" . CxmlRules::format($amount, 2) . "</Money>\n"
                    . "          <Description xml:lang=\"$language\">$name</Description>\n        </$name>\n";
            }
        }
        $xml .= "      </PunchOutOrderMessageHeader>\n";
        $unitMap = $profile['mapping']['units']['map'] ?? [];
        $domain = htmlspecialchars($profile['defaults']['classification_domain'] ?? 'UNSPSC', self::ATTRIBUTE);
        $extrinsics = $profile['mapping']['extrinsics'] ?? [];
        foreach ($cart['lines'] as $index => $line) {
            $attributes = CxmlRules::attributes($line);
            $shortName = CxmlRules::shortName($attributes, $line['description']);
            $unit = $line['unit'] !== '' ? $line['unit'] : ($profile['defaults']['unit'] ?? 'EA');
            $xml .= '      <ItemIn quantity="' . CxmlRules::format(CxmlRules::scaled($line['quantity']), 0) . '" lineNumber="' . ($index + 1) . "\">\n"
                . "        <ItemID>\n          <SupplierPartID>" . htmlspecialchars($line['sku'], self::TEXT) . "</SupplierPartID>\n"
                . '          <SupplierPartAuxiliaryID>' . htmlspecialchars($line['line_ref'], self::TEXT) . "</SupplierPartAuxiliaryID>\n        </ItemID>\n"
                . "        <ItemDetail>\n          <UnitPrice>\n            <Money currency=\"$currency\">" . CxmlRules::format(CxmlRules::scaled($line['unit_price']), 2) . "</Money>\n          </UnitPrice>\n"
                . "          <Description xml:lang=\"$language\">" . htmlspecialchars($line['description'], self::TEXT)
                . ($shortName !== '' ? '<ShortName>' . htmlspecialchars($shortName, self::TEXT) . '</ShortName>' : '') . "</Description>\n"
                . '          <UnitOfMeasure>' . htmlspecialchars($unitMap[$unit] ?? $unit, self::TEXT) . "</UnitOfMeasure>\n";
            foreach ($line['attributes'] ?? [] as $property) {
                $name = $property['name'];
                if ($name === 'classification' || str_starts_with($name, 'classification:')) {
                    $xml .= '          <Classification domain="' . ($name === 'classification' ? $domain : htmlspecialchars(substr($name, 15), self::ATTRIBUTE)) . '">'
                        . htmlspecialchars($property['value'], self::TEXT) . "</Classification>\n";
                }
            }
            foreach (CxmlRules::DETAIL_ATTRIBUTES as $attribute => $element) {
                if (isset($attributes[$attribute])) {
                    $xml .= "          <$element" . ($element === 'ManufacturerName' ? " xml:lang=\"$language\">" : '>')
                        . htmlspecialchars($attributes[$attribute], self::TEXT) . "</$element>\n";
                }
            }
            foreach ($extrinsics as $name => $source) {
                $attribute = substr($source, \strlen('attributes.'));
                if (isset($attributes[$attribute])) {
                    $xml .= '          <Extrinsic name="' . htmlspecialchars($name, self::ATTRIBUTE) . '">' . htmlspecialchars($attributes[$attribute], self::TEXT) . "</Extrinsic>\n";
                }
            }
            $xml .= "        </ItemDetail>\n      </ItemIn>\n";
        }
        $xml .= "    </PunchOutOrderMessage>\n  </Message>\n</cXML>\n";
        return [$xml, CxmlRules::form($session['return_url'], $profile['cxml']['form_encoding'] ?? 'cxml-urlencoded', $xml)];
    }
}
