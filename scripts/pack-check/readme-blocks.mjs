// The TypeScript code blocks of a README, as a user copies them. A block's info string says what
// the doc-test does with it:
//   ```ts                   typechecked, then run in Node (it must finish without throwing)
//   ```ts typecheck-only    typechecked only: it needs a browser, files the reader has or a long run
// Blocks in other languages (sh, text, unlabelled) are not TypeScript and are skipped.
import { builtinModules } from 'node:module';

/**
 * Code blocks tagged `ts`/`typescript` in `markdown`, in order, with their 1-based line.
 * @param {string} markdown
 * @returns {{ line: number, code: string, typecheckOnly: boolean }[]}
 * @example tsBlocks('```ts typecheck-only\nfoo();\n```') // [{ line: 1, code: 'foo();\n', typecheckOnly: true }]
 */
export function tsBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, , info] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith(indent + fence)) body.push(lines[j++].slice(indent.length));
    if (j === lines.length) throw new Error(`readme: the code block opened on line ${i + 1} is never closed`);
    const flags = info.trim().split(/\s+/).filter(Boolean);
    const unknown = flags.filter((f) => f !== 'typecheck-only');
    if (unknown.length > 0) throw new Error(`readme: line ${i + 1}: unknown doc-test flag ${unknown.join(' ')} (known: typecheck-only)`);
    blocks.push({ line: i + 1, code: body.join('\n') + '\n', typecheckOnly: flags.includes('typecheck-only') });
    i = j;
  }
  return blocks;
}

/**
 * The packages a block imports (bare specifiers, without subpaths; `node:` built-ins left out).
 * @param {string} code
 * @returns {string[]}
 * @example importedPackages("import { x } from '@qkv/nn/node';") // ['@qkv/nn']
 */
export function importedPackages(code) {
  const names = new Set();
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    const parts = spec.split('/');
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(parts[0])) continue;
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names];
}
