// The example shop on node:http, driven over HTTP as a buyer's system and browser would: the
// cXML and the OCI round trips and the purchase order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Engine } from 'punchout-engine';
import { startShop } from '../example/shop.js';
import { formFields, sample } from './fixtures.js';

let shop;
before(async () => {
  shop = await startShop();
});
after(() => shop.close());

async function http(method, path, { body, cookie, type } = {}) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  if (type) headers['Content-Type'] = type;
  const response = await fetch(`${shop.url}${path}`, { method, body, headers, redirect: 'manual' });
  return {
    status: response.status,
    cookie: response.headers.get('set-cookie')?.split(';')[0],
    location: response.headers.get('location'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

test('the cXML round trip and the purchase order', async () => {
  const request = sample('cxml-setup-request.xml');
  const refused = await http('POST', '/punchout/setup', { body: request.replace('>s3cr3t<', '>guess<'), type: 'text/xml' });
  assert.match(refused.bytes.toString(), /<Status code="401"/);
  assert.doesNotMatch(refused.bytes.toString(), /guess/);

  const setup = await http('POST', '/punchout/setup', { body: request, type: 'text/xml' });
  const startUrl = /<StartPage>\s*<URL>([^<]+)<\/URL>/.exec(setup.bytes.toString())?.[1]?.replaceAll('&amp;', '&');
  assert.ok(startUrl?.startsWith(`${shop.url}/punchout/start?token=`), setup.bytes.toString());
  const start = await http('GET', startUrl.slice(shop.url.length));
  assert.equal(start.status, 303);
  assert.equal((await http('GET', startUrl.slice(shop.url.length))).status, 403, 'a start link works once');

  const { cookie } = start;
  const home = (await http('GET', '/', { cookie })).bytes.toString();
  assert.match(home, /Shopping for Jane Doe/);
  assert.match(home, /4\.20 EUR \/ PK/);
  const form = 'application/x-www-form-urlencoded';
  await http('POST', '/cart/add', { cookie, type: form, body: 'sku=ABC-123&quantity=10' });
  await http('POST', '/cart/add', { cookie, type: form, body: 'sku=TON-9000&quantity=2' });

  const transfer = await http('POST', '/cart/transfer', { cookie });
  const { action, fields } = formFields(transfer.bytes.toString('utf8'));
  assert.equal(action, 'https://procurement.example.com/punchout/return?sap-client=100');
  const engine = new Engine();
  try {
    const read = await engine.cxml.readOrderMessage(fields['cxml-urlencoded']);
    assert.equal(read.buyerCookie, 'c0ffee-42-ACME');
    assert.deepEqual(read.lines.map((line) => [line.sku, line.quantity]), [['ABC-123', '10'], ['TON-9000', '2']]);
  } finally {
    await engine.close();
  }

  const order = sample('cxml-order-request.xml');
  const accepted = await http('POST', '/punchout/order', { body: order, type: 'text/xml' });
  assert.match(accepted.bytes.toString(), /<Status code="200" text="OK"\/>/);
  const again = await http('POST', '/punchout/order', { body: order.replace('1764148800.1.demo@', '1764148800.9.demo@'), type: 'text/xml' });
  assert.match(again.bytes.toString(), /<Status code="200" text="OK"\/>/);
  assert.equal(shop.orders.length, 1, 'a redelivered order is recognised, not stored twice');
});

test('the OCI round trip: call-up, cart, Latin-1 form to the HOOK_URL', async () => {
  const callUp = await http('GET', `/oci?${sample('oci-call-up.txt').trim()}`);
  assert.equal(callUp.status, 303);
  const refused = await http('GET', `/oci?${sample('oci-call-up.txt').trim().replace('oci-p4ss', 'guessed')}`);
  assert.equal(refused.status, 403);

  const { cookie } = callUp;
  await http('POST', '/cart/add', { cookie, type: 'application/x-www-form-urlencoded', body: 'sku=ABC-123&quantity=3' });
  const transfer = await http('POST', '/cart/transfer', { cookie });
  const { action, fields } = formFields(transfer.bytes.toString('latin1'));
  assert.ok(action.startsWith('https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm'), action);
  assert.equal(fields['NEW_ITEM-VENDORMAT[1]'], 'ABC-123');
  assert.equal(fields['NEW_ITEM-QUANTITY[1]'], '3');
});
