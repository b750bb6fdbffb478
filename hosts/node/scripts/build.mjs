// Transpiles the engine component into JavaScript bindings and core WebAssembly modules
// (`generated/`), with jco: the package then needs no native binary and no Rust toolchain.
//
// The component is `$PUNCHOUT_COMPONENT`, else the workspace's release build
// (`cargo xtask build` writes it).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const component = process.env.PUNCHOUT_COMPONENT
  ?? resolve(root, '../../target/wasm32-wasip2/release/punchout_plugin.wasm');
if (!existsSync(component)) {
  console.error(`punchout-engine: the component \`${component}\` is missing: run \`cargo xtask build\` or set PUNCHOUT_COMPONENT`);
  process.exit(1);
}
const out = join(root, 'generated');
rmSync(out, { recursive: true, force: true });
// `--instantiation sync`: the worker compiles the core modules once and instantiates them again
// after a trap. `--no-wasi-shim`: the worker passes its own WASI imports (no environment, no
// files), never the shim's access to the process.
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@bytecodealliance/jco/dist/jco.js'),
    'transpile', component,
    '--out-dir', out,
    '--name', 'punchout',
    '--instantiation', 'sync',
    '--no-wasi-shim',
    '--quiet',
  ],
  { stdio: 'inherit' },
);
console.log(`punchout-engine: transpiled ${component} into ${out}`);
