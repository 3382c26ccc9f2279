// Every suite, in the order `pnpm bench` runs them.
import type { BenchContext, Measurement } from '../harness.js';
import { encoderSuite } from './encoder.js';
import { finetuneSuite, finetuneTable } from './finetune.js';
import { gemmSuite } from './gemm.js';
import { gptDecodeSuite } from './gpt-decode.js';
import { mhaSuite } from './mha.js';
import { normSuite } from './norm.js';
import { pretrainedSuite, pretrainedTable } from './pretrained.js';
import { courseTable, rnnVsAttentionSuite } from './rnn-vs-attention.js';
import { tokenizerSuite } from './tokenizer.js';

/** A named suite. */
export interface Suite {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
  /** Extra markdown printed and written after the suite's table (the course's comparison table). */
  summarize?(ms: Measurement[]): string;
}

export const suites: Suite[] = [
  { name: 'gemm', title: 'GEMM (GFLOPS)', run: gemmSuite },
  { name: 'norm', title: 'softmax and layer norm', run: normSuite },
  { name: 'mha', title: 'Multi-head self-attention, E = 512, H = 8, B = 1', run: mhaSuite },
  { name: 'encoder', title: 'TransformerEncoderLayer training step (tokens/s)', run: encoderSuite },
  { name: 'gpt-decode', title: 'GPT generation with and without the KV cache (tokens/s)', run: gptDecodeSuite },
  { name: 'rnn-vs-attention', title: 'RNN vs self-attention (the course\'s comparison), n = 512, d = 512', run: rnnVsAttentionSuite, summarize: courseTable },
  { name: 'tokenizer', title: 'GPT-2 tokenizer throughput', run: tokenizerSuite },
  { name: 'finetune', title: 'Fine-tuning step on the GPT-2-small shape, B 1 × T 128: LoRA vs full (tokens/s, memory)', run: finetuneSuite, summarize: finetuneTable },
  { name: 'pretrained', title: 'A GPT-2-small-shaped Hub folder: load, forward on 128 tokens, cached generation, peak RSS; qkv-wasm vs ONNX Runtime on the same model', run: pretrainedSuite, summarize: pretrainedTable },
];
