// The order leg from Node: the purchase order read, acknowledged, recognised when delivered
// again, reconciled against the returned cart, and fulfilled.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { AuthenticationFailedError, Engine, InvalidOrderError } from 'punchout-engine';
import { CXML_SECRETS, ENVELOPE, cxmlSession, sample } from './fixtures.js';

const engine = new Engine();
after(() => engine.close());
const profile = () => engine.compileProfile(sample('cxml-buyer-profile.json'), CXML_SECRETS);

test('an order is read, acknowledged and recognised when delivered again', async () => {
  const buyer = await profile();
  const request = sample('cxml-order-request.xml');
  assert.equal(await engine.orders.identifyCxmlOrder([buyer], request), 0);
  const order = await engine.orders.readCxmlOrder(buyer, request);
  assert.equal(order.order_id, 'PO-2026-4711');
  assert.equal(order.order_type, 'new');
  assert.equal(order.total.amount, '217.22');
  assert.equal(order.lines.length, 2);
  assert.equal(order.lines[0].supplier_part_auxiliary_id, 'cart-9:line-1');
  assert.match(await engine.orders.cxmlOrderResponse(ENVELOPE), /<Status code="200" text="OK"\/>/);

  const record = {
    idempotencyKey: order.idempotency_key,
    payloadId: order.payload_id,
    orderId: order.order_id,
    contentHash: order.content_hash,
  };
  assert.equal((await engine.orders.checkRedelivery(order, [])).outcome, 'new');
  const again = await engine.orders.readCxmlOrder(buyer, request.replace('1764148800.1.demo@', '1764148800.9.demo@'));
  const redelivery = await engine.orders.checkRedelivery(again, [record]);
  assert.equal(redelivery.outcome, 'duplicate');
  assert.deepEqual(redelivery.known, record);
});

test('the order is reconciled against the returned cart', async () => {
  const buyer = await profile();
  const order = await engine.orders.readCxmlOrder(buyer, sample('cxml-order-request.xml'));
  const reconciliation = await engine.orders.reconcile(buyer, order, JSON.parse(sample('cart.json')), cxmlSession());
  assert.equal(reconciliation.verdict, 'accept-with-changes');
  assert.equal(reconciliation.lines[0].outcome, 'changed');
  assert.deepEqual(
    [reconciliation.lines[0].differences[0].cart, reconciliation.lines[0].differences[0].order],
    ['10', '12'],
  );
});

test('confirmation, ship notice and invoice are written, and bad shop data refused at its pointer', async () => {
  const buyer = await profile();
  const order = await engine.orders.readCxmlOrder(buyer, sample('cxml-order-request.xml'));
  const text = (bytes) => Buffer.from(bytes).toString('utf8');
  assert.match(text(await engine.orders.cxmlConfirmation(buyer, order, JSON.parse(sample('order-confirmation.json')), ENVELOPE)), /<ConfirmationRequest>/);
  assert.match(text(await engine.orders.cxmlShipNotice(buyer, order, sample('order-ship-notice.json'), ENVELOPE)), /<ShipNoticeRequest>/);
  // 10 × 4.20 + 2 × 80.91 + 5.00 shipping = 208.82, VAT 19 % = 39.68: computed by the engine.
  assert.match(text(await engine.orders.cxmlInvoice(buyer, order, sample('order-invoice.json'), ENVELOPE)), /248\.50/);

  const tooMuch = JSON.parse(sample('order-ship-notice.json'));
  tooMuch.lines[0].quantity = '13';
  await assert.rejects(engine.orders.cxmlShipNotice(buyer, order, tooMuch, ENVELOPE), (error) => {
    assert.ok(error instanceof InvalidOrderError);
    assert.equal(error.location.pointer, '/lines/0/quantity');
    return true;
  });
});

test('a forged order is refused without echoing the secret', async () => {
  const forged = sample('cxml-order-request.xml').replace('>s3cr3t<', '>guess<');
  await assert.rejects(engine.orders.readCxmlOrder(await profile(), forged), (error) => {
    assert.ok(error instanceof AuthenticationFailedError);
    assert.doesNotMatch(error.message, /guess/);
    return true;
  });
});
