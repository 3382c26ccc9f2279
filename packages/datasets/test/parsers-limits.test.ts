import { describe, expect, it } from 'vitest';
import { CMUDICT_LIMITS, DatasetError, SPAM_LIMITS, parseBrownCategories, parseBrownFile, parseCmudict, parseMnistDigits, parseSpamRecord } from '../src/index.js';
import type { MessagePart } from '../src/index.js';
import { fakePackage } from './helpers.js';

const record = { id: '00001', group: 'spam-1', text: 'Subject: hi\n\nbuy' };

describe('the parsers validate every field and bound their work', () => {
  it('parseCmudict: a word and variant given twice ("READ(1)" and "read(01)") is ambiguous, so refused', () => {
    expect(() => parseCmudict({ 'READ(1)': 'R IY1 D', 'read(01)': 'R EH1 D' })).toThrow(/^parseCmudict: expected one entry per word and variant \(read, 1\), got "read\(01\)"/);
  });

  it('parseCmudict: keys and pronunciations past the limits are refused with the limit in the message', () => {
    const longKey = 'A'.repeat(CMUDICT_LIMITS.keyLength + 1);
    expect(() => parseCmudict({ [longKey]: 'EY1' })).toThrow(/expected keys of at most 256 characters/);
    expect(() => parseCmudict({ CAT: 'K '.repeat(600) })).toThrow(/expected at most 1024 characters of phonemes for "CAT", got "1200"/);
    // a variant number has at most 3 digits (CMUdict's go to 3); a longer one makes the key a non-word, dropped
    expect(parseCmudict({ 'CAT(1234)': 'K AE1 T' })).toEqual([]);
  });

  it('parseCmudict: a key named __proto__ is a key like any other (dropped by the plain-word filter, not a prototype)', () => {
    const dict = JSON.parse('{"__proto__": "K AE1 T", "CAT": "K AE1 T"}') as unknown;
    expect(parseCmudict(dict).map((e) => e.word)).toEqual(['cat']);
    expect(parseCmudict(dict, { filter: () => true }).map((e) => e.word)).toEqual(['__proto__', 'cat']);
  });

  it('parseMnistDigits: files that are not an array, or a data key only on the prototype, are refused', () => {
    expect(() => parseMnistDigits(7 as unknown as unknown[])).toThrow(/^parseMnistDigits: expected an array of 10 digit files \(0…9\), got 7/);
    const inherited = Object.create({ data: new Array(784).fill(0) }) as object;
    expect(() => parseMnistDigits(new Array(10).fill(inherited))).toThrow(/expected digit file 0 to be \{ data: number\[\] \}/);
  });

  it('parseSpamRecord: an unknown part, an empty or over-long id and an over-long text are refused', () => {
    expect(() => parseSpamRecord(record, 'subject' as MessagePart)).toThrow(/^parseSpamRecord: expected part to be one of message, body, subject\+body, got "subject"/);
    expect(() => parseSpamRecord({ ...record, id: '' })).toThrow(/expected an id of 1 to 64 characters/);
    expect(() => parseSpamRecord({ ...record, text: 'x'.repeat(SPAM_LIMITS.textLength + 1) })).toThrow(/expected text of at most 10,000,000 characters, got "10,000,001 characters"/);
  });

  it('parseBrownCategories and parseBrownFile: non-strings and repeated file ids are refused', () => {
    expect(() => parseBrownCategories(42 as unknown as string)).toThrow(/^parseBrownCategories: expected cats\.txt to be a string, got 42/);
    expect(() => parseBrownCategories('ca01 news\nca01 humor')).toThrow(/expected each file id once \(line 2\), got "ca01"/);
    expect(() => parseBrownFile(null as unknown as string, 'ca01', 'news')).toThrow(/^parseBrownFile: expected the text of ca01 to be a string, got null/);
  });

  it('every error is a DatasetError', () => {
    for (const bad of [() => parseBrownCategories('ca01 news\nca01 news'), () => parseSpamRecord(record, 'x' as MessagePart), () => parseMnistDigits(null as unknown as unknown[])]) {
      expect(bad).toThrow(DatasetError);
    }
  });

  it('loaders name a data path that is a directory', async () => {
    const { loadCmudict } = await import('../src/index.js');
    const dir = await fakePackage({ 'data/dict.json/x': '' });
    await expect(loadCmudict({ packageDir: dir })).rejects.toThrow(/^loadCmudict: expected a readable data file at .*dict\.json, got .*EISDIR/);
  });
});
