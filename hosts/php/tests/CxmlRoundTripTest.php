<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Cart;
use Punchout\Session;
use Punchout\SetupOperation;

/** The full cXML round trip of `punchout demo`, from PHP: setup, stored session, cart return, read back. */
final class CxmlRoundTripTest extends TestCase
{
    /** @return iterable<string, array{string}> */
    public static function encodings(): iterable
    {
        yield 'cxml-urlencoded' => ['cxml-urlencoded'];
        yield 'cxml-base64' => ['cxml-base64'];
    }

    /** @dataProvider encodings */
    public function testSetupCartReturnAndReadBack(string $encoding): void
    {
        $engine = Fixtures::engine();
        $profileJson = Fixtures::json('cxml-buyer-profile.json');
        $profileJson['cxml']['form_encoding'] = $encoding;
        $profile = $engine->compileProfile($profileJson, Fixtures::json('demo-secrets.json'));
        self::assertSame('acme-ariba', $profile->id);

        $token = bin2hex(random_bytes(16));
        $accepted = $engine->cxmlSetup($profile, Fixtures::read('cxml-setup-request.xml'), Fixtures::START_URL . $token, Fixtures::envelope(1));
        self::assertSame('c0ffee-42-ACME', $accepted->session->buyerCookie);
        self::assertSame(SetupOperation::Create, $accepted->session->operation);
        self::assertSame('Jane Doe', $accepted->session->userName);
        self::assertStringContainsString('<URL>' . Fixtures::START_URL . $token . '</URL>', $accepted->response);
        self::assertStringContainsString('payloadID="1764061200.1.test@shop.example.com"', $accepted->response);

        // The shop stores the session as arrays (PHP session, database) and restores it.
        $stored = json_encode($accepted->session->toArray(), JSON_THROW_ON_ERROR);
        $session = Session::fromArray(json_decode($stored, true, 512, JSON_THROW_ON_ERROR));
        self::assertEquals($accepted->session, $session);

        $cart = Fixtures::cart();
        $return = $engine->cxmlCartReturn($profile, $session, $cart, Fixtures::envelope(3));
        self::assertStringContainsString('<BuyerCookie>c0ffee-42-ACME</BuyerCookie>', $return->message);

        [$action, $message] = self::readForm($return->formHtml);
        self::assertSame($session->returnUrl, $action);
        self::assertSame($return->message, $message);

        $read = $engine->cxmlReadOrderMessage($message);
        self::assertSame('c0ffee-42-ACME', $read->buyerCookie);
        self::assertSame(SetupOperation::Edit, $read->operationAllowed);
        self::assertSame('EUR', $read->currency);
        self::assertSame('226.80', $read->total);
        self::assertCount(\count($cart->lines), $read->lines);
        foreach ($cart->lines as $index => $sent) {
            $received = $read->lines[$index];
            self::assertSame($sent->lineRef, $received->lineRef);
            self::assertSame($sent->sku, $received->sku);
            self::assertSame($sent->description, $received->description);
            self::assertSame((float) $sent->quantity, (float) $received->quantity);
            self::assertSame((float) $sent->unitPrice, (float) $received->unitPrice);
        }
        self::assertSame('EA', $read->lines[1]->unit, 'the profile maps PCE to EA');
        self::assertSame('Copy paper A4', $read->lines[0]->attribute('short-name'));
        self::assertSame('https://shop.example.com/img/abc-123.png', $read->lines[0]->attribute('extrinsic:ImageURL'));
    }

    public function testEmptyCartIsACancel(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('cxml-buyer-profile.json'), Fixtures::json('demo-secrets.json'));
        $session = Session::fromArray(Fixtures::json('cxml-session.json'));
        $return = $engine->cxmlCartReturn($profile, $session, new Cart('EUR'));
        self::assertCount(0, $engine->cxmlReadOrderMessage($return->message)->lines);
    }

    /** The form as the buyer's browser posts it: one form, its action, the message from the one hidden field. */
    public static function readForm(string $html): array
    {
        $page = new \DOMDocument();
        self::assertTrue(@$page->loadHTML($html));
        $forms = $page->getElementsByTagName('form');
        self::assertSame(1, $forms->length, 'exactly one form');
        $form = $forms->item(0);
        $inputs = $form->getElementsByTagName('input');
        self::assertSame(1, $inputs->length);
        $field = $inputs->item(0);
        $value = $field->getAttribute('value');
        $message = match ($field->getAttribute('name')) {
            'cxml-urlencoded' => $value,
            'cxml-base64' => base64_decode($value, true),
        };
        return [$form->getAttribute('action'), $message];
    }
}
