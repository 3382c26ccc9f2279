// Peak memory of loading a GPT-2-small-shaped (124 M parameters) F32 Hub folder in Node.
//   node scripts/memory.mjs make DIR   writes random weights in Hub layout with savePretrained
//   node scripts/memory.mjs load DIR   loads it in a fresh process and prints peak RSS / file size
// Needs the built packages: pnpm --filter @qkv/transformer --filter @qkv/pretrained build
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { GPT } from '@qkv/transformer';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';

const [mode, dir] = process.argv.slice(2);
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
if (mode === 'make') {
  const gpt = new GPT({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768, geluApproximate: 'tanh' });
  await savePretrained(gpt, dir);
  console.log(`wrote ${dir}: ${gpt.parameters().reduce((n, p) => n + p.size, 0)} parameter values (wte and lm_head tied)`);
} else if (mode === 'load') {
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  const { model } = await fromPretrained(dir, { tokenizer: false });
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  const file = statSync(join(dir, 'model.safetensors')).size;
  const params = new Set(model.parameters()).size;
  console.log(JSON.stringify({ file: mb(file), baselineRss: mb(baseline), peakRss: mb(peak), peakOverFile: +(peak / file).toFixed(3), peakAboveBaselineOverFile: +((peak - baseline) / file).toFixed(3), loadSeconds: +seconds.toFixed(2), parameterTensors: params, node: process.version }));
} else {
  console.error('usage: node scripts/memory.mjs make|load DIR');
  process.exit(2);
}
