// Shared fixtures of the tests: the bundled sample profiles, carts and sessions.
import { readFileSync } from 'node:fs';

export const samples = new URL('../../../host-example/samples/', import.meta.url);

export function sample(name) {
  return readFileSync(new URL(name, samples), 'utf8');
}

export const CXML_SECRETS = { ACME_ARIBA_SHARED_SECRET: 's3cr3t' };

export const ENVELOPE = Object.freeze({
  payloadId: '1764061200.1.test@shop.example.com',
  timestamp: '2026-11-25T10:00:00+01:00',
});

/** The sample cXML session, as `cxml.setup` returns it. */
export function cxmlSession() {
  const s = JSON.parse(sample('cxml-session.json'));
  return {
    buyerId: s.buyer_id,
    operation: s.operation,
    buyerCookie: s.buyer_cookie,
    returnUrl: s.return_url,
    buyer: s.buyer,
    supplier: s.supplier,
    requestPayloadId: s.request_payload_id,
    userName: s.user_name,
    userEmail: s.user_email,
    extrinsics: s.extrinsics,
    items: [],
  };
}

/** The sample cart with `lines` lines (its lines repeated, each with its own reference). */
export function cartBytes(lines) {
  const cart = JSON.parse(sample('cart.json'));
  const out = [];
  for (let i = 0; i < lines; i++) {
    out.push({ ...cart.lines[i % cart.lines.length], line_ref: `line-${i + 1}` });
  }
  return new TextEncoder().encode(JSON.stringify({ ...cart, lines: out }));
}
