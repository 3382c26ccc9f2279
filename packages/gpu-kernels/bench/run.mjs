// `pnpm bench`: builds bench/page.ts, runs it in headless Chromium (SwiftShader: software WebGL
// and WebGPU, so GPU numbers here are not those of a real GPU) and prints a table.
// Options: --quick (smaller sizes), --json <file>.
import { writeFileSync } from 'node:fs';
import { markdownTable } from '@qkv/bench-harness';
import { fileURLToPath } from 'node:url';
import { openPage } from '../test/browser/harness.mjs';

const quick = process.argv.includes('--quick');
const jsonAt = process.argv.indexOf('--json');
const options = quick ? { gemm: [64, 128], attention: [[4, 64, 32]], runs: 3 } : { gemm: [128, 256, 512], attention: [[8, 128, 64], [8, 256, 64]], runs: 5 };

const { page, close } = await openPage(fileURLToPath(new URL('./page.ts', import.meta.url)));
try {
  const rows = await page.evaluate((o) => globalThis.qkvBench(o), options);
  const ua = await page.evaluate(() => navigator.userAgent);
  console.log(`# @qkv/gpu-kernels benchmark — ${ua.match(/Chrome\/[\d.]+/)?.[0] ?? ua}, SwiftShader (software), median of ${options.runs} runs incl. readback\n`);
  const cells = rows.map((r) => ({ op: r.op, shape: r.shape, backend: r.backend, 'median ms': r.medianMs.toFixed(1), 'max |Δ| vs cpu': r.maxAbsDiff.toExponential(1) }));
  console.log(markdownTable(cells, { alignRight: ['median ms', 'max |Δ| vs cpu'] }));
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify({ userAgent: ua, options, rows }, null, 2));
} finally {
  await close();
}
