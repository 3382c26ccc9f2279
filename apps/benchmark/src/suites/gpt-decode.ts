// GPT generation with and without the KV cache (tokens/s): the same greedy continuation of the same
// prompt, which must be identical both ways and on every backend.
import { manualSeed, noGrad, tensor, tidy } from '@qkv/tensor-core';
import { GPT, greedyDecode } from '@qkv/transformer';
import type { GPTConfig } from '@qkv/transformer';
import { time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { qkvName, useQkv } from '../qkv.js';
import { gptOnnx } from '../peers/onnx.js';
import { ortGenerator } from '../peers/ort.js';

/** Greedy decoding of `newTokens` after `prompt` (int32 [1, P]); returns the new tokens. */
function generate(gpt: GPT, prompt: Int32Array, newTokens: number, useCache: boolean): Int32Array {
  return tidy(() =>
    noGrad(() => {
      const ids = greedyDecode(gpt.stepper({ useCache }), { prompt: tensor(prompt, { shape: [1, prompt.length], dtype: 'int32' }), maxNewTokens: newTokens });
      return (ids.dataSync() as Int32Array).slice(prompt.length);
    }),
  );
}

/** Throws unless two token lists are equal, naming the first position that differs. */
export function assertSameTokens(what: string, got: Int32Array, expected: Int32Array): void {
  const n = Math.max(got.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (got[i] !== expected[i]) throw new Error(`${what}: token ${i} is ${got[i]}, expected ${expected[i]} (of ${expected.length})`);
  }
}

/** GPT (4 layers, E = 256, 8 heads, V = 512) generating 64 tokens after a 32-token prompt (quick: tiny). */
export async function gptDecodeSuite(ctx: BenchContext): Promise<Measurement[]> {
  const config: GPTConfig = ctx.quick ? { vocabSize: 64, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 16 } : { vocabSize: 512, blockSize: 128, nLayer: 4, nHead: 8, nEmbd: 256 };
  const [promptLength, newTokens] = ctx.quick ? [4, 8] : [32, 64];
  const prompt = Int32Array.from({ length: promptLength }, (_, i) => (i * 7 + 3) % config.vocabSize);
  const build = () => {
    manualSeed(3);
    return new GPT(config);
  };
  await useQkv('cpu', 1);
  const reference = generate(build(), prompt, newTokens, false); // the whole prefix every step: no cache involved
  const out: Measurement[] = [];
  const label = `${newTokens} tokens after ${promptLength}, ${config.nLayer}×${config.nEmbd}`;
  for (const backend of ctx.backends) {
    for (const threads of backend === 'wasm' ? [...new Set([1, ctx.threads])] : [1]) {
      await useQkv(backend, threads);
      const gpt = build();
      for (const useCache of [true, false]) {
        const system = `${qkvName(backend, threads)} ${useCache ? 'KV cache' : 'no cache'}`;
        assertSameTokens(`gpt-decode ${system}`, generate(gpt, prompt, newTokens, useCache), reference);
        out.push({ suite: 'gpt-decode', case: label, system, ...(await time(() => generate(gpt, prompt, newTokens, useCache), ctx.quick, { minRuns: 3 })), work: { amount: newTokens, unit: 'tokens/s' }, maxAbsDiff: 0 });
      }
    }
  }
  // the same model exported by @qkv/onnx with the KV-cache signature, greedy on ONNX Runtime (1 thread)
  await useQkv('cpu', 1);
  const model = gptOnnx(build());
  for (const system of ['onnxruntime-node', 'onnxruntime-web'] as const) {
    const ort = await ortGenerator(system, model, config);
    assertSameTokens(`gpt-decode ${system}`, await ort.generate(prompt, newTokens), reference);
    out.push({ suite: 'gpt-decode', case: label, system: `${system} KV cache`, ...(await time(() => ort.generate(prompt, newTokens), ctx.quick, { minRuns: 3 })), work: { amount: newTokens, unit: 'tokens/s' }, maxAbsDiff: 0 });
    await ort.release();
  }
  return out;
}
