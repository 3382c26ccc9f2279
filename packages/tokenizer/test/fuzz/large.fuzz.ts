// `pnpm --filter @qkv/tokenizer fuzz`: 10,000 mutated files per tokenizer reader (FUZZ_RUNS to
// change, FUZZ_SEED for another draw), 2 s per case at most; prints each reader's counts (the
// README records them) as it finishes, and fails on any crash or hang.
import { expect, it } from 'vitest';
import { formatTokenizerCounts } from './harness.js';
import { fuzzOneReader, tokenizerReaders } from './readers.js';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? 2026);

it.each(tokenizerReaders().map((reader, k) => [reader.name, reader, k] as const))(`%s: ${runs} mutated files (seed ${seed} + reader index)`, (_name, reader, k) => {
  const started = Date.now();
  const counts = fuzzOneReader(reader, runs, seed + k, 2000);
  console.log(`${formatTokenizerCounts(counts)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const e of counts.examples) console.log(`  ${e}`);
  expect(counts.crashes + counts.hangs).toBe(0);
});
