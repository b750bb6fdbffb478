<?php

declare(strict_types=1);

namespace Punchout\Tests;

use PHPUnit\Framework\TestCase;
use Punchout\Exception\RejectedException;

/** A shop with several buyers routes each setup request to its profile by the From credential. */
final class IdentifyTest extends TestCase
{
    public function testSetupRequestIsRoutedToItsBuyer(): void
    {
        $engine = Fixtures::engine();
        $coupa = $engine->call('compile-profile', [
            'profile' => Fixtures::read('profiles/coupa.json'),
            'secrets' => (object) ['GLOBEX_COUPA_SHARED_SECRET' => 'coupa-secret'],
        ]);
        $ariba = $engine->call('compile-profile', [
            'profile' => Fixtures::read('cxml-buyer-profile.json'),
            'secrets' => (object) Fixtures::json('demo-secrets.json'),
        ]);
        $request = Fixtures::read('cxml-setup-request.xml');
        $found = $engine->call('cxml-identify', ['profile_ids' => [$coupa['id'], $ariba['id']], 'request' => $request]);
        self::assertSame('acme-ariba', $found['profile_id']);

        try {
            $engine->call('cxml-identify', [
                'profile_ids' => [$coupa['id'], $ariba['id']],
                'request' => str_replace('<From><Credential domain="NetworkID"><Identity>AN01000000001', '<From><Credential domain="NetworkID"><Identity>AN09999999999', $request),
            ]);
            self::fail('an unknown buyer was identified');
        } catch (RejectedException $exception) {
            self::assertSame('unknown-buyer', $exception->errorCode());
            self::assertSame('/cXML/Header/From', $exception->location()->path);
        }
    }
}
