import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DATE_FORMATS,
  DATE_SOURCE_ALPHABET,
  type DateFormat,
  dateTask,
  dateTaskTokenizers,
  dayOfWeek,
  daysInMonth,
  reverseTask,
  copyTask,
  sequenceTaskTokenizer,
  sortTask,
} from '../src/index.js';

describe('copy, reverse and sort tasks', () => {
  it('pair random strings with their copy, reversal and sorted form', () => {
    const options = { count: 200, seed: 9, minLength: 2, maxLength: 6 };
    for (const { source, target } of copyTask(options)) expect(target).toBe(source);
    for (const { source, target } of reverseTask(options)) expect(target).toBe([...source].reverse().join(''));
    for (const { source, target } of sortTask(options)) expect(target).toBe([...source].sort().join(''));
    const lengths = copyTask(options).map((p) => p.source.length);
    expect(Math.min(...lengths)).toBe(2);
    expect(Math.max(...lengths)).toBe(6);
  });

  it('are fixed by the seed and round-trip through their tokenizer', () => {
    expect(sortTask({ count: 5, seed: 1 })).toEqual(sortTask({ count: 5, seed: 1 }));
    expect(sortTask({ count: 5, seed: 1 })).not.toEqual(sortTask({ count: 5, seed: 2 }));
    const tok = sequenceTaskTokenizer();
    for (const { source } of copyTask({ count: 50, seed: 3 })) expect(tok.decode(tok.encode(source))).toBe(source);
  });

  it('sort by the given alphabet’s order, not code units', () => {
    for (const { source, target } of sortTask({ count: 50, seed: 4, alphabet: 'zyx' })) {
      const rank = (ch: string) => 'zyx'.indexOf(ch);
      expect(target).toBe([...source].sort((a, b) => rank(a) - rank(b)).join(''));
    }
  });

  it('reject a bad alphabet or lengths', () => {
    expect(() => copyTask({ count: 1, alphabet: 'aa' })).toThrow(/^sequenceTask\(copy\): expected a non-empty alphabet of distinct characters/);
    expect(() => copyTask({ count: 1, minLength: 5, maxLength: 2 })).toThrow(/expected maxLength to be an integer ≥ 5, got 2/);
  });
});

describe('calendar', () => {
  it('agrees with JS Date on the weekday and the length of every month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1600, max: 2400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
        const d = Math.min(day, daysInMonth(year, month));
        expect(dayOfWeek(year, month, d)).toBe(new Date(Date.UTC(year, month - 1, d)).getUTCDay());
      }),
      { numRuns: 2000 },
    );
    expect(dayOfWeek(2009, 6, 25)).toBe(4); // Thursday, June 25, 2009
  });
});

describe('dateTask', () => {
  const intl = (locale: string, options: Intl.DateTimeFormatOptions) => (d: Date) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options }).format(d);
  // An independent renderer per format: JS Date + Intl, never our own calendar code.
  const reference: Record<DateFormat, (d: Date) => string> = {
    long: intl('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    mdy: intl('en-US', { month: 'long', day: 'numeric', year: 'numeric' }),
    dmy: intl('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
    short: (d) => d.toUTCString().slice(0, 16).replace(', 0', ', '), // 'Thu, 25 Jun 2009' (en-GB ICU writes 'Sept')
    ordinal: (d) => {
      const day = d.getUTCDate();
      const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
      return intl('en-US', { month: 'long', day: 'numeric', year: 'numeric' })(d).replace(/ (\d+),/, ` $1${suffix},`);
    },
    us: intl('en-US', { month: 'numeric', day: 'numeric', year: 'numeric' }),
    eu: intl('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' }),
  };

  it('normalises "Thursday, June 25, 2009" style inputs to the right ISO date, in every format', () => {
    for (const format of Object.keys(DATE_FORMATS) as DateFormat[]) {
      for (const { source, target } of dateTask({ count: 300, seed: 11, formats: [format] })) {
        const date = new Date(`${target}T00:00:00Z`);
        expect(date.toISOString().slice(0, 10)).toBe(target); // a real calendar date (no 30 February)
        expect(source).toBe(reference[format](date));
      }
    }
    expect(DATE_FORMATS.long({ year: 2009, month: 6, day: 25 })).toBe('Thursday, June 25, 2009');
  });

  it('mixes formats, stays in the year range and is fixed by the seed', () => {
    const pairs = dateTask({ count: 2000, seed: 5, fromYear: 1990, toYear: 1999 });
    expect(pairs).toEqual(dateTask({ count: 2000, seed: 5, fromYear: 1990, toYear: 1999 }));
    expect(pairs.every((p) => /^199\d-\d\d-\d\d$/.test(p.target))).toBe(true);
    expect(pairs.some((p) => p.source.includes('/')) && pairs.some((p) => p.source.includes('.')) && pairs.some((p) => p.source.includes('day'))).toBe(true);
  });

  it('round-trips every source and target through its character tokenizers without <unk>', () => {
    const { source, target } = dateTaskTokenizers();
    expect(target.vocabSize).toBe(15);
    for (const pair of dateTask({ count: 1000, seed: 2 })) {
      expect(source.encode(pair.source)).not.toContain(source.specialTokens.unk);
      expect(source.decode(source.encode(pair.source))).toBe(pair.source);
      expect(target.decode(target.encode(pair.target))).toBe(pair.target);
    }
    expect(new Set(DATE_SOURCE_ALPHABET).size).toBe(DATE_SOURCE_ALPHABET.length);
  });

  it('rejects an unknown format', () => {
    expect(() => dateTask({ count: 1, formats: ['iso' as DateFormat] })).toThrow(/^dateTask: expected formats among long, mdy, .*, got "iso"/);
  });
});
