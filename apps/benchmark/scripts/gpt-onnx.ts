// qkv-wasm (1 thread) and ONNX Runtime (node, web/wasm; 1 thread) on the same GPT exported by
// @qkv/onnx: forward on 128 tokens, and greedy generation on the KV cache, tokens checked equal.
// Run: pnpm --filter @qkv/benchmark bench:gpt-onnx   (a measurement, never a test)
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import '@qkv/wasm-kernels';
import { setThreads } from '@qkv/wasm-kernels';
import { manualSeed, noGrad, setBackend, tensor, tidy } from '@qkv/tensor-core';
import { GPT, greedyDecode } from '@qkv/transformer';
import { exportOnnx } from '@qkv/onnx';

const config = { vocabSize: 512, blockSize: 256, nLayer: 4, nHead: 8, nEmbd: 256 };
const [T, promptLength, newTokens] = [128, 32, 64];

async function median(f: () => unknown, runs = 5): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1]!;
}

await setBackend('wasm');
await setThreads(1);
manualSeed(3);
const gpt = new GPT(config).eval();
const ids = Int32Array.from({ length: T }, (_, i) => (i * 7 + 3) % config.vocabSize);
const prompt = ids.slice(0, promptLength);
const qkvForward = () => tidy(() => noGrad(() => gpt.forward(tensor(ids, { shape: [1, T], dtype: 'int32' })).dataSync()));
const qkvGenerate = () => tidy(() => noGrad(() => greedyDecode(gpt.stepper(), { prompt: tensor(prompt, { shape: [1, promptLength], dtype: 'int32' }), maxNewTokens: newTokens }).dataSync().slice(promptLength)));
const reference = qkvGenerate() as Int32Array;
const rows: Record<string, { forward: number; generate: number }> = {};
rows['qkv-wasm 1T'] = { forward: await median(qkvForward), generate: await median(qkvGenerate) };

const model = exportOnnx(gpt, [], { kvCache: true });
ortWeb.env.wasm.numThreads = 1;
for (const [name, ort, session] of [
  ['onnxruntime-node 1T', ortNode, await ortNode.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 })],
  ['onnxruntime-web wasm 1T', ortWeb, await ortWeb.InferenceSession.create(model, { executionProviders: ['wasm'] })],
] as const) {
  const { nLayer: L, nHead: H, nEmbd: E, vocabSize: V } = config;
  const names = Array.from({ length: L }, (_, l) => [`${l}.key`, `${l}.value`]).flat();
  const empty = () => Object.fromEntries(names.map((n) => [`past_key_values.${n}`, new ort.Tensor('float32', new Float32Array(0), [1, H, 0, E / H])]));
  const idsOf = (xs: ArrayLike<number>) => new ort.Tensor('int64', BigInt64Array.from(Array.from(xs, BigInt)), [1, xs.length]);
  const run = (feeds: Record<string, unknown>) => (session).run(feeds as Record<string, ortNode.Tensor>);
  const forward = () => run({ input_ids: idsOf(ids), ...empty() });
  const generate = async () => {
    let feeds: Record<string, unknown> = { input_ids: idsOf(prompt), ...empty() };
    const out = new Int32Array(newTokens);
    for (let i = 0; i < newTokens; i++) {
      const r = await run(feeds);
      const logits = r.logits!.data as Float32Array;
      const last = logits.subarray(logits.length - V);
      let best = 0;
      for (let v = 1; v < V; v++) if (last[v]! > last[best]!) best = v;
      out[i] = best;
      feeds = { input_ids: idsOf([best]), ...Object.fromEntries(names.map((n) => [`past_key_values.${n}`, r[`present.${n}`]])) };
    }
    return out;
  };
  const tokens = await generate();
  if (tokens.some((t, i) => t !== reference[i])) throw new Error(`${name}: generated tokens differ from qkv's`);
  const logits = (await forward()).logits!.data as Float32Array;
  const ref = qkvForward() as Float32Array;
  const diff = logits.reduce((m, x, i) => Math.max(m, Math.abs(x - ref[i]!)), 0);
  if (!(diff < 1e-4)) throw new Error(`${name}: forward logits differ from qkv's by ${diff}`);
  rows[name] = { forward: await median(forward), generate: await median(generate) };
}
const base = rows['qkv-wasm 1T'];
console.log(`GPT ${config.nLayer}×${config.nEmbd}, ${config.nHead} heads, V ${config.vocabSize}: forward on ${T} tokens; greedy ${newTokens} tokens after ${promptLength} on the KV cache (tokens equal to qkv's). Median of 5, ms.`);
console.log('| system | forward 128 ms | ratio to qkv | generate 64 ms | tokens/s | ratio to qkv |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, r] of Object.entries(rows)) {
  console.log(`| ${name} | ${r.forward.toFixed(1)} | ${(r.forward / base.forward).toFixed(2)}× | ${r.generate.toFixed(0)} | ${(newTokens / (r.generate / 1000)).toFixed(0)} | ${(r.generate / base.generate).toFixed(2)}× |`);
}
