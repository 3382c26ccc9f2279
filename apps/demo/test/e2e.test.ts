// End-to-end: the built app under `vite preview`, driven in Debian Chromium. It must be cross-origin
// isolated (wasm on worker threads), load with no request to any other origin, predict a known
// word, train, render every explorer, and reach every backend with results that agree with cpu.
// Screenshots go to artifacts/ for people to look at.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const artifacts = resolve(root, 'artifacts');
const CHROMIUM = '/usr/bin/chromium';
const skip = process.env.QKV_SKIP_BROWSER === '1';
let BASE = '';

/** A port nothing listens on now, so this run's server cannot be confused with another one. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

let server: ChildProcess;
let browser: Browser;
let page: Page;
const foreign: string[] = [];

/** Waits until `url` serves exactly this build's index.html (not some other server's). */
async function waitForServer(url: string, expected: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok && (await res.text()) === expected) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not serve this build at ${url} within ${ms} ms`);
}

async function open(view: string): Promise<void> {
  await page.goto(`${BASE}#/${view}`);
  await page.waitForFunction((v) => document.body.dataset.ready === v, view, { timeout: 60_000 });
}

describe.skipIf(skip)('demo in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Debian chromium is required at ${CHROMIUM} (apt-get install chromium), or set QKV_SKIP_BROWSER=1`);
    if (!existsSync(resolve(root, 'dist/index.html'))) throw new Error('apps/demo/dist is missing: run `pnpm --filter @qkv/demo build` first (turbo does before test)');
    mkdirSync(artifacts, { recursive: true });
    const port = await freePort();
    BASE = `http://127.0.0.1:${port}/`;
    // its own process group, so afterAll stops vite itself and not only the npx wrapper
    server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: root, stdio: 'ignore', detached: true });
    await waitForServer(BASE, readFileSync(resolve(root, 'dist/index.html'), 'utf8'), 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) foreign.push(r.url());
    });
    page.on('pageerror', (e) => console.error('page error:', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  });

  it('is served cross-origin isolated (COOP + COEP from vite preview), so wasm runs on worker threads', async () => {
    const res = await fetch(BASE);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    await open('backends');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    // Chromium here reports 2 hardware threads; the demo asks for min(hardwareConcurrency, 4)
    const threads = Number(await page.getAttribute('[data-wasm-threads]', 'data-wasm-threads'));
    expect(threads).toBe(Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 4));
    expect(threads).toBeGreaterThan(1);
    expect(await page.textContent('[data-wasm-threads]')).toBe(`wasm threads: ${threads}`);
  });

  it('opens on the shipped G2P model and pronounces a known word correctly, with a heatmap of the right shape', async () => {
    const t0 = Date.now();
    await open('g2p');
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    console.log(`demo: first contentful paint ${fcp.toFixed(0)} ms; G2P view ready (model loaded, word decoded, heatmap drawn) ${Date.now() - t0} ms after navigation`);
    await page.fill('input[name=word]', 'cat');
    await page.press('input[name=word]', 'Enter');
    await page.waitForFunction(() => document.body.dataset.g2p?.startsWith('cat:'));
    const result = await page.evaluate(() => document.body.dataset.g2p);
    expect(result).toBe('cat:K AE T'); // the shipped Transformer predicts stressless phonemes
    // rows: K AE T <eos>; columns: c a t
    const cells = await page.locator('[data-figure=cross-attention] svg g.qkv-cells > rect').count();
    expect(cells).toBe(4 * 3);
    await page.screenshot({ path: resolve(artifacts, 'g2p.png'), fullPage: true });
    // the BiGRU + Bahdanau model, for comparing alignments
    await page.selectOption('select[name=model]', 'gru');
    await page.waitForFunction(() => document.querySelector('[data-figure=cross-attention] text.qkv-title')?.textContent?.includes('Bahdanau'));
    expect(await page.evaluate(() => document.body.dataset.g2p)).toBe('cat:K AE T'); // the BiGRU, like the Transformer, was trained on stressless phonemes
    expect(await page.locator('[data-figure=cross-attention] svg g.qkv-cells > rect').count()).toBe(4 * 3);
    await page.screenshot({ path: resolve(artifacts, 'g2p-gru.png'), fullPage: true });
    expect(foreign).toEqual([]);
  });

  it('trains the date task for a few seconds and the loss goes down, on wasm threads nested in the training worker', async () => {
    await open('train');
    await page.waitForFunction(() => document.body.dataset.trainThreads !== undefined, undefined, { timeout: 60_000 });
    expect(Number(await page.evaluate(() => document.body.dataset.trainThreads))).toBeGreaterThan(1);
    await page.click('button[data-action=start]');
    await page.waitForFunction(() => Number(document.body.dataset.trainStep ?? 0) >= 3, undefined, { timeout: 60_000 });
    const first = Number(await page.evaluate(() => document.body.dataset.trainLoss));
    await page.waitForFunction(() => Number(document.body.dataset.trainStep ?? 0) >= 60, undefined, { timeout: 120_000 });
    const later = Number(await page.evaluate(() => document.body.dataset.trainLoss));
    await page.click('button[data-action=pause]');
    expect(later).toBeLessThan(first * 0.8);
    await page.screenshot({ path: resolve(artifacts, 'train.png'), fullPage: true });
  });

  it('trains on the shipped CMUdict slice (spelling → phonemes) and the loss goes down', async () => {
    await page.goto(`${BASE}#/train?task=cmudict`);
    await page.waitForFunction(() => document.body.dataset.ready === 'train');
    await page.click('button[data-action=start]');
    await page.waitForFunction(() => Number(document.body.dataset.trainStep ?? 0) >= 3, undefined, { timeout: 60_000 });
    const first = Number(await page.evaluate(() => document.body.dataset.trainLoss));
    await page.waitForFunction(() => Number(document.body.dataset.trainStep ?? 0) >= 120, undefined, { timeout: 120_000 });
    const later = Number(await page.evaluate(() => document.body.dataset.trainLoss));
    await page.click('button[data-action=pause]');
    expect(later).toBeLessThan(first * 0.8);
    await page.screenshot({ path: resolve(artifacts, 'train-cmudict.png'), fullPage: true });
  });

  for (const [view, figure] of [['pipeline', 'softmax'], ['masks', 'mask'], ['positions', 'positional-encoding'], ['heads', 'head-grid'], ['tokenizer', '']] as const) {
    it(`renders the ${view} explorer`, async () => {
      await open(view);
      if (figure) expect(await page.locator(`[data-figure=${figure}] svg`).count()).toBe(1);
      else expect(Number(await page.getAttribute('[data-tokens]', 'data-tokens'))).toBeGreaterThan(5);
      await page.screenshot({ path: resolve(artifacts, `${view}.png`), fullPage: true });
    });
  }

  it('classifies a drawn digit with the shipped ViT and shows its CLS attention over the 4×4 patches', async () => {
    await open('vit');
    const box = (await page.locator('canvas.draw').boundingBox())!;
    // a vertical stroke down the middle: a "1"
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + box.width / 2, box.y + box.height * (0.15 + 0.035 * i));
    await page.mouse.up();
    await page.waitForFunction(() => document.body.dataset.vit !== undefined);
    expect(await page.evaluate(() => document.body.dataset.vit)).toBe('1');
    expect(await page.locator('[data-figure=vit-attention] svg g.qkv-cells > rect').count()).toBe(16);
    await page.screenshot({ path: resolve(artifacts, 'vit.png'), fullPage: true });
  });

  it('switches language to Korean', async () => {
    await open('masks');
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'ko');
    expect(await page.textContent('nav a[data-view=masks]')).toBe('마스크');
    await page.screenshot({ path: resolve(artifacts, 'masks-ko.png'), fullPage: true });
    await page.click('#lang');
  });

  it('reaches wasm (on threads), webgl and webgpu, and their results agree with cpu', async () => {
    await open('backends');
    expect(Number(await page.getAttribute('[data-wasm-threads]', 'data-wasm-threads'))).toBeGreaterThan(1);
    await page.click('text=Run on every backend');
    await page.waitForFunction(() => Number(document.body.dataset.backendsDone ?? 0) > 0, undefined, { timeout: 240_000 });
    const rows = await page.$$eval('table[data-results] tr[data-backend]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const backends = new Set(rows.map((r) => r[1]));
    for (const b of ['cpu', 'wasm', 'webgl', 'webgpu']) expect(backends).toContain(b);
    for (const r of rows) expect(Number(r[3])).toBeLessThan(1e-2);
    await page.screenshot({ path: resolve(artifacts, 'backends.png'), fullPage: true });
    expect(foreign).toEqual([]);
  });
});
