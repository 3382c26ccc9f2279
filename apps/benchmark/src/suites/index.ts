// Every suite, in the order `pnpm bench` runs them.
import type { BenchContext, Measurement } from '../harness.js';
import { gemmSuite } from './gemm.js';
import { normSuite } from './norm.js';
import { tokenizerSuite } from './tokenizer.js';

/** A named suite. */
export interface Suite {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
}

export const suites: Suite[] = [
  { name: 'gemm', title: 'GEMM (GFLOPS)', run: gemmSuite },
  { name: 'norm', title: 'softmax and layer norm', run: normSuite },
  { name: 'tokenizer', title: 'GPT-2 tokenizer throughput', run: tokenizerSuite },
];
