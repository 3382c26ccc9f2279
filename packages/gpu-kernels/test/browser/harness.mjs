// Node side of the browser tests and the benchmark: bundle a page with esbuild, serve it on
// 127.0.0.1 and open it in headless Debian Chromium through playwright-core.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

/** Where the Debian package installs Chromium (override with QKV_CHROMIUM). */
export const CHROMIUM = process.env.QKV_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for WebGL and WebGPU on SwiftShader (software) in headless mode. */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** True when the browser tests should be skipped on purpose (QKV_SKIP_BROWSER=1). */
export const skipBrowser = process.env.QKV_SKIP_BROWSER === '1';

/**
 * Bundles `entry` (TypeScript, workspace sources) and opens it in Chromium.
 * @param {string} entry absolute path of the page script
 * @returns {Promise<{ page: import('playwright-core').Page, close: () => Promise<void>, console: string[] }>}
 */
export async function openPage(entry) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests: Chromium not found at ${CHROMIUM}; install Debian's chromium, set QKV_CHROMIUM, or set QKV_SKIP_BROWSER=1 to skip explicitly`);
  }
  const bundle = await build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    conditions: ['@qkv/source'], write: false, minify: true, logLevel: 'silent',
    // tensor-core declares "sideEffects": false although its cpu registration is a side effect
    ignoreAnnotations: true,
  });
  const js = bundle.outputFiles[0].text;
  const html = '<!doctype html><meta charset="utf-8"><title>qkv gpu</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const isJs = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => /** @type {any} */ (globalThis).qkvReady === true, undefined, { timeout: 30_000 });
  return {
    page,
    console: consoleLines,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
