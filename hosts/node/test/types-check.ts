// Compiled by `tsc --noEmit` in the tests: the declarations describe the package as used.
import { Engine, InvalidCartError, type BuyerProfile, type Json } from 'punchout-engine';

async function shop(engine: Engine, profile: BuyerProfile, cart: Json): Promise<string> {
  const session = (await engine.cxml.setup(profile, '<cXML/>', 'https://shop.example.com/start', {
    payloadId: 'p',
    timestamp: 't',
  })).session;
  const returned = await engine.cxml.returnCart(profile, session, cart, { payloadId: 'p', timestamp: 't' });
  const order = await engine.orders.readCxmlOrder(profile, new Uint8Array());
  const reconciliation = await engine.orders.reconcile(profile, order, cart, session);
  const index: number = await engine.cxml.identify([profile], '<cXML/>');
  try {
    await engine.oci.cartForm(profile, { hookUrl: 'x' } as never, cart);
  } catch (error) {
    if (error instanceof InvalidCartError) return `${error.code} at ${error.location.pointer}`;
  }
  return `${returned.formHtml}${index}${JSON.stringify(reconciliation)}`;
}
export { shop };

// The declarations are not `any`: wrong uses do not compile.
async function wrong(engine: Engine, profile: BuyerProfile): Promise<void> {
  // @ts-expect-error errorResponse returns the cXML response as a string
  const status: number = await engine.cxml.errorResponse({ code: 'malformed-xml', message: '', location: {} }, {
    payloadId: 'p',
    timestamp: 't',
  });
  // @ts-expect-error a misspelt function is not an engine function
  await engine.cxml.retunCart(profile);
  // @ts-expect-error an unknown error code
  await engine.cxml.errorResponse({ code: 'no-such-code', message: '', location: {} }, { payloadId: 'p', timestamp: 't' });
  void status;
}
export { wrong };
