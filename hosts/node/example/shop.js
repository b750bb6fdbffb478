// A tiny shop on `node:http` that speaks PunchOut through punchout-engine: the cXML setup
// request, the OCI call-up, a catalog with the buyer's contract prices, the cart transfer (cXML
// or OCI form) and the cXML purchase order. State is kept in memory here; a real shop keeps
// sessions, carts and orders in its database.
//
//   node example/shop.js [port]     (prints the address it listens on)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { Engine, RejectedError } from 'punchout-engine';

// The engine's bundled sample buyers and catalog: `$PUNCHOUT_SAMPLES`, else the repository's.
const samples = process.env.PUNCHOUT_SAMPLES
  ? pathToFileURL(`${process.env.PUNCHOUT_SAMPLES.replace(/\/$/, '')}/`)
  : new URL('../../../host-example/samples/', import.meta.url);
const read = (name) => readFileSync(new URL(name, samples), 'utf8');

/** Starts the shop; resolves to `{ url, close }`. */
export async function startShop({ port = 0 } = {}) {
  const engine = new Engine();
  const buyers = [
    await engine.compileProfile(read('cxml-buyer-profile.json'), JSON.parse(read('demo-secrets.json'))),
    await engine.compileProfile(read('oci-buyer-profile.json'), JSON.parse(read('oci-secrets.json'))),
  ];
  const cxmlBuyers = [buyers[0]];
  const catalog = JSON.parse(read('catalog.json'));
  const startTokens = new Map(); // one-time token → session
  const visits = new Map(); // cookie → { protocol, session, profile, cart }
  const orders = []; // order records, for redelivery checks
  let base = '';

  const envelope = () => ({
    payloadId: `${Date.now()}.${randomBytes(6).toString('hex')}@shop.example.com`,
    timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
  });

  async function cxmlError(response, error) {
    const status = { code: error.code, message: error.message, location: error.location };
    send(response, 200, 'text/xml; charset=utf-8', await engine.cxml.errorResponse(status, envelope()));
  }

  function visit(request) {
    const cookie = /(?:^|;\s*)shop=([0-9a-f]+)/.exec(request.headers.cookie ?? '')?.[1];
    return cookie ? visits.get(cookie) : undefined;
  }

  function startVisit(response, protocol, profile, session) {
    const cookie = randomBytes(16).toString('hex');
    visits.set(cookie, { protocol, profile, session, cart: [] });
    // SameSite=None: procurement systems open the shop in a cross-site frame or popup.
    response.writeHead(303, { Location: '/', 'Set-Cookie': `shop=${cookie}; Path=/; HttpOnly; Secure; SameSite=None` });
    response.end();
  }

  const routes = {
    'POST /punchout/setup': async (request, response) => {
      const body = await readBody(request);
      try {
        const profile = cxmlBuyers[await engine.cxml.identify(cxmlBuyers, body)];
        const token = randomBytes(16).toString('hex');
        const accepted = await engine.cxml.setup(profile, body, `${base}/punchout/start?token=${token}`, envelope());
        startTokens.set(token, { protocol: 'cxml', profile, session: accepted.session });
        send(response, 200, 'text/xml; charset=utf-8', accepted.response);
      } catch (error) {
        if (!(error instanceof RejectedError)) throw error;
        await cxmlError(response, error);
      }
    },
    'GET /punchout/start': async (request, response, url) => {
      const start = startTokens.get(url.searchParams.get('token') ?? '');
      if (!start) return send(response, 403, 'text/plain', 'this start link was used already or is unknown');
      startTokens.delete(url.searchParams.get('token'));
      startVisit(response, start.protocol, start.profile, start.session);
    },
    'GET /oci': async (request, response, url) => {
      try {
        const accepted = await engine.oci.callUp(buyers[1], url.search.slice(1));
        startVisit(response, 'oci', buyers[1], accepted.session);
      } catch (error) {
        if (!(error instanceof RejectedError)) throw error;
        send(response, 403, 'text/plain', `the call-up was refused: ${error.code}`);
      }
    },
    'GET /': async (request, response) => {
      const current = visit(request);
      const rows = catalog.products
        .map((product) => `<li>${escape(product.description)}: ${escape(product.contract_price)} ${catalog.currency} / ${escape(product.unit)}</li>`)
        .join('');
      const who = current ? `Shopping for ${escape(current.session.userName ?? current.session.buyerId)}` : 'Not punched out';
      send(response, 200, 'text/html; charset=utf-8', `<!DOCTYPE html><title>Shop</title><p>${who}</p><ul>${rows}</ul>`);
    },
    'POST /cart/add': async (request, response) => {
      const current = visit(request);
      if (!current) return send(response, 403, 'text/plain', 'no PunchOut session');
      const form = new URLSearchParams(await readBody(request, 'utf8'));
      const product = catalog.products.find((item) => item.sku === form.get('sku'));
      if (!product) return send(response, 404, 'text/plain', 'no such product');
      current.cart.push({ product, quantity: form.get('quantity') ?? '1' });
      response.writeHead(303, { Location: '/' });
      response.end();
    },
    'POST /cart/transfer': async (request, response) => {
      const current = visit(request);
      if (!current) return send(response, 403, 'text/plain', 'no PunchOut session');
      const cart = {
        currency: catalog.currency,
        lines: current.cart.map(({ product, quantity }, index) => ({
          line_ref: `line-${index + 1}`,
          sku: product.sku,
          quantity,
          unit_price: product.contract_price,
          unit: product.unit,
          description: product.description,
          attributes: Object.entries(product.attributes ?? {}).map(([name, value]) => ({ name, value })),
        })),
      };
      current.returned = cart;
      if (current.protocol === 'cxml') {
        const returned = await engine.cxml.returnCart(current.profile, current.session, cart, envelope());
        send(response, 200, 'text/html; charset=utf-8', returned.formHtml);
      } else {
        const page = await engine.oci.cartForm(current.profile, current.session, cart);
        send(response, 200, page.contentType, page.body);
      }
    },
    'POST /punchout/order': async (request, response) => {
      const body = await readBody(request);
      try {
        const profile = cxmlBuyers[await engine.orders.identifyCxmlOrder(cxmlBuyers, body)];
        const order = await engine.orders.readCxmlOrder(profile, body);
        const redelivery = await engine.orders.checkRedelivery(order, orders);
        if (redelivery.outcome === 'new') {
          orders.push({
            idempotencyKey: order.idempotency_key,
            payloadId: order.payload_id,
            orderId: order.order_id,
            contentHash: order.content_hash,
          });
        }
        send(response, 200, 'text/xml; charset=utf-8', await engine.orders.cxmlOrderResponse(envelope()));
      } catch (error) {
        if (!(error instanceof RejectedError)) throw error;
        await cxmlError(response, error);
      }
    },
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url, base);
    const route = routes[`${request.method} ${url.pathname}`];
    try {
      if (route) await route(request, response, url);
      else send(response, 404, 'text/plain', 'not found');
    } catch (error) {
      console.error('shop:', error);
      if (!response.headersSent) send(response, 500, 'text/plain', 'the shop failed');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    orders,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await engine.close();
    },
  };
}

function send(response, status, contentType, body) {
  response.writeHead(status, { 'Content-Type': contentType });
  response.end(body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : body);
}

const MAX_BODY = 10 * 1024 * 1024;
async function readBody(request, encoding) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body over 10 MiB');
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  return encoding ? body.toString(encoding) : body;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shop = await startShop({ port: Number(process.argv[2] ?? 8080) });
  console.log(`shop listening on ${shop.url}`);
}
