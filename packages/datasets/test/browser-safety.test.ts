import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('browser safety', () => {
  it('imports Node built-ins only lazily (await import), so the entry bundles for the browser', async () => {
    const root = join(import.meta.dirname, '..', 'src');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      if (/^import[^;]*from '(node:)?(fs|path|module|os|url)(\/[a-z]+)?';/m.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
