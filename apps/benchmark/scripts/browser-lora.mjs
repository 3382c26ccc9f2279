// Issue 24's browser target: LoRA fine-tuning of the GPT-2-small shape (12 layers, E 768, 12 heads,
// V 50,257; 124 M parameters, random weights) on B 1 × T 128 tokens in headless Chromium, wasm
// backend, 1 thread. The step is the `finetune` suite's (forward, cross-entropy, backward, AdamW on
// LoRA r 8 / alpha 16 on c_attn), bundled with esbuild from the packages' dist builds; it reports
// each step's time, the live tensor memory at its peak (sampled after forward and after backward)
// and the wasm backend's WebAssembly.Memory size (memory.buffer.byteLength, which only grows).
// usage (after `pnpm turbo run build --filter @qkv/benchmark...`):
//   node scripts/browser-lora.mjs [steps=3] [chromium=/usr/bin/chromium]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const [stepsArg = '3', executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
const steps = Number(stepsArg);
if (!Number.isInteger(steps) || steps < 1) {
  console.error(`browser-lora: steps must be an integer ≥ 1, got '${stepsArg}'`);
  process.exit(2);
}

const entry = `
import '@qkv/wasm-kernels';
import { AdamW, crossEntropy, injectLoRA } from '@qkv/nn';
import { activeBackend, manualSeed, memory, setBackend, tensor, tidy } from '@qkv/tensor-core';
import { GPT } from '@qkv/transformer';

window.runLoRA = async (steps) => {
  await setBackend('wasm');
  const wasmBytes = () => activeBackend().heap?.memory?.buffer.byteLength ?? null;
  manualSeed(5);
  const config = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768 };
  const T = 128;
  let t = performance.now();
  const model = new GPT(config);
  injectLoRA(model, { r: 8, alpha: 16, dropout: 0, targetModules: ['c_attn'], fanInFanOut: true });
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  const optimizer = new AdamW(trainable, { lr: 1e-4, weightDecay: 0 });
  const buildMs = performance.now() - t;
  const ids = tensor(Int32Array.from({ length: T }, (_, i) => (i * 31 + 7) % config.vocabSize), { shape: [1, T], dtype: 'int32' });
  const targets = tensor(Int32Array.from({ length: T }, (_, i) => (i * 31 + 38) % config.vocabSize), { shape: [T], dtype: 'int32' });
  let peak = 0;
  const sample = () => { peak = Math.max(peak, memory().numBytes); };
  const stepMs = [];
  const losses = [];
  for (let s = 0; s < steps; s++) {
    t = performance.now();
    losses.push(tidy(() => {
      const logits = model.forward(ids);
      const loss = crossEntropy(logits.reshape([-1, config.vocabSize]), targets);
      sample();
      loss.backward();
      sample();
      return loss.item();
    }));
    optimizer.step();
    sample();
    optimizer.zeroGrad();
    stepMs.push(performance.now() - t);
  }
  return {
    userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated,
    parameters: model.parameters().reduce((n, p) => n + p.size, 0), trainable: trainable.reduce((n, p) => n + p.size, 0),
    buildMs, stepMs, losses, peakTensorBytes: peak, restingTensorBytes: memory().numBytes, wasmMemoryBytes: wasmBytes(),
  };
};
window.ready = true;
`;

const here = dirname(fileURLToPath(import.meta.url));
const bundle = await build({ stdin: { contents: entry, resolveDir: join(here, '..'), loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
const code = bundle.outputFiles[0].text;
console.log(`bundle: ${(code.length / 1024).toFixed(0)} kB`);
const browser = await chromium.launch({ executablePath, args: ['--headless=new', '--no-sandbox'] });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.route('http://bench.local/', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>qkv LoRA</title>' }));
  await page.goto('http://bench.local/');
  await page.addScriptTag({ content: code, type: 'module' });
  await page.waitForFunction(() => window.ready === true);
  const started = Date.now();
  const r = await page.evaluate((n) => window.runLoRA(n), steps);
  const MiB = 2 ** 20;
  console.log(JSON.stringify({ ...r, wallSeconds: (Date.now() - started) / 1000 }, null, 2));
  console.log(`GPT-2 small LoRA r8 c_attn, B 1 × T 128, headless Chromium (${r.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? '?'}), wasm 1 thread: ` +
    `steps ${r.stepMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; peak live tensors ${(r.peakTensorBytes / MiB).toFixed(0)} MiB; ` +
    `WebAssembly.Memory ${(r.wasmMemoryBytes / MiB).toFixed(0)} MiB (2 GiB target: ${r.wasmMemoryBytes <= 2 * 1024 * MiB ? 'met' : 'NOT met'})`);
} finally {
  await browser.close();
}
