// The published build's two entries share one loader: a model and tokenizer loaded through
// `@qkv/pretrained/node` save through the main entry with their tokenizer files and config fields
// (before code splitting each entry had its own copy, and the main entry knew nothing of them).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';
import type * as Main from '../src/index.js';
import type * as Node from '../src/node.js';

/** A built entry, typed by its source (dist/ exists only after `pnpm build`, which turbo runs before test). */
async function built<T>(entry: string): Promise<T> {
  const file = join(import.meta.dirname, '..', 'dist', `${entry}.js`);
  expect(existsSync(file), `${file} is missing: run \`pnpm build\` first`).toBe(true);
  return (await import(pathToFileURL(file).href)) as T;
}

describe('dist entries', () => {
  it('a BERT classifier loaded by /node keeps id2label and its tokenizer when saved by the main entry', async () => {
    const main = await built<typeof Main>('index');
    const node = await built<typeof Node>('node');
    const { model, tokenizer, config } = await node.fromPretrained(join(FIXTURES, 'bert-cls'));
    expect(config).toBeInstanceOf(main.HubConfig);
    const files = main.pretrainedFiles(model, { tokenizer });
    const saved = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as { id2label?: Record<string, string> };
    const loaded = JSON.parse(new TextDecoder().decode(await node.directorySource(join(FIXTURES, 'bert-cls')).read('config.json'))) as { id2label: Record<string, string> };
    expect(saved.id2label).toEqual(loaded.id2label);
    expect(files.has('vocab.txt')).toBe(true);
  });
});
