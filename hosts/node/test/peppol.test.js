// Peppol from Node: the T77 cart and its form, and a Peppol order routed by its endpoints.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Engine, ReturnUrlNotAllowedError, UnknownBuyerError } from 'punchout-engine';
import { formFields, sample, specFile } from './fixtures.js';

const engine = new Engine();
after(() => engine.close());
const ENVELOPE = { payloadId: 'CART-1', timestamp: '2026-11-25T10:00:00+01:00' };
const RETURN_URL = 'https://eprocurement.def-customer.example/punchout/return';

test('a cart goes back as a T77 in the profile\'s self-posting form', async () => {
  const profile = await engine.compileProfile(sample('peppol-buyer-profile.json'));
  const returned = await engine.peppol.peppolCart(profile, sample('cart.json'), ENVELOPE, RETURN_URL);
  const document = Buffer.from(returned.document).toString('utf8');
  assert.match(document, /<cbc:CustomizationID>urn:fdc:peppol\.eu:poacc:trns:punch_out:3<\/cbc:CustomizationID>/);
  assert.match(document, /<cbc:ID>CART-1<\/cbc:ID>/);
  assert.equal(returned.url, RETURN_URL);
  const { action, fields } = formFields(Buffer.from(returned.formHtml).toString('utf8'));
  assert.equal(action, RETURN_URL);
  assert.equal(Buffer.from(fields['punchout-cart'], 'base64').toString('utf8'), document);

  await assert.rejects(
    engine.peppol.peppolCart(profile, sample('cart.json'), ENVELOPE, 'https://elsewhere.example/'),
    (error) => error instanceof ReturnUrlNotAllowedError && error.location.field === 'return_url',
  );
});

test('an order for a buyer the shop does not serve is refused as unknown-buyer', async () => {
  const profile = await engine.compileProfile(sample('peppol-buyer-profile.json'));
  const order = specFile('peppol/examples/Order_Example.xml');
  await assert.rejects(
    engine.orders.identifyPeppolOrder([profile], order),
    (error) => error instanceof UnknownBuyerError && /buyer endpoint `0192:987654325`/.test(error.message),
  );
});
