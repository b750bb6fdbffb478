// A trap and a deadline stop one call only: the next call works, with the same profiles.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DeadlineExceededError, Engine, TrapError } from 'punchout-engine';
import { CXML_SECRETS, ENVELOPE, cartBytes, cxmlSession, sample } from './fixtures.js';

test('a call past its deadline is stopped, and the next call works with the same profile', async () => {
  const engine = new Engine();
  try {
    const profile = await engine.compileProfile(sample('cxml-buyer-profile.json'), CXML_SECRETS);
    // 10 000 lines take several times 10 ms.
    engine.callDeadlineMs = 10;
    await assert.rejects(
      engine.cxml.returnCart(profile, cxmlSession(), cartBytes(10_000), ENVELOPE),
      (error) => error instanceof DeadlineExceededError && /deadline of 10 ms/.test(error.message),
    );
    // A generous deadline for the next call, so that a loaded machine cannot fail it.
    engine.callDeadlineMs = 5000;
    const next = await engine.cxml.returnCart(profile, cxmlSession(), cartBytes(1), ENVELOPE);
    assert.match(new TextDecoder().decode(next.message), /<SupplierPartAuxiliaryID>line-1<\/SupplierPartAuxiliaryID>/);
    assert.throws(() => { engine.callDeadlineMs = 0; }, /a call deadline is a positive number of milliseconds, not `0`/);
  } finally {
    await engine.close();
  }
});

test('a guest over its memory cap traps, and the next call works with the same profile', async () => {
  const engine = new Engine({ memoryLimitBytes: 4 * 1024 * 1024 });
  try {
    const profile = await engine.compileProfile(sample('cxml-buyer-profile.json'), CXML_SECRETS);
    await assert.rejects(
      engine.cxml.returnCart(profile, cxmlSession(), cartBytes(10_000), ENVELOPE),
      (error) => error instanceof TrapError && !(error instanceof DeadlineExceededError),
    );
    const next = await engine.cxml.returnCart(profile, cxmlSession(), cartBytes(2), ENVELOPE);
    assert.match(new TextDecoder().decode(next.message), /<SupplierPartAuxiliaryID>line-2<\/SupplierPartAuxiliaryID>/);
  } finally {
    await engine.close();
  }
});
