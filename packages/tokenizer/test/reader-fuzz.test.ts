// Every tokenizer reader on 100 mutated files (truncations, bit flips, absurd numbers, wrong JSON
// types, prototype keys, duplicate names…): each is accepted or refused with a TokenizerError,
// never a raw TypeError/SyntaxError/RangeError, never past 2 s. `pnpm fuzz` runs 10,000 per reader.
import { expect, it } from 'vitest';
import { TokenizerError } from '../src/index.js';
import { formatTokenizerCounts, fuzzTokenizerReader } from './fuzz/harness.js';
import { runTokenizerFuzz } from './fuzz/readers.js';

it('accepts or refuses 100 mutants of each reader’s file, with no crash and no hang', () => {
  const counts = runTokenizerFuzz(100, 7, 2000);
  for (const c of counts) {
    expect(c.cases, c.reader).toBe(100);
    expect(c.examples, formatTokenizerCounts(c)).toEqual([]);
    expect(c.crashes + c.hangs, c.reader).toBe(0);
  }
}, 120_000);

it('the harness counts a raw TypeError as a crash and an endless loop as a hang', () => {
  const cases = [{ how: 'type error' }, { how: 'endless loop' }, { how: 'refused' }, { how: 'fine' }];
  const counts = fuzzTokenizerReader(
    'probe',
    cases,
    (c) => {
      if (c.how === 'type error') (null as unknown as { x: () => void }).x();
      if (c.how === 'endless loop') for (;;);
      if (c.how === 'refused') throw new TokenizerError('probe: expected nothing, got something');
    },
    100,
  );
  expect({ ...counts, examples: counts.examples.length }).toEqual({ reader: 'probe', cases: 4, accepted: 1, refused: 1, crashes: 1, hangs: 1, examples: 2 });
});
