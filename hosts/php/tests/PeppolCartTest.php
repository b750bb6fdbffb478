<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Engine;
use Punchout\Exception;

/** The Peppol BIS Punch Out cart (T77) from PHP: the document, its form and its refusals. */
final class PeppolCartTest extends TestCase
{
    private const RETURN_URL = 'https://eprocurement.def-customer.example/punchout/return?session=7&x="y"';

    public function testTheCartBecomesTheT77DocumentAndItsForm(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('peppol-buyer-profile.json'));
        self::assertSame('peppol', $profile->protocol);
        $cart = $engine->peppolCart($profile, Fixtures::cart(), self::RETURN_URL, Fixtures::envelope(1));
        self::assertSame(self::RETURN_URL, $cart->url);
        self::assertStringContainsString('<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:punch_out:3</cbc:ProfileID>', $cart->document);
        self::assertStringContainsString('<cbc:ID>1764061200.1.test@shop.example.com</cbc:ID>', $cart->document);
        self::assertSame(2, substr_count($cart->document, '<cac:CatalogueLine>'));
        self::assertStringContainsString('<cbc:BatchQuantity unitCode="XPK">10</cbc:BatchQuantity>', $cart->document);

        $page = new \DOMDocument();
        self::assertTrue(@$page->loadHTML((string) $cart->formHtml));
        $forms = $page->getElementsByTagName('form');
        self::assertSame(1, $forms->length);
        self::assertSame(self::RETURN_URL, $forms->item(0)->getAttribute('action'));
        $input = $page->getElementsByTagName('input')->item(0);
        self::assertSame('punchout-cart', $input->getAttribute('name'));
        self::assertSame($cart->document, base64_decode($input->getAttribute('value'), true));
    }

    public function testAPostDeliveryHasNoForm(): void
    {
        $engine = Fixtures::engine();
        $json = json_decode(Fixtures::read('peppol-buyer-profile.json'), true, flags: JSON_THROW_ON_ERROR);
        $json['id'] = 'def-post';
        $json['peppol']['delivery'] = ['mode' => 'post'];
        $profile = $engine->compileProfile($json);
        $cart = $engine->peppolCart($profile, Fixtures::json('cart.json'), self::RETURN_URL, Fixtures::envelope(2));
        self::assertNull($cart->formHtml);
        self::assertStringStartsWith('<?xml version="1.0" encoding="UTF-8"?>', $cart->document);
    }

    public function testRefusalsAreTypedAndLocated(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('peppol-buyer-profile.json'));
        try {
            $engine->peppolCart($profile, Fixtures::cart(), 'https://evil.example/punchout/');
            self::fail('a foreign return URL was accepted');
        } catch (Exception\ReturnUrlNotAllowedException $refused) {
            self::assertSame('return_url', $refused->location()->field);
        }
        $cart = Fixtures::json('cart.json');
        $cart['lines'][0]['unit'] = 'BX';
        try {
            $engine->peppolCart($profile, $cart, self::RETURN_URL);
            self::fail('a unit outside Rec 20 was accepted');
        } catch (Exception\InvalidCartException $refused) {
            self::assertSame('/lines/0/unit', $refused->location()->pointer);
        }
        $cxml = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        try {
            $engine->peppolCart($cxml, Fixtures::cart(), self::RETURN_URL);
            self::fail('a cXML profile was accepted');
        } catch (Exception\UnsupportedOperationException $refused) {
            self::assertStringContainsString('speaks cXML, not Peppol', $refused->engineMessage());
        }
    }
}
