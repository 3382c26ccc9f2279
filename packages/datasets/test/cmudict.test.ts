import { beforeAll, describe, expect, it } from 'vitest';
import { type Cmudict, g2pPairs, g2pReferences, g2pTokenizers, isPhoneme, loadCmudict, parseCmudict, stripStress } from '../src/index.js';
import { fakePackage, missingResolver } from './helpers.js';

describe('parseCmudict', () => {
  const dict = { READ: 'R EH1 D', 'READ(1)': 'R IY1 D', "DON'T": 'D OW1 N T', '!EXCLAMATION-POINT': 'EH2 K S K L AH0 M EY1 SH AH0 N P OY2 N T', AIR_FORCE: 'EH1 R F AO1 R S' };

  it('groups alternates with their word in variant order, lower-cases words and keeps stress', () => {
    expect(parseCmudict({ 'READ(1)': 'R IY1 D', READ: 'R EH1 D' })).toEqual([{ word: 'read', pronunciations: [['R', 'EH1', 'D'], ['R', 'IY1', 'D']] }]);
  });

  it('keeps plain words by default and drops punctuation names and phrases', () => {
    expect(parseCmudict(dict).map((e) => e.word)).toEqual(["don't", 'read']);
    expect(parseCmudict(dict, { filter: () => true }).map((e) => e.word)).toEqual(['!exclamation-point', 'air_force', "don't", 'read']);
  });

  it('rejects corrupted data, naming the entry and what was wrong', () => {
    expect(() => parseCmudict([])).toThrow(/^parseCmudict: expected an object mapping words to pronunciations, got an array/);
    expect(() => parseCmudict({ CAT: 'K AE1 T', DOG: 'D AO1 G9' })).toThrow(/^parseCmudict: expected ARPAbet phonemes .* for "DOG", got "G9"/);
    expect(() => parseCmudict({ CAT: 'K AE1 TX' })).toThrow(/got "TX"/);
    expect(() => parseCmudict({ CAT: 'B1 AE1 T' })).toThrow(/got "B1"/); // stress on a consonant
    expect(() => parseCmudict({ CAT: 42 })).toThrow(/^parseCmudict: expected a string of phonemes for "CAT", got 42/);
  });
});

describe('stripStress and isPhoneme', () => {
  it('removes stress digits from arrays and strings', () => {
    expect(stripStress(['HH', 'AH0', 'L', 'OW1'])).toEqual(['HH', 'AH', 'L', 'OW']);
    expect(stripStress('EH2 K S K L AH0 M EY1')).toBe('EH K S K L AH M EY');
  });

  it('accepts the ARPAbet symbols with stress only on vowels', () => {
    expect(['AH0', 'AH', 'ZH', 'ER2', 'NG'].every(isPhoneme)).toBe(true);
    expect(['AH3', 'B0', 'X', 'ah0', ''].some(isPhoneme)).toBe(false);
  });
});

describe('loadCmudict (the real dictionary)', () => {
  let cmu: Cmudict;
  beforeAll(async () => {
    cmu = await loadCmudict({ seed: 0 });
  });

  it('has the documented split sizes for seed 0', () => {
    expect([cmu.train.length, cmu.validation.length, cmu.test.length]).toEqual([99_912, 12_489, 12_489]);
    const prons = (part: typeof cmu.train) => part.reduce((n, e) => n + e.pronunciations.length, 0);
    expect([prons(cmu.train), prons(cmu.validation), prons(cmu.test)]).toEqual([106_936, 13_316, 13_405]);
  });

  it('never puts a word in two splits, so alternative pronunciations stay together', () => {
    const seen = new Map<string, string>();
    const straddling: string[] = [];
    for (const name of ['train', 'validation', 'test'] as const) {
      for (const { word } of cmu[name]) {
        if (seen.has(word)) straddling.push(`${word} in ${seen.get(word)} and ${name}`);
        seen.set(word, name);
      }
    }
    expect(straddling).toEqual([]);
    expect(seen.size).toBe(124_890);
    const read = [...cmu.train, ...cmu.validation, ...cmu.test].find((e) => e.word === 'read')!;
    expect(read.pronunciations).toEqual([['R', 'EH1', 'D'], ['R', 'IY1', 'D']]);
  });

  it('gives the same split for the same seed and another split for another seed', async () => {
    const again = await loadCmudict({ seed: 0 });
    expect(again.test.map((e) => e.word)).toEqual(cmu.test.map((e) => e.word));
    const other = await loadCmudict({ seed: 1 });
    const test0 = new Set(cmu.test.map((e) => e.word));
    const overlap = other.test.filter((e) => test0.has(e.word)).length / other.test.length;
    expect(overlap).toBeGreaterThan(0.05); // about 10 % of a random 10 % sample
    expect(overlap).toBeLessThan(0.15);
  });

  it('lower-cases graphemes and keeps stress digits in the phoneme inventory', () => {
    expect(cmu.graphemes.join('')).toBe("'-.abcdefghijklmnopqrstuvwxyz");
    expect(cmu.phonemesWithoutStress).toHaveLength(39);
    expect(cmu.phonemes).toContain('AH0');
    expect(cmu.phonemes.length).toBe(69);
  });

  it('round-trips every test pair through the G2P tokenizers, with and without stress', () => {
    for (const stress of [true, false]) {
      const tokenizers = g2pTokenizers(cmu, { stress });
      const unk = tokenizers.target.specialTokens.unk;
      const wrong: string[] = [];
      for (const { source, target } of g2pPairs(cmu.test, { stress })) {
        const ids = tokenizers.target.encode(target);
        const ok = tokenizers.source.decode(tokenizers.source.encode(source)) === source && !ids.includes(unk!) && ids.length === target.split(' ').length && tokenizers.target.decode(ids) === target;
        if (!ok) wrong.push(`${source} → ${target}`);
      }
      expect(wrong).toEqual([]);
    }
  });

  it('builds references with every pronunciation of each word', () => {
    const refs = g2pReferences(cmu.test, { stress: false });
    expect(refs).toHaveLength(cmu.test.length);
    expect(refs.every((r, i) => r.length === cmu.test[i]!.pronunciations.length)).toBe(true);
    expect(refs.flat(2).every((p) => !/\d/.test(p))).toBe(true);
  });
});

describe('loadCmudict errors', () => {
  it('says which package to install when it is missing', async () => {
    await expect(loadCmudict({ resolve: missingResolver })).rejects.toThrow(
      /^loadCmudict: expected the optional data package @stdlib\/datasets-cmudict to be installed, got none; install it with `npm install @stdlib\/datasets-cmudict`/,
    );
  });

  it('fails clearly on a corrupted or truncated dict.json', async () => {
    const bad = await fakePackage({ 'data/dict.json': '{"CAT": "K AE1 T", "DOG": "D AO1 QQ"}' });
    await expect(loadCmudict({ packageDir: bad })).rejects.toThrow(/for "DOG", got "QQ"/);
    const truncated = await fakePackage({ 'data/dict.json': '{"CAT": "K AE1 T", "DO' });
    await expect(loadCmudict({ packageDir: truncated })).rejects.toThrow(/^loadCmudict: expected valid JSON in .*dict\.json/);
    const absent = await fakePackage({});
    await expect(loadCmudict({ packageDir: absent })).rejects.toThrow(/^loadCmudict: expected a readable data file at .*dict\.json/);
  });
});
