// Buyer profiles read from their files, with `extends` resolved from the profile's own folder,
// as the Rust host and the PHP package read them: the base `ID` is `ID.json`, else any `.json`
// file there whose `id` is `ID`; resolution never leaves the folder (an id that is a path, or a
// file that leads elsewhere, is refused), each file is read once, and a cycle is named.
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';

import { InvalidProfileError, LimitExceededError } from './errors.js';

/** Largest profile file read. */
export const MAX_PROFILE_BYTES = 4 * 1024 * 1024;
/** How many bases a profile may stack (as the engine's `resolve-extends`). */
const MAX_EXTENDS_DEPTH = 8;

/** A refusal about a file: the engine's error, with `file` naming it. */
function refused(file, message, pointer = '/extends') {
  const error = new InvalidProfileError('invalid-profile', message, pointer ? { pointer } : {});
  error.file = file;
  return error;
}

async function readLimited(file) {
  let size;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw refused(file, `cannot read the profile: ${error.message}`, null);
  }
  if (size > MAX_PROFILE_BYTES) {
    const error = new LimitExceededError(
      'limit-exceeded',
      `the profile has ${size} bytes, more than the ${MAX_PROFILE_BYTES} allowed`,
    );
    error.file = file;
    throw error;
  }
  return readFile(file, 'utf8');
}

function idOf(text) {
  try {
    const value = JSON.parse(text);
    return typeof value?.id === 'string' ? value.id : null;
  } catch {
    return null;
  }
}

function extendsOf(text) {
  try {
    return JSON.parse(text)?.extends;
  } catch {
    return undefined;
  }
}

/**
 * The profile at `file` as the engine compiles it (its bases applied), with the files it came
 * from. `resolveExtends(json, bases)` is the engine's `config.resolveExtends`.
 */
export async function readProfileFile(file, resolveExtends) {
  const chain = [{ file, text: await readLimited(file) }];
  let folder = null;
  for (;;) {
    const last = chain[chain.length - 1];
    const wanted = extendsOf(last.text);
    // Not a string: the engine's merge reports it at `/extends`.
    if (typeof wanted !== 'string') break;
    if (wanted === '' || wanted.startsWith('.') || /[/\\\0]/.test(wanted)) {
      throw refused(last.file, `\`${wanted}\` is not a profile id: \`extends\` names a profile of the same folder by its id, not a path`);
    }
    const ids = chain.map((source) => idOf(source.text) ?? '');
    if (ids.includes(wanted)) {
      throw refused(last.file, `profiles extend each other in a cycle: ${[...ids, wanted].map((id) => `\`${id}\``).join(' → ')}`);
    }
    if (chain.length > MAX_EXTENDS_DEPTH) {
      throw refused(last.file, `profiles extend each other more than ${MAX_EXTENDS_DEPTH} levels deep`);
    }
    folder ??= await Folder.open(file, chain[0].text);
    chain.push(await folder.find(last.file, wanted));
  }
  if (chain.length === 1) return { json: chain[0].text, files: [file] };
  try {
    const json = await resolveExtends(chain[0].text, chain.slice(1).map((source) => source.text));
    return { json, files: chain.map((source) => source.file) };
  } catch (error) {
    error.file ??= file;
    throw error;
  }
}

class Folder {
  static async open(profile, text) {
    const root = await realpath(dirname(profile)).catch((error) => {
      throw refused(profile, `cannot open the profile's folder \`${dirname(profile)}\`: ${error.message}`, null);
    });
    const folder = new Folder(root);
    const itself = await realpath(profile).catch(() => null);
    if (itself) folder.read.set(itself, { text, id: idOf(text) });
    return folder;
  }

  constructor(root) {
    this.root = root;
    this.read = new Map();
    this.scanned = false;
  }

  async find(child, id) {
    const direct = join(this.root, `${id}.json`);
    const canonical = await realpath(direct).catch(() => null);
    if (canonical) {
      const file = await this.readOnce(child, canonical);
      if (file.id === id) return { file: direct, text: file.text };
    }
    if (!this.scanned) {
      this.scanned = true;
      for (const name of (await readdir(this.root)).filter((entry) => entry.endsWith('.json')).sort()) {
        const path = await realpath(join(this.root, name)).catch(() => null);
        // A file that leads out of the folder is skipped when scanning (refused when named).
        if (path && this.inside(path)) await this.readOnce(child, path);
      }
    }
    const found = [...this.read].filter(([, file]) => file.id === id).sort(([a], [b]) => a.localeCompare(b));
    if (found.length > 0) return { file: found[0][0], text: found[0][1].text };
    const ids = [...new Set([...this.read.values()].map((file) => file.id).filter(Boolean))].sort();
    const listed = ids.length === 0 ? 'no profiles there' : `profiles there: ${ids.map((known) => `\`${known}\``).join(', ')}`;
    throw refused(child, `extends \`${id}\`, which is not in the profile's folder \`${this.root}\` (${listed})`);
  }

  inside(path) {
    return path.startsWith(this.root + sep) && basename(path) !== '';
  }

  async readOnce(child, path) {
    if (!this.inside(path)) {
      throw refused(child, `the base profile \`${path}\` is outside the profile's folder \`${this.root}\``);
    }
    let file = this.read.get(path);
    if (!file) {
      const text = await readLimited(path);
      file = { text, id: idOf(text) };
      this.read.set(path, file);
    }
    return file;
  }
}
