<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Exception\RejectedException;

/**
 * The OCI round trip from PHP, through the table-driven API: SAP's call-up authenticated, the
 * session stored, the cart returned as a Latin-1 form of NEW_ITEM fields posting to the HOOK_URL.
 */
final class OciRoundTripTest extends TestCase
{
    public function testCallUpThenLatin1CartForm(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->call('compile-profile', [
            'profile' => Fixtures::read('oci-buyer-profile.json'),
            'secrets' => (object) Fixtures::json('oci-secrets.json'),
        ]);
        $callUp = $engine->call('oci-call-up', [
            'profile_id' => $profile['id'],
            'call_up' => trim(Fixtures::read('oci-call-up.txt')),
        ]);
        self::assertSame('acme-srm', $callUp['session']['buyer_id']);
        self::assertStringNotContainsString('oci-p4ss', json_encode($callUp, JSON_THROW_ON_ERROR));

        $cart = Fixtures::json('cart.json');
        $cart['lines'][0]['description'] = 'Kopierpapier A4 für Laserdrucker, 500 Blatt, hochweiß, FSC-zertifiziert';
        $page = $engine->call('oci-cart-form', [
            'profile_id' => $profile['id'],
            'session' => $callUp['session'],
            'cart' => $cart,
        ]);
        self::assertSame('iso-8859-1', strtolower($page['charset']));
        $html = $page['body'];
        self::assertIsString($html);
        self::assertStringContainsString("f\xFCr Laserdrucker", $html, 'the page is encoded in Latin-1');

        $document = new \DOMDocument();
        @$document->loadHTML($html);
        $forms = $document->getElementsByTagName('form');
        self::assertSame(1, $forms->length);
        self::assertStringStartsWith('https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm', $forms->item(0)->getAttribute('action'));
        $fields = [];
        foreach ($document->getElementsByTagName('input') as $input) {
            $fields[$input->getAttribute('name')] = $input->getAttribute('value');
        }
        self::assertSame('ABC-123', $fields['NEW_ITEM-VENDORMAT[1]']);
        self::assertSame('10', $fields['NEW_ITEM-QUANTITY[1]']);
        self::assertSame('CTLG', $fields['~CALLER']);
        self::assertLessThanOrEqual(40, mb_strlen($fields['NEW_ITEM-DESCRIPTION[1]']));
        self::assertSame(2, \count(array_filter(array_keys($fields), static fn ($name) => str_starts_with($name, 'NEW_ITEM-QUANTITY['))));
    }

    public function testWrongPasswordIsRejectedWithoutEchoingIt(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->call('compile-profile', [
            'profile' => Fixtures::read('oci-buyer-profile.json'),
            'secrets' => (object) Fixtures::json('oci-secrets.json'),
        ]);
        try {
            $engine->call('oci-call-up', [
                'profile_id' => $profile['id'],
                'call_up' => str_replace('PASSWORD=oci-p4ss', 'PASSWORD=guessed-pw', trim(Fixtures::read('oci-call-up.txt'))),
            ]);
            self::fail('a wrong password was accepted');
        } catch (RejectedException $exception) {
            self::assertSame('authentication-failed', $exception->errorCode());
            self::assertStringNotContainsString('guessed-pw', $exception->getMessage() . $exception->getTraceAsString());
        }
    }
}
