// `pnpm --filter @qkv/pretrained fuzz`: 10,000 mutated files or folders per reader (FUZZ_RUNS to
// change; FUZZ_ONLY=name,… for some readers), 2 s per case at most; prints the counts that the README
// records and fails on any crash or hang.
import { expect, it } from 'vitest';
import { formatCounts } from '@qkv/fuzz-harness';
import { runFuzz } from './readers.js';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? 2026);
const only = process.env.FUZZ_ONLY?.split(',');

it(`fuzzes every Hub reader of @qkv/pretrained with ${runs} mutated files (seed ${seed})`, async () => {
  const counts = await runFuzz(runs, seed, 2000, only);
  for (const c of counts) {
    console.log(formatCounts(c));
    for (const e of c.examples) console.log(`  ${e}`);
  }
  for (const c of counts) expect(c.crashes + c.hangs, c.reader).toBe(0);
});
