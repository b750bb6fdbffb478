// The engine's worker thread: one component instance, its compiled profiles, and the calls the
// main thread sends. A call that runs past the deadline is stopped by terminating this thread;
// a trap discards the instance and the next call runs on a new one.
import { parentPort, workerData } from 'node:worker_threads';

import { cli, io, random } from '@bytecodealliance/preview2-shim';

import { instantiate } from '../generated/punchout.js';

// The core modules come compiled (and memory-capped) from the main thread, which compiles them
// once for every worker it starts.
const { modules, restoredProfiles } = workerData;
function coreModule(name) {
  const module = modules[name];
  if (!module) throw new Error(`the engine has no core module \`${name}\``);
  return module;
}

// The guest sees no environment variables, arguments or files: a shop's secrets live in its
// environment. Standard error is the process's, for the engine's panic messages.
const wasi = {
  'wasi:cli/environment': {
    getEnvironment: () => [],
    getArguments: () => [],
    initialCwd: () => undefined,
  },
  'wasi:cli/exit': {
    exit: () => { throw new WebAssembly.RuntimeError('the engine called exit'); },
    exitWithCode: () => { throw new WebAssembly.RuntimeError('the engine called exit'); },
  },
  'wasi:cli/stderr': cli.stderr,
  'wasi:cli/stdin': cli.stdin,
  // Anything the guest prints goes to standard error, never into a shop's standard output.
  'wasi:cli/stdout': { getStdout: cli.stderr.getStderr },
  'wasi:cli/terminal-input': cli.terminalInput,
  'wasi:cli/terminal-output': cli.terminalOutput,
  'wasi:cli/terminal-stderr': cli.terminalStderr,
  'wasi:cli/terminal-stdin': cli.terminalStdin,
  'wasi:cli/terminal-stdout': cli.terminalStdout,
  'wasi:io/error': io.error,
  'wasi:io/poll': io.poll,
  'wasi:io/streams': io.streams,
  'wasi:random/insecure-seed': random.insecureSeed,
  'wasi:random/random': random.random,
};
// The bindings name imports with their version (`wasi:cli/exit@0.2.12`).
const imports = new Proxy(wasi, {
  get: (target, name) => target[String(name).replace(/@[^@]*$/, '')],
});

let engine = null;
// key → { json, secrets, handle }: a profile is compiled again on a new instance when used.
const profiles = new Map();

function instance() {
  engine ??= instantiate(coreModule, imports);
  return engine;
}

function profileHandle(key) {
  const profile = profiles.get(key);
  if (!profile) throw new Error(`no profile with key ${key} in this engine`);
  profile.handle ??= instance().config.BuyerProfile.compile(profile.json, profile.secrets);
  return profile.handle;
}

// Arguments that name a profile (`{ [PROFILE]: key }`, alone or in a list) become its handle.
function bind(value) {
  if (Array.isArray(value)) return value.map(bind);
  if (value && typeof value === 'object' && '$punchoutProfile' in value) {
    return profileHandle(value.$punchoutProfile);
  }
  return value;
}

function run(message) {
  switch (message.kind) {
    case 'compile': {
      // Compiling checks the profile; its errors reach the caller like any refusal.
      const handle = instance().config.BuyerProfile.compile(message.json, message.secrets);
      profiles.set(message.key, { json: message.json, secrets: message.secrets, handle });
      return { id: handle.id() };
    }
    case 'drop': {
      const profile = profiles.get(message.key);
      profile?.handle?.[Symbol.dispose]?.();
      profiles.delete(message.key);
      return null;
    }
    case 'method':
      return profileHandle(message.key)[message.method](...message.args.map(bind));
    case 'call': {
      const api = instance()[message.interface];
      const fn = api?.[message.function];
      if (typeof fn !== 'function') {
        throw new TypeError(`the engine has no function \`${message.interface}.${message.function}\``);
      }
      return fn(...message.args.map(bind));
    }
    default:
      throw new TypeError(`unknown message kind \`${message.kind}\``);
  }
}

// Ready once the modules are compiled and instantiated, so that a call's deadline counts the
// call only.
// A worker that replaces a stopped one compiles the profiles it held before it says it is ready.
try {
  instance();
  for (const [key, json, secrets] of restoredProfiles) {
    profiles.set(key, { json, secrets, handle: null });
    profileHandle(key);
  }
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, failed: String(error?.message ?? error) });
}

parentPort.on('message', (message) => {
  let reply;
  try {
    reply = { id: message.id, ok: run(message) };
  } catch (error) {
    if (error && Object.prototype.hasOwnProperty.call(error, 'payload')) {
      // A `result::err` of the WIT: the engine's error record.
      reply = { id: message.id, rejected: error.payload };
    } else if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
      // A trap poisons the instance: drop it and every handle it held.
      engine = null;
      for (const profile of profiles.values()) profile.handle = null;
      reply = { id: message.id, trapped: String(error.message) };
    } else {
      reply = { id: message.id, failed: String(error?.message ?? error) };
    }
  }
  parentPort.postMessage(reply);
});
