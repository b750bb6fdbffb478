// Times the Node host on the benchmark's carts: the cXML cart return (message and form) and
// the OCI cart form, per call, awaited one after the other as a shop's request handler does.
//
//   node bench/cart-return.mjs CART_1.json CART_100.json …   (carts from `punchout-bench cart N`)
//
// Prints one JSON line per cart and case: the median of round medians in microseconds, with the
// lowest and highest round median.
import { readFileSync } from 'node:fs';

import { Engine } from '../src/index.js';

const samples = new URL('../../../host-example/samples/', import.meta.url);
const read = (name) => readFileSync(new URL(name, samples), 'utf8');
const ROUNDS = 5;
const ENVELOPE = { payloadId: '1764061200.1.bench@shop.example.com', timestamp: '2026-11-25T10:00:00+01:00' };

const engine = new Engine();
const cxml = await engine.compileProfile(read('cxml-buyer-profile.json'), JSON.parse(read('demo-secrets.json')));
const oci = await engine.compileProfile(read('oci-buyer-profile.json'), JSON.parse(read('oci-secrets.json')));
const cxmlSession = (await engine.cxml.setup(cxml, read('cxml-setup-request.xml'), 'https://shop.example.com/start?t=1', ENVELOPE)).session;
const ociSession = (await engine.oci.callUp(oci, read('oci-call-up.txt').trim())).session;

const cases = {
  'cxml-cart-return': (cart) => engine.cxml.returnCart(cxml, cxmlSession, cart, ENVELOPE),
  'oci-cart-form': (cart) => engine.oci.cartForm(oci, ociSession, cart),
};

for (const file of process.argv.slice(2)) {
  const cart = readFileSync(file);
  const lines = JSON.parse(cart).lines.length;
  const calls = Math.max(5, Math.min(400, Math.round(20_000 / lines)));
  const medians = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) for (let i = 0; i < 20; i++) await run(cart);
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved: each round times every case before the next round.
    for (const [name, run] of Object.entries(cases)) {
      const times = [];
      for (let i = 0; i < calls; i++) {
        const start = process.hrtime.bigint();
        await run(cart);
        times.push(Number(process.hrtime.bigint() - start) / 1000);
      }
      medians[name].push(median(times));
    }
  }
  for (const [name, values] of Object.entries(medians)) {
    console.log(JSON.stringify({ case: name, lines, median_us: round1(median(values)), min_us: round1(Math.min(...values)), max_us: round1(Math.max(...values)) }));
  }
}
await engine.close();

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round1(value) {
  return Math.round(value * 10) / 10;
}
