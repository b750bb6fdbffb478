// The engine's function table, read from the WIT: every function of every exported interface,
// its parameters, and what it returns. Both the package (at run time) and its TypeScript
// declarations are generated from it, so a function added to the WIT reaches Node without glue
// written for it.
//
// A `list<u8>` result whose documentation says it "returns … as JSON" is decoded for the caller;
// a `…-json` parameter takes a value, which the package encodes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function readFunctionTable(witDir) {
  const exported = exportedInterfaces(readFileSync(join(witDir, 'world.wit'), 'utf8'));
  const table = {};
  for (const file of readdirSync(witDir).filter((name) => name.endsWith('.wit')).sort()) {
    const text = readFileSync(join(witDir, file), 'utf8');
    for (const [name, functions] of interfaceFunctions(text)) {
      if (exported.includes(name) && Object.keys(functions).length > 0) table[camel(name)] = functions;
    }
  }
  return table;
}

function exportedInterfaces(world) {
  return [...world.matchAll(/^\s*export\s+([a-z][a-z0-9-]*)\s*;/gm)].map((match) => match[1]);
}

function* interfaceFunctions(text) {
  const lines = text.split('\n');
  let current = null;
  let depth = 0;
  let docs = [];
  for (const raw of lines) {
    const line = raw.trim();
    const opened = line.match(/^interface\s+([a-z][a-z0-9-]*)\s*\{/);
    if (opened && depth === 0) {
      current = { name: opened[1], functions: {} };
      depth = 1;
      docs = [];
      continue;
    }
    if (!current) continue;
    if (line.startsWith('///')) {
      docs.push(line.slice(3).trim());
      continue;
    }
    // Functions at the interface's top level only (not a resource's methods).
    const fn = depth === 1 && line.match(/^([a-z][a-z0-9-]*)\s*:\s*func\((.*)\)\s*(?:->\s*(.+))?;$/);
    if (fn) {
      const doc = docs.join(' ');
      const result = (fn[3] ?? '').trim();
      const ok = result.match(/^result<(.+?)(?:,\s*error)?>$/)?.[1] ?? result;
      current.functions[camel(fn[1])] = {
        wit: fn[1],
        params: splitParams(fn[2]).map(([name, type]) => ({ name: camel(name), wit: name, type })),
        result: ok === 'list<u8>' ? (/\bas JSON\b/.test(doc) ? 'json' : 'bytes') : ok || 'none',
        fallible: /^result</.test(result),
      };
    }
    docs = [];
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) {
      yield [current.name, current.functions];
      current = null;
      depth = 0;
    }
  }
}

function splitParams(text) {
  const params = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      const part = text.slice(start, i).trim();
      if (part) {
        const colon = part.indexOf(':');
        params.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
      }
      start = i + 1;
    }
  }
  return params;
}

function camel(kebab) {
  return kebab.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}
