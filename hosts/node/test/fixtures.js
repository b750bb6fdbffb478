// Shared fixtures of the tests: the bundled sample profiles, carts and sessions.
import { readFileSync } from 'node:fs';

import { pathToFileURL } from 'node:url';

/** The engine's bundled samples: `$PUNCHOUT_SAMPLES`, else the repository's. */
export const samples = process.env.PUNCHOUT_SAMPLES
  ? pathToFileURL(`${process.env.PUNCHOUT_SAMPLES.replace(/\/$/, '')}/`)
  : new URL('../../../host-example/samples/', import.meta.url);

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

/**
 * The one form of a self-posting page, as the buyer's browser posts it: its action and its
 * hidden fields (names and values unescaped).
 */
export function formFields(html) {
  const forms = html.match(/<form\b/gi) ?? [];
  if (forms.length !== 1) throw new Error(`expected one form, found ${forms.length}`);
  const action = unescape(html.match(/<form\b[^>]*\saction="([^"]*)"/i)?.[1] ?? '');
  const fields = {};
  // A tag ends at the first `>` outside a quoted value (the cXML in a value has `?>` in it).
  for (const input of html.matchAll(/<input\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi)) {
    const name = input[0].match(/\sname="([^"]*)"/i)?.[1];
    const value = input[0].match(/\svalue="([^"]*)"/i)?.[1] ?? '';
    if (name !== undefined) fields[unescape(name)] = unescape(value);
  }
  return { action, fields };
}

function unescape(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_, entity) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower];
  });
}

/** A file of the specification folder: `$PUNCHOUT_SPEC_DIR`, else `shared/spec` beside the project. */
export function specFile(name) {
  const dir = process.env.PUNCHOUT_SPEC_DIR
    ? pathToFileURL(`${process.env.PUNCHOUT_SPEC_DIR.replace(/\/$/, '')}/`)
    : new URL('../../../shared/spec/', samples);
  return readFileSync(new URL(name, dir), 'utf8');
}
