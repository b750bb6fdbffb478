<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Exception\AuthenticationFailedException;
use Punchout\Exception\InvalidProfileException;
use Punchout\Exception\UnsupportedOperationException;
use Punchout\OciCallUpAccepted;
use Punchout\OciPage;
use Punchout\OciSession;

/**
 * The OCI round trip from PHP through the typed API: SAP's call-up authenticated, the session
 * stored, the cart returned as a Latin-1 form of NEW_ITEM fields posting to the HOOK_URL.
 */
final class OciRoundTripTest extends TestCase
{
    public function testCallUpThenLatin1CartForm(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('oci-buyer-profile.json'), Fixtures::json('oci-secrets.json'));
        self::assertSame('oci', $profile->protocol);
        $callUp = $engine->ociCallUp($profile, trim(Fixtures::read('oci-call-up.txt')));
        self::assertInstanceOf(OciCallUpAccepted::class, $callUp);
        self::assertSame('acme-srm', $callUp->session->buyerId);
        self::assertSame('iso-8859-1', $callUp->session->charset);
        self::assertSame('shopping', $callUp->function->name);
        self::assertStringNotContainsString('oci-p4ss', serialize($callUp));

        // The shop stores the session as arrays and restores it.
        $stored = json_encode($callUp->session->toArray(), JSON_THROW_ON_ERROR);
        $session = OciSession::fromArray(json_decode($stored, true, 512, JSON_THROW_ON_ERROR));
        self::assertEquals($callUp->session, $session);

        $cart = Fixtures::json('cart.json');
        $cart['lines'][0]['description'] = 'Kopierpapier A4 für Laserdrucker, 500 Blatt, hochweiß, FSC-zertifiziert';
        $page = $engine->ociCartForm($profile, $session, $cart);
        self::assertInstanceOf(OciPage::class, $page);
        self::assertSame('iso-8859-1', strtolower($page->charset));
        self::assertSame('text/html; charset=iso-8859-1', $page->contentType);
        $html = $page->body;
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

        self::assertSame('{"AVAILABLE_QUANTITY":12.5,"LEADTIME":"4"}', $engine->ociQuantityCheckReply('12.50', 4));
    }

    public function testWrongPasswordIsRejectedWithoutEchoingIt(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('oci-buyer-profile.json'), Fixtures::json('oci-secrets.json'));
        try {
            $engine->ociCallUp($profile, str_replace('PASSWORD=oci-p4ss', 'PASSWORD=guessed-pw', trim(Fixtures::read('oci-call-up.txt'))));
            self::fail('a wrong password was accepted');
        } catch (AuthenticationFailedException $exception) {
            self::assertSame('authentication-failed', $exception->errorCode());
            self::assertStringNotContainsString('guessed-pw', $exception->getMessage() . $exception->getTraceAsString());
        }
    }

    public function testCxmlSetupWithAnOciProfileSaysTheBuyerSpeaksOci(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfile(Fixtures::read('oci-buyer-profile.json'), Fixtures::json('oci-secrets.json'));
        try {
            $engine->cxmlSetup($profile, Fixtures::read('cxml-setup-request.xml'), Fixtures::START_URL . 't');
            self::fail('a cXML setup ran for an OCI buyer');
        } catch (UnsupportedOperationException $exception) {
            self::assertSame('unsupported-operation', $exception->errorCode());
            self::assertStringContainsString('buyer `acme-srm` speaks OCI', $exception->getMessage());
            self::assertStringContainsString('ociCallUp()', $exception->getMessage());
        }
    }

    public function testAChildProfileIsCompiledFromItsFileWithItsBase(): void
    {
        $engine = Fixtures::engine();
        $profile = $engine->compileProfileFile(Fixtures::dir() . '/profiles/coupa-plant-2.json', ['GLOBEX_COUPA_SHARED_SECRET' => 'coupa-secret']);
        self::assertSame('globex-coupa-plant-2', $profile->id);
        self::assertSame('cxml', $profile->protocol);

        // Its text alone has no folder to find the base in: refused with what to do.
        try {
            $engine->compileProfile(Fixtures::read('profiles/coupa-plant-2.json'), ['GLOBEX_COUPA_SHARED_SECRET' => 'coupa-secret']);
            self::fail('a child profile compiled without its base');
        } catch (InvalidProfileException $exception) {
            self::assertSame('/extends', $exception->location()->pointer);
            self::assertStringContainsString('compile-profile-file', $exception->getMessage());
        }

        // A base that is not in the folder: the folder and its profiles are named.
        $dir = sys_get_temp_dir() . '/punchout-php-extends-' . getmypid();
        @mkdir($dir);
        file_put_contents("$dir/child.json", '{"extends": "nowhere", "id": "child", "name": "child"}');
        try {
            $engine->compileProfileFile("$dir/child.json");
            self::fail('a missing base was accepted');
        } catch (InvalidProfileException $exception) {
            self::assertSame('extends `nowhere`, which is not in the profile\'s folder `' . realpath($dir) . '` (profiles there: `child`)', $exception->engineMessage());
            self::assertSame("$dir/child.json", $exception->profileFile());
        }
    }
}
