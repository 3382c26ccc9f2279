import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeBuiltin } from '../src/core/node-builtins.js';
import { DatasetError } from '../src/index.js';

describe('browser safety', () => {
  it('never imports a Node built-in at run time (only `import type`; the loaders use process.getBuiltinModule), so the published entry bundles for the browser', async () => {
    const root = join(import.meta.dirname, '..', 'src');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      if (/^import(?! type )[^;]*from '(node:)?(fs|path|module|os|url)(\/[a-z]+)?';/m.test(text)) offenders.push(file);
      if (/import\(\s*'(node:)?(fs|path|module|os|url)(\/[a-z]+)?'\s*\)/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('says outside Node that a loader needs Node, naming the loader', () => {
    const saved = process.getBuiltinModule;
    try {
      (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
      expect(() => nodeBuiltin('node:path', 'loadMnist')).toThrow(DatasetError);
      expect(() => nodeBuiltin('node:path', 'loadMnist')).toThrow(/^loadMnist: expected Node ≥ 20\.19 .*got an environment without process\.getBuiltinModule/);
    } finally {
      process.getBuiltinModule = saved;
    }
    expect(nodeBuiltin('node:path', 'loadMnist').join('a', 'b')).toBe(join('a', 'b'));
  });
});
