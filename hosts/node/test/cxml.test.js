// The cXML round trip from Node: identify, setup, stored session, cart return, read back; the
// refusals as typed errors with their location.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  AuthenticationFailedError,
  Engine,
  InvalidCartError,
  InvalidProfileError,
  RejectedError,
  UnsupportedOperationError,
} from 'punchout-engine';
import { CXML_SECRETS, ENVELOPE, formFields, sample } from './fixtures.js';

const engine = new Engine();
after(() => engine.close());
const START_URL = 'https://shop.example.com/punchout/start?token=';

for (const encoding of ['cxml-urlencoded', 'cxml-base64']) {
  test(`setup, cart return and read back (${encoding})`, async () => {
    const profileJson = JSON.parse(sample('cxml-buyer-profile.json'));
    profileJson.cxml.form_encoding = encoding;
    // Another buyer on the same shop, with its own credentials.
    const otherJson = JSON.parse(sample('cxml-buyer-profile.json'));
    otherJson.id = 'globex';
    otherJson.authentication.credentials = [{ domain: 'NetworkID', identity: 'AN02000000002' }];
    const other = await engine.compileProfile(otherJson, CXML_SECRETS);
    const profile = await engine.compileProfile(profileJson, CXML_SECRETS);
    assert.equal(profile.id, 'acme-ariba');

    const request = sample('cxml-setup-request.xml');
    assert.equal(await engine.cxml.identify([other, profile], request), 1);
    const accepted = await engine.cxml.setup(profile, request, `${START_URL}t0k3n`, ENVELOPE);
    assert.equal(accepted.session.buyerCookie, 'c0ffee-42-ACME');
    assert.equal(accepted.session.operation, 'create');
    assert.equal(accepted.session.userName, 'Jane Doe');
    assert.match(accepted.response, /<URL>https:\/\/shop\.example\.com\/punchout\/start\?token=t0k3n<\/URL>/);

    // The shop stores the session (as JSON) and restores it.
    const session = JSON.parse(JSON.stringify(accepted.session));
    const cart = JSON.parse(sample('cart.json'));
    const returned = await engine.cxml.returnCart(profile, session, cart, ENVELOPE);
    const message = Buffer.from(returned.message).toString('utf8');
    assert.match(message, /<BuyerCookie>c0ffee-42-ACME<\/BuyerCookie>/);

    const { action, fields } = formFields(Buffer.from(returned.formHtml).toString("utf8"));
    assert.equal(action, session.returnUrl);
    const posted = encoding === 'cxml-base64'
      ? Buffer.from(fields[encoding], 'base64').toString('utf8')
      : fields[encoding];
    assert.equal(posted, message);

    const read = await engine.cxml.readOrderMessage(posted);
    assert.equal(read.buyerCookie, 'c0ffee-42-ACME');
    assert.equal(read.currency, 'EUR');
    assert.equal(read.total, '226.80');
    assert.deepEqual(read.lines.map((line) => line.lineRef), cart.lines.map((line) => line.line_ref));
    assert.equal(read.lines[1].unit, 'EA', 'the profile maps PCE to EA');
  });
}

test('a wrong shared secret is refused without echoing it, and the response is 401', async () => {
  const profile = await engine.compileProfile(sample('cxml-buyer-profile.json'), CXML_SECRETS);
  const request = sample('cxml-setup-request.xml').replace('<SharedSecret>s3cr3t</SharedSecret>', '<SharedSecret>guessed</SharedSecret>');
  assert.notEqual(request, sample('cxml-setup-request.xml'));
  const error = await engine.cxml.setup(profile, request, `${START_URL}x`, ENVELOPE).then(
    () => assert.fail('a wrong secret was accepted'),
    (rejected) => rejected,
  );
  assert.ok(error instanceof AuthenticationFailedError);
  assert.ok(error instanceof RejectedError);
  assert.equal(error.code, 'authentication-failed');
  assert.doesNotMatch(`${error.message} ${JSON.stringify(error.location)}`, /guessed/);
  // The error itself is the engine's error record.
  const response = await engine.cxml.errorResponse(error, ENVELOPE);
  assert.match(response, /<Status code="401"/);
});

test('a bad cart is refused at its JSON pointer', async () => {
  const profile = await engine.compileProfile(sample('cxml-buyer-profile.json'), CXML_SECRETS);
  const cart = JSON.parse(sample('cart.json'));
  cart.lines[1].quantity = '-5';
  const session = JSON.parse(JSON.stringify(
    (await engine.cxml.setup(profile, sample('cxml-setup-request.xml'), `${START_URL}x`, ENVELOPE)).session,
  ));
  await assert.rejects(engine.cxml.returnCart(profile, session, cart, ENVELOPE), (error) => {
    assert.ok(error instanceof InvalidCartError);
    assert.equal(error.location.pointer, '/lines/1/quantity');
    return true;
  });
});

test('a profile error names its JSON pointer, line and column', async () => {
  await assert.rejects(engine.compileProfile('{"id": 1}'), (error) => {
    assert.ok(error instanceof InvalidProfileError);
    assert.deepEqual(error.location, { line: 1, column: 8, pointer: '/id' });
    assert.equal(error.message, 'invalid type: integer `1`, expected a string');
    return true;
  });
});

test('a cXML setup for an OCI buyer says which protocol the buyer speaks', async () => {
  const profile = await engine.compileProfile(sample('oci-buyer-profile.json'), { ACME_SRM_OCI_PASSWORD: 'oci-p4ss' });
  await assert.rejects(
    engine.cxml.setup(profile, sample('cxml-setup-request.xml'), `${START_URL}x`, ENVELOPE),
    (error) => error instanceof UnsupportedOperationError && /speaks OCI/.test(error.message),
  );
});
