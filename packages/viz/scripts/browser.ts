import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'tsup';

/** The package root (packages/viz, with a trailing slash), found from here whether bundled or not. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(dir: string): string {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@qkv/viz') return `${dir}/`;
  const parent = dirname(dir);
  if (parent === dir) throw new Error('scripts/browser: could not find the @qkv/viz package root above this file');
  return findPackageRoot(parent);
}

/** Debian's Chromium; playwright's own download cannot run on this project's machines. */
export const CHROMIUM_PATH = process.env.QKV_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Bundles src/index.ts with d3-scale-chromatic into one IIFE exposing `window.qkvViz`,
 * written to artifacts/browser/viz.global.js; returns its path.
 */
export async function buildBrowserBundle(): Promise<string> {
  const outDir = `${PACKAGE_ROOT}artifacts/browser`;
  await build({
    entry: { viz: `${PACKAGE_ROOT}src/index.ts` },
    format: ['iife'],
    globalName: 'qkvViz',
    platform: 'browser',
    target: 'es2022',
    outDir,
    noExternal: [/.*/],
    dts: false,
    sourcemap: false,
    config: false,
    silent: true,
    clean: false,
  });
  return `${outDir}/viz.global.js`;
}

/** Launches headless Chromium, or fails saying where it looked and how to skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`@qkv/viz browser test: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set QKV_CHROMIUM); set QKV_SKIP_BROWSER=1 to skip explicitly`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The empty page every browser run starts from: UTF-8, white, Hangul-capable fonts. */
export const BLANK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>@qkv/viz</title>
<style>body{margin:16px;font-family:system-ui,'Noto Sans CJK KR',sans-serif;background:#fff} section{margin:0 0 24px} h2{font-size:14px;margin:0 0 6px}</style>
</head><body></body></html>`;
