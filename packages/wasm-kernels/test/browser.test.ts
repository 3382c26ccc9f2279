// The conformance suite on `wasm` inside headless Chromium (skipped where /usr/bin/chromium is absent).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const chromiumPath = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');

describe.skipIf(!existsSync(chromiumPath))('wasm in headless Chromium', () => {
  it('passes the whole conformance suite against cpu', async () => {
    const out = join(root, 'build', 'browser-entry.js');
    execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [
      'test/browser-entry.ts', '--bundle', '--format=iife', '--platform=browser', '--conditions=@qkv/source',
      '--ignore-annotations', '--external:node:*', `--outfile=${out}`, '--log-level=error',
    ], { cwd: root });
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><title>qkv wasm</title>');
      await page.addScriptTag({ content: readFileSync(out, 'utf8') });
      const result = await page.evaluate(() => (globalThis as unknown as { runConformance: () => Promise<{ passed: number; failures: string[] }> }).runConformance());
      expect(result.failures).toEqual([]);
      expect(result.passed).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
  });
});
