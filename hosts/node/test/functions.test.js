// The function table generated from the WIT is the component's: every function jco generated
// bindings for is reachable through an Engine, and nothing else is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';

import { Engine, FUNCTIONS, HostError } from 'punchout-engine';

const engine = new Engine();
after(() => engine.close());

function boundFunctions(name) {
  const file = `punchout-engine-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.d.ts`;
  // The package as installed: its generated bindings beside its sources.
  const declarations = readFileSync(new URL(`../generated/interfaces/${file}`, import.meta.resolve('punchout-engine')), 'utf8');
  return [...declarations.matchAll(/^export function (\w+)\(/gm)].map((match) => match[1]).sort();
}

test('every function of every interface, and only those, is in the table and on the engine', () => {
  assert.deepEqual(Object.keys(FUNCTIONS).sort(), ['config', 'cxml', 'oci', 'orders', 'peppol']);
  for (const [name, functions] of Object.entries(FUNCTIONS)) {
    assert.deepEqual(Object.keys(functions).sort(), boundFunctions(name), name);
    for (const fn of Object.keys(functions)) assert.equal(typeof engine[name][fn], 'function', `${name}.${fn}`);
  }
  assert.equal(FUNCTIONS.orders.readCxmlOrder.result, 'json');
  assert.equal(FUNCTIONS.orders.cxmlInvoice.result, 'bytes');
  assert.deepEqual(FUNCTIONS.cxml.returnCart.params.map((param) => param.name), ['profile', 'session', 'cartJson', 'envelope']);
});

test('a misspelt function is refused with the closest name', () => {
  assert.throws(() => engine.cxml.retunCart, (error) => {
    assert.ok(error instanceof HostError);
    assert.equal(error.message, 'the engine has no function `cxml.retunCart`; did you mean `returnCart`?');
    return true;
  });
});

test('a call with the wrong number of arguments is refused before it reaches the engine', async () => {
  await assert.rejects(engine.oci.quantityCheckReply('1'), (error) => {
    assert.ok(error instanceof HostError);
    assert.equal(error.message, '`oci.quantityCheckReply` takes 2 arguments (availableQuantity, leadtimeDays), not 1');
    return true;
  });
});

test('a closed engine refuses calls', async () => {
  const closed = new Engine();
  await closed.close();
  await assert.rejects(closed.oci.quantityCheckReply('1', 2), /the engine is closed/);
});
