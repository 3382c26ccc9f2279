// Fails (exit 1) when tensor-core's sources import each other in a loop, printing the loop.
// Runs with `pnpm lint`. Only runtime imports count: `import type` and `export type` are erased by
// TypeScript, so they cannot make module evaluation order matter.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every .ts file under `dir`. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

// import … from './x.js' / export … from './x.js' / import './x.js', not the `type` forms
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The relative runtime imports of `file`, as absolute .ts paths. */
function imports(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
}

const graph = new Map(files(src).map((f) => [f, imports(f)]));
const state = new Map(); // file → 'open' while on the stack, 'done' after
const stack = [];

function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open') {
      const loop = [...stack.slice(stack.indexOf(next)), next].map((f) => relative(src, f));
      console.error(`tensor-core: import cycle: ${loop.join(' → ')}`);
      process.exit(1);
    }
    if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 'done');
}

for (const file of graph.keys()) if (!state.has(file)) visit(file);
console.log(`tensor-core: no import cycle among ${graph.size} source files`);
