// `pnpm bench:browser`: bundles the browser page with esbuild, serves it on 127.0.0.1, runs it in
// headless Chromium (playwright-core) and prints and writes the table. SwiftShader (software GL and
// WebGPU) unless --real-gpu: then Chromium uses the machine's GPU (see scripts/run-on-gpu-machine.sh).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { markdownTable, suiteChart, suiteRows } from '../report.js';
import { browserMeasurements, chromiumArgs } from './rows.js';
import type { BrowserBenchOptions, BrowserRow } from './workloads.js';

const { values: v } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'string' }, out: { type: 'string' }, 'real-gpu': { type: 'boolean' }, backend: { type: 'string', multiple: true } } });
const executablePath = process.env.QKV_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) throw new Error(`bench:browser: Chromium not found at ${executablePath}; install Debian's chromium or set QKV_CHROMIUM`);
const options: BrowserBenchOptions = {
  ...(v.quick ? { gemm: [64], mha: [16], mhaDims: [32, 4], runs: 2 } : { gemm: [128, 256, 512], mha: [128, 512], runs: 5 }),
  ...(v.backend ? { backends: v.backend } : {}),
};

const entry = fileURLToPath(new URL('../src/browser/page.ts', import.meta.url));
const bundle = await build({
  entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, minify: true, logLevel: 'silent',
  conditions: ['@qkv/source'], // the workspace packages' TypeScript sources
  external: ['node:*'], // wasm-kernels imports node:worker_threads only when it runs in Node
  ignoreAnnotations: true, // tensor-core's cpu registration is a side effect its package.json does not declare
});
const js = bundle.outputFiles[0]!.text;
const html = '<!doctype html><meta charset="utf-8"><title>qkv benchmark</title><script type="module" src="/page.js"></script>';
const server = createServer((req, res) => {
  const isJs = req.url === '/page.js';
  res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
  res.end(isJs ? js : html);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const browser = await chromium.launch({ executablePath, args: chromiumArgs(v['real-gpu'] ?? false) });
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => (globalThis as { qkvReady?: boolean }).qkvReady === true, undefined, { timeout: 60_000 }).catch(() => {
    throw new Error(`bench:browser: the page did not load: ${errors.join('; ') || 'no error reported'}`);
  });
  const backends = await page.evaluate(() => (globalThis as unknown as { qkvBackends: () => string[] }).qkvBackends());
  const rows = await page.evaluate((o) => (globalThis as unknown as { qkvBrowserBench: (o: BrowserBenchOptions) => Promise<BrowserRow[]> }).qkvBrowserBench(o), options);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const ms = browserMeasurements(rows);
  const gpu = v['real-gpu'] ? 'the machine\'s GPU' : 'SwiftShader (software WebGL/WebGPU: GPU numbers are not a real GPU\'s)';
  const title = `# qkv in the browser — ${/Chrome\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent}, ${gpu}; backends registered: ${backends.join(', ')}`;
  const table = suiteRows(ms);
  console.log(title);
  console.table(table);
  const outDir = v.out ?? 'results';
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'browser.md'), `${title}\n\n${markdownTable(table)}\n\n![browser](browser.svg)\n`);
  await writeFile(join(outDir, 'browser.svg'), suiteChart('browser', ms));
  if (v.json) await writeFile(v.json, JSON.stringify({ date: new Date().toISOString(), userAgent, realGpu: v['real-gpu'] ?? false, backends, options, measurements: ms }, null, 2));
  console.log(`\nbench:browser: ${ms.length} measurements, every result checked against cpu before timing; wrote ${outDir}/browser.md`);
} finally {
  await browser.close();
  server.close();
}
