// `pnpm --filter @qkv/cli fuzz`: 10,000 cases per input reader (FUZZ_RUNS to change), 2 s per case
// at most; prints the counts that the README records and fails on any crash or hang.
import { expect, it } from 'vitest';
import { formatCounts } from '@qkv/fuzz-harness';
import { runFuzz } from './readers.js';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? 2026);

it(`fuzzes every input reader of the qkv command with ${runs} cases (seed ${seed})`, () => {
  const counts = runFuzz(runs, seed, 2000);
  for (const c of counts) {
    console.log(formatCounts(c));
    for (const e of c.examples) console.log(`  ${e}`);
  }
  for (const c of counts) expect(c.crashes + c.hangs, c.reader).toBe(0);
});
