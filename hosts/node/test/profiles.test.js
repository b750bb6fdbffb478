// Profiles from their files: `extends` resolved from the profile's folder, refusals that name
// the file and what to do.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

import { Engine, InvalidProfileError, LimitExceededError } from 'punchout-engine';
import { samples } from './fixtures.js';

const engine = new Engine();
after(() => engine.close());
const profiles = fileURLToPath(new URL('profiles/', samples));

test('a child profile is compiled from its file with its base', async () => {
  const profile = await engine.compileProfileFile(join(profiles, 'coupa-plant-2.json'), {
    GLOBEX_COUPA_SHARED_SECRET: 'coupa-secret',
  });
  assert.equal(profile.id, 'globex-coupa-plant-2');
  const merged = JSON.parse(await profile.toJson());
  assert.deepEqual(merged.return_urls, ['https://globex-plant2.coupahost.com/punchout/checkout']);
  assert.equal(merged.protocol, 'cxml', 'the base gives the protocol');
  assert.equal(merged.extends, undefined);
});

function folder(files) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'punchout-node-profiles-')));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

test('a missing base names the folder and the profiles in it', async () => {
  const dir = folder({ 'child.json': '{"extends": "nowhere", "id": "child", "name": "child"}' });
  await assert.rejects(engine.compileProfileFile(join(dir, 'child.json')), (error) => {
    assert.ok(error instanceof InvalidProfileError);
    assert.equal(error.message, `extends \`nowhere\`, which is not in the profile's folder \`${dir}\` (profiles there: \`child\`)`);
    assert.equal(error.location.pointer, '/extends');
    assert.equal(error.file, join(dir, 'child.json'));
    return true;
  });
});

test('a cycle, a path and a base outside the folder are refused', async () => {
  const cycle = folder({
    'a.json': '{"extends": "b", "id": "a", "name": "a"}',
    'b.json': '{"extends": "a", "id": "b", "name": "b"}',
  });
  await assert.rejects(engine.compileProfileFile(join(cycle, 'a.json')), {
    message: 'profiles extend each other in a cycle: `a` → `b` → `a`',
  });
  const path = folder({ 'a.json': '{"extends": "../etc/passwd", "id": "a", "name": "a"}' });
  await assert.rejects(engine.compileProfileFile(join(path, 'a.json')), {
    message: '`../etc/passwd` is not a profile id: `extends` names a profile of the same folder by its id, not a path',
  });
  const outside = folder({ 'elsewhere.json': '{"id": "base", "name": "base"}' });
  const linked = folder({ 'a.json': '{"extends": "base", "id": "a", "name": "a"}' });
  symlinkSync(join(outside, 'elsewhere.json'), join(linked, 'base.json'));
  await assert.rejects(engine.compileProfileFile(join(linked, 'a.json')), (error) => {
    assert.match(error.message, /is outside the profile's folder/);
    return true;
  });
});

test('a profile file over 4 MiB is refused before it is read', async () => {
  const dir = folder({ 'big.json': `{"id": "big", "name": "${'x'.repeat(4 * 1024 * 1024)}"}` });
  await assert.rejects(engine.compileProfileFile(join(dir, 'big.json')), (error) => error instanceof LimitExceededError);
});
