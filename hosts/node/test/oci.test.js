// The OCI round trip from Node: SAP's call-up authenticated, the session stored, the cart
// returned as a Latin-1 form of NEW_ITEM fields posting to the HOOK_URL and read back.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { AuthenticationFailedError, Engine } from 'punchout-engine';
import { formFields, sample } from './fixtures.js';

const engine = new Engine();
after(() => engine.close());
const OCI_SECRETS = { ACME_SRM_OCI_PASSWORD: 'oci-p4ss' };

test('call-up, then a Latin-1 cart form read back as SAP reads it', async () => {
  const profile = await engine.compileProfile(sample('oci-buyer-profile.json'), OCI_SECRETS);
  const callUp = await engine.oci.callUp(profile, sample('oci-call-up.txt').trim());
  assert.equal(callUp.session.buyerId, 'acme-srm');
  assert.equal(callUp.session.charset, 'latin1');
  assert.doesNotMatch(JSON.stringify(callUp), /oci-p4ss/);

  const session = JSON.parse(JSON.stringify(callUp.session));
  const cart = JSON.parse(sample('cart.json'));
  cart.lines[0].description = 'Kopierpapier A4 für Laserdrucker, 500 Blatt, hochweiß, FSC-zertifiziert';
  const page = await engine.oci.cartForm(profile, session, cart);
  assert.equal(page.contentType, 'text/html; charset=iso-8859-1');
  const body = Buffer.from(page.body);
  assert.ok(body.includes(Buffer.from('f\xfcr Laserdrucker', 'latin1')), 'the page is encoded in Latin-1');

  const { action, fields } = formFields(body.toString('latin1'));
  assert.ok(action.startsWith('https://srm.example.com/sap/bc/bsp/sap/bbp_catalog/hook.htm'), action);
  assert.equal(fields['NEW_ITEM-VENDORMAT[1]'], 'ABC-123');
  assert.equal(fields['NEW_ITEM-QUANTITY[1]'], '10');
  assert.equal(fields['~CALLER'], 'CTLG');
  assert.ok([...fields['NEW_ITEM-DESCRIPTION[1]']].length <= 40);

  // The form as the browser posts it (Latin-1, form-urlencoded), read back by the engine.
  const posted = Object.entries(fields)
    .map(([name, value]) => `${latin1Escape(name)}=${latin1Escape(value)}`)
    .join('&');
  const read = await engine.oci.readForm(Buffer.from(posted, 'latin1'), 'latin1');
  assert.equal(read.items.length, 2);
  assert.equal(read.items[0].fields.find((field) => field.name === 'NEW_ITEM-VENDORMAT')?.value, 'ABC-123');

  assert.equal(await engine.oci.quantityCheckReply('12.50', 4), '{"AVAILABLE_QUANTITY":12.5,"LEADTIME":"4"}');
});

test('a wrong password is refused without echoing it', async () => {
  const profile = await engine.compileProfile(sample('oci-buyer-profile.json'), OCI_SECRETS);
  const callUp = sample('oci-call-up.txt').trim().replace('PASSWORD=oci-p4ss', 'PASSWORD=guessed-pw');
  await assert.rejects(engine.oci.callUp(profile, callUp), (error) => {
    assert.ok(error instanceof AuthenticationFailedError);
    assert.doesNotMatch(`${error.message}${JSON.stringify(error.location)}${error.stack}`, /guessed-pw/);
    return true;
  });
});

function latin1Escape(text) {
  return [...Buffer.from(text, 'latin1')]
    .map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}
