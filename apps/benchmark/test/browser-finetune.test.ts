// Issue 24 in the browser: a Hub-layout GPT (the demo's shipped Brown char-GPT) is fetched by URL
// in headless Chromium, LoRA-tuned on real text (CMUdict lines) on the wasm backend, scored on
// held-out lines before and after, and saved back two ways — PEFT adapter files and a merged Hub
// folder — each reloaded onto a fresh base in the page and scored again. The numbers come from
// the page; Node only serves the files and the text, and checks them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCmudict, shuffle } from '@qkv/datasets';

const executablePath = process.env.QKV_CHROMIUM ?? '/usr/bin/chromium';
const skip = process.env.QKV_SKIP_BROWSER === '1'; // explicit opt-out only: a missing Chromium fails the run below
const folder = resolve(import.meta.dirname, '../../demo/public/models/char-gpt-hub');

const entry = `
import '@qkv/wasm-kernels';
import { AdamW, adapterFiles, crossEntropy, injectLoRA, loadAdapterFiles, unloadLoRA } from '@qkv/nn';
import { fromPretrained, adapterNameMap, savePretrained, filesSource, urlSource } from '@qkv/pretrained';
import { manualSeed, noGrad, setBackend, tensor, tidy } from '@qkv/tensor-core';

const T = 64;
/** Non-overlapping windows of T + 1 ids: inputs [N, T] and next-token targets [N·T]. */
function windows(ids) {
  const n = Math.floor((ids.length - 1) / T);
  const x = [], y = [];
  for (let i = 0; i < n; i++) { x.push(...ids.slice(i * T, i * T + T)); y.push(...ids.slice(i * T + 1, i * T + T + 1)); }
  return { n, x: tensor(Int32Array.from(x), { shape: [n, T], dtype: 'int32' }), y: tensor(Int32Array.from(y), { shape: [n * T], dtype: 'int32' }) };
}
const meanLoss = (model, w) => tidy(() => noGrad(() => { const logits = model.forward(w.x); return crossEntropy(logits.reshape([-1, logits.shape[2]]), w.y).item(); }));

window.finetune = async ({ base, train, heldOut, steps }) => {
  await setBackend('wasm');
  const { model, tokenizer } = await fromPretrained(urlSource(base));
  const tr = windows(tokenizer.encode(train));
  const ho = windows(tokenizer.encode(heldOut));
  const before = meanLoss(model, ho);
  injectLoRA(model, { r: 8, alpha: 16, dropout: 0, targetModules: ['c_attn'], fanInFanOut: true });
  const optimizer = new AdamW(model.parameters().filter((p) => p.requiresGrad), { lr: 2e-3, weightDecay: 0 });
  manualSeed(0);
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const rows = Array.from({ length: 8 }, (_, i) => (s * 8 + i) % tr.n);
    tidy(() => {
      const idx = tensor(Int32Array.from(rows), { dtype: 'int32' });
      const logits = model.forward(tr.x.indexSelect(0, idx));
      const y = tr.y.reshape([tr.n, T]).indexSelect(0, idx).reshape([-1]);
      crossEntropy(logits.reshape([-1, logits.shape[2]]), y).backward();
    });
    optimizer.step();
    optimizer.zeroGrad();
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = meanLoss(model, ho);
  // save 1: PEFT adapter files, loaded onto a fresh base
  const nameMap = adapterNameMap(model);
  const { weights, config } = adapterFiles(model, { nameMap, taskType: 'CAUSAL_LM' });
  const fresh = (await fromPretrained(urlSource(base))).model;
  loadAdapterFiles(fresh, weights, JSON.parse(JSON.stringify(config)), { nameMap });
  const adapterReloaded = meanLoss(fresh, ho);
  // save 2: the update merged into the weights (PEFT's merge_and_unload), as a Hub folder in memory, read back as browser files
  unloadLoRA(model, { merge: true });
  const files = new Map();
  await savePretrained(model, { description: 'memory', write: async (name, bytes) => { files.set(name, bytes); } }, { tokenizer });
  const list = [...files].map(([name, bytes]) => new File([bytes], name));
  const merged = (await fromPretrained(filesSource(list))).model;
  const mergedReloaded = meanLoss(merged, ho);
  return { before, after, adapterReloaded, mergedReloaded, seconds, trainWindows: tr.n, heldOutWindows: ho.n, adapterKeys: config.target_modules, files: [...files.keys()] };
};
window.ready = true;
`;

describe.skipIf(skip)('LoRA fine-tuning of a Hub GPT in headless Chromium', () => {
  it('lowers held-out loss on CMUdict lines, and the saved adapter and merged folder reproduce it', async () => {
    expect(existsSync(executablePath), `Chromium not found at ${executablePath}: install it, set QKV_CHROMIUM, or QKV_SKIP_BROWSER=1`).toBe(true);
    const { train } = await loadCmudict({ seed: 0 });
    const lines = shuffle(train, 0).slice(0, 660).map((e) => `${e.word}  ${e.pronunciations[0]!.join(' ')}`);
    const text = { train: `${lines.slice(0, 600).join('\n')}\n`, heldOut: `${lines.slice(600).join('\n')}\n` };
    const bundle = await build({ stdin: { contents: entry, resolveDir: resolve(import.meta.dirname, '..'), loader: 'js' }, bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
    const served = new Map(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f))]));
    const browser = await chromium.launch({ executablePath, args: ['--headless=new', '--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('http://qkv.test/**', (route) => {
        const name = new URL(route.request().url()).pathname.replace(/^\/char-gpt-hub\//, '');
        if (new URL(route.request().url()).pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>qkv finetune</title>' });
        const bytes = served.get(name);
        return bytes ? route.fulfill({ body: bytes }) : route.fulfill({ status: 404, body: 'not found' });
      });
      await page.goto('http://qkv.test/');
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: 'module' });
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const r = await page.evaluate(
        (args) => (window as unknown as { finetune: (a: unknown) => Promise<Record<string, unknown>> }).finetune(args),
        { base: 'http://qkv.test/char-gpt-hub/', ...text, steps: 60 },
      ) as { before: number; after: number; adapterReloaded: number; mergedReloaded: number; seconds: number; trainWindows: number; heldOutWindows: number; files: string[] };
      console.log(`browser LoRA: held-out loss ${r.before.toFixed(3)} → ${r.after.toFixed(3)} nats/char (perplexity ${Math.exp(r.before).toFixed(1)} → ${Math.exp(r.after).toFixed(1)}) after 60 steps in ${r.seconds.toFixed(1)} s; ${r.trainWindows} training and ${r.heldOutWindows} held-out windows of 64`);
      expect(errors).toEqual([]);
      expect(r.heldOutWindows).toBeGreaterThan(10);
      expect(r.after).toBeLessThan(r.before * 0.75); // Brown prose → CMUdict lines: a large, real shift
      expect(Math.abs(r.adapterReloaded - r.after)).toBeLessThan(1e-5);
      expect(Math.abs(r.mergedReloaded - r.after)).toBeLessThan(1e-4);
      expect(r.files).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'vocab.json', 'merges.txt']));
    } finally {
      await browser.close();
    }
  });
});
