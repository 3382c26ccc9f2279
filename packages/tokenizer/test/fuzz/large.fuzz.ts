// `pnpm --filter @qkv/tokenizer fuzz`: 10,000 mutated files per tokenizer reader (FUZZ_RUNS to
// change, FUZZ_SEED for another draw), 2 s per case at most; prints the counts the README records
// and fails on any crash or hang.
import { expect, it } from 'vitest';
import { formatTokenizerCounts } from './harness.js';
import { runTokenizerFuzz } from './readers.js';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? 2026);

it(`fuzzes every reader of @qkv/tokenizer with ${runs} mutated files (seed ${seed})`, () => {
  const started = Date.now();
  const counts = runTokenizerFuzz(runs, seed, 2000);
  for (const c of counts) {
    console.log(formatTokenizerCounts(c));
    for (const e of c.examples) console.log(`  ${e}`);
  }
  console.log(`total ${counts.reduce((n, c) => n + c.cases, 0)} cases in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const c of counts) expect(c.crashes + c.hangs, c.reader).toBe(0);
});
