// punchout-engine: the PunchOut engine for Node shops.
//
// One Engine runs the engine component in a worker thread. Every call is a promise; a call that
// runs past `callDeadlineMs` stops the worker and rejects with DeadlineExceededError, and the
// next call runs on a new worker. The guest's memory is capped (`memoryLimitBytes`); a trap
// rejects with TrapError and the next call runs on a new instance.
//
// The engine's interfaces are reached by their WIT names (`engine.cxml.returnCart(...)`,
// `engine.oci.cartForm(...)`, `engine.orders.reconcile(...)`): the functions are the component's
// own, so a function added to the engine reaches Node without glue written for it here.
import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

import {
  DeadlineExceededError,
  HostError,
  RejectedError,
  TrapError,
  rejection,
} from './errors.js';
import { capMemories } from './memory-cap.js';
import { readProfileFile } from './profile-file.js';

export * from './errors.js';

/**
 * The engine's function table, generated from its WIT by `npm run build`: every function of
 * every interface with its parameters and what it returns.
 */
export const FUNCTIONS = deepFreeze(
  JSON.parse(readFileSync(new URL('../generated/functions.json', import.meta.url), 'utf8')),
);

const DEFAULTS = Object.freeze({
  callDeadlineMs: 5000,
  memoryLimitBytes: 256 * 1024 * 1024,
  // The worker's own JavaScript heap (the bindings and the messages).
  workerHeapMb: 64,
});

/** A buyer profile compiled in an engine; pass it to the engine's functions. */
export class BuyerProfile {
  #engine;
  #key;

  /** @internal */
  constructor(engine, key, id) {
    this.#engine = engine;
    this.#key = key;
    /** The profile's id, as stored in sessions. */
    this.id = id;
  }

  /** @internal */
  marker(engine) {
    if (engine !== this.#engine) {
      throw new HostError(`the profile \`${this.id}\` was compiled by another engine`);
    }
    return { $punchoutProfile: this.#key };
  }

  /** The profile as normalised JSON, with secret references but never secret values. */
  toJson() {
    return this.#engine.profileMethod(this.#key, 'toJson', []);
  }

  /** Maps one cart line as a cart return would, and explains every value. */
  preview(line, currency) {
    return this.#engine.profileMethod(this.#key, 'preview', [line, currency]);
  }

  /** Frees the profile in the engine. */
  close() {
    return this.#engine.dropProfile(this.#key);
  }
}

export class Engine {
  #options;
  #worker = null;
  #pending = new Map();
  #queue = Promise.resolve();
  #nextId = 1;
  #nextKey = 1;
  #profiles = new Map();
  #closed = false;

  /**
   * @param {object} [options]
   * @param {number} [options.callDeadlineMs] wall-clock budget of one call (5000)
   * @param {number} [options.memoryLimitBytes] the guest's memory cap (256 MiB)
   * @param {number} [options.workerHeapMb] the worker's JavaScript heap (64 MiB)
   */
  constructor(options = {}) {
    this.#options = { ...DEFAULTS, ...options };
    for (const name of Object.keys(FUNCTIONS)) {
      Object.defineProperty(this, name, { value: this.#interface(name), enumerable: true });
    }
  }

  /** The wall-clock budget of each call from now on, in milliseconds. */
  get callDeadlineMs() {
    return this.#options.callDeadlineMs;
  }

  set callDeadlineMs(milliseconds) {
    if (!Number.isFinite(milliseconds) || milliseconds <= 0) {
      throw new HostError(`a call deadline is a positive number of milliseconds, not \`${milliseconds}\``);
    }
    this.#options.callDeadlineMs = milliseconds;
  }

  /** Compiles a buyer profile (JSON) with the secrets its references name. */
  async compileProfile(profileJson, secrets = {}) {
    const json = typeof profileJson === 'string' ? profileJson : JSON.stringify(profileJson);
    const list = Array.isArray(secrets)
      ? secrets
      : Object.entries(secrets).map(([name, value]) => ({ name, value: String(value) }));
    const key = this.#nextKey++;
    const { id } = await this.#send({ kind: 'compile', key, json, secrets: list });
    this.#profiles.set(key, [json, list]);
    return new BuyerProfile(this, key, id);
  }

  /**
   * Compiles the buyer profile in `file`, its `extends` resolved from the file's own folder.
   * Errors about the files carry `file`; the engine's locations point into the merged profile.
   */
  async compileProfileFile(file, secrets = {}) {
    const { json } = await readProfileFile(file, (child, bases) => this.config.resolveExtends(child, bases));
    try {
      return await this.compileProfile(json, secrets);
    } catch (error) {
      error.file ??= file;
      throw error;
    }
  }

  /** Stops the worker; later calls reject with HostError. */
  async close() {
    this.#closed = true;
    const current = this.#worker;
    this.#worker = null;
    if (current) await current.ready.then((worker) => worker.terminate(), () => {});
  }

  /** @internal */
  profileMethod(key, method, args) {
    return this.#send({ kind: 'method', key, method, args });
  }

  /** @internal */
  async dropProfile(key) {
    this.#profiles.delete(key);
    await this.#send({ kind: 'drop', key });
  }

  #interface(name) {
    const functions = FUNCTIONS[name];
    const bound = Object.create(null);
    for (const [fn, info] of Object.entries(functions)) {
      bound[fn] = async (...args) => {
        if (args.length !== info.params.length) {
          throw new HostError(
            `\`${name}.${fn}\` takes ${info.params.length} arguments (${info.params.map((p) => p.name).join(', ')}), not ${args.length}`,
          );
        }
        const encoded = args.map((arg, index) => this.#argument(arg, info.params[index], `${name}.${fn}`));
        const result = await this.#send({ kind: 'call', interface: name, function: fn, args: encoded });
        return info.result === 'json' ? JSON.parse(DECODER.decode(result)) : result;
      };
    }
    return new Proxy(Object.freeze(bound), {
      get: (target, fn) => {
        if (typeof fn !== 'string' || fn in target || fn === 'then' || fn === 'toJSON') return target[fn];
        const closest = closestName(Object.keys(target), fn);
        throw new HostError(
          `the engine has no function \`${name}.${fn}\`${closest ? `; did you mean \`${closest}\`?` : ''}`,
        );
      },
    });
  }

  // Bytes may come as a string (UTF-8); a `…Json` parameter also takes the value itself.
  #argument(value, param, where) {
    const isJson = param.name.endsWith('Json');
    if (param.type === 'list<u8>') {
      if (value instanceof Uint8Array) return value;
      if (typeof value === 'string') return ENCODER.encode(value);
      if (isJson) return ENCODER.encode(JSON.stringify(value));
      throw new HostError(`\`${where}\` expects bytes or a string for \`${param.name}\``);
    }
    if (isJson && param.type === 'string' && typeof value !== 'string') return JSON.stringify(value);
    return this.#marked(value);
  }

  #marked(value) {
    if (value instanceof BuyerProfile) return value.marker(this);
    // An engine error given back to the engine (`cxml.errorResponse`) is its error record.
    if (value instanceof RejectedError) return { code: value.code, message: value.message, location: value.location };
    if (Array.isArray(value)) return value.map((item) => this.#marked(item));
    return value;
  }

  // Calls run one at a time, in order: the worker holds one instance.
  #send(message) {
    const result = this.#queue.then(() => this.#dispatch(message));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #dispatch(message) {
    if (this.#closed) throw new HostError('the engine is closed');
    const worker = await this.#ensureWorker().ready;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#replaceWorker(worker);
        reject(new DeadlineExceededError(
          `the call ran past its deadline of ${this.#options.callDeadlineMs} ms and was stopped`,
        ));
      }, this.#options.callDeadlineMs);
      this.#pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...message, id });
    });
  }

