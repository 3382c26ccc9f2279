// The worker pool in headless Chromium: a page served cross-origin isolated (COOP + COEP) gets
// shared memory and threads, in the page and in a dedicated worker (nested workers); a page
// that is not isolated gets a clear error and one thread. Skipped where /usr/bin/chromium is absent.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadReport } from './browser-threads-entry.js';

const chromiumPath = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Serves the page and the bundle under /isolated/ (with COOP + COEP) and /plain/ (without). */
function serve(bundle: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const [, mode, file] = (req.url ?? '').split('/');
    const headers = mode === 'isolated' ? isolation : {};
    if (file === 'threads-entry.js') res.writeHead(200, { 'Content-Type': 'text/javascript', ...headers }).end(bundle);
    else if (file === '') res.writeHead(200, { 'Content-Type': 'text/html', ...headers }).end('<!doctype html><title>qkv wasm threads</title><script src="threads-entry.js"></script>');
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe.skipIf(!existsSync(chromiumPath))('wasm threads in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin = '';

  beforeAll(async () => {
    const out = join(root, 'build', 'browser-threads-entry.js');
    execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [
      'test/browser-threads-entry.ts', '--bundle', '--format=iife', '--platform=browser', '--conditions=@qkv/source',
      '--ignore-annotations', '--external:node:*', `--outfile=${out}`, '--log-level=error',
    ], { cwd: root });
    ({ server, origin } = await serve(readFileSync(out, 'utf8')));
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  /** Opens /{mode}/ and runs the checks in the page itself or in a dedicated worker it starts. */
  async function report(mode: 'isolated' | 'plain', where: 'window' | 'worker'): Promise<ThreadReport> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${origin}/${mode}/`);
      const result = await page.evaluate((w) => {
        const g = globalThis as unknown as { runThreadChecks: () => Promise<ThreadReport> };
        if (w === 'window') return g.runThreadChecks();
        return new Promise<ThreadReport | { error: string }>((resolve, reject) => {
          const worker = new Worker('threads-entry.js');
          worker.onmessage = (e: MessageEvent<ThreadReport | { error: string }>) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
          worker.postMessage('run');
        });
      }, where);
      if ('error' in result) throw new Error(result.error);
      expect(errors).toEqual([]);
      return result;
    } finally {
      await page.close();
    }
  }

  it('runs GEMMs on 2 threads in a cross-origin isolated page, equal to cpu and to 1 thread', async () => {
    const r = await report('isolated', 'window');
    // a window's thread may not block, so it spins while the worker finishes its rows
    expect(r).toMatchObject({ isolated: true, scope: 'window', sharedMemory: true, threads: 2, setThreadsError: null, callerBlocked: false, memoryGrew: true });
    expect(r.poolRuns).toBe(r.cases.length); // every case was split across the pool
    expect(r.failures).toEqual([]);
  });

  it('passes the whole conformance suite against cpu on shared memory with 2 threads', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/isolated/`);
      const result = await page.evaluate(() => (globalThis as unknown as { runConformance: (n: number) => Promise<{ passed: number; failures: string[] }> }).runConformance(2));
      expect(result.failures).toEqual([]);
      expect(result.passed).toBeGreaterThan(100);
    } finally {
      await page.close();
    }
  });

  it('runs them on 2 threads inside a dedicated worker of an isolated page (workers nested in a worker)', async () => {
    const r = await report('isolated', 'worker');
    // a worker may block: it sleeps in Atomics.wait instead of spinning
    expect(r).toMatchObject({ isolated: true, scope: 'worker', sharedMemory: true, threads: 2, setThreadsError: null, callerBlocked: true, memoryGrew: true });
    expect(r.poolRuns).toBe(r.cases.length);
    expect(r.failures).toEqual([]);
  });

  it('rejects setThreads(2) with a clear error in a page that is not isolated, and still computes on 1 thread', async () => {
    const r = await report('plain', 'window');
    expect(r).toMatchObject({ isolated: false, sharedMemory: false, threads: 1, poolRuns: 0 });
    expect(r.setThreadsError).toBe('BackendError: setThreads: threads need a shared WebAssembly.Memory, which this environment lacks (browsers: serve the page cross-origin isolated, with COOP: same-origin and COEP: require-corp)');
    expect(r.failures).toEqual([]);
  });

  it('does the same in a dedicated worker of a page that is not isolated', async () => {
    const r = await report('plain', 'worker');
    expect(r).toMatchObject({ isolated: false, scope: 'worker', sharedMemory: false, threads: 1, poolRuns: 0 });
    expect(r.setThreadsError).toMatch(/^BackendError: setThreads: threads need a shared WebAssembly.Memory/);
    expect(r.failures).toEqual([]);
  });
});