  #ensureWorker() {
    if (this.#worker) return this.#worker;
    const restoredProfiles = [...this.#profiles].map(([key, [json, secrets]]) => [key, json, secrets]);
    const ready = compiledModules(this.#options.memoryLimitBytes).then((modules) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: { modules, restoredProfiles },
        resourceLimits: { maxOldGenerationSizeMb: this.#options.workerHeapMb },
      });
      worker.unref();
      current.worker = worker;
      worker.on('error', (error) => this.#fail(worker, error));
      worker.on('exit', () => this.#fail(worker, new TrapError('the engine worker stopped')));
      return new Promise((resolve, reject) => {
        worker.once('message', (first) => {
          worker.on('message', (reply) => this.#settle(reply));
          if (first.ready) resolve(worker);
          else reject(new HostError(`cannot start the engine: ${first.failed}`));
        });
        worker.once('error', reject);
      });
    });
    const current = { worker: null, ready };
    this.#worker = current;
    // A worker that cannot start is forgotten, so that the next call tries again.
    ready.catch(() => {
      if (this.#worker === current) this.#worker = null;
    });
    return current;
  }

  #replaceWorker(worker) {
    if (this.#worker?.worker === worker) this.#worker = null;
    worker.removeAllListeners('exit');
    worker.terminate();
  }

  #fail(worker, error) {
    if (this.#worker?.worker !== worker) return;
    this.#worker = null;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(error instanceof TrapError ? error : new TrapError(String(error?.message ?? error), { cause: error }));
    }
  }

  #settle(reply) {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    if ('ok' in reply) pending.resolve(reply.ok);
    else if ('rejected' in reply) pending.reject(rejection(reply.rejected));
    else if ('trapped' in reply) pending.reject(new TrapError(`the engine trapped: ${reply.trapped}`));
    else pending.reject(new HostError(reply.failed));
  }
}

// The component's core modules, compiled once per memory cap and shared by every worker (V8
// shares the compiled code between threads).
const compiled = new Map();
function compiledModules(memoryLimitBytes) {
  let modules = compiled.get(memoryLimitBytes);
  if (!modules) {
    modules = loadModules(memoryLimitBytes);
    compiled.set(memoryLimitBytes, modules);
    modules.catch(() => compiled.delete(memoryLimitBytes));
  }
  return modules;
}

async function loadModules(memoryLimitBytes) {
  const dir = new URL('../generated/', import.meta.url);
  const names = (await readdir(dir)).filter((name) => name.endsWith('.wasm'));
  if (names.length === 0) {
    throw new HostError(`the engine's modules are missing in ${dir.pathname}: run \`npm run build\``);
  }
  const modules = {};
  for (const name of names) {
    modules[name] = await WebAssembly.compile(capMemories(await readFile(new URL(name, dir)), memoryLimitBytes));
  }
  return modules;
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

// The candidate closest to a misspelt name, if close enough to be a typo (at most 3 edits).
function closestName(candidates, name) {
  let best = null;
  let bestDistance = 4;
  for (const candidate of candidates) {
    const distance = editDistance(candidate.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance && distance < name.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 0; i < a.length; i++) {
    const current = [i + 1];
    for (let j = 0; j < b.length; j++) {
      current.push(Math.min(previous[j] + (a[i] === b[j] ? 0 : 1), previous[j + 1] + 1, current[j] + 1));
    }
    previous = current;
  }
  return previous[b.length];
}
